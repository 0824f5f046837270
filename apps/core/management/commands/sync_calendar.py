"""``manage.py sync_calendar``: write the ``chinese-calendar`` package's holidays and make-up working days into
the working-day calendar (after upgrading the package for a newly announced year)."""

from django.core.management.base import BaseCommand

from apps.core.calendar import sync_from_package


class Command(BaseCommand):
    help = ("Write the chinese-calendar package's holidays and make-up working days into the working-day "
            "calendar. Days entered by staff are kept unless --overwrite-staff is given.")

    def add_arguments(self, parser):
        parser.add_argument("--overwrite-staff", action="store_true",
                            help="also replace the days staff entered with the package's")

    def handle(self, *args, overwrite_staff=False, **options):
        from chinese_calendar.constants import holidays

        written = sync_from_package(overwrite_staff=overwrite_staff)
        self.stdout.write(f"{written} days written; the package covers the years up to {max(holidays).year}.")
