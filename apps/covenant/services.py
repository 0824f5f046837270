"""Every write of the covenant: meetings, their attendance grid and speeches, the yearly notice, leave requests
and talks. Each service validates the rule, writes in one transaction and leaves the audit to the model
signals (or writes one summary entry for a bulk write); refusals are ``ValidationError`` with a message that
says what is wrong and what to do.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.committee.models import CommitteeMember, SpecialCommittee
from apps.core.audit import bulk_change_record
from apps.core.models import Jurisdiction
from apps.covenant import selectors
from apps.covenant.models import (
    MAX_MEETING_DAYS, Admonition, CommitteeMeeting, CovenantNotice, LeaveRequest, MeetingAttendance, Speech,
)
from apps.deputies.attendance import Attendance
from apps.deputies.models import Term

REASON_MAX = 200


def _day(value: datetime.date) -> str:
    return date_format(value) if value else ""


def _clean(text) -> str:
    """One line of text: control characters (a NUL cannot even be stored) dropped, runs of spaces made one."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in str(text or "")).split())


def cell_key(member_id: int, day: datetime.date) -> str:
    """The name of a grid cell: ``<member pk>-<yyyymmdd>``."""
    return f"{member_id}-{day:%Y%m%d}"


# --- meetings ---------------------------------------------------------------------------------------------------

def _check_meeting_fields(*, term: Term, number: int, days: int, start_date: datetime.date,
                          meeting: CommitteeMeeting | None = None) -> None:
    errors = {}
    if not 1 <= (days or 0) <= MAX_MEETING_DAYS:
        errors["days"] = _("A meeting lasts from 1 to %(max)s days.") % {"max": MAX_MEETING_DAYS}
    taken = CommitteeMeeting.objects.filter(term=term, number=number)
    if meeting is not None:
        taken = taken.exclude(pk=meeting.pk)
    if taken.exists():
        errors["number"] = _("Meeting number %(number)s of %(term)s is already entered; check the number.") % {
            "number": number, "term": term.name}
    if term.start_date and start_date < term.start_date:
        errors["start_date"] = _("The meeting cannot start before its term (%(date)s).") % {
            "date": _day(term.start_date)}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def meeting_create(*, user, term: Term, number: int, title: str, start_date: datetime.date, days: int,
                   notes: str = "") -> CommitteeMeeting:
    """A standing committee meeting of ``term`` (its jurisdiction's committee)."""
    _check_meeting_fields(term=term, number=number, days=days, start_date=start_date)
    try:
        with transaction.atomic():
            return CommitteeMeeting.objects.create(
                jurisdiction_id=term.jurisdiction_id, term=term, number=number, title=title.strip(),
                start_date=start_date, days=days, notes=notes.strip(), created_by=user)
    except IntegrityError:  # a concurrent entry of the same number
        raise ValidationError({"number": _("Meeting number %(number)s of %(term)s is already entered; check the "
                                           "number.") % {"number": number, "term": term.name}})


@transaction.atomic
def meeting_update(*, meeting: CommitteeMeeting, user, term: Term, number: int, title: str,
                   start_date: datetime.date, days: int, notes: str = "") -> CommitteeMeeting:
    """Change a meeting; its days may not move away from attendance or speeches already recorded."""
    meeting = CommitteeMeeting.objects.select_for_update().get(pk=meeting.pk)
    _check_meeting_fields(term=term, number=number, days=days, start_date=start_date, meeting=meeting)
    recorded = meeting.attendances.exists() or meeting.speeches.exists()
    if term.pk != meeting.term_id and recorded:
        raise ValidationError({"term": _("Attendance or speeches are recorded for this meeting: its term cannot "
                                         "change. Remove them first.")})
    last = start_date + datetime.timedelta(days=days - 1)
    outside = sorted({*meeting.attendances.exclude(date__range=(start_date, last)).values_list("date", flat=True),
                      *meeting.speeches.exclude(date__range=(start_date, last)).values_list("date", flat=True)})
    if outside:
        raise ValidationError({"start_date": _(
            "Attendance or speeches are recorded on %(dates)s, which would no longer be a day of the meeting. "
            "Clear them first, or keep those days.") % {"dates": "、".join(_day(d) for d in outside)}})
    meeting.term, meeting.jurisdiction_id = term, term.jurisdiction_id
    meeting.number, meeting.title, meeting.start_date, meeting.days = number, title.strip(), start_date, days
    meeting.notes = notes.strip()
    meeting.save()
    return meeting


# --- attendance -------------------------------------------------------------------------------------------------

@transaction.atomic
def attendance_save(*, meeting: CommitteeMeeting, user, entries: dict) -> tuple[int, int]:
    """Record a meeting's attendance grid in one go.

    ``entries`` maps (member pk, date) to (status, leave reason); status ``""`` clears the cell. Every cell is
    checked first: one bad cell refuses the whole grid (nothing written) with a message per bad cell, keyed by
    ``cell_key``. Returns (cells recorded or changed, cells cleared).
    """
    meeting = CommitteeMeeting.objects.select_for_update().get(pk=meeting.pk)
    members = {m.pk: m for m in selectors.meeting_members(meeting)}
    dates = set(meeting.dates)
    existing = {(a.member_id, a.date): a for a in MeetingAttendance.objects.filter(meeting=meeting)}
    statuses = set(Attendance.values)
    errors: dict[str, list[str]] = {}
    upserts, clears = [], []
    now = timezone.now()
    for (member_id, day), (status, reason) in entries.items():
        member = members.get(member_id)
        key = cell_key(member_id, day)
        status, reason = (status or "").strip(), _clean(reason)
        if member is None or day not in dates:
            errors[key] = [_("This cell is not a member and a day of this meeting; reload the page.")]
            continue
        where = {"member": member.person.name, "date": _day(day)}
        if status and status not in statuses:
            errors[key] = [_("%(member)s, %(date)s: choose present, on leave or absent.") % where]
            continue
        if status and not member.serves_on(day):
            errors[key] = [_("%(member)s did not serve on the committee on %(date)s; leave the cell blank.") % where]
            continue
        if status == Attendance.LEAVE and not reason:
            errors[key] = [_("%(member)s, %(date)s: give the reason for the leave.") % where]
            continue
        if len(reason) > REASON_MAX:
            errors[key] = [_("%(member)s, %(date)s: the reason is too long (at most %(max)s characters).") % {
                **where, "max": REASON_MAX}]
            continue
        if status != Attendance.LEAVE:
            reason = ""
        row = existing.get((member_id, day))
        if not status:
            if row is not None:
                clears.append(row.pk)
        elif row is None or (row.status, row.leave_reason) != (status, reason):
            upserts.append(MeetingAttendance(meeting=meeting, member_id=member_id, date=day, status=status,
                                             leave_reason=reason, recorded_by=user, recorded_at=now))
    if errors:
        raise ValidationError(errors)
    if clears:
        MeetingAttendance.objects.filter(pk__in=clears).delete()
    if upserts:
        MeetingAttendance.objects.bulk_create(
            upserts, update_conflicts=True, unique_fields=["meeting", "member", "date"],
            update_fields=["status", "leave_reason", "recorded_by", "recorded_at"])
    if upserts or clears:
        bulk_change_record(obj=meeting, detail=f"attendance: {len(upserts)} recorded, {len(clears)} cleared")
    return len(upserts), len(clears)


# --- speeches ---------------------------------------------------------------------------------------------------

@transaction.atomic
def speech_create(*, meeting: CommitteeMeeting, user, member: CommitteeMember, date: datetime.date, topic: str,
                  summary: str = "") -> Speech:
    """A speech by a member expected at the meeting, on a day they were not recorded away."""
    if date not in meeting.dates:
        raise ValidationError({"date": _("Choose one of the meeting's days.")})
    if member.pk not in {m.pk for m in selectors.meeting_members(meeting)}:
        raise ValidationError({"member": _("%(member)s is not a member of this meeting's committee.") % {
            "member": member.person.name}})
    away = MeetingAttendance.objects.filter(meeting=meeting, member=member, date=date,
                                            status__in=(Attendance.LEAVE, Attendance.ABSENT)).first()
    if away is not None:
        raise ValidationError({"member": _("%(member)s is recorded as %(status)s on %(date)s; correct the "
                                           "attendance first.") % {
            "member": member.person.name, "status": away.get_status_display(), "date": _day(date)}})
    topic = " ".join(topic.split())
    if not topic:
        raise ValidationError({"topic": _("Give the topic of the speech.")})
    return Speech.objects.create(meeting=meeting, member=member, date=date, topic=topic, summary=summary.strip(),
                                 created_by=user)


@transaction.atomic
def speech_delete(*, speech: Speech, user) -> None:
    speech.delete()


# --- the notice ---------------------------------------------------------------------------------------------------

def default_notice_title(jurisdiction: Jurisdiction, year: int) -> str:
    return _("Notice on the performance of the covenant by the members of the %(jurisdiction)s standing "
             "committee in %(year)s") % {"jurisdiction": jurisdiction.name, "year": year}


@transaction.atomic
def notice_create(*, jurisdiction: Jurisdiction, year: int, user, title: str = "", text: str = "") -> CovenantNotice:
    """The draft of a year's notice (one per jurisdiction and year)."""
    if not selectors.MIN_YEAR <= year <= selectors.MAX_YEAR:
        raise ValidationError({"year": _("Give a year between %(min)s and %(max)s.") % {
            "min": selectors.MIN_YEAR, "max": selectors.MAX_YEAR}})
    if CovenantNotice.objects.filter(jurisdiction=jurisdiction, year=year).exists():
        raise ValidationError({"year": _("The %(year)s notice of %(jurisdiction)s already exists; open it from "
                                         "the list.") % {"year": year, "jurisdiction": jurisdiction.name}})
    try:
        with transaction.atomic():
            return CovenantNotice.objects.create(
                jurisdiction=jurisdiction, year=year, title=title.strip() or default_notice_title(jurisdiction, year),
                text=text.strip(), created_by=user)
    except IntegrityError:
        raise ValidationError({"year": _("The %(year)s notice of %(jurisdiction)s already exists; open it from "
                                         "the list.") % {"year": year, "jurisdiction": jurisdiction.name}})


def _refuse_published(notice: CovenantNotice) -> None:
    if notice.is_published:
        raise ValidationError(_("The notice was published on %(date)s and can no longer be changed.") % {
            "date": _day(timezone.localtime(notice.published_at).date())})


@transaction.atomic
def notice_update(*, notice: CovenantNotice, user, title: str, text: str) -> CovenantNotice:
    notice = CovenantNotice.objects.select_for_update().get(pk=notice.pk)
    _refuse_published(notice)
    notice.title = title.strip() or default_notice_title(notice.jurisdiction, notice.year)
    notice.text = text.strip()
    notice.save()
    return notice


@transaction.atomic
def notice_publish(*, notice: CovenantNotice, user) -> CovenantNotice:
    """Publish the notice: the flagged members as the records show them now are frozen into it."""
    notice = CovenantNotice.objects.select_for_update().select_related("jurisdiction").get(pk=notice.pk)
    _refuse_published(notice)
    notice.snapshot = selectors.flagged_rows(notice.jurisdiction, notice.year)
    notice.status = CovenantNotice.Status.PUBLISHED
    notice.published_at = timezone.now()
    notice.published_by = user
    notice.save()
    return notice


# --- leave requests -------------------------------------------------------------------------------------------------

@transaction.atomic
def leave_request_create(*, member: CommitteeMember, special_committee: SpecialCommittee, user,
                         start_date: datetime.date | None, end_date: datetime.date | None, reason: str,
                         meeting: CommitteeMeeting | None = None, occasion: str = "") -> LeaveRequest:
    """A special committee member asks for leave from a meeting (its days by default) or for some days."""
    errors = {}
    if not member.special_committees.filter(pk=special_committee.pk).exists():
        errors["special_committee"] = _("%(member)s is not a member of %(committee)s.") % {
            "member": member.person.name, "committee": special_committee.name}
    if meeting is not None:
        if (meeting.term_id, meeting.jurisdiction_id) != (member.term_id, member.jurisdiction_id):
            errors["meeting"] = _("That meeting is not one of %(member)s's committee.") % {
                "member": member.person.name}
        start_date = start_date or meeting.start_date
        end_date = end_date or meeting.end_date
    elif not (occasion or "").strip():
        errors["occasion"] = _("Choose the committee meeting, or say what the leave is from.")
    if start_date is None:
        errors["start_date"] = _("Give the first day of the leave.")
    end_date = end_date or start_date
    if start_date and end_date and end_date < start_date:
        errors["end_date"] = _("The last day of the leave cannot be before the first.")
    if (meeting is not None and start_date and end_date and not errors
            and (end_date < meeting.start_date or start_date > meeting.end_date)):
        errors["start_date"] = _("The leave's days do not include any day of the meeting (%(start)s–%(end)s).") % {
            "start": _day(meeting.start_date), "end": _day(meeting.end_date)}
    reason = " ".join((reason or "").split())
    if not reason:
        errors["reason"] = _("Give the reason for the leave.")
    if errors:
        raise ValidationError(errors)
    return LeaveRequest.objects.create(
        member=member, special_committee=special_committee, meeting=meeting, occasion=(occasion or "").strip(),
        start_date=start_date, end_date=end_date, reason=reason[:REASON_MAX], requested_by=user)


@transaction.atomic
def leave_request_decide(*, leave_request: LeaveRequest, user, approve: bool, note: str = "") -> LeaveRequest:
    """Approve or refuse a pending request (a refusal says why). Approving a request for a committee meeting
    records the member on leave on its days within the request (a day already recorded present stays so)."""
    leave = LeaveRequest.objects.select_for_update(of=("self",)).select_related("meeting", "member").get(
        pk=leave_request.pk)
    if leave.status != LeaveRequest.Status.PENDING:
        raise ValidationError(_("This request was already decided (%(status)s).") % {
            "status": leave.get_status_display()})
    note = " ".join((note or "").split())
    if not approve and not note:
        raise ValidationError({"note": _("Say why the leave is refused.")})
    leave.status = LeaveRequest.Status.APPROVED if approve else LeaveRequest.Status.REFUSED
    leave.decided_by, leave.decided_at, leave.decision_note = user, timezone.now(), note[:REASON_MAX]
    leave.save()
    if approve and leave.meeting_id:
        _record_leave(leave, user)
    return leave


def _record_leave(leave: LeaveRequest, user) -> None:
    meeting, member = leave.meeting, leave.member
    days = [d for d in meeting.dates if leave.start_date <= d <= leave.end_date and member.serves_on(d)]
    present = set(MeetingAttendance.objects.filter(meeting=meeting, member=member, date__in=days,
                                                   status=Attendance.PRESENT).values_list("date", flat=True))
    now = timezone.now()
    rows = [MeetingAttendance(meeting=meeting, member=member, date=d, status=Attendance.LEAVE,
                              leave_reason=leave.reason, recorded_by=user, recorded_at=now)
            for d in days if d not in present]
    if rows:
        MeetingAttendance.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["meeting", "member", "date"],
            update_fields=["status", "leave_reason", "recorded_by", "recorded_at"])
        bulk_change_record(obj=meeting, detail=f"attendance: {len(rows)} on approved leave #{leave.pk}")


# --- talks --------------------------------------------------------------------------------------------------------

def _admonition_fields(*, held_by: str, reason: str, record: str) -> dict:
    fields = {"held_by": " ".join(held_by.split()), "reason": " ".join(reason.split()), "record": record.strip()}
    errors = {name: _("This field is required.") for name, value in fields.items() if not value}
    if errors:
        raise ValidationError(errors)
    return fields


@transaction.atomic
def admonition_create(*, member: CommitteeMember, user, date: datetime.date, held_by: str, reason: str,
                      record: str) -> Admonition:
    """The record of a talk (约谈) held with a member."""
    fields = _admonition_fields(held_by=held_by, reason=reason, record=record)
    if date > timezone.localdate():
        raise ValidationError({"date": _("Record a talk once it was held: the date is in the future.")})
    return Admonition.objects.create(member=member, date=date, created_by=user, **fields)


@transaction.atomic
def admonition_update(*, admonition: Admonition, user, member: CommitteeMember, date: datetime.date, held_by: str,
                      reason: str, record: str) -> Admonition:
    fields = _admonition_fields(held_by=held_by, reason=reason, record=record)
    if date > timezone.localdate():
        raise ValidationError({"date": _("Record a talk once it was held: the date is in the future.")})
    admonition.member, admonition.date = member, date
    for name, value in fields.items():
        setattr(admonition, name, value)
    admonition.save()
    return admonition
