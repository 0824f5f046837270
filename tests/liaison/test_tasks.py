"""The monthly reminder to members behind pace: once per month, in-app and email, with a summary for staff."""

import datetime
import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django_celery_beat.models import PeriodicTask

from apps.committee.models import Post
from apps.core import roles
from apps.core.models import Notification
from apps.liaison.models import LiaisonPlan, ReminderLog
from apps.liaison.tasks import remind_members_behind_pace
from tests.factories import UserFactory
from tests.liaison import plans_support as support

TZ = datetime.timezone(datetime.timedelta(hours=8))
APRIL_1 = datetime.datetime(2026, 4, 1, 8, 0, tzinfo=TZ)


@pytest.fixture
def eager_celery(settings):
    """Run tasks in-process the moment they are queued (the notification emails)."""
    from deputies_platform.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = True
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def behind_cast(city, city_term, county, county_term, staff_user, county_staff_user):
    """A published 2026 city plan: 委员甲 (with an account) and 委员丙 (without) have not contacted their deputy,
    委员乙 has; a draft county plan whose member is behind too."""
    roster = support.city_roster(city, city_term)
    plan = LiaisonPlan.objects.create(jurisdiction=city, year=2026, status=LiaisonPlan.Status.PUBLISHED)
    user = UserFactory(username="weiyuanjia", roles=[roles.MEMBER], jurisdiction=city)
    behind = support.member(city_term, Post.MEMBER, name="委员甲", user=user)
    on_pace = support.member(city_term, Post.MEMBER, name="委员乙",
                             user=UserFactory(roles=[roles.MEMBER], jurisdiction=city))
    no_account = support.member(city_term, Post.MEMBER, name="委员丙")
    for i, m in enumerate((behind, on_pace, no_account)):
        support.assign(plan, m, mandate=roster["municipal"][i])
    support.contact(on_pace, datetime.date(2026, 3, 2), people=[roster["municipal"][1].person])
    county_plan = LiaisonPlan.objects.create(jurisdiction=county, year=2026)
    county_member = support.member(county_term, Post.MEMBER, user=UserFactory(roles=[roles.MEMBER],
                                                                              jurisdiction=county))
    support.assign(county_plan, county_member, mandate=support.deputies(county_term, 1, prefix="县")[0])
    return {"behind": behind, "on_pace": on_pace, "no_account": no_account, "county_member": county_member,
            "staff": staff_user, "county_staff": county_staff_user}


@time_machine.travel(APRIL_1, tick=False)
@pytest.mark.smoke
def test_members_behind_pace_are_reminded_and_staff_get_one_summary(behind_cast, eager_celery,
                                                                    django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = remind_members_behind_pace.apply().get()

    assert result == {"reminded": 2, "summaries": 1}
    [note] = Notification.objects.filter(recipient=behind_cast["behind"].user)
    assert note.title == "您联系代表的进度滞后"
    assert "市甲" in note.body and note.url == "/liaison/my/"
    assert not Notification.objects.filter(recipient=behind_cast["on_pace"].user).exists()
    assert not Notification.objects.filter(recipient=behind_cast["county_member"].user).exists()  # a draft plan
    [summary] = Notification.objects.filter(recipient=behind_cast["staff"])
    assert "委员甲" in summary.body and "委员丙" in summary.body and "委员乙" not in summary.body
    assert "2026-04" in summary.title
    assert not Notification.objects.filter(recipient=behind_cast["county_staff"]).exists()
    assert set(ReminderLog.objects.values_list("member__person__name", "period")) == {
        ("委员甲", "2026-04"), ("委员丙", "2026-04")}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([behind_cast["behind"].user.email,
                                                          behind_cast["staff"].email])


@time_machine.travel(APRIL_1, tick=False)
def test_a_second_run_in_the_same_month_sends_nothing(behind_cast):
    remind_members_behind_pace.apply().get()
    sent = Notification.objects.count()
    with time_machine.travel(datetime.datetime(2026, 4, 28, 8, 0, tzinfo=TZ), tick=False):
        assert remind_members_behind_pace.apply().get() == {"reminded": 0, "summaries": 0}
    assert Notification.objects.count() == sent


@time_machine.travel(APRIL_1, tick=False)
def test_the_next_month_reminds_again_those_still_behind(behind_cast):
    remind_members_behind_pace.apply().get()
    with time_machine.travel(datetime.datetime(2026, 5, 1, 8, 0, tzinfo=TZ), tick=False):
        assert remind_members_behind_pace.apply().get() == {"reminded": 2, "summaries": 1}
    assert Notification.objects.filter(recipient=behind_cast["behind"].user).count() == 2


@time_machine.travel(datetime.datetime(2026, 3, 1, 8, 0, tzinfo=TZ), tick=False)
def test_nobody_is_behind_before_the_first_contact_is_due(behind_cast):
    assert remind_members_behind_pace.apply().get() == {"reminded": 0, "summaries": 0}
    assert not Notification.objects.exists()


@time_machine.travel(APRIL_1, tick=False)
def test_a_reminder_already_claimed_for_the_month_is_not_sent_again(behind_cast):
    ReminderLog.objects.create(member=behind_cast["behind"], period="2026-04")
    assert remind_members_behind_pace.apply().get() == {"reminded": 1, "summaries": 1}
    assert not Notification.objects.filter(recipient=behind_cast["behind"].user).exists()


def test_the_task_takes_the_day_to_judge_on(behind_cast):
    assert remind_members_behind_pace.apply(kwargs={"on_date": "2026-04-01"}).get() == {
        "reminded": 2, "summaries": 1}


def test_setup_periodic_tasks_installs_the_monthly_reminder(db):
    call_command("setup_periodic_tasks", verbosity=0)
    task = PeriodicTask.objects.get(task="apps.liaison.tasks.remind_members_behind_pace")
    assert task.enabled
    crontab = task.crontab
    assert (crontab.minute, crontab.hour, crontab.day_of_month, crontab.month_of_year) == ("0", "8", "1", "*")


# --- through a real worker -------------------------------------------------------------------------------------

@pytest.fixture
def worker_queue(transactional_db):
    """A `celery worker` on a queue of its own, pointed at the test database. Tasks it queues itself (the
    notification emails) run in-process there, with the in-memory email backend."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = dict(os.environ, TESTING="1", CELERY_TASK_ALWAYS_EAGER="1",
               EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
               DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}")
    with tempfile.TemporaryFile(mode="w+") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "deputies_platform", "worker", "-Q", queue, "--pool", "solo",
             "-l", "warning", "--without-heartbeat", "--without-gossip", "--without-mingle"],
            cwd=Path(settings.BASE_DIR), env=env, stdout=log, stderr=subprocess.STDOUT, text=True,
        )
        yield queue
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_a_real_worker_reminds_once_per_month(worker_queue, behind_cast):
    result = remind_members_behind_pace.apply_async(kwargs={"on_date": "2026-04-01"}, queue=worker_queue)
    assert result.get(timeout=90) == {"reminded": 2, "summaries": 1}
    notes = Notification.objects.filter(recipient__in=[behind_cast["behind"].user, behind_cast["staff"]])
    assert notes.count() == 2
    assert all(n.emailed_at is not None for n in notes)  # the worker emailed them too

    again = remind_members_behind_pace.apply_async(kwargs={"on_date": "2026-04-20"}, queue=worker_queue)
    assert again.get(timeout=90) == {"reminded": 0, "summaries": 0}
    assert Notification.objects.count() == 2
    assert ReminderLog.objects.filter(period="2026-04").count() == 2
