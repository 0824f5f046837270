import datetime

from celery import shared_task
from django.utils import timezone


@shared_task
def remind_reception_duty(on_date: str | None = None) -> dict[str, int]:
    """Daily: remind the deputies on duty on tomorrow's reception days, once per reception day.

    ``on_date`` (ISO date) is the day the reminder is sent on; by default today.
    """
    from apps.stations.services import reception_days_remind

    day = datetime.date.fromisoformat(on_date) if on_date else timezone.localdate()
    return reception_days_remind(on_date=day)


# Periodic tasks of this app, installed into django-celery-beat by ``manage.py setup_periodic_tasks``.
PERIODIC_TASKS = [
    {
        "name": "remind deputies of reception duty",
        "task": "apps.stations.tasks.remind_reception_duty",
        "crontab": {"minute": "0", "hour": "9"},
        "description": "Remind the deputies on duty at a work station's reception day the day before: daily "
                       "at 09:00.",
    },
]
