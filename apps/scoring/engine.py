"""The scoring engine: every mandate of a rule set's scope scored in a few set-based SQL statements.

One statement counts, for every mandate in scope and every item of the rule set, the occurrences of what the
item counts in the year (a ``UNION ALL`` of one ``GROUP BY`` per kind of record); the scores and their lines
are then written from those counts with ``INSERT … SELECT``. There is never a query per deputy.

What each source counts, in SQL for this statement and as a queryset for the records behind a line, is its entry
in ``apps.scoring.sources``; ``tests/scoring/reference.py`` scores one mandate at a time from those querysets, the
reference the property test compares the statement with.

Points: ``count × points`` capped at ``cap``; deductions subtract; the total is ``base + Σ`` clipped to 0–100;
the grade is the band with the highest cut-off not above the total.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from apps.activities.models import ActivityType
from apps.core.models import Jurisdiction
from apps.deputies.models import Mandate, serving_sql
from apps.scoring import sources
from apps.scoring.models import Dispute, GradeBand, RuleItem, RuleSet, Score, ScoreLine


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def mandates_in_scope(rule_set: RuleSet) -> QuerySet[Mandate]:
    """Mandates of the rule set's level in its jurisdiction or below, serving at some time in its year.

    Suspended mandates are scored too (``including_suspended``): a year's score covers the seat held in the
    year, and a suspension is recorded only as the present status, with no dates, so leaving it out would take
    a deputy suspended now out of the scores of the years they served (``_scope_sql`` says the same)."""
    first, last = year_bounds(rule_set.year)
    return (Mandate.objects.filter(level=rule_set.level, jurisdiction__path__startswith=rule_set.jurisdiction.path)
            .serving_during(first, last, including_suspended=True))


def published_rule_set(jurisdiction: Jurisdiction, level: str, year: int) -> RuleSet | None:
    """The published set for deputies of ``level`` in ``jurisdiction``: its own, else the nearest ancestor's."""
    paths = [jurisdiction.path[:end] for end in range(len(jurisdiction.path), 0, -1)
             if end == len(jurisdiction.path) or jurisdiction.path[end - 1] == "/"]
    sets = {rs.jurisdiction.path: rs for rs in RuleSet.objects.select_related("jurisdiction").filter(
        status=RuleSet.Status.PUBLISHED, level=level, year=year, jurisdiction__path__in=paths)}
    return max(sets.items(), key=lambda pair: len(pair[0]))[1] if sets else None


# --- the set-based statement ------------------------------------------------------------------------------------

def _t(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _scope_sql(subset: bool = False) -> str:
    """(rule_set_id, base_points, mandate_id, person_id): each rule set of ``%(ids)s`` × the mandates it scores
    (its level, its jurisdiction or below, serving at some time in its year, suspended or not: see
    ``mandates_in_scope``); with ``subset``, only those of
    ``%(mandates)s``."""
    only = " AND m.id = ANY(%(mandates)s)" if subset else ""
    return f"""
        SELECT rs.id AS rule_set_id, rs.base_points, m.id AS mandate_id, m.person_id, rs.year,
               make_date(rs.year, 1, 1) AS y_first, make_date(rs.year, 12, 31) AS y_last
          FROM {_t(RuleSet)} rs JOIN {_t(Jurisdiction)} rj ON rj.id = rs.jurisdiction_id
          JOIN {_t(Mandate)} m ON m.level = rs.level
           AND {serving_sql("m", "make_date(rs.year, 1, 1)", "make_date(rs.year, 12, 31)", including_suspended=True)}
          JOIN {_t(Jurisdiction)} j ON j.id = m.jurisdiction_id AND j.path LIKE rj.path || '%%'
         WHERE rs.id = ANY(%(ids)s){only}"""


def _counts_sql(subset: bool = False) -> str:
    """(rule_set_id, mandate_id, item_id, n) for every item with at least one occurrence: one aggregate per
    kind of record (``apps.scoring.sources``), over all the rule sets at once (they share the year: one pass over
    the records). With ``subset`` (a few mandates), the rule sets may be of several years: each record counts in
    its own set's year (``%(first)s``–``%(last)s`` then spans them all, ``%(years)s`` lists them)."""
    counts = "\n    UNION ALL".join(sources.counting_statements(subset))
    return f"""
    WITH scope AS MATERIALIZED ({_scope_sql(subset)}),
    items AS (SELECT * FROM {_t(RuleItem)} WHERE rule_set_id = ANY(%(ids)s)){counts}"""


# Planner settings of the engine's statements (``SET LOCAL``), and of the bench's hand-written floor so that both
# are measured alike. Work memory is per sort or hash (one connection computes at a time: the advisory lock).
PLANNER_SETTINGS = {"enable_nestloop": "off", "enable_mergejoin": "off", "jit": "off", "work_mem": "64MB"}


def planner_set(cursor) -> None:
    for name, value in PLANNER_SETTINGS.items():
        cursor.execute(f"SET LOCAL {name} = '{value}'")


def planner_reset(cursor) -> None:
    for name in PLANNER_SETTINGS:
        cursor.execute(f"RESET {name}")


def _params(rule_sets: list[RuleSet], *, subset: bool = False) -> dict:
    years = sorted({rule_set.year for rule_set in rule_sets})
    if len(years) != 1 and not subset:
        raise ValueError("rule sets computed together must share their year")
    first, last = year_bounds(years[0])[0], year_bounds(years[-1])[1]
    return {"ids": [rule_set.pk for rule_set in rule_sets], "first": first, "last": last, "year": years[0],
            "years": years} | sources.sql_params()


def _lines_sql(counts: str) -> str:
    """(rule_set_id, mandate_id, item_id, n, uncapped, points) — points signed, deductions negative."""
    return f"""
    SELECT c.rule_set_id, c.mandate_id, c.item_id, c.n,
           (CASE WHEN i.kind = 'deduction' THEN -1 ELSE 1 END) * c.n * i.points AS uncapped,
           (CASE WHEN i.kind = 'deduction' THEN -1 ELSE 1 END) * LEAST(c.n * i.points, COALESCE(i.cap, c.n * i.points))
               AS points
      FROM ({counts}) c JOIN {_t(RuleItem)} i ON i.id = c.item_id"""


def _totals_sql(lines: str, subset: bool = False) -> str:
    """(rule_set_id, mandate_id, raw_total, total, grade) for every mandate in scope of each rule set, those with
    no line at the base points."""
    return f"""
    WITH scope AS ({_scope_sql(subset)}),
    sums AS (SELECT rule_set_id, mandate_id, sum(points) AS points FROM ({lines}) l GROUP BY 1, 2),
    raw AS (SELECT s.rule_set_id, s.mandate_id, s.base_points + COALESCE(x.points, 0) AS raw_total
              FROM scope s LEFT JOIN sums x ON x.rule_set_id = s.rule_set_id AND x.mandate_id = s.mandate_id)
    SELECT r.rule_set_id, r.mandate_id, r.raw_total, GREATEST(0, LEAST(100, r.raw_total)) AS total,
           COALESCE((SELECT b.grade FROM {_t(GradeBand)} b
                      WHERE b.rule_set_id = r.rule_set_id AND b.min_total <= GREATEST(0, LEAST(100, r.raw_total))
                      ORDER BY b.min_total DESC LIMIT 1), '') AS grade
      FROM raw r"""


def compute(rule_set: RuleSet) -> int:
    """(Re)compute and store the scores of every mandate in scope under ``rule_set``; returns how many."""
    return compute_many([rule_set])


@transaction.atomic
def compute_many(rule_sets: list[RuleSet], *, mandate_ids: list[int] | None = None) -> int:
    """(Re)compute and store the scores under each of ``rule_sets`` (of one year) in one pass over the records;
    returns how many mandates are scored.

    With ``mandate_ids``, only the scores of those mandates are recomputed (each stamped with the time, as it
    was computed now, even when its value did not change), and the sets may be of several years; the rule sets'
    ``computed_at`` (the time of the
    last computation of all their scores) is left alone.

    The counts, lines and totals are computed into two temporary tables, then only what differs is written:
    new and changed scores (upserted: a dispute keeps pointing at its score; ``Score.computed_at`` is when its
    value last changed), lines that changed or went, scores of mandates no longer in scope. A recomputation
    after a few records changed writes a few rows. A dozen statements, whatever the number of deputies.
    """
    if not rule_sets:
        return 0
    subset = mandate_ids is not None
    if subset and not mandate_ids:
        return 0
    params = _params(rule_sets, subset=subset) | {"now": timezone.now(), "mandates": sorted(set(mandate_ids or ()))}
    score, line = _t(Score), _t(ScoreLine)
    # A mandate subset's statements: the mandates' own rows (the scores upserted whether or not they changed:
    # their time says when they were computed).
    of_subset = " AND sc.mandate_id = ANY(%(mandates)s)" if subset else ""
    changed_only = "" if subset else """
             WHERE (sc.raw_total, sc.total, sc.grade, sc.year)
                   IS DISTINCT FROM (EXCLUDED.raw_total, EXCLUDED.total, EXCLUDED.grade, EXCLUDED.year)"""
    with connection.cursor() as cursor:
        # One computation per rule set at a time (each set's lock, in order: a whole year's run and a few
        # mandates' refresh of the same sets wait for each other instead of writing the same lines).
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('scoring.compute'), id) "
                       "FROM (SELECT unnest(%s::int[]) AS id ORDER BY 1) ids", [sorted(params["ids"])])
        # Set operations throughout: hash joins, never a nested loop or a sort-merge over thousands of rows (the
        # statistics of tables just written, and the temporary tables' lack of any, would otherwise mislead the
        # planner). JIT off: with nested loops priced out every plan looks expensive enough to compile, which
        # costs more than it saves. Memory for the sorts and hashes of some hundred thousand rows (the default
        # 4 MB spills them to disk). All are reset when the statements are done: the caller's transaction goes on.
        # A few mandates' refresh keeps the default planner: index lookups of their own records are the fast plan.
        if not subset:
            planner_set(cursor)
        cursor.execute(f"CREATE TEMP TABLE scoring_lines ON COMMIT DROP AS {_lines_sql(_counts_sql(subset))}",
                       params)
        cursor.execute(f"CREATE TEMP TABLE scoring_totals ON COMMIT DROP AS "
                       f"{_totals_sql('SELECT * FROM scoring_lines', subset)}", params)
        count = cursor.rowcount  # CREATE TABLE AS reports the rows it wrote
        cursor.execute(f"""
            INSERT INTO {score} AS sc (rule_set_id, mandate_id, year, raw_total, total, grade, computed_at)
            SELECT t.rule_set_id, t.mandate_id, rs.year, t.raw_total, t.total, t.grade, %(now)s
              FROM scoring_totals t JOIN {_t(RuleSet)} rs ON rs.id = t.rule_set_id
            ON CONFLICT (rule_set_id, mandate_id) DO UPDATE
               SET raw_total = EXCLUDED.raw_total, total = EXCLUDED.total, grade = EXCLUDED.grade,
                   computed_at = EXCLUDED.computed_at, year = EXCLUDED.year{changed_only}""", params)
        gone = (f"SELECT sc.id FROM {score} sc WHERE sc.rule_set_id = ANY(%(ids)s){of_subset} AND NOT EXISTS "
                f"(SELECT 1 FROM scoring_totals t WHERE t.rule_set_id = sc.rule_set_id AND t.mandate_id = sc.mandate_id)")
        cursor.execute(f"UPDATE {_t(Dispute)} SET score_id = NULL WHERE score_id IN ({gone})", params)
        cursor.execute(f"""
            DELETE FROM {line} sl USING {score} sc
             WHERE sl.score_id = sc.id AND sc.rule_set_id = ANY(%(ids)s){of_subset} AND NOT EXISTS (
                   SELECT 1 FROM scoring_lines l
                    WHERE l.rule_set_id = sc.rule_set_id AND l.mandate_id = sc.mandate_id AND l.item_id = sl.item_id
                      AND l.n = sl.count AND l.uncapped = sl.uncapped_points AND l.points = sl.points)""", params)
        cursor.execute(f"DELETE FROM {score} WHERE id IN ({gone})", params)
        cursor.execute(f"""
            INSERT INTO {line} (score_id, item_id, count, uncapped_points, points)
            SELECT sc.id, l.item_id, l.n, l.uncapped, l.points
              FROM scoring_lines l JOIN {score} sc ON sc.rule_set_id = l.rule_set_id AND sc.mandate_id = l.mandate_id
             WHERE NOT EXISTS (SELECT 1 FROM {line} sl WHERE sl.score_id = sc.id AND sl.item_id = l.item_id)""",
                       params)
        cursor.execute("DROP TABLE scoring_lines, scoring_totals")
        if not subset:
            planner_reset(cursor)
    from apps.core.audit import bulk_change_record

    if subset:  # one entry for the run (it follows changes that have their own entries)
        bulk_change_record(obj=min(rule_sets, key=lambda rs: rs.pk),
                           detail=f"{count} scores of {len(params['mandates'])} mandates refreshed after their records "
                                  f"changed (rule sets {', '.join(str(pk) for pk in sorted(params['ids']))})")
        return count
    RuleSet.objects.filter(pk__in=params["ids"]).update(computed_at=params["now"])
    for rule_set in rule_sets:
        bulk_change_record(obj=rule_set, detail=f"scores computed ({count} in this run)")
    return count


def _rule_sets_for_mandates(mandate_ids) -> QuerySet[RuleSet]:
    """The published rule sets that score any of these mandates (their level, a year they serve in, their
    jurisdiction or above), or that hold a score of one of them (which a change of the mandate may remove)."""
    rows = list(Mandate.objects.filter(pk__in=list(mandate_ids))
                .values_list("level", "start_date", "end_date", "jurisdiction__path"))
    if not rows:
        return RuleSet.objects.none()
    this_year = timezone.localdate().year
    covering = Q()
    for level, start, end, path in rows:
        ancestors = [path[:cut] for cut in range(1, len(path) + 1) if cut == len(path) or path[cut - 1] == "/"]
        covering |= Q(level=level, year__gte=start.year, year__lte=max(end.year if end else this_year, this_year),
                      jurisdiction__path__in=ancestors)
    scored = Score.objects.filter(mandate_id__in=list(mandate_ids)).values("rule_set_id")
    return RuleSet.objects.filter(covering | Q(pk__in=scored), status=RuleSet.Status.PUBLISHED).order_by("pk")


def rule_sets_for_mandates(mandate_ids) -> list[RuleSet]:
    return list(_rule_sets_for_mandates(mandate_ids).select_related("jurisdiction"))


@transaction.atomic
def compute_mandates(mandate_ids) -> int:
    """(Re)compute and store the scores of just these mandates under every published rule set that scores them
    (of any year, in one pass); returns how many scores were computed. Rule sets are locked so that none is superseded
    meanwhile."""
    mandate_ids = sorted({int(pk) for pk in mandate_ids})
    if not mandate_ids:
        return 0
    sets = list(_rule_sets_for_mandates(mandate_ids).select_for_update(of=("self",)))
    if not sets:
        return 0
    return compute_many(sets, mandate_ids=mandate_ids)  # every year in one pass


def score_one_mandate(mandate_id: int) -> int:
    """Recompute one mandate's scores (every published rule set that scores it); how many were computed."""
    return compute_mandates([mandate_id])


def what_if(rule_set: RuleSet) -> dict[int, Decimal]:
    """Every mandate in scope → its total under ``rule_set`` (a draft, typically); nothing is stored."""
    return {mandate_id: total for mandate_id, (total, _grade) in what_if_grades(rule_set).items()}


def what_if_grades(rule_set: RuleSet) -> dict[int, tuple[Decimal, str]]:
    """Like :func:`what_if`, with the grade under the set's bands."""
    with connection.cursor() as cursor:
        cursor.execute(_totals_sql(_lines_sql(_counts_sql())), _params([rule_set]))
        return {mandate_id: (total, grade) for _rs, mandate_id, _raw, total, grade in cursor.fetchall()}


# --- the records behind a line --------------------------------------------------------------------------------

def item_records(item: RuleItem, mandate: Mandate) -> QuerySet:
    """The records ``item`` counted for ``mandate`` in its rule set's year (the same rules as the SQL: its
    source's entry in ``apps.scoring.sources``)."""
    source = sources.source_of(item.source)
    first, last = year_bounds(item.rule_set.year)
    return source.kind.records(item, mandate, first, last).filter(source.where)


def record_url(obj, *, for_deputy: bool = False) -> str:
    """Where a record counted by a score line is shown (an empty string when it has no page for the viewer):
    staff pages by default, the deputy's own pages with ``for_deputy``."""
    kind = sources.kind_of(obj)
    route = kind and (kind.deputy_url if for_deputy else kind.url)
    return route.url(obj) if route else ""


def activity_type_choices() -> QuerySet[ActivityType]:
    return ActivityType.objects.filter(is_active=True).order_by("position", "pk")
