"""A real Celery worker for the reports tests, on a broker of its own.

``python -m tests.reports.worker`` starts ``celery worker`` (prefork, concurrency 2, as in production) with the
kombu filesystem transport in ``REPORTS_TEST_BROKER_DIR`` and ``REPORTS_TEST_QUEUE`` as its default queue: the
jobs it queues itself (the chunk tasks) go to its own queue, never to a developer's worker or another test's.
``private_broker`` points this test process's Celery app at the same broker, so that the outbox's sends reach it.
Tests use the fixtures ``report_broker`` and ``report_workers`` (import them into the test module).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest

BROKER_DIR = "REPORTS_TEST_BROKER_DIR"
QUEUE = "REPORTS_TEST_QUEUE"


def _conf(folder: str, queue: str) -> dict:
    out, processed, control = Path(folder) / "out", Path(folder) / "processed", Path(folder) / "control"
    for sub in (out, processed, control):
        sub.mkdir(parents=True, exist_ok=True)
    return {
        "broker_url": "filesystem://",
        "broker_transport_options": {"data_folder_in": str(out), "data_folder_out": str(out),
                                     "processed_folder": str(processed), "store_processed": False,
                                     "control_folder": str(control),
                                     "max_retries": 2, "interval_start": 0, "interval_step": 0.2,
                                     "interval_max": 0.5},
        "task_default_queue": queue,
        "task_always_eager": False,
        "worker_enable_remote_control": False,
        "broker_connection_retry_on_startup": True,
    }


def _reset_connections(app) -> None:
    app._pool = None
    app.amqp._producer_pool = None


@contextlib.contextmanager
def private_broker(settings, folder: Path):
    """This process's Celery app publishes to a filesystem broker in ``folder`` on a queue of its own."""
    from deputies_platform.celery import app

    queue = f"reports-test-{uuid.uuid4().hex[:8]}"
    conf = _conf(str(folder), queue)
    before = {key: app.conf[key] for key in conf}
    app.conf.update(conf)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    _reset_connections(app)
    try:
        yield {BROKER_DIR: str(folder), QUEUE: queue}
    finally:
        app.conf.update(before)
        _reset_connections(app)


class Worker:
    """A ``celery worker`` subprocess (its own process group, so that SIGKILL takes its pool along)."""

    def __init__(self, env: dict):
        self.env = env
        self.proc: subprocess.Popen | None = None
        self.log = tempfile.TemporaryFile(mode="w+")

    def start(self) -> Worker:
        from django.conf import settings

        self.proc = subprocess.Popen([sys.executable, "-m", "tests.reports.worker"], cwd=Path(settings.BASE_DIR),
                                     env=self.env, stdout=self.log, stderr=subprocess.STDOUT, text=True,
                                     start_new_session=True)
        return self

    def kill(self) -> None:
        """SIGKILL the worker and its pool processes at once: nothing of them runs after this."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=15)

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read()


def worker_env(settings, broker: dict) -> dict:
    """The environment of a worker on the test database, the test's MEDIA_ROOT and the private broker."""
    from django.db import connection

    db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CELERY_TASK_ALWAYS_EAGER")}
    env.update(broker, TESTING="1", MEDIA_ROOT=str(settings.MEDIA_ROOT),
               DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}")
    return env


def wait_for(condition, *, timeout: float, interval: float = 0.1, worker: Worker | None = None):
    """Poll ``condition`` until it returns something true; fail with the worker's log after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s" + (f"; worker log:\n{worker.output()}" if worker else ""))


@pytest.fixture
def report_broker(settings, transactional_db, tmp_path):
    """A private broker (and a temporary MEDIA_ROOT); the environment of workers on it."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    with private_broker(settings, tmp_path / "broker") as env:
        yield worker_env(settings, env)


@pytest.fixture
def report_workers(report_broker):
    """Start a worker on the private broker with ``report_workers()``; all are stopped after the test."""
    started = []

    def start() -> Worker:
        worker = Worker(report_broker).start()
        started.append(worker)
        return worker

    yield start
    # SIGKILL, not a warm or cold shutdown: nothing the test asserts is left to finish, and Celery's own shutdown
    # of a prefork worker on the filesystem broker took 5–20 seconds per test.
    for worker in started:
        worker.kill()


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "deputies_platform.settings")
    from deputies_platform.celery import app

    app.conf.update(_conf(os.environ[BROKER_DIR], os.environ[QUEUE]))
    app.worker_main(["worker", "--pool", "prefork", "--concurrency", "2", "-l", "warning",
                     "--without-heartbeat", "--without-gossip", "--without-mingle"])


if __name__ == "__main__":
    main()
