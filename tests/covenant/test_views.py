"""The covenant pages at work: entering a meeting and its attendance grid (a bad cell and nothing is written),
speeches, the flags page, the notice from draft to published with its audited downloads, leave decisions, the
member's own page — and every list in a constant number of queries."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.committee.models import Post
from apps.core.models import AuditEvent
from apps.covenant.models import CommitteeMeeting, CovenantNotice, LeaveRequest, MeetingAttendance, Speech
from apps.covenant.services import cell_key
from tests.covenant import factories as f
from tests.covenant.factories import A, L, P

TZ = datetime.timezone(datetime.timedelta(hours=8))
DEC_20 = datetime.datetime(2026, 12, 20, 10, 0, tzinfo=TZ)
JUN_24, JUN_25 = datetime.date(2026, 6, 24), datetime.date(2026, 6, 25)


def _cell(member, day, status, reason=""):
    key = cell_key(member.pk, day)
    return {f"s-{key}": status, f"r-{key}": reason}


# --- meetings and attendance --------------------------------------------------------------------------------

def test_staff_enter_a_meeting(client_for, staff_user, city_term):
    response = client_for(staff_user).post(reverse("covenant:meeting_create"), {
        "term": city_term.pk, "number": 21, "title": "市人大常委会第二十一次会议", "start_date": "2026-08-26",
        "days": 2, "notes": ""})
    meeting = CommitteeMeeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("covenant:meeting_detail", args=[meeting.pk])
    assert (meeting.jurisdiction, meeting.days, meeting.created_by) == (city_term.jurisdiction, 2, staff_user)


def test_county_staff_cannot_enter_a_meeting_in_the_citys_term(client_for, county_staff_user, city_term):
    response = client_for(county_staff_user).post(reverse("covenant:meeting_create"), {
        "term": city_term.pk, "number": 21, "title": "会议", "start_date": "2026-08-26", "days": 1})
    assert response.status_code == 200
    assert "term" in response.context["form"].errors
    assert not CommitteeMeeting.objects.exists()


def test_the_attendance_grid_lists_the_terms_members_by_day(client_for, staff_user, city_meeting, committee,
                                                           county_committee):
    f.attend(city_meeting, committee["own"], L)
    response = client_for(staff_user).get(reverse("covenant:meeting_attendance", args=[city_meeting.pk]))
    rows = response.context["rows"]
    assert [r["member"] for r in rows] == [committee["own"], committee["other"]]  # vice director first
    assert [(c["day"], c["status"], c["reason"]) for c in rows[0]["cells"]] == [(JUN_24, L, "出差"),
                                                                                (JUN_25, "", "")]
    page = response.content.decode()
    assert f'name="s-{cell_key(committee["other"].pk, JUN_25)}"' in page
    assert f's-{cell_key(county_committee["member"].pk, JUN_24)}' not in page


def test_saving_the_grid_records_every_cell(client_for, staff_user, city_meeting, committee):
    own, other = committee["own"], committee["other"]
    data = {**_cell(own, JUN_24, P), **_cell(own, JUN_25, L, "赴京开会"), **_cell(other, JUN_24, A),
            **_cell(other, JUN_25, "")}
    response = client_for(staff_user).post(reverse("covenant:meeting_attendance", args=[city_meeting.pk]), data)
    assert response.status_code == 302
    rows = {(a.member_id, a.date): (a.status, a.leave_reason) for a in MeetingAttendance.objects.all()}
    assert rows == {(own.pk, JUN_24): (P, ""), (own.pk, JUN_25): (L, "赴京开会"), (other.pk, JUN_24): (A, "")}


def test_a_bad_grid_writes_nothing_and_marks_each_bad_cell(client_for, staff_user, city_meeting, committee):
    own, other = committee["own"], committee["other"]
    f.attend(city_meeting, other, P, P)
    before = sorted(MeetingAttendance.objects.values_list("member_id", "date", "status", "leave_reason"))
    data = {**_cell(own, JUN_24, P), **_cell(own, JUN_25, L, ""), **_cell(other, JUN_24, "bogus"),
            **_cell(other, JUN_25, A)}
    response = client_for(staff_user).post(reverse("covenant:meeting_attendance", args=[city_meeting.pk]), data)
    assert response.status_code == 200
    assert sorted(MeetingAttendance.objects.values_list("member_id", "date", "status", "leave_reason")) == before
    cells = {c["key"]: c for row in response.context["rows"] for c in row["cells"]}
    bad = {key for key, c in cells.items() if c["errors"]}
    assert bad == {cell_key(own.pk, JUN_25), cell_key(other.pk, JUN_24)}
    assert "常委甲" in cells[cell_key(own.pk, JUN_25)]["errors"][0]
    # The grid comes back as it was sent, for correcting.
    assert (cells[cell_key(other.pk, JUN_25)]["status"], cells[cell_key(own.pk, JUN_24)]["status"]) == (A, P)
    assert response.context["error_count"] == 2
    assert 'id="grid-errors"' in response.content.decode()


def test_a_forged_cell_refuses_the_grid(client_for, staff_user, city_meeting, committee, county_committee):
    data = {**_cell(committee["own"], JUN_24, P), **_cell(county_committee["member"], JUN_24, P),
            "s-12-notadate": "present"}
    response = client_for(staff_user).post(reverse("covenant:meeting_attendance", args=[city_meeting.pk]), data)
    assert response.status_code == 200
    assert response.context["error_count"] == 1  # the malformed name; parsing stops the save before the rest
    assert response.context["other_errors"]
    assert not MeetingAttendance.objects.exists()
    data.pop("s-12-notadate")
    response = client_for(staff_user).post(reverse("covenant:meeting_attendance", args=[city_meeting.pk]), data)
    assert response.status_code == 200
    assert response.context["other_errors"]  # the county member is no cell of this grid
    assert not MeetingAttendance.objects.exists()


def test_blank_cells_not_yet_recorded_can_be_recorded_as_present(client_for, staff_user, city_meeting, committee):
    own, other = committee["own"], committee["other"]
    f.attend(city_meeting, other, A, None)
    data = {**_cell(own, JUN_24, L, "出差"), **_cell(own, JUN_25, ""), **_cell(other, JUN_24, ""),
            **_cell(other, JUN_25, ""), "fill_present": "on"}
    client_for(staff_user).post(reverse("covenant:meeting_attendance", args=[city_meeting.pk]), data)
    rows = {(a.member_id, a.date): a.status for a in MeetingAttendance.objects.all()}
    # A recorded cell blanked is cleared; the unrecorded blanks become present.
    assert rows == {(own.pk, JUN_24): L, (own.pk, JUN_25): P, (other.pk, JUN_25): P}


def test_staff_record_a_speech_and_remove_it(client_for, staff_user, city_meeting, committee):
    client = client_for(staff_user)
    response = client.post(reverse("covenant:speech_create", args=[city_meeting.pk]), {
        "member": committee["other"].pk, "date": "2026-06-25", "topic": "关于供热条例的审议意见", "summary": ""})
    assert response.status_code == 302
    speech = Speech.objects.get()
    assert (speech.member, speech.date) == (committee["other"], JUN_25)
    page = client.get(reverse("covenant:meeting_detail", args=[city_meeting.pk])).content.decode()
    assert "关于供热条例的审议意见" in page
    client.post(reverse("covenant:speech_delete", args=[speech.pk]))
    assert not Speech.objects.exists()


def test_a_speech_on_a_day_not_of_the_meeting_is_refused(client_for, staff_user, city_meeting, committee):
    response = client_for(staff_user).post(reverse("covenant:speech_create", args=[city_meeting.pk]), {
        "member": committee["other"].pk, "date": "2026-06-30", "topic": "审议意见"})
    assert response.status_code == 200
    assert "date" in response.context["form"].errors
    assert not Speech.objects.exists()


# --- flags and the notice ---------------------------------------------------------------------------------------

@pytest.fixture
def flagged_year(city_term, city_meeting, committee):
    """常委甲 away both days of the meeting (flagged); 委员乙 present, spoke and raised a suggestion."""
    f.attend(city_meeting, committee["own"], A, L)
    f.attend(city_meeting, committee["other"], P, P)
    f.speech(city_meeting, committee["other"])
    f.proposal(committee["other"], year=2026)
    return committee


def test_the_flags_page_lists_every_member_and_marks_the_flagged(client_for, staff_user, flagged_year):
    with time_machine.travel(DEC_20, tick=False):
        response = client_for(staff_user).get(reverse("covenant:flags") + "?year=2026")
    rows = {r.member.person.name: r for r in response.context["rows"]}
    assert set(rows) == {"常委甲", "委员乙"}
    assert rows["常委甲"].flags == ("days_away", "no_speech", "no_proposal")
    assert rows["委员乙"].flags == ()
    assert response.context["flagged_count"] == 1
    with time_machine.travel(DEC_20, tick=False):
        response = client_for(staff_user).get(reverse("covenant:flags") + "?year=2026&flagged=1")
    assert [r.member.person.name for r in response.context["rows"]] == ["常委甲"]


@pytest.mark.parametrize("query", ["?year=0", "?year=abc", "?jurisdiction=999999", "?year=99999&jurisdiction=x"])
def test_the_flags_page_falls_back_to_this_year_for_a_bad_filter(client_for, staff_user, city, query):
    with time_machine.travel(DEC_20, tick=False):
        response = client_for(staff_user).get(reverse("covenant:flags") + query)
    assert response.status_code == 200
    assert (response.context["jurisdiction"], response.context["year"]) == (city, 2026)


def test_a_notice_is_drafted_published_and_then_frozen(client_for, staff_user, city, flagged_year):
    with time_machine.travel(DEC_20, tick=False):
        client = client_for(staff_user)
        response = client.post(reverse("covenant:notice_create"), {"jurisdiction": city.pk, "year": 2026,
                                                                   "title": "", "text": "现将情况通报如下。"})
        notice = CovenantNotice.objects.get()
        assert response["Location"] == reverse("covenant:notice_detail", args=[notice.pk])
        draft = client.get(reverse("covenant:notice_detail", args=[notice.pk]))
        assert [row["name"] for row in draft.context["rows"]] == ["常委甲"]
        client.post(reverse("covenant:notice_publish", args=[notice.pk]))
        notice.refresh_from_db()
        assert notice.is_published and notice.published_by == staff_user
        response = client.get(reverse("covenant:notice_edit", args=[notice.pk]))
        assert response.status_code == 302  # refused with a message
        client.post(reverse("covenant:notice_edit", args=[notice.pk]), {"title": "改", "text": "改"})
        notice.refresh_from_db()
        assert notice.text == "现将情况通报如下。"
        page = client.get(reverse("covenant:notice_detail", args=[notice.pk])).content.decode()
    assert 'id="notice-publish"' not in page


def test_a_second_notice_for_the_same_year_is_refused_with_a_message(client_for, staff_user, city):
    f.notice(city, 2026)
    response = client_for(staff_user).post(reverse("covenant:notice_create"), {"jurisdiction": city.pk,
                                                                              "year": 2026})
    assert response.status_code == 200
    assert "year" in response.context["form"].errors
    assert CovenantNotice.objects.count() == 1


@pytest.mark.parametrize("name, content_type", [("notice_xlsx", "spreadsheetml"), ("notice_pdf", "pdf")])
def test_the_notice_downloads_are_audited(client_for, supervisor_user, city, flagged_year, name, content_type):
    notice = f.notice(city, 2026)
    with time_machine.travel(DEC_20, tick=False):
        response = client_for(supervisor_user).get(reverse(f"covenant:{name}", args=[notice.pk]))
    assert response.status_code == 200
    assert content_type in response["Content-Type"]
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert (event.user, event.object_id) == (supervisor_user, str(notice.pk))


# --- leave and talks --------------------------------------------------------------------------------------------

def test_a_member_asks_for_leave_and_staff_approve_it(client_for, member_user, staff_user, city_meeting, committee):
    response = client_for(member_user).post(reverse("covenant:leave_create"), {
        "member": committee["own"].pk, "special_committee": committee["legal"].pk, "meeting": city_meeting.pk,
        "reason": "赴外地考察"})
    assert response.status_code == 302
    leave = LeaveRequest.objects.get()
    assert (leave.requested_by, leave.start_date, leave.end_date) == (member_user, JUN_24, JUN_25)
    response = client_for(staff_user).post(reverse("covenant:leave_decide", args=[leave.pk]),
                                           {"decision": "approve", "note": ""})
    assert response.status_code == 302
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.APPROVED
    assert set(MeetingAttendance.objects.filter(member=committee["own"]).values_list("date", "status")) == {
        (JUN_24, L), (JUN_25, L)}


def test_a_refusal_without_a_reason_stays_pending_with_the_message(client_for, staff_user, committee):
    leave = f.leave_request(committee["own"], committee["legal"])
    response = client_for(staff_user).post(reverse("covenant:leave_decide", args=[leave.pk]),
                                           {"decision": "refuse", "note": ""})
    assert response.status_code == 200
    (row, form), = [(lv, fm) for lv, fm in response.context["rows"] if lv.pk == leave.pk]
    assert "note" in form.errors
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.PENDING


def test_staff_record_and_edit_a_talk(client_for, staff_user, committee):
    with time_machine.travel(DEC_20, tick=False):
        client = client_for(staff_user)
        response = client.post(reverse("covenant:admonition_create"), {
            "member": committee["other"].pk, "date": "2026-12-01", "held_by": "常委会秘书长", "reason": "缺席会议3次",
            "record": "指出问题，提出改进要求。"})
        assert response.status_code == 302
        talk = committee["other"].admonitions.get()
        client.post(reverse("covenant:admonition_edit", args=[talk.pk]), {
            "member": committee["other"].pk, "date": "2026-12-02", "held_by": "常委会秘书长", "reason": "缺席会议3次",
            "record": "补充记录。"})
    talk.refresh_from_db()
    assert (talk.date, talk.record) == (datetime.date(2026, 12, 2), "补充记录。")


# --- the member's own page ------------------------------------------------------------------------------------

def test_a_member_sees_their_own_year(client_for, member_user, flagged_year, city_meeting):
    f.admonition(flagged_year["own"])
    f.admonition(flagged_year["other"])
    with time_machine.travel(DEC_20, tick=False):
        response = client_for(member_user).get(reverse("covenant:my_covenant") + "?year=2026")
    (term,) = response.context["terms"]
    assert term["member"] == flagged_year["own"]
    assert (term["flags"].absent_days, term["flags"].leave_days) == (1, 1)
    assert [m.meeting for m in term["meetings"]] == [city_meeting]
    assert [a.member for a in response.context["admonitions"]] == [flagged_year["own"]]
    assert "委员乙" not in response.content.decode()


# --- query counts ------------------------------------------------------------------------------------------------

def _fill(city_term, committee, n):
    members = [committee["own"], committee["other"], *[f.member(city_term, Post.MEMBER, name=f"委员{i}",
                                                                 committees=[committee["legal"]]) for i in range(n)]]
    for i in range(n):
        meeting = f.meeting(city_term, datetime.date(2026, 1 + i % 11, 10), days=2)
        for m in members:
            f.attend(meeting, m, P, L)
        f.speech(meeting, members[i])
        f.leave_request(members[i], committee["legal"], meeting_row=meeting)
        f.admonition(members[i])
    return members


LISTS = ["meeting_list", "speech_list", "flags", "notice_list", "leave_list", "admonition_list"]


@pytest.mark.parametrize("name", LISTS)
def test_the_lists_take_a_constant_number_of_queries(client_for, staff_user, city, city_term, committee, name,
                                                     django_assert_max_num_queries):
    url = reverse(f"covenant:{name}") + "?year=2026"
    _fill(city_term, committee, 2)
    f.notice(city, 2024)
    with time_machine.travel(DEC_20, tick=False):
        client = client_for(staff_user)
        client.get(url)  # the session and permissions warmed up
        with django_assert_max_num_queries(16) as small:
            client.get(url)
    _fill(city_term, committee, 8)
    f.notice(city, 2025)
    with time_machine.travel(DEC_20, tick=False), django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200


def test_the_meeting_page_and_the_grid_take_a_constant_number_of_queries(client_for, staff_user, city_term,
                                                                         committee, django_assert_max_num_queries):
    members = _fill(city_term, committee, 10)
    meeting = CommitteeMeeting.objects.order_by("pk").first()
    client = client_for(staff_user)
    for name in ("meeting_detail", "meeting_attendance"):
        url = reverse(f"covenant:{name}", args=[meeting.pk])
        client.get(url)
        with django_assert_max_num_queries(14):
            response = client.get(url)
        assert len(response.context["grid"] if name == "meeting_detail" else response.context["rows"]) == len(members)


def test_the_members_page_takes_a_constant_number_of_queries(client_for, member_user, city_term, committee,
                                                             django_assert_max_num_queries):
    _fill(city_term, committee, 10)
    with time_machine.travel(DEC_20, tick=False):
        client = client_for(member_user)
        client.get(reverse("covenant:my_covenant"))
        with django_assert_max_num_queries(20):
            response = client.get(reverse("covenant:my_covenant"))
    assert len(response.context["terms"][0]["meetings"]) == 10


# --- the grid, fuzzed ---------------------------------------------------------------------------------------------

_STATUS = st.sampled_from(["", P, L, A, "late", "出席", "x" * 300])
_REASON = st.sampled_from(["", "  ", "出差", "身体原因\u0000", "长" * 201, "<script>"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=st.lists(st.tuples(st.integers(0, 3), _STATUS, _REASON), max_size=6), fill=st.booleans())
def test_a_grid_post_is_saved_whole_or_not_at_all(client_for, staff_user, city_meeting, committee, cells, fill):
    keys = [(m, d) for m in (committee["own"], committee["other"]) for d in (JUN_24, JUN_25)]
    data = {"fill_present": "on"} if fill else {}
    for index, status, reason in cells:
        member, day = keys[index]
        data.update(_cell(member, day, status, reason))
    before = sorted(MeetingAttendance.objects.values_list("member_id", "date", "status", "leave_reason"))
    response = client_for(staff_user).post(reverse("covenant:meeting_attendance", args=[city_meeting.pk]), data)
    after = sorted(MeetingAttendance.objects.values_list("member_id", "date", "status", "leave_reason"))
    if any("\x00" in str(value) for value in data.values()):  # a NUL is refused whole by the middleware (3577adb)
        assert response.status_code == 400 and after == before
        return
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert after == before and response.context["error_count"] > 0
    else:
        for member_id, day, status, reason in after:
            assert status in (P, L, A) and (status != L or reason.strip())
