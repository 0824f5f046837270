"""Builders for the covenant tests: committee members, meetings, attendance rows, speeches and the signatures
the "no motion or suggestion" flag reads. Rows are written directly (fast, any shape); the services are tested
on their own."""

from __future__ import annotations

import datetime

from apps.committee.models import CommitteeMember, Post, SpecialCommittee
from apps.covenant.models import Admonition, CommitteeMeeting, CovenantNotice, LeaveRequest, MeetingAttendance, Speech
from apps.deputies.attendance import Attendance
from apps.proposals.models import Kind, Proposal, Signature
from tests.factories import MandateFactory, PersonFactory

START = datetime.date(2022, 1, 1)
P, L, A = Attendance.PRESENT, Attendance.LEAVE, Attendance.ABSENT


def member(term, post=Post.MEMBER, *, name=None, user=None, start_date=START, end_date=None,
           committees=()) -> CommitteeMember:
    """A committee member of ``term``'s jurisdiction, a deputy of that term (a mandate for their person)."""
    person = PersonFactory(name=name) if name else PersonFactory()
    MandateFactory(term=term, person=person)
    m = CommitteeMember.objects.create(term=term, jurisdiction=term.jurisdiction, person=person, post=post, user=user,
                                       start_date=start_date, end_date=end_date)
    if committees:
        m.special_committees.set(committees)
    return m


def special_committee(jurisdiction, name="法制委员会") -> SpecialCommittee:
    return SpecialCommittee.objects.get_or_create(jurisdiction=jurisdiction, name=name)[0]



def meeting(term, start: datetime.date, days: int = 1, *, number=None, title=None) -> CommitteeMeeting:
    if number is None:
        number = CommitteeMeeting.objects.filter(term=term).count() + 1
        while CommitteeMeeting.objects.filter(term=term, number=number).exists():
            number += 1
    return CommitteeMeeting.objects.create(jurisdiction=term.jurisdiction, term=term, number=number,
                                           title=title or f"常委会第{number}次会议", start_date=start, days=days)


def attend(meeting_row: CommitteeMeeting, member_row: CommitteeMember, *statuses: str) -> list[MeetingAttendance]:
    """Attendance on the meeting's days in order (``P``/``L``/``A``, ``None`` for a day not recorded)."""
    rows = []
    for day, status in zip(meeting_row.dates, statuses):
        if status is None:
            continue
        rows.append(MeetingAttendance.objects.create(meeting=meeting_row, member=member_row, date=day, status=status,
                                                     leave_reason="出差" if status == L else ""))
    return rows


def speech(meeting_row, member_row, *, day=None, topic="关于城市更新工作的审议意见") -> Speech:
    return Speech.objects.create(meeting=meeting_row, member=member_row, date=day or meeting_row.start_date,
                                 topic=topic)


def proposal(member_row: CommitteeMember, *, year: int, role=Signature.Role.LEAD, confirmed=True,
             state=Proposal.State.SUBMITTED, kind=Kind.SUGGESTION, jurisdiction=None) -> Proposal:
    """An item of ``year`` to the member's congress that the member's person signed (lead or co-signer)."""
    mandate = member_row.person.mandates.filter(term=member_row.term).first() or MandateFactory(
        term=member_row.term, person=member_row.person)
    item = Proposal.objects.create(kind=kind, state=state, jurisdiction=jurisdiction or member_row.jurisdiction,
                                   level=member_row.term.level, year=year, title="关于加快老旧小区改造的建议")
    Signature.objects.create(proposal=item, person=member_row.person, mandate=mandate, role=role,
                             confirmed_at=datetime.datetime(year, 3, 1, tzinfo=datetime.timezone.utc)
                             if confirmed else None)
    return item


def leave_request(member_row, committee, *, meeting_row=None, start=None, end=None, reason="出差",
                  status=LeaveRequest.Status.PENDING) -> LeaveRequest:
    start = start or (meeting_row.start_date if meeting_row else datetime.date(2026, 6, 1))
    return LeaveRequest.objects.create(member=member_row, special_committee=committee, meeting=meeting_row,
                                       occasion="" if meeting_row else "财经委全体会议", start_date=start,
                                       end_date=end or start, reason=reason, status=status)


def admonition(member_row, *, date=datetime.date(2026, 2, 1)) -> Admonition:
    return Admonition.objects.create(member=member_row, date=date, held_by="常委会秘书长", reason="缺席会议较多",
                                     record="指出问题，提出改进要求。")


def notice(jurisdiction, year=2026, **fields) -> CovenantNotice:
    fields.setdefault("title", f"{year}年度履职情况通报")
    return CovenantNotice.objects.create(jurisdiction=jurisdiction, year=year, **fields)
