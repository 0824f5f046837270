"""Every self-report URL × every role: login, the page, 403 for a role that may not open it, 404 for a record
outside the user's scope (county staff and a municipal deputy's report; another deputy's report).

The records: a pending self-report of 张三丰 (``deputy_user``, a municipal deputy: his mandate's jurisdiction
is the city, outside the county) with one evidence file.
"""

import pytest
from django.urls import reverse

from apps.activities.models import Activity, Attachment, Participation, SelfReport
from apps.core.models import Notification
from tests.activities.self_report_support import (  # noqa: F401 (fixtures)
    frozen_today, make_report, media, other_deputy, png,
)
from tests.security.matrix_support import LOGIN, Matrix, assert_outcome

OUTSIDERS = ["member_user", "unit_user", "sysadmin_user", "secadmin_user", "auditor_user", "outsider"]
ROLES = ["anonymous", "staff_user", "county_staff_user", "supervisor_user", "deputy_user", "other_deputy",
         *OUTSIDERS]

# url name → the record its argument names (None: no argument)
URLS = {
    "my_activities": None,
    "self_report_create": None,
    "self_report_detail": "report",
    "self_report_withdraw": "report",
    "self_report_evidence": "evidence",
    "self_report_queue": None,
    "self_report_verify": "report",
    "self_report_reject": "report",
    "self_report_unverify": "report",
}
POST_ONLY = {"self_report_withdraw", "self_report_verify", "self_report_reject", "self_report_unverify"}
GET_ONLY = {"my_activities", "self_report_detail", "self_report_evidence", "self_report_queue"}
# Withdrawing needs no input: it is tried by role on its own below.
WRITE_URLS = sorted(set(URLS) - GET_ONLY - {"self_report_withdraw"})

DEPUTIES = {"deputy_user", "other_deputy"}
OFFICE = {"staff_user", "county_staff_user", "supervisor_user"}
STAFF = {"staff_user", "county_staff_user"}
OPENS = {
    "my_activities": DEPUTIES,
    "self_report_create": DEPUTIES,
    "self_report_detail": OFFICE | DEPUTIES,
    "self_report_withdraw": DEPUTIES,
    "self_report_evidence": OFFICE | DEPUTIES,
    "self_report_queue": OFFICE,
    "self_report_verify": STAFF,
    "self_report_reject": STAFF,
    "self_report_unverify": STAFF,
}
# Those who open the page but for whom the record is out of scope (404).
OUT_OF_SCOPE = {"county_staff_user", "other_deputy"}

pytestmark = pytest.mark.usefixtures("frozen_today", "media")


@pytest.fixture
def records(deputy_user, other_deputy):
    report = make_report(deputy_user, files=[png()])
    return {"report": report, "evidence": report.attachments.get()}


def _url(url_name, records):
    kind = URLS[url_name]
    return reverse(f"activities:{url_name}", args=[] if kind is None else [records[kind].pk])


def _expected(url_name, role, method):
    if role == "anonymous":
        return LOGIN
    if method == "get" and url_name in POST_ONLY:
        return 405
    if role not in OPENS[url_name]:
        return 403
    if URLS[url_name] is not None and role in OUT_OF_SCOPE:
        return 404
    return 200


def _state():
    return (SelfReport.objects.count(), Attachment.objects.count(), Activity.objects.count(),
            Participation.objects.count(), Notification.objects.count(),
            sorted(SelfReport.objects.values_list("status", "reason", "activity")))


MATRIX = Matrix(namespace="activities", urls=URLS, roles=ROLES, expected=_expected, url=_url,
                state=lambda records: _state())

test_get_by_role = MATRIX.get_test()
# Where the page may be used, an empty form comes back with its errors (200).
test_empty_post_by_role_writes_nothing = MATRIX.post_test(WRITE_URLS)


def test_every_self_report_url_is_in_the_matrix():
    from apps.activities.urls_self_reports import urlpatterns

    assert {p.name for p in urlpatterns} == set(URLS) == set(OPENS)


def _decides(records, data, *, status_if_allowed, status_if_refused, then=lambda allowed: True):
    """A cell that posts ``data`` and finds the report in ``status_if_allowed`` where the role may decide (a
    redirect), else refused and still in ``status_if_refused``; ``then(allowed)`` checks the rest."""

    def cell(client, url, role, expected):
        response = client.post(url, data)
        records["report"].refresh_from_db()
        if expected == 200:
            assert response.status_code == 302
            assert records["report"].status == status_if_allowed and then(True)
        else:
            assert_outcome(response, expected)
            assert records["report"].status == status_if_refused and then(False)

    return cell


def test_verifying_by_role(request, records):
    cell = _decides(records, {"activity": "new"}, status_if_allowed=SelfReport.Status.VERIFIED,
                    status_if_refused=SelfReport.Status.PENDING,
                    then=lambda allowed: allowed or Participation.objects.count() == 0)
    MATRIX.check_roles(request, "self_report_verify", "post", cell)


def test_rejecting_by_role(request, records):
    cell = _decides(records, {"reason": "无佐证材料"}, status_if_allowed=SelfReport.Status.REJECTED,
                    status_if_refused=SelfReport.Status.PENDING)
    MATRIX.check_roles(request, "self_report_reject", "post", cell)


def test_reversing_a_verification_by_role(request, records, staff_user):
    from apps.activities.services.self_reports import self_report_verify

    self_report_verify(report=records["report"], user=staff_user)
    cell = _decides(records, {"reason": "佐证材料不实"}, status_if_allowed=SelfReport.Status.PENDING,
                    status_if_refused=SelfReport.Status.VERIFIED,
                    then=lambda allowed: Participation.objects.count() == (0 if allowed else 1))
    MATRIX.check_roles(request, "self_report_unverify", "post", cell)


def test_withdrawing_by_role(request, records):
    def cell(client, url, role, expected):
        response = client.post(url)
        if expected == 200:
            assert response.status_code == 302
            assert not SelfReport.objects.exists()
        else:
            assert_outcome(response, expected)
            assert SelfReport.objects.filter(pk=records["report"].pk).exists()

    MATRIX.check_roles(request, "self_report_withdraw", "post", cell)


@pytest.mark.smoke
def test_a_deputy_opening_another_deputys_self_report_gets_404(client_for, records, other_deputy):
    client = client_for(other_deputy)
    assert client.get(reverse("activities:self_report_detail", args=[records["report"].pk])).status_code == 404
    assert client.get(reverse("activities:self_report_evidence", args=[records["evidence"].pk])).status_code == 404


def test_county_staff_cannot_open_a_municipal_deputys_self_report(client_for, records, county_staff_user):
    url = reverse("activities:self_report_detail", args=[records["report"].pk])
    assert client_for(county_staff_user).get(url).status_code == 404


def test_a_deputy_sees_only_their_own_self_reports_in_my_activities(client_for, records, other_deputy):
    months = client_for(other_deputy).get(reverse("activities:my_activities")).context["months"]
    assert months == []
