"""Writes about accounts: failed logins and the lock they put on a username at one client address."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import LoginLockout, User
from apps.core.models import AuditEvent
from apps.core.services import audit_event


def _key(username: str) -> str:
    return (username or "").strip().lower()[:150]


def lockout_active(*, username: str, ip_address: str | None) -> LoginLockout | None:
    """The lock on this username at this address, if it is locked now."""
    lock = LoginLockout.objects.filter(username=_key(username), ip_address=ip_address).first()
    return lock if lock is not None and lock.is_locked() else None


@transaction.atomic
def login_failure_record(*, username: str, ip_address: str | None, request=None) -> LoginLockout:
    """Count a failed login; the ``LOGIN_LOCKOUT_FAILURES``-th within the window locks the pair (audited)."""
    now = timezone.now()
    window = datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    lock, _created = LoginLockout.objects.select_for_update().get_or_create(
        username=_key(username), ip_address=ip_address, defaults={"window_start": now})
    if lock.is_locked(now):
        return lock
    if now - lock.window_start > window or lock.locked_until is not None:
        lock.failures, lock.window_start, lock.locked_until = 0, now, None
    lock.failures += 1
    if lock.failures >= settings.LOGIN_LOCKOUT_FAILURES:
        lock.locked_until = now + window
        audit_event(request=request, action=AuditEvent.Action.LOCKOUT, success=False, username=lock.username,
                    detail=f"{lock.failures} failed logins; locked until {timezone.localtime(lock.locked_until):%H:%M}")
    lock.save()
    return lock


def login_success_record(*, username: str, ip_address: str | None) -> None:
    LoginLockout.objects.filter(username=_key(username), ip_address=ip_address, locked_until__isnull=True).delete()


@transaction.atomic
def lockout_lift(*, lockout: LoginLockout, user: User, request=None) -> None:
    """A security administrator lifts a lock (audited)."""
    lockout.locked_until = None
    lockout.failures = 0
    lockout.lifted_by = user
    lockout.lifted_at = timezone.now()
    lockout.save()
    audit_event(request=request, user=user, action=AuditEvent.Action.LOCKOUT_LIFTED, obj=lockout,
                detail=f"{lockout.username} @ {lockout.ip_address or '-'}")


@transaction.atomic
def user_language_set(*, user: User, language: str, request=None) -> None:
    """Keep ``user``'s choice of interface language on their account (audited); an unknown code is refused."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"unknown language {language!r}")
    if user.language == language:
        return
    previous = user.language
    user.language = language
    user.save(update_fields=["language"])
    audit_event(request=request, user=user, action=AuditEvent.Action.ACCOUNT_UPDATED, obj=user,
                detail=f"language: {previous} → {language}")
