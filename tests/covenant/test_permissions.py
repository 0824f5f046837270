"""Every covenant URL × every role: login for the anonymous, the page for those who open it, 403 for any other
role, 404 for a record out of scope (the county's staff opening the city's), 405 for the wrong method — and a
refused POST writes nothing.

The records are the city's: a meeting with a speech, a draft notice, a pending leave request of the ``member``
account's own committee row, a talk. Staff (of the city or a county) write, supervisors read; a committee member
opens their own page and asks for leave; nobody else opens any of these pages.
"""

import pytest
from django.urls import reverse

from apps.covenant.models import (
    Admonition, CommitteeMeeting, CovenantNotice, LeaveRequest, MeetingAttendance, Speech,
)
from tests.covenant import factories as f
from tests.security.matrix_support import LOGIN, Matrix, client_as

ROLES = ["anonymous", "staff_user", "county_staff_user", "supervisor_user", "member_user", "deputy_user",
         "unit_user", "sysadmin_user", "secadmin_user", "auditor_user", "outsider"]
OFFICE = {"staff_user", "county_staff_user", "supervisor_user"}
STAFF = {"staff_user", "county_staff_user"}
MEMBER = {"member_user"}

# url name → (argument kinds, who opens it)
URLS = {
    "index": ((), OFFICE | MEMBER),  # a redirect to the role's main page
    "meeting_list": ((), OFFICE),
    "meeting_create": ((), STAFF),
    "meeting_detail": (("meeting",), OFFICE),
    "meeting_edit": (("meeting",), STAFF),
    "meeting_attendance": (("meeting",), STAFF),
    "meeting_sign_in_sheet": (("meeting",), STAFF),  # the PDF to print (apps/covenant/paper.py)
    "speech_create": (("meeting",), STAFF),
    "speech_list": ((), OFFICE),
    "speech_delete": (("speech",), STAFF),
    "flags": ((), OFFICE),
    "notice_list": ((), OFFICE),
    "notice_create": ((), STAFF),
    "notice_detail": (("notice",), OFFICE),
    "notice_edit": (("notice",), STAFF),
    "notice_publish": (("notice",), STAFF),
    "notice_xlsx": (("notice",), OFFICE),
    "notice_pdf": (("notice",), OFFICE),
    "leave_list": ((), OFFICE | MEMBER),
    "leave_create": ((), STAFF | MEMBER),
    "leave_decide": (("leave",), STAFF),
    "admonition_list": ((), OFFICE),
    "admonition_create": ((), STAFF),
    "admonition_edit": (("admonition",), STAFF),
    "my_covenant": ((), MEMBER),
}
POST_ONLY = {"speech_delete", "notice_publish", "leave_decide"}
GET_ONLY = {"index", "meeting_list", "meeting_detail", "meeting_sign_in_sheet", "speech_list", "flags", "notice_list", "notice_detail",
            "notice_xlsx", "notice_pdf", "leave_list", "admonition_list", "my_covenant"}
# An empty POST by one who may: a redirect where the action needs no input (an empty grid saves nothing; a
# publication or a removal needs only the button), else the form again with its errors.
EMPTY_POST_REDIRECTS = {"meeting_attendance", "notice_publish", "speech_delete"}


@pytest.fixture
def records(city, city_meeting, committee, deputy_user):
    return {
        "meeting": city_meeting,
        "speech": f.speech(city_meeting, committee["other"]),
        "notice": f.notice(city, 2026),
        "leave": f.leave_request(committee["own"], committee["legal"], meeting_row=city_meeting),
        "admonition": f.admonition(committee["other"]),
    }


def _url(url_name, records) -> str:
    kinds, _who = URLS[url_name]
    return reverse(f"covenant:{url_name}", args=[records[kind].pk for kind in kinds])


def _expected(url_name, role, method):
    kinds, who = URLS[url_name]
    if role == "anonymous":
        return LOGIN
    if (method == "get" and url_name in POST_ONLY) or (method == "post" and url_name in GET_ONLY):
        return 405
    if role not in who:
        return 403
    if role == "county_staff_user" and kinds:
        return 404
    if method == "post":
        return 302 if url_name in EMPTY_POST_REDIRECTS else 200
    return 302 if url_name == "index" else 200


def _snapshot() -> tuple:
    notice = CovenantNotice.objects.get()
    leave = LeaveRequest.objects.get()
    return (CommitteeMeeting.objects.count(), MeetingAttendance.objects.count(), Speech.objects.count(),
            Admonition.objects.count(), CovenantNotice.objects.count(), LeaveRequest.objects.count(),
            notice.status, notice.title, leave.status)


def _writes_only_without_input(state, before, url_name, role, expected):
    if expected != 302:
        assert state == before


MATRIX = Matrix(namespace="covenant", urls=URLS, roles=ROLES, urlconf="apps.covenant.urls", expected=_expected,
                url=_url, state=lambda records: _snapshot(), post_check=_writes_only_without_input)

test_every_url_is_in_the_matrix = MATRIX.every_url_test()
test_get_by_role = MATRIX.get_test()
test_post_by_role_writes_nothing_unless_the_action_needs_no_input = MATRIX.post_test()


@pytest.mark.smoke
def test_county_staff_opening_the_citys_meeting_get_404(client_for, county_staff_user, records):
    assert client_for(county_staff_user).get(_url("meeting_detail", records)).status_code == 404


def test_county_staff_see_none_of_the_citys_records_in_their_lists(client_for, county_staff_user, records):
    client = client_for(county_staff_user)
    for name in ("meeting_list", "notice_list", "leave_list", "admonition_list"):
        assert list(client.get(reverse(f"covenant:{name}") + "?state=all").context["page"].object_list) == [], name
    assert client.get(reverse("covenant:flags")).context["rows"] == []


def test_the_county_staff_cannot_ask_for_the_citys_flags(client_for, county_staff_user, city, records):
    response = client_for(county_staff_user).get(reverse("covenant:flags") + f"?jurisdiction={city.pk}&year=2026")
    assert response.context["jurisdiction"] == county_staff_user.jurisdiction


def test_a_supervisor_reads_but_is_offered_no_changes(client_for, supervisor_user, records):
    client = client_for(supervisor_user)
    page = client.get(_url("meeting_detail", records)).content.decode()
    assert _url("meeting_attendance", records) not in page
    assert _url("speech_delete", records) not in page
    page = client.get(_url("notice_detail", records)).content.decode()
    assert _url("notice_publish", records) not in page
    assert _url("notice_xlsx", records) in page
    page = client.get(reverse("covenant:leave_list")).content.decode()
    assert _url("leave_decide", records) not in page


def test_a_member_sees_only_their_own_leave_requests(client_for, member_user, records, committee, city_meeting):
    theirs = records["leave"]
    f.leave_request(committee["other"], committee["legal"], meeting_row=city_meeting)
    response = client_for(member_user).get(reverse("covenant:leave_list") + "?state=all")
    assert [leave for leave, _form in response.context["rows"]] == [theirs]
    assert _url("leave_decide", records) not in response.content.decode()


def test_a_member_can_ask_leave_only_for_themself(client_for, member_user, records, committee, city_meeting):
    form = client_for(member_user).get(reverse("covenant:leave_create")).context["form"]
    assert list(form.fields["member"].queryset) == [committee["own"]]
    response = client_for(member_user).post(reverse("covenant:leave_create"), {
        "member": committee["other"].pk, "special_committee": committee["legal"].pk, "meeting": city_meeting.pk,
        "reason": "出差"})
    assert response.status_code == 200
    assert "member" in response.context["form"].errors
    assert LeaveRequest.objects.filter(member=committee["other"]).count() == 0


def test_staff_without_a_jurisdiction_may_not_open_the_covenant_pages(client_for, records):
    from apps.core import roles
    from tests.factories import UserFactory

    nowhere = UserFactory(username="staff_nowhere", roles=[roles.STAFF])
    assert client_for(nowhere).get(reverse("covenant:meeting_list")).status_code == 403
    assert client_for(nowhere).get(reverse("covenant:flags")).status_code == 403


def test_a_member_account_without_a_committee_row_is_refused_its_page(client_for, member_user):
    assert client_for(member_user).get(reverse("covenant:my_covenant")).status_code == 403


def test_a_huge_or_foreign_pk_is_a_404(client_for, staff_user, records):
    assert client_for(staff_user).get("/covenant/meetings/99999999999999999999/").status_code == 404
    assert client_for(staff_user).get(reverse("covenant:notice_detail", args=[999999])).status_code == 404


@pytest.mark.parametrize(("role", "target"), [("staff_user", "covenant:meeting_list"),
                                              ("supervisor_user", "covenant:meeting_list"),
                                              ("member_user", "covenant:my_covenant")])
def test_the_index_leads_each_role_to_its_main_page(request, records, role, target):
    response = client_as(request, role).get(reverse("covenant:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse(target)
