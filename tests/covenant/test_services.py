"""The covenant's services: meetings, the attendance grid (all or nothing), speeches, the notice (frozen once
published), leave requests with their decision, talks."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from apps.core.models import AuditEvent
from apps.covenant import services
from apps.covenant.models import CovenantNotice, LeaveRequest, MeetingAttendance, Speech
from apps.covenant.services import cell_key
from tests.covenant import factories as f
from tests.covenant.factories import A, L, P

TZ = datetime.timezone(datetime.timedelta(hours=8))
DEC_20 = datetime.datetime(2026, 12, 20, 10, 0, tzinfo=TZ)
JUN_24, JUN_25 = datetime.date(2026, 6, 24), datetime.date(2026, 6, 25)


# --- meetings ---------------------------------------------------------------------------------------------------

def test_a_meeting_takes_its_jurisdiction_from_its_term(staff_user, city_term):
    meeting = services.meeting_create(user=staff_user, term=city_term, number=3, title="第三次会议",
                                      start_date=datetime.date(2026, 3, 1), days=3)
    assert meeting.jurisdiction == city_term.jurisdiction
    assert meeting.dates == [datetime.date(2026, 3, 1), datetime.date(2026, 3, 2), datetime.date(2026, 3, 3)]
    assert meeting.end_date == datetime.date(2026, 3, 3)


def test_a_meeting_number_is_taken_once_per_term(staff_user, city_term, city_meeting):
    with pytest.raises(ValidationError) as exc:
        services.meeting_create(user=staff_user, term=city_term, number=city_meeting.number, title="重复",
                                start_date=datetime.date(2026, 8, 1), days=1)
    assert "number" in exc.value.message_dict


@pytest.mark.parametrize("days", [0, 11])
def test_a_meeting_lasts_one_to_ten_days(staff_user, city_term, days):
    with pytest.raises(ValidationError) as exc:
        services.meeting_create(user=staff_user, term=city_term, number=5, title="会议",
                                start_date=datetime.date(2026, 3, 1), days=days)
    assert "days" in exc.value.message_dict


def test_a_meeting_cannot_move_away_from_attendance_recorded(staff_user, city_term, city_meeting, committee):
    f.attend(city_meeting, committee["own"], P, L)
    with pytest.raises(ValidationError) as exc:
        services.meeting_update(meeting=city_meeting, user=staff_user, term=city_term, number=20,
                                title=city_meeting.title, start_date=JUN_24, days=1)
    assert "start_date" in exc.value.message_dict
    city_meeting.refresh_from_db()
    assert city_meeting.days == 2
    services.meeting_update(meeting=city_meeting, user=staff_user, term=city_term, number=20, title="改名",
                            start_date=JUN_24, days=3)
    city_meeting.refresh_from_db()
    assert (city_meeting.days, city_meeting.title) == (3, "改名")


# --- the attendance grid --------------------------------------------------------------------------------------

def test_the_grid_records_changes_and_clears_in_one_go(staff_user, city_meeting, committee):
    own, other = committee["own"], committee["other"]
    f.attend(city_meeting, other, A, None)
    recorded, cleared = services.attendance_save(meeting=city_meeting, user=staff_user, entries={
        (own.pk, JUN_24): (P, ""), (own.pk, JUN_25): (L, "出差在外"),
        (other.pk, JUN_24): ("", ""), (other.pk, JUN_25): (A, "ignored"),
    })
    assert (recorded, cleared) == (3, 1)
    rows = {(a.member_id, a.date): (a.status, a.leave_reason) for a in MeetingAttendance.objects.all()}
    assert rows == {(own.pk, JUN_24): (P, ""), (own.pk, JUN_25): (L, "出差在外"), (other.pk, JUN_25): (A, "")}
    assert AuditEvent.objects.filter(action=AuditEvent.Action.BULK_CHANGE, object_id=str(city_meeting.pk)).exists()


def test_saving_the_same_grid_again_changes_nothing(staff_user, city_meeting, committee):
    entries = {(committee["own"].pk, JUN_24): (P, "")}
    services.attendance_save(meeting=city_meeting, user=staff_user, entries=entries)
    assert services.attendance_save(meeting=city_meeting, user=staff_user, entries=entries) == (0, 0)


def test_one_bad_cell_refuses_the_whole_grid_with_a_message_per_bad_cell(staff_user, city_meeting, committee,
                                                                         county_committee):
    own, other, stranger = committee["own"], committee["other"], county_committee["member"]
    f.attend(city_meeting, other, P, P)
    before = sorted(MeetingAttendance.objects.values_list("member_id", "date", "status"))
    with pytest.raises(ValidationError) as exc:
        services.attendance_save(meeting=city_meeting, user=staff_user, entries={
            (own.pk, JUN_24): (P, ""),                              # good
            (own.pk, JUN_25): (L, "  "),                            # leave without a reason
            (other.pk, JUN_24): ("late", ""),                       # not a status
            (other.pk, JUN_25): (L, "长" * 201),                    # reason too long
            (stranger.pk, JUN_24): (P, ""),                         # not a member of this committee
            (own.pk, datetime.date(2026, 6, 26)): (P, ""),          # not a day of the meeting
        })
    assert set(exc.value.message_dict) == {
        cell_key(own.pk, JUN_25), cell_key(other.pk, JUN_24), cell_key(other.pk, JUN_25),
        cell_key(stranger.pk, JUN_24), cell_key(own.pk, datetime.date(2026, 6, 26))}
    assert "常委甲" in exc.value.message_dict[cell_key(own.pk, JUN_25)][0]
    assert sorted(MeetingAttendance.objects.values_list("member_id", "date", "status")) == before


def test_control_characters_are_dropped_from_a_leave_reason(staff_user, city_meeting, committee):
    services.attendance_save(meeting=city_meeting, user=staff_user,
                             entries={(committee["own"].pk, JUN_24): (L, "出差\x00\t在外")})
    assert MeetingAttendance.objects.get().leave_reason == "出差 在外"
    with pytest.raises(ValidationError):
        services.attendance_save(meeting=city_meeting, user=staff_user,
                                 entries={(committee["own"].pk, JUN_25): (L, "\x00\x01")})


def test_a_member_cannot_be_recorded_on_a_day_they_did_not_serve(staff_user, city_term, city_meeting):
    later = f.member(city_term, name="新委员", start_date=JUN_25)
    with pytest.raises(ValidationError) as exc:
        services.attendance_save(meeting=city_meeting, user=staff_user, entries={(later.pk, JUN_24): (P, "")})
    assert list(exc.value.message_dict) == [cell_key(later.pk, JUN_24)]
    services.attendance_save(meeting=city_meeting, user=staff_user, entries={(later.pk, JUN_25): (P, "")})
    assert MeetingAttendance.objects.get().member == later


# --- speeches ---------------------------------------------------------------------------------------------------

def test_a_speech_is_recorded_on_a_day_of_the_meeting(staff_user, city_meeting, committee):
    speech = services.speech_create(meeting=city_meeting, user=staff_user, member=committee["own"], date=JUN_25,
                                    topic="  关于 物业条例的 审议意见 ")
    assert (speech.topic, speech.created_by) == ("关于 物业条例的 审议意见", staff_user)
    with pytest.raises(ValidationError):
        services.speech_create(meeting=city_meeting, user=staff_user, member=committee["own"],
                               date=datetime.date(2026, 6, 30), topic="x")


def test_a_member_away_that_day_cannot_have_spoken(staff_user, city_meeting, committee, county_committee):
    f.attend(city_meeting, committee["own"], L, P)
    with pytest.raises(ValidationError) as exc:
        services.speech_create(meeting=city_meeting, user=staff_user, member=committee["own"], date=JUN_24,
                               topic="审议意见")
    assert "member" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.speech_create(meeting=city_meeting, user=staff_user, member=county_committee["member"],
                               date=JUN_24, topic="审议意见")
    assert not Speech.objects.exists()


# --- the notice ---------------------------------------------------------------------------------------------------

def test_publishing_freezes_the_flagged_members(staff_user, city, city_term, city_meeting, committee):
    own, other = committee["own"], committee["other"]
    f.attend(city_meeting, own, A, A)  # away both days: flagged
    f.attend(city_meeting, other, P, P)
    f.speech(city_meeting, other)
    f.proposal(other, year=2026)
    with time_machine.travel(DEC_20, tick=False):
        notice = services.notice_create(jurisdiction=city, year=2026, user=staff_user)
        assert notice.title == services.default_notice_title(city, 2026)
        services.notice_publish(notice=notice, user=staff_user)
    notice.refresh_from_db()
    assert notice.status == CovenantNotice.Status.PUBLISHED
    assert [row["name"] for row in notice.snapshot] == ["常委甲"]
    assert notice.snapshot[0]["flags"] == ["days_away", "no_speech", "no_proposal"]
    # A later correction of the records does not change the published notice.
    MeetingAttendance.objects.filter(member=own).update(status=P)
    notice.refresh_from_db()
    assert [row["name"] for row in notice.snapshot] == ["常委甲"]


def test_a_published_notice_cannot_be_edited_or_published_again(staff_user, city):
    with time_machine.travel(DEC_20, tick=False):
        notice = services.notice_create(jurisdiction=city, year=2026, user=staff_user, title="通报", text="正文")
        services.notice_publish(notice=notice, user=staff_user)
        with pytest.raises(ValidationError):
            services.notice_update(notice=notice, user=staff_user, title="改", text="改")
        with pytest.raises(ValidationError):
            services.notice_publish(notice=notice, user=staff_user)
    notice.refresh_from_db()
    assert (notice.title, notice.text) == ("通报", "正文")


def test_one_notice_per_committee_and_year(staff_user, city):
    services.notice_create(jurisdiction=city, year=2025, user=staff_user)
    with pytest.raises(ValidationError) as exc:
        services.notice_create(jurisdiction=city, year=2025, user=staff_user)
    assert "year" in exc.value.message_dict
    assert CovenantNotice.objects.count() == 1


# --- leave requests ---------------------------------------------------------------------------------------------

def test_a_leave_request_for_a_meeting_takes_its_days_by_default(member_user, city_meeting, committee):
    leave = services.leave_request_create(member=committee["own"], special_committee=committee["legal"],
                                          user=member_user, meeting=city_meeting, start_date=None, end_date=None,
                                          reason="赴外地学习")
    assert (leave.start_date, leave.end_date, leave.status) == (JUN_24, JUN_25, LeaveRequest.Status.PENDING)


def test_a_leave_request_is_refused_for_a_committee_the_member_is_not_in(staff_user, city, committee):
    finance = f.special_committee(city, "财政经济委员会")
    with pytest.raises(ValidationError) as exc:
        services.leave_request_create(member=committee["own"], special_committee=finance, user=staff_user,
                                      occasion="财经委全体会议", start_date=JUN_24, end_date=None, reason="出差")
    assert "special_committee" in exc.value.message_dict


@pytest.mark.parametrize("fields, field", [
    ({"occasion": "", "start_date": JUN_24, "reason": "出差"}, "occasion"),
    ({"occasion": "全体会议", "start_date": None, "reason": "出差"}, "start_date"),
    ({"occasion": "全体会议", "start_date": JUN_25, "end_date": JUN_24, "reason": "出差"}, "end_date"),
    ({"occasion": "全体会议", "start_date": JUN_24, "reason": "  "}, "reason"),
])
def test_a_leave_request_says_what_is_missing(staff_user, committee, fields, field):
    fields.setdefault("end_date", None)
    with pytest.raises(ValidationError) as exc:
        services.leave_request_create(member=committee["own"], special_committee=committee["legal"],
                                      user=staff_user, **fields)
    assert field in exc.value.message_dict
    assert not LeaveRequest.objects.exists()


def test_approving_a_meeting_leave_records_the_leave_but_keeps_a_day_present(staff_user, city_meeting, committee):
    own = committee["own"]
    f.attend(city_meeting, own, P, None)
    leave = f.leave_request(own, committee["legal"], meeting_row=city_meeting, end=JUN_25, reason="出国访问")
    services.leave_request_decide(leave_request=leave, user=staff_user, approve=True)
    leave.refresh_from_db()
    assert (leave.status, leave.decided_by) == (LeaveRequest.Status.APPROVED, staff_user)
    rows = {a.date: (a.status, a.leave_reason) for a in MeetingAttendance.objects.filter(member=own)}
    assert rows == {JUN_24: (P, ""), JUN_25: (L, "出国访问")}


def test_a_refusal_says_why_and_a_decided_request_is_not_decided_again(staff_user, committee):
    leave = f.leave_request(committee["own"], committee["legal"])
    with pytest.raises(ValidationError) as exc:
        services.leave_request_decide(leave_request=leave, user=staff_user, approve=False, note="")
    assert "note" in exc.value.message_dict
    services.leave_request_decide(leave_request=leave, user=staff_user, approve=False, note="请安排出席")
    with pytest.raises(ValidationError):
        services.leave_request_decide(leave_request=leave, user=staff_user, approve=True)
    leave.refresh_from_db()
    assert (leave.status, leave.decision_note) == (LeaveRequest.Status.REFUSED, "请安排出席")
    assert not MeetingAttendance.objects.exists()


# --- talks --------------------------------------------------------------------------------------------------------

def test_a_talk_is_recorded_once_held(staff_user, committee):
    with time_machine.travel(DEC_20, tick=False):
        talk = services.admonition_create(member=committee["other"], user=staff_user, date=datetime.date(2026, 12, 1),
                                          held_by="常委会秘书长", reason="缺席会议3次", record="指出问题。")
        assert talk.created_by == staff_user
        with pytest.raises(ValidationError):
            services.admonition_create(member=committee["other"], user=staff_user,
                                       date=datetime.date(2026, 12, 21), held_by="秘书长", reason="缺席",
                                       record="记录")
        with pytest.raises(ValidationError) as exc:
            services.admonition_update(admonition=talk, user=staff_user, member=committee["other"],
                                       date=datetime.date(2026, 12, 1), held_by="", reason="缺席", record="记录")
    assert "held_by" in exc.value.message_dict
