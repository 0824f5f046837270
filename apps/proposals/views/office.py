"""The committee office's pages for motions and suggestions: the list and its Excel export, an item's page
with everything about it, the staff's actions on it (return, register, review, assign, merge, supervise),
paper submissions and the extension requests queue. Thin: check access, call a selector or a service, render.

Staff and supervisors see the items of their jurisdiction and below (another county's item is a 404).
Supervisors read, export, download attachments and add supervision records; every other action is the
staff's (403 for anyone else).
"""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from apps.core import roles
from apps.core.access import role_required
from apps.core.excel import xlsx_response
from apps.core.models import AuditEvent
from apps.core.services import audit_event
from apps.core.web import add_service_errors, file_download, page_with_query, submit_form
from apps.proposals import access, excel, rules
from apps.proposals.forms.office import (
    AssignForm, ConfidentialForm, EnterForm, ExtensionDecisionForm, MergeForm, ProposalFilterForm, RegisterForm, ReturnForm,
    ReviewForm, SupervisionForm, SupervisionRecordForm, WaiveOpinionForm,
)
from apps.proposals.models import ExtensionRequest, Kind, Proposal, Supervision
from apps.proposals.selectors import office as selectors
from apps.proposals.selectors.assign_suggest import suggest_units
from apps.proposals.services import handling, submission, supervision
from apps.proposals.services.supervision import SUPERVISABLE
from apps.proposals.services.transitions import ConcurrentChangeError

PAGE_SIZE = 30
S = Proposal.State
OFFICE = roles.OFFICE_ROLES


def handler_required(view):
    """Staff who register, review, assign and decide (``access.is_handler``); 403 for anyone else."""

    @role_required(roles.STAFF)
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not access.is_handler(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _detail_url(proposal, anchor: str = "") -> str:
    return reverse("proposals:proposal_detail", args=[proposal.pk]) + (f"#{anchor}" if anchor else "")


# --- the list and its export ---------------------------------------------------------------------------------

def _filtered(request):
    filters = ProposalFilterForm(request.GET or None, user=request.user)
    qs = selectors.office_list(request.user)
    if filters.is_bound and filters.is_valid():
        qs = selectors.filter_proposals(qs, filters.cleaned_data)
    elif filters.is_bound:
        qs = qs.none()
    return filters, qs


@require_safe
@never_cache
@role_required(*OFFICE)
def proposal_list(request):
    filters, qs = _filtered(request)
    page, query = page_with_query(request, selectors.proposal_rows(qs), PAGE_SIZE)
    return render(request, "proposals/office_list.html", {
        "filters": filters, "page": page, "query": query, "today": timezone.localdate(),
        "can_handle": access.is_handler(request.user)})


@require_safe
@never_cache
@role_required(*OFFICE)
def proposal_export(request):
    """The filtered list as an Excel workbook (audited)."""
    filters, qs = _filtered(request)
    content = excel.proposals_workbook(selectors.proposal_rows(qs).iterator(chunk_size=2000))
    audit_event(request=request, action=AuditEvent.Action.EXPORT,
                detail=f"proposals: {request.GET.urlencode()}"[:500])
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return xlsx_response(content, filename=f"proposals-{stamp}.xlsx")


# --- an item's page --------------------------------------------------------------------------------------------

def _can_assign(proposal) -> bool:
    if proposal.state == S.REGISTERED:
        return proposal.kind == Kind.SUGGESTION
    return rules.allowed("assign", proposal.state) or rules.allowed("reassign", proposal.state)


def _action_forms(request, proposal, data, bound: dict) -> dict:
    """The forms of the actions the item's present state allows (a bound form with errors replaces its blank)."""
    user, state = request.user, proposal.state
    offered = {
        "return": rules.allowed("return", state),
        "register": rules.allowed("register", state),
        "review": rules.allowed("docket", state) and proposal.kind == Kind.MOTION,
        "assign": _can_assign(proposal),
        "merge": (state in selectors.MERGEABLE and proposal.merge_group_id is None
                  and any(item.can_merge for item in data["similar"])),
        "supervision": data["supervision"] is None and state in SUPERVISABLE,
    }
    classes = {"return": ReturnForm, "register": RegisterForm, "review": ReviewForm, "assign": AssignForm,
               "merge": MergeForm, "supervision": SupervisionForm}
    forms = {}
    for key, form_class in classes.items():
        if key in bound:
            forms[key] = bound[key]
        elif offered[key]:
            forms[key] = form_class(proposal=proposal, user=user, auto_id=f"{key}-%s")
    return forms


def _page(request, proposal, *, bound: dict | None = None):
    user = request.user
    bound = bound or {}
    data = selectors.proposal_page(proposal, user)
    can_handle = access.is_handler(user)
    can_record = bool(access.is_office(user) and user.has_perm("proposals.add_supervisionrecord"))
    context = {
        "proposal": proposal, **data, "today": timezone.localdate(),
        "can_handle": can_handle, "can_record": can_record,
        "forms": _action_forms(request, proposal, data, bound) if can_handle else {},
        "is_reassign": rules.allowed("reassign", proposal.state),
        "merge_checked": ({int(v) for v in bound["merge"].data.getlist("items") if str(v).isdigit()}
                          if "merge" in bound else set()),
    }
    if can_handle:
        failed = bound.get("waive")
        for assignment in data["co_assignments"]:
            if assignment.awaited:
                assignment.waive_form = (failed if failed is not None and failed.assignment_pk == assignment.pk
                                         else WaiveOpinionForm(auto_id=f"waive-{assignment.pk}-%s"))
    if can_record and data["supervision"] is not None:
        context["record_form"] = bound.get("record") or SupervisionRecordForm(auto_id="record-%s")
    if "assign" in context["forms"]:
        # The three likeliest lead units, each with its reason (智能交办); staff still choose.
        context["unit_suggestions"] = suggest_units(proposal, user)
    return render(request, "proposals/office_detail.html", context)


@require_safe
@never_cache
@role_required(*OFFICE)
def proposal_detail(request, pk):
    proposal = selectors.proposal_for_office(request.user, pk)
    return _page(request, proposal)


def _act(request, pk, key, form_class, perform, *, anchor: str = "actions"):
    """Validate the posted form, check the item is as the page showed it, call the service; on a refusal show
    the page again with the message and the input kept."""
    proposal = selectors.proposal_for_office(request.user, pk)
    form = form_class(request.POST, request.FILES or None, proposal=proposal, user=request.user,
                      auto_id=f"{key}-%s")
    if form.is_valid():
        try:
            if form.cleaned_data["version"] != proposal.version:
                raise ConcurrentChangeError()
            message = perform(proposal, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            if isinstance(exc, ConcurrentChangeError) or getattr(exc, "code", None) == "concurrent":
                # Show the item as it is now; a second press acts on what the page now shows.
                proposal = selectors.proposal_for_office(request.user, pk)
                form.data = form.data.copy()
                form.data["version"] = str(proposal.version)
                form.proposal = proposal
        else:
            messages.success(request, message)
            return redirect(_detail_url(proposal, anchor))
    return _page(request, proposal, bound={key: form})


@require_POST
@never_cache
@handler_required
def proposal_return(request, pk):
    def perform(proposal, data):
        submission.proposal_return(proposal=proposal, user=request.user, reason=data["reason"])
        return _("The item was returned to the deputy with your reason.")

    return _act(request, pk, "return", ReturnForm, perform)


@require_POST
@never_cache
@handler_required
def proposal_register(request, pk):
    def perform(proposal, data):
        submission.proposal_register(proposal=proposal, user=request.user, category=data["category"],
                                     is_key=data["is_key"])
        return _("Registered as %(number)s.") % {"number": proposal.number_label}

    return _act(request, pk, "register", RegisterForm, perform)


@require_POST
@never_cache
@handler_required
def proposal_review(request, pk):
    """The review of a motion (立案审查): docketed with the opinion, or converted to a suggestion with the reason."""

    def perform(proposal, data):
        if data["decision"] == ReviewForm.DOCKET:
            submission.motion_docket(proposal=proposal, user=request.user, opinion=data["text"])
            return _("The motion was docketed.")
        submission.motion_convert(proposal=proposal, user=request.user, reason=data["text"])
        return _("The motion was converted to a suggestion, numbered %(number)s.") % {
            "number": proposal.number_label}

    return _act(request, pk, "review", ReviewForm, perform)


@require_POST
@never_cache
@handler_required
def proposal_assign(request, pk):
    """Assign (交办) to a lead unit and co-units; on an item already assigned, reassign it."""

    def perform(proposal, data):
        lead, co = data["lead_unit"], list(data["co_units"])
        if rules.allowed("reassign", proposal.state):
            handling.assignment_reassign(proposal=proposal, user=request.user, lead_unit=lead, co_units=co)
            return _("The item was reassigned to %(unit)s.") % {"unit": lead.name}
        handling.proposal_assign(proposal=proposal, user=request.user, lead_unit=lead, co_units=co)
        return _("The item was assigned to %(unit)s.") % {"unit": lead.name}

    return _act(request, pk, "assign", AssignForm, perform, anchor="assignments")


@require_POST
@never_cache
@handler_required
def proposal_merge(request, pk):
    """Handle this item together with the similar items ticked (并案)."""

    def perform(proposal, data):
        items = [proposal, *data["items"]]
        supervision.merge_group_create(proposals=items, user=request.user, name=data["name"])
        return _("%(count)s items are now handled together.") % {"count": len(items)}

    return _act(request, pk, "merge", MergeForm, perform, anchor="merge")


@require_POST
@never_cache
@handler_required
def proposal_supervision(request, pk):
    """Start supervision (督办) with a leading supervisor and a tracking special committee."""

    def perform(proposal, data):
        supervision.supervision_start(proposal=proposal, user=request.user, leader=data["leader"],
                                      committee=data["committee"])
        return _("Supervision was started; the item is now a key item.")

    return _act(request, pk, "supervision", SupervisionForm, perform, anchor="supervision")


@require_POST
@never_cache
@handler_required
def proposal_confidential(request, pk):
    """Mark the item confidential (its replies are not published, here nor on the public portal) or lift it."""
    proposal = selectors.proposal_for_office(request.user, pk)
    form = ConfidentialForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether the item is confidential."))
        return redirect(_detail_url(proposal, "confidential-form"))
    try:
        submission.proposal_set_confidential(proposal=proposal, user=request.user,
                                             confidential=form.cleaned_data["confidential"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The item is confidential: its replies are not published.")
                         if proposal.is_confidential else _("The item's replies are published again."))
    return redirect(_detail_url(proposal, "confidential-form"))


@require_POST
@never_cache
@handler_required
def co_opinion_waive(request, pk, assignment_pk):
    """Let the lead unit reply without one co-unit's opinion, with the reason (audited)."""
    proposal = selectors.proposal_for_office(request.user, pk)
    assignment = selectors.co_assignment_for_office(proposal, assignment_pk)
    form = WaiveOpinionForm(request.POST, auto_id=f"waive-{assignment.pk}-%s")
    if form.is_valid():
        try:
            handling.co_opinion_waive(assignment=assignment, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):  # about the assignment, not the reason: no form to show it on
                for message in exc.messages:
                    messages.error(request, message)
                return redirect(_detail_url(proposal, "opinions"))
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The lead unit may now reply without the opinion of %(unit)s.")
                             % {"unit": assignment.unit})
            return redirect(_detail_url(proposal, "opinions"))
    form.assignment_pk = assignment.pk
    return _page(request, proposal, bound={"waive": form})


@require_POST
@never_cache
@role_required(*OFFICE)
def supervision_record_add(request, pk):
    """A supervision record (a meeting, an inspection, an instruction): staff and supervisors."""
    if not (access.is_office(request.user) and request.user.has_perm("proposals.add_supervisionrecord")):
        raise PermissionDenied
    proposal = selectors.proposal_for_office(request.user, pk)
    current = Supervision.objects.filter(proposal=proposal).first()
    if current is None:
        messages.error(request, _("Start supervision of this item before recording what was done."))
        return redirect(_detail_url(proposal))
    form = SupervisionRecordForm(request.POST, auto_id="record-%s")
    if response := submit_form(
            request, form,
            lambda data: supervision.supervision_record_add(supervision=current, user=request.user, **data),
            message=_("The supervision record was added."),
            done=lambda _result: redirect(_detail_url(proposal, "supervision"))):
        return response
    return _page(request, proposal, bound={"record": form})


# --- attachments --------------------------------------------------------------------------------------------

@require_safe
@never_cache
@role_required(roles.STAFF, roles.SUPERVISOR, roles.DEPUTY, roles.UNIT)
def attachment_download(request, pk, attachment_pk):
    """A file of an item, for anyone who may see the item (office, signers, assigned units); audited."""
    proposal = access.proposal_visible_to(request.user, pk)
    attachment = selectors.attachment_for(proposal, attachment_pk)
    audit_event(request=request, action=AuditEvent.Action.DOWNLOAD, obj=attachment, detail=attachment.name)
    return file_download(attachment.file.open("rb"), filename=attachment.name,
                         content_type=attachment.content_type)


# --- a paper submission ------------------------------------------------------------------------------------------

@never_cache
@handler_required
def proposal_enter(request):
    """Enter a submission handed in on paper on the deputies' behalf: it is submitted at once, every signature
    confirmed (the deputies signed the paper)."""
    form = EnterForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        scan = data.pop("file", None)
        data["cosigner_mandates"] = list(data["cosigner_mandates"] or [])
        try:
            with transaction.atomic():
                proposal = submission.proposal_enter_on_paper(user=request.user, **data)
                if scan:
                    submission.attachment_add(proposal=proposal, file=scan, user=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The paper submission was entered and submitted."))
            return redirect("proposals:proposal_detail", pk=proposal.pk)
    return render(request, "proposals/office_enter.html", {"form": form})


# --- extension requests ----------------------------------------------------------------------------------------

def _extension_page(request, *, bound: dict | None = None):
    state = request.GET.get("state", ExtensionRequest.State.PENDING)
    if state not in {*ExtensionRequest.State.values, "all"}:
        state = ExtensionRequest.State.PENDING
    qs = selectors.extension_requests(request.user, state=None if state == "all" else state)
    page, query = page_with_query(request, qs, PAGE_SIZE)
    bound = bound or {}
    rows = []
    shown = {extension.pk for extension in page.object_list}
    # A request whose decision was refused stays in sight with its input, wherever it is in the queue.
    extensions = [*(form.extension for pk, form in bound.items() if pk not in shown), *page.object_list]
    for extension in extensions:
        form = bound.get(extension.pk)
        if form is None and extension.state == ExtensionRequest.State.PENDING:
            form = ExtensionDecisionForm(extension=extension, auto_id=f"x{extension.pk}-%s")
        rows.append((extension, form))
    return render(request, "proposals/office_extensions.html", {
        "page": page, "rows": rows, "query": query, "state": state,
        "states": [("pending", _("Awaiting decision")), ("approved", _("Approved")), ("refused", _("Refused")),
                   ("all", _("All"))]})


@require_safe
@never_cache
@handler_required
def extension_list(request):
    return _extension_page(request)


@require_POST
@never_cache
@handler_required
def extension_decide(request, pk):
    extension = selectors.extension_for_office(request.user, pk)
    form = ExtensionDecisionForm(request.POST, extension=extension, auto_id=f"x{extension.pk}-%s")
    if form.is_valid():
        try:
            handling.extension_decide(extension=extension, user=request.user, approve=form.approve,
                                      note=form.cleaned_data["note"].strip())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if form.approve:
                messages.success(request, _("The extension to %(date)s was approved; the deputy and the unit "
                                            "were told.") % {"date": _date(extension.requested_due_on)})
            else:
                messages.success(request, _("The extension was refused; the deputy and the unit were told."))
            return redirect("proposals:extension_list")
    messages.error(request, _("The decision was not recorded: see the request below."))
    return _extension_page(request, bound={extension.pk: form})


def _date(value) -> str:
    from django.utils.formats import date_format

    return date_format(value)
