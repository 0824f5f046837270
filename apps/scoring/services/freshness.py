"""Scores that agree with their records: every change that feeds a score has the affected mandates' scores
recomputed soon after, by a job.

A change marks the mandates it affects (``scores_mark_stale``: a row per mandate in ``StaleMandate``, in the
writer's transaction) and asks, through the outbox, for the refresh job a few seconds later
(``SCORE_REFRESH_DELAY_SECONDS``). Debounced: one job per window of that length (its ``dedup_key``), and none at
all when the mandates were already marked (a job that has not run yet will take them). The job
(``scores_refresh_stale``) takes every marked mandate, recomputes just their scores and deletes the marks, in
one transaction. A periodic run every minute takes any mark whose job ran before the mark's own transaction
committed.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from apps.core import outbox
from apps.deputies.models import Mandate
from apps.scoring import engine
from apps.scoring.models import StaleMandate

REFRESH_TASK = "apps.scoring.tasks.refresh_stale_scores"
# Mandates refreshed by one job at most (a whole roster's import marks thousands: the next job takes the rest).
REFRESH_BATCH = 2000


def _t(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _delay() -> float:
    return float(settings.SCORE_REFRESH_DELAY_SECONDS)


def refresh_key(now=None) -> str:
    """The refresh job's deduplication key: one job per window of ``SCORE_REFRESH_DELAY_SECONDS``."""
    stamp = (now or timezone.now()).timestamp()
    return f"scoring:refresh:{math.floor(stamp / max(_delay(), 0.001))}"


def scores_mark_stale(*, mandate_ids=(), person_ids=()) -> int:
    """Mark the scores of these mandates (and of every mandate of these persons) to be recomputed, and queue the
    refresh job if a mandate was not marked yet; how many mandates were newly marked."""
    mandate_ids = sorted({int(pk) for pk in mandate_ids if pk is not None})
    person_ids = sorted({int(pk) for pk in person_ids if pk is not None})
    if not mandate_ids and not person_ids:
        return 0
    # In the writer's transaction (no savepoint of its own: one statement, and the job's row with it).
    with connection.cursor() as cursor:
        cursor.execute(f"""
            INSERT INTO {_t(StaleMandate)} (mandate_id, marked_at)
            SELECT m.id, %(now)s FROM {_t(Mandate)} m WHERE m.id = ANY(%(mandates)s) OR m.person_id = ANY(%(persons)s)
            ON CONFLICT (mandate_id) DO NOTHING""",
                       {"now": timezone.now(), "mandates": mandate_ids, "persons": person_ids})
        marked = cursor.rowcount
        if marked:
            # The job of this window, sent after the commit and run when the window is over (plus a moment, so
            # that the window's last writers have committed).
            now = timezone.now()
            delay = _delay()
            remaining = delay - (now.timestamp() % delay) + min(1.0, delay) if delay > 0 else 0
            outbox.enqueue(REFRESH_TASK, dedup_key=refresh_key(now), countdown=remaining or None)
    return marked


def scores_mark_stale_where(sql: str, params: dict) -> int:
    """Like :func:`scores_mark_stale` for the mandates (``mandate_id``) and persons (``person_id``) a query
    returns (e.g. the participants of an activity); one statement to find them."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        mandates, persons = set(), set()
        for mandate_id, person_id in cursor.fetchall():
            (mandates if mandate_id is not None else persons).add(mandate_id if mandate_id is not None else person_id)
    return scores_mark_stale(mandate_ids=mandates, person_ids=persons)


def scores_refresh_stale(*, limit: int = REFRESH_BATCH) -> int:
    """Recompute the scores of the marked mandates (the oldest ``limit``) and unmark them, in one transaction;
    how many mandates were refreshed. Marks taken by another run at the same time are skipped."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"""
                DELETE FROM {_t(StaleMandate)} WHERE mandate_id IN (
                    SELECT mandate_id FROM {_t(StaleMandate)} ORDER BY marked_at, mandate_id
                     LIMIT %s FOR UPDATE SKIP LOCKED)
                RETURNING mandate_id""", [limit])
            mandate_ids = sorted(row[0] for row in cursor.fetchall())
        if mandate_ids:
            engine.compute_mandates(mandate_ids)
    return len(mandate_ids)


def scores_refresh_all_stale() -> int:
    """Refresh marked mandates until none is left (the job, and the periodic sweep)."""
    total = 0
    while True:
        done = scores_refresh_stale()
        total += done
        if done < REFRESH_BATCH:
            return total
