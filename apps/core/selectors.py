from django.conf import settings

from apps.core import registry
from apps.core.models import Notification


def broker_state() -> str:
    """'ok' when the Celery broker accepts a connection, else a short error."""
    from deputies_platform.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # noqa: BLE001
        return f"error: {exc.__class__.__name__}"
    return "ok"


def worker_state() -> str:
    """'ok' when a worker ran the ``heartbeat`` task within ``WORKER_HEARTBEAT_STALE_SECONDS``, else 'stale'."""
    from datetime import timedelta

    from django.utils import timezone

    from apps.core.models import WorkerHeartbeat

    seen = WorkerHeartbeat.objects.filter(name="celery").values_list("seen_at", flat=True).first()
    limit = timedelta(seconds=settings.WORKER_HEARTBEAT_STALE_SECONDS)
    return "ok" if seen is not None and timezone.now() - seen < limit else "stale"


def notifications_for(user, limit: int = 100):
    return list(Notification.objects.filter(recipient=user)[:limit])


def home_summary(user) -> dict:
    """A user's start page: their roles, and the cards the apps declare (``apps/<app>/home.py``) that are for them,
    in order, each as its template and the data it shows (a card's figures link to the records behind them)."""
    cards, queues_at = [], {}
    for card in registry.home_cards():
        data = card.data(user)
        if data is None:
            continue
        if isinstance(data, registry.WorkQueue) and data.key in queues_at:
            # Apps that fill the same queue (e.g. the year's figures) share one card, at the first one's place.
            first = cards[queues_at[data.key]]
            first["data"] = registry.merged(first["data"], data)
            continue
        if isinstance(data, registry.WorkQueue):
            queues_at[data.key] = len(cards)
        cards.append({"name": card.name, "template": card.template, "data": data})
    queues = [card["data"] for card in cards if isinstance(card["data"], registry.WorkQueue)]
    pending = {item.key: item.queryset for queue in queues for item in queue.items if item.count is None}
    if pending:
        counts = count_together(pending)
        for card in cards:
            if isinstance(card["data"], registry.WorkQueue):
                card["data"] = registry.with_counts(card["data"], counts)
    return {"roles": user.role_labels, "cards": cards}


def count_together(querysets: dict) -> dict[str, int]:
    """The number of rows of each queryset (name → queryset), in one query:
    ``SELECT (SELECT count(*) FROM (...)), (SELECT count(*) FROM (...)), ...``. Each count is what
    ``queryset.count()`` would give, so a card and the list it opens share one definition of their rows."""
    from django.db import connection

    parts, params = [], []
    from django.core.exceptions import EmptyResultSet

    counts, parts, params = {}, [], []
    for name, queryset in querysets.items():
        try:
            sql, sql_params = queryset.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:  # ``.none()``, or a filter that can match nothing
            counts[name] = 0
            continue
        parts.append((name, f"(SELECT count(*) FROM ({sql}) AS counted_{len(parts)})"))
        params.extend(sql_params)
    if parts:
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(sql for _name, sql in parts), params)
            counts.update(zip((name for name, _sql in parts), cursor.fetchone(), strict=True))
    return {name: counts[name] for name in querysets}


def data_version(key: str) -> int:
    """The current version of an area of data (see ``DataVersion``); 0 before its first write."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT version FROM core_dataversion WHERE key = %s", [key])
        row = cursor.fetchone()
    return row[0] if row else 0


def data_versions(keys) -> dict[str, int]:
    """The current versions of several areas of data (``core.DataVersion``) in one query; 0 before a first write."""
    from django.db import connection

    keys = sorted(set(keys))
    with connection.cursor() as cursor:
        cursor.execute("SELECT key, version FROM core_dataversion WHERE key = ANY(%s)", [keys])
        found = dict(cursor.fetchall())
    return {key: found.get(key, 0) for key in keys}


def unread_count(user) -> int:
    """The navbar's unread notifications, on every page: plain SQL on the (recipient, read_at) index."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM core_notification WHERE recipient_id = %s AND read_at IS NULL",
                       [user.pk])
        return cursor.fetchone()[0]
