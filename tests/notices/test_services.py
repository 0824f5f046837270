"""The notices' services: set-based publication, scope of the recipients, scheduling, reading, replies and
reminders (time frozen wherever a date matters)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core.models import Notification
from apps.deputies.models import Mandate
from apps.notices import services
from apps.notices.models import Notice, NoticeAttachment, NoticeReceipt
from tests.factories import MandateFactory, UserFactory
from apps.core import roles
from tests.notices.conftest import NOW, publish

pytestmark = pytest.mark.django_db


def _deputies(term, count):
    for _ in range(count):
        UserFactory(roles=[roles.DEPUTY], person=MandateFactory(term=term).person)


def _publish_queries(staff_user) -> tuple[int, int]:
    notice = publish(staff_user, all_serving=True, publish_at=NOW + datetime.timedelta(days=1))
    with CaptureQueriesContext(connection) as queries:
        written = services.notice_publish(notice_id=notice.pk)
    return written, len(queries)


def test_publishing_costs_the_same_queries_for_three_or_thirty_recipients(frozen, staff_user, city_term):
    _deputies(city_term, 3)
    few, few_queries = _publish_queries(staff_user)
    _deputies(city_term, 27)
    many, many_queries = _publish_queries(staff_user)
    assert (few, many) == (3, 30)
    assert few_queries == many_queries <= 6


def test_recipients_are_the_serving_deputies_of_the_chosen_delegation_with_an_account(frozen, staff_user,
                                                                                      delegation, deputy_user):
    Mandate.objects.filter(person__name="刘一").update(status=Mandate.Status.SUSPENDED)
    notice = publish(staff_user, delegations=[delegation])
    assert list(notice.receipts.values_list("user__username", flat=True)) == ["deputy"]
    assert notice.status == Notice.Status.PUBLISHED


def test_a_county_notice_does_not_reach_the_citys_deputies(frozen, county_staff_user, county_mandate,
                                                            deputy_user):
    county_deputy = UserFactory(roles=[roles.DEPUTY], person=county_mandate.person)
    notice = publish(county_staff_user, all_serving=True)
    assert list(notice.receipts.values_list("user", flat=True)) == [county_deputy.pk]


def test_roles_and_named_people_are_added_together(frozen, staff_user, county_staff_user, delegation,
                                                   deputy_user, member_user):
    notice = publish(staff_user, roles=[roles.STAFF], people=[deputy_user.person])
    assert set(notice.receipts.values_list("user__username", flat=True)) == {"staff", "county_staff", "deputy"}


def test_a_notice_without_recipients_or_with_a_past_deadline_is_refused_and_nothing_written(frozen, staff_user):
    with pytest.raises(ValidationError) as refused:
        publish(staff_user, kind=Notice.Kind.INSPECTION, reply_deadline=NOW - datetime.timedelta(hours=1))
    assert set(refused.value.error_dict) == {"reply_deadline", "all_serving"}
    assert not Notice.objects.exists()


def test_the_body_keeps_formatting_and_loses_scripts(frozen, staff_user, deputy_user):
    notice = publish(staff_user, all_serving=True,
                     body='<p onclick="x()">会议<strong>通知</strong><script>alert(1)</script>'
                          '<a href="javascript:alert(1)">链接</a></p>')
    assert "<strong>通知</strong>" in notice.body
    assert "script" not in notice.body and "onclick" not in notice.body and "javascript" not in notice.body


def test_an_attachment_is_checked_by_its_content_and_a_refusal_writes_nothing(frozen, staff_user, deputy_user):
    fake = SimpleUploadedFile("会议议程.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError):
        publish(staff_user, all_serving=True, attachments=[fake])
    assert not Notice.objects.exists() and not NoticeAttachment.objects.exists()
    pdf = SimpleUploadedFile("会议议程.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/octet-stream")
    notice = publish(staff_user, all_serving=True, attachments=[pdf])
    assert notice.attachments.get().content_type == "application/pdf"


def test_a_scheduled_notice_is_published_by_the_beat_task_once_its_time_comes(frozen, staff_user, deputy_user):
    from apps.notices.tasks import publish_due_notices

    notice = publish(staff_user, all_serving=True, publish_at=NOW + datetime.timedelta(hours=2))
    assert notice.status == Notice.Status.SCHEDULED and not notice.receipts.exists()
    assert publish_due_notices() == 0
    frozen.shift(datetime.timedelta(hours=2))
    assert publish_due_notices() == 1
    assert publish_due_notices() == 0
    notice.refresh_from_db()
    assert notice.status == Notice.Status.PUBLISHED and notice.receipts.count() == 1


def test_reading_records_the_first_time_only(frozen, staff_user, deputy_user):
    receipt = publish(staff_user, all_serving=True).receipts.get()
    services.notice_read(receipt=receipt)
    frozen.shift(datetime.timedelta(hours=1))
    services.notice_read(receipt=NoticeReceipt.objects.get(pk=receipt.pk))
    assert NoticeReceipt.objects.get(pk=receipt.pk).read_at == NOW


def test_replies_come_before_the_deadline_and_leave_needs_a_reason(frozen, staff_user, deputy_user):
    notice = publish(staff_user, all_serving=True, kind=Notice.Kind.STANDING_COMMITTEE,
                     reply_deadline=NOW + datetime.timedelta(days=1))
    receipt = notice.receipts.select_related("notice").get()
    with pytest.raises(ValidationError):
        services.notice_reply(receipt=receipt, reply="leave", reason=" ")
    services.notice_reply(receipt=receipt, reply="leave", reason="出差")
    assert (receipt.reply, receipt.reason, receipt.read_at) == ("leave", "出差", NOW)
    frozen.shift(datetime.timedelta(days=1, seconds=1))
    with pytest.raises(ValidationError):
        services.notice_reply(receipt=receipt, reply="attend")
    assert NoticeReceipt.objects.get(pk=receipt.pk).reply == "leave"


def test_the_unread_are_reminded_at_most_once_a_day(frozen, staff_user, delegation, deputy_user):
    notice = publish(staff_user, delegations=[delegation])
    services.notice_read(receipt=notice.receipts.get(user=deputy_user))
    assert services.notice_remind(user=staff_user, notice=notice) == 1
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["deputy2"]
    with pytest.raises(ValidationError):
        services.notice_remind(user=staff_user, notice=notice)
    frozen.shift(datetime.timedelta(days=1))
    assert services.notice_remind(user=staff_user, notice=Notice.objects.get(pk=notice.pk)) == 1
    assert Notification.objects.count() == 2


def test_with_sms_reminders_on_the_unread_with_a_mobile_also_get_a_text_message(frozen, staff_user, delegation,
                                                                               deputy_user, settings):
    from apps.core.models import SmsMessage

    settings.SMS_REMINDERS = True
    notice = publish(staff_user, delegations=[delegation])
    services.notice_read(receipt=notice.receipts.get(user=deputy_user))
    unread = notice.receipts.exclude(user=deputy_user).get().user
    unread.phone = "13912345678"
    unread.save()
    assert services.notice_remind(user=staff_user, notice=notice) == 1
    assert list(SmsMessage.objects.values_list("number_masked", "status")) == [("139****5678", "queued")]


def _remind_queries(staff_user) -> tuple[int, int]:
    notice = publish(staff_user, all_serving=True)
    with CaptureQueriesContext(connection) as queries:
        reminded = services.notice_remind(user=staff_user, notice=notice)
    return reminded, len(queries)


def test_a_reminder_queues_one_email_per_recipient_in_the_same_queries_for_two_or_ten(
        frozen, staff_user, city_term, settings, mailoutbox, django_capture_on_commit_callbacks):
    from apps.core.models import OutboxMessage
    from tests.reliability.support import broker_back

    _deputies(city_term, 2)
    few, few_queries = _remind_queries(staff_user)
    _deputies(city_term, 8)
    OutboxMessage.objects.all().delete()
    with broker_back(settings), django_capture_on_commit_callbacks(execute=True):
        many, many_queries = _remind_queries(staff_user)
    assert (few, many) == (2, 10)
    assert few_queries == many_queries
    jobs = OutboxMessage.objects.filter(task="apps.core.tasks.send_notification_email")
    assert jobs.count() == 10 and not jobs.filter(dispatched_at__isnull=True).exists()
    # each recipient gets his own message, no one sees the others' addresses
    assert len(mailoutbox) == 10 and all(len(mail.to) == 1 for mail in mailoutbox)
    assert len({mail.to[0] for mail in mailoutbox}) == 10
