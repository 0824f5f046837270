import datetime

from celery import shared_task
from django.utils import timezone


@shared_task
def remind_members_behind_pace(on_date: str | None = None) -> dict[str, int]:
    """Monthly: remind members behind pace in published plans (once per month) and send staff a summary.

    ``on_date`` (ISO date) is the day to judge the pace on; by default today.
    """
    from apps.liaison.services.plans import members_remind_behind_pace

    day = datetime.date.fromisoformat(on_date) if on_date else timezone.localdate()
    return members_remind_behind_pace(on_date=day)


# Periodic tasks of this app, installed into django-celery-beat by ``manage.py setup_periodic_tasks``
# (administrators may change the schedule afterwards, e.g. to remind every quarter; the command keeps it).
PERIODIC_TASKS = [
    {
        "name": "remind liaison members behind pace",
        "task": "apps.liaison.tasks.remind_members_behind_pace",
        "crontab": {"minute": "0", "hour": "8", "day_of_month": "1"},
        "description": "Remind committee members behind pace in contacting their deputies, and send staff a "
                       "summary: monthly, on the 1st at 08:00.",
    },
]
