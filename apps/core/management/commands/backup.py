from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.core import backups


class Command(BaseCommand):
    help = "Dump the database with pg_dump (custom format) to var/backups/deputies-YYYYmmdd-HHMMSS.dump."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="the file to write (default: BACKUP_DIR, named by date)")
        parser.add_argument("--database-name", help="another database on the same server")

    def handle(self, *args, output=None, database_name=None, **options):
        try:
            path = backups.backup(output=output, database_name=database_name)
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(path))
