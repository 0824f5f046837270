"""Editing, deleting and ending notices: a scheduled notice is edited (Chinese messages, nothing half-written)
or deleted; a published one only ended by its end date, after which its recipients no longer see it. Every
change audited; the county's staff get a 404 for the city's notice."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.notices.models import Notice, NoticeAttachment
from tests.notices.conftest import NOW, publish

pytestmark = pytest.mark.django_db
TOMORROW = NOW + datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"


def _form(**change):
    data = {"kind": "notice", "title": "座谈会通知改期", "body": "<p>改期。</p>", "publish_at": "2026-06-02T09:00",
            "all_serving": "on"}
    return {**data, **change}


def test_staff_edit_a_scheduled_notice_and_a_bad_edit_changes_nothing(frozen, client_for, staff_user,
                                                                       county_staff_user, deputy_user):
    notice = publish(staff_user, all_serving=True, publish_at=TOMORROW)
    url = reverse("notices:notice_edit", args=[notice.pk])
    assert client_for(county_staff_user).get(url).status_code == 404
    client = client_for(staff_user)
    assert client.get(url).context["form"].initial["title"] == notice.title
    for change, field, message in [({"body": "<script>x</script>"}, "body", "正文"),
                                   ({"ends_on": "2026-06-01"}, "ends_on", "发布"),
                                   ({"publish_at": "2026-02-30T09:00"}, "publish_at", "日期")]:
        response = client.post(url, _form(**change))
        assert message in " ".join(response.context["form"].errors[field]), field
    assert Notice.objects.get().title == notice.title
    assert client.post(url, _form()).status_code == 302
    edited = Notice.objects.get()
    assert (edited.title, edited.status, edited.receipts.count()) == ("座谈会通知改期", "scheduled", 0)
    assert client.post(url, _form(publish_at="")).status_code == 302  # no time: published now
    assert Notice.objects.get().receipts.filter(user=deputy_user).exists()
    assert AuditEvent.objects.filter(object_type="notices.Notice", action="update", user=staff_user).count() == 2


def test_staff_take_an_attachment_off_a_scheduled_notice_and_its_file_goes(frozen, client_for, staff_user, settings,
                                                                           tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    files = [SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n") for name in ("旧议程.pdf", "会议须知.pdf")]
    notice = publish(staff_user, all_serving=True, publish_at=TOMORROW, attachments=files)
    old, kept = notice.attachments.order_by("pk")
    other = publish(staff_user, all_serving=True, publish_at=TOMORROW,
                    attachments=[SimpleUploadedFile("别的.pdf", b"%PDF-1.4\n%%EOF\n")]).attachments.get()
    url = reverse("notices:notice_edit", args=[notice.pk])
    client = client_for(staff_user)
    page = client.get(url).content.decode()
    assert "删除附件" in page and "旧议程.pdf" in page and "别的.pdf" not in page
    response = client.post(url, _form(remove_attachments=[str(other.pk)]))  # another notice's file: refused
    assert "remove_attachments" in response.context["form"].errors
    assert NoticeAttachment.objects.count() == 3
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, _form(remove_attachments=[str(old.pk)])).status_code == 302
    assert list(notice.attachments.values_list("name", flat=True)) == ["会议须知.pdf"]
    assert not (tmp_path / old.file.name).exists() and (tmp_path / kept.file.name).exists()
    assert "旧议程.pdf" in AuditEvent.objects.filter(object_type="notices.Notice", action="update").get().detail
    assert "删除附件" not in client.get(reverse("notices:notice_create")).content.decode()


def test_a_scheduled_notice_is_deleted_and_a_published_one_is_not(frozen, client_for, staff_user):
    scheduled = publish(staff_user, all_serving=True, publish_at=TOMORROW, title="待发布")
    published = publish(staff_user, all_serving=True, title="已发布")
    client = client_for(staff_user)
    refused = client.post(reverse("notices:notice_delete", args=[published.pk]), follow=True)
    assert "通知已发布：不能再修改或删除" in refused.content.decode()
    edit = client.get(reverse("notices:notice_edit", args=[published.pk]))
    assert edit.status_code == 302
    assert client.post(reverse("notices:notice_delete", args=[scheduled.pk])).status_code == 302
    assert list(Notice.objects.values_list("title", flat=True)) == ["已发布"]
    assert AuditEvent.objects.filter(object_type="notices.Notice", object_id=str(scheduled.pk),
                                     action="delete").exists()


def test_a_published_notice_is_ended_and_leaves_the_inbox_after_its_end_date(frozen, client_for, staff_user,
                                                                             deputy_user):
    notice = publish(staff_user, all_serving=True)
    client = client_for(staff_user)
    url = reverse("notices:notice_end", args=[notice.pk])
    early = client.post(url, {"ends_on": "2026-05-31"}, follow=True)
    assert "截止显示日期不能早于发布日期" in early.content.decode()
    assert "日期" in client.post(url, {"ends_on": "2026-13-01"}, follow=True).content.decode()
    assert Notice.objects.get().ends_on is None
    assert client.post(url, {"ends_on": "2026-06-01"}).status_code == 302
    assert Notice.objects.get().ends_on == datetime.date(2026, 6, 1)
    inbox = client_for(deputy_user)
    assert inbox.get(reverse("notices:inbox")).context["page"].paginator.count == 1
    frozen.shift(datetime.timedelta(days=1))
    inbox = client_for(deputy_user)  # a new day, a new session
    assert inbox.get(reverse("notices:inbox")).context["page"].paginator.count == 0
    assert AuditEvent.objects.filter(object_type="notices.Notice", action="end", user=staff_user).exists()
