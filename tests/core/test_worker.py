"""A real Celery worker process takes a task from the configured broker (Redis, or the filesystem transport
when REDIS_URL is unset) and writes to the real database."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from apps.core.models import Notification
from apps.core.tasks import send_notification_email
from tests.factories import NotificationFactory, UserFactory

BASE_DIR = Path(settings.BASE_DIR)


@pytest.fixture
def worker_queue(transactional_db):
    """Start `celery worker` on a queue of its own, pointed at the test database; stop it afterwards."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = dict(os.environ, TESTING="1",
               DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}")
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "deputies_platform", "worker", "-Q", queue, "--pool", "solo",
         "-l", "warning", "--without-heartbeat", "--without-gossip", "--without-mingle"],
        cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    yield queue
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.mark.smoke
def test_a_real_worker_emails_a_notification_once(worker_queue, mailoutbox):
    user = UserFactory(email="daibiao@example.gov.cn")
    notification = NotificationFactory(recipient=user, title="worker test")
    send_notification_email.apply_async((notification.pk,), queue=worker_queue)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        notification.refresh_from_db()
        if notification.emailed_at is not None:
            break
        time.sleep(0.25)
    assert notification.emailed_at is not None
    # A second delivery of the same task does not send again: the row was claimed.
    result = send_notification_email.apply_async((notification.pk,), queue=worker_queue)
    assert result.get(timeout=60) is False
    assert Notification.objects.get(pk=notification.pk).emailed_at == notification.emailed_at
