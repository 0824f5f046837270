"""``manage.py setup_periodic_tasks``: install the periodic tasks declared in code into django-celery-beat.

Each app of ours may list its schedules in ``PERIODIC_TASKS`` in its ``tasks.py``: dicts with ``name``,
``task`` (dotted path), ``crontab`` (``minute``, ``hour``, ``day_of_week``, ``day_of_month``,
``month_of_year``; omitted parts are ``*``), and optionally ``description`` and ``kwargs``.

Idempotent: a task already installed under its name is left as it is, so a schedule an administrator changed
(or a task they disabled) in the admin stays changed. Run on every start (``make run``).
"""

import importlib
import importlib.util
import json

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

CRONTAB_FIELDS = ("minute", "hour", "day_of_week", "day_of_month", "month_of_year")


def declared_periodic_tasks() -> list[dict]:
    """Every ``PERIODIC_TASKS`` entry of our apps' ``tasks`` modules, in ``INSTALLED_APPS`` order."""
    declared = []
    for config in apps.get_app_configs():
        name = f"{config.name}.tasks"
        if config.name.startswith("apps.") and importlib.util.find_spec(name) is not None:
            declared += getattr(importlib.import_module(name), "PERIODIC_TASKS", [])
    return declared


class Command(BaseCommand):
    help = "Install the periodic tasks declared in code into django-celery-beat (keeps administrators' edits)."

    @transaction.atomic
    def handle(self, *args, verbosity=1, **options):
        from django_celery_beat.models import CrontabSchedule, PeriodicTask

        for spec in declared_periodic_tasks():
            if PeriodicTask.objects.filter(name=spec["name"]).exists():
                if verbosity > 1:
                    self.stdout.write(f"kept: {spec['name']}")
                continue
            fields = {part: str(spec["crontab"].get(part, "*")) for part in CRONTAB_FIELDS}
            schedule = CrontabSchedule.objects.filter(timezone=settings.CELERY_TIMEZONE, **fields).first()
            if schedule is None:
                schedule = CrontabSchedule.objects.create(timezone=settings.CELERY_TIMEZONE, **fields)
            PeriodicTask.objects.create(
                name=spec["name"], task=spec["task"], crontab=schedule,
                description=spec.get("description", ""), kwargs=json.dumps(spec.get("kwargs", {})),
            )
            if verbosity:
                self.stdout.write(f"installed: {spec['name']} ({spec['task']})")
