from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.core import backups


class Command(BaseCommand):
    help = ("Restore a dump made by `manage.py backup` into the configured database, REPLACING its contents "
            "(pg_restore --clean --if-exists, in one transaction). Asks nothing: stop the web and worker first.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="a .dump file made by `manage.py backup`")
        parser.add_argument("--database-name", help="restore into another database on the same server")

    def handle(self, *args, file, database_name=None, **options):
        try:
            backups.restore(dump=file, database_name=database_name)
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        if options["verbosity"]:
            self.stdout.write(f"restored {file}")
