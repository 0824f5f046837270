"""``manage.py seed_demo --scale small|changchun [--reset] [--if-empty]``: realistic demo data modelled on 长春.

A small registry: each installed app of ours may have a ``demo.py`` with ``seed(ctx)`` (and optionally
``reset(ctx)`` and ``has_data()``). They run in ``INSTALLED_APPS`` order (core first), sharing one
``apps.core.demo.DemoContext`` that carries the scale, a seeded ``random.Random`` and what earlier seeders
made; ``--reset`` calls the ``reset`` functions in reverse order first. A later capability extends the demo by
adding its own ``apps/<app>/demo.py``; nothing here changes.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from apps.core.demo import SCALES, DemoContext
from apps.core.registry import app_modules


def demo_modules() -> list:
    """The ``demo`` modules of our apps, in ``INSTALLED_APPS`` order."""
    return app_modules("demo")


class Command(BaseCommand):
    help = "Fill the database with demo data modelled on 长春 (small: ~200 mandates; changchun: ~9,000)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=SCALES, default="small")
        parser.add_argument("--reset", action="store_true", help="delete the demo data first")
        parser.add_argument("--if-empty", action="store_true",
                            help="do nothing when the database already holds data (for `make run`)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed (same seed, same data)")

    def handle(self, *args, scale, reset, if_empty, seed, verbosity=1, **options):
        modules = demo_modules()
        present = any(m.has_data() for m in modules if hasattr(m, "has_data"))
        if present and if_empty:
            if verbosity:
                self.stdout.write("Demo data already present; nothing to do.")
            return
        if present and not reset:
            raise CommandError("The database already holds data; use --reset to replace it, or --if-empty.")

        log = (lambda message: self.stdout.write(f"  {message}")) if verbosity else None
        ctx = DemoContext(scale=scale, seed=seed, log=log)
        started = time.monotonic()
        with transaction.atomic():
            if reset:
                for module in reversed(modules):
                    if hasattr(module, "reset"):
                        module.reset(ctx)
            for module in modules:
                module.seed(ctx)
        if not connection.in_atomic_block:
            # Fresh planner statistics: right after a bulk load the planner would guess badly (the roster page
            # query takes 30 ms instead of 1 ms) until autovacuum gets round to these tables.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        if verbosity:
            self.stdout.write(self.style.SUCCESS(
                f"Seeded {scale} demo data in {time.monotonic() - started:.1f} s "
                f"({', '.join(m.__name__ for m in modules)})."))
