"""Writes of deputies' self-reports (履职登记): a deputy reports an activity with evidence; staff verify it (it
becomes an activity, or joins an existing one, with the deputy as a participant) or reject it with a reason.

Only verified self-reports count: a pending or rejected one has no participation. A person takes part in an
activity once, whatever number of mandates they hold, so verifying into an activity the deputy is already in
adds nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.activities.models import Activity, ActivityType, Attachment, Participation, SelfReport
from apps.activities.selectors import self_reports as selectors
from apps.core.models import AuditEvent
from apps.core.services import audit_event, notify
from apps.core.uploads import check_upload
from apps.deputies.attendance import Attendance
from apps.deputies.models import Person
from apps.deputies.participants import mandates_for_people

# The audit actions of the decisions (not in AuditEvent.Action yet: the lead adds them).
AUDIT_VERIFY = AuditEvent.Action.SELF_REPORT_VERIFY
AUDIT_REJECT = AuditEvent.Action.SELF_REPORT_REJECT
# A self-report carries at most this many evidence files.
MAX_EVIDENCE = 10


def _users_of(person: Person | int) -> list[User]:
    """The deputy's active account(s); notifications go nowhere if they have none."""
    return list(User.objects.filter(person=person, is_active=True))


def _kind_of(content_type: str) -> str:
    return Attachment.Kind.PHOTO if content_type.startswith("image/") else Attachment.Kind.DOCUMENT


def _checked_files(files: Iterable) -> list[tuple[object, str]]:
    """Each evidence file with its content type (read from its content), or a ValidationError on "evidence"."""
    files = [f for f in files if f]
    if len(files) > MAX_EVIDENCE:
        raise ValidationError({"evidence": _("Attach at most %(n)d files.") % {"n": MAX_EVIDENCE}})
    checked, errors = [], []
    for file in files:
        try:
            checked.append((file, check_upload(file)))
        except ValidationError as exc:
            errors += exc.messages  # each names the file
    if errors:
        raise ValidationError({"evidence": errors})
    return checked


@transaction.atomic
def self_report_create(*, person: Person, submitted_by: User, type: ActivityType, title: str,
                       start_date: datetime.date, end_date: datetime.date | None = None, place: str = "",
                       description: str, files: Iterable = ()) -> SelfReport:
    """A deputy reports an activity of theirs; it is recorded under the highest-level mandate they held on its
    date and waits for staff to verify it."""
    title, place, description = (title or "").strip(), (place or "").strip(), (description or "").strip()
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    if submitted_by.person_id != person.pk:
        raise ValidationError(_("Only the deputy themself may report their activities."))
    if type is None or not type.is_active:
        errors.setdefault("type", []).append(_("Choose the type of activity."))
    if not title:
        errors.setdefault("title", []).append(_("Give the activity a title."))
    if not description:
        errors.setdefault("description", []).append(_("Describe what you did."))
    mandate = None
    if start_date is None:
        errors.setdefault("start_date", []).append(_("Give the date of the activity."))
    elif start_date > today:
        errors.setdefault("start_date", []).append(_("The date cannot be in the future: report an activity "
                                                     "once it has taken place."))
    else:
        mandate = selectors.serving_mandate(person.pk, start_date)
        if mandate is None:
            errors.setdefault("start_date", []).append(_("You held no serving mandate on this date, so the "
                                                         "activity cannot be recorded as a deputy's activity."))
    if end_date is not None and start_date is not None:
        if end_date < start_date:
            errors.setdefault("end_date", []).append(_("The end date cannot be before the start date."))
        elif end_date > today:
            errors.setdefault("end_date", []).append(_("The end date cannot be in the future."))
    try:
        checked = _checked_files(files)
    except ValidationError as exc:
        errors.setdefault("evidence", []).extend(exc.message_dict["evidence"])
    if errors:
        raise ValidationError(errors)

    report = SelfReport(person=person, mandate=mandate, type=type, title=title, start_date=start_date,
                        end_date=end_date if end_date != start_date else None, place=place,
                        description=description, submitted_by=submitted_by)
    report._history_user = submitted_by
    report.save()
    for file, content_type in checked:  # one by one: bulk_create would not store the files
        Attachment.objects.create(self_report=report, kind=_kind_of(content_type), file=file,
                                  original_name=file.name[:200], content_type=content_type, size=file.size,
                                  uploaded_by=submitted_by)
    return report


def _locked(report: SelfReport) -> SelfReport:
    return (SelfReport.objects.select_for_update(of=("self",))
            .select_related("person", "mandate__jurisdiction", "type").get(pk=report.pk))


def _refuse_decided(report: SelfReport, user: User) -> None:
    if user.person_id and user.person_id == report.person_id:
        raise ValidationError(_("You cannot decide on your own self-report."))
    if report.status != SelfReport.Status.PENDING:
        raise ValidationError(_("This self-report has already been decided (%(status)s): it cannot be "
                                "decided again.")
                              % {"status": report.get_status_display()})


@transaction.atomic
def self_report_withdraw(*, report: SelfReport, user: User) -> None:
    """The deputy withdraws a self-report not yet decided; it and its evidence files are deleted."""
    report = _locked(report)
    if user.person_id != report.person_id:
        raise ValidationError(_("Only the deputy who reported it may withdraw a self-report."))
    if report.status != SelfReport.Status.PENDING:
        raise ValidationError(_("A self-report that has been decided can no longer be withdrawn."))
    files = [a.file for a in report.attachments.all()]
    report._history_user = user
    report.delete()
    # The files go once the rows are gone for good.
    transaction.on_commit(lambda: [f.storage.delete(f.name) for f in files if f.name])


@transaction.atomic
def self_report_verify(*, report: SelfReport, user: User, activity: Activity | None = None) -> Activity:
    """Verify a self-report: create an activity with the deputy as a participant (present), or, when staff pick
    ``activity`` (one of ``matching_activities``), add the deputy to it unless they already take part.

    The evidence files are attached to the activity too; the deputy is told.
    """
    report = _locked(report)
    _refuse_decided(report, user)
    mandate = report.mandate
    if activity is None:
        activity = Activity.objects.create(
            type=report.type, title=report.title, jurisdiction=mandate.jurisdiction, level=mandate.level,
            organiser=_("Self-reported by deputy %(name)s") % {"name": report.person.name},
            start_date=report.start_date, end_date=report.end_date, place=report.place,
            description=report.description, source=Activity.Source.SELF_REPORT, created_by=user)
        Participation.objects.create(activity=activity, person=report.person, mandate=mandate,
                                     attendance=Attendance.PRESENT)
        added = True
    else:
        if not any(a.pk == activity.pk for a in selectors.matching_activities(user, report)):
            raise ValidationError({"activity": _("Choose an activity of this type, on the reported date, "
                                                 "in your jurisdiction.")})
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        chosen = mandates_for_people([report.person_id], jurisdiction=activity.jurisdiction,
                                     level=activity.level, on=activity.start_date)
        _participation, added = Participation.objects.get_or_create(
            activity=activity, person=report.person,
            defaults={"mandate_id": chosen.get(report.person_id, mandate.pk), "attendance": Attendance.PRESENT})
    report.attachments.update(activity=activity)
    report.status = SelfReport.Status.VERIFIED
    report.activity = activity
    report.participation_added = added
    report.decided_by = user
    report.decided_at = timezone.now()
    report._history_user = user
    report.save(update_fields=["status", "activity", "participation_added", "decided_by", "decided_at"])
    audit_event(user=user, action=AUDIT_VERIFY, obj=report, detail=f"activity {activity.pk}")
    notify(recipients=_users_of(report.person), title=_("Your self-report was verified"),
           body=_("“%(title)s” now counts among your activities.") % {"title": report.title},
           url=reverse("activities:my_activities"))
    return activity


@transaction.atomic
def self_report_reject(*, report: SelfReport, user: User, reason: str) -> SelfReport:
    """Reject a self-report with a reason the deputy is told; it never counts."""
    reason = (reason or "").strip()
    report = _locked(report)
    _refuse_decided(report, user)
    if not reason:
        raise ValidationError({"reason": _("Give the reason for rejecting the self-report.")})
    report.status = SelfReport.Status.REJECTED
    report.reason = reason[:500]
    report.decided_by = user
    report.decided_at = timezone.now()
    report._history_user = user
    report.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    audit_event(user=user, action=AUDIT_REJECT, obj=report, detail=reason[:400])
    notify(recipients=_users_of(report.person), title=_("Your self-report was rejected"),
           body=f"{report.title}\n\n{reason}", url=reverse("activities:my_activities"))
    return report


def can_unverify(user: User, report: SelfReport) -> bool:
    """Whether ``user`` may reverse the verification of ``report``: staff who verify self-reports and may still
    edit its activity (the rule of the activity's edit page: the change permission and the activity in their
    jurisdiction or below)."""
    from apps.activities.selectors.activities import visible_activities

    return (report.status == SelfReport.Status.VERIFIED and report.activity_id is not None
            and user.has_perm("activities.verify_selfreport") and user.has_perm("activities.change_activity")
            and visible_activities(user).filter(pk=report.activity_id).exists())


@transaction.atomic
def self_report_unverify(*, report: SelfReport, user: User, reason: str) -> SelfReport:
    """Reverse the verification of a self-report (a mistake, evidence found wanting): it is pending again.

    What the verification added goes: the activity it created, when nobody else's record hangs on it (else only
    the deputy's participation), or the deputy's participation in the activity it was joined to, unless the
    deputy already took part before. Staff's own records are never removed. Audited with the reason; the deputy
    is told.
    """
    reason = (reason or "").strip()
    report = _locked(report)
    if user.person_id and user.person_id == report.person_id:
        raise ValidationError(_("You cannot decide on your own self-report."))
    if report.status != SelfReport.Status.VERIFIED:
        raise ValidationError(_("Only a verified self-report can have its verification reversed."))
    if not can_unverify(user, report):
        raise ValidationError(_("The activity of this self-report is outside what you may edit, so its "
                                "verification cannot be reversed by you."))
    if not reason:
        raise ValidationError({"reason": _("Give the reason for reversing the verification.")})
    activity = Activity.objects.select_for_update().get(pk=report.activity_id)
    others = activity.self_reports.exclude(pk=report.pk)
    report.attachments.update(activity=None)  # the evidence stays with the self-report
    outcome = "participation kept (recorded before the verification)"
    delete_activity = (activity.source == Activity.Source.SELF_REPORT and not others.exists()
                       and not activity.participations.exclude(person_id=report.person_id).exists())
    if not delete_activity and report.participation_added and not others.filter(
            person_id=report.person_id, status=SelfReport.Status.VERIFIED).exists():
        Participation.objects.filter(activity=activity, person_id=report.person_id).delete()
        outcome = "participation removed"
    report.status = SelfReport.Status.PENDING
    report.activity = None
    report.participation_added = False
    report.decided_by = None
    report.decided_at = None
    report._history_user = user
    report._change_reason = reason[:100]
    report.save(update_fields=["status", "activity", "participation_added", "decided_by", "decided_at"])
    if delete_activity:
        files = [a.file for a in activity.attachments.all()]
        activity._history_user = user
        activity.delete()
        transaction.on_commit(lambda: [f.storage.delete(f.name) for f in files if f.name])
        outcome = "activity deleted"
    audit_event(user=user, action=AuditEvent.Action.UPDATE, obj=report,
                detail=f"verification reversed, activity {activity.pk}: {outcome}; reason: {reason}"[:500])
    notify(recipients=_users_of(report.person), title=_("The verification of your self-report was reversed"),
           body=f"{report.title}\n\n{reason}", url=reverse("activities:self_report_detail", args=[report.pk]))
    return report
