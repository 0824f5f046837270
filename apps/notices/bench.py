"""The notices' figures for ``manage.py bench`` (``FIGURES``, ``--only notices``; see that command for the shared
machinery), each measured in a transaction that is rolled back:

- ``notice_publish_9000_s``: the time of publishing one notice to every serving deputy of the city
  (``notice_publish``: one INSERT … SELECT of the receipts), after giving each of them an account (9,000 on the
  长春-scale data; the number is noted); target ≤ 3 s;
- ``notice_receipts_queries``: SQL queries of that notice's receipts page (GET /notices/office/<pk>/) as the
  city ``staff`` user; target ≤ 10;
- the same notice made a meeting notice naming a new activity of the city, 500 of its recipients having replied
  (400 参加, 100 请假): ``meeting_replies_read_s``, the time of reading the activity's replies (one query over
  every receipt of the notice; target ≤ 0.2 s), and ``meeting_prefill_page_queries`` / ``meeting_prefill_page_s``,
  the queries and the time of the activity's page with the 500 replies pre-filled as proposals (targets: the
  queries of an activity page without replies plus two; ≤ 2 s).
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
            _prefill_figures(bench, staff, notice)
            raise _RollBack
    except _RollBack:
        pass


def _prefill_figures(bench, staff, notice) -> None:
    """The notice names a new activity of the city and 500 of its recipients replied: the replies' read and the
    activity's page with them pre-filled."""
    from django.test import Client

    from apps.activities.models import Activity, ActivityType
    from apps.core.registry import meeting_replies
    from apps.notices.models import Notice, NoticeReceipt

    activity = Activity.objects.create(type=ActivityType.objects.get(code="inspection"), title="bench 集中视察",
                                       jurisdiction=staff.jurisdiction, level="municipal",
                                       start_date=timezone.localdate())
    Notice.objects.filter(pk=notice.pk).update(kind=Notice.Kind.INSPECTION, target_kind="activity",
                                               target_id=activity.pk)
    receipts = list(NoticeReceipt.objects.filter(notice=notice).order_by("pk").values_list("pk", flat=True)[:500])
    now = timezone.now()
    NoticeReceipt.objects.filter(pk__in=receipts[:400]).update(reply="attend", replied_at=now)
    NoticeReceipt.objects.filter(pk__in=receipts[400:]).update(reply="leave", reason="出差", replied_at=now)
    start = time.perf_counter()
    replies = meeting_replies("activity", activity.pk)
    bench.figure("meeting_replies_read_s", round(time.perf_counter() - start, 3), "s")
    bench.note(f"notices: the activity's replies {replies.counts}")
    url = reverse("activities:activity_detail", args=[activity.pk])
    bench.figure("meeting_prefill_page_queries", bench.page_queries(url, staff), "queries")
    client = Client()
    client.force_login(staff)
    start = time.perf_counter()
    response = client.get(url)
    if response.status_code != 200:
        raise CommandError(f"GET {url} answered {response.status_code}")
    bench.figure("meeting_prefill_page_s", round(time.perf_counter() - start, 2), "s")


FIGURES = [BenchFamily("notices", 530, notice_figures)]
