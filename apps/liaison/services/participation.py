"""Writes of deputies' participation in the committee's work: invitations (列席, 立法论证, 执法检查, 视察, 调研),
who was invited and attended, their opinions and what became of them, and recommendations to outside roles."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from apps.core.audit import bulk_change_record
from apps.core.services import notify
from apps.deputies.models import Person
from apps.liaison.models import Invitation, Invitee, Opinion, Recommendation


@transaction.atomic
def invitation_create(*, jurisdiction, kind: str, title: str, date: date) -> Invitation:
    invitation = Invitation(jurisdiction=jurisdiction, kind=kind, title=title.strip(), date=date)
    invitation.full_clean()
    invitation.save()
    return invitation


@transaction.atomic
def invitation_update(*, invitation: Invitation, data: dict) -> Invitation:
    for field in ("kind", "title", "date"):
        if field in data:
            setattr(invitation, field, data[field])
    invitation.title = invitation.title.strip()
    invitation.full_clean()
    invitation.save()
    return invitation


@transaction.atomic
def invitees_add(*, invitation: Invitation, people: Iterable[Person]) -> int:
    """Invite each of ``people`` not invited yet; returns how many were added."""
    Invitation.objects.select_for_update().filter(pk=invitation.pk).first()  # one writer at a time
    already = set(invitation.invitees.values_list("person_id", flat=True))
    new, seen = [], set()
    for person in people:
        pk = person.pk if isinstance(person, Person) else int(person)
        if pk in already or pk in seen:
            continue
        seen.add(pk)
        new.append(Invitee(invitation=invitation, person_id=pk))
    if new:
        bulk_create_with_history(new, Invitee)
        bulk_change_record(obj=invitation, detail=f"invited {len(new)} deputies")
    return len(new)


@transaction.atomic
def attendance_record(*, invitation: Invitation, attended_ids: Iterable[int]) -> int:
    """Mark exactly the invitees in ``attended_ids`` as present (the others absent); returns rows changed."""
    attended = {int(pk) for pk in attended_ids}
    invitees = list(Invitation.objects.select_for_update().get(pk=invitation.pk).invitees.all())
    unknown = attended - {i.pk for i in invitees}
    if unknown:
        raise ValidationError(_("Some of the deputies marked present were not invited."))
    changed = []
    for invitee in invitees:
        value = invitee.pk in attended
        if invitee.attended != value:
            invitee.attended = value
            changed.append(invitee)
    if changed:
        bulk_update_with_history(changed, Invitee, ["attended"])
        bulk_change_record(obj=invitation, detail=f"attendance changed for {len(changed)} invitees")
    return len(changed)


@transaction.atomic
def opinion_record(*, invitee: Invitee, content: str) -> Opinion:
    """Record an opinion a deputy gave; its outcome is decided later (``opinion_decide``)."""
    opinion = Opinion(invitee=invitee, content=content.strip())
    opinion.full_clean()
    opinion.save()
    return opinion


def _check_outcome(outcome: str, explanation: str) -> None:
    if outcome not in (Opinion.Outcome.ADOPTED, Opinion.Outcome.PARTLY_ADOPTED, Opinion.Outcome.NOT_ADOPTED):
        raise ValidationError({"outcome": _("Choose adopted, partly adopted or not adopted.")})
    if outcome == Opinion.Outcome.NOT_ADOPTED and not explanation:
        raise ValidationError({"explanation": _("Explain to the deputy why the opinion was not adopted.")})


@transaction.atomic
def opinion_decide(*, opinion: Opinion, outcome: str, explanation: str = "") -> Opinion:
    """Give an opinion its outcome (采纳, 部分采纳, 未采纳 with an explanation) and tell the deputy."""
    explanation = (explanation or "").strip()
    _check_outcome(outcome, explanation)
    opinion = Opinion.objects.select_for_update().select_related("invitee__invitation", "invitee__person").get(
        pk=opinion.pk)
    opinion.outcome = outcome
    opinion.explanation = explanation
    opinion.full_clean()
    opinion.save()
    _notify_outcome(opinion)
    return opinion


def _notify_outcome(opinion: Opinion) -> None:
    user = getattr(opinion.invitee.person, "user", None)
    if user is None or not user.is_active:
        return
    invitation = opinion.invitee.invitation
    title = _("Your opinion on “%(title)s”: %(outcome)s") % {
        "title": invitation.title, "outcome": opinion.get_outcome_display()}
    body = opinion.explanation or opinion.content[:200]
    notify(recipients=[user], title=title[:200], body=body, url=reverse("liaison:my_participation"))


def _check_recommendation(recommendation: Recommendation) -> None:
    if recommendation.end_date and recommendation.end_date < recommendation.start_date:
        raise ValidationError({"end_date": _("The end date is before the start date.")})


@transaction.atomic
def recommendation_create(*, person: Person, jurisdiction, role: str, organisation: str, start_date: date,
                          end_date: date | None = None) -> Recommendation:
    """Record that a deputy was recommended to an outside role (电视问政, 庭审旁听, 监督员 ...)."""
    recommendation = Recommendation(person=person, jurisdiction=jurisdiction, role=role,
                                    organisation=organisation.strip(), start_date=start_date, end_date=end_date)
    recommendation.full_clean()
    _check_recommendation(recommendation)
    recommendation.save()
    return recommendation


@transaction.atomic
def recommendation_update(*, recommendation: Recommendation, data: dict) -> Recommendation:
    for field in ("role", "organisation", "start_date", "end_date"):
        if field in data:
            setattr(recommendation, field, data[field])
    recommendation.organisation = recommendation.organisation.strip()
    recommendation.full_clean()
    _check_recommendation(recommendation)
    recommendation.save()
    return recommendation
