"""Reads of work stations, reception days and voter visits, always scoped to what the user may see.

Staff and supervisors see the stations of their jurisdiction and below (a county's staff only their county's);
a station's reception days and visits follow the station. A deputy sees the reception days they are on duty
for. Anything else is a 404 for an object and an empty list for a list.
"""

import datetime

from django.db.models import (
    BooleanField, Count, Exists, ExpressionWrapper, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from apps.core import roles
from apps.core.access import is_office, jurisdiction_scope
from apps.core.models import Jurisdiction
from apps.deputies.models import Mandate, Person, managed_or_elected_in_q
from apps.deputies.selectors import search_filter
from apps.stations.models import ReceptionDay, Station, VoterVisit

NOTHING = Q(pk__in=[])
# How many recent visits a station's page shows (the visit log has them all).
RECENT_VISITS = 10


def _scope(user, field: str) -> Q:
    return jurisdiction_scope(user, field) if is_office(user) else NOTHING


# --- stations -----------------------------------------------------------------------------------------------

def visible_stations(user) -> QuerySet[Station]:
    return Station.objects.filter(_scope(user, "jurisdiction"))


def _count(qs, key: str):
    """A correlated COUNT(*) of ``qs`` rows whose ``key`` is the outer station (no row multiplication)."""
    sub = qs.filter(**{key: OuterRef("pk")}).order_by().values(key).annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(sub, output_field=IntegerField()), 0)


def station_rows(qs: QuerySet[Station], today: datetime.date | None = None) -> QuerySet[Station]:
    """A row of the station list: jurisdiction, and the counts of deputies, upcoming days and open visits."""
    today = today or timezone.localdate()
    return (qs.select_related("jurisdiction").annotate(
        deputy_count=_count(Station.deputies.through.objects.all(), "station_id"),
        upcoming_count=_count(ReceptionDay.objects.filter(date__gte=today), "station_id"),
        open_visit_count=_count(VoterVisit.objects.exclude(status=VoterVisit.Status.CLOSED), "station_id"),
    ).order_by("jurisdiction__path", "name", "pk"))


def filter_stations(qs: QuerySet[Station], data: dict) -> QuerySet[Station]:
    if data.get("jurisdiction"):
        qs = qs.filter(jurisdiction__path__startswith=data["jurisdiction"].path)
    if data.get("q"):
        qs = qs.filter(Q(name__contains=data["q"]) | Q(community__contains=data["q"]))
    if data.get("active") == "yes":
        qs = qs.filter(is_active=True)
    elif data.get("active") == "no":
        qs = qs.filter(is_active=False)
    return qs


def station_for_user(user, pk: int) -> Station:
    station = visible_stations(user).select_related("jurisdiction").filter(pk=pk).first()
    if station is None:
        raise Http404
    return station


def station_detail(user, pk: int, today: datetime.date | None = None) -> dict:
    """A station with its deputies, upcoming and past reception days, and recent visits."""
    today = today or timezone.localdate()
    station = station_for_user(user, pk)
    deputies = list(station.deputies.order_by("name_pinyin", "pk"))
    days = ReceptionDay.objects.filter(station=station).prefetch_related(
        Prefetch("deputies", queryset=Person.objects.only("id", "name")))
    return {
        "station": station,
        "deputies": deputies,
        "upcoming_days": list(days.filter(date__gte=today).order_by("date", "pk")),
        "past_days": list(days.filter(date__lt=today).order_by("-date", "-pk")[:10]),
        "recent_visits": list(visit_rows(VoterVisit.objects.filter(station=station), today)[:RECENT_VISITS]),
    }


def jurisdictions_for(user) -> QuerySet[Jurisdiction]:
    """The jurisdictions a station may be put in: the user's own and below."""
    if not is_office(user):
        return Jurisdiction.objects.none()
    return Jurisdiction.objects.filter(path__startswith=user.jurisdiction.path).order_by("path")


def serving_people(jurisdiction_path: str) -> QuerySet[Person]:
    """People holding a serving mandate in the jurisdiction with this path or below it, or a higher congress's
    mandate elected in that area (deputies of every level take their turn at the stations where they live)."""
    serving = Mandate.objects.current().filter(managed_or_elected_in_q(jurisdiction_path), person=OuterRef("pk"))
    return Person.objects.filter(Exists(serving)).order_by("name_pinyin", "pk")


def attachable_people(user) -> QuerySet[Person]:
    """Deputies a user may attach to a station: serving in the user's jurisdiction or below.

    The service narrows this to the station's own jurisdiction subtree.
    """
    if not is_office(user):
        return Person.objects.none()
    return serving_people(user.jurisdiction.path)


def search_deputies(user, q: str, jurisdiction: Jurisdiction | None = None, limit: int = 20) -> list[Person]:
    """Serving deputies in scope (and in ``jurisdiction``'s subtree if given) matching a name, pinyin or initials."""
    if not (q or "").strip() or not is_office(user):
        return []
    path = user.jurisdiction.path
    if jurisdiction is not None and jurisdiction.path.startswith(path):
        path = jurisdiction.path
    mandates = Mandate.objects.current().filter(managed_or_elected_in_q(path), search_filter(q))
    return list(Person.objects.filter(pk__in=mandates.values("person_id"))
                .prefetch_related(Prefetch("mandates", queryset=mandates.select_related("term"), to_attr="found"))
                .order_by("name_pinyin", "pk")[:limit])


# --- reception days -----------------------------------------------------------------------------------------

def reception_day_for_user(user, pk: int) -> ReceptionDay:
    day = (ReceptionDay.objects.filter(_scope(user, "station__jurisdiction"))
           .select_related("station__jurisdiction").prefetch_related("deputies").filter(pk=pk).first())
    if day is None:
        raise Http404
    return day


def duty_days(user) -> QuerySet[ReceptionDay]:
    """The reception days the deputy is on duty at."""
    return ReceptionDay.objects.filter(deputies=user.person_id)


def upcoming_q(today: datetime.date) -> Q:
    return Q(date__gte=today)


def reception_days_of_deputy(user, today: datetime.date | None = None) -> dict:
    """A deputy's duty days: upcoming (soonest first) and the last 30 past ones (latest first)."""
    today = today or timezone.localdate()
    if not (user.has_role(roles.DEPUTY) and user.person_id):
        return {"upcoming": [], "past": []}
    qs = (duty_days(user).select_related("station")
          .prefetch_related(Prefetch("deputies", queryset=Person.objects.only("id", "name")),
                            Prefetch("visits", queryset=VoterVisit.objects.select_related("suggestion")
                                     .only("id", "reception_day_id", "issue", "category", "suggestion__id",
                                           "suggestion__title", "suggestion__state").order_by("pk"))))
    return {"upcoming": list(qs.filter(upcoming_q(today)).order_by("date", "pk")),
            "past": list(qs.filter(date__lt=today).order_by("-date", "-pk")[:30])}


def days_to_remind(day: datetime.date) -> QuerySet[ReceptionDay]:
    """Reception days on ``day`` not yet reminded, with at least one deputy on duty."""
    return (ReceptionDay.objects.filter(date=day, reminded_at__isnull=True)
            .filter(Exists(ReceptionDay.deputies.through.objects.filter(receptionday_id=OuterRef("pk"))))
            .order_by("pk"))


# --- voter visits -------------------------------------------------------------------------------------------

def visible_visits(user) -> QuerySet[VoterVisit]:
    return VoterVisit.objects.filter(_scope(user, "station__jurisdiction"))


def overdue_q(today: datetime.date | None = None) -> Q:
    """A follow-up past its due date on a visit not closed."""
    today = today or timezone.localdate()
    return Q(follow_up_due__lt=today) & ~Q(status=VoterVisit.Status.CLOSED)


def visit_rows(qs: QuerySet[VoterVisit], today: datetime.date | None = None) -> QuerySet[VoterVisit]:
    """A row of the visit log, in two queries whatever the number of rows; ``is_overdue`` flags late follow-ups."""
    return (qs.select_related("station")
            .prefetch_related(Prefetch("deputies", queryset=Person.objects.only("id", "name")))
            .annotate(is_overdue=ExpressionWrapper(overdue_q(today), output_field=BooleanField()))
            .order_by("-date", "-pk"))


def filter_visits(qs: QuerySet[VoterVisit], data: dict, today: datetime.date | None = None) -> QuerySet[VoterVisit]:
    if data.get("station"):
        qs = qs.filter(station=data["station"])
    if data.get("status"):
        qs = qs.filter(status=data["status"])
    if data.get("category"):
        qs = qs.filter(category=data["category"])
    if data.get("date_from"):
        qs = qs.filter(date__gte=data["date_from"])
    if data.get("date_to"):
        qs = qs.filter(date__lte=data["date_to"])
    if data.get("overdue"):
        qs = qs.filter(overdue_q(today))
    return qs


def visit_for_user(user, pk: int, today: datetime.date | None = None) -> VoterVisit:
    visit = (visit_rows(visible_visits(user), today)
             .select_related("station__jurisdiction", "reception_day", "created_by", "suggestion")
             .filter(pk=pk).first())
    if visit is None:
        raise Http404
    return visit
