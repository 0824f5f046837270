"""Special committee members' leave requests and talks (约谈), and a committee member's own covenant page.

Leave: a member asks for their own leave, staff enter one for a member in scope; staff approve or refuse;
supervisors read. Talks: staff record and edit, supervisors read. The member's page shows their own year:
attendance per meeting day, speeches, flags, leave requests and talks.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from apps.core.web import add_service_errors, page_with_query, submit_form
from apps.covenant import access, selectors, services
from apps.covenant.forms import LEAVE_STATES, AdmonitionForm, LeaveDecisionForm, LeaveRequestForm
from apps.covenant.models import Admonition, LeaveRequest

PAGE_SIZE = 30


# --- leave requests -------------------------------------------------------------------------------------------

def _leave_reader(user) -> bool:
    return access.is_office(user) or access.is_member(user)


def _leave_page(request, *, bound: dict | None = None):
    user = request.user
    state = request.GET.get("state", LeaveRequest.Status.PENDING)
    if state not in {value for value, _label in LEAVE_STATES}:
        state = LeaveRequest.Status.PENDING
    qs = access.visible_leave_requests(user)
    if state != "all":
        qs = qs.filter(status=state)
    page, query = page_with_query(request, selectors.leave_rows(qs), PAGE_SIZE)
    can_decide = access.can_write(user, "leaverequest")
    bound = bound or {}
    rows = []
    shown = {leave.pk for leave in page.object_list}
    # A request whose decision was refused stays in sight with its input, wherever it is in the list.
    for leave in [*(form.leave for pk, form in bound.items() if pk not in shown), *page.object_list]:
        form = bound.get(leave.pk)
        if form is None and can_decide and leave.status == LeaveRequest.Status.PENDING:
            form = LeaveDecisionForm(auto_id=f"l{leave.pk}-%s")
        rows.append((leave, form))
    return render(request, "covenant/leave_list.html", {
        "page": page, "query": query, "rows": rows, "state": state, "states": LEAVE_STATES,
        "can_decide": can_decide, "is_office": access.is_office(user),
        "can_ask": access.can_write(user, "leaverequest") or access.is_member(user)})


@require_safe
@never_cache
def leave_list(request):
    if not _leave_reader(request.user):
        raise PermissionDenied
    return _leave_page(request)


@never_cache
def leave_create(request):
    """A member asks for their own leave; staff enter a request for a member in scope."""
    user = request.user
    if not (access.can_write(user, "leaverequest") or access.is_member(user)):
        raise PermissionDenied
    form = LeaveRequestForm(request.POST or None, user=user)
    if response := submit_form(
            request, form, lambda data: services.leave_request_create(user=user, **data),
            message=_("The leave request was sent for a decision."),
            done=lambda _result: redirect("covenant:leave_list")):
        return response
    return render(request, "covenant/leave_form.html", {"form": form})


@require_POST
@never_cache
@access.writer_required("leaverequest")
def leave_decide(request, pk):
    leave = access.leave_request_for_office(request.user, pk)
    form = LeaveDecisionForm(request.POST, auto_id=f"l{leave.pk}-%s")
    form.leave = leave
    if form.is_valid():
        try:
            services.leave_request_decide(leave_request=leave, user=request.user, approve=form.approve,
                                          note=form.cleaned_data["note"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if form.approve:
                messages.success(request, _("The leave of %(member)s from %(start)s was approved.") % {
                    "member": leave.member.person.name, "start": date_format(leave.start_date)})
            else:
                messages.success(request, _("The leave of %(member)s was refused.") % {
                    "member": leave.member.person.name})
            return redirect("covenant:leave_list")
    messages.error(request, _("The decision was not recorded: see the request below."))
    return _leave_page(request, bound={leave.pk: form})


# --- talks ------------------------------------------------------------------------------------------------------

@require_safe
@never_cache
@access.office_required
def admonition_list(request):
    page, query = page_with_query(request, selectors.admonition_rows(access.office_admonitions(request.user)),
                                  PAGE_SIZE)
    return render(request, "covenant/admonition_list.html", {
        "page": page, "query": query, "can_write": access.can_write(request.user, "admonition")})


@never_cache
@access.writer_required("admonition")
def admonition_create(request):
    form = AdmonitionForm(request.POST or None, user=request.user)
    if response := submit_form(
            request, form, lambda data: services.admonition_create(user=request.user, **data),
            message=_("The record of the talk was saved."),
            done=lambda _result: redirect("covenant:admonition_list")):
        return response
    return render(request, "covenant/admonition_form.html", {"form": form, "admonition": None})


@never_cache
@access.writer_required("admonition")
def admonition_edit(request, pk):
    admonition = access.admonition_for_office(request.user, pk)
    form = AdmonitionForm(request.POST or None, user=request.user, admonition=admonition)
    if response := submit_form(
            request, form, lambda data: services.admonition_update(admonition=admonition, user=request.user, **data),
            message=_("The record of the talk was saved."),
            done=lambda _result: redirect("covenant:admonition_list")):
        return response
    return render(request, "covenant/admonition_form.html", {"form": form, "admonition": admonition})


# --- the member's own page ------------------------------------------------------------------------------------

@require_safe
@never_cache
@access.member_required
def my_covenant(request):
    """A committee member's own year: flags, attendance per meeting day, speeches, leave requests, talks."""
    year = selectors.parse_year(request.GET.get("year"))
    members = list(access.own_members(request.user).select_related("person", "term", "jurisdiction"))
    terms = []
    for member in members:
        flags = selectors.member_flags(member.jurisdiction, year, member=member)
        if not flags:
            continue  # not serving that year in this term
        terms.append({"member": member, "flags": flags[0], "meetings": selectors.member_year(member, year)})
    leave = list(selectors.leave_rows(LeaveRequest.objects.filter(member__in=members))[:20])
    admonitions = list(selectors.admonition_rows(Admonition.objects.filter(member__in=members)))
    this_year = timezone.localdate().year
    return render(request, "covenant/my_covenant.html", {
        "year": year, "years": list(range(this_year, this_year - 4, -1)), "terms": terms, "leave_requests": leave,
        "admonitions": admonitions})
