import datetime

from celery import shared_task
from django.utils import timezone


@shared_task
def recompute_rule_set(rule_set_id: int, requested_at: str | None = None) -> int | None:
    """Compute a published rule set's scores (queued by the recompute button and by publishing, through the
    outbox). Idempotent: nothing is done when the scores were computed after ``requested_at`` (ISO time)."""
    from apps.scoring.services.scores import rule_set_recompute

    when = datetime.datetime.fromisoformat(requested_at) if requested_at else None
    return rule_set_recompute(rule_set_id=rule_set_id, requested_at=when)


@shared_task
def recompute_current_year(year: int | None = None) -> dict[str, int]:
    """Nightly: recompute every published rule set of the year (by default this year), so that the scores follow
    the records entered during the day."""
    from apps.scoring.services.scores import scores_recompute_year

    return scores_recompute_year(year=year or timezone.localdate().year)


@shared_task
def refresh_stale_scores() -> int:
    """Recompute the scores of the mandates whose records changed (queued a few seconds after a change,
    through the outbox; also every minute as a sweep). Idempotent: a run finds the marks left and takes them."""
    from apps.scoring.services.freshness import scores_refresh_all_stale

    return scores_refresh_all_stale()


# Periodic tasks of this app, installed into django-celery-beat by ``manage.py setup_periodic_tasks``.
PERIODIC_TASKS = [
    {
        "name": "recompute this year's scores",
        "task": "apps.scoring.tasks.recompute_current_year",
        "crontab": {"minute": "30", "hour": "2"},
        "description": "Recompute the scores of every published rule set of the current year: nightly at 02:30.",
    },
    {
        "name": "refresh the scores of changed records",
        "task": "apps.scoring.tasks.refresh_stale_scores",
        "crontab": {"minute": "*"},
        "description": "Every minute: recompute the scores of mandates whose records changed and whose refresh "
                       "job has not taken them (it is normally queued seconds after the change).",
    },
]
