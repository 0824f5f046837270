"""The deputy's side of motions and suggestions (议案建议), made for a phone. Thin: check access, call a selector
or a service, render.

A deputy sees the items they lead (领衔) or co-sign (附议) or were invited to co-sign; another deputy's item is
a 404. The lead drafts, edits (draft or returned), attaches files, invites co-signers, submits and withdraws;
co-signers confirm or decline on their own account; every counting signer rates the reply and answers the
follow-up "是否已解决". Other roles get a 403 on these pages.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from apps.core import locking, roles
from apps.core.access import is_pk, role_required
from apps.core.web import add_service_errors, local_redirect, page_with_query, submit_form
from apps.proposals import access, rules
from apps.proposals.forms.deputy import (
    AttachmentForm, CosignerInviteForm, FollowUpAnswerForm, MyProposalsFilterForm, ProposalForm, RatingForm,
    WithdrawForm,
)
from apps.proposals.models import Kind, Proposal, Signature
from apps.proposals.selectors import deputy as selectors
from apps.proposals.selectors.similar import similar_proposals
from apps.proposals.services import handling, ratings, submission

PAGE_SIZE = 20
SIMILAR_LIMIT = 5
S = Proposal.State


def _require_deputy(user):
    """The deputy role and an account linked to a person in the roster."""
    if not access.is_deputy(user):
        raise PermissionDenied


def _posted(request):
    """The posted data of a POST (even an empty one: it must show the form's errors), None for a GET."""
    return request.POST if request.method == "POST" else None


def _errors(request, exc: ValidationError):
    messages.error(request, " ".join(exc.messages))


def _to_detail(proposal):
    return redirect("proposals:my_proposal_detail", pk=proposal.pk)


# --- the list ------------------------------------------------------------------------------------------------

@require_safe
@never_cache
@role_required(roles.DEPUTY)
def mine(request):
    """My motions and suggestions: state, number, the next deadline, and what awaits me."""
    _require_deputy(request.user)
    filters = MyProposalsFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    items = selectors.my_proposals(request.user, show=data.get("show", ""), kind=data.get("kind", ""),
                                   q=data.get("q", ""))
    page, query = page_with_query(request, items, PAGE_SIZE)
    return render(request, "proposals/deputy_mine.html", {
        "filters": filters, "page": page, "query": query, "counts": selectors.awaiting_counts(request.user),
        "may_raise": selectors.my_mandates(request.user).exists()})


# --- drafting and editing ------------------------------------------------------------------------------------

@never_cache
@role_required(roles.DEPUTY)
def proposal_new(request):
    """A new suggestion, or a motion with ``?kind=motion``: saved as a draft of the deputy, who leads it."""
    _require_deputy(request.user)
    kind = Kind.MOTION if request.GET.get("kind") == Kind.MOTION else Kind.SUGGESTION
    mandates = selectors.my_mandates(request.user)
    if not mandates.exists():
        messages.error(request, _("You hold no serving mandate, so you cannot raise a motion or a suggestion."))
        return redirect("proposals:mine")
    form = ProposalForm(_posted(request), kind=kind, mandates=mandates)
    if response := submit_form(
            request, form,
            lambda data: submission.proposal_create(user=request.user, mandate=data["mandate"], kind=kind,
                                                    **form.service_fields()),
            message=_("The draft was saved. Add files and co-signers if you wish, then submit "
                      "it."),
            done=lambda proposal: _to_detail(proposal)):
        return response
    return render(request, "proposals/deputy_proposal_form.html", {"form": form, "kind": kind, "proposal": None})


def _initial(proposal: Proposal) -> dict:
    names = ["title", "category", "keywords", "content", "grounds", "plan", "is_legislative", "draft_text",
             "period", "session", "version"]
    return {name: getattr(proposal, f"{name}_id" if name in ("category", "session") else name) for name in names}


@never_cache
@role_required(roles.DEPUTY)
def my_proposal_edit(request, pk):
    """Edit a draft or a returned item (the lead). A save over someone else's keeps the input and says so."""
    _require_deputy(request.user)
    proposal = selectors.lead_proposal(request.user, pk)
    if proposal.state not in selectors.EDITABLE:
        messages.error(request, _("“%(title)s” is %(state)s: it can be changed only as a draft or when returned "
                                  "to you.") % {"title": proposal.title, "state": proposal.get_state_display()})
        return _to_detail(proposal)
    lead = selectors.lead_signature(proposal)
    form = ProposalForm(_posted(request), kind=proposal.kind, proposal=proposal,
                        lead_mandate=lead.mandate if lead else None, initial=_initial(proposal))
    changed_since = None
    if request.method == "POST" and form.is_valid():
        try:
            submission.proposal_update(proposal=proposal, user=request.user, version=form.cleaned_data.get("version"),
                                       **form.service_fields())
        except locking.StaleObjectError as exc:
            # Someone saved first (the lead on another device): keep this input, show what the item holds now.
            form.add_error(None, exc)
            current = selectors.lead_proposal(request.user, pk)
            locking.form_with_current_version(form, current.version)
            changed_since = locking.current_differences(form, current)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return _to_detail(proposal)
    return render(request, "proposals/deputy_proposal_form.html", {
        "form": form, "kind": proposal.kind, "proposal": proposal, "changed_since": changed_since})


@require_POST
@never_cache
@role_required(roles.DEPUTY)
def my_attachment_upload(request, pk):
    _require_deputy(request.user)
    proposal = selectors.lead_proposal(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return _to_detail(proposal)
    try:
        attachment = submission.attachment_add(proposal=proposal, file=form.cleaned_data["file"], user=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The file %(name)s was attached.") % {"name": attachment.name})
    return _to_detail(proposal)


# --- one item --------------------------------------------------------------------------------------------------

@require_safe
@never_cache
@role_required(roles.DEPUTY)
def my_proposal_detail(request, pk):
    """The item and its handling progress: signers, files, assignments and communications, deadlines, replies,
    follow-ups and my ratings by round; with the actions open to me now."""
    _require_deputy(request.user)
    proposal = access.proposal_for_deputy(request.user, pk)
    progress = selectors.proposal_progress(proposal, request.user)
    mine = progress["my_signature"]
    is_lead = mine is not None and mine.role == Signature.Role.LEAD
    counts = mine is not None and mine.counts and mine.declined_at is None
    rated_now = any(r.round == proposal.round for r in progress["my_ratings"])
    has_reply = any(r.round == proposal.round for r in progress["replies"])
    return render(request, "proposals/deputy_proposal_detail.html", {
        "proposal": proposal, **progress, "is_lead": is_lead,
        "needed_signers": rules.min_signers(proposal) if proposal.kind == Kind.MOTION else None,
        "can_edit": is_lead and proposal.state in selectors.EDITABLE,
        "can_submit": is_lead and proposal.state in (S.DRAFT, S.RETURNED),
        "can_withdraw": is_lead and proposal.state in selectors.WITHDRAWABLE,
        "can_attach": is_lead and proposal.state not in selectors.FINISHED,
        "can_invite": is_lead and proposal.state in selectors.EDITABLE,
        "can_answer_invitation": (mine is not None and mine.role == Signature.Role.COSIGNER
                                  and mine.confirmed_at is None and mine.declined_at is None
                                  and proposal.state in selectors.ANSWERABLE),
        "can_rate": counts and proposal.state == S.REPLIED and has_reply and not rated_now,
        "may_answer_follow_ups": counts,
        "attachment_form": AttachmentForm(), "today": timezone.localdate(),
    })


@require_POST
@never_cache
@role_required(roles.DEPUTY)
def my_proposal_submit(request, pk):
    _require_deputy(request.user)
    proposal = selectors.lead_proposal(request.user, pk)
    try:
        submission.proposal_submit(proposal=proposal, user=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("“%(title)s” was submitted to the staff of the congress.")
                         % {"title": proposal.title})
    return _to_detail(proposal)


@never_cache
@role_required(roles.DEPUTY)
def my_proposal_withdraw(request, pk):
    """Withdraw in writing: the lead gives the reason."""
    _require_deputy(request.user)
    proposal = selectors.lead_proposal(request.user, pk)
    if proposal.state not in selectors.WITHDRAWABLE:
        messages.error(request, _("“%(title)s” is %(state)s: it can no longer be withdrawn.")
                       % {"title": proposal.title, "state": proposal.get_state_display()})
        return _to_detail(proposal)
    form = WithdrawForm(_posted(request))
    if response := submit_form(
            request, form,
            lambda data: submission.proposal_withdraw(proposal=proposal, user=request.user, reason=data["reason"]),
            message=lambda _result: _("“%(title)s” was withdrawn.") % {"title": proposal.title},
            done=lambda _result: _to_detail(proposal)):
        return response
    return render(request, "proposals/deputy_withdraw.html", {"form": form, "proposal": proposal})


# --- co-signers ----------------------------------------------------------------------------------------------

@never_cache
@role_required(roles.DEPUTY)
def cosigners_invite(request, pk):
    """The lead's co-signers: who has confirmed, who is invited, and a search to invite more."""
    _require_deputy(request.user)
    proposal = selectors.lead_proposal(request.user, pk)
    form = CosignerInviteForm(_posted(request), proposal=proposal)
    can_invite = proposal.state in selectors.EDITABLE
    if request.method == "POST":
        if not can_invite:
            messages.error(request, _("“%(title)s” is %(state)s: co-signers can be invited only before it is "
                                      "submitted.") % {"title": proposal.title,
                                                        "state": proposal.get_state_display()})
            return _to_detail(proposal)
        if response := submit_form(
                request, form,
                lambda data: submission.cosigners_invite(proposal=proposal, user=request.user,
                                                         mandates=list(data["mandates"])),
                message=lambda invited: _("%(count)s deputies were invited; each confirms on their own "
                                          "account.") % {"count": len(invited)},
                done=lambda _result: redirect("proposals:cosigners_invite", pk=proposal.pk)):
            return response
    q = request.GET.get("q", "")
    return render(request, "proposals/deputy_cosigners.html", {
        "proposal": proposal, "form": form, "can_invite": can_invite, "q": q,
        "found": selectors.cosigner_candidates(proposal, q) if can_invite else [],
        "signatures": proposal.signatures.select_related("person").order_by("-role", "invited_at"),
        "needed_signers": rules.min_signers(proposal) if proposal.kind == Kind.MOTION else None})


@require_POST
@never_cache
@role_required(roles.DEPUTY)
def cosigner_remove(request, pk, signature_pk):
    _require_deputy(request.user)
    proposal = selectors.lead_proposal(request.user, pk)
    signature = selectors.cosigner_of(proposal, signature_pk)
    try:
        submission.cosigner_remove(signature=signature, user=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("%(name)s is no longer a co-signer.") % {"name": signature.person.name})
    return redirect("proposals:cosigners_invite", pk=proposal.pk)


@require_safe
@never_cache
@role_required(roles.DEPUTY)
def deputy_search(request):
    """htmx: serving deputies of the item's congress to invite (``?proposal=<pk>&q=<name or pinyin>``)."""
    _require_deputy(request.user)
    proposal = selectors.lead_proposal(request.user, request.GET.get("proposal"))
    q = request.GET.get("q", "")
    found = selectors.cosigner_candidates(proposal, q) if proposal.state in selectors.EDITABLE else []
    return render(request, "proposals/fragment_deputy_candidates.html", {"found": found, "q": q})


@require_safe
@never_cache
@role_required(roles.DEPUTY)
def cosign_list(request):
    """Invitations to co-sign: awaiting my answer first, then those I answered."""
    _require_deputy(request.user)
    page, query = page_with_query(request, selectors.my_invitations(request.user), PAGE_SIZE)
    return render(request, "proposals/deputy_cosign_list.html", {
        "page": page, "query": query, "answerable_states": selectors.ANSWERABLE})


def _back(request):
    return local_redirect(request, request.POST.get("next"), "proposals:cosign_list")


@require_POST
@never_cache
@role_required(roles.DEPUTY)
def cosign_confirm(request, signature_pk):
    _require_deputy(request.user)
    signature = selectors.invitation_for(request.user, signature_pk)
    try:
        submission.signature_confirm(signature=signature, user=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("You co-sign “%(title)s”; your name now counts.")
                         % {"title": signature.proposal.title})
    return _back(request)


@require_POST
@never_cache
@role_required(roles.DEPUTY)
def cosign_decline(request, signature_pk):
    _require_deputy(request.user)
    signature = selectors.invitation_for(request.user, signature_pk)
    try:
        submission.signature_decline(signature=signature, user=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("You declined to co-sign “%(title)s”.") % {"title": signature.proposal.title})
    return _back(request)


# --- the reply: rating and follow-up ----------------------------------------------------------------------------

@never_cache
@role_required(roles.DEPUTY)
def my_rating(request, pk):
    """Rate the reply of the present round: 满意 / 基本满意 / 不满意 with a comment. A signer who does not
    count (an unconfirmed co-signer) is refused by the service."""
    _require_deputy(request.user)
    proposal = access.proposal_for_deputy(request.user, pk)
    reply = selectors.current_reply(proposal)
    form = RatingForm(_posted(request))
    if response := submit_form(
            request, form,
            lambda data: ratings.rating_submit(proposal=proposal, user=request.user, result=data["result"],
                                               comment=data["comment"]),
            message=_("Thank you: your rating was recorded."),
            done=lambda _result: _to_detail(proposal)):
        return response
    signature = access.signature_for_deputy(request.user, proposal)
    return render(request, "proposals/deputy_rating.html", {
        "proposal": proposal, "reply": reply, "form": form,
        "open": (proposal.state == S.REPLIED and reply is not None and signature is not None
                 and signature.counts and signature.declined_at is None
                 and not selectors.has_rated(proposal, signature))})


@never_cache
@role_required(roles.DEPUTY)
def my_follow_up_answer(request, pk, follow_up_pk):
    """The follow-up question of a B or C reply: is it solved now?"""
    _require_deputy(request.user)
    proposal = access.proposal_for_deputy(request.user, pk)
    follow_up = selectors.follow_up_of(proposal, follow_up_pk)
    form = FollowUpAnswerForm(_posted(request))
    if response := submit_form(
            request, form, lambda data: handling.follow_up_answer(follow_up=follow_up, user=request.user,
                                                                  is_solved=data["is_solved"]),
            message=_("Thank you: your answer was recorded."),
            done=lambda _result: _to_detail(proposal)):
        return response
    return render(request, "proposals/deputy_follow_up.html", {
        "proposal": proposal, "follow_up": follow_up, "form": form,
        "open": follow_up.is_open and follow_up.reported_at is not None})


# --- similar items ---------------------------------------------------------------------------------------------

@require_safe
@never_cache
@role_required(roles.DEPUTY)
def similar(request):
    """htmx: items similar to the title (and content) being typed, in the congress of the chosen mandate."""
    _require_deputy(request.user)
    jurisdiction, exclude = None, None
    proposal_pk = request.GET.get("proposal", "")
    if proposal_pk:
        proposal = access.proposal_for_deputy(request.user, proposal_pk)
        jurisdiction, exclude = proposal.jurisdiction, proposal.pk
    else:
        mandates = selectors.my_mandates(request.user)
        mandate_pk = request.GET.get("mandate", "")
        mandate = mandates.filter(pk=mandate_pk).first() if is_pk(mandate_pk) else mandates.first()
        if mandate is None:
            raise Http404
        jurisdiction = mandate.jurisdiction
    items = similar_proposals(title=request.GET.get("title", ""), content=request.GET.get("content", ""),
                              jurisdiction=jurisdiction, exclude_pk=exclude, limit=SIMILAR_LIMIT)
    return render(request, "proposals/fragment_similar.html", {"items": items, "link_name": None})

