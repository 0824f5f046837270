"""Writes of the records scoring reads besides the other apps': reports to voters (述职) with the voters'
evaluation, and commendations (表彰). Staff enter them; the views check the user's scope.

Rules: a report's or commendation's date lies within the mandate (from its start to its end, if it ended) and
not in the future; the evaluations (满意 + 基本满意 + 不满意) never exceed the voters present.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from apps.deputies.models import ElectoralUnit, Mandate
from apps.scoring.models import Commendation, VoterReport

PLACE_MAX = 200
TITLE_MAX = 200
AWARDED_BY_MAX = 100
MAX_PEOPLE = 1_000_000


def _day(value: datetime.date) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _check_date(errors: dict, mandate: Mandate, date: datetime.date | None) -> None:
    if date is None:
        errors.setdefault("date", []).append(_("Give the date."))
        return
    if date > timezone.localdate():
        errors.setdefault("date", []).append(_("The date %(date)s is in the future.") % {"date": _day(date)})
    elif date < mandate.start_date or (mandate.end_date is not None and date > mandate.end_date):
        end = _day(mandate.end_date) if mandate.end_date else _("now")
        errors.setdefault("date", []).append(
            _("The date %(date)s is outside the mandate (%(start)s to %(end)s): choose a date within it.")
            % {"date": _day(date), "start": _day(mandate.start_date), "end": end})


def _clean_report(*, mandate: Mandate, date, place: str, attendance: int, satisfied: int,
                  basically_satisfied: int, unsatisfied: int, text: str, electoral_unit: ElectoralUnit | None):
    errors: dict[str, list[str]] = {}
    _check_date(errors, mandate, date)
    place = (place or "").strip()
    if not place:
        errors.setdefault("place", []).append(_("Give the place of the report."))
    elif len(place) > PLACE_MAX:
        errors.setdefault("place", []).append(_("Keep the place under %(max)s characters.") % {"max": PLACE_MAX})
    counts = {"attendance": attendance, "satisfied": satisfied, "basically_satisfied": basically_satisfied,
              "unsatisfied": unsatisfied}
    for name, value in counts.items():
        if value is None or value < 0:
            errors.setdefault(name, []).append(_("Give a number of people, 0 or more."))
        elif value > MAX_PEOPLE:
            errors.setdefault(name, []).append(_("At most %(max)s people.") % {"max": MAX_PEOPLE})
    if not errors.get("attendance") and attendance == 0:
        errors.setdefault("attendance", []).append(_("A report to voters has at least one voter present."))
    if not any(errors.get(name) for name in counts):
        evaluations = satisfied + basically_satisfied + unsatisfied
        if evaluations > attendance:
            errors.setdefault("attendance", []).append(
                _("The voters who evaluated (%(evaluations)s: satisfied, basically satisfied and unsatisfied) "
                  "cannot be more than the voters present (%(attendance)s).")
                % {"evaluations": evaluations, "attendance": attendance})
    if electoral_unit is not None and electoral_unit.level != mandate.level:
        errors.setdefault("electoral_unit", []).append(_("Choose an electoral unit of the mandate's level."))
    if errors:
        raise ValidationError(errors)
    return {"date": date, "place": place, "text": (text or "").strip(),
            "electoral_unit": electoral_unit if electoral_unit is not None else mandate.electoral_unit, **counts}


@transaction.atomic
def voter_report_create(*, user, mandate: Mandate, date: datetime.date, place: str, attendance: int,
                        satisfied: int = 0, basically_satisfied: int = 0, unsatisfied: int = 0, text: str = "",
                        electoral_unit: ElectoralUnit | None = None) -> VoterReport:
    """Record a deputy's report to voters (述职) with the voters' evaluation."""
    fields = _clean_report(mandate=mandate, date=date, place=place, attendance=attendance, satisfied=satisfied,
                           basically_satisfied=basically_satisfied, unsatisfied=unsatisfied, text=text,
                           electoral_unit=electoral_unit)
    return VoterReport.objects.create(mandate=mandate, created_by=user, **fields)


@transaction.atomic
def voter_report_update(*, user, report: VoterReport, date: datetime.date, place: str, attendance: int,
                        satisfied: int = 0, basically_satisfied: int = 0, unsatisfied: int = 0, text: str = "",
                        electoral_unit: ElectoralUnit | None = None) -> VoterReport:
    report = VoterReport.objects.select_for_update().select_related("mandate").get(pk=report.pk)
    fields = _clean_report(mandate=report.mandate, date=date, place=place, attendance=attendance,
                           satisfied=satisfied, basically_satisfied=basically_satisfied, unsatisfied=unsatisfied,
                           text=text, electoral_unit=electoral_unit)
    for name, value in fields.items():
        setattr(report, name, value)
    report.save()
    return report


@transaction.atomic
def voter_report_delete(*, user, report: VoterReport) -> None:
    """Delete a report entered by mistake (the audit log keeps the deletion)."""
    report.delete()


def _clean_commendation(*, mandate: Mandate, date, title: str, awarded_by: str) -> dict:
    errors: dict[str, list[str]] = {}
    _check_date(errors, mandate, date)
    title, awarded_by = (title or "").strip(), (awarded_by or "").strip()
    if not title:
        errors.setdefault("title", []).append(_("Give the commendation (e.g. outstanding deputy)."))
    elif len(title) > TITLE_MAX:
        errors.setdefault("title", []).append(_("Keep the commendation under %(max)s characters.")
                                              % {"max": TITLE_MAX})
    if not awarded_by:
        errors.setdefault("awarded_by", []).append(_("Give the body that awarded it."))
    elif len(awarded_by) > AWARDED_BY_MAX:
        errors.setdefault("awarded_by", []).append(_("Keep the awarding body under %(max)s characters.")
                                                   % {"max": AWARDED_BY_MAX})
    if errors:
        raise ValidationError(errors)
    return {"date": date, "title": title, "awarded_by": awarded_by}


@transaction.atomic
def commendation_create(*, user, mandate: Mandate, date: datetime.date, title: str,
                        awarded_by: str) -> Commendation:
    """Record a commendation of a deputy (a scoring bonus and part of their record)."""
    fields = _clean_commendation(mandate=mandate, date=date, title=title, awarded_by=awarded_by)
    return Commendation.objects.create(mandate=mandate, **fields)


@transaction.atomic
def commendation_update(*, user, commendation: Commendation, date: datetime.date, title: str,
                        awarded_by: str) -> Commendation:
    commendation = Commendation.objects.select_for_update().select_related("mandate").get(pk=commendation.pk)
    fields = _clean_commendation(mandate=commendation.mandate, date=date, title=title, awarded_by=awarded_by)
    for name, value in fields.items():
        setattr(commendation, name, value)
    commendation.save()
    return commendation


@transaction.atomic
def commendation_delete(*, user, commendation: Commendation) -> None:
    commendation.delete()
