"""The handling unit's pages (承办单位): its inbox of assignments and the page of one assignment, where it signs
for or returns the item, logs communications, sends a co-unit opinion, replies, asks for more time and reports
on follow-ups. Thin: check access, call a selector or a service, render.

Only the ``unit`` role opens these pages (403 for any other); an assignment of another unit is a 404
(``access.assignment_for_unit``).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from apps.core import locking, roles
from apps.core.access import role_required
from apps.core.models import AuditEvent
from apps.core.services import audit_event
from apps.core.web import add_service_errors, page_with_query, submit_form
from apps.proposals import access
from apps.proposals.forms.unit import (
    CommunicationForm, ExtensionForm, FollowUpReportForm, InboxFilterForm, OpinionForm, ReplyEditForm, ReplyForm,
    ReturnForm,
)
from apps.proposals.selectors import unit as selectors
from apps.proposals.services import handling

PAGE_SIZE = 30


def _assignment_url(assignment, anchor: str = "") -> str:
    return reverse("proposals:unit_assignment", args=[assignment.pk]) + (f"#{anchor}" if anchor else "")


# --- the inbox ----------------------------------------------------------------------------------------------

@require_safe
@never_cache
@role_required(roles.UNIT)
def unit_inbox(request):
    inbox = selectors.inbox_assignments(request.user)
    summary = selectors.inbox_summary(inbox)
    filters = InboxFilterForm(request.GET or None, years=selectors.summary_years(summary))
    year = group = None
    due = q = extension = ""
    if filters.is_valid():
        year, group = filters.cleaned_data["year"], filters.cleaned_data["state"] or None
        due, q = filters.cleaned_data["due"], filters.cleaned_data["q"]
        extension = filters.cleaned_data["extension"]
    rows = selectors.order_inbox(selectors.filter_inbox(inbox, year=year, group=group, due=due, q=q,
                                                        extension=extension))
    page, query = page_with_query(request, rows, PAGE_SIZE)
    page.object_list = selectors.with_due_infos(page.object_list, timezone.localdate())
    return render(request, "proposals/unit_inbox.html", {
        "filters": filters, "counts": selectors.group_counts(summary, year=year), "page": page, "query": query,
        "group": group, "year": year, "unit": request.user.handling_unit})


# --- one assignment -----------------------------------------------------------------------------------------

def _page(request, assignment, *, page=None, contact_revealed: bool = False, **forms):
    """The assignment's page; ``forms`` replaces the empty form of an action with the bound one that failed."""
    page = page or selectors.assignment_page(assignment, today=timezone.localdate())
    reply_deadline = page.reply_deadline
    context = {
        "page": page, "assignment": assignment, "proposal": page.proposal, "contact_revealed": contact_revealed,
        "return_form": ReturnForm(),
        "communication_form": CommunicationForm(initial={"date": timezone.localdate()}),
        "opinion_form": OpinionForm(),
        "reply_form": ReplyForm(),
        "extension_form": ExtensionForm(current_due=reply_deadline.due_on if reply_deadline else None),
        "follow_up_forms": {f.pk: FollowUpReportForm(prefix=f"follow_up-{f.pk}") for f in page.follow_ups_to_report},
    }
    failed_follow_up = forms.pop("follow_up_form", None)
    if failed_follow_up is not None:
        context["follow_up_forms"][failed_follow_up[0]] = failed_follow_up[1]
    context.update(forms)
    context["follow_up_rows"] = [(f, context["follow_up_forms"].get(f.pk)) for f in page.follow_ups]
    return render(request, "proposals/unit_assignment.html", context)


def _assignment(request, pk):
    return access.assignment_for_unit(request.user, pk)


@require_safe
@never_cache
@role_required(roles.UNIT)
def unit_assignment(request, pk):
    return _page(request, _assignment(request, pk))


@require_POST
@never_cache
@role_required(roles.UNIT)
def unit_contact_reveal(request, pk):
    """The lead deputy's unmasked phone for the unit handling the item (lead or co-unit, signed for); the
    reveal is audited. Any other unit, or one that has not signed for it, gets a 404."""
    assignment = _assignment(request, pk)
    page = selectors.assignment_page(assignment, today=timezone.localdate())
    if not page.can_contact:
        raise Http404
    person = page.lead_signer.person
    audit_event(request=request, action=AuditEvent.Action.VIEW_PERSONAL_DATA, obj=person,
                detail=f"phone · proposals.Assignment {assignment.pk}")
    return _page(request, assignment, page=page, contact_revealed=True)


@require_POST
@never_cache
@role_required(roles.UNIT)
def unit_accept(request, pk):
    assignment = _assignment(request, pk)
    try:
        handling.assignment_accept(assignment=assignment, user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("You signed for the item: it is now your unit's to handle."))
    return redirect(_assignment_url(assignment))


@require_POST
@never_cache
@role_required(roles.UNIT)
def unit_return(request, pk):
    assignment = _assignment(request, pk)
    form = ReturnForm(request.POST)
    if response := submit_form(
            request, form,
            lambda data: handling.assignment_return(assignment=assignment, user=request.user, reason=data["reason"]),
            message=_("The item was returned to the office: it will be reassigned."),
            done=lambda _result: redirect("proposals:unit_inbox")):
        return response
    return _page(request, assignment, return_form=form)


@require_POST
@never_cache
@role_required(roles.UNIT)
def unit_communication_add(request, pk):
    assignment = _assignment(request, pk)
    form = CommunicationForm(request.POST)
    if response := submit_form(
            request, form, lambda data: handling.communication_add(assignment=assignment, user=request.user, **data),
            message=_("The communication was recorded."),
            done=lambda _result: redirect(_assignment_url(assignment, "communications"))):
        return response
    return _page(request, assignment, communication_form=form)


@require_POST
@never_cache
@role_required(roles.UNIT)
def unit_opinion(request, pk):
    assignment = _assignment(request, pk)
    form = OpinionForm(request.POST)
    if response := submit_form(
            request, form,
            lambda data: handling.co_opinion_submit(assignment=assignment, user=request.user, opinion=data["opinion"]),
            message=_("Your opinion was sent to the lead unit."),
            done=lambda _result: redirect(_assignment_url(assignment, "opinion"))):
        return response
    return _page(request, assignment, opinion_form=form)


def _reply_fields(data) -> dict:
    return {"reply_class": data["reply_class"], "text": data["text"], "promised_on": data["promised_on"],
            "is_public": not data["confidential"]}


@require_POST
@never_cache
@role_required(roles.UNIT)
def unit_reply(request, pk):
    assignment = _assignment(request, pk)
    form = ReplyForm(request.POST, request.FILES)
    if response := submit_form(
            request, form,
            lambda data: handling.reply_submit(assignment=assignment, user=request.user, document=data["document"],
                                               **_reply_fields(data)),
            message=_("The reply was sent: the deputies are asked to rate it."),
            done=lambda _result: redirect(_assignment_url(assignment, "replies"))):
        return response
    return _page(request, assignment, reply_form=form)


@never_cache
@role_required(roles.UNIT)
def unit_reply_edit(request, pk):
    assignment = _assignment(request, pk)
    reply = selectors.reply_for_edit(assignment)
    if reply is None:
        raise Http404
    initial = {"reply_class": reply.reply_class, "text": reply.text, "promised_on": reply.promised_on,
               "confidential": not reply.is_public, "version": reply.version}
    form = ReplyEditForm(request.POST or None, initial=initial)
    changed_since = None
    if request.method == "POST" and form.is_valid():
        try:
            handling.reply_update(reply=reply, user=request.user, version=form.cleaned_data["version"],
                                  **_reply_fields(form.cleaned_data))
        except locking.StaleObjectError as exc:
            # Someone saved first: keep this input, show what the reply holds now, carry its version.
            form.add_error(None, exc)
            current = selectors.reply_for_edit(assignment)
            locking.form_with_current_version(form, current.version)
            current.confidential = not current.is_public
            changed_since = locking.current_differences(form, current)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The reply was corrected."))
            return redirect(_assignment_url(assignment, "replies"))
    return render(request, "proposals/unit_reply_edit.html", {
        "form": form, "assignment": assignment, "proposal": assignment.proposal, "reply": reply,
        "rated": reply.ratings.exists(), "changed_since": changed_since})


@require_POST
@never_cache
@role_required(roles.UNIT)
def unit_extension_request(request, pk):
    assignment = _assignment(request, pk)
    deadline = selectors.open_reply_deadline(assignment)
    form = ExtensionForm(request.POST, current_due=deadline.due_on if deadline else None)
    if response := submit_form(
            request, form, lambda data: handling.extension_request(assignment=assignment, user=request.user, **data),
            message=_("The request for more time was sent to the office for a decision."),
            done=lambda _result: redirect(_assignment_url(assignment, "deadlines"))):
        return response
    return _page(request, assignment, extension_form=form)


@require_POST
@never_cache
@role_required(roles.UNIT)
def unit_follow_up_report(request, pk, follow_up_pk):
    assignment = _assignment(request, pk)
    follow_up = selectors.follow_up_for_unit(assignment, follow_up_pk)
    if follow_up is None:
        raise Http404
    form = FollowUpReportForm(request.POST, prefix=f"follow_up-{follow_up.pk}")
    if response := submit_form(
            request, form,
            lambda data: handling.follow_up_report(follow_up=follow_up, user=request.user, progress=data["progress"]),
            message=_("The progress report was sent: the deputy is asked whether it is solved."),
            done=lambda _result: redirect(_assignment_url(assignment, "follow-ups"))):
        return response
    return _page(request, assignment, follow_up_form=(follow_up.pk, form))
