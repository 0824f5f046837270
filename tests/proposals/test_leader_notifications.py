"""The leader of a key item's supervision is told (in-app and by email through the outbox) when they are named,
and once when an item they lead becomes overdue (the daily reminders)."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from apps.committee.models import CommitteeMember
from apps.core.models import Notification, OutboxMessage
from apps.core.tasks import send_notification_email
from apps.proposals.models import Assignment, Proposal, Supervision
from apps.proposals.services import leaders as leader_services
from apps.proposals.tasks import send_daily_reminders
from tests.factories import HandlingUnitFactory
from tests.liaison.test_tasks import worker_queue  # noqa: F401  (a real Celery worker on a queue of its own)
from tests.proposals import board_support as support
from tests.proposals.leader_support import item_led_by
from tests.proposals.office_support import act, council_member, special_committee

S = Proposal.State
EMAIL_TASK = "apps.core.tasks.send_notification_email"
DUE = datetime.date(2026, 10, 8)


def at(day: datetime.date, hour: int = 7):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, hour, 30, tzinfo=support.TZ),
                               tick=False)


def daily(day: datetime.date) -> dict:
    with at(day):
        return send_daily_reminders.apply().get()


def notes(user):
    return list(Notification.objects.filter(recipient=user).order_by("pk"))


@pytest.fixture
def leader(leader_user):
    return leader_user.committee_posts.get()


# --- named ----------------------------------------------------------------------------------------------------

@pytest.fixture
def unsupervised(city, municipal_mandate):
    return support.item(mandate=municipal_mandate, state=S.HANDLING, number=21, title="关于治理餐饮油烟扰民的建议")


def test_a_leader_is_notified_in_app_and_by_email_when_named(client_for, staff_user, leader_user, leader, city,
                                                             unsupervised, mailoutbox,
                                                             django_capture_on_commit_callbacks):
    before = len(notes(leader_user))
    committee = special_committee(city)
    with at(datetime.date(2026, 6, 15), hour=10), django_capture_on_commit_callbacks() as callbacks:
        response = act(client_for(staff_user), "proposal_supervision", unsupervised,
                       {"leader": leader.pk, "committee": committee.pk})
    assert response.status_code == 302
    assert Supervision.objects.get(proposal=unsupervised).leader == leader
    new = notes(leader_user)[before:]
    assert len(new) == 1
    note = new[0]
    assert note.url == reverse("proposals:leader_detail", args=[unsupervised.pk])
    assert "关于治理餐饮油烟扰民的建议" in note.title and "第0021号" in note.title
    assert "财政经济委员会" in note.body and "副主任" in note.body
    message = OutboxMessage.objects.get(task=EMAIL_TASK, args=[note.pk])
    assert callbacks  # the email job is handed to the broker after the commit
    assert send_notification_email.apply(args=[message.args[0]]).get() is True
    assert [m.to for m in mailoutbox] == [[leader_user.email]]
    # The notification opens the item for them.
    assert client_for(leader_user).get(note.url).status_code == 200


def test_a_leader_without_an_account_is_named_without_a_notification(client_for, staff_user, city, city_term,
                                                                     unsupervised):
    leader = council_member(city, city_term, name="孙主任")
    before = Notification.objects.count()
    with at(datetime.date(2026, 6, 15), hour=10):
        assert act(client_for(staff_user), "proposal_supervision", unsupervised,
                   {"leader": leader.pk}).status_code == 302
    assert Supervision.objects.filter(proposal=unsupervised, leader=leader).exists()
    assert Notification.objects.count() == before


def test_naming_is_notified_once_per_supervision(leader_user):
    supervision = item_led_by(leader_user).supervision
    assert leader_services.leader_named_notify(supervision=supervision) is True
    assert leader_services.leader_named_notify(supervision=supervision) is False
    assert len(notes(leader_user)) == 1


def test_a_refused_start_of_supervision_notifies_no_one(client_for, staff_user, leader_user, leader, unsupervised):
    Proposal.objects.filter(pk=unsupervised.pk).update(state=S.CLOSED)
    with at(datetime.date(2026, 6, 15), hour=10):
        act(client_for(staff_user), "proposal_supervision", unsupervised, {"leader": leader.pk})
    assert not Supervision.objects.filter(proposal=unsupervised).exists()
    assert notes(leader_user) == []


# --- overdue --------------------------------------------------------------------------------------------------

@pytest.fixture
def handling(leader_user, city):
    """The leader's item handled by 市水务局 (lead) and 市财政局 (co), its reply due on 8 October."""
    item = item_led_by(leader_user)
    lead = support.assign(item, HandlingUnitFactory(name="市水务局", jurisdiction=city))
    reply = support.deadline(lead, starts_on=datetime.date(2026, 7, 1), due_on=DUE)
    return {"item": item, "lead": lead, "deadline": reply}


def test_a_leader_is_notified_once_when_an_item_they_lead_becomes_overdue(leader_user, handling):
    assert daily(DUE)["leader_reminders"] == 0  # due today: not yet overdue
    assert notes(leader_user) == []
    result = daily(DUE + datetime.timedelta(days=1))
    assert result["leader_reminders"] == 1
    [note] = notes(leader_user)
    assert note.url == reverse("proposals:leader_detail", args=[handling["item"].pk])
    assert "逾期" in note.title and handling["item"].title in note.title
    assert "市水务局" in note.body and "2026年10月8日" in note.body
    assert OutboxMessage.objects.filter(task=EMAIL_TASK, args=[note.pk]).exists()
    # Exactly once: the same day again, the next days.
    assert daily(DUE + datetime.timedelta(days=1))["leader_reminders"] == 0
    assert daily(DUE + datetime.timedelta(days=2))["leader_reminders"] == 0
    assert daily(DUE + datetime.timedelta(days=30))["leader_reminders"] == 0
    assert len(notes(leader_user)) == 1


def test_deadlines_that_pass_together_make_one_notification(leader_user, handling, city):
    co = support.assign(handling["item"], HandlingUnitFactory(name="市财政局", jurisdiction=city),
                        role=Assignment.Role.CO)
    support.deadline(co, starts_on=datetime.date(2026, 7, 1), due_on=DUE)
    assert daily(DUE + datetime.timedelta(days=1))["leader_reminders"] == 1
    [note] = notes(leader_user)
    assert "市水务局" in note.body and "市财政局" in note.body


def test_a_deadline_moved_by_an_extension_is_notified_again_when_it_passes(leader_user, handling):
    daily(DUE + datetime.timedelta(days=1))
    deadline = handling["deadline"]
    deadline.due_on = datetime.date(2026, 11, 9)
    deadline.save(update_fields=["due_on"])
    assert daily(datetime.date(2026, 11, 9))["leader_reminders"] == 0
    assert daily(datetime.date(2026, 11, 10))["leader_reminders"] == 1
    assert len(notes(leader_user)) == 2


def test_a_met_deadline_is_not_notified(leader_user, handling):
    handling["deadline"].is_open = False
    handling["deadline"].save(update_fields=["is_open"])
    assert daily(DUE + datetime.timedelta(days=1))["leader_reminders"] == 0
    assert notes(leader_user) == []


def test_a_leader_whose_post_has_ended_is_not_notified(leader_user, handling):
    CommitteeMember.objects.filter(user=leader_user).update(end_date=datetime.date(2026, 9, 30))
    assert daily(DUE + datetime.timedelta(days=1))["leader_reminders"] == 0
    assert notes(leader_user) == []


def test_a_leader_sees_the_overdue_notification_in_their_inbox(client_for, leader_user, handling):
    daily(DUE + datetime.timedelta(days=1))
    with at(DUE + datetime.timedelta(days=1), hour=9):
        page = client_for(leader_user).get(reverse("core:notification_list")).content.decode()
    assert "您领衔督办的重点议案建议已逾期" in page


def test_a_real_worker_notifies_the_leader_once(worker_queue, leader_user, handling):  # noqa: F811
    first = send_daily_reminders.apply_async(kwargs={"on_date": "2026-10-09"}, queue=worker_queue)
    assert first.get(timeout=90)["leader_reminders"] == 1
    again = send_daily_reminders.apply_async(kwargs={"on_date": "2026-10-10"}, queue=worker_queue)
    assert again.get(timeout=90)["leader_reminders"] == 0
    assert len(notes(leader_user)) == 1
