import hashlib

from apps.core import roles
from apps.core.access import sees_roster
from apps.core.menu import has_deputy_record
from apps.core.registry import menu_for
from apps.core.selectors import unread_count


def navigation(request):
    """Role-aware navigation and the unread notification count (one query, only for signed-in users).

    ``nav_menu`` is a callable: the menu the apps declare is built only when the template's cached copy of it
    (``{% cache ... nav_main nav_key %}`` in base.html) is missing."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_key": nav_key(user),
        "nav_unread": unread_count(user),
        "nav_roster": sees_roster(user),
        "nav_menu": lambda: menu_for(user),
        "nav_deputy_record": has_deputy_record(user),
        "nav_admin": user.is_superuser,  # the Django admin site is for superusers only
        "nav_admin_role": user.has_role(*roles.ADMIN_ROLES),
        "nav_auditor": user.has_role(roles.AUDITOR),
    }


def nav_key(user) -> str:
    """What the main menu depends on (the user, their roles and permissions, the records their account is tied
    to): the key its rendered HTML is cached under (``{% cache %}`` in base.html), so that a change of role or
    permission shows at once and the menu is not rebuilt on every page."""
    held = sorted(user.roles)  # reads roles and permissions in one query (User.load_access), once per request
    parts = [str(user.pk), str(user.is_superuser), str(user.jurisdiction_id), str(user.person_id),
             str(user.handling_unit_id), ",".join(held), ",".join(sorted(user.get_all_permissions()))]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def outbox_backlog(request):
    """``outbox_backlog``: for staff and administrators, the number of background jobs waiting more than
    ``OUTBOX_BANNER_AFTER_SECONDS`` for the broker (shown by ``core/fragment_outbox_banner.html``).

    A callable: the one count query runs only when a template uses it (``{% with n=outbox_backlog %}``), and
    only while the cache says the broker refused a job since the outbox was last empty.
    """
    from django.conf import settings

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.has_role(roles.STAFF, roles.SUPERVISOR,
                                                                      *roles.ADMIN_ROLES):
        return {}
    from apps.core import outbox

    return {"outbox_backlog": lambda: outbox.backlog_hinted() and outbox.pending_count(
        older_than_seconds=settings.OUTBOX_BANNER_AFTER_SECONDS)}
