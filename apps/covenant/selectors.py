"""Reads of the covenant: the members' yearly flags (``member_flags``, also used by the notice and the reports
batch), the meeting list and its attendance grid, a member's own year, the notice's rows.

``member_flags`` reads a jurisdiction's year in five queries whatever the number of members (members,
meetings, attendance counts per member and meeting, speech counts, motion and suggestion counts); the rules it
applies are ``apps.covenant.rules``.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.committee.models import CommitteeMember, Post, serving_q
from apps.core.models import Jurisdiction
from apps.covenant import rules
from apps.covenant.models import (
    Admonition, CommitteeMeeting, CovenantNotice, LeaveRequest, MeetingAttendance, Speech,
)
from apps.deputies.attendance import Attendance
from apps.proposals.models import Kind, Signature
from apps.proposals.rules import COUNTED_STATES

POST_ORDER = {post: index for index, post in enumerate(Post.values)}
MIN_YEAR, MAX_YEAR = 2000, 2100


def parse_year(value, default: int | None = None) -> int:
    """A year from a query string; today's year for anything else."""
    text = str(value or "")
    if text.isdigit() and len(text) == 4 and MIN_YEAR <= int(text) <= MAX_YEAR:
        return int(text)
    return default or timezone.localdate().year


def _member_sort_key(member: CommitteeMember):
    return POST_ORDER.get(member.post, len(POST_ORDER)), member.person.name_pinyin, member.pk


# --- the flags ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class MemberFlags:
    """One member's year under the covenant: the figures and the flags they raise (``rules.Flag`` values)."""

    member: CommitteeMember
    meetings: int  # meetings of the year with a day held while the member served
    meeting_days: int  # those meetings' days held while the member served
    present_days: int
    leave_days: int
    absent_days: int
    missed_meetings: int  # meetings with a day absent without leave
    speeches: int
    motions: int
    suggestions: int
    flags: tuple[str, ...] = field(default_factory=tuple)

    @property
    def days_away(self) -> int:
        return self.leave_days + self.absent_days

    @property
    def flagged(self) -> bool:
        return bool(self.flags)

    @property
    def flag_labels(self) -> list[str]:
        return [str(rules.Flag(code).label) for code in self.flags]


def year_members(jurisdiction: Jurisdiction, year: int) -> QuerySet[CommitteeMember]:
    """The jurisdiction's committee members who served at some point of ``year``."""
    return (CommitteeMember.objects.filter(jurisdiction=jurisdiction).serving_in(year)
            .select_related("person", "term"))


def member_flags(jurisdiction: Jurisdiction, year: int, *, today: datetime.date | None = None,
                 member: CommitteeMember | None = None) -> list[MemberFlags]:
    """Every member's figures and flags for ``year`` (or only ``member``'s), in post and name order.

    Meetings are those of the jurisdiction starting in ``year``; only days on or before ``today`` count (a
    meeting not yet held judges nobody), and only days while the member served, at meetings of their term.
    """
    today = today or timezone.localdate()
    members_qs = year_members(jurisdiction, year)
    if member is not None:
        members_qs = members_qs.filter(pk=member.pk)
    members = sorted(members_qs, key=_member_sort_key)
    if not members:
        return []
    member_ids = [m.pk for m in members]
    meetings = list(CommitteeMeeting.objects.filter(jurisdiction=jurisdiction, start_date__year=year)
                    .only("pk", "term_id", "start_date", "days"))
    meeting_ids = [m.pk for m in meetings]

    counts = defaultdict(dict)  # member → meeting → (present, leave, absent)
    rows = (MeetingAttendance.objects.filter(meeting_id__in=meeting_ids, member_id__in=member_ids, date__lte=today)
            .values("member_id", "meeting_id")
            .annotate(present=Count("pk", filter=Q(status=Attendance.PRESENT)),
                      leave=Count("pk", filter=Q(status=Attendance.LEAVE)),
                      absent=Count("pk", filter=Q(status=Attendance.ABSENT)))
            .order_by()) if meeting_ids else []
    for row in rows:
        counts[row["member_id"]][row["meeting_id"]] = (row["present"], row["leave"], row["absent"])
    speeches = dict(Speech.objects.filter(meeting_id__in=meeting_ids, member_id__in=member_ids)
                    .values("member_id").annotate(n=Count("pk")).order_by().values_list("member_id", "n")
                    ) if meeting_ids else {}
    signed = (Signature.objects
              .filter(person_id__in={m.person_id for m in members}, declined_at__isnull=True,
                      proposal__year=year, proposal__jurisdiction=jurisdiction,
                      proposal__state__in=COUNTED_STATES)
              .filter(Q(role=Signature.Role.LEAD) | Q(confirmed_at__isnull=False))
              .values("person_id")
              .annotate(motions=Count("proposal", filter=Q(proposal__kind=Kind.MOTION), distinct=True),
                        suggestions=Count("proposal", filter=Q(proposal__kind=Kind.SUGGESTION), distinct=True))
              .order_by())
    proposals = {row["person_id"]: (row["motions"], row["suggestions"]) for row in signed}

    result = []
    for m in members:
        held = {}
        for meeting in meetings:
            if meeting.term_id != m.term_id:
                continue
            days = sum(1 for day in meeting.dates if day <= today and m.serves_on(day))
            if days:
                held[meeting.pk] = days
        mine = counts.get(m.pk, {})
        present = sum(mine[k][0] for k in mine if k in held)
        leave = sum(mine[k][1] for k in mine if k in held)
        absent = sum(mine[k][2] for k in mine if k in held)
        missed = sum(1 for k in mine if k in held and mine[k][2])
        meeting_days = sum(held.values())
        spoke = speeches.get(m.pk, 0)
        motions, suggestions = proposals.get(m.person_id, (0, 0))
        result.append(MemberFlags(
            member=m, meetings=len(held), meeting_days=meeting_days, present_days=present, leave_days=leave,
            absent_days=absent, missed_meetings=missed, speeches=spoke, motions=motions, suggestions=suggestions,
            flags=rules.flags_for(missed_meetings=missed, days_away=leave + absent, meeting_days=meeting_days,
                                  speeches=spoke, proposals=motions + suggestions)))
    return result


def flag_row(flags: MemberFlags) -> dict:
    """A member's year as plain data: what a published notice keeps (names frozen as they were)."""
    m = flags.member
    return {
        "member_id": m.pk, "name": m.person.name, "post": m.post, "meetings": flags.meetings,
        "meeting_days": flags.meeting_days, "present_days": flags.present_days, "leave_days": flags.leave_days,
        "absent_days": flags.absent_days, "missed_meetings": flags.missed_meetings, "speeches": flags.speeches,
        "motions": flags.motions, "suggestions": flags.suggestions, "flags": list(flags.flags),
    }


def flagged_rows(jurisdiction: Jurisdiction, year: int, *, today: datetime.date | None = None) -> list[dict]:
    return [flag_row(f) for f in member_flags(jurisdiction, year, today=today) if f.flagged]


def notice_for(jurisdiction: Jurisdiction, year: int) -> CovenantNotice | None:
    return CovenantNotice.objects.filter(jurisdiction=jurisdiction, year=year).first()


def notice_rows(notice: CovenantNotice | None, jurisdiction: Jurisdiction, year: int) -> list[dict]:
    """The members a notice lists: frozen when published, else as the records show them now."""
    rows = notice.snapshot if notice is not None and notice.is_published else flagged_rows(jurisdiction, year)
    return [decorate_row(row) for row in rows]


def decorate_row(row: dict) -> dict:
    """A row with the labels a page or an export shows (post and flags)."""
    post = row.get("post", "")
    return {**row, "post_label": str(Post(post).label) if post in Post.values else post,
            "flag_labels": [str(rules.Flag(code).label) for code in row.get("flags", ()) if code in rules.Flag.values],
            "days_away": row.get("leave_days", 0) + row.get("absent_days", 0)}


# --- meetings ---------------------------------------------------------------------------------------------------

def _count(model, status=None):
    qs = model.objects.filter(meeting=OuterRef("pk"))
    if status:
        qs = qs.filter(status=status)
    return Coalesce(Subquery(qs.values("meeting").annotate(n=Count("pk")).values("n")[:1],
                             output_field=IntegerField()), Value(0))


def unrecorded_meetings(qs: QuerySet[CommitteeMeeting], today: datetime.date) -> QuerySet[CommitteeMeeting]:
    """Meetings that have begun by ``today`` with no attendance entered yet (the list's "attendance=missing")."""
    return qs.filter(start_date__lte=today).exclude(
        Exists(MeetingAttendance.objects.filter(meeting=OuterRef("pk"))))


def meeting_rows(qs: QuerySet[CommitteeMeeting]) -> QuerySet[CommitteeMeeting]:
    """A row of the meeting list: the meeting with its term and counts of days recorded and speeches."""
    return (qs.select_related("jurisdiction", "term")
            .annotate(recorded=_count(MeetingAttendance), absent=_count(MeetingAttendance, Attendance.ABSENT),
                      leave=_count(MeetingAttendance, Attendance.LEAVE), speech_count=_count(Speech))
            .order_by("-start_date", "-number", "-pk"))


def meeting_members(meeting: CommitteeMeeting) -> list[CommitteeMember]:
    """The members expected at a meeting (its term's members serving on one of its days) and anyone already
    recorded at it, in post and name order."""
    expected = (Q(term_id=meeting.term_id, jurisdiction_id=meeting.jurisdiction_id)
                & serving_q(meeting.start_date, meeting.end_date))
    recorded = Q(pk__in=MeetingAttendance.objects.filter(meeting=meeting).values("member_id"))
    members = CommitteeMember.objects.filter(expected | recorded).select_related("person")
    return sorted(members, key=_member_sort_key)


@dataclass
class GridRow:
    member: CommitteeMember
    cells: list  # [(date, MeetingAttendance | None, served on that day)]


def attendance_grid(meeting: CommitteeMeeting) -> list[GridRow]:
    """Members × days of a meeting with what is recorded (two queries)."""
    members = meeting_members(meeting)
    recorded = {(a.member_id, a.date): a for a in MeetingAttendance.objects.filter(meeting=meeting)}
    return [GridRow(member=m, cells=[(day, recorded.get((m.pk, day)), m.serves_on(day)) for day in meeting.dates])
            for m in members]


def meeting_speeches(meeting: CommitteeMeeting) -> QuerySet[Speech]:
    return meeting.speeches.select_related("member__person").order_by("date", "pk")


def speech_rows(qs: QuerySet[Speech]) -> QuerySet[Speech]:
    return qs.select_related("member__person", "meeting").order_by("-date", "-pk")


# --- a member's own year ------------------------------------------------------------------------------------

@dataclass
class MyMeeting:
    meeting: CommitteeMeeting
    days: list  # [(date, MeetingAttendance | None)]
    speeches: list


def member_year(member: CommitteeMember, year: int) -> list[MyMeeting]:
    """The year's meetings of a member's term with their attendance and speeches (three queries)."""
    meetings = list(CommitteeMeeting.objects.filter(term_id=member.term_id, jurisdiction_id=member.jurisdiction_id,
                                                    start_date__year=year).order_by("start_date", "number"))
    attendance = {(a.meeting_id, a.date): a for a in MeetingAttendance.objects.filter(member=member,
                                                                                     meeting__in=meetings)}
    speeches = defaultdict(list)
    for speech in Speech.objects.filter(member=member, meeting__in=meetings).order_by("date", "pk"):
        speeches[speech.meeting_id].append(speech)
    return [MyMeeting(meeting=m, days=[(day, attendance.get((m.pk, day))) for day in m.dates],
                      speeches=speeches[m.pk]) for m in meetings]


# --- leave requests and talks ----------------------------------------------------------------------------------

def leave_rows(qs: QuerySet[LeaveRequest]) -> QuerySet[LeaveRequest]:
    return (qs.select_related("member__person", "special_committee", "meeting", "decided_by")
            .order_by("-requested_at", "-pk"))


def admonition_rows(qs: QuerySet[Admonition]) -> QuerySet[Admonition]:
    return qs.select_related("member__person", "member__jurisdiction").order_by("-date", "-pk")


def notice_list_rows(qs: QuerySet[CovenantNotice]) -> QuerySet[CovenantNotice]:
    return qs.select_related("jurisdiction", "published_by").order_by("-year", "jurisdiction__path")
