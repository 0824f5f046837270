"""The transactional outbox: background jobs survive a broker outage.

``enqueue(task, *args, **kwargs)`` writes an ``OutboxMessage`` in the caller's transaction, so the job exists
exactly when the write that asked for it does. After the commit it is sent to the broker at once; if the
broker is down the row stays pending and ``dispatch_pending`` (the ``dispatch_outbox`` beat task, every
minute, and the ``manage.py dispatch_outbox`` command) sends it when the broker is back.

A message is marked dispatched in the same transaction that holds its row lock while it is sent, so two
dispatchers never send one row; if the process dies between the send and the commit the message is sent
again later: delivery is at least once, and every task queued this way must be idempotent (claim its row
first, as ``send_notification_email`` does).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from celery.utils.imports import symbol_by_name
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from apps.core.models import OutboxMessage

logger = logging.getLogger(__name__)


def _task_name(task) -> str:
    return task if isinstance(task, str) else task.name


def enqueue(task, *args, dedup_key: str | None = None, countdown: float | None = None, **kwargs) -> OutboxMessage:
    """Store a job for ``task`` (a Celery task or its name) in the current transaction; send it after commit.

    With ``dedup_key``, asking again for a job with the same key returns the stored one and queues nothing.
    With ``countdown`` (seconds) the job runs that long after it was asked for, not earlier: it is handed to
    the broker at once with the rest of the delay as its ETA (a job the dispatcher sends later keeps its time).
    """
    message = OutboxMessage(task=_task_name(task), args=list(args), kwargs=kwargs, dedup_key=dedup_key)
    if dedup_key is None:
        message.save()
    else:
        OutboxMessage.objects.bulk_create([message], ignore_conflicts=True)  # ON CONFLICT DO NOTHING
        message = OutboxMessage.objects.get(dedup_key=dedup_key)
        if message.dispatched_at is not None:
            return message
    if countdown and message.available_at < message.created_at + timedelta(seconds=countdown):  # not yet delayed
        message.available_at = message.created_at + timedelta(seconds=countdown)
        OutboxMessage.objects.filter(pk=message.pk).update(available_at=message.available_at)
    transaction.on_commit(lambda pk=message.pk: dispatch_one(pk))
    return message


def enqueue_many(task, arg_lists) -> list[OutboxMessage]:
    """Store one job for ``task`` per entry of ``arg_lists`` (each a list of positional arguments) in one INSERT,
    in the current transaction; after the commit they are sent together (``dispatch_many``). For fan-outs, e.g.
    one email per recipient of a reminder to thousands: the queries do not grow with the list."""
    messages = OutboxMessage.objects.bulk_create(
        [OutboxMessage(task=_task_name(task), args=list(args), kwargs={}) for args in arg_lists])
    pks = [m.pk for m in messages]
    batch = {"sent": False}

    def send_batch():
        # One callback per job, as ``enqueue`` registers; the first to run sends the whole batch at once.
        if not batch["sent"]:
            batch["sent"] = True
            dispatch_many(pks)

    for _message in messages:
        transaction.on_commit(send_batch)
    return messages


def dispatch_many(pks: list[int]) -> int:
    """Send pending messages now (after their commit), locking them together; stop at the first refusal (the
    broker is down: the rest wait for the dispatcher). Returns how many were sent."""
    sent: list[int] = []
    try:
        with transaction.atomic():
            messages = list(OutboxMessage.objects.select_for_update(skip_locked=True)
                            .filter(pk__in=pks, dispatched_at__isnull=True).order_by("pk"))
            for message in messages:
                try:
                    _send(message)
                except Exception as exc:  # noqa: BLE001 - any failure to publish leaves the jobs pending
                    _record_refusal(message, exc)
                    break
                sent.append(message.pk)
            OutboxMessage.objects.filter(pk__in=sent).update(dispatched_at=timezone.now(),
                                                             attempts=F("attempts") + 1, last_error="")
    except Exception:  # noqa: BLE001 - the page that asked for the jobs must not fail because of them
        logger.exception("outbox: dispatching %s messages failed", len(pks))
        return 0
    return len(sent)


def _send(message: OutboxMessage) -> None:
    """Publish one message, failing fast when the broker cannot be reached (no retry loop in a request)."""
    from deputies_platform.celery import app

    task = app.tasks.get(message.task)
    if task is None:  # not imported in this process yet (tasks are registered when their module is imported)
        try:
            task = symbol_by_name(message.task)
        except (ImportError, AttributeError):
            task = None
    options = {"retry": False}
    delay = (message.available_at - timezone.now()).total_seconds() if message.attempts == 0 else 0
    if delay > 0:  # a delayed job (``enqueue(countdown=...)``) sent before its time: the broker holds it
        options["countdown"] = delay
    if task is not None:  # apply_async honours CELERY_TASK_ALWAYS_EAGER
        task.apply_async(args=message.args, kwargs=message.kwargs, **options)
    else:
        app.send_task(message.task, args=message.args, kwargs=message.kwargs, **options)


def _backoff(attempts: int) -> timedelta:
    """How long a message that could not be sent waits before the dispatcher tries it again: short, so that
    jobs go soon after the broker is back, but growing, so that one bad message does not block the rest."""
    return timedelta(seconds=min(30 * attempts, 300))


# Set in the cache when the broker refused a job, cleared when the outbox is empty again: pages ask the database
# for the backlog only while it is set, so the banner costs no query while the broker is up.
BACKLOG_HINT = "outbox:backlog"


def backlog_hinted() -> bool:
    return bool(cache.get(BACKLOG_HINT))


def _record_refusal(message: OutboxMessage, exc: Exception) -> None:
    """The broker refused ``message``: it stays pending, tried again after a wait; pages show the backlog."""
    logger.warning("outbox: could not send %s: %r", message, exc)
    OutboxMessage.objects.filter(pk=message.pk).update(
        attempts=F("attempts") + 1, available_at=timezone.now() + _backoff(message.attempts + 1),
        last_error=f"{exc.__class__.__name__}: {exc}"[:500])
    try:
        cache.set(BACKLOG_HINT, True, None)
    except Exception:  # noqa: BLE001 - the cache may be down with the broker (one Redis)
        logger.warning("outbox: could not record the backlog hint")


def _try_send(message: OutboxMessage) -> bool:
    """Send a locked message and record the outcome on it; False when the broker refused it."""
    now = timezone.now()
    try:
        _send(message)
    except Exception as exc:  # noqa: BLE001 - any failure to publish leaves the job pending
        _record_refusal(message, exc)
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(dispatched_at=now, attempts=F("attempts") + 1,
                                                       last_error="")
    return True


def dispatch_one(pk: int) -> bool:
    """Send one pending message now (after its commit); False if it is gone, taken, or the broker is down."""
    try:
        with transaction.atomic():
            message = (OutboxMessage.objects.select_for_update(skip_locked=True)
                       .filter(pk=pk, dispatched_at__isnull=True).first())
            if message is None:
                return False
            return _try_send(message)
    except Exception:  # noqa: BLE001 - the page that asked for the job must not fail because of it
        logger.exception("outbox: dispatching message %s failed", pk)
        return False


def dispatch_pending(*, limit: int = 500) -> dict[str, int]:
    """Send due pending messages, oldest first; stop at the first refusal (the broker is down)."""
    sent = failed = 0
    while sent + failed < limit:
        with transaction.atomic():
            message = (OutboxMessage.objects.select_for_update(skip_locked=True)
                       .filter(dispatched_at__isnull=True, available_at__lte=timezone.now())
                       .order_by("pk").first())
            if message is None:
                break
            if _try_send(message):
                sent += 1
            else:
                failed += 1
                break
    pending = pending_count()
    if not pending:
        cache.delete(BACKLOG_HINT)
    return {"sent": sent, "failed": failed, "pending": pending}


def purge_dispatched(*, older_than_days: int | None = None) -> int:
    """Delete messages dispatched more than ``OUTBOX_KEEP_DAYS`` ago."""
    days = settings.OUTBOX_KEEP_DAYS if older_than_days is None else older_than_days
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _by_model = OutboxMessage.objects.filter(dispatched_at__lt=cutoff).delete()
    return deleted


def pending_count(*, older_than_seconds: int = 0) -> int:
    """Jobs not yet handed to the broker (created more than ``older_than_seconds`` ago)."""
    queryset = OutboxMessage.objects.filter(dispatched_at__isnull=True)
    if older_than_seconds:
        queryset = queryset.filter(created_at__lt=timezone.now() - timedelta(seconds=older_than_seconds))
    return queryset.count()
