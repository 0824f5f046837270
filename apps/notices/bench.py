"""The notices' figures for ``manage.py bench`` (``FIGURES``, ``--only notices``; see that command for the shared
machinery), each measured in a transaction that is rolled back:

- ``notice_publish_9000_s``: the time of publishing one notice to every serving deputy of the city
  (``notice_publish``: one INSERT … SELECT of the receipts), after giving each of them an account (9,000 on the
  长春-scale data; the number is noted); target ≤ 3 s;
- ``notice_receipts_queries``: SQL queries of that notice's receipts page (GET /notices/office/<pk>/) as the
  city ``staff`` user; target ≤ 10;
- ``notice_remind_9000_s`` and ``notice_remind_queries``: the time and SQL queries of reminding all of them (none
  has read it; each has an email): one notification and one email job each, written set-based
  (``apps.core.outbox.enqueue_many``), so the queries do not grow with the recipients; the jobs' dispatch after
  the commit is not measured (the transaction is rolled back).
"""

import time

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.core import roles
from apps.core.registry import BenchFamily


class _RollBack(Exception):
    pass


def _give_accounts(city) -> int:
    """An account (no usable password) for every serving deputy of the city who has none; returns how many
    serving deputies of the city then have one."""
    from apps.deputies.models import Mandate, Person

    User = get_user_model()
    serving = Mandate.objects.current().organised_in(city)
    people = list(Person.objects.filter(mandates__in=serving, user__isnull=True).distinct().values_list("pk", flat=True))
    users = User.objects.bulk_create([User(username=f"bench-deputy-{pk}", person_id=pk, password="!",
                                           email=f"bench-deputy-{pk}@example.invalid") for pk in people],
                                     batch_size=2000)
    group = Group.objects.get(name=roles.DEPUTY)
    User.groups.through.objects.bulk_create([User.groups.through(user_id=u.pk, group_id=group.pk) for u in users],
                                            batch_size=2000)
    return User.objects.filter(person__mandates__in=serving).distinct().count()


def notice_figures(bench) -> None:
    from apps.notices import services

    staff = bench.staff_user()
    try:
        with transaction.atomic():
            with_accounts = _give_accounts(staff.jurisdiction)
            notice = services.notice_create(
                user=staff, jurisdiction=staff.jurisdiction, title="关于召开代表大会的通知",
                body="<p>请全体代表准时参加。</p>", all_serving=True,
                publish_at=timezone.now() + timezone.timedelta(days=1))
            start = time.perf_counter()
            written = services.notice_publish(notice_id=notice.pk)
            seconds = time.perf_counter() - start
            if not written:
                raise CommandError("the notice reached no recipient: the figure would measure nothing")
            bench.note(f"notices: published to {written} recipients ({with_accounts} serving deputies with an "
                       f"account) in {seconds:.2f} s")
            bench.figure("notice_publish_9000_s", round(seconds, 2), "s")
            bench.figure("notice_receipts_queries",
                         bench.page_queries(reverse("notices:notice_detail", args=[notice.pk]), staff), "queries")
            notice.refresh_from_db()
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                reminded = services.notice_remind(user=staff, notice=notice)
                seconds = time.perf_counter() - start
            bench.note(f"notices: reminded {reminded} recipients in {seconds:.2f} s, {len(queries)} queries")
            bench.figure("notice_remind_9000_s", round(seconds, 2), "s")
            bench.figure("notice_remind_queries", len(queries), "queries")
            raise _RollBack
    except _RollBack:
        pass


FIGURES = [BenchFamily("notices", 530, notice_figures)]
