import datetime

from celery import shared_task
from django.utils import timezone


def _day(on_date: str | None) -> datetime.date:
    return datetime.date.fromisoformat(on_date) if on_date else timezone.localdate()


@shared_task
def send_daily_reminders(on_date: str | None = None) -> dict[str, int]:
    """Daily: close the items whose rating window has ended, remind units of their deadlines (14 and 3 days
    before, and once overdue), deputies of replies awaiting their rating, and the leaders who lead the supervision
    of key items once such an item is overdue. Each reminder goes once.

    ``on_date`` (ISO date) is the day to judge on; by default today.
    """
    from apps.proposals.services import leaders, reminders
    from apps.proposals.services.ratings import ratings_close_expired

    day = _day(on_date)
    closed = ratings_close_expired(today=day)
    units = reminders.deadline_reminders_send(today=day)
    deputies = reminders.rating_reminders_send(today=day)
    leads = leaders.leader_overdue_reminders_send(today=day)
    return {"closed": closed, "deadline_reminders": units["reminders"], "rating_reminders": deputies["reminders"],
            "leader_reminders": leads["reminders"],
            "notified": units["notified"] + deputies["notified"] + leads["notified"]}


@shared_task
def send_weekly_digest(on_date: str | None = None) -> dict[str, int]:
    """Weekly: send the supervisors of each jurisdiction their board's figures, once per ISO week.

    ``on_date`` (ISO date) is the day to judge on; by default today.
    """
    from apps.proposals.services.reminders import supervisor_digests_send

    return supervisor_digests_send(today=_day(on_date))


# Periodic tasks of this app, installed into django-celery-beat by ``manage.py setup_periodic_tasks``.
PERIODIC_TASKS = [
    {
        "name": "remind units and deputies of motions and suggestions",
        "task": "apps.proposals.tasks.send_daily_reminders",
        "crontab": {"minute": "30", "hour": "7"},
        "description": "Close items whose rating window ended; remind units 14 and 3 days before a deadline and "
                       "when it is overdue, and deputies of replies awaiting their rating: daily at 07:30.",
    },
    {
        "name": "weekly digest of motions and suggestions to supervisors",
        "task": "apps.proposals.tasks.send_weekly_digest",
        "crontab": {"minute": "0", "hour": "8", "day_of_week": "1"},
        "description": "Send supervisors the figures of their board (overdue, due soon, rates): Mondays at 08:00.",
    },
]


@shared_task
def assign_suggest_rebuild(jurisdiction_id: int) -> int:
    """Build a congress's model of suggested assignment (智能交办) and share it with every process; the number of
    past items it learnt from."""
    from apps.proposals.selectors.assign_suggest import rebuild

    return rebuild(jurisdiction_id).size
