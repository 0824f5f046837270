from apps.core import roles
from apps.core.access import sees_roster
from apps.core.selectors import unread_count


def navigation(request):
    """Role-aware navigation and the unread notification count (one query, only for signed-in users)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_unread": unread_count(user),
        "nav_roster": sees_roster(user),
        "nav_deputy_record": user.person_id is not None and user.has_role(roles.DEPUTY),
        "nav_admin": user.has_role(*roles.ADMIN_ROLES),
        "nav_auditor": user.has_role(roles.AUDITOR),
    }
