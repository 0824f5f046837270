"""The demo accounts: one per role (``staff``, ``supervisor``, ``member``, ``unit``, the administrators), all with
the password ``DEMO_PASSWORD``.

``manage.py seed_demo`` runs this right after ``apps.core.demo`` (jurisdictions and handling units); later apps
find the accounts on the context as ``ctx.accounts`` (username → User), and ``apps.deputies.demo`` adds the
``deputy`` account with ``ctx.demo_password_hash`` and ``ctx.role_groups``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from apps.accounts.models import User
from apps.core import roles
from apps.core.demo import UNIT_ACCOUNT_UNIT, DemoContext

# (username, full name, role, jurisdiction: None = the city, a county name, or "" for none)
ACCOUNTS = [
    ("staff", "刘晓梅", roles.STAFF, None),
    ("staff_nanguan", "王海涛", roles.STAFF, "南关区"),
    ("supervisor", "陈志刚", roles.SUPERVISOR, None),
    ("member", "孙建国", roles.MEMBER, None),
    ("unit", "赵丽娟", roles.UNIT, None),
    ("sysadmin", "周明", roles.SYSADMIN, None),
    ("secadmin", "吴静", roles.SECADMIN, None),
    ("auditor", "郑雪", roles.AUDITOR, None),
]
DEMO_USERNAMES = [row[0] for row in ACCOUNTS] + ["deputy"]


def seed(ctx: DemoContext) -> None:
    password = make_password(settings.DEMO_PASSWORD)  # hashed once: PBKDF2 is slow on purpose
    groups = {g.name: g for g in (Group.objects.get_or_create(name=role)[0] for role in roles.ALL_ROLES)}
    unit = next(u for u in ctx.handling_units if u.name == UNIT_ACCOUNT_UNIT)
    ctx.accounts = {}
    for username, full_name, role, place in ACCOUNTS:
        user = User.objects.create(
            username=username, full_name=full_name, password=password, email=f"{username}@demo.renda.local",
            jurisdiction=None if role == roles.UNIT else ctx.counties.get(place, ctx.city),
            handling_unit=unit if role == roles.UNIT else None,
            is_staff=role in roles.ADMIN_ROLES,
        )
        user.groups.add(groups[role])
        ctx.accounts[username] = user
    ctx.demo_password_hash = password
    ctx.role_groups = groups
    ctx.log(f"accounts: {', '.join(ctx.accounts)}")


def reset(ctx: DemoContext) -> None:
    """Remove the demo accounts (before ``apps.core.demo.reset`` removes the places they point at)."""
    User.objects.filter(username__in=DEMO_USERNAMES).delete()
    # Other accounts (made by hand) keep existing but lose the demo places they pointed at.
    User.objects.exclude(jurisdiction=None, handling_unit=None).update(jurisdiction=None, handling_unit=None)
