"""The inbox and its emails: ``notify`` writes rows, email goes out once, after the commit."""

import pytest
from django.core import mail
from django.urls import reverse

from apps.core.models import Notification
from apps.core.services import notify
from apps.core.tasks import send_notification_email
from tests.factories import NotificationFactory, UserFactory


@pytest.fixture
def eager_celery(settings):
    """Run tasks in-process, as the worker would, the moment they are queued."""
    from deputies_platform.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = True
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.mark.smoke
def test_notify_puts_a_row_in_each_inbox_and_emails_after_commit(db, eager_celery,
                                                                 django_capture_on_commit_callbacks):
    alice, bob = UserFactory(email="alice@example.gov.cn"), UserFactory(email="bob@example.gov.cn")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        rows = notify(recipients=[alice, bob], title="请审核名册", body="名册已更新", url="/deputies/")
        assert mail.outbox == []  # nothing is sent before the transaction commits
    assert len(callbacks) == 2
    assert {n.recipient for n in rows} == {alice, bob}
    assert Notification.objects.filter(title="请审核名册", read_at__isnull=True).count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.gov.cn", "bob@example.gov.cn"]
    assert mail.outbox[0].subject == "请审核名册"
    assert "名册已更新" in mail.outbox[0].body and "/deputies/" in mail.outbox[0].body
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 2


def test_notify_sends_no_email_when_not_asked(db, eager_celery, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[UserFactory()], title="仅站内", email=False)
    assert Notification.objects.count() == 1
    assert mail.outbox == []


def test_notify_skips_the_email_of_a_user_without_an_address(db, eager_celery, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[UserFactory(email=""), UserFactory(email="c@example.gov.cn")], title="通知")
    assert Notification.objects.count() == 2
    assert [m.to for m in mail.outbox] == [["c@example.gov.cn"]]


def test_an_email_goes_out_once_even_if_the_task_runs_twice(db):
    notification = NotificationFactory(recipient=UserFactory(email="d@example.gov.cn"))
    assert send_notification_email(notification.pk) is True
    assert send_notification_email(notification.pk) is False
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_a_failed_send_releases_the_claim_for_a_retry(db, monkeypatch):
    notification = NotificationFactory(recipient=UserFactory(email="e@example.gov.cn"))

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError

    monkeypatch.setattr("apps.core.tasks.send_mail", refuse)
    with pytest.raises(OSError):
        send_notification_email.run(notification.pk)
    notification.refresh_from_db()
    assert notification.emailed_at is None
    monkeypatch.undo()
    assert send_notification_email(notification.pk) is True
    assert len(mail.outbox) == 1


# --- the inbox pages ------------------------------------------------------------------------------------------

@pytest.mark.smoke
def test_the_navbar_shows_the_unread_count(client_for, staff_user):
    NotificationFactory.create_batch(3, recipient=staff_user)
    NotificationFactory(recipient=staff_user, read_at="2026-01-01T00:00:00Z")
    NotificationFactory()  # someone else's
    html = client_for(staff_user).get(reverse("core:home")).content.decode()
    assert '<span class="badge rounded-pill text-bg-danger" id="nav-unread">3</span>' in html


def test_the_navbar_shows_no_badge_without_unread_notifications(client_for, staff_user):
    html = client_for(staff_user).get(reverse("core:home")).content.decode()
    assert 'id="nav-unread"' not in html


def test_the_inbox_lists_only_the_users_own_notifications(client_for, staff_user):
    NotificationFactory(recipient=staff_user, title="给我的")
    NotificationFactory(title="给别人的")
    html = client_for(staff_user).get(reverse("core:notification_list")).content.decode()
    assert "给我的" in html and "给别人的" not in html


def test_opening_a_notification_marks_it_read_and_follows_its_link(client_for, staff_user):
    notification = NotificationFactory(recipient=staff_user, url="/deputies/?q=zsf")
    response = client_for(staff_user).get(reverse("core:notification_open", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/deputies/?q=zsf"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_a_notification_without_a_link_returns_to_the_inbox(client_for, staff_user):
    notification = NotificationFactory(recipient=staff_user, url="")
    response = client_for(staff_user).get(reverse("core:notification_open", args=[notification.pk]))
    assert response["Location"] == reverse("core:notification_list")


def test_a_notification_never_redirects_off_site(client_for, staff_user):
    notification = NotificationFactory(recipient=staff_user, url="https://evil.example.com/")
    response = client_for(staff_user).get(reverse("core:notification_open", args=[notification.pk]))
    assert response["Location"] == reverse("core:notification_list")


def test_a_user_cannot_open_another_users_notification(client_for, staff_user):
    other = NotificationFactory()
    response = client_for(staff_user).get(reverse("core:notification_open", args=[other.pk]))
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def test_mark_all_read_touches_only_the_users_own(client_for, staff_user):
    NotificationFactory.create_batch(2, recipient=staff_user)
    other = NotificationFactory()
    response = client_for(staff_user).post(reverse("core:notification_read_all"))
    assert response.status_code == 302
    assert not staff_user.notifications.filter(read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_mark_all_read_is_post_only(client_for, staff_user):
    NotificationFactory(recipient=staff_user)
    response = client_for(staff_user).get(reverse("core:notification_read_all"))
    assert response.status_code == 405
    assert staff_user.notifications.filter(read_at__isnull=True).count() == 1


def test_the_inbox_requires_login(client):
    response = client.get(reverse("core:notification_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_inbox_query_count_does_not_grow_with_notifications(client_for, staff_user,
                                                                django_assert_max_num_queries):
    NotificationFactory.create_batch(30, recipient=staff_user)
    client = client_for(staff_user)
    with django_assert_max_num_queries(6):
        client.get(reverse("core:notification_list"))
