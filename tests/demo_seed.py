"""Seeding the demo once for a test module.

``seed_demo`` takes seconds; a module whose tests only read the demo (or write and roll back) seeds it once, in a
transaction opened around the whole module and rolled back after its last test. Each test still runs in its own
transaction (pytest-django's ``db``), a savepoint on top of the module's data, so what one test writes — a reset,
a reseed — is rolled back before the next one: every test starts from the same seeded state.
"""

from __future__ import annotations

import contextlib
import datetime

import time_machine
from django.core.management import call_command
from django.db import transaction


@contextlib.contextmanager
def demo_seeded_once(django_db_blocker, *, at: datetime.datetime | None = None, **options):
    """Seed the small demo (at ``at``, when given) inside a transaction rolled back when the block ends."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            travel = time_machine.travel(at, tick=False) if at else contextlib.nullcontext()
            with travel:
                call_command("seed_demo", scale="small", verbosity=0, **options)
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
