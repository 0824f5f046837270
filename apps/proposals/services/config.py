"""Writes to the reference data staff maintain: handling rules, working-day calendar days, handling units,
categories and congress sessions.

Each service checks the domain rule and the user's scope (rows with a jurisdiction: the user's or below),
raises ``ValidationError`` with a message naming what is wrong and writes nothing then. Changes of handling
rules, categories and sessions are audited by the signals of ``apps.core.audit``; handling units keep their
history (simple-history); calendar days, which have neither, are audited here.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.core import calendar, locking
from apps.core.models import AuditEvent, CalendarDay, HandlingUnit, Jurisdiction
from apps.core.services import audit_event
from apps.deputies.models import Session, Term
from apps.proposals.models import Category, HandlingRule, Kind

RULE_FIELDS = ("clock_start", "base_months", "max_total_months", "co_opinion_months", "rehandling_months",
               "return_working_days", "rating_working_days", "min_signers")


def _in_scope(user, jurisdiction: Jurisdiction | None) -> bool:
    own = getattr(user, "jurisdiction", None)
    return jurisdiction is not None and own is not None and jurisdiction.path.startswith(own.path)


def _add(errors: dict, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


# --- handling rules -------------------------------------------------------------------------------------------

def _check_rule_values(values: dict) -> dict:
    errors: dict[str, list[str]] = {}
    if values["clock_start"] not in HandlingRule.ClockStart.values:
        _add(errors, "clock_start", _("Choose when the handling period starts."))
    for field in RULE_FIELDS[1:]:
        value = values[field]
        if value is None or value < 1:
            _add(errors, field, _("Enter a whole number of at least 1."))
    base, longest = values["base_months"], values["max_total_months"]
    if base and longest and longest < base:
        _add(errors, "max_total_months",
             _("The longest period with extensions (%(longest)s months) cannot be shorter than the handling "
               "period (%(base)s months).") % {"longest": longest, "base": base})
    return errors


@transaction.atomic
def rule_create(*, user, jurisdiction: Jurisdiction, kind: str, clock_start: str, base_months: int,
                max_total_months: int, co_opinion_months: int, rehandling_months: int, return_working_days: int,
                rating_working_days: int, min_signers: int) -> HandlingRule:
    """A handling rule for one jurisdiction and one kind of item (it applies below the jurisdiction too,
    unless a lower one has its own)."""
    values = {"clock_start": clock_start, "base_months": base_months, "max_total_months": max_total_months,
              "co_opinion_months": co_opinion_months, "rehandling_months": rehandling_months,
              "return_working_days": return_working_days, "rating_working_days": rating_working_days,
              "min_signers": min_signers}
    errors = _check_rule_values(values)
    if not _in_scope(user, jurisdiction):
        _add(errors, "jurisdiction", _("Choose your own jurisdiction or one below it."))
    if kind not in Kind.values:
        _add(errors, "kind", _("Choose motions or suggestions."))
    elif jurisdiction is not None and HandlingRule.objects.filter(jurisdiction=jurisdiction, kind=kind).exists():
        _add(errors, "kind", _("%(jurisdiction)s already has a rule for %(kind)s: edit that one.")
             % {"jurisdiction": jurisdiction, "kind": Kind(kind).label})
    if errors:
        raise ValidationError(errors)
    return HandlingRule.objects.create(jurisdiction=jurisdiction, kind=kind, **values)


@transaction.atomic
def rule_update(*, rule: HandlingRule, user, version: int | None, clock_start: str, base_months: int,
                max_total_months: int, co_opinion_months: int, rehandling_months: int, return_working_days: int,
                rating_working_days: int, min_signers: int) -> HandlingRule:
    """Change a rule's values. Deadlines already set keep the values they were computed with
    (``Deadline.rule_value``); the new values apply to deadlines set from now on.

    ``version`` is the one the form was opened on: a save after someone else's raises ``StaleObjectError``.
    """
    values = {"clock_start": clock_start, "base_months": base_months, "max_total_months": max_total_months,
              "co_opinion_months": co_opinion_months, "rehandling_months": rehandling_months,
              "return_working_days": return_working_days, "rating_working_days": rating_working_days,
              "min_signers": min_signers}
    errors = _check_rule_values(values)
    if not _in_scope(user, rule.jurisdiction):
        _add(errors, "jurisdiction", _("Choose your own jurisdiction or one below it."))
    if errors:
        raise ValidationError(errors)
    for field, value in values.items():
        setattr(rule, field, value)
    return locking.save_with_version(rule, version=version)


# --- the working-day calendar ------------------------------------------------------------------------------------

@transaction.atomic
def calendar_day_save(*, user, date: datetime.date, is_working_day: bool, name: str) -> CalendarDay:
    """Enter or change a holiday or a make-up working day (调休); staff-entered days survive a sync from the
    package unless it is told to overwrite them."""
    name = (name or "").strip()
    errors: dict[str, list[str]] = {}
    if not name:
        _add(errors, "name", _("Give the day a name, e.g. 国庆节 or 国庆节调休."))
    if errors:
        raise ValidationError(errors)
    day, created = CalendarDay.objects.update_or_create(
        date=date, defaults={"is_working_day": is_working_day, "name": name, "source": CalendarDay.Source.STAFF})
    audit_event(user=user, action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE, obj=day,
                detail=f"{'working day' if is_working_day else 'holiday'}")
    return day


@transaction.atomic
def calendar_day_delete(*, user, day: CalendarDay) -> None:
    """Remove an entry: the date follows the weekly rule again (Monday to Friday work)."""
    audit_event(user=user, action=AuditEvent.Action.DELETE, obj=day)
    day.delete()


@transaction.atomic
def calendar_sync(*, user, overwrite_staff: bool = False) -> int:
    """Write the ``chinese-calendar`` package's days into the calendar; returns the number written."""
    written = calendar.sync_from_package(overwrite_staff=overwrite_staff)
    audit_event(user=user, action=AuditEvent.Action.BULK_CHANGE,
                detail=f"core.CalendarDay: {written} days from the package"
                       + (", staff days overwritten" if overwrite_staff else ""))
    return written


# --- handling units -------------------------------------------------------------------------------------------

def _check_unit(*, user, name: str, kind: str, jurisdiction, unit: HandlingUnit | None = None) -> dict:
    errors: dict[str, list[str]] = {}
    others = HandlingUnit.objects.exclude(pk=unit.pk) if unit is not None else HandlingUnit.objects.all()
    if not name:
        _add(errors, "name", _("Give the unit's name."))
    elif others.filter(name=name).exists():
        _add(errors, "name", _("A unit named “%(name)s” is already registered.") % {"name": name})
    if kind not in HandlingUnit.Kind.values:
        _add(errors, "kind", _("Choose the kind of unit."))
    if not _in_scope(user, jurisdiction):
        _add(errors, "jurisdiction", _("Choose your own jurisdiction or one below it."))
    return errors


@transaction.atomic
def unit_create(*, user, name: str, kind: str, jurisdiction: Jurisdiction, contact_name: str = "",
                contact_phone: str = "", is_active: bool = True) -> HandlingUnit:
    name = (name or "").strip()
    if errors := _check_unit(user=user, name=name, kind=kind, jurisdiction=jurisdiction):
        raise ValidationError(errors)
    return HandlingUnit.objects.create(name=name, kind=kind, jurisdiction=jurisdiction,
                                       contact_name=(contact_name or "").strip(),
                                       contact_phone=(contact_phone or "").strip(), is_active=is_active)


@transaction.atomic
def unit_update(*, unit: HandlingUnit, user, name: str, kind: str, jurisdiction: Jurisdiction,
                contact_name: str = "", contact_phone: str = "", is_active: bool = True) -> HandlingUnit:
    """Change a unit. A unit made inactive is no longer offered for new assignments; what it holds stays
    with it."""
    name = (name or "").strip()
    if errors := _check_unit(user=user, name=name, kind=kind, jurisdiction=jurisdiction, unit=unit):
        raise ValidationError(errors)
    unit.name, unit.kind, unit.jurisdiction = name, kind, jurisdiction
    unit.contact_name, unit.contact_phone = (contact_name or "").strip(), (contact_phone or "").strip()
    unit.is_active = is_active
    unit.save()
    return unit


# --- categories -------------------------------------------------------------------------------------------------

def _check_category(*, name: str, category: Category | None = None) -> dict:
    errors: dict[str, list[str]] = {}
    others = Category.objects.exclude(pk=category.pk) if category is not None else Category.objects.all()
    if not name:
        _add(errors, "name", _("Give the category a name."))
    elif others.filter(name=name).exists():
        _add(errors, "name", _("There is already a category named “%(name)s”.") % {"name": name})
    return errors


@transaction.atomic
def category_create(*, user, name: str, position: int = 0, is_active: bool = True) -> Category:
    name = (name or "").strip()
    if errors := _check_category(name=name):
        raise ValidationError(errors)
    return Category.objects.create(name=name, position=position, is_active=is_active)


@transaction.atomic
def category_update(*, category: Category, user, name: str, position: int, is_active: bool) -> Category:
    """Rename, move or retire a category; items keep it (an inactive one is no longer offered)."""
    name = (name or "").strip()
    if errors := _check_category(name=name, category=category):
        raise ValidationError(errors)
    category.name, category.position, category.is_active = name, position, is_active
    category.save()
    return category


# --- congress sessions ------------------------------------------------------------------------------------------

def _check_session(*, user, term: Term | None, number: int | None, name: str, opens_on, closes_on,
                   session: Session | None = None) -> dict:
    errors: dict[str, list[str]] = {}
    if term is None or not _in_scope(user, term.jurisdiction):
        _add(errors, "term", _("Choose a term of your own congress or one below it."))
    if not number or number < 1:
        _add(errors, "number", _("Enter the number of the session (1 for the first)."))
    elif term is not None:
        others = Session.objects.filter(term=term, number=number)
        if session is not None:
            others = others.exclude(pk=session.pk)
        if others.exists():
            _add(errors, "number", _("%(term)s already has a session number %(number)s.")
                 % {"term": term, "number": number})
    if not name:
        _add(errors, "name", _("Give the session's name."))
    if opens_on is None:
        _add(errors, "opens_on", _("Give the opening day."))
    if closes_on is None:
        _add(errors, "closes_on", _("Give the closing day."))
    elif opens_on is not None and closes_on < opens_on:
        _add(errors, "closes_on", _("The closing day (%(closes)s) cannot be before the opening day (%(opens)s).")
             % {"closes": date_format(closes_on), "opens": date_format(opens_on)})
    return errors


@transaction.atomic
def session_create(*, user, term: Term, number: int, name: str, opens_on: datetime.date,
                   closes_on: datetime.date) -> Session:
    """A session (次会议) of a term; items raised while it sits are "during the session"."""
    name = (name or "").strip()
    if errors := _check_session(user=user, term=term, number=number, name=name, opens_on=opens_on,
                                closes_on=closes_on):
        raise ValidationError(errors)
    return Session.objects.create(term=term, number=number, name=name, opens_on=opens_on, closes_on=closes_on)


@transaction.atomic
def session_update(*, session: Session, user, number: int, name: str, opens_on: datetime.date,
                   closes_on: datetime.date) -> Session:
    """Change a session's number, name or dates (its term stays: its items belong to that congress)."""
    name = (name or "").strip()
    if errors := _check_session(user=user, term=session.term, number=number, name=name, opens_on=opens_on,
                                closes_on=closes_on, session=session):
        raise ValidationError(errors)
    session.number, session.name, session.opens_on, session.closes_on = number, name, opens_on, closes_on
    session.save()
    return session
