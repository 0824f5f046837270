"""Figures for ``manage.py bench --only scoring`` on the 长春-scale demo data.

- ``score_all_s``: computing and storing the scores of every mandate of a year (every published rule set of the
  year, through :func:`apps.scoring.engine.compute`), median of runs; the engine writes only what changed, so
  ``score_first_s`` also times the first computation of the year (no score stored: every row inserted);
- ``score_sql_floor_s``: one hand-written SQL statement computing the same totals for the same rule sets and
  mandates, nothing stored (the floor the engine is held to: ratio ≤ 2); the bench checks the totals agree;
- ``me_page_queries``: SQL queries of GET /me/ as the demo ``deputy`` (in the year with the most records);
- ``score_one_mandate_ms``: recomputing one mandate's scores (``engine.score_one_mandate``: every published set
  that scores it), the median over a sample of mandates of the year (target ≤ 50);
- ``score_fresh_lag_s``: with a real ``celery worker`` process on the configured broker (Redis with
  ``REDIS_URL``, else the filesystem transport; a queue of its own), the 95th percentile of the seconds from a
  committed change that feeds a score (a commendation, one by one for 20 deputies) to the stored score that
  includes it (target ≤ 30). The commendations are deleted and the scores refreshed again afterwards.
"""

from __future__ import annotations

import datetime
import os
import statistics
import subprocess
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.core.registry import BenchFamily
from apps.scoring import engine
from apps.scoring.models import Commendation, RuleItem, RuleSet, Score, ScoreLine, Source

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


# --- freshness: one mandate's recomputation, and the lag of a change through a real worker ---------------------

ONE_MANDATE_SAMPLE = 20
LAG_CHANGES = 20
LAG_TIMEOUT_S = 120


def _sample_mandates(year: int, count: int) -> list[int]:
    """Mandates scored in ``year``, spread over the table (every n-th by id): the busy and the quiet ones."""
    ids = list(Score.objects.filter(year=year, rule_set__status=RuleSet.Status.PUBLISHED)
               .order_by("mandate_id").values_list("mandate_id", flat=True).distinct())
    step = max(1, len(ids) // count)
    return ids[::step][:count]


def score_one_mandate_ms(year: int) -> tuple[float, float]:
    """(median, 95th percentile) milliseconds of recomputing one mandate's scores, over a sample of the year's."""
    times = []
    for mandate_id in _sample_mandates(year, ONE_MANDATE_SAMPLE):
        started = time.perf_counter()
        engine.score_one_mandate(mandate_id)
        times.append((time.perf_counter() - started) * 1000)
    if not times:
        return float("nan"), float("nan")
    return statistics.median(times), _p95(times)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


class _Worker:
    """A ``celery worker`` subprocess on a queue of its own; this process's jobs are routed to that queue."""

    def __init__(self):
        from deputies_platform.celery import app

        self.app = app
        self.queue = f"bench-fresh-{uuid.uuid4().hex[:8]}"
        self.proc: subprocess.Popen | None = None
        self.before = app.conf.task_default_queue

    def _route(self, queue: str) -> None:
        self.app.conf.task_default_queue = queue
        for cached in ("queues", "router", "default_queue"):
            self.app.amqp.__dict__.pop(cached, None)

    def __enter__(self):
        env = {k: v for k, v in os.environ.items() if k != "CELERY_TASK_ALWAYS_EAGER"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "deputies_platform", "worker", "-Q", self.queue, "--pool", "solo",
             "-l", "warning", "--without-heartbeat", "--without-gossip", "--without-mingle"],
            cwd=Path(settings.BASE_DIR), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self._route(self.queue)
        return self

    def __exit__(self, *exc):
        self._route(self.before)
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def _lag_targets(year: int, count: int) -> list[tuple[int, int, int]]:
    """(mandate id, rule set id, commendation item id) for ``count`` mandates scored in ``year`` by a published
    set that counts commendations."""
    items = dict(RuleItem.objects.filter(rule_set__year=year, rule_set__status=RuleSet.Status.PUBLISHED,
                                         source=Source.COMMENDATION).values_list("rule_set_id", "pk"))
    rows = list(Score.objects.filter(rule_set_id__in=list(items)).order_by("mandate_id")
                .values_list("mandate_id", "rule_set_id"))
    seen, targets = set(), []
    step = max(1, len(rows) // (count + 1))
    for mandate_id, rule_set_id in rows[::step]:
        if mandate_id not in seen:
            seen.add(mandate_id)
            targets.append((mandate_id, rule_set_id, items[rule_set_id]))
    return targets[:count + 1]


def _stored_count(score_lines, mandate_id: int, rule_set_id: int, item_id: int) -> int:
    return (score_lines.filter(score__mandate_id=mandate_id, score__rule_set_id=rule_set_id, item_id=item_id)
            .values_list("count", flat=True).first() or 0)


def score_fresh_lag_s(year: int, *, changes: int = LAG_CHANGES, spacing_s: float = 0.5) -> tuple[float, float]:
    """(95th percentile, largest) seconds from a committed commendation to the stored score counting it, with a
    real worker; the first change (the worker starting) is not counted."""
    from apps.scoring.services.freshness import scores_refresh_all_stale

    targets = _lag_targets(year, changes)
    if len(targets) < 2:
        return float("nan"), float("nan")
    lines = ScoreLine.objects.all()
    day = datetime.date(year, 6, 1)
    created: list[int] = []
    lags: list[float] = []
    try:
        with _Worker():
            pending: dict[tuple, tuple[float, int]] = {}
            for index, (mandate_id, rule_set_id, item_id) in enumerate(targets):
                expected = _stored_count(lines, mandate_id, rule_set_id, item_id) + 1
                with transaction.atomic():
                    created.append(Commendation.objects.create(mandate_id=mandate_id, date=day, title="基准测试表彰",
                                                               awarded_by="bench").pk)
                committed = time.monotonic()
                if index == 0:  # the worker's start: wait for it, do not count it
                    _wait(lambda: _stored_count(lines, mandate_id, rule_set_id, item_id) >= expected)
                    continue
                pending[(mandate_id, rule_set_id, item_id)] = (committed, expected)
                deadline = time.monotonic() + spacing_s
                while time.monotonic() < deadline:
                    _collect(pending, lags, lines)
                    time.sleep(0.05)
            _wait(lambda: (_collect(pending, lags, lines) or not pending))
    finally:
        with transaction.atomic():
            for commendation in Commendation.objects.filter(pk__in=created):
                commendation.delete()  # marks the mandates again
        scores_refresh_all_stale()
    if not lags:
        return float("nan"), float("nan")
    return _p95(lags), max(lags)


def _collect(pending: dict, lags: list[float], lines) -> None:
    now = time.monotonic()
    for key, (committed, expected) in list(pending.items()):
        if _stored_count(lines, *key) >= expected:
            lags.append(now - committed)
            del pending[key]


def _wait(condition, timeout: float = LAG_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise TimeoutError(f"the refresh did not reach the stored score within {timeout} s (is the broker up?)")


def scoring_figures(bench) -> None:
    from apps.accounts.models import User

    year = busiest_year()
    if year is None:
        bench.note("no published rule set: no scoring figures")
        return
    seconds, mandates = score_all_s(year)
    bench.note(f"scored {mandates} mandates of {year}")
    bench.figure("score_all_s", seconds, "s")
    first, _count = score_first_s(year)
    bench.figure("score_first_s", first, "s")
    floor, differ = score_sql_floor_s(year)
    bench.figure("score_sql_floor_s", floor, "s")
    bench.figure("score_floor_ratio", seconds / floor if floor else float("nan"), "x")
    bench.note(f"totals differing between the engine and the hand-written statement: {differ}")
    deputy = User.objects.filter(username="deputy").first()
    if deputy is not None:
        bench.figure("me_page_queries", me_page_queries(deputy, year), "queries")
    median, p95 = score_one_mandate_ms(year)
    bench.figure("score_one_mandate_ms", median, "ms")
    bench.note(f"one mandate's recomputation: 95th percentile {p95:.1f} ms")
    try:
        lag, worst = score_fresh_lag_s(year)
    except TimeoutError as exc:
        bench.note(f"no score_fresh_lag_s: {exc}")
    else:
        bench.figure("score_fresh_lag_s", lag, "s")
        bench.note(f"a change's refresh through a real worker: at most {worst:.1f} s")


FIGURES = [BenchFamily("scoring", 700, scoring_figures)]
