"""Paper that lands in the record (``apps.core.paper``): ``/p/<code>/``, what a printed form's QR code opens, sends
the user to the record's entry page; ``/p/`` is the box to type a code into. A code naming no record, or one the
user may not open, is a 404 (the box says it in words), alike, so that a code does not tell what exists.
"""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from apps.core import paper, roles
from apps.core.access import role_required


@require_safe
@never_cache
@role_required(*roles.ALL_ROLES)
def paper_enter(request):
    """The box for a code read off a printed form: a code that opens a record goes there."""
    raw = request.GET.get("code", "")
    error = ""
    if "code" in request.GET:
        if paper.normalise(raw) is None:
            error = _("This is not a form's code: it has 6 letters and digits, printed under the QR code, "
                      "e.g. K7M-3QX.")
        elif (target := paper.resolve(request.user, raw)) is not None:
            return redirect(target)
        else:
            error = _("No form has this code, or its record is not one you may open. Check the code on the "
                      "paper.")
    shown = raw.replace("\x00", "")[:paper.MAX_INPUT]
    return render(request, "core/paper_enter.html", {"code": shown, "error": error},
                  status=404 if error and paper.normalise(raw) else 200)


@require_safe
@never_cache
@role_required(*roles.ALL_ROLES)
def paper_open(request, code):
    """What a printed form's QR code opens: the record's entry page, or a 404."""
    target = paper.resolve(request.user, code)
    if target is None:
        raise Http404
    return redirect(target)
