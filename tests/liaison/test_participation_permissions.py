"""Every participation URL × every role: who gets the page, who is sent to log in, who is refused, who gets 404.

The records are the city's (an invitation of 张三丰, ``deputy_user``'s own person, with an opinion, and a
recommendation of him): the city's staff manage them, its supervisor reads them, the county's staff are out
of scope (404), and the deputy sees them only on their own page. Other roles may not open these pages (403).
"""

import datetime

import pytest
from django.urls import reverse

from apps.liaison.models import Invitation, Invitee, Opinion, Recommendation
from tests.security.matrix_support import LOGIN, Matrix

REFUSED = ["member_user", "unit_user", "sysadmin_user", "secadmin_user", "auditor_user", "outsider"]
ROLES = ["anonymous", "staff_user", "county_staff_user", "supervisor_user", "deputy_user", *REFUSED]

# url name → (the record whose pk it takes, or None; whether it writes)
URLS = {
    "invitation_list": (None, False),
    "invitation_export": (None, False),
    "invitation_create": (None, True),
    "participation_counts": (None, False),
    "invitation_detail": ("invitation", False),
    "invitation_edit": ("invitation", True),
    "invitation_invite": ("invitation", True),
    "invitation_attendance": ("invitation", True),
    "opinion_create": ("invitee", True),
    "opinion_decide": ("opinion", True),
    "my_participation": (None, False),
    "recommendation_list": (None, False),
    "recommendation_create": (None, True),
    "recommendation_edit": ("recommendation", True),
}
POST_ONLY = {"invitation_attendance"}
DEPUTY_ONLY = {"my_participation"}


@pytest.fixture
def records(city, municipal_mandate):
    invitation = Invitation.objects.create(jurisdiction=city, kind=Invitation.Kind.ATTEND_MEETING,
                                           title="常委会第二十次会议", date=datetime.date(2026, 6, 20))
    invitee = Invitee.objects.create(invitation=invitation, person=municipal_mandate.person)
    opinion = Opinion.objects.create(invitee=invitee, content="建议加快老旧小区改造")
    recommendation = Recommendation.objects.create(
        person=municipal_mandate.person, jurisdiction=city, role=Recommendation.Role.TV_INQUIRY,
        organisation="长春广播电视台《电视问政》", start_date=datetime.date(2026, 3, 1))
    return {"invitation": invitation, "invitee": invitee, "opinion": opinion, "recommendation": recommendation}


def _url(url_name: str, records: dict) -> str:
    kind, _writes = URLS[url_name]
    return reverse(f"liaison:{url_name}", args=[records[kind].pk] if kind else [])


def _expected_get(url_name: str, role: str):
    kind, writes = URLS[url_name]
    if role == "anonymous":
        return LOGIN
    if url_name in POST_ONLY:
        return 405
    if url_name in DEPUTY_ONLY:
        return 200 if role == "deputy_user" else 403
    if role == "staff_user":
        return 200
    if role == "county_staff_user":
        return 404 if kind else 200
    if role == "supervisor_user":
        return 403 if writes else 200
    return 403


def _expected_post(url_name: str, role: str):
    kind, _writes = URLS[url_name]
    if role == "anonymous":
        return LOGIN
    if role == "staff_user":
        # An empty form comes back with its errors; attendance and a recommendation without a deputy redirect.
        return 302 if url_name in ("invitation_attendance", "recommendation_create") else 200
    if role == "county_staff_user":
        return 404 if kind else (302 if url_name == "recommendation_create" else 200)
    return 403


def _snapshot(records) -> tuple:
    counts = tuple(m.objects.count() + m.history.count() for m in (Invitation, Invitee, Opinion, Recommendation))
    invitation = Invitation.objects.get(pk=records["invitation"].pk)
    invitee = Invitee.objects.get(pk=records["invitee"].pk)
    opinion = Opinion.objects.get(pk=records["opinion"].pk)
    recommendation = Recommendation.objects.get(pk=records["recommendation"].pk)
    return counts, invitation.title, invitee.attended, opinion.outcome, recommendation.organisation


MATRIX = Matrix(namespace="liaison", urls=URLS, roles=ROLES, urlconf="apps.liaison.urls_participation",
                expected=lambda url_name, role, method: (_expected_get if method == "get" else _expected_post)(
                    url_name, role),
                url=_url, state=_snapshot)

test_every_participation_url_is_in_the_matrix = MATRIX.every_url_test()
test_participation_get_by_role = MATRIX.get_test()
test_participation_post_by_role_writes_nothing_when_refused_or_empty = MATRIX.post_test(
    [name for name, (_kind, writes) in URLS.items() if writes])


@pytest.mark.smoke
def test_county_staff_opening_a_city_invitation_gets_404(client_for, county_staff_user, records):
    url = reverse("liaison:invitation_detail", args=[records["invitation"].pk])
    assert client_for(county_staff_user).get(url).status_code == 404


def test_county_staff_do_not_see_city_invitations_or_recommendations_in_their_lists(client_for, county_staff_user,
                                                                                   records):
    client = client_for(county_staff_user)
    assert list(client.get(reverse("liaison:invitation_list")).context["page"].object_list) == []
    assert list(client.get(reverse("liaison:recommendation_list")).context["page"].object_list) == []
    assert client.get(reverse("liaison:participation_counts")).context["counts"]["years"] == []


@pytest.mark.smoke
def test_supervisor_reads_the_invitation_but_is_offered_no_changes(client_for, supervisor_user, records):
    response = client_for(supervisor_user).get(reverse("liaison:invitation_detail", args=[records["invitation"].pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("liaison:invitation_edit", args=[records["invitation"].pk]) not in page
    assert reverse("liaison:opinion_decide", args=[records["opinion"].pk]) not in page
    assert 'name="attended"' not in page


def test_staff_without_a_jurisdiction_may_not_open_the_participation_pages(client_for, records):
    from apps.core import roles
    from tests.factories import UserFactory

    nowhere = UserFactory(username="staff_nowhere", roles=[roles.STAFF])
    client = client_for(nowhere)
    assert client.get(reverse("liaison:invitation_list")).status_code == 403
    assert client.get(reverse("liaison:recommendation_list")).status_code == 403
