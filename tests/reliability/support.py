"""Helpers of the reliability suite: a broker that cannot be reached, and one that is back."""

from contextlib import contextmanager

UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1: connections are refused at once


def _reset_connections(app) -> None:
    """Forget the pooled broker connections, so that the next publish uses the current broker URL."""
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def broker_down(settings):
    """The broker cannot be reached: CELERY_BROKER_URL (and the Celery app's configuration) names a dead address
    and tasks are published for real (not run eagerly)."""
    from deputies_platform.celery import app

    before = (app.conf.broker_url, app.conf.task_always_eager)
    settings.CELERY_BROKER_URL = UNREACHABLE_BROKER
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.broker_url, app.conf.task_always_eager = UNREACHABLE_BROKER, False
    _reset_connections(app)
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.task_always_eager = before
        _reset_connections(app)


@contextmanager
def broker_back(settings):
    """The broker is back and a worker takes every task at once (Celery's eager mode runs it in-process)."""
    from deputies_platform.celery import app

    before = app.conf.task_always_eager
    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = before
