"""The periodic reminders: units 14 and 3 days before a deadline and once overdue, deputies before their rating
window closes, supervisors' weekly digest; each sent once, whichever run gets there first."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from apps.core import roles
from apps.core.models import Notification
from apps.proposals.models import Assignment, Deadline, Proposal, Rating, ReminderSent
from apps.proposals.services import reminders
from apps.proposals.tasks import PERIODIC_TASKS, send_daily_reminders, send_weekly_digest
from tests.factories import HandlingUnitFactory, UserFactory
from tests.liaison.test_tasks import worker_queue  # noqa: F401  (a real Celery worker on a queue of its own)
from tests.proposals import board_support as support
from tests.proposals.factories import SignatureFactory, deputy_for, make_replied

TZ = support.TZ
S = Proposal.State
DUE = datetime.date(2026, 10, 8)  # a reply deadline counted from 1 July (3 months, past 国庆)


def at(day: datetime.date, hour: int = 7):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, hour, 30, tzinfo=TZ), tick=False)


def daily(day: datetime.date) -> dict:
    with at(day):
        return send_daily_reminders.apply().get()


def unit_notes(user):
    return list(Notification.objects.filter(recipient=user).order_by("pk"))


@pytest.fixture
def handling(city, municipal_mandate):
    """An item being handled by 市交通运输局 (two accounts, one inactive), its reply due on 8 October."""
    unit = HandlingUnitFactory(name="市交通运输局", jurisdiction=city)
    user = UserFactory(username="jiaotong", roles=[roles.UNIT], handling_unit=unit)
    UserFactory(username="jiaotong_old", roles=[roles.UNIT], handling_unit=unit, is_active=False)
    item = support.item(mandate=municipal_mandate, state=S.HANDLING, number=12, title="关于优化公交线路的建议")
    lead = support.assign(item, unit)
    reply = support.deadline(lead, starts_on=datetime.date(2026, 7, 1), due_on=DUE)
    return {"unit": unit, "user": user, "item": item, "lead": lead, "deadline": reply}


# --- units ----------------------------------------------------------------------------------------------------

def test_the_unit_is_reminded_14_days_before_its_deadline(handling):
    assert daily(datetime.date(2026, 9, 23))["deadline_reminders"] == 0  # 15 days left

    result = daily(datetime.date(2026, 9, 24))

    assert result["deadline_reminders"] == 1 and result["notified"] == 1
    [note] = unit_notes(handling["user"])
    assert "14天" in note.title and "2026年10月8日" in note.title
    assert "第0012号《关于优化公交线路的建议》" in note.body
    assert note.url == reverse("proposals:unit_assignment", args=[handling["lead"].pk])
    assert ReminderSent.objects.filter(key=f"deadline:{handling['deadline'].pk}:20261008:14").exists()


def test_a_second_run_and_the_next_days_send_the_14_day_reminder_no_more(handling):
    daily(datetime.date(2026, 9, 24))

    assert daily(datetime.date(2026, 9, 24))["deadline_reminders"] == 0
    assert daily(datetime.date(2026, 9, 25))["deadline_reminders"] == 0
    assert daily(datetime.date(2026, 10, 4))["deadline_reminders"] == 0
    assert len(unit_notes(handling["user"])) == 1


def test_the_unit_is_reminded_3_days_before_then_once_overdue(handling):
    daily(datetime.date(2026, 9, 24))

    assert daily(datetime.date(2026, 10, 5))["deadline_reminders"] == 1
    assert "3天" in unit_notes(handling["user"])[-1].title
    assert daily(datetime.date(2026, 10, 8))["deadline_reminders"] == 0  # due today: not yet overdue
    assert daily(datetime.date(2026, 10, 9))["deadline_reminders"] == 1
    overdue = unit_notes(handling["user"])[-1]
    assert "已逾期" in overdue.title and "2026年10月8日" in overdue.title and "延期" in overdue.body
    assert daily(datetime.date(2026, 10, 20))["deadline_reminders"] == 0
    assert len(unit_notes(handling["user"])) == 3


def test_a_run_missed_for_days_sends_only_the_step_due(handling):
    assert daily(datetime.date(2026, 10, 6))["deadline_reminders"] == 1  # the 14-day step is past: only "3"
    [note] = unit_notes(handling["user"])
    assert "2天" in note.title


def test_a_deadline_shorter_than_14_days_is_reminded_3_days_before_only(handling):
    Deadline.objects.filter(pk=handling["deadline"].pk).update(is_open=False)
    support.deadline(handling["lead"], kind=Deadline.Kind.SIGN, starts_on=datetime.date(2026, 7, 1),
                     due_on=datetime.date(2026, 7, 8))

    assert daily(datetime.date(2026, 7, 1))["deadline_reminders"] == 0
    assert daily(datetime.date(2026, 7, 5))["deadline_reminders"] == 1
    assert daily(datetime.date(2026, 7, 9))["deadline_reminders"] == 1


def test_an_extended_deadline_is_reminded_again_for_its_new_date(handling):
    daily(datetime.date(2026, 9, 24))
    Deadline.objects.filter(pk=handling["deadline"].pk).update(due_on=datetime.date(2026, 11, 9))

    assert daily(datetime.date(2026, 10, 5))["deadline_reminders"] == 0  # 35 days left now
    assert daily(datetime.date(2026, 10, 26))["deadline_reminders"] == 1
    assert "2026年11月9日" in unit_notes(handling["user"])[-1].title


def test_met_deadlines_returned_assignments_and_rating_windows_are_not_reminded(handling, city, municipal_mandate):
    Deadline.objects.filter(pk=handling["deadline"].pk).update(is_open=False)
    returned = support.item(mandate=municipal_mandate, state=S.ASSIGNED)
    support.deadline(support.assign(returned, handling["unit"], state=Assignment.State.RETURNED), due_on=DUE)
    rated = support.item(mandate=municipal_mandate, state=S.REPLIED)
    support.deadline(support.assign(rated, handling["unit"]), kind=Deadline.Kind.RATING, due_on=DUE)

    assert daily(datetime.date(2026, 10, 9))["deadline_reminders"] == 0
    assert not Notification.objects.exists()


def test_a_unit_without_an_active_account_is_claimed_but_nobody_notified(handling):
    handling["user"].is_active = False
    handling["user"].save()

    assert daily(datetime.date(2026, 9, 24)) == {
        "closed": 0, "deadline_reminders": 1, "rating_reminders": 0, "leader_reminders": 0, "notified": 0}
    assert not Notification.objects.exists()


def test_a_reminder_claimed_by_another_run_is_not_sent_again(handling, monkeypatch):
    # Another worker claimed the reminder between this run's read of the sent keys and its own claim.
    monkeypatch.setattr(reminders, "_sent", lambda keys: set())
    ReminderSent.objects.create(key=f"deadline:{handling['deadline'].pk}:20261008:14")

    with at(datetime.date(2026, 9, 24)):
        assert reminders.deadline_reminders_send(today=datetime.date(2026, 9, 24)) == {
            "reminders": 0, "notified": 0}
    assert not Notification.objects.exists()


def test_a_failed_notification_leaves_the_reminder_unclaimed(handling, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("mail server down")

    monkeypatch.setattr(reminders, "notify", broken)
    with pytest.raises(RuntimeError):
        daily(datetime.date(2026, 9, 24))
    assert not ReminderSent.objects.exists()
    monkeypatch.undo()
    assert daily(datetime.date(2026, 9, 24))["deadline_reminders"] == 1


# --- deputies -------------------------------------------------------------------------------------------------

@pytest.fixture
def replied(city, city_term, municipal_mandate, deputy_user):
    """A reply of 1 July through the services, to a suggestion with a confirmed co-signer (an account), an
    unconfirmed one and one who declined."""
    with at(datetime.date(2026, 7, 1), hour=9):
        item = make_replied(mandate=municipal_mandate, reply_class="B", title="关于增设社区养老服务站的建议")
        confirmed = SignatureFactory(proposal=item, confirmed=True)
        for other in (SignatureFactory(proposal=item),
                      SignatureFactory(proposal=item, declined_at=datetime.datetime(2026, 6, 1, tzinfo=TZ))):
            deputy_for(other.person)
    window = item.deadlines.get(kind=Deadline.Kind.RATING)
    return {"item": item, "cosigner": deputy_for(confirmed.person), "lead": deputy_user, "window": window}


def test_signers_are_reminded_once_before_their_rating_window_closes(replied):
    window = replied["window"].due_on
    Notification.objects.all().delete()  # what the reply itself sent
    assert daily(window - datetime.timedelta(days=6))["rating_reminders"] == 0

    result = daily(window - datetime.timedelta(days=5))

    assert result["rating_reminders"] == 2 and result["notified"] == 2
    for user in (replied["lead"], replied["cosigner"]):
        [note] = Notification.objects.filter(recipient=user)
        assert "关于增设社区养老服务站的建议" in note.title and "满意" in note.body
        assert f"请于{window.year}年{window.month}月{window.day}日前测评" in note.body
        assert note.url == reverse("proposals:my_rating", args=[replied["item"].pk])
    assert Notification.objects.count() == 2
    assert daily(window - datetime.timedelta(days=4))["rating_reminders"] == 0
    assert daily(window)["rating_reminders"] == 0


def test_a_signer_who_rated_is_not_reminded(replied):
    from apps.proposals.services.ratings import rating_submit

    window = replied["window"].due_on
    with at(window - datetime.timedelta(days=7), hour=9):
        rating_submit(proposal=Proposal.objects.get(pk=replied["item"].pk), user=replied["cosigner"],
                      result=Rating.Result.SATISFIED)
    Notification.objects.all().delete()

    assert daily(window - datetime.timedelta(days=3))["rating_reminders"] == 1
    assert Notification.objects.get().recipient == replied["lead"]


def test_the_daily_task_closes_items_whose_rating_window_ended(replied):
    window = replied["window"].due_on

    result = daily(window + datetime.timedelta(days=1))

    assert result["closed"] == 1 and result["rating_reminders"] == 0
    assert Proposal.objects.get(pk=replied["item"].pk).state == S.CLOSED


# --- supervisors ----------------------------------------------------------------------------------------------

MONDAY = datetime.date(2026, 6, 15)


@pytest.fixture
def digest_cast(city, county, supervisor_user, municipal_mandate, county_mandate):
    county_supervisor = UserFactory(username="county_supervisor", roles=[roles.SUPERVISOR], jurisdiction=county)
    UserFactory(username="gone", roles=[roles.SUPERVISOR], jurisdiction=city, is_active=False)
    late = support.item(mandate=municipal_mandate, state=S.HANDLING, number=7)
    support.deadline(support.assign(late, HandlingUnitFactory(name="市住建局", jurisdiction=city)),
                     due_on=MONDAY - datetime.timedelta(days=3))
    support.item(mandate=county_mandate, state=S.SUBMITTED)
    return {"city": supervisor_user, "county": county_supervisor}


def weekly(day: datetime.date) -> dict:
    with at(day, hour=8):
        return send_weekly_digest.apply().get()


def test_supervisors_get_their_boards_digest_once_a_week(digest_cast):
    assert weekly(MONDAY) == {"digests": 2, "notified": 2}

    [city_note] = Notification.objects.filter(recipient=digest_cast["city"])
    assert "长春市" in city_note.title and "2026年第25周" in city_note.title
    assert "共 2 件" in city_note.body and "已逾期 1 件" in city_note.body
    assert "市住建局：逾期 1 件" in city_note.body
    assert city_note.url == reverse("proposals:board")
    [county_note] = Notification.objects.filter(recipient=digest_cast["county"])
    assert "共 1 件" in county_note.body and "市住建局" not in county_note.body

    assert weekly(MONDAY + datetime.timedelta(days=2)) == {"digests": 0, "notified": 0}
    assert weekly(MONDAY + datetime.timedelta(days=7)) == {"digests": 2, "notified": 2}
    assert Notification.objects.filter(recipient=digest_cast["city"]).count() == 2
    assert set(ReminderSent.objects.filter(key__startswith="digest:").values_list("key", flat=True)) == {
        f"digest:{u.jurisdiction_id}:{week}" for u in digest_cast.values() for week in ("2026-W25", "2026-W26")}


# --- scheduling and a real worker -----------------------------------------------------------------------------

def test_setup_periodic_tasks_installs_the_daily_and_weekly_tasks(db):
    call_command("setup_periodic_tasks", verbosity=0)

    daily_task = PeriodicTask.objects.get(task="apps.proposals.tasks.send_daily_reminders")
    assert (daily_task.crontab.minute, daily_task.crontab.hour, daily_task.crontab.day_of_week) == ("30", "7", "*")
    weekly_task = PeriodicTask.objects.get(task="apps.proposals.tasks.send_weekly_digest")
    assert (weekly_task.crontab.hour, weekly_task.crontab.day_of_week) == ("8", "1")
    assert {entry["name"] for entry in PERIODIC_TASKS} == {daily_task.name, weekly_task.name}


def test_a_real_worker_reminds_once(worker_queue, handling):  # noqa: F811
    first = send_daily_reminders.apply_async(kwargs={"on_date": "2026-09-24"}, queue=worker_queue)
    assert first.get(timeout=90) == {"closed": 0, "deadline_reminders": 1, "rating_reminders": 0,
                                     "leader_reminders": 0, "notified": 1}
    again = send_daily_reminders.apply_async(kwargs={"on_date": "2026-09-25"}, queue=worker_queue)
    assert again.get(timeout=90) == {"closed": 0, "deadline_reminders": 0, "rating_reminders": 0,
                                     "leader_reminders": 0, "notified": 0}
    assert Notification.objects.filter(recipient=handling["user"]).count() == 1
    assert ReminderSent.objects.count() == 1
