"""The covenant's flags (``selectors.member_flags``) at their boundaries: 2 against 3 meetings missed, days away
exactly half against just under, speeches, motions and suggestions, days not yet held, service dates — and the
flags of a whole committee read in a constant number of queries."""

import datetime

import pytest
import time_machine

from apps.committee.models import Post
from apps.covenant.rules import Flag
from apps.covenant.selectors import member_flags
from apps.proposals.models import Kind, Proposal, Signature
from tests.covenant import factories as f
from tests.covenant.factories import A, L, P

TZ = datetime.timezone(datetime.timedelta(hours=8))
DEC_20 = datetime.datetime(2026, 12, 20, 10, 0, tzinfo=TZ)
YEAR = 2026


def _meetings(term, n, days=1):
    return [f.meeting(term, datetime.date(YEAR, month, 10), days=days) for month in range(1, n + 1)]


def _flags(city, member):
    with time_machine.travel(DEC_20, tick=False):
        (row,) = [r for r in member_flags(city, YEAR) if r.member.pk == member.pk]
    return row


@pytest.fixture
def busy(city_term):
    """A member who speaks and raised a suggestion: only the attendance flags can fire."""
    m = f.member(city_term, name="常委戊")
    f.proposal(m, year=YEAR)
    return m


@pytest.mark.parametrize("missed, flagged", [(2, False), (3, True)])
def test_three_meetings_missed_is_flagged_two_is_not(city, city_term, busy, missed, flagged):
    meetings = _meetings(city_term, 10)
    for index, m in enumerate(meetings):
        f.attend(m, busy, A if index < missed else P)
    f.speech(meetings[-1], busy)
    row = _flags(city, busy)
    assert row.missed_meetings == missed
    assert (Flag.MISSED_MEETINGS in row.flags) is flagged
    assert Flag.DAYS_AWAY not in row.flags  # 3 of 10 days is under half


def test_a_meeting_counts_as_missed_once_however_many_of_its_days_were_absent(city, city_term, busy):
    meetings = _meetings(city_term, 6, days=3)
    f.attend(meetings[0], busy, A, A, A)
    f.attend(meetings[1], busy, A, P, P)
    for m in meetings[2:]:
        f.attend(m, busy, P, P, P)
    f.speech(meetings[2], busy)
    row = _flags(city, busy)
    assert (row.missed_meetings, row.absent_days, row.meeting_days) == (2, 4, 18)
    assert Flag.MISSED_MEETINGS not in row.flags


def test_leave_is_not_missing_a_meeting(city, city_term, busy):
    meetings = _meetings(city_term, 8)
    for index, m in enumerate(meetings):
        f.attend(m, busy, L if index < 3 else P)
    f.speech(meetings[-1], busy)
    row = _flags(city, busy)
    assert (row.missed_meetings, row.leave_days) == (0, 3)
    assert row.flags == ()


@pytest.mark.parametrize("away, days, flagged", [
    (5, 10, True),   # exactly half
    (4, 10, False),  # just under
    (3, 6, True),
    (3, 7, False),
])
def test_days_away_at_least_half_of_the_meeting_days_is_flagged(city, city_term, busy, away, days, flagged):
    (m,) = _meetings(city_term, 1, days=days)
    # Leave only: no day absent without leave, so no meeting is missed and only the share can flag.
    f.attend(m, busy, *([L] * away + [P] * (days - away)))
    f.speech(m, busy, day=m.dates[-1])
    row = _flags(city, busy)
    assert (row.days_away, row.meeting_days) == (away, days)
    assert (Flag.DAYS_AWAY in row.flags) is flagged
    assert Flag.MISSED_MEETINGS not in row.flags


def test_days_away_count_leave_and_absence_together(city, city_term, busy):
    meetings = _meetings(city_term, 2, days=2)
    f.attend(meetings[0], busy, L, A)
    f.attend(meetings[1], busy, P, P)
    f.speech(meetings[1], busy)
    row = _flags(city, busy)
    assert (row.leave_days, row.absent_days, row.meeting_days) == (1, 1, 4)
    assert Flag.DAYS_AWAY in row.flags


def test_a_day_not_recorded_counts_in_the_meeting_days_but_not_as_away(city, city_term, busy):
    (m,) = _meetings(city_term, 1, days=4)
    f.attend(m, busy, L, None, None, P)
    f.speech(m, busy, day=m.dates[-1])
    row = _flags(city, busy)
    assert (row.meeting_days, row.days_away, row.present_days) == (4, 1, 1)
    assert row.flags == ()


def test_meeting_days_not_yet_held_do_not_count(city, city_term, busy):
    """On 20 December a meeting of 19–22 December has two days held; leave already recorded for the 21st and
    22nd (an approved request) judges nobody yet."""
    m = f.meeting(city_term, datetime.date(YEAR, 12, 19), days=4)
    f.attend(m, busy, P, P, L, L)
    f.speech(m, busy)
    row = _flags(city, busy)
    assert (row.meeting_days, row.present_days, row.leave_days) == (2, 2, 0)
    assert row.flags == ()


def test_only_the_days_a_member_served_count(city, city_term):
    joined = f.member(city_term, name="新委员", start_date=datetime.date(YEAR, 7, 1))
    f.proposal(joined, year=YEAR)
    before = f.meeting(city_term, datetime.date(YEAR, 3, 10), days=2)
    after = f.meeting(city_term, datetime.date(YEAR, 9, 10), days=2)
    f.attend(after, joined, P, L)
    f.speech(after, joined)
    row = _flags(city, joined)
    assert (row.meetings, row.meeting_days) == (1, 2)
    assert Flag.DAYS_AWAY in row.flags  # 1 of 2 days
    assert before.pk  # the meeting before they joined is not theirs


def test_a_member_who_left_before_the_year_is_not_listed(city, city_term):
    gone = f.member(city_term, name="已离任", end_date=datetime.date(YEAR - 1, 12, 31))
    with time_machine.travel(DEC_20, tick=False):
        assert gone.pk not in {r.member.pk for r in member_flags(city, YEAR)}


def test_never_spoke_is_flagged_only_when_a_meeting_day_was_held(city, city_term):
    silent = f.member(city_term, name="未发言")
    f.proposal(silent, year=YEAR)
    assert _flags(city, silent).flags == ()  # no meeting yet: nothing to judge
    m = f.meeting(city_term, datetime.date(YEAR, 5, 10))
    f.attend(m, silent, P)
    assert _flags(city, silent).flags == (Flag.NO_SPEECH,)
    f.speech(m, silent)
    assert _flags(city, silent).flags == ()


def test_a_speech_at_another_years_meeting_does_not_count(city, city_term):
    m_row = f.member(city_term, name="去年发言")
    f.proposal(m_row, year=YEAR)
    last_year = f.meeting(city_term, datetime.date(YEAR - 1, 11, 10))
    this_year = f.meeting(city_term, datetime.date(YEAR, 5, 10))
    f.attend(this_year, m_row, P)
    f.speech(last_year, m_row)
    assert Flag.NO_SPEECH in _flags(city, m_row).flags


@pytest.mark.parametrize("role, confirmed, state, year, counts", [
    (Signature.Role.LEAD, True, Proposal.State.SUBMITTED, YEAR, True),
    (Signature.Role.LEAD, False, Proposal.State.CLOSED, YEAR, True),  # a lead counts without confirming
    (Signature.Role.COSIGNER, True, Proposal.State.HANDLING, YEAR, True),
    (Signature.Role.COSIGNER, False, Proposal.State.SUBMITTED, YEAR, False),  # not confirmed
    (Signature.Role.LEAD, True, Proposal.State.DRAFT, YEAR, False),
    (Signature.Role.LEAD, True, Proposal.State.WITHDRAWN, YEAR, False),
    (Signature.Role.LEAD, True, Proposal.State.RETURNED, YEAR, False),
    (Signature.Role.LEAD, True, Proposal.State.CLOSED, YEAR - 1, False),  # another year
])
def test_which_motions_and_suggestions_count(city, city_term, role, confirmed, state, year, counts):
    m_row = f.member(city_term, name="提建议")
    f.proposal(m_row, year=year, role=role, confirmed=confirmed, state=state)
    row = _flags(city, m_row)
    assert (row.suggestions == 1) is counts
    assert (Flag.NO_PROPOSAL not in row.flags) is counts


def test_motions_and_suggestions_are_counted_apart(city, city_term):
    m_row = f.member(city_term, name="提议案")
    f.proposal(m_row, year=YEAR, kind=Kind.MOTION)
    f.proposal(m_row, year=YEAR)
    f.proposal(m_row, year=YEAR)
    row = _flags(city, m_row)
    assert (row.motions, row.suggestions) == (1, 2)


def test_an_item_to_another_congress_does_not_count(city, county, city_term):
    m_row = f.member(city_term, name="区建议")
    f.proposal(m_row, year=YEAR, jurisdiction=county)
    assert Flag.NO_PROPOSAL in _flags(city, m_row).flags


def test_a_county_committee_is_judged_on_its_own_meetings(city, county, city_term, county_term):
    city_member = f.member(city_term, name="市委员")
    county_member = f.member(county_term, name="区委员")
    f.attend(f.meeting(county_term, datetime.date(YEAR, 4, 1)), county_member, A)
    with time_machine.travel(DEC_20, tick=False):
        city_rows = member_flags(city, YEAR)
        county_rows = member_flags(county, YEAR)
    assert [r.member for r in city_rows] == [city_member]
    assert city_rows[0].meeting_days == 0
    assert [(r.member, r.absent_days) for r in county_rows] == [(county_member, 1)]


def test_members_are_listed_by_post_then_name(city, city_term):
    f.member(city_term, Post.MEMBER, name="阿委员")
    f.member(city_term, Post.DIRECTOR, name="主任")
    f.member(city_term, Post.SECRETARY_GENERAL, name="秘书长")
    with time_machine.travel(DEC_20, tick=False):
        assert [r.member.post for r in member_flags(city, YEAR)] == ["director", "secretary_general", "member"]


@pytest.mark.parametrize("size", [3, 12])
def test_the_flags_of_a_committee_take_five_queries_whatever_its_size(city, city_term, size,
                                                                      django_assert_num_queries):
    members = [f.member(city_term, name=f"委员{i}") for i in range(size)]
    meetings = _meetings(city_term, 4, days=2)
    for m_row in members:
        f.proposal(m_row, year=YEAR)
        for meeting_row in meetings:
            f.attend(meeting_row, m_row, P, A)
        f.speech(meetings[0], m_row)
    with time_machine.travel(DEC_20, tick=False), django_assert_num_queries(5):
        rows = member_flags(city, YEAR)
    assert len(rows) == size
    assert all(r.flags == (Flag.MISSED_MEETINGS, Flag.DAYS_AWAY) for r in rows)
