from django.conf import settings
from django.db.models import Count

from apps.core import roles
from apps.core.access import scope_queryset, sees_roster
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
    """The figures on a user's start page, each a count that links to the records behind it."""
    from apps.deputies.models import Level, Mandate

    summary: dict = {"roles": user.role_labels}
    if sees_roster(user):
        serving = scope_queryset(Mandate.objects.filter(status=Mandate.Status.SERVING), user)
        counts = dict(serving.values_list("level").annotate(n=Count("pk")).order_by())
        summary["levels"] = [(lvl.value, lvl.label, counts.get(lvl.value, 0)) for lvl in Level]
        summary["serving_total"] = sum(counts.values())
    if user.has_role(roles.DEPUTY) and user.person_id:
        summary["person"] = user.person
        from apps.proposals.selectors.deputy import awaiting_counts

        summary["proposals_awaiting"] = awaiting_counts(user)
    if user.has_role(roles.UNIT) and user.handling_unit_id:
        from apps.proposals.selectors import unit as unit_selectors

        inbox = unit_selectors.inbox_assignments(user)
        summary["unit_inbox"] = [group for group in unit_selectors.group_counts(unit_selectors.inbox_summary(inbox))
                                 if group["count"]]
    return summary


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
