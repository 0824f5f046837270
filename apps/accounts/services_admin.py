"""Writes of the three administrators (三员分立): accounts (system administrator) and roles (security
administrator), each audited; and the safety net that audits a change of roles or permissions made any other way.

Every change of a role or a permission ends in the audit log with who, whom, what and when:

- through ``account_roles_set`` (the security administrator's page) as one ``role_changed`` entry naming the
  roles added and removed;
- any other way (the Django admin, a shell, a data migration) by the ``m2m_changed`` receivers below, one entry
  per change, naming the actor when one is known (``acting_as``) and "unknown" otherwise.

The service marks its own change in a context variable so that the receivers do not record it a second time.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterable

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core import roles
from apps.core.services import audit_event

# AuditEvent.Action values written here (the lead adds them to the choices; the column accepts any string).
ROLE_CHANGED = "role_changed"
PERMISSION_CHANGED = "permission_changed"
ACCOUNT_CREATED = "account_created"
ACCOUNT_UPDATED = "account_updated"
ACCOUNT_DEACTIVATED = "account_deactivated"
ACCOUNT_REACTIVATED = "account_reactivated"

# The most administrator roles one account may hold together: never all three (GB/T 22239 三员分立).
MAX_ADMIN_ROLES = len(roles.ADMIN_ROLES) - 1

ACCOUNT_FIELDS = ("full_name", "phone", "email", "jurisdiction", "handling_unit", "person")


class _Context:
    """Who is changing roles now, and whether the change is already being audited by a service."""

    def __init__(self, user=None, request=None, audited: bool = False):
        self.user, self.request, self.audited = user, request, audited


_current: contextvars.ContextVar[_Context | None] = contextvars.ContextVar("role_change_context", default=None)


@contextlib.contextmanager
def acting_as(*, user=None, request=None, audited: bool = False):
    """Attribute role and permission changes made inside the block to ``user`` (used by the Django admin).

    ``audited=True`` means the caller writes its own audit entry, so the ``m2m_changed`` receivers stay quiet.
    """
    token = _current.set(_Context(user=user, request=request, audited=audited))
    try:
        yield
    finally:
        _current.reset(token)


# --- accounts (system administrator) ----------------------------------------------------------------------------

def _changed_fields(account: User, data: dict) -> list[str]:
    return [name for name, value in data.items() if getattr(account, name) != value]


@transaction.atomic
def account_create(*, user: User, username: str, password: str, request=None, **fields) -> User:
    """Create an account with a temporary password that must be changed at the first login.

    Roles are not given here: granting them is the security administrator's duty (``account_roles_set``).
    """
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("An account with this username already exists.")})
    unknown = set(fields) - set(ACCOUNT_FIELDS)
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    account = User(username=username, must_change_password=True, **fields)
    account.set_password(password)
    account.full_clean(exclude=["password"])
    account.save()
    audit_event(request=request, user=user, action=ACCOUNT_CREATED, obj=account, detail=f"account {username}")
    return account


@transaction.atomic
def account_update(*, user: User, account: User, request=None, password: str = "", **fields) -> User:
    """Change an account's details; a new temporary password, if given, must be changed at the next login.

    Compares with the row as stored (a bound ModelForm has already written its values onto ``account``).
    """
    unknown = set(fields) - set(ACCOUNT_FIELDS)
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    stored = User.objects.select_for_update().get(pk=account.pk)
    changed = _changed_fields(stored, fields)
    for name, value in fields.items():
        setattr(stored, name, value)
    if password:
        stored.set_password(password)
        stored.must_change_password = True
        changed.append("password")
    stored.full_clean(exclude=["password"])
    stored.save()
    if changed:
        audit_event(request=request, user=user, action=ACCOUNT_UPDATED, obj=stored,
                    detail=f"account {stored.username}: {', '.join(changed)}")
    return stored


@transaction.atomic
def account_set_active(*, user: User, account: User, active: bool, request=None) -> User:
    """Deactivate an account (it can no longer log in; its records and history stay) or reactivate it."""
    if account.pk == user.pk and not active:
        raise ValidationError(_("You cannot deactivate your own account."))
    if account.is_active != active:
        account.is_active = active
        account.save(update_fields=["is_active"])
        audit_event(request=request, user=user, action=ACCOUNT_REACTIVATED if active else ACCOUNT_DEACTIVATED,
                    obj=account, detail=f"account {account.username}")
    return account


# --- roles (security administrator) -----------------------------------------------------------------------------

def validate_role_set(role_names: Iterable[str]) -> None:
    """The combinations of roles one account may hold (三员分立).

    - Never all three administrator roles: one person could then create an account, give it any role, and be
      the only one to read the audit log that records it.
    - No administrator role together with a business role (staff, supervisor, deputy, unit, member): the
      administrators must not see business data, and whoever works with the data must not administer who may
      see it. An administrator who is also, say, a committee staff member gets two accounts.
    """
    wanted = set(role_names)
    unknown = wanted - set(roles.ALL_ROLES)
    if unknown:
        raise ValidationError(_("Unknown role: %(roles)s.") % {"roles": ", ".join(sorted(unknown))})
    admin = wanted & set(roles.ADMIN_ROLES)
    if len(admin) > MAX_ADMIN_ROLES:
        raise ValidationError(
            _("No account may hold all three administrator roles (system, security and audit administrator)."),
            code="all_admin_roles")
    if admin and wanted - admin:
        raise ValidationError(
            _("An administrator role cannot be combined with a business role; use a separate account."),
            code="admin_and_business_roles")


@transaction.atomic
def account_roles_set(*, user: User, account: User, role_names: Iterable[str], request=None) -> tuple[set, set]:
    """Give ``account`` exactly the roles ``role_names`` (a security administrator's act); audited once.

    Returns the roles added and removed. The security administrator may not change their own roles (they
    could otherwise make themselves auditor of their own acts).
    """
    if account.pk == user.pk:
        raise ValidationError(_("You cannot change your own roles; ask another security administrator."),
                              code="own_roles")
    wanted = set(role_names)
    validate_role_set(wanted)
    current = set(account.groups.filter(name__in=roles.ALL_ROLES).values_list("name", flat=True))
    added, removed = wanted - current, current - wanted
    if not added and not removed:
        return added, removed
    groups = {g.name: g for g in Group.objects.filter(name__in=added | removed)}
    for name in added - set(groups):  # a role group missing (a fresh database before sync_role_groups)
        groups[name] = Group.objects.create(name=name)
    with acting_as(user=user, request=request, audited=True):
        account.groups.remove(*[groups[n] for n in removed])
        account.groups.add(*[groups[n] for n in added])
    account.__dict__.pop("roles", None)
    audit_event(request=request, user=user, action=ROLE_CHANGED, obj=account,
                detail=_role_detail(account.username, added, removed))
    return added, removed


def _role_detail(username: str, added: Iterable[str], removed: Iterable[str]) -> str:
    parts = [f"account {username}"]
    if added:
        parts.append("added " + ", ".join(sorted(added)))
    if removed:
        parts.append("removed " + ", ".join(sorted(removed)))
    return "; ".join(parts)


# --- the safety net: changes made any other way -----------------------------------------------------------------

def _record(*, action: str, detail: str, obj=None) -> None:
    context = _current.get()
    if context is not None and context.audited:
        return
    user = context.user if context is not None else None
    request = context.request if context is not None else None
    if user is None:
        detail = f"{detail} (outside the platform's pages; actor unknown)"
    audit_event(request=request, user=user, action=action, obj=obj, detail=detail)


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="audit_user_groups")
def _user_groups_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    verb = "added" if action == "post_add" else "removed"
    if not reverse:  # user.groups.add(group)
        names = sorted(Group.objects.filter(pk__in=pk_set).values_list("name", flat=True)) if pk_set else \
            sorted(instance.groups.values_list("name", flat=True))
        if names:
            _record(action=ROLE_CHANGED, obj=instance,
                    detail=f"account {instance.username}; {verb} {', '.join(names)}")
    else:  # group.user_set.add(user)
        users = User.objects.filter(pk__in=pk_set) if pk_set else instance.user_set.all()
        for user in users:
            _record(action=ROLE_CHANGED, obj=user, detail=f"account {user.username}; {verb} {instance.name}")


@receiver(m2m_changed, sender=User.user_permissions.through, dispatch_uid="audit_user_permissions")
def _user_permissions_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear") or reverse:
        return
    perms = Permission.objects.filter(pk__in=pk_set) if pk_set else instance.user_permissions.all()
    codes = sorted(f"{p.content_type.app_label}.{p.codename}" for p in perms.select_related("content_type"))
    if codes:
        verb = "added" if action == "post_add" else "removed"
        _record(action=PERMISSION_CHANGED, obj=instance,
                detail=f"account {instance.username}; {verb} permissions {', '.join(codes)}")


@receiver(m2m_changed, sender=Group.permissions.through, dispatch_uid="audit_group_permissions")
def _group_permissions_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear") or reverse:
        return
    perms = Permission.objects.filter(pk__in=pk_set) if pk_set else instance.permissions.all()
    codes = sorted(f"{p.content_type.app_label}.{p.codename}" for p in perms.select_related("content_type"))
    # ``sync_role_groups`` (after migrate) gives each role group the permissions apps/core/roles.py lists for
    # it: that is the code's definition of the role, reviewed with the code, not an administrator's act.
    if (action == "post_add" and _current.get() is None
            and set(codes) <= set(roles.ROLE_PERMISSIONS.get(instance.name, ()))):
        return
    if codes:
        verb = "added" if action == "post_add" else "removed"
        _record(action=PERMISSION_CHANGED, obj=instance,
                detail=f"role {instance.name}; {verb} permissions {', '.join(codes)}")

