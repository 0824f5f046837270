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
    cards = []
    for card in registry.home_cards():
        data = card.data(user)
        if data is not None:
            cards.append({"template": card.template, "data": data})
    return {"roles": user.role_labels, "cards": cards}


def data_version(key: str) -> int:
    """The current version of an area of data (see ``DataVersion``); 0 before its first write."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT version FROM core_dataversion WHERE key = %s", [key])
        row = cursor.fetchone()
    return row[0] if row else 0


def unread_count(user) -> int:
    """The navbar's unread notifications, on every page: plain SQL on the (recipient, read_at) index."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM core_notification WHERE recipient_id = %s AND read_at IS NULL",
                       [user.pk])
        return cursor.fetchone()[0]
