import datetime

import time_machine
from django.core.management import call_command
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from apps.core.models import Notification
from apps.core.tasks import purge_read_notifications
from tests.factories import NotificationFactory, UserFactory

NOW = datetime.datetime(2026, 6, 1, 3, 0, tzinfo=datetime.UTC)


def _notification(user, *, days_old: int, read: bool) -> Notification:
    created = NOW - datetime.timedelta(days=days_old)
    with time_machine.travel(created, tick=False):
        return NotificationFactory(recipient=user, read_at=created if read else None)


def test_purge_deletes_read_notifications_older_than_180_days_only(db):
    user = UserFactory()
    old_read = _notification(user, days_old=181, read=True)
    old_unread = _notification(user, days_old=400, read=False)
    recent_read = _notification(user, days_old=179, read=True)

    with time_machine.travel(NOW, tick=False):
        deleted = purge_read_notifications.apply().get()

    assert deleted == 1
    remaining = set(Notification.objects.values_list("pk", flat=True))
    assert remaining == {old_unread.pk, recent_read.pk}
    assert old_read.pk not in remaining


def test_setup_periodic_tasks_installs_the_daily_purge_at_three(db):
    call_command("setup_periodic_tasks", verbosity=0)

    task = PeriodicTask.objects.get(task="apps.core.tasks.purge_read_notifications")
    assert task.enabled
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_week) == ("0", "3", "*")
    assert str(task.crontab.timezone) == "Asia/Shanghai"


def test_setup_periodic_tasks_twice_changes_nothing(db):
    call_command("setup_periodic_tasks", verbosity=0)
    before = (PeriodicTask.objects.count(), CrontabSchedule.objects.count())
    call_command("setup_periodic_tasks", verbosity=0)
    assert (PeriodicTask.objects.count(), CrontabSchedule.objects.count()) == before


def test_setup_periodic_tasks_keeps_an_administrators_schedule(db):
    call_command("setup_periodic_tasks", verbosity=0)
    task = PeriodicTask.objects.get(task="apps.core.tasks.purge_read_notifications")
    task.crontab = CrontabSchedule.objects.create(minute="30", hour="1", timezone="Asia/Shanghai")
    task.enabled = False
    task.save()

    call_command("setup_periodic_tasks", verbosity=0)

    task.refresh_from_db()
    assert (task.crontab.minute, task.crontab.hour, task.enabled) == ("30", "1", False)
