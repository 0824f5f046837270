"""Background work of the notices: the beat task publishes the scheduled notices whose time has come."""

from celery import shared_task

from apps.notices import services


@shared_task
def publish_notice(notice_id: int) -> int:
    return services.notice_publish(notice_id=notice_id)


@shared_task
def publish_due_notices() -> int:
    return services.notices_publish_due()


PERIODIC_TASKS = [
    {
        "name": "publish due notices",
        "task": "apps.notices.tasks.publish_due_notices",
        "crontab": {"minute": "*"},
        "description": "Publish the notices scheduled for now or earlier, every minute.",
    },
]
