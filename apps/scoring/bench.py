"""Figures for ``manage.py bench --only scoring`` on the 长春-scale demo data.

- ``score_all_s``: computing and storing the scores of every mandate of a year (every published rule set of the
  year, through :func:`apps.scoring.engine.compute`), median of runs; the engine writes only what changed, so
  ``score_first_s`` also times the first computation of the year (no score stored: every row inserted);
- ``score_sql_floor_s``: one hand-written SQL statement computing the same totals for the same rule sets and
  mandates, nothing stored (the floor the engine is held to: ratio ≤ 2); the bench checks the totals agree;
- ``me_page_queries``: SQL queries of GET /me/ as the demo ``deputy`` (in the year with the most records).
"""

from __future__ import annotations

import statistics
import time
from decimal import Decimal

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.scoring import engine
from apps.scoring.models import RuleSet, Score, ScoreLine

RUNS = 3

# One statement: every published rule set of the year × the mandates in its scope, the items' counts from the
# records, capped, signed, summed onto the base and clipped. Written out by hand (no shared fragments with the
# engine), so that the engine is measured against an independent floor.
FLOOR_SQL = """
WITH rs AS (
    SELECT r.id, r.level, j.path, r.base_points FROM scoring_ruleset r JOIN core_jurisdiction j ON j.id = r.jurisdiction_id
     WHERE r.year = %(year)s AND r.status = 'published'),
scope AS MATERIALIZED (
    SELECT rs.id AS rule_set_id, rs.base_points, m.id AS mandate_id, m.person_id
      FROM deputies_mandate m JOIN core_jurisdiction j ON j.id = m.jurisdiction_id
      JOIN rs ON rs.level = m.level AND j.path LIKE rs.path || '%%'
     WHERE m.start_date <= %(last)s AND (m.end_date IS NULL OR m.end_date >= %(first)s)),
items AS (SELECT i.* FROM scoring_ruleitem i JOIN rs ON rs.id = i.rule_set_id),
counts AS (
    SELECT s.rule_set_id, s.mandate_id, i.id AS item_id, count(DISTINCT p.activity_id) AS n
      FROM activities_participation p JOIN scope s ON s.mandate_id = p.mandate_id
      JOIN activities_activity a ON a.id = p.activity_id AND a.start_date BETWEEN %(first)s AND %(last)s
      JOIN items i ON i.rule_set_id = s.rule_set_id AND i.activity_type_id = a.type_id
       AND ((i.source = 'activity_present' AND p.attendance = 'present')
            OR (i.source = 'activity_leave' AND p.attendance = 'leave')
            OR (i.source = 'activity_absent' AND p.attendance = 'absent'))
     GROUP BY 1, 2, 3
    UNION ALL
    SELECT s.rule_set_id, s.mandate_id, i.id, count(DISTINCT t.session_id)
      FROM training_trainingattendance t JOIN scope s ON s.mandate_id = t.mandate_id
      JOIN training_trainingsession ts ON ts.id = t.session_id AND ts.date BETWEEN %(first)s AND %(last)s
      JOIN items i ON i.rule_set_id = s.rule_set_id AND i.source = 'training'
     WHERE t.attendance = 'present' GROUP BY 1, 2, 3
    UNION ALL
    SELECT s.rule_set_id, s.mandate_id, i.id, count(DISTINCT r.id)
      FROM stations_receptionday_deputies d JOIN scope s ON s.person_id = d.person_id
      JOIN stations_receptionday r ON r.id = d.receptionday_id AND r.date BETWEEN %(first)s AND %(last)s
      JOIN items i ON i.rule_set_id = s.rule_set_id AND i.source = 'reception'
     GROUP BY 1, 2, 3
    UNION ALL
    SELECT s.rule_set_id, s.mandate_id, i.id, count(DISTINCT g.proposal_id)
      FROM proposals_signature g JOIN scope s ON s.mandate_id = g.mandate_id
      JOIN proposals_proposal pr ON pr.id = g.proposal_id AND pr.year = %(year)s
       AND pr.state NOT IN ('draft', 'returned', 'withdrawn')
      JOIN items i ON i.rule_set_id = s.rule_set_id AND (
           (i.source = 'suggestion_lead' AND pr.kind = 'suggestion' AND g.role = 'lead')
        OR (i.source = 'suggestion_cosign' AND pr.kind = 'suggestion' AND g.role = 'cosigner' AND g.confirmed_at IS NOT NULL)
        OR (i.source = 'motion_lead' AND pr.kind = 'motion' AND g.role = 'lead')
        OR (i.source = 'motion_cosign' AND pr.kind = 'motion' AND g.role = 'cosigner' AND g.confirmed_at IS NOT NULL)
        OR (i.source = 'key_suggestion' AND pr.is_key AND g.role = 'lead'))
     GROUP BY 1, 2, 3
    UNION ALL
    SELECT s.rule_set_id, s.mandate_id, i.id, count(*)
      FROM scoring_voterreport v JOIN scope s ON s.mandate_id = v.mandate_id
      JOIN items i ON i.rule_set_id = s.rule_set_id AND i.source = 'voter_report'
     WHERE v.date BETWEEN %(first)s AND %(last)s GROUP BY 1, 2, 3
    UNION ALL
    SELECT s.rule_set_id, s.mandate_id, i.id, count(*)
      FROM scoring_commendation c JOIN scope s ON s.mandate_id = c.mandate_id
      JOIN items i ON i.rule_set_id = s.rule_set_id AND i.source = 'commendation'
     WHERE c.date BETWEEN %(first)s AND %(last)s GROUP BY 1, 2, 3
    UNION ALL
    SELECT s.rule_set_id, s.mandate_id, i.id, count(DISTINCT o.id)
      FROM liaison_opinion o JOIN liaison_invitee iv ON iv.id = o.invitee_id
      JOIN liaison_invitation inv ON inv.id = iv.invitation_id AND inv.date BETWEEN %(first)s AND %(last)s
      JOIN scope s ON s.person_id = iv.person_id
      JOIN items i ON i.rule_set_id = s.rule_set_id AND i.source = 'adopted_opinion'
     WHERE o.outcome IN ('adopted', 'partly_adopted') GROUP BY 1, 2, 3),
points AS (
    SELECT c.rule_set_id, c.mandate_id,
           sum(CASE WHEN i.kind = 'deduction' THEN -1 ELSE 1 END
               * CASE WHEN i.cap IS NOT NULL AND c.n * i.points > i.cap THEN i.cap ELSE c.n * i.points END) AS p
      FROM counts c JOIN items i ON i.id = c.item_id GROUP BY 1, 2)
SELECT s.rule_set_id, s.mandate_id, GREATEST(0, LEAST(100, s.base_points + COALESCE(p.p, 0))) AS total
  FROM scope s LEFT JOIN points p ON p.rule_set_id = s.rule_set_id AND p.mandate_id = s.mandate_id
"""


def busiest_year() -> int | None:
    """The latest complete year with published rule sets (the current one is partial), else the latest."""
    years = sorted(set(RuleSet.objects.filter(status=RuleSet.Status.PUBLISHED).values_list("year", flat=True)))
    if not years:
        return None
    complete = [y for y in years if y < timezone.localdate().year]
    return complete[-1] if complete else years[-1]


def score_all_s(year: int) -> tuple[float, int]:
    """(median seconds, mandates scored) of computing every published rule set of ``year`` together (as the
    nightly task does)."""
    sets = list(RuleSet.objects.select_related("jurisdiction").filter(year=year, status=RuleSet.Status.PUBLISHED))
    times, count = [], 0
    for _ in range(RUNS):
        started = time.perf_counter()
        count = engine.compute_many(sets)
        times.append(time.perf_counter() - started)
    return statistics.median(times), count


def score_first_s(year: int) -> tuple[float, int]:
    """(median seconds, mandates scored) of computing every published rule set of ``year`` with no score of the
    year stored yet (the first computation of a year: every score and line is inserted). Each run deletes the
    year's scores inside a transaction that is rolled back afterwards: the stored scores are left as they were."""
    sets = list(RuleSet.objects.select_related("jurisdiction").filter(year=year, status=RuleSet.Status.PUBLISHED))
    scores, lines = Score._meta.db_table, ScoreLine._meta.db_table
    times, count = [], 0
    for _ in range(RUNS):
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {lines} WHERE score_id IN (SELECT id FROM {scores} WHERE year = %s)",
                               [year])
                cursor.execute(f"DELETE FROM {scores} WHERE year = %s", [year])
            started = time.perf_counter()
            count = engine.compute_many(sets)
            times.append(time.perf_counter() - started)
            transaction.set_rollback(True)
    return statistics.median(times), count


def floor_totals(year: int) -> dict[tuple[int, int], Decimal]:
    import datetime

    params = {"year": year, "first": datetime.date(year, 1, 1), "last": datetime.date(year, 12, 31)}
    with connection.cursor() as cursor:
        engine.planner_set(cursor)  # as the engine: set operations, hash joins, no JIT
        cursor.execute(FLOOR_SQL, params)
        return {(rs, m): total for rs, m, total in cursor.fetchall()}


def score_sql_floor_s(year: int) -> tuple[float, int]:
    """(median seconds of the hand-written statement, totals that differ from the stored scores)."""
    times, totals = [], {}
    for _ in range(RUNS):
        started = time.perf_counter()
        with transaction.atomic():
            totals = floor_totals(year)
        times.append(time.perf_counter() - started)
    stored = {(rs, m): total for rs, m, total in Score.objects.filter(
        rule_set__year=year, rule_set__status=RuleSet.Status.PUBLISHED).values_list("rule_set_id", "mandate_id", "total")}
    differ = len(set(stored) ^ set(totals)) + sum(1 for key in stored.keys() & totals.keys() if stored[key] != totals[key])
    return statistics.median(times), differ


def me_page_queries(user, year: int | None = None) -> int:
    """SQL queries of GET /me/ for ``user`` (a deputy), session and user loading included."""
    client = Client()
    client.force_login(user)
    url = "/me/" + (f"?year={year}" if year else "")
    client.get(url)  # warm per-process caches (content types, the font is not used here)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(queries)
