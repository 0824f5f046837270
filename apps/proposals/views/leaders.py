"""The pages of a leader (a 主任会议 member) who leads the supervision of key items: the list of those items
(我督办的建议), an item's read-only page and the form to record what was done in supervising it.

Committee members open them (403 for any other role); an item the user does not lead is a 404. The board's
figures of their items are in ``views.board``.
"""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from apps.core import roles
from apps.core.access import role_required
from apps.core.web import page_with_query, submit_form
from apps.proposals import access
from apps.proposals.forms.office import SupervisionRecordForm
from apps.proposals.selectors import leaders as selectors
from apps.proposals.services import supervision

PAGE_SIZE = 30


@require_safe
@never_cache
@role_required(roles.MEMBER)
def leader_list(request):
    today = timezone.localdate()
    page, query = page_with_query(request, selectors.led_items(request.user, today=today), PAGE_SIZE)
    for item in page.object_list:
        item.last_record_label = selectors.record_kind_label(item.last_record_kind)
    return render(request, "proposals/leader_list.html", {
        "page": page, "query": query, "today": today, "sees_board": bool(page.paginator.count)})


def _page(request, proposal, *, form=None):
    data = selectors.leader_page(proposal, request.user)
    return render(request, "proposals/leader_detail.html", {
        "proposal": proposal, **data, "today": timezone.localdate(),
        "record_form": form or SupervisionRecordForm(auto_id="record-%s")})


@require_safe
@never_cache
@role_required(roles.MEMBER)
def leader_detail(request, pk):
    return _page(request, access.proposal_for_leader(request.user, pk))


@require_POST
@never_cache
@role_required(roles.MEMBER)
def leader_record_add(request, pk):
    """A supervision record by the leading supervisor (a meeting, an inspection of the unit, an instruction)."""
    proposal = access.proposal_for_leader(request.user, pk)
    form = SupervisionRecordForm(request.POST, auto_id="record-%s")
    if response := submit_form(
            request, form,
            lambda data: supervision.supervision_record_add(supervision=proposal.supervision, user=request.user,
                                                            **data),
            message=_("The supervision record was added."),
            done=lambda _result: redirect(reverse("proposals:leader_detail", args=[proposal.pk]) + "#supervision")):
        return response
    return _page(request, proposal, form=form)
