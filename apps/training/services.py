"""Writes of training: programs, sessions, materials and attendance. Keyword-only, in a transaction each.

Bad input raises ``ValidationError`` with a dict of field → messages and writes nothing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.models import AuditEvent, Jurisdiction
from apps.core.services import audit_event
from apps.core.signals import send_records_written
from apps.deputies.attendance import Attendance
from apps.deputies.participants import eligible_mandates
from apps.training.models import TrainingAttendance, TrainingMaterial, TrainingProgram, TrainingSession

PROGRAM_FIELDS = ("title", "form", "topic", "jurisdiction", "level", "organiser", "start_date", "end_date",
                  "description")
SESSION_FIELDS = ("title", "date", "hours", "lecturer", "place")


def _check_program(*, user, jurisdiction: Jurisdiction, start_date, end_date) -> None:
    errors = {}
    user_jurisdiction = getattr(user, "jurisdiction", None)
    if user_jurisdiction is None or not jurisdiction.is_within(user_jurisdiction):
        errors["jurisdiction"] = [_("Choose your own jurisdiction or one below it.")]
    if end_date and start_date and end_date < start_date:
        errors["end_date"] = [_("The end date must not be before the start date.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def program_create(*, user, title: str, form: str, topic: str, jurisdiction: Jurisdiction, level: str,
                   start_date: datetime.date, end_date: datetime.date | None = None, organiser: str = "",
                   description: str = "") -> TrainingProgram:
    """Create a training program organised by ``jurisdiction`` (the user's or one below it)."""
    _check_program(user=user, jurisdiction=jurisdiction, start_date=start_date, end_date=end_date)
    return TrainingProgram.objects.create(
        title=title, form=form, topic=topic, jurisdiction=jurisdiction, level=level, organiser=organiser,
        start_date=start_date, end_date=end_date, description=description, created_by=user)


@transaction.atomic
def program_update(*, program: TrainingProgram, user, **fields) -> TrainingProgram:
    """Change a program's details (any of ``PROGRAM_FIELDS``)."""
    unknown = set(fields) - set(PROGRAM_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    merged = {name: fields.get(name, getattr(program, name)) for name in PROGRAM_FIELDS}
    _check_program(user=user, jurisdiction=merged["jurisdiction"], start_date=merged["start_date"],
                   end_date=merged["end_date"])
    for name, value in merged.items():
        setattr(program, name, value)
    program.save()
    return program


def _check_session(*, program: TrainingProgram, date: datetime.date, hours) -> None:
    errors = {}
    if hours is None or Decimal(hours) <= 0:
        errors["hours"] = [_("Enter the hours, more than 0.")]
    if date < program.start_date or (program.end_date and date > program.end_date):
        errors["date"] = [_("The date must fall within the program's dates.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def session_create(*, program: TrainingProgram, title: str, date: datetime.date, hours, lecturer: str = "",
                   place: str = "") -> TrainingSession:
    _check_session(program=program, date=date, hours=hours)
    return TrainingSession.objects.create(program=program, title=title, date=date, hours=hours,
                                          lecturer=lecturer, place=place)


@transaction.atomic
def session_update(*, session: TrainingSession, **fields) -> TrainingSession:
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    merged = {name: fields.get(name, getattr(session, name)) for name in SESSION_FIELDS}
    _check_session(program=session.program, date=merged["date"], hours=merged["hours"])
    if merged["date"] != session.date and session.attendances.exists():
        raise ValidationError({"date": [_("Attendance is recorded for this session: remove it before moving the "
                                          "session to another date.")]})
    for name, value in merged.items():
        setattr(session, name, value)
    session.save()
    return session


@transaction.atomic
def session_delete(*, session: TrainingSession) -> None:
    """Delete a session with its attendance."""
    session.delete()


@transaction.atomic
def material_add(*, program: TrainingProgram, file, user) -> TrainingMaterial:
    """Attach a file to a program; its size and type are checked by content."""
    from apps.core.uploads import check_upload

    try:
        content_type = check_upload(file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    name = (getattr(file, "name", "") or "file").rsplit("/", 1)[-1][:200]
    return TrainingMaterial.objects.create(program=program, file=file, original_name=name,
                                           content_type=content_type, size=file.size, uploaded_by=user)


@transaction.atomic
def material_delete(*, material: TrainingMaterial) -> None:
    material.file.delete(save=False)
    material.delete()


def _check_attendance(attendance: str, reason: str, *, who: str = "") -> str | None:
    if attendance not in Attendance.values:
        return _("Choose present, on leave or absent.")
    if attendance == Attendance.LEAVE and not (reason or "").strip():
        if who:
            return _("%(name)s is on leave: enter the reason for the leave.") % {"name": who}
        return _("Enter the reason for the leave.")
    return None


@transaction.atomic
def attendance_add(*, session: TrainingSession, people: dict[int, int], attendance: str = Attendance.PRESENT,
                   leave_reasons: dict[int, str] | None = None, user,
                   attendances: dict[int, str] | None = None) -> int:
    """Record ``people`` (``{person_id: mandate_id}``) at a session in one insert; returns the rows added.

    Every mandate must belong to its person and be one the session's candidates hold (serving on its date in
    the program's jurisdiction or below). ``attendances`` overrides ``attendance`` per person (a sign-in
    sheet); a person on leave needs a reason in ``leave_reasons``. People already recorded are left as they
    are. Any error writes nothing.
    """
    leave_reasons = leave_reasons or {}
    attendances = attendances or {}
    if not people:
        raise ValidationError({"people": [_("Choose at least one deputy.")]})
    program = session.program
    valid = dict(eligible_mandates(jurisdiction=program.jurisdiction, on=session.date)
                 .filter(pk__in=list(people.values())).values_list("pk", "person_id"))
    wrong = [pid for pid, mid in people.items() if valid.get(mid) != pid]
    if wrong:
        raise ValidationError({"people": [_("%(count)s of the deputies chosen do not serve on the session's date "
                                            "in the program's jurisdiction.") % {"count": len(wrong)}]})
    errors = []
    for person_id in people:
        state = attendances.get(person_id, attendance)
        problem = _check_attendance(state, leave_reasons.get(person_id, ""))
        if problem:
            errors.append(problem)
    if errors:
        raise ValidationError({"attendance": sorted(set(errors))})
    recorded = set(session.attendances.filter(person_id__in=list(people)).values_list("person_id", flat=True))
    rows = []
    for person_id, mandate_id in people.items():
        if person_id in recorded:
            continue
        state = attendances.get(person_id, attendance)
        reason = (leave_reasons.get(person_id, "") or "").strip()[:200] if state == Attendance.LEAVE else ""
        rows.append(TrainingAttendance(session=session, person_id=person_id, mandate_id=mandate_id,
                                       attendance=state, leave_reason=reason))
    TrainingAttendance.objects.bulk_create(rows)
    send_records_written(TrainingAttendance, mandate_ids=[row.mandate_id for row in rows])  # no post_save in bulk
    if rows:
        audit_event(user=user, action=AuditEvent.Action.BULK_CHANGE, obj=session,
                    detail=f"training attendance: {len(rows)} added")
    return len(rows)


@transaction.atomic
def attendance_set(*, row: TrainingAttendance, attendance: str, leave_reason: str = "") -> TrainingAttendance:
    """Mark one row present, on leave (a reason is required) or absent."""
    problem = _check_attendance(attendance, leave_reason)
    if problem:
        raise ValidationError({"leave_reason" if attendance == Attendance.LEAVE else "attendance": [problem]})
    row.attendance = attendance
    row.leave_reason = leave_reason.strip()[:200] if attendance == Attendance.LEAVE else ""
    row.save(update_fields=["attendance", "leave_reason"])
    return row


@transaction.atomic
def attendance_remove(*, row: TrainingAttendance) -> None:
    row.delete()
