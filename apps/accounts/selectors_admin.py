"""Reads for the three administrators' pages: accounts, accounts with their roles, the audit log."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from apps.accounts.models import User
from apps.core import roles
from apps.core.models import AuditEvent


def accounts(*, q: str = "", active: str = "", role: str = "", two_factor: str = "") -> QuerySet[User]:
    """Accounts for the administrators' lists, searched by username, name, phone or email; roles prefetched."""
    from django.contrib.auth.models import Group

    qs = (User.objects.select_related("jurisdiction", "handling_unit")
          .prefetch_related(Prefetch("groups", queryset=Group.objects.only("id", "name").order_by("name")))
          .order_by("username"))
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(full_name__icontains=q) | Q(phone__icontains=q)
                       | Q(email__icontains=q))
    if active == "1":
        qs = qs.filter(is_active=True)
    elif active == "0":
        qs = qs.filter(is_active=False)
    if role == "none":
        qs = qs.filter(groups__isnull=True)
    elif role in roles.ALL_ROLES:
        qs = qs.filter(groups__name=role)
    if two_factor == "off":
        qs = qs.filter(totp_device__isnull=True)
    elif two_factor == "on":
        qs = qs.filter(totp_device__isnull=False)
    return qs


def locks_in_force(now) -> QuerySet:
    """The login locks still in force at ``now`` (the security administrator's list, and the workbench's count)."""
    from apps.accounts.models import LoginLockout

    return LoginLockout.objects.filter(locked_until__gt=now).select_related("lifted_by")


def role_names(account: User) -> list[str]:
    """The account's roles, in the order of ``roles.ALL_ROLES`` (from prefetched groups when there are)."""
    held = {g.name for g in account.groups.all()}
    return [r for r in roles.ALL_ROLES if r in held]


def security_policy() -> list[tuple[str, object]]:
    """The security settings in force, as (setting name, value) pairs for the read-only policy page."""
    min_length = min_classes = None
    for validator in settings.AUTH_PASSWORD_VALIDATORS:
        options = validator.get("OPTIONS", {})
        if validator["NAME"].endswith("MinimumLengthValidator"):
            min_length = options.get("min_length", 8)
        if validator["NAME"].endswith("CharacterClassesValidator"):
            min_classes = options.get("min_classes", 3)
    return [
        ("password_min_length", min_length),
        ("password_min_classes", min_classes),
        ("password_max_age_days", settings.PASSWORD_MAX_AGE_DAYS),
        ("lockout_failures", settings.LOGIN_LOCKOUT_FAILURES),
        ("lockout_minutes", settings.LOGIN_LOCKOUT_MINUTES),
        ("session_idle_minutes", settings.SESSION_IDLE_SECONDS // 60),
        ("session_max_hours", settings.SESSION_COOKIE_AGE // 3600),
        ("num_proxies", settings.NUM_PROXIES),
    ]


def audit_events(*, date_from: datetime.date | None = None, date_to: datetime.date | None = None,
                 user: str = "", action: str = "", object_type: str = "", object_id: str = "",
                 outcome: str = "", ip_address: str = "") -> QuerySet[AuditEvent]:
    """The audit log filtered as the auditor asks: dates are whole local days, ``user`` matches the username
    (as recorded, so a failed login's attempted name is found too), ``outcome`` is "ok" or "failed"."""
    qs = AuditEvent.objects.all()
    tz = timezone.get_current_timezone()
    if date_from:
        qs = qs.filter(created_at__gte=datetime.datetime.combine(date_from, datetime.time.min, tzinfo=tz))
    if date_to:
        qs = qs.filter(created_at__lt=datetime.datetime.combine(date_to + datetime.timedelta(days=1),
                                                                datetime.time.min, tzinfo=tz))
    if user:
        qs = qs.filter(username__icontains=user.strip())
    if action:
        qs = qs.filter(action=action)
    if object_type:
        qs = qs.filter(object_type__icontains=object_type.strip())
    if object_id:
        qs = qs.filter(object_id=object_id.strip())
    if outcome == "ok":
        qs = qs.filter(success=True)
    elif outcome == "failed":
        qs = qs.filter(success=False)
    if ip_address:
        qs = qs.filter(ip_address=ip_address)
    return qs.order_by("-created_at", "-pk")
