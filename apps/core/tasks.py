from celery import shared_task
from django.core.mail import send_mail
from django.utils import timezone

from apps.core.models import Notification


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notification_email(notification_id: int) -> bool:
    """Email one notification once: the row is claimed by a conditional update before sending."""
    claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return False
    n = Notification.objects.select_related("recipient").get(pk=notification_id)
    try:
        send_mail(n.title, f"{n.body}\n\n{n.url}".strip(), None, [n.recipient.email])
    except OSError:
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        raise
    return True


@shared_task
def purge_read_notifications(older_than_days: int = 180) -> int:
    """Daily: delete read notifications older than ``older_than_days`` (the inbox keeps half a year)."""
    from apps.core.services import notifications_purge_read

    return notifications_purge_read(older_than_days=older_than_days)


@shared_task
def dispatch_outbox() -> dict[str, int]:
    """Every minute: send the background jobs still waiting in the outbox (the broker was down when they were
    asked for), and forget those sent more than ``OUTBOX_KEEP_DAYS`` ago."""
    from apps.core import outbox

    result = outbox.dispatch_pending()
    result["purged"] = outbox.purge_dispatched()
    return result


@shared_task
def heartbeat() -> str:
    """Every minute: record that a worker is alive and taking tasks from the broker (``/healthz`` reads it)."""
    from apps.core.services import worker_heartbeat_record

    return worker_heartbeat_record().isoformat()


# Periodic tasks of this app, installed into django-celery-beat by ``manage.py setup_periodic_tasks``
# (administrators may change the schedule afterwards; the command keeps their change).
PERIODIC_TASKS = [
    {
        "name": "purge read notifications",
        "task": "apps.core.tasks.purge_read_notifications",
        "crontab": {"minute": "0", "hour": "3"},
        "description": "Delete read notifications older than 180 days, daily at 03:00.",
    },
    {
        "name": "dispatch the outbox",
        "task": "apps.core.tasks.dispatch_outbox",
        "crontab": {"minute": "*"},
        "description": "Send background jobs that could not be sent when they were asked for, every minute.",
    },
    {
        "name": "worker heartbeat",
        "task": "apps.core.tasks.heartbeat",
        "crontab": {"minute": "*"},
        "description": "Record that a worker is running (read by /healthz), every minute.",
    },
    {
        "name": "requeue stuck text messages",
        "task": "apps.core.tasks.requeue_stuck_sms",
        "crontab": {"minute": "*/5"},
        "description": "Queue again the text messages a worker that died left sending (SMS_STUCK_MINUTES), every "
                       "five minutes; fail those with no attempts left.",
    },
]


@shared_task
def send_sms(sms_ids: list[int]) -> list[str]:
    """Send queued text messages (``apps.core.sms``); each is claimed first, so a second delivery sends nothing,
    and a temporary failure queues that message again through the outbox with a growing delay."""
    from apps.core.sms import sms_deliver

    return [sms_deliver(sms_id=pk) for pk in sms_ids]


@shared_task
def requeue_stuck_sms() -> dict[str, int]:
    """Every five minutes: queue again the text messages a dead worker left ``sending`` (``apps.core.sms``)."""
    from apps.core.sms import sms_requeue_stuck

    return sms_requeue_stuck()
