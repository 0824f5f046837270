"""Reads of training: programs and sessions in the user's scope, attendance, and coverage (培训覆盖率).

Staff and supervisors see the programs organised by their jurisdiction or one below it (a county's staff see
their county's only); anything else is a 404 for an object and an empty list for a list.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.http import Http404

from apps.core.access import is_office, jurisdiction_scope
from apps.core.models import Jurisdiction
from apps.deputies.attendance import Attendance
from apps.deputies.models import LEVEL_ORDER, Delegation, DeputyGroup, Mandate, Person, serving_sql
from apps.deputies.participants import eligible_mandates
from apps.deputies.selectors import search_filter
from apps.training.models import TrainingAttendance, TrainingMaterial, TrainingProgram, TrainingSession

NOTHING = Q(pk__in=[])


def _scope(user, field: str = "jurisdiction") -> Q:
    return jurisdiction_scope(user, field) if is_office(user) else NOTHING


def scope_jurisdictions(user) -> QuerySet[Jurisdiction]:
    """The jurisdictions a user may organise training for or filter by: theirs and those below it."""
    if not is_office(user):
        return Jurisdiction.objects.none()
    return Jurisdiction.objects.filter(path__startswith=user.jurisdiction.path).order_by("path")


# --- programs -----------------------------------------------------------------------------------------------

def visible_programs(user) -> QuerySet[TrainingProgram]:
    return TrainingProgram.objects.filter(_scope(user))


def program_rows(qs: QuerySet[TrainingProgram]) -> QuerySet[TrainingProgram]:
    """What a row of the program list shows, in one query whatever the number of rows."""
    sessions = TrainingSession.objects.filter(program=OuterRef("pk")).order_by().values("program")
    return (qs.select_related("jurisdiction")
            .annotate(session_count=Subquery(sessions.annotate(n=Count("pk")).values("n")),
                      total_hours=Subquery(sessions.annotate(h=Sum("hours")).values("h")))
            .order_by("-start_date", "-pk"))


def filter_programs(qs: QuerySet[TrainingProgram], data: dict) -> QuerySet[TrainingProgram]:
    """Apply the list's filters (``data`` is a filter form's cleaned data)."""
    if data.get("year"):
        qs = qs.filter(start_date__year=data["year"])
    for name in ("form", "topic", "level"):
        if data.get(name):
            qs = qs.filter(**{name: data[name]})
    if data.get("jurisdiction"):
        qs = qs.filter(jurisdiction__path__startswith=data["jurisdiction"].path)
    return qs


def program_for_user(user, pk: int) -> TrainingProgram:
    program = (visible_programs(user).select_related("jurisdiction", "created_by")
               .prefetch_related(
                   Prefetch("sessions", queryset=TrainingSession.objects.annotate(
                       present_count=Count("attendances", filter=Q(attendances__attendance=Attendance.PRESENT)),
                       attendance_count=Count("attendances")).order_by("date", "pk")),
                   Prefetch("materials", queryset=TrainingMaterial.objects.select_related("uploaded_by")))
               .filter(pk=pk).first())
    if program is None:
        raise Http404
    return program


def visible_sessions(user) -> QuerySet[TrainingSession]:
    """The sessions of the programs the user sees (his jurisdiction and below)."""
    return TrainingSession.objects.filter(_scope(user, "program__jurisdiction"))


def session_for_user(user, pk: int) -> TrainingSession:
    session = (visible_sessions(user)
               .select_related("program__jurisdiction").filter(pk=pk).first())
    if session is None:
        raise Http404
    return session


def material_for_user(user, pk: int) -> TrainingMaterial:
    material = (TrainingMaterial.objects.filter(_scope(user, "program__jurisdiction"))
                .select_related("program").filter(pk=pk).first())
    if material is None:
        raise Http404
    return material


def attendance_for_user(user, pk: int) -> TrainingAttendance:
    row = (TrainingAttendance.objects.filter(_scope(user, "session__program__jurisdiction"))
           .select_related("session__program", "person").filter(pk=pk).first())
    if row is None:
        raise Http404
    return row


# --- attendance ---------------------------------------------------------------------------------------------

def attendance_rows(session: TrainingSession) -> QuerySet[TrainingAttendance]:
    """A session's attendance with the person and mandate each row shows, in one query."""
    return (session.attendances.select_related("person", "mandate__jurisdiction", "mandate__delegation",
                                               "mandate__group")
            .order_by("person__name_pinyin", "pk"))


def session_candidates(session: TrainingSession) -> QuerySet[Mandate]:
    """The mandates whose holders may attend: serving on the session's date in the program's jurisdiction
    or below it."""
    return eligible_mandates(jurisdiction=session.program.jurisdiction, on=session.date)


def search_candidates(session: TrainingSession, q: str, limit: int = 30) -> list[Mandate]:
    """Candidates matching a name, pinyin or pinyin initials, not yet recorded, one mandate per person."""
    if not (q or "").strip():
        return []
    recorded = TrainingAttendance.objects.filter(session=session, person=OuterRef("person_id"))
    rows = (session_candidates(session).filter(search_filter(q)).filter(~Exists(recorded))
            .select_related("person", "jurisdiction").order_by("person__name_pinyin", "person_id", "pk"))
    seen, found = set(), []
    for mandate in rows[: limit * 3]:
        if mandate.person_id not in seen:
            seen.add(mandate.person_id)
            found.append(mandate)
    return found[:limit]


def session_bodies(session: TrainingSession) -> dict[str, list]:
    """The delegations and deputy groups that can be added at once (those of the program's scope)."""
    path = session.program.jurisdiction.path
    return {
        "delegations": list(Delegation.objects.filter(term__jurisdiction__path__startswith=path)
                            .select_related("term").order_by("-term__start_date", "name")),
        "groups": list(DeputyGroup.objects.filter(jurisdiction__path__startswith=path).order_by("name")),
    }


# --- coverage -----------------------------------------------------------------------------------------------

@dataclass
class CoverageRow:
    level: str
    jurisdiction: Jurisdiction | None  # None in a total row: the whole scope
    serving: int = 0
    trained: int = 0
    person_times: int = 0
    own: bool = False  # the user's own jurisdiction only (not the ones below it)

    @property
    def rate(self) -> float:
        """The trained share of serving deputies, in per cent (0 when nobody serves)."""
        return round(100.0 * self.trained / self.serving, 1) if self.serving else 0.0

    @property
    def untrained(self) -> int:
        return self.serving - self.trained


@dataclass
class CoverageTable:
    jurisdiction: Jurisdiction
    year: int
    rows: list[CoverageRow] = field(default_factory=list)
    totals: dict[str, CoverageRow] = field(default_factory=dict)  # level → the level's total row

    def rows_of(self, level: str) -> list[CoverageRow]:
        return [row for row in self.rows if row.level == level]

    @property
    def levels(self) -> list[str]:
        return [level for level in LEVEL_ORDER if level in self.totals]


_SERVING_SQL = f"""
WITH m AS (
    SELECT m.person_id, m.level,
           NULLIF(split_part(substr(j.path, %(plen)s + 1), '/', 1), '')::bigint AS unit
      FROM deputies_mandate m JOIN core_jurisdiction j ON j.id = m.jurisdiction_id
     WHERE j.path LIKE %(prefix)s AND {serving_sql("m", "%(first)s", "%(last)s")}
), t AS (
    SELECT m.person_id, m.level, m.unit,
           EXISTS (SELECT 1 FROM training_trainingattendance a
                     JOIN training_trainingsession s ON s.id = a.session_id
                    WHERE a.person_id = m.person_id AND a.attendance = %(present)s
                      AND s.date BETWEEN %(first)s AND %(last)s) AS trained
      FROM m
)
SELECT level, unit, GROUPING(unit) AS is_total,
       COUNT(DISTINCT person_id), COUNT(DISTINCT person_id) FILTER (WHERE trained)
  FROM t
 GROUP BY GROUPING SETS ((level, unit), (level))
"""

_PERSON_TIMES_SQL = """
WITH p AS (
    SELECT m.level, NULLIF(split_part(substr(j.path, %(plen)s + 1), '/', 1), '')::bigint AS unit
      FROM training_trainingattendance a
      JOIN training_trainingsession s ON s.id = a.session_id
      JOIN deputies_mandate m ON m.id = a.mandate_id
      JOIN core_jurisdiction j ON j.id = m.jurisdiction_id
     WHERE a.attendance = %(present)s AND s.date BETWEEN %(first)s AND %(last)s AND j.path LIKE %(prefix)s
)
SELECT level, unit, GROUPING(unit) AS is_total, COUNT(*)
  FROM p
 GROUP BY GROUPING SETS ((level, unit), (level))
"""


def coverage_table(*, jurisdiction: Jurisdiction, year: int) -> CoverageTable:
    """Training coverage of ``jurisdiction``'s deputies in ``year``, by level and by jurisdiction (three queries).

    Rows: for each level, one row for the deputies of ``jurisdiction`` itself (``own``) and one for each
    child jurisdiction with everything below it; ``totals[level]`` covers the whole subtree. Definitions:

    - *serving*: distinct people holding a mandate of that level whose jurisdiction is in the row's area and
      which served at some time in the year (``Mandate.objects.serving_during``: start date ≤ 31 December
      and no end date or an end date ≥ 1 January), suspended mandates excluded (they cannot be recorded as
      attending either). A person with two
      mandates of the same level in the area (e.g. re-elected at a term change) counts once; one with mandates
      at two levels counts once in each level.
    - *trained*: those serving people whose person has at least one ``present`` attendance at a session dated
      in the year, in any program (whoever organised it, under whichever mandate it was recorded).
    - *person_times* (人次): ``present`` attendance rows at sessions dated in the year whose recorded mandate is
      of that level and has its jurisdiction in the row's area.
    - *rate*: trained / serving, in per cent.

    Rows with neither serving deputies nor person-times are left out.
    """
    params = {
        "plen": len(jurisdiction.path), "prefix": jurisdiction.path + "%",
        "first": datetime.date(year, 1, 1), "last": datetime.date(year, 12, 31),
        "present": Attendance.PRESENT,
    }
    cells: dict[tuple[str, int | None, bool], CoverageRow] = {}

    def cell(level, unit, is_total):
        key = (level, None if is_total else unit, bool(is_total))
        if key not in cells:
            cells[key] = CoverageRow(level=level, jurisdiction=None, own=not is_total and unit is None)
        return cells[key]

    with connection.cursor() as cursor:
        cursor.execute(_SERVING_SQL, params)
        for level, unit, is_total, serving, trained in cursor.fetchall():
            row = cell(level, unit, is_total)
            row.serving, row.trained = serving, trained
        cursor.execute(_PERSON_TIMES_SQL, params)
        for level, unit, is_total, person_times in cursor.fetchall():
            cell(level, unit, is_total).person_times = person_times

    unit_ids = {key[1] for key in cells if key[1] is not None}
    units = {j.pk: j for j in Jurisdiction.objects.filter(pk__in=unit_ids)} if unit_ids else {}
    table = CoverageTable(jurisdiction=jurisdiction, year=year)
    order = {level: i for i, level in enumerate(LEVEL_ORDER)}
    for (level, unit, is_total), row in sorted(
            cells.items(), key=lambda kv: (order[kv[0][0]], kv[0][2], kv[0][1] is not None,
                                           units[kv[0][1]].path if kv[0][1] in units else "")):
        if is_total:
            row.jurisdiction = jurisdiction
            table.totals[level] = row
        else:
            row.jurisdiction = jurisdiction if unit is None else units[unit]
            table.rows.append(row)
    return table


def coverage_area(jurisdiction: Jurisdiction, unit: Jurisdiction | None, *, own: bool) -> Q:
    """The mandates of a coverage row's area: ``jurisdiction`` itself (``own``), a child's subtree, or (no
    unit) the whole subtree."""
    if own:
        return Q(jurisdiction=jurisdiction)
    return Q(jurisdiction__path__startswith=(unit or jurisdiction).path)


def untrained_mandates(*, jurisdiction: Jurisdiction, year: int, level: str, unit: Jurisdiction | None = None,
                       own: bool = False) -> QuerySet[Mandate]:
    """The serving deputies of a coverage row not trained in the year (the drill-down), one mandate per
    person (the latest), as ``coverage_table`` defines them, ordered by name."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    present = TrainingAttendance.objects.filter(person=OuterRef("person_id"), attendance=Attendance.PRESENT,
                                                session__date__range=(first, last))
    serving = (Mandate.objects.filter(coverage_area(jurisdiction, unit, own=own), level=level)
               .serving_during(first, last).filter(~Exists(present)))
    one_each = serving.order_by("person_id", "-start_date", "-pk").distinct("person_id").values("pk")
    return (Mandate.objects.filter(pk__in=Subquery(one_each))
            .select_related("person", "jurisdiction", "delegation", "group", "term")
            .order_by("person__name_pinyin", "person_id"))


def coverage_unit(user, jurisdiction_id) -> tuple[Jurisdiction | None, bool]:
    """The area a drill-down names: ``(None, False)`` the whole scope, ``(user's, True)`` their own
    jurisdiction only, ``(child, False)`` a child's subtree; anything else is a 404."""
    root = user.jurisdiction
    if not jurisdiction_id:
        return None, False
    try:
        pk = int(jurisdiction_id)
    except (TypeError, ValueError):
        raise Http404 from None
    if pk == root.pk:
        return root, True
    child = Jurisdiction.objects.filter(pk=pk, parent=root).first()
    if child is None:
        raise Http404
    return child, False


def person_names(person_ids) -> dict[int, str]:
    return dict(Person.objects.filter(pk__in=list(person_ids)).values_list("pk", "name"))
