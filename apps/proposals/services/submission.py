"""Writes of the deputy's side and of the office's intake: drafting, co-signing, submitting, returning,
withdrawing, registering (a number per session), and the review of motions (立案 or conversion to a
suggestion).

Every service runs in one transaction, reads the item with a row lock (``transitions.lock``) and moves it
through ``transitions.move``: of two people acting on one item at once, the second sees the item as the
first left it and is refused, nothing of theirs written.
"""

from __future__ import annotations

import os

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import locking, roles
from apps.core.models import AuditEvent
from apps.core.services import audit_event, notify
from apps.core.signals import send_records_written
from apps.core.uploads import check_upload
from apps.deputies.models import Mandate
from apps.proposals import rules
from apps.proposals.models import Category, Kind, Proposal, ProposalAttachment, Signature
from apps.proposals.services import transitions
from apps.proposals.services._common import (
    check_handler, check_lead, deputy_users, lock_with_group, next_number, required_text, tell_deputies, url,
)

S = Proposal.State
EDITABLE_FIELDS = ("title", "content", "grounds", "plan", "is_legislative", "draft_text", "category", "keywords",
                   "period", "session")


def _refresh(original: Proposal, fresh: Proposal) -> Proposal:
    """Bring the caller's instance up to date with what was written (they may keep using it)."""
    if original is not fresh:
        original.refresh_from_db()
    return fresh


def _check_fields(*, mandate: Mandate, kind: str, title: str, category, period: str, session) -> dict:
    errors: dict[str, list[str]] = {}
    if kind not in Kind.values:
        errors.setdefault("kind", []).append(_("Choose whether it is a motion or a suggestion."))
    if not title:
        errors.setdefault("title", []).append(_("Give it a title."))
    elif len(title) > 200:
        errors.setdefault("title", []).append(_("The title may be at most 200 characters."))
    if category is not None and not category.is_active:
        errors.setdefault("category", []).append(_("The category %(name)s is no longer used.")
                                                 % {"name": category.name})
    if period not in Proposal.Period.values:
        errors.setdefault("period", []).append(_("Choose when it was raised."))
    if session is not None and session.term_id != mandate.term_id:
        errors.setdefault("session", []).append(_("The session %(session)s is not of the deputy's term.")
                                                % {"session": session})
    if period == Proposal.Period.DURING_SESSION and session is None:
        errors.setdefault("session", []).append(_("Choose the session during which it was raised."))
    return errors


def _check_serving(mandate: Mandate) -> None:
    if not mandate.is_serving:
        raise ValidationError({"mandate": _("%(person)s is not serving as a deputy and cannot raise motions or "
                                            "suggestions.") % {"person": mandate.person}})


def _check_ready(proposal: Proposal) -> None:
    """What an item must hold before it goes to the office: a motion its 案据 and 方案 (and a draft text if
    legislative) and enough deputies signing jointly."""
    errors: dict[str, list[str]] = {}
    if not proposal.title.strip():
        errors.setdefault("title", []).append(_("Give it a title."))
    if proposal.kind == Kind.SUGGESTION and not proposal.content.strip():
        errors.setdefault("content", []).append(_("Write the content of the suggestion."))
    if proposal.kind == Kind.MOTION:
        if not proposal.grounds.strip():
            errors.setdefault("grounds", []).append(_("A motion needs its grounds (案据)."))
        if not proposal.plan.strip():
            errors.setdefault("plan", []).append(_("A motion needs a proposed solution (方案)."))
        if proposal.is_legislative and not proposal.draft_text.strip():
            errors.setdefault("draft_text", []).append(_("A legislative motion needs a draft text."))
        needed = rules.min_signers(proposal)
        have = sum(1 for s in proposal.signatures.all() if s.counts and s.declined_at is None)
        if have < needed:
            errors.setdefault("signatures", []).append(
                _("A motion needs at least %(needed)s deputies signing jointly; %(have)s have confirmed so far.")
                % {"needed": needed, "have": have})
    if errors:
        raise ValidationError(errors)


# --- drafting ---------------------------------------------------------------------------------------------

@transaction.atomic
def proposal_create(*, user, mandate: Mandate, kind: str, title: str, content: str = "", grounds: str = "",
                    plan: str = "", is_legislative: bool = False, draft_text: str = "", category=None,
                    keywords: str = "", period: str = Proposal.Period.BETWEEN_SESSIONS, session=None) -> Proposal:
    """A draft by the deputy of ``mandate``, who signs it as the lead (领衔)."""
    if user is None or getattr(user, "person_id", None) != mandate.person_id:
        raise ValidationError(_("You can raise motions and suggestions only under your own mandate."),
                              code="forbidden")
    _check_serving(mandate)
    title = (title or "").strip()
    if errors := _check_fields(mandate=mandate, kind=kind, title=title, category=category, period=period,
                               session=session):
        raise ValidationError(errors)
    proposal = Proposal.objects.create(
        kind=kind, jurisdiction_id=mandate.jurisdiction_id, level=mandate.level, session=session, period=period,
        year=timezone.localdate().year, title=title, content=(content or "").strip(),
        grounds=(grounds or "").strip(), plan=(plan or "").strip(), is_legislative=is_legislative,
        draft_text=(draft_text or "").strip(), category=category, keywords=(keywords or "").strip(),
        created_by=user)
    Signature.objects.create(proposal=proposal, person_id=mandate.person_id, mandate=mandate,
                             role=Signature.Role.LEAD, confirmed_at=timezone.now())
    return proposal


@transaction.atomic
def suggestion_draft_from_voter_issue(*, user, mandate: Mandate, title: str, content: str, origin: str,
                                      category=None) -> Proposal:
    """A suggestion draft (建议草稿) made from an issue a voter raised at a work station, with the deputy of
    ``mandate`` as the lead: by that deputy themself, or by staff of the deputy's congress (or above) on their
    behalf. The deputy finds it among their drafts and edits or submits it as any draft. ``origin`` (where and
    when the voter raised it) is kept at the end of the content and in the audit log.
    """
    acting_for_self = user is not None and getattr(user, "person_id", None) == mandate.person_id
    jurisdiction = getattr(user, "jurisdiction", None)
    if not acting_for_self and not (user is not None and user.has_role(roles.STAFF) and jurisdiction is not None
                                    and mandate.jurisdiction.path.startswith(jurisdiction.path)):
        raise ValidationError(_("Only the deputy or the staff of their congress can make this draft."),
                              code="forbidden")
    _check_serving(mandate)
    title, content, origin = (title or "").strip(), (content or "").strip(), (origin or "").strip()
    errors = _check_fields(mandate=mandate, kind=Kind.SUGGESTION, title=title, category=category,
                           period=Proposal.Period.BETWEEN_SESSIONS, session=None)
    if not content:
        errors.setdefault("content", []).append(_("Write the content of the suggestion."))
    if errors:
        raise ValidationError(errors)
    if origin:
        content = f"{content}\n\n{origin}"
    proposal = Proposal.objects.create(
        kind=Kind.SUGGESTION, jurisdiction_id=mandate.jurisdiction_id, level=mandate.level,
        period=Proposal.Period.BETWEEN_SESSIONS, year=timezone.localdate().year, title=title, content=content,
        category=category, created_by=user)
    Signature.objects.create(proposal=proposal, person_id=mandate.person_id, mandate=mandate,
                             role=Signature.Role.LEAD, confirmed_at=timezone.now())
    audit_event(user=user, action=AuditEvent.Action.CREATE, obj=proposal,
                detail=f"suggestion draft from a voter's issue for {mandate.person.name}: {origin}"[:500])
    if not acting_for_self:
        notify(recipients=deputy_users([mandate.person_id]), title=_("A suggestion draft was prepared for you"),
               body=_("“%(title)s”, from an issue a voter raised at a work station, waits among your drafts: "
                      "edit it and submit it if you agree.") % {"title": title},
               url=url("my_proposal_detail", proposal.pk))
    return proposal


@transaction.atomic
def proposal_update(*, proposal: Proposal, user, version: int | None, **fields) -> Proposal:
    """Change a draft or a returned item; refused with ``StaleObjectError`` when it changed since ``version``."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"proposal_update() got unexpected fields: {', '.join(sorted(unknown))}")
    current = transitions.lock(proposal.pk)
    lead = check_lead(user, current)
    if version is not None and current.version != version:
        raise locking.StaleObjectError(current, current_version=current.version)
    if current.state not in (S.DRAFT, S.RETURNED):
        raise ValidationError(_("“%(title)s” is %(state)s: it can be changed only as a draft or when returned.")
                              % {"title": current.title, "state": current.get_state_display()}, code="state")
    for name in ("title", "content", "grounds", "plan", "draft_text", "keywords"):
        if name in fields:
            fields[name] = (fields[name] or "").strip()
    merged = {name: fields.get(name, getattr(current, name)) for name in EDITABLE_FIELDS}
    if errors := _check_fields(mandate=lead.mandate, kind=current.kind, title=merged["title"],
                               category=merged["category"], period=merged["period"], session=merged["session"]):
        raise ValidationError(errors)
    for name, value in fields.items():
        setattr(current, name, value)
    current.version += 1
    current.save()
    return _refresh(proposal, current)


@transaction.atomic
def attachment_add(*, proposal: Proposal, file, user) -> ProposalAttachment:
    """A file on an item (checked by size and content), while it is open."""
    current = transitions.lock(proposal.pk)
    if current.state in (S.WITHDRAWN, S.CLOSED):
        raise ValidationError(_("“%(title)s” is %(state)s: no more files can be added.")
                              % {"title": current.title, "state": current.get_state_display()}, code="state")
    try:
        content_type = check_upload(file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    name = os.path.basename(getattr(file, "name", "") or "file")[:200]
    attachment = ProposalAttachment(proposal=current, name=name, content_type=content_type, size=file.size,
                                    uploaded_by=user)
    attachment.file.save(name, file, save=False)
    attachment.save()
    return attachment


# --- co-signers -------------------------------------------------------------------------------------------

@transaction.atomic
def cosigners_invite(*, proposal: Proposal, user, mandates) -> list[Signature]:
    """Invite deputies of the same congress to sign jointly (附议); they count once they confirm."""
    current = transitions.lock(proposal.pk)
    lead = check_lead(user, current)
    if current.state not in (S.DRAFT, S.RETURNED):
        raise ValidationError(_("“%(title)s” is %(state)s: co-signers can be invited only before it is submitted.")
                              % {"title": current.title, "state": current.get_state_display()}, code="state")
    mandates = list(dict.fromkeys(mandates))
    if not mandates:
        raise ValidationError({"mandates": _("Choose at least one deputy to invite.")})
    on_it = set(current.signatures.values_list("person_id", flat=True))
    errors = []
    for mandate in mandates:
        if mandate.person_id in on_it:
            errors.append(_("%(person)s is already on this item.") % {"person": mandate.person})
        elif not mandate.is_serving:
            errors.append(_("%(person)s is not serving as a deputy.") % {"person": mandate.person})
        elif mandate.jurisdiction_id != lead.mandate.jurisdiction_id or mandate.level != lead.mandate.level:
            errors.append(_("%(person)s is not a deputy of the same congress.") % {"person": mandate.person})
        on_it.add(mandate.person_id)
    if errors:
        raise ValidationError({"mandates": errors})
    signatures = Signature.objects.bulk_create([
        Signature(proposal=current, person_id=m.person_id, mandate=m, role=Signature.Role.COSIGNER)
        for m in mandates])
    send_records_written(Signature, mandate_ids=[m.pk for m in mandates])  # no post_save in bulk
    from apps.core.audit import bulk_change_record

    bulk_change_record(obj=current, detail=f"co-signers invited: {len(signatures)}")
    users = deputy_users(m.person_id for m in mandates)
    if users:
        notify(recipients=users, title=_("%(lead)s invites you to co-sign “%(title)s”")
               % {"lead": lead.person, "title": current.title},
               body=_("Read it and confirm or decline on your own account; your name counts once you confirm."),
               url=url("cosign_list"))
    return signatures


@transaction.atomic
def cosigner_remove(*, signature: Signature, user) -> None:
    current = transitions.lock(signature.proposal_id)
    check_lead(user, current)
    if signature.role == Signature.Role.LEAD:
        raise ValidationError(_("The lead deputy cannot be removed."), code="lead")
    if current.state not in (S.DRAFT, S.RETURNED):
        raise ValidationError(_("“%(title)s” is %(state)s: co-signers can be removed only before it is submitted.")
                              % {"title": current.title, "state": current.get_state_display()}, code="state")
    signature.delete()


def _own_cosignature(signature: Signature, user) -> Proposal:
    current = transitions.lock(signature.proposal_id)
    if user is None or getattr(user, "person_id", None) != signature.person_id:
        raise ValidationError(_("Only the invited deputy can answer this invitation."), code="forbidden")
    if signature.role != Signature.Role.COSIGNER:
        raise ValidationError(_("The lead deputy's signature needs no confirmation."), code="lead")
    return current


@transaction.atomic
def signature_confirm(*, signature: Signature, user) -> Signature:
    """The co-signer confirms on their own account: from now on their name counts."""
    current = _own_cosignature(signature, user)
    signature = Signature.objects.select_for_update().get(pk=signature.pk)
    if current.state not in (S.DRAFT, S.RETURNED, S.SUBMITTED):
        raise ValidationError(_("“%(title)s” is %(state)s: signatures can no longer be confirmed.")
                              % {"title": current.title, "state": current.get_state_display()}, code="state")
    if signature.confirmed_at is not None:
        raise ValidationError(_("You have already confirmed your signature."), code="done")
    signature.confirmed_at, signature.declined_at = timezone.now(), None
    signature.save(update_fields=["confirmed_at", "declined_at"])
    return signature


@transaction.atomic
def signature_decline(*, signature: Signature, user) -> Signature:
    """The co-signer declines; a confirmed signature can be withdrawn only before the item is submitted."""
    current = _own_cosignature(signature, user)
    signature = Signature.objects.select_for_update().get(pk=signature.pk)
    if signature.declined_at is not None:
        raise ValidationError(_("You have already declined."), code="done")
    if signature.confirmed_at is not None and current.state not in (S.DRAFT, S.RETURNED):
        raise ValidationError(_("“%(title)s” is %(state)s: a confirmed signature can no longer be withdrawn.")
                              % {"title": current.title, "state": current.get_state_display()}, code="state")
    signature.confirmed_at, signature.declined_at = None, timezone.now()
    signature.save(update_fields=["confirmed_at", "declined_at"])
    return signature


# --- submission and the office's intake --------------------------------------------------------------------

@transaction.atomic
def proposal_submit(*, proposal: Proposal, user) -> Proposal:
    """The lead sends the draft (or the returned item, edited) to the office."""
    current = transitions.lock(proposal.pk)
    rules.check_transition(current, "submit")
    lead = check_lead(user, current)
    _check_serving(lead.mandate)
    _check_ready(current)
    transitions.move(current, "submit", user=user, submitted_at=timezone.now())
    return _refresh(proposal, current)


@transaction.atomic
def proposal_enter_on_paper(*, user, mandate: Mandate, cosigner_mandates=(), kind: str, title: str,
                            content: str = "", grounds: str = "", plan: str = "", is_legislative: bool = False,
                            draft_text: str = "", category=None, keywords: str = "",
                            period: str = Proposal.Period.BETWEEN_SESSIONS, session=None) -> Proposal:
    """Staff enter a paper submission for its deputies: submitted at once, every signature confirmed."""
    probe = Proposal(jurisdiction=mandate.jurisdiction, level=mandate.level, kind=kind, title=title or "")
    check_handler(user, probe)
    _check_serving(mandate)
    title = (title or "").strip()
    errors = _check_fields(mandate=mandate, kind=kind, title=title, category=category, period=period,
                           session=session)
    cosigner_mandates = [m for m in dict.fromkeys(cosigner_mandates) if m.person_id != mandate.person_id]
    for m in cosigner_mandates:
        if not m.is_serving:
            errors.setdefault("cosigner_mandates", []).append(
                _("%(person)s is not serving as a deputy.") % {"person": m.person})
        elif m.jurisdiction_id != mandate.jurisdiction_id or m.level != mandate.level:
            errors.setdefault("cosigner_mandates", []).append(
                _("%(person)s is not a deputy of the same congress.") % {"person": m.person})
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    proposal = Proposal.objects.create(
        kind=kind, state=S.SUBMITTED, jurisdiction_id=mandate.jurisdiction_id, level=mandate.level,
        session=session, period=period, year=timezone.localdate().year, title=title,
        content=(content or "").strip(), grounds=(grounds or "").strip(), plan=(plan or "").strip(),
        is_legislative=is_legislative, draft_text=(draft_text or "").strip(), category=category,
        keywords=(keywords or "").strip(), created_by=user, entered_on_paper=True, submitted_at=now)
    Signature.objects.bulk_create(
        [Signature(proposal=proposal, person_id=mandate.person_id, mandate=mandate, role=Signature.Role.LEAD,
                   confirmed_at=now)]
        + [Signature(proposal=proposal, person_id=m.person_id, mandate=m, role=Signature.Role.COSIGNER,
                     confirmed_at=now) for m in cosigner_mandates])
    send_records_written(Signature, mandate_ids=[mandate.pk, *(m.pk for m in cosigner_mandates)])
    _check_ready(proposal)
    audit_event(user=user, action=AuditEvent.Action.PROPOSAL_STATE, obj=proposal,
                detail=f"entered on paper: → {S.SUBMITTED} · signatures: {1 + len(cosigner_mandates)}")
    return proposal


def _office_decision(proposal: Proposal, user, action: str) -> Proposal:
    current = transitions.lock(proposal.pk)
    rules.check_transition(current, action)
    check_handler(user, current)
    return current


@transaction.atomic
def proposal_withdraw(*, proposal: Proposal, user, reason: str) -> Proposal:
    """The lead withdraws the item in writing (before it is assigned); it leaves any merge group."""
    current, _group = lock_with_group(proposal.pk)
    rules.check_transition(current, "withdraw")
    check_lead(user, current)
    reason = required_text(reason, "reason", _("Write the reason for withdrawing."))
    group_id = current.merge_group_id
    transitions.move(current, "withdraw", user=user, withdraw_reason=reason, merge_group=None)
    if group_id is not None:
        from apps.proposals.services.supervision import dissolve_if_single

        dissolve_if_single(group_id)
    tell_deputies(current, title=_("“%(title)s” was withdrawn") % {"title": current.title}, body=reason)
    return _refresh(proposal, current)


@transaction.atomic
def proposal_return(*, proposal: Proposal, user, reason: str) -> Proposal:
    """Staff return a submission that is not a proper motion or suggestion, saying why."""
    current = _office_decision(proposal, user, "return")
    reason = required_text(reason, "reason", _("Write the reason for returning it to the deputy."))
    transitions.move(current, "return", user=user, return_reason=reason)
    tell_deputies(current, title=_("“%(title)s” was returned to you") % {"title": current.title}, body=reason)
    return _refresh(proposal, current)


@transaction.atomic
def proposal_register(*, proposal: Proposal, user, category: Category | None, is_key: bool = False) -> Proposal:
    """Register a submission: the next number of its session and kind (第0012号), a category, the key flag."""
    current = _office_decision(proposal, user, "register")
    if category is None:
        raise ValidationError({"category": _("Choose a category.")})
    if not category.is_active:
        raise ValidationError({"category": _("The category %(name)s is no longer used.") % {"name": category.name}})
    number = next_number(jurisdiction_id=current.jurisdiction_id, year=current.year, session_id=current.session_id,
                         kind=current.kind)
    transitions.move(current, "register", user=user, detail=f"No. {number}", number=number, category=category,
                     is_key=bool(is_key) or current.is_key, registered_at=timezone.now())
    tell_deputies(current, title=_("“%(title)s” was registered as %(number)s")
                  % {"title": current.title, "number": current.number_label})
    return _refresh(proposal, current)


@transaction.atomic
def proposal_set_confidential(*, proposal: Proposal, user, confidential: bool) -> Proposal:
    """Mark an item confidential (不公开) or lift the mark; staff of the item's congress. A confidential item's
    replies are published nowhere: not on the platform's published replies, not on the public portal (/open/),
    not in the open data. The change is audited (the item's update); its state and version are untouched."""
    current = transitions.lock(proposal.pk)
    check_handler(user, current)
    if current.is_confidential != bool(confidential):
        current.is_confidential = bool(confidential)
        current.save(update_fields=["is_confidential", "updated_at"])
    return _refresh(proposal, current)


@transaction.atomic
def motion_docket(*, proposal: Proposal, user, opinion: str) -> Proposal:
    """The review puts the motion on the agenda (立案), with the review opinion."""
    current = _office_decision(proposal, user, "docket")
    opinion = required_text(opinion, "opinion", _("Write the review opinion."))
    transitions.move(current, "docket", user=user, docket_reason=opinion)
    tell_deputies(current, title=_("Motion “%(title)s” was put on the agenda") % {"title": current.title},
                  body=opinion)
    return _refresh(proposal, current)


@transaction.atomic
def motion_convert(*, proposal: Proposal, user, reason: str) -> Proposal:
    """The review does not put the motion on the agenda: it is handled as a suggestion, with a suggestion
    number, the reason recorded."""
    current = _office_decision(proposal, user, "convert")
    reason = required_text(reason, "reason", _("Write the reason for handling it as a suggestion."))
    number = next_number(jurisdiction_id=current.jurisdiction_id, year=current.year, session_id=current.session_id,
                         kind=Kind.SUGGESTION)
    transitions.move(current, "convert", user=user, detail=f"suggestion No. {number}", kind=Kind.SUGGESTION,
                     number=number, converted_from_motion=True, docket_reason=reason)
    tell_deputies(current, title=_("Motion “%(title)s” will be handled as a suggestion") % {"title": current.title},
                  body=reason)
    return _refresh(proposal, current)
