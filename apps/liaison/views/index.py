"""``/liaison/``: each role's main page of the liaison area, so that the bare address leads somewhere."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.views.decorators.http import require_safe

from apps.core import roles
from apps.core.access import is_office, sees_roster


def main_page(user) -> str | None:
    """The URL name of ``user``'s main liaison page, or None for a role that does not use the area: the office
    (staff and supervisors) plans, a committee member follows their assignments, a deputy sees their requests."""
    if is_office(user, "liaison.view_liaisonassignment") and sees_roster(user):
        return "liaison:plan_current"
    if user.has_role(roles.MEMBER) and user.has_perm("liaison.view_liaisonplan"):
        return "liaison:member_my"
    if user.has_role(roles.DEPUTY) and user.person_id:
        return "liaison:my_request_list"
    return None


@require_safe
def index(request):
    target = main_page(request.user)
    if target is None:
        raise PermissionDenied
    return redirect(target)
