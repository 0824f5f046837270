"""Every write to the roster. History (who changed what) is kept by django-simple-history."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core import locking
from apps.deputies.models import Mandate, Person, Term


@transaction.atomic
def person_create(*, data: dict) -> Person:
    person = Person(**data)
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def person_update(*, person: Person, data: dict, version: int | None = None) -> Person:
    """Change a person; with ``version`` (the one the edit form was opened on) a stale save is refused with
    ``StaleObjectError`` and nothing written (optimistic locking)."""
    for field, value in data.items():
        setattr(person, field, value)
    person.full_clean()
    locking.save_with_version(person, version=version)
    return person


def _check_mandate(mandate: Mandate) -> None:
    """The rules of a seat that forms also check, kept here so that every caller is held to them."""
    errors = {}
    term = mandate.term
    if mandate.delegation_id and mandate.delegation.term_id != term.pk:
        errors["delegation"] = _("This delegation belongs to another term.")
    if mandate.start_date and mandate.start_date < term.start_date:
        errors["start_date"] = _("The mandate cannot start before its term (%(date)s).") % {
            "date": term.start_date.strftime("%Y-%m-%d")}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def mandate_create(*, person: Person, term: Term, start_date: date, **fields) -> Mandate:
    """Give a person a seat in a term; the level and jurisdiction follow from the term."""
    if Mandate.objects.filter(person=person, term=term).exists():
        raise ValidationError(_("%(person)s already holds a mandate in %(term)s.") % {"person": person, "term": term})
    mandate = Mandate(person=person, term=term, level=term.level, jurisdiction_id=term.jurisdiction_id,
                      start_date=start_date, **fields)
    mandate.full_clean()
    _check_mandate(mandate)
    mandate.save()
    return mandate


@transaction.atomic
def mandate_update(*, mandate: Mandate, data: dict) -> Mandate:
    for field, value in data.items():
        setattr(mandate, field, value)
    if "term" in data:
        mandate.level = mandate.term.level
        mandate.jurisdiction_id = mandate.term.jurisdiction_id
    mandate.full_clean()
    _check_mandate(mandate)
    mandate.save()
    return mandate


@transaction.atomic
def mandate_end(*, mandate: Mandate, end_date: date, end_reason: str) -> Mandate:
    """End a seat (辞职, 罢免, 调离, 去世 ...); an ended mandate stays in the record."""
    mandate = Mandate.objects.select_for_update().get(pk=mandate.pk)
    if mandate.status == Mandate.Status.ENDED:
        raise ValidationError(_("This mandate has already ended."))
    if end_date < mandate.start_date:
        raise ValidationError(_("The end date is before the mandate started."))
    if end_reason not in Mandate.EndReason.values:
        raise ValidationError(_("Choose why the mandate ended."))
    mandate.status = Mandate.Status.ENDED
    mandate.end_date = end_date
    mandate.end_reason = end_reason
    mandate.save()
    return mandate


@transaction.atomic
def person_create_with_mandate(*, person_data: dict, mandate_data: dict) -> Person:
    """A new deputy is entered with their first mandate; both are written or neither."""
    person = person_create(data=person_data)
    data = dict(mandate_data)
    mandate_create(person=person, term=data.pop("term"), start_date=data.pop("start_date"), **data)
    return person
