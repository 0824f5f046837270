"""Writes of the staff side of activities (履职活动): types, activities, participants, attachments.

Participants are written only here: one row per person (``participation_once_per_person``) under a mandate
that belongs to them and is eligible for the activity (serving on its date in the organiser's jurisdiction or
below it). Bulk writes are audited once.
"""

from __future__ import annotations

import datetime
import os
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.activities.models import Activity, ActivityType, Attachment, Participation
from apps.core.models import AuditEvent, Jurisdiction
from apps.core.services import audit_event
from apps.core.signals import send_records_written
from apps.core.uploads import check_upload
from apps.deputies.attendance import Attendance
from apps.deputies.models import Level
from apps.deputies.participants import eligible_mandates

OUTCOME_FIELDS = ("suggestions_raised", "households_helped", "people_helped", "funds_donated")


# --- activity types ---------------------------------------------------------------------------------------

def _check_type(*, code: str, name: str, activity_type: ActivityType | None = None) -> dict:
    errors: dict[str, list[str]] = {}
    others = ActivityType.objects.exclude(pk=activity_type.pk) if activity_type else ActivityType.objects.all()
    if not code:
        errors.setdefault("code", []).append(_("Give the type a code (letters, digits, underscores)."))
    elif others.filter(code=code).exists():
        errors.setdefault("code", []).append(_("Another activity type has this code."))
    if not name:
        errors.setdefault("name", []).append(_("Give the type a name."))
    elif others.filter(name=name).exists():
        errors.setdefault("name", []).append(_("Another activity type has this name."))
    return errors


@transaction.atomic
def activity_type_create(*, code: str, name: str, has_outcomes: bool = False, is_active: bool = True,
                         position: int = 100) -> ActivityType:
    code, name = (code or "").strip(), (name or "").strip()
    if errors := _check_type(code=code, name=name):
        raise ValidationError(errors)
    return ActivityType.objects.create(code=code, name=name, has_outcomes=has_outcomes, is_active=is_active,
                                       position=position)


@transaction.atomic
def activity_type_update(*, activity_type: ActivityType, code: str, name: str, has_outcomes: bool,
                         is_active: bool, position: int) -> ActivityType:
    code, name = (code or "").strip(), (name or "").strip()
    if errors := _check_type(code=code, name=name, activity_type=activity_type):
        raise ValidationError(errors)
    activity_type.code, activity_type.name = code, name
    activity_type.has_outcomes, activity_type.is_active, activity_type.position = has_outcomes, is_active, position
    activity_type.save()
    return activity_type


# --- activities -------------------------------------------------------------------------------------------

def _in_scope(user, jurisdiction: Jurisdiction) -> bool:
    own = getattr(user, "jurisdiction", None)
    return own is not None and jurisdiction.path.startswith(own.path)


def _check_activity(*, type: ActivityType, title: str, jurisdiction: Jurisdiction, level: str,
                    start_date: datetime.date, end_date: datetime.date | None, user) -> dict:
    errors: dict[str, list[str]] = {}
    if type is None:
        errors.setdefault("type", []).append(_("Choose the type of activity."))
    if not title:
        errors.setdefault("title", []).append(_("Give the activity a title."))
    if jurisdiction is None or not _in_scope(user, jurisdiction):
        errors.setdefault("jurisdiction", []).append(_("Choose an organiser's jurisdiction within your own."))
    if level not in Level.values:
        errors.setdefault("level", []).append(_("Choose the organiser's level."))
    if start_date is None:
        errors.setdefault("start_date", []).append(_("Give the date of the activity."))
    elif end_date is not None and end_date < start_date:
        errors.setdefault("end_date", []).append(_("The end date cannot be before the start date."))
    return errors


@transaction.atomic
def activity_create(*, type: ActivityType, title: str, jurisdiction: Jurisdiction, level: str,
                    start_date: datetime.date, end_date: datetime.date | None = None, organiser: str = "",
                    place: str = "", description: str = "", user) -> Activity:
    """Record an activity organised in the user's jurisdiction (or below it)."""
    title = (title or "").strip()
    errors = _check_activity(type=type, title=title, jurisdiction=jurisdiction, level=level,
                             start_date=start_date, end_date=end_date, user=user)
    if type is not None and not type.is_active:
        errors.setdefault("type", []).append(_("This activity type is no longer in use."))
    if errors:
        raise ValidationError(errors)
    return Activity.objects.create(type=type, title=title, jurisdiction=jurisdiction, level=level,
                                   organiser=(organiser or "").strip(), start_date=start_date, end_date=end_date,
                                   place=(place or "").strip(), description=(description or "").strip(),
                                   source=Activity.Source.STAFF, created_by=user)


@transaction.atomic
def activity_update(*, activity: Activity, type: ActivityType, title: str, jurisdiction: Jurisdiction,
                    level: str, start_date: datetime.date, end_date: datetime.date | None = None,
                    organiser: str = "", place: str = "", description: str = "", user) -> Activity:
    """Change an activity. Its participants must stay eligible if the date or the organiser changes."""
    title = (title or "").strip()
    errors = _check_activity(type=type, title=title, jurisdiction=jurisdiction, level=level,
                             start_date=start_date, end_date=end_date, user=user)
    if errors:
        raise ValidationError(errors)
    if (start_date, jurisdiction.pk) != (activity.start_date, activity.jurisdiction_id):
        recorded = activity.participations.values_list("mandate_id", flat=True)
        eligible = eligible_mandates(jurisdiction=jurisdiction, on=start_date).filter(pk__in=recorded)
        stray = (activity.participations.exclude(mandate_id__in=eligible.values("pk"))
                 .select_related("person").order_by("person__name_pinyin")[:10])
        if stray:
            raise ValidationError({"start_date": _(
                "Some participants would no longer be eligible (%(names)s): remove them first, or keep the date "
                "and organiser.") % {"names": "、".join(p.person.name for p in stray)}})
    if type.has_outcomes is False and activity.type.has_outcomes and activity.participations.exclude(
            suggestions_raised=0, households_helped=0, people_helped=0, funds_donated=0).exists():
        raise ValidationError({"type": _("Participants have outcomes recorded: keep a type that records outcomes.")})
    activity.type, activity.title, activity.jurisdiction, activity.level = type, title, jurisdiction, level
    activity.start_date, activity.end_date = start_date, end_date
    activity.organiser, activity.place = (organiser or "").strip(), (place or "").strip()
    activity.description = (description or "").strip()
    activity.save()
    return activity


@transaction.atomic
def activity_delete(*, activity: Activity, user) -> None:
    """Delete an activity with its participants and attachments (a self-report's activity cannot be)."""
    if activity.self_reports.exists():
        raise ValidationError(_("This activity comes from a verified self-report and cannot be deleted."))
    files = [a.file for a in activity.attachments.all()]
    activity._history_user = user
    activity.delete()
    for f in files:
        transaction.on_commit(lambda f=f: f.storage.delete(f.name))


# --- participants -----------------------------------------------------------------------------------------

@transaction.atomic
def participants_add(*, activity: Activity, people: dict[int, int], attendance: str = Attendance.PRESENT,
                     leave_reasons: dict[int, str] | None = None, user,
                     attendances: dict[int, str] | None = None) -> int:
    """Add people ``{person_id: mandate_id}`` to an activity in one insert; those already in it are skipped.

    Every mandate must be the person's and eligible for the activity (serving on its date in the organiser's
    jurisdiction or below); otherwise nothing is added. ``attendances`` overrides ``attendance`` per person
    (a sign-in sheet); a person on leave needs a reason in ``leave_reasons``. Returns the number added.
    """
    leave_reasons = {int(k): (v or "").strip() for k, v in (leave_reasons or {}).items()}
    attendances = {int(k): v for k, v in (attendances or {}).items()}
    people = {int(p): int(m) for p, m in people.items()}
    if not people:
        raise ValidationError({"people": _("Choose at least one person to add.")})
    if attendance not in Attendance.values or any(a not in Attendance.values for a in attendances.values()):
        raise ValidationError({"attendance": _("Choose present, on leave or absent.")})

    owners = dict(eligible_mandates(jurisdiction=activity.jurisdiction, on=activity.start_date)
                  .filter(pk__in=set(people.values())).values_list("pk", "person_id"))
    strays = [p for p, m in people.items() if owners.get(m) != p]
    if strays:
        raise ValidationError({"people": _(
            "%(count)s of the people chosen hold no mandate eligible for this activity (serving on its date in "
            "the organiser's jurisdiction); nothing was added.") % {"count": len(strays)}})
    missing_reason = [p for p in people
                      if attendances.get(p, attendance) == Attendance.LEAVE and not leave_reasons.get(p)]
    if missing_reason:
        raise ValidationError({"leave_reason": _("Give the reason for leave of everyone on leave.")})

    present = set(Participation.objects.filter(activity=activity, person_id__in=list(people))
                  .values_list("person_id", flat=True))
    rows = []
    for person_id, mandate_id in people.items():
        if person_id in present:
            continue
        state = attendances.get(person_id, attendance)
        rows.append(Participation(activity=activity, person_id=person_id, mandate_id=mandate_id, attendance=state,
                                  leave_reason=leave_reasons.get(person_id, "") if state == Attendance.LEAVE else ""))
    Participation.objects.bulk_create(rows, ignore_conflicts=True)
    send_records_written(Participation, mandate_ids=[row.mandate_id for row in rows])  # no post_save in bulk
    audit_event(user=user, action=AuditEvent.Action.BULK_CHANGE, obj=activity,
                detail=f"added {len(rows)} participants ({len(people) - len(rows)} already recorded)")
    return len(rows)


def _number(value, field: str, errors: dict, *, decimal: bool = False):
    try:
        number = Decimal(str(value)) if decimal else int(value)
    except (TypeError, ValueError, ArithmeticError):
        errors.setdefault(field, []).append(_("Write a whole number, 0 or more.") if not decimal
                                            else _("Write an amount in yuan, 0 or more."))
        return None
    if number < 0:
        errors.setdefault(field, []).append(_("The number cannot be negative."))
        return None
    return number


@transaction.atomic
def participation_update(*, participation: Participation, attendance: str, leave_reason: str = "",
                         outcomes: dict | None = None, user) -> Participation:
    """Change one participant's attendance (a reason is required for leave) and, for types recording
    outcomes, their outcomes."""
    leave_reason = (leave_reason or "").strip()
    errors: dict[str, list[str]] = {}
    if attendance not in Attendance.values:
        errors.setdefault("attendance", []).append(_("Choose present, on leave or absent."))
    elif attendance == Attendance.LEAVE and not leave_reason:
        errors.setdefault("leave_reason", []).append(_("Give the reason for leave."))
    values = {}
    if outcomes:
        if not participation.activity.type.has_outcomes:
            errors.setdefault("__all__", []).append(_("This type of activity records no outcomes."))
        for field in OUTCOME_FIELDS:
            if field in outcomes:
                values[field] = _number(outcomes[field] if outcomes[field] not in (None, "") else 0, field, errors,
                                        decimal=field == "funds_donated")
    if errors:
        raise ValidationError(errors)
    participation.attendance = attendance
    participation.leave_reason = leave_reason if attendance == Attendance.LEAVE else ""
    for field, value in values.items():
        setattr(participation, field, value)
    participation.save()
    return participation


GRID_FIELDS = ("attendance", "leave_reason", *OUTCOME_FIELDS)


@transaction.atomic
def participations_save(*, activity: Activity, rows: dict[int, dict], user) -> int:
    """Save the participants grid of an activity in one go: ``rows`` maps a participation's pk to its
    ``attendance``, ``leave_reason`` and, for a type recording outcomes, the outcome fields.

    Every row is checked first; one bad row refuses the whole grid (nothing written) with a message per bad
    row naming the person, keyed ``p-<participation pk>``. Rows left out stay as they are (someone may have
    added people since the page was opened). Returns the number of rows changed; audited once.
    """
    activity = Activity.objects.select_for_update().select_related("type").get(pk=activity.pk)
    existing = {p.pk: p for p in activity.participations.select_related("person")}
    has_outcomes = activity.type.has_outcomes
    errors: dict[str, list[str]] = {}
    changed = []
    for pk, values in rows.items():
        key = f"p-{pk}"
        participation = existing.get(pk)
        if participation is None:
            errors[key] = [_("A row is no longer a participant of this activity (someone removed it); reload "
                             "the page.")]
            continue
        name = participation.person.name
        attendance = (values.get("attendance") or "").strip()
        reason = (values.get("leave_reason") or "").strip()
        row_errors: list[str] = []
        if attendance not in Attendance.values:
            row_errors.append(_("%(name)s: choose present, on leave or absent.") % {"name": name})
        elif attendance == Attendance.LEAVE and not reason:
            row_errors.append(_("%(name)s: give the reason for the leave.") % {"name": name})
        if len(reason) > 200:
            row_errors.append(_("%(name)s: the reason is too long (at most 200 characters).") % {"name": name})
        outcomes = {}
        if has_outcomes:
            field_errors: dict[str, list[str]] = {}
            for field in OUTCOME_FIELDS:
                raw = values.get(field)
                outcomes[field] = _number(raw if raw not in (None, "") else 0, field, field_errors,
                                          decimal=field == "funds_donated")
            if outcomes["funds_donated"] is not None and (
                    outcomes["funds_donated"] >= Decimal("1e12") or outcomes["funds_donated"].as_tuple().exponent < -2):
                field_errors.setdefault("funds_donated", []).append(_("Write an amount in yuan, 0 or more."))
            labels = {f: str(Participation._meta.get_field(f).verbose_name) for f in OUTCOME_FIELDS}
            for field, messages in field_errors.items():
                row_errors += [_("%(name)s: %(field)s: %(error)s") % {"name": name, "field": labels[field], "error": m}
                               for m in messages]
        if row_errors:
            errors[key] = row_errors
            continue
        new = {"attendance": attendance, "leave_reason": reason if attendance == Attendance.LEAVE else "",
               **outcomes}
        if any(getattr(participation, f) != v for f, v in new.items()):
            for f, v in new.items():
                setattr(participation, f, v)
            changed.append(participation)
    if errors:
        raise ValidationError(errors)
    if changed:
        Participation.objects.bulk_update(changed, ["attendance", "leave_reason",
                                                    *(OUTCOME_FIELDS if has_outcomes else ())])
        audit_event(user=user, action=AuditEvent.Action.BULK_CHANGE, obj=activity,
                    detail=f"participants grid: {len(changed)} rows changed")
    return len(changed)


@transaction.atomic
def participations_mark_leave(*, activity: Activity, person_ids, leave_reason: str, user) -> int:
    """Mark the chosen participants of an activity as on leave, with one reason (one update, audited)."""
    leave_reason = (leave_reason or "").strip()
    person_ids = [int(p) for p in person_ids]
    if not person_ids:
        raise ValidationError({"people": _("Tick the participants to mark as on leave.")})
    if not leave_reason:
        raise ValidationError({"leave_reason": _("Give the reason for leave.")})
    count = (Participation.objects.filter(activity=activity, person_id__in=person_ids)
             .update(attendance=Attendance.LEAVE, leave_reason=leave_reason[:200]))
    send_records_written(Participation, person_ids=person_ids)  # an update fires no post_save
    audit_event(user=user, action=AuditEvent.Action.BULK_CHANGE, obj=activity,
                detail=f"marked {count} participants as on leave")
    return count


@transaction.atomic
def participation_remove(*, participation: Participation, user) -> None:
    participation.delete()


# --- attachments ------------------------------------------------------------------------------------------

@transaction.atomic
def attachment_add(*, activity: Activity, file, kind: str = Attachment.Kind.DOCUMENT, user) -> Attachment:
    """Attach a file (checked by size and content) to an activity."""
    if kind not in Attachment.Kind.values:
        raise ValidationError({"kind": _("Choose what the file is.")})
    try:
        content_type = check_upload(file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    name = os.path.basename(getattr(file, "name", "") or "file")[:200]
    attachment = Attachment(activity=activity, kind=kind, original_name=name, content_type=content_type,
                            size=file.size, uploaded_by=user)
    attachment.file.save(name, file, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: Attachment, user) -> None:
    file = attachment.file
    attachment.delete()
    transaction.on_commit(lambda: file.storage.delete(file.name))
