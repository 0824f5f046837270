"""Writes about accounts: failed logins and the locks they put on a username at one client address, and on
the address itself (whatever usernames it tries)."""

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
    """The lock in force on this username at this address, or on the address itself; the address's lock first."""
    keys = {_key(username)} | ({LoginLockout.ANY_USERNAME} if ip_address else set())
    locks = LoginLockout.objects.filter(username__in=keys, ip_address=ip_address,
                                        locked_until__gt=timezone.now()).order_by("username")
    return locks.first()  # "" (the address) sorts first


def _count_failure(*, username: str, ip_address: str | None, limit: int, minutes: int, request) -> LoginLockout:
    """One more failure on the row of (username, address); the ``limit``-th within the window locks it."""
    now = timezone.now()
    window = datetime.timedelta(minutes=minutes)
    lock, _created = LoginLockout.objects.select_for_update().get_or_create(
        username=username, ip_address=ip_address, defaults={"window_start": now})
    if lock.is_locked(now):
        return lock
    if now - lock.window_start > window or lock.locked_until is not None:
        lock.failures, lock.window_start, lock.locked_until = 0, now, None
    lock.failures += 1
    if lock.failures >= limit:
        lock.locked_until = now + window
        until = f"{timezone.localtime(lock.locked_until):%H:%M}"
        if lock.is_address_lock:
            audit_event(request=request, action=AuditEvent.Action.LOCKOUT, success=False, username="",
                        detail=f"{lock.failures} failed logins from {ip_address} (any username); "
                               f"address locked until {until}")
        else:
            audit_event(request=request, action=AuditEvent.Action.LOCKOUT, success=False, username=lock.username,
                        detail=f"{lock.failures} failed logins; locked until {until}")
    lock.save()
    return lock


@transaction.atomic
def login_failure_record(*, username: str, ip_address: str | None, request=None) -> LoginLockout:
    """Count a failed login twice: for the username at this address (``LOGIN_LOCKOUT_FAILURES`` lock the pair)
    and for the address whatever the username (``LOGIN_ADDRESS_LOCKOUT_FAILURES`` lock the address: one
    machine trying a password across many accounts). Both audited. Returns the pair's row."""
    if ip_address and settings.LOGIN_ADDRESS_LOCKOUT_FAILURES:
        _count_failure(username=LoginLockout.ANY_USERNAME, ip_address=ip_address, request=request,
                       limit=settings.LOGIN_ADDRESS_LOCKOUT_FAILURES, minutes=settings.LOGIN_ADDRESS_LOCKOUT_MINUTES)
    return _count_failure(username=_key(username) or "?", ip_address=ip_address, request=request,
                          limit=settings.LOGIN_LOCKOUT_FAILURES, minutes=settings.LOGIN_LOCKOUT_MINUTES)


def login_success_record(*, username: str, ip_address: str | None) -> None:
    """A good login clears its username's count at this address (not the address's: one valid account must not
    let a machine go on guessing the others)."""
    LoginLockout.objects.filter(username=_key(username), ip_address=ip_address, locked_until__isnull=True).delete()


@transaction.atomic
def lockout_lift(*, lockout: LoginLockout, user: User, request=None) -> None:
    """A security administrator lifts a lock, of a username at an address or of a whole address (audited)."""
    lockout.locked_until = None
    lockout.failures = 0
    lockout.lifted_by = user
    lockout.lifted_at = timezone.now()
    lockout.save()
    audit_event(request=request, user=user, action=AuditEvent.Action.LOCKOUT_LIFTED, obj=lockout,
                detail=f"{lockout.username or '(any username)'} @ {lockout.ip_address or '-'}")


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
