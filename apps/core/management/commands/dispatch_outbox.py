from django.core.management.base import BaseCommand

from apps.core import outbox


class Command(BaseCommand):
    help = "Send the background jobs waiting in the outbox to the broker (what the dispatch_outbox task does)."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500)

    def handle(self, *args, limit=500, **options):
        result = outbox.dispatch_pending(limit=limit)
        self.stdout.write("sent {sent}, failed {failed}, pending {pending}".format(**result))
