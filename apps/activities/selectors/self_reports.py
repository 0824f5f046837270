"""Reads of deputies' self-reports (履职登记) and of a deputy's own activities, scoped to what the user may see.

A deputy sees their own self-reports and participations; staff and supervisors see the self-reports of
deputies whose mandate's jurisdiction is theirs or below it. Anything else is a 404 for an object and an empty
list for a list.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from itertools import groupby

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, ExtractYear
from django.http import Http404

from apps.activities.models import Activity, ActivityType, Attachment, Participation, SelfReport
from apps.core import roles
from apps.core.access import is_office, jurisdiction_scope
from apps.deputies.models import LEVEL_ORDER, Mandate

NOTHING = Q(pk__in=[])
# How many existing activities staff are offered to add a verified self-report's deputy to.
MATCH_LIMIT = 10


def is_deputy(user) -> bool:
    return bool(user.is_authenticated and user.has_role(roles.DEPUTY) and user.person_id)


# --- the mandate a self-report is recorded under ------------------------------------------------------------

def serving_mandates(person_id: int, on: datetime.date) -> QuerySet[Mandate]:
    """The person's mandates serving on ``on`` (suspended ones excluded)."""
    return Mandate.objects.filter(person_id=person_id).serving(on=on).select_related("jurisdiction")


def serving_mandate(person_id: int, on: datetime.date) -> Mandate | None:
    """The mandate a self-report of ``on`` is recorded under: the highest-level one serving that day."""
    mandates = list(serving_mandates(person_id, on))
    if not mandates:
        return None
    return min(mandates, key=lambda m: (LEVEL_ORDER.index(m.level), m.pk))


# --- staff and supervisors ------------------------------------------------------------------------------------

def self_report_scope(user) -> Q:
    """Staff/supervisors: self-reports under a mandate of their jurisdiction or below; a deputy: their own."""
    q = NOTHING
    if is_office(user):
        q |= jurisdiction_scope(user, "mandate__jurisdiction")
    if is_deputy(user):
        q |= Q(person_id=user.person_id)
    return q


def office_self_reports(user) -> QuerySet[SelfReport]:
    """The self-reports staff or a supervisor may see (their jurisdiction's deputies' and below)."""
    if not is_office(user):
        return SelfReport.objects.none()
    return SelfReport.objects.filter(jurisdiction_scope(user, "mandate__jurisdiction"))


def self_report_rows(qs: QuerySet[SelfReport]) -> QuerySet[SelfReport]:
    """What a row of the queue shows, in one query whatever the number of rows."""
    return (qs.select_related("person", "type", "mandate__jurisdiction", "activity")
            .annotate(evidence_count=Count("attachments")))


def status_rank():
    """Pending first, then verified and rejected."""
    return Case(When(status=SelfReport.Status.PENDING, then=Value(0)), default=Value(1),
                output_field=IntegerField())


def self_report_queue(user, data: dict | None = None) -> QuerySet[SelfReport]:
    """The verification queue: pending first (the oldest first), then the decided ones (the newest first)."""
    qs = office_self_reports(user)
    data = data or {}
    if data.get("status"):
        qs = qs.filter(status=data["status"])
    if data.get("type"):
        qs = qs.filter(type=data["type"])
    if data.get("date_from"):
        qs = qs.filter(start_date__gte=data["date_from"])
    if data.get("date_to"):
        qs = qs.filter(start_date__lte=data["date_to"])
    return self_report_rows(qs).annotate(rank=status_rank()).order_by("rank", "submitted_at", "pk")


def self_report_for_user(user, pk: int) -> SelfReport:
    """A self-report the user may see (staff/supervisor in scope, or the deputy's own), else 404."""
    report = (SelfReport.objects.filter(self_report_scope(user))
              .select_related("person", "type", "mandate__jurisdiction", "mandate__term", "activity",
                              "decided_by", "submitted_by")
              .prefetch_related("attachments").filter(pk=pk).first())
    if report is None:
        raise Http404
    return report


def own_self_report(user, pk: int) -> SelfReport:
    """One of the deputy's own self-reports, else 404."""
    if not is_deputy(user):
        raise Http404
    report = SelfReport.objects.filter(person_id=user.person_id, pk=pk).first()
    if report is None:
        raise Http404
    return report


def evidence_for_user(user, pk: int) -> Attachment:
    """An evidence file of a self-report the user may see, else 404."""
    attachment = (Attachment.objects.filter(self_report__in=SelfReport.objects.filter(self_report_scope(user)))
                  .filter(pk=pk).first())
    if attachment is None:
        raise Http404
    return attachment


def matching_activities(user, report: SelfReport) -> QuerySet[Activity]:
    """Activities in the user's scope of the report's type that were under way on its date (a short list):
    staff may add the deputy to one of them instead of creating a new activity."""
    if not is_office(user):
        return Activity.objects.none()
    return (Activity.objects.filter(jurisdiction_scope(user), type_id=report.type_id,
                                    start_date__lte=report.start_date)
            .annotate(last=Coalesce("end_date", "start_date"))
            .filter(last__gte=report.start_date)
            .select_related("jurisdiction").order_by("-start_date", "-pk")[:MATCH_LIMIT])


def active_types() -> QuerySet[ActivityType]:
    return ActivityType.objects.filter(is_active=True)


# --- the deputy's timeline ------------------------------------------------------------------------------------

@dataclass
class TimelineItem:
    """One entry of "my activities": a verified participation or a pending/rejected self-report."""

    status: str  # "verified", "pending" or "rejected"
    date: datetime.date
    end_date: datetime.date | None
    type_name: str
    title: str
    place: str
    attendance: str = ""  # the code, for a participation
    attendance_display: str = ""
    reason: str = ""
    self_reported: bool = False
    report_pk: int | None = None
    key: str = ""


@dataclass
class TimelineMonth:
    year: int
    month: int
    items: list[TimelineItem]

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)


def timeline_years(person_id: int) -> list[int]:
    """The years in which the person has a participation or an undecided/rejected self-report, newest first."""
    years = set(Participation.objects.filter(person_id=person_id)
                .annotate(year=ExtractYear("activity__start_date")).values_list("year", flat=True).distinct())
    years |= set(SelfReport.objects.filter(person_id=person_id).exclude(status=SelfReport.Status.VERIFIED)
                 .annotate(year=ExtractYear("start_date")).values_list("year", flat=True).distinct())
    return sorted(years, reverse=True)


def timeline(person_id: int, *, year: int | None = None) -> list[TimelineMonth]:
    """The person's verified participations and their pending or rejected self-reports, newest first, grouped
    by month (two queries whatever the number of entries)."""
    participations = (Participation.objects.filter(person_id=person_id)
                      .select_related("activity__type").order_by())
    reports = (SelfReport.objects.filter(person_id=person_id).exclude(status=SelfReport.Status.VERIFIED)
               .select_related("type").order_by())
    if year:
        participations = participations.filter(activity__start_date__year=year)
        reports = reports.filter(start_date__year=year)
    items = [
        TimelineItem(status="verified", date=p.activity.start_date, end_date=p.activity.end_date,
                     type_name=p.activity.type.name, title=p.activity.title, place=p.activity.place,
                     attendance=p.attendance, attendance_display=p.get_attendance_display(),
                     self_reported=p.activity.source == Activity.Source.SELF_REPORT, key=f"p{p.pk}")
        for p in participations
    ]
    items += [
        TimelineItem(status=r.status, date=r.start_date, end_date=r.end_date, type_name=r.type.name,
                     title=r.title, place=r.place, reason=r.reason, self_reported=True, report_pk=r.pk,
                     key=f"r{r.pk}")
        for r in reports
    ]
    items.sort(key=lambda i: (i.date, i.key), reverse=True)
    return [TimelineMonth(year=y, month=m, items=list(group))
            for (y, m), group in groupby(items, key=lambda i: (i.date.year, i.date.month))]
