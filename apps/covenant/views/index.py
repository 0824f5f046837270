"""``/covenant/``: each role's main page of the covenant area, so that the bare address leads somewhere."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.views.decorators.http import require_safe

from apps.covenant import access


@require_safe
def index(request):
    """The office (staff and supervisors) goes to the meetings, a committee member to their own record; the
    area is closed (403) to every other role."""
    if access.is_office(request.user):
        return redirect("covenant:meeting_list")
    if access.is_member(request.user):
        return redirect("covenant:my_covenant")
    raise PermissionDenied
