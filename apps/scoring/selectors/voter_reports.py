"""Reads of reports to voters (述职) and commendations for the staff's pages, scoped to the user's jurisdiction
(through the mandate's), and the yearly counts computed from the records:
"2024年共有329名市人大代表向选民述职，参加选民12,345人次，满意率96.5%".

满意率 (``satisfaction_rate``) = (满意 + 基本满意) ÷ the voters who evaluated (满意 + 基本满意 + 不满意).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, ExtractYear

from apps.core.access import is_pk, jurisdiction_scope
from apps.deputies.models import LEVEL_ORDER, Level, Mandate, Person
from apps.scoring import access
from apps.scoring.models import Commendation, VoterReport
from apps.scoring.selectors.record import rate

NAME_SEARCH_LIMIT = 20


def office_voter_reports(user) -> QuerySet[VoterReport]:
    if not access.is_office(user):
        return VoterReport.objects.none()
    return VoterReport.objects.filter(jurisdiction_scope(user, "mandate__jurisdiction"))


def office_commendations(user) -> QuerySet[Commendation]:
    if not access.is_office(user):
        return Commendation.objects.none()
    return Commendation.objects.filter(jurisdiction_scope(user, "mandate__jurisdiction"))


def office_mandates(user) -> QuerySet[Mandate]:
    if not access.is_office(user):
        return Mandate.objects.none()
    return Mandate.objects.filter(jurisdiction_scope(user))


def _filtered(qs, *, year: int | None, level: str, q: str):
    if year:
        qs = qs.filter(date__year=year)
    if level:
        qs = qs.filter(mandate__level=level)
    if q:
        qs = qs.filter(Q(mandate__person__name__contains=q) | Q(mandate__person__name_pinyin__startswith=q.lower()))
    return qs


def voter_report_rows(user, *, year: int | None = None, level: str = "", q: str = "") -> QuerySet[VoterReport]:
    """The reports of the user's scope (filtered), newest first, ready for a list page (one query a page)."""
    return (_filtered(office_voter_reports(user), year=year, level=level, q=q)
            .select_related("mandate", "mandate__person", "mandate__term", "electoral_unit")
            .order_by("-date", "-pk"))


def commendation_rows(user, *, year: int | None = None, level: str = "", q: str = "") -> QuerySet[Commendation]:
    return (_filtered(office_commendations(user), year=year, level=level, q=q)
            .select_related("mandate", "mandate__person", "mandate__term").order_by("-date", "-pk"))


def people_in_scope(user, q: str) -> list[Person]:
    """Deputies of the user's scope whose name (or pinyin) matches ``q``: to add a record for one."""
    q = (q or "").strip()
    if not q:
        return []
    mandates = office_mandates(user).filter(Q(person__name__contains=q) | Q(person__name_pinyin__startswith=q.lower()))
    return list(Person.objects.filter(pk__in=mandates.values("person_id")).order_by("name_pinyin", "pk")
                [:NAME_SEARCH_LIMIT])


def _get(qs, pk):
    from django.http import Http404
    from django.shortcuts import get_object_or_404

    if not is_pk(pk):
        raise Http404
    return get_object_or_404(qs, pk=pk)


def voter_report_for_office(user, pk) -> VoterReport:
    return _get(office_voter_reports(user).select_related("mandate", "mandate__person", "mandate__term",
                                                          "electoral_unit"), pk)


def commendation_for_office(user, pk) -> Commendation:
    return _get(office_commendations(user).select_related("mandate", "mandate__person", "mandate__term"), pk)


# --- the yearly counts --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class YearlyCount:
    year: int
    level: str
    deputies: int  # distinct people who reported
    reports: int
    voters: int  # voters present, summed (人次)
    satisfied: int
    basically_satisfied: int
    unsatisfied: int

    @property
    def level_label(self) -> str:
        return Level(self.level).label

    @property
    def evaluations(self) -> int:
        return self.satisfied + self.basically_satisfied + self.unsatisfied

    @property
    def satisfaction_rate(self) -> Decimal | None:
        return rate(self.satisfied + self.basically_satisfied, self.evaluations)


def yearly_counts(user, *, year: int | None = None) -> list[YearlyCount]:
    """Per year and level (newest year first, levels from the national down): who reported, how many voters
    took part and their evaluation, from the reports of the user's scope (one query)."""
    qs = office_voter_reports(user)
    if year:
        qs = qs.filter(date__year=year)
    rows = (qs.order_by().annotate(year=ExtractYear("date")).values("year", "mandate__level").annotate(
        deputies=Count("mandate__person_id", distinct=True), reports=Count("pk"),
        voters=Coalesce(Sum("attendance"), 0), satisfied_n=Coalesce(Sum("satisfied"), 0),
        basically_n=Coalesce(Sum("basically_satisfied"), 0), unsatisfied_n=Coalesce(Sum("unsatisfied"), 0)))
    rank = {level: index for index, level in enumerate(LEVEL_ORDER)}
    counts = [YearlyCount(year=r["year"], level=r["mandate__level"], deputies=r["deputies"], reports=r["reports"],
                          voters=r["voters"], satisfied=r["satisfied_n"], basically_satisfied=r["basically_n"],
                          unsatisfied=r["unsatisfied_n"]) for r in rows]
    return sorted(counts, key=lambda c: (-c.year, rank.get(c.level, 9)))
