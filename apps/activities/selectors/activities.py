"""Reads of the staff side of activities, always scoped to the user's jurisdiction (and below).

Staff and supervisors with a jurisdiction see the activities organised there or below; anyone else sees
none. An activity outside the scope is a 404.
"""

from __future__ import annotations

import calendar
import datetime

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from apps.activities.models import Activity, ActivityType, Attachment, Participation
from apps.core.access import is_office, jurisdiction_scope
from apps.core.models import Jurisdiction
from apps.deputies.attendance import Attendance
from apps.deputies.models import Delegation, DeputyGroup, Mandate
from apps.deputies.participants import eligible_mandates, level_preference
from apps.deputies.selectors import search_filter

NOTHING = Q(pk__in=[])


def activity_scope(user) -> Q:
    return jurisdiction_scope(user) if is_office(user) else NOTHING


def visible_activities(user) -> QuerySet[Activity]:
    return Activity.objects.filter(activity_scope(user))


def _count(attendance: str | None = None):
    qs = Participation.objects.filter(activity=OuterRef("pk"))
    if attendance:
        qs = qs.filter(attendance=attendance)
    return Coalesce(Subquery(qs.order_by().values("activity").annotate(n=Count("*")).values("n"),
                             output_field=IntegerField()), Value(0))


def activity_rows(qs: QuerySet[Activity]) -> QuerySet[Activity]:
    """A row of the list: type and jurisdiction joined, participant counts as subqueries (run only for the
    rows of the page, so the cost does not grow with the number of activities)."""
    return (qs.select_related("type", "jurisdiction")
            .only("id", "title", "start_date", "end_date", "level", "organiser", "place", "source",
                  "type__id", "type__name", "type__has_outcomes", "jurisdiction__id", "jurisdiction__name",
                  "jurisdiction__short_name")
            .annotate(participant_count=_count(), present_count=_count(Attendance.PRESENT))
            .order_by("-start_date", "-pk"))


def filter_activities(qs: QuerySet[Activity], data: dict) -> QuerySet[Activity]:
    """Apply the list's filters (a filter form's cleaned data)."""
    if data.get("type"):
        qs = qs.filter(type=data["type"])
    if data.get("date_from"):
        qs = qs.filter(start_date__gte=data["date_from"])
    if data.get("date_to"):
        qs = qs.filter(start_date__lte=data["date_to"])
    if data.get("jurisdiction"):
        qs = qs.filter(jurisdiction__path__startswith=data["jurisdiction"].path)
    if data.get("level"):
        qs = qs.filter(level=data["level"])
    if q := (data.get("q") or "").strip():
        qs = qs.filter(title__icontains=q)
    return qs


def activity_for_user(user, pk: int) -> Activity:
    activity = (visible_activities(user).select_related("type", "jurisdiction", "created_by")
                .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.select_related("uploaded_by")))
                .filter(pk=pk).first())
    if activity is None:
        raise Http404
    return activity


def participants_of(activity: Activity) -> QuerySet[Participation]:
    """The participants table, one query: the person, and the mandate's level and jurisdiction."""
    return (activity.participations.select_related("person", "mandate__jurisdiction")
            .only("id", "activity_id", "attendance", "leave_reason", "suggestions_raised", "households_helped",
                  "people_helped", "funds_donated", "person__id", "person__name", "person__name_pinyin",
                  "mandate__id", "mandate__level", "mandate__jurisdiction__id", "mandate__jurisdiction__name",
                  "mandate__jurisdiction__short_name")
            .order_by("person__name_pinyin", "person_id"))


def participation_for_activity(activity: Activity, pk: int) -> Participation:
    participation = activity.participations.select_related("activity__type", "person").filter(pk=pk).first()
    if participation is None:
        raise Http404
    return participation


def attachment_for_user(user, activity_pk: int, pk: int) -> Attachment:
    attachment = (Attachment.objects.filter(activity__in=visible_activities(user), activity_id=activity_pk, pk=pk)
                  .first())
    if attachment is None:
        raise Http404
    return attachment


def activity_totals_of(activity: Activity) -> dict:
    """Present / leave / absent and the outcome sums of one activity (one query)."""
    return activity.participations.aggregate(
        total=Count("pk"),
        present=Count("pk", filter=Q(attendance=Attendance.PRESENT)),
        leave=Count("pk", filter=Q(attendance=Attendance.LEAVE)),
        absent=Count("pk", filter=Q(attendance=Attendance.ABSENT)),
        suggestions=Coalesce(Sum("suggestions_raised"), 0), households=Coalesce(Sum("households_helped"), 0),
        people=Coalesce(Sum("people_helped"), 0), funds=Sum("funds_donated"),
    )


# --- choices ------------------------------------------------------------------------------------------------

def jurisdictions_for(user) -> QuerySet[Jurisdiction]:
    """The organisers' jurisdictions a user may choose: their own and those below (townships excluded:
    the list stays short at a city's scale)."""
    if not is_office(user):
        return Jurisdiction.objects.none()
    return (Jurisdiction.objects.filter(path__startswith=user.jurisdiction.path)
            .exclude(kind=Jurisdiction.Kind.TOWNSHIP).order_by("path"))


def activity_types(*, active_only: bool = False) -> QuerySet[ActivityType]:
    qs = ActivityType.objects.all()
    return qs.filter(is_active=True) if active_only else qs


def search_candidates(activity: Activity, q: str, limit: int = 20) -> list[dict]:
    """People eligible for the activity whose name, pinyin or initials match ``q``: one row per person, the
    mandate at the organiser's level first (one query)."""
    if not (q or "").strip():
        return []
    rows = (eligible_mandates(jurisdiction=activity.jurisdiction, on=activity.start_date)
            .filter(search_filter(q))
            .select_related("person", "jurisdiction")
            .only("id", "level", "person__id", "person__name", "person__name_pinyin", "person__employer",
                  "person__post", "jurisdiction__name", "jurisdiction__short_name")
            .order_by("person__name_pinyin", "person_id")[:limit * 3])
    best: dict[int, Mandate] = {}
    for m in rows:
        if m.person_id not in best or (level_preference(m.level, activity.level)
                                       < level_preference(best[m.person_id].level, activity.level)):
            best[m.person_id] = m
    result = []
    for m in list(best.values())[:limit]:
        work = " ".join(p for p in (m.person.employer, m.person.post) if p)
        parts = [m.jurisdiction.short_name or m.jurisdiction.name, m.get_level_display()] + ([work] if work else [])
        result.append({"value": m.person_id, "mandate": m.pk, "name": m.person.name,
                       "text": f"{m.person.name}（{' · '.join(str(p) for p in parts)}）"})
    return result


def bodies_for(activity: Activity) -> dict:
    """Delegations and deputy groups whose members may take part in the activity (its jurisdiction's)."""
    path = activity.jurisdiction.path
    return {
        "delegations": list(Delegation.objects.filter(term__jurisdiction__path__startswith=path)
                            .select_related("term").order_by("-term__start_date", "name")[:300]),
        "groups": list(DeputyGroup.objects.filter(jurisdiction__path__startswith=path)
                       .select_related("jurisdiction").order_by("jurisdiction__path", "name")[:500]),
    }


# --- calendar and totals --------------------------------------------------------------------------------------

def month_calendar(user, month: datetime.date) -> list[list[dict]]:
    """Weeks (Monday first) of the month, each day ``{"date", "in_month", "activities"}``; an activity that
    lasts several days is listed on each of its days within the month."""
    first = month.replace(day=1)
    last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    rows = list(visible_activities(user)
                .filter(start_date__lte=last)
                .filter(Q(end_date__isnull=True, start_date__gte=first) | Q(end_date__gte=first))
                .select_related("type").only("id", "title", "start_date", "end_date", "type__id", "type__name")
                .order_by("start_date", "pk"))
    by_day: dict[datetime.date, list[Activity]] = {}
    for activity in rows:
        day = max(activity.start_date, first)
        end = min(activity.end_date or activity.start_date, last)
        while day <= end:
            by_day.setdefault(day, []).append(activity)
            day += datetime.timedelta(days=1)
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month):
        weeks.append([{"date": d, "in_month": d.month == month.month, "activities": by_day.get(d, [])}
                      for d in week])
    return weeks


def period_totals(user, *, date_from: datetime.date, date_to: datetime.date,
                  jurisdiction: Jurisdiction | None = None) -> dict:
    """Per activity type for activities starting in the period (in the user's scope, narrowed to
    ``jurisdiction``): activities, person-times present, and the outcome sums (two queries)."""
    qs = visible_activities(user).filter(start_date__gte=date_from, start_date__lte=date_to)
    if jurisdiction is not None:
        qs = qs.filter(jurisdiction__path__startswith=jurisdiction.path)
    counts = {row["type"]: row["n"] for row in qs.order_by().values("type").annotate(n=Count("pk"))}
    sums = {row["activity__type"]: row for row in (
        Participation.objects.filter(activity__in=qs.values("pk")).order_by().values("activity__type")
        .annotate(present=Count("pk", filter=Q(attendance=Attendance.PRESENT)),
                  suggestions=Coalesce(Sum("suggestions_raised"), 0), households=Coalesce(Sum("households_helped"), 0),
                  people=Coalesce(Sum("people_helped"), 0), funds=Sum("funds_donated")))}
    rows = []
    total = {"activities": 0, "present": 0, "suggestions": 0, "households": 0, "people": 0, "funds": 0}
    for activity_type in ActivityType.objects.filter(pk__in=set(counts) | set(sums)):
        s = sums.get(activity_type.pk, {})
        row = {"type": activity_type, "activities": counts.get(activity_type.pk, 0),
               "present": s.get("present", 0), "suggestions": s.get("suggestions", 0),
               "households": s.get("households", 0), "people": s.get("people", 0),
               "funds": s.get("funds") or 0}
        rows.append(row)
        for key in total:
            total[key] += row[key]
    return {"rows": rows, "total": total}
