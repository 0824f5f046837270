"""Writes of work stations (代表工作站), reception days (接待日) and voter visits (选民来访).

Rules kept here:
- a station's deputies hold a serving mandate in the station's jurisdiction or below;
- the deputies on duty on a reception day, and those present at a visit, are deputies attached to the station
  (attach them to the station first): the station's list is the one staff keep, and it keeps the choice short;
- a visit is open, then being followed up (who, what, by when), then closed with the result told back to the
  visitor; a closed visit is not changed again.

Changes of records are kept by django-simple-history (``_history_user`` names who made them); showing a
visitor's unmasked phone is an audit event, recorded by the view that shows it.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _, pgettext

from apps.accounts.models import User
from apps.core import roles
from apps.core.models import Jurisdiction
from apps.core.services import notify
from apps.deputies.models import Mandate, Person
from apps.deputies.validators import normalize_phone, validate_phone
from apps.stations.models import ReceptionDay, Station, VoterVisit

# The reminder goes out the day before a reception day.
REMIND_DAYS_BEFORE = 1


def _names(people: Iterable[Person]) -> str:
    return pgettext("list separator", ", ").join(p.name for p in people)


def _unique(people: Iterable[Person] | None) -> list[Person]:
    return list({p.pk: p for p in people or ()}.values())


def _phone(value: str, field: str, errors: dict) -> str:
    phone = normalize_phone(value)
    try:
        validate_phone(phone)
    except ValidationError as exc:
        errors.setdefault(field, []).extend(exc.messages)
    return phone


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


# --- stations -----------------------------------------------------------------------------------------------

def _check_station(*, station_pk, name, jurisdiction, address, responsible_name, responsible_phone, deputies,
                   errors) -> tuple[str, str]:
    from apps.stations.selectors import serving_people

    if not name:
        errors.setdefault("name", []).append(_("Write the station's name."))
    if jurisdiction is None:
        errors.setdefault("jurisdiction", []).append(_("Choose the station's jurisdiction."))
    elif name and Station.objects.filter(jurisdiction=jurisdiction, name=name).exclude(pk=station_pk).exists():
        errors.setdefault("name", []).append(_("This jurisdiction already has a station of that name."))
    if not address:
        errors.setdefault("address", []).append(_("Write the station's address."))
    if not responsible_name:
        errors.setdefault("responsible_name", []).append(_("Write the name of the person responsible."))
    phone = _phone(responsible_phone, "responsible_phone", errors)
    if jurisdiction is not None and deputies:
        serving = set(serving_people(jurisdiction.path).filter(pk__in=[p.pk for p in deputies])
                      .values_list("pk", flat=True))
        strangers = [p for p in deputies if p.pk not in serving]
        if strangers:
            errors.setdefault("deputies", []).append(
                _("Not serving in %(jurisdiction)s or below: %(names)s.")
                % {"jurisdiction": jurisdiction.name, "names": _names(strangers)})
    return name, phone


@transaction.atomic
def station_create(*, name: str, jurisdiction: Jurisdiction | None, address: str, responsible_name: str,
                   community: str = "", responsible_phone: str = "", deputies: Iterable[Person] = (),
                   is_active: bool = True, user: User | None = None) -> Station:
    """A new station with the deputies attached to it."""
    name, address, community = (name or "").strip(), (address or "").strip(), (community or "").strip()
    responsible_name = (responsible_name or "").strip()
    people = _unique(deputies)
    errors: dict[str, list[str]] = {}
    name, phone = _check_station(station_pk=None, name=name, jurisdiction=jurisdiction, address=address,
                                 responsible_name=responsible_name, responsible_phone=responsible_phone,
                                 deputies=people, errors=errors)
    _raise(errors)
    station = Station(name=name, jurisdiction=jurisdiction, community=community, address=address,
                      responsible_name=responsible_name, responsible_phone=phone, is_active=is_active)
    station._history_user = user
    station.save()
    station.deputies.set(people)
    return station


@transaction.atomic
def station_update(*, station: Station, name: str, jurisdiction: Jurisdiction | None, address: str,
                   responsible_name: str, community: str = "", responsible_phone: str = "",
                   deputies: Iterable[Person] = (), is_active: bool = True, user: User | None = None) -> Station:
    """Change a station's details and its deputies (each must serve in the station's jurisdiction or below)."""
    station = Station.objects.select_for_update().get(pk=station.pk)
    name, address, community = (name or "").strip(), (address or "").strip(), (community or "").strip()
    responsible_name = (responsible_name or "").strip()
    people = _unique(deputies)
    errors: dict[str, list[str]] = {}
    name, phone = _check_station(station_pk=station.pk, name=name, jurisdiction=jurisdiction, address=address,
                                 responsible_name=responsible_name, responsible_phone=responsible_phone,
                                 deputies=people, errors=errors)
    _raise(errors)
    station.name, station.jurisdiction, station.community, station.address = name, jurisdiction, community, address
    station.responsible_name, station.responsible_phone, station.is_active = responsible_name, phone, is_active
    station._history_user = user
    station.save()
    station.deputies.set(people)
    return station


# --- reception days -----------------------------------------------------------------------------------------

def _check_day(*, station: Station, day_pk, date, start_time, end_time, deputies, errors) -> None:
    if date is None:
        errors.setdefault("date", []).append(_("Choose the date of the reception day."))
    elif ReceptionDay.objects.filter(station=station, date=date).exclude(pk=day_pk).exists():
        errors.setdefault("date", []).append(_("This station already has a reception day on that date."))
    if (start_time is None) != (end_time is None):
        errors.setdefault("end_time", []).append(_("Give both the start and the end time, or neither."))
    elif start_time is not None and end_time <= start_time:
        errors.setdefault("end_time", []).append(_("The end time must be after the start time."))
    if not deputies:
        errors.setdefault("deputies", []).append(_("Choose at least one deputy on duty."))
    else:
        attached = set(station.deputies.filter(pk__in=[p.pk for p in deputies]).values_list("pk", flat=True))
        strangers = [p for p in deputies if p.pk not in attached]
        if strangers:
            errors.setdefault("deputies", []).append(
                _("Not attached to this station: %(names)s. Attach them to the station first.")
                % {"names": _names(strangers)})


@transaction.atomic
def reception_day_create(*, station: Station, date: datetime.date | None, deputies: Iterable[Person],
                         start_time: datetime.time | None = None, end_time: datetime.time | None = None,
                         note: str = "", user: User | None = None) -> ReceptionDay:
    """Schedule a reception day with the deputies on duty (deputies attached to the station)."""
    people = _unique(deputies)
    errors: dict[str, list[str]] = {}
    _check_day(station=station, day_pk=None, date=date, start_time=start_time, end_time=end_time,
               deputies=people, errors=errors)
    _raise(errors)
    day = ReceptionDay(station=station, date=date, start_time=start_time, end_time=end_time,
                       note=(note or "").strip())
    day._history_user = user
    day.save()
    day.deputies.set(people)
    return day


@transaction.atomic
def reception_day_update(*, day: ReceptionDay, date: datetime.date | None, deputies: Iterable[Person],
                         start_time: datetime.time | None = None, end_time: datetime.time | None = None,
                         note: str = "", user: User | None = None) -> ReceptionDay:
    """Change a reception day; moved to another date, its deputies are reminded again for the new date."""
    day = ReceptionDay.objects.select_for_update().select_related("station").get(pk=day.pk)
    people = _unique(deputies)
    errors: dict[str, list[str]] = {}
    _check_day(station=day.station, day_pk=day.pk, date=date, start_time=start_time, end_time=end_time,
               deputies=people, errors=errors)
    _raise(errors)
    if date != day.date:
        day.reminded_at = None
    day.date, day.start_time, day.end_time, day.note = date, start_time, end_time, (note or "").strip()
    day._history_user = user
    day.save()
    day.deputies.set(people)
    return day


@transaction.atomic
def reception_day_delete(*, day: ReceptionDay, user: User | None = None) -> None:
    """Cancel a reception day; one with visits recorded is kept (the visits refer to it)."""
    day = ReceptionDay.objects.select_for_update().get(pk=day.pk)
    if day.visits.exists():
        raise ValidationError(_("Visits were recorded on this reception day, so it cannot be deleted."))
    day._history_user = user
    day.delete()


def reception_days_remind(*, on_date: datetime.date) -> dict[str, int]:
    """Remind the deputies on duty on tomorrow's reception days (those with an account), once per day.

    Each reception day is claimed by a conditional UPDATE of ``reminded_at`` that touches one row only if no
    worker has claimed it yet, and is reminded in its own transaction: two workers never send twice, and a
    failure leaves the other days' reminders sent.
    """
    from apps.stations.selectors import days_to_remind

    target = on_date + datetime.timedelta(days=REMIND_DAYS_BEFORE)
    days = notified = 0
    for pk in list(days_to_remind(target).values_list("pk", flat=True)):
        with transaction.atomic():
            claimed = ReceptionDay.objects.filter(pk=pk, reminded_at__isnull=True).update(reminded_at=timezone.now())
            if not claimed:
                continue
            day = ReceptionDay.objects.select_related("station").get(pk=pk)
            users = list(User.objects.filter(person__in=day.deputies.all(), is_active=True))
            times = (f" {day.start_time:%H:%M}–{day.end_time:%H:%M}" if day.start_time and day.end_time else "")
            notify(recipients=users,
                   title=_("Reminder: you are on duty at %(station)s on %(date)s")
                   % {"station": day.station.name, "date": f"{day.date:%Y-%m-%d}"},
                   body=_("Reception day at %(station)s, %(address)s, on %(date)s%(times)s.")
                   % {"station": day.station.name, "address": day.station.address,
                      "date": f"{day.date:%Y-%m-%d}", "times": times} + (f"\n{day.note}" if day.note else ""),
                   url=reverse("stations:my_reception_days"), sms=True)
            days += 1
            notified += len(users)
    return {"days": days, "notified": notified}


# --- voter visits -------------------------------------------------------------------------------------------

def _check_visit(*, station, date, reception_day, deputies, issue, category, errors) -> None:
    if station is None:
        errors.setdefault("station", []).append(_("Choose the station."))
    if date is None:
        errors.setdefault("date", []).append(_("Give the date of the visit."))
    elif date > timezone.localdate():
        errors.setdefault("date", []).append(_("The date of a visit cannot be in the future."))
    if reception_day is not None and station is not None:
        if reception_day.station_id != station.pk:
            errors.setdefault("reception_day", []).append(_("This reception day belongs to another station."))
        elif date is not None and reception_day.date != date:
            errors.setdefault("reception_day", []).append(
                _("The reception day is on %(day)s, not on the date of the visit.")
                % {"day": f"{reception_day.date:%Y-%m-%d}"})
    if station is not None and deputies:
        attached = set(station.deputies.filter(pk__in=[p.pk for p in deputies]).values_list("pk", flat=True))
        strangers = [p for p in deputies if p.pk not in attached]
        if strangers:
            errors.setdefault("deputies", []).append(
                _("Not attached to this station: %(names)s. Attach them to the station first.")
                % {"names": _names(strangers)})
    if not issue:
        errors.setdefault("issue", []).append(_("Write the issue the visitor raised."))
    if category not in VoterVisit.Category.values:
        errors.setdefault("category", []).append(_("Choose a category."))


@transaction.atomic
def visit_create(*, station: Station | None, date: datetime.date | None, issue: str, category: str,
                 deputies: Iterable[Person] = (), reception_day: ReceptionDay | None = None,
                 visitor_name: str = "", visitor_phone: str = "", created_by: User | None = None) -> VoterVisit:
    """Log a voter's visit and the issue raised (status open)."""
    people = _unique(deputies)
    issue, visitor_name = (issue or "").strip(), (visitor_name or "").strip()
    errors: dict[str, list[str]] = {}
    _check_visit(station=station, date=date, reception_day=reception_day, deputies=people, issue=issue,
                 category=category, errors=errors)
    phone = _phone(visitor_phone, "visitor_phone", errors)
    _raise(errors)
    visit = VoterVisit(station=station, date=date, reception_day=reception_day, visitor_name=visitor_name,
                       visitor_phone=phone, issue=issue, category=category, created_by=created_by)
    visit._history_user = created_by
    visit.save()
    visit.deputies.set(people)
    return visit


def _locked_visit(visit: VoterVisit) -> VoterVisit:
    visit = VoterVisit.objects.select_for_update().select_related("station").get(pk=visit.pk)
    if visit.status == VoterVisit.Status.CLOSED:
        raise ValidationError(_("This visit is closed and can no longer be changed."))
    return visit


@transaction.atomic
def visit_update(*, visit: VoterVisit, date: datetime.date | None, issue: str, category: str,
                 deputies: Iterable[Person] = (), reception_day: ReceptionDay | None = None,
                 visitor_name: str = "", visitor_phone: str = "", user: User | None = None) -> VoterVisit:
    """Correct what was logged of a visit (its station stays); not once it is closed."""
    visit = _locked_visit(visit)
    people = _unique(deputies)
    issue, visitor_name = (issue or "").strip(), (visitor_name or "").strip()
    errors: dict[str, list[str]] = {}
    _check_visit(station=visit.station, date=date, reception_day=reception_day, deputies=people, issue=issue,
                 category=category, errors=errors)
    phone = _phone(visitor_phone, "visitor_phone", errors)
    _raise(errors)
    visit.date, visit.reception_day, visit.issue, visit.category = date, reception_day, issue, category
    visit.visitor_name, visit.visitor_phone = visitor_name, phone
    visit._history_user = user
    visit.save()
    visit.deputies.set(people)
    return visit


@transaction.atomic
def visit_follow_up(*, visit: VoterVisit, follow_up_by: str, follow_up_action: str,
                    follow_up_due: datetime.date | None, user: User | None = None) -> VoterVisit:
    """Record who follows the issue up, what they do and by when; the visit is then being followed up."""
    visit = _locked_visit(visit)
    follow_up_by, follow_up_action = (follow_up_by or "").strip(), (follow_up_action or "").strip()
    errors: dict[str, list[str]] = {}
    if not follow_up_by:
        errors.setdefault("follow_up_by", []).append(_("Write who follows the issue up."))
    if not follow_up_action:
        errors.setdefault("follow_up_action", []).append(_("Write what is being done."))
    if follow_up_due is None:
        errors.setdefault("follow_up_due", []).append(_("Give the date the follow-up is due."))
    elif follow_up_due < visit.date:
        errors.setdefault("follow_up_due", []).append(_("The due date cannot be before the visit."))
    _raise(errors)
    visit.follow_up_by, visit.follow_up_action, visit.follow_up_due = follow_up_by, follow_up_action, follow_up_due
    visit.status = VoterVisit.Status.IN_PROGRESS
    visit._history_user = user
    visit.save()
    return visit


@transaction.atomic
def visit_close(*, visit: VoterVisit, result: str, result_told_at: datetime.date | None,
                user: User | None = None) -> VoterVisit:
    """Close a visit with the result told back to the visitor and the day they were told."""
    visit = VoterVisit.objects.select_for_update().get(pk=visit.pk)
    if visit.status == VoterVisit.Status.CLOSED:
        raise ValidationError(_("This visit is already closed."))
    result = (result or "").strip()
    errors: dict[str, list[str]] = {}
    if not result:
        errors.setdefault("result", []).append(_("Write the result told to the visitor before closing."))
    if result_told_at is None:
        errors.setdefault("result_told_at", []).append(_("Give the date the visitor was told the result."))
    elif result_told_at < visit.date:
        errors.setdefault("result_told_at", []).append(_("The visitor cannot have been told before the visit."))
    elif result_told_at > timezone.localdate():
        errors.setdefault("result_told_at", []).append(_("The date the visitor was told cannot be in the future."))
    _raise(errors)
    visit.result, visit.result_told_at = result, result_told_at
    visit.status, visit.closed_at = VoterVisit.Status.CLOSED, timezone.now()
    visit._history_user = user
    visit.save()
    return visit


# --- a voter's issue as a suggestion draft ------------------------------------------------------------------

def deputies_on_duty(visit: VoterVisit) -> list[Person]:
    """Who may lead a suggestion draft from the visit's issue: the deputies on duty on its reception day."""
    if visit.reception_day_id is None:
        return []
    return list(visit.reception_day.deputies.order_by("name_pinyin", "pk"))


def _mandate_for_station(person: Person, station: Station) -> Mandate | None:
    """The deputy's serving mandate closest to the station: of its congress, else of the nearest one above,
    else any serving mandate."""
    mandates = list(Mandate.objects.current().filter(person=person)
                    .select_related("jurisdiction", "person"))
    path = station.jurisdiction.path
    covering = [m for m in mandates if path.startswith(m.jurisdiction.path)]
    if covering:
        return max(covering, key=lambda m: len(m.jurisdiction.path))
    return mandates[0] if mandates else None


@transaction.atomic
def visit_suggestion_draft(*, visit: VoterVisit, person: Person | None, title: str, content: str, user: User):
    """Turn a voter's issue into a suggestion draft (proposals' ``Suggestion`` in draft) led by a deputy on duty
    that reception day, linked to the visit. Made once per visit; a deputy makes it only for themself."""
    from apps.proposals.services.submission import suggestion_draft_from_voter_issue  # the one allowed exception

    visit = (VoterVisit.objects.select_for_update(of=("self",))
             .select_related("station__jurisdiction", "reception_day").get(pk=visit.pk))
    if visit.suggestion_id is not None:
        raise ValidationError(_("A suggestion draft has already been made from this issue."))
    on_duty = {p.pk: p for p in deputies_on_duty(visit)}
    if not on_duty:
        raise ValidationError(_("This visit was not on a reception day with deputies on duty, so no deputy can "
                                "lead a suggestion from it."))
    if person is None or person.pk not in on_duty:
        raise ValidationError({"person": _("Choose a deputy on duty on that reception day.")})
    if user.person_id and not user.has_role(roles.STAFF) and user.person_id != person.pk:
        raise ValidationError({"person": _("You can make a suggestion draft only for yourself.")})
    mandate = _mandate_for_station(person, visit.station)
    if mandate is None:
        raise ValidationError({"person": _("%(name)s holds no serving mandate and cannot lead a suggestion.")
                               % {"name": person.name}})
    origin = _("(From an issue a voter raised at %(station)s on %(date)s, visit no. %(pk)s.)") % {
        "station": visit.station.name, "date": formats.date_format(visit.date, "DATE_FORMAT"), "pk": visit.pk}
    proposal = suggestion_draft_from_voter_issue(user=user, mandate=mandate, title=title, content=content,
                                                 origin=origin)
    visit.suggestion = proposal
    visit._history_user = user
    visit.save(update_fields=["suggestion"])
    return proposal
