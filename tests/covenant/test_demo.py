"""The covenant demo data (small scale, seeded on 26 November 2026): three years of the city committee's meetings
with attendance up to today, speeches, leave requests, talks and the two past years' published notices — with
members flagged, so that the pages have something to show."""

import datetime
from collections import Counter

import pytest
import time_machine
from django.core.management import call_command

from apps.committee.models import CommitteeMember
from apps.core.demo import DemoContext
from apps.core.models import Jurisdiction
from apps.covenant import demo as covenant_demo
from apps.covenant.models import (
    Admonition, CommitteeMeeting, CovenantNotice, LeaveRequest, MeetingAttendance, Speech,
)
from apps.covenant.selectors import flagged_rows, member_flags
from apps.deputies.attendance import Attendance
from tests.demo_seed import demo_seeded_once

TZ = datetime.timezone(datetime.timedelta(hours=8))
NOV_26 = datetime.datetime(2026, 11, 26, 10, 0, tzinfo=TZ)
TODAY = NOV_26.date()
MODELS = (CommitteeMeeting, MeetingAttendance, Speech, CovenantNotice, LeaveRequest, Admonition)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The small demo, seeded once for the module on 26 November 2026 (rolled back after its last test)."""
    with demo_seeded_once(django_db_blocker, at=NOV_26):
        yield


@pytest.fixture
def demo(seeded, db):
    """Each test reads the module's demo on 26 November 2026; what it writes is rolled back after it."""
    with time_machine.travel(NOV_26, tick=False):
        yield


def city() -> Jurisdiction:
    return Jurisdiction.objects.get(code="220100")


def counts() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.mark.smoke
def test_about_six_meetings_a_year_of_one_to_three_days(demo):
    meetings = list(CommitteeMeeting.objects.select_related("term"))
    assert Counter(m.start_date.year for m in meetings) == {2024: 6, 2025: 6, 2026: 6}
    assert {m.days for m in meetings} <= {1, 2, 3}
    assert {(m.jurisdiction, m.term.level) for m in meetings} == {(city(), "municipal")}
    assert len({(m.term_id, m.number) for m in meetings}) == len(meetings)


def test_every_member_is_recorded_on_every_day_held_and_none_later(demo):
    members = CommitteeMember.objects.filter(jurisdiction=city()).count()
    held = [(m, day) for m in CommitteeMeeting.objects.all() for day in m.dates if day <= TODAY]
    assert MeetingAttendance.objects.count() == members * len(held)
    assert not MeetingAttendance.objects.filter(date__gt=TODAY).exists()
    assert not MeetingAttendance.objects.filter(status=Attendance.LEAVE, leave_reason="").exists()
    statuses = Counter(MeetingAttendance.objects.values_list("status", flat=True))
    assert statuses[Attendance.PRESENT] > statuses[Attendance.LEAVE] > 0 and statuses[Attendance.ABSENT] > 0


def test_some_members_are_flagged_every_year_and_most_are_not(demo):
    for year in (2024, 2025, 2026):
        rows = member_flags(city(), year, today=TODAY)
        flagged = [r for r in rows if r.flagged]
        assert 0 < len(flagged) < len(rows)
        assert any({"missed_meetings", "days_away"} & set(r.flags) for r in flagged)


def test_the_past_years_notices_are_published_with_their_flagged_members(demo):
    notices = {n.year: n for n in CovenantNotice.objects.all()}
    assert set(notices) == {2024, 2025}
    for year, notice in notices.items():
        assert notice.is_published and notice.published_at.date() == datetime.date(year + 1, 1, 15)
        assert notice.snapshot == flagged_rows(city(), year, today=TODAY) != []


def test_speeches_are_made_by_members_present_that_day(demo):
    present = set(MeetingAttendance.objects.filter(status=Attendance.PRESENT)
                  .values_list("meeting_id", "member_id", "date"))
    speeches = list(Speech.objects.values_list("meeting_id", "member_id", "date"))
    assert speeches and set(speeches) <= present


def test_leave_requests_are_of_special_committee_members_and_approved_ones_match_the_leave(demo):
    requests = list(LeaveRequest.objects.select_related("member", "meeting"))
    assert Counter(r.status for r in requests)[LeaveRequest.Status.PENDING] == 1
    assert {LeaveRequest.Status.APPROVED, LeaveRequest.Status.REFUSED} <= {r.status for r in requests}
    for r in requests:
        assert r.member.special_committees.filter(pk=r.special_committee_id).exists()
        if r.status == LeaveRequest.Status.APPROVED:
            assert MeetingAttendance.objects.filter(meeting=r.meeting, member=r.member, date=r.start_date,
                                                    status=Attendance.LEAVE).exists()
            assert r.requested_at < r.decided_at and r.requested_at.date() < r.meeting.start_date


def test_talks_are_held_with_members_last_year_flagged_for_attendance(demo):
    flagged = {r.member.pk for r in member_flags(city(), 2025, today=TODAY)
               if {"missed_meetings", "days_away"} & set(r.flags)}
    talks = list(Admonition.objects.all())
    assert talks and {t.member_id for t in talks} == flagged
    assert all(t.date.year == 2026 and t.date <= TODAY for t in talks)


def test_the_covenant_reset_empties_its_tables_and_a_reseed_gives_the_same_data(demo):
    before = counts()
    with time_machine.travel(NOV_26, tick=False):
        call_command("seed_demo", scale="small", reset=True, verbosity=0)
    assert counts() == before
    covenant_demo.reset(DemoContext(scale="small"))
    assert set(counts().values()) == {0}
    assert not covenant_demo.has_data()
