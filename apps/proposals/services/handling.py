"""Writes of handling (办理): assignment to units, signing for or returning, communication with the deputy,
co-units' opinions, the reply, extensions of deadlines and the follow-up of B and C replies.

Every deadline written here comes from ``rules`` and names the rule, field and value that produced it.
Items of one merge group (并案) are assigned together and the lead unit's reply reaches each of them; each
keeps its own assignments, deadlines, reply and ratings.
"""

from __future__ import annotations

import datetime
import os

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import calendar, locking
from apps.core.uploads import check_upload
from apps.proposals import rules
from apps.proposals.models import (
    Assignment, Communication, Deadline, ExtensionRequest, FollowUp, Kind, Proposal, ProposalAttachment, Reply,
    ReplyClass,
)
from apps.proposals.services import transitions
from apps.proposals.services._common import (
    check_handler, check_unit_user, day, lock_with_group, required_text, signer_person_ids, tell_deputies, tell_staff,
    tell_units,
)

S = Proposal.State
LIVE = (Assignment.State.PENDING, Assignment.State.ACCEPTED)
FOLLOW_UP_MONTHS = 3


def _state_error(proposal: Proposal, message: str):
    return ValidationError(message % {"title": proposal.title, "state": proposal.get_state_display()},
                           code="state")


def _close_deadlines(qs, *, met: bool) -> None:
    """Close open deadlines (one row at a time so that each change is audited)."""
    now = timezone.now()
    for deadline in qs.filter(is_open=True):
        deadline.is_open = False
        if met:
            deadline.met_at = now
        deadline.save(update_fields=["is_open", "met_at"])


def _check_units(proposal: Proposal, lead_unit, co_units) -> list:
    errors: dict[str, list[str]] = {}
    if lead_unit is None:
        errors.setdefault("lead_unit", []).append(_("Choose the lead unit."))
    co_units = [u for u in dict.fromkeys(co_units or ()) if lead_unit is None or u.pk != lead_unit.pk]
    for field, units in (("lead_unit", [lead_unit] if lead_unit else []), ("co_units", co_units)):
        for unit in units:
            if not unit.is_active:
                errors.setdefault(field, []).append(_("%(unit)s no longer handles items.") % {"unit": unit})
            elif unit.jurisdiction_id != proposal.jurisdiction_id:
                errors.setdefault(field, []).append(_("%(unit)s is not a handling unit of %(congress)s.")
                                                    % {"unit": unit, "congress": proposal.jurisdiction})
    if errors:
        raise ValidationError(errors)
    return co_units


def _new_assignments(proposal: Proposal, *, user, lead_unit, co_units, today: datetime.date,
                     lead_state: str = Assignment.State.PENDING) -> list[Assignment]:
    """Assignment rows of the item's present round with their deadlines: every unit signs for it (or
    returns it) within the return window; the lead unit replies by the reply (or re-handling) deadline;
    co-units send their opinion within the co-unit period."""
    rule = rules.rule_for(proposal.jurisdiction, proposal.kind)
    now = timezone.now()
    rows = []
    if lead_unit is not None:
        rows.append(Assignment(proposal=proposal, unit=lead_unit, role=Assignment.Role.LEAD, round=proposal.round,
                               state=lead_state, assigned_at=now, assigned_by=user,
                               accepted_at=now if lead_state == Assignment.State.ACCEPTED else None))
    rows += [Assignment(proposal=proposal, unit=unit, role=Assignment.Role.CO, round=proposal.round,
                        assigned_at=now, assigned_by=user) for unit in co_units]
    for assignment in rows:
        assignment.save()
        deadlines = []
        if assignment.state == Assignment.State.PENDING:
            deadlines.append(rules.sign_deadline(proposal, assignment, rule, today))
        if assignment.role == Assignment.Role.LEAD:
            if proposal.round > 1:
                deadlines.append(rules.rehandling_deadline(proposal, assignment, rule, today))
            else:
                deadlines.append(rules.reply_deadline(proposal, assignment, rule, today))
        else:
            deadlines.append(rules.co_opinion_deadline(proposal, assignment, rule, today))
        for deadline in deadlines:
            deadline.save()
    return rows


def _tell_assigned(proposal: Proposal, assignments) -> None:
    for assignment in assignments:
        if assignment.role == Assignment.Role.LEAD:
            title = _("“%(title)s” was assigned to your unit as lead unit") % {"title": proposal.title}
        else:
            title = _("“%(title)s” was assigned to your unit as co-unit") % {"title": proposal.title}
        tell_units([assignment], title=title, body=_("Sign for it, or return it if it is not your business, "
                                                     "within the time shown on the page."))


# --- assignment ---------------------------------------------------------------------------------------------

def _check_assignable(proposal: Proposal) -> None:
    rules.check_transition(proposal, "assign")
    if proposal.kind == Kind.MOTION and proposal.state != S.DOCKETED:
        raise _state_error(proposal, _("Motion “%(title)s” is %(state)s: it is assigned only once it is on the "
                                       "agenda (立案)."))


@transaction.atomic
def proposal_assign(*, proposal: Proposal, user, lead_unit, co_units=()) -> list[Assignment]:
    """Assign the item (and every item of its merge group) to a lead unit and co-units (交办)."""
    current, others = lock_with_group(proposal.pk)
    _check_assignable(current)
    check_handler(user, current)
    co_units = _check_units(current, lead_unit, co_units)
    for other in others:
        _check_assignable(other)
    items = [current, *others]
    today = timezone.localdate()
    created = []
    for item in items:
        transitions.move(item, "assign", user=user, detail=str(lead_unit), assigned_at=timezone.now())
        rows = _new_assignments(item, user=user, lead_unit=lead_unit, co_units=co_units, today=today)
        _tell_assigned(item, rows)
        created += rows
    if proposal is not current:
        proposal.refresh_from_db()
    return created


@transaction.atomic
def assignment_reassign(*, proposal: Proposal, user, lead_unit, co_units=()) -> list[Assignment]:
    """Change the units of the present round: after a unit returned it, or when the office decides so.

    Units no longer on it are cancelled (their open deadlines closed); units kept in the same role keep their
    assignment; new ones get new rows and deadlines. A new lead unit must sign for it again: an item being
    handled goes back to assigned (in re-handling it stays re-handling)."""
    current = transitions.lock(proposal.pk)
    rules.check_transition(current, "reassign")
    check_handler(user, current)
    co_units = _check_units(current, lead_unit, co_units)
    live = list(current.assignments.select_for_update(of=("self",)).filter(round=current.round, state__in=LIVE)
                .select_related("unit"))
    wanted = {(lead_unit.pk, Assignment.Role.LEAD)} | {(u.pk, Assignment.Role.CO) for u in co_units}
    kept = {(a.unit_id, a.role) for a in live if (a.unit_id, a.role) in wanted}
    dropped = [a for a in live if (a.unit_id, a.role) not in wanted]
    if not dropped and kept == wanted:
        raise ValidationError(_("These are already the units of “%(title)s”; nothing was changed.")
                              % {"title": current.title}, code="unchanged")
    new_lead = (lead_unit.pk, Assignment.Role.LEAD) not in kept
    target = S.ASSIGNED if new_lead and current.state == S.HANDLING else None
    transitions.move(current, "reassign", to=target, user=user, detail=str(lead_unit))
    for assignment in dropped:
        assignment.state = Assignment.State.CANCELLED
        assignment.save(update_fields=["state"])
        _close_deadlines(assignment.deadlines.all(), met=False)
    tell_units(dropped, title=_("“%(title)s” is no longer assigned to your unit") % {"title": current.title},
               body=_("The office reassigned it to other units."))
    new_co = [u for u in co_units if (u.pk, Assignment.Role.CO) not in kept]
    rows = _new_assignments(current, user=user, lead_unit=lead_unit if new_lead else None, co_units=new_co,
                            today=timezone.localdate())
    _tell_assigned(current, rows)
    if proposal is not current:
        proposal.refresh_from_db()
    return rows


def _lock_assignment(assignment: Assignment, *, with_group: bool = False):
    """The item (and, if asked, the rest of its merge group) and the assignment, locked."""
    if with_group:
        current, others = lock_with_group(assignment.proposal_id)
        fresh = Assignment.objects.select_for_update(of=("self",)).select_related("unit").get(pk=assignment.pk)
        return current, fresh, others
    current = transitions.lock(assignment.proposal_id)
    fresh = Assignment.objects.select_for_update(of=("self",)).select_related("unit").get(pk=assignment.pk)
    return current, fresh


def _sync(original, fresh):
    if original is not fresh:
        original.refresh_from_db()
    return fresh


@transaction.atomic
def assignment_accept(*, assignment: Assignment, user) -> Assignment:
    """The unit signs for the item (签收); when the lead unit signs, handling starts."""
    current, fresh = _lock_assignment(assignment)
    if fresh.role == Assignment.Role.LEAD:
        rules.check_transition(current, "accept")
    elif current.state not in (S.ASSIGNED, S.HANDLING, S.REHANDLING):
        raise _state_error(current, _("“%(title)s” is %(state)s: it cannot be signed for now."))
    check_unit_user(user, fresh)
    if fresh.state != Assignment.State.PENDING:
        raise ValidationError(_("This assignment is %(state)s: it cannot be signed for now.")
                              % {"state": fresh.get_state_display()}, code="state")
    if fresh.round != current.round:
        raise ValidationError(_("This assignment belongs to an earlier round of handling."), code="round")
    fresh.state, fresh.accepted_at = Assignment.State.ACCEPTED, timezone.now()
    fresh.save(update_fields=["state", "accepted_at"])
    _close_deadlines(fresh.deadlines.filter(kind=Deadline.Kind.SIGN), met=True)
    if fresh.role == Assignment.Role.LEAD:
        transitions.move(current, "accept", to=S.HANDLING if current.state == S.ASSIGNED else None, user=user,
                         detail=str(fresh.unit))
    return _sync(assignment, fresh)


@transaction.atomic
def assignment_return(*, assignment: Assignment, user, reason: str) -> Assignment:
    """The unit returns the item as not its business (退回), within its return window; the office
    reassigns it."""
    current, fresh = _lock_assignment(assignment)
    if current.state not in (S.ASSIGNED, S.HANDLING, S.REHANDLING):
        raise _state_error(current, _("“%(title)s” is %(state)s: it cannot be returned by a unit now."))
    check_unit_user(user, fresh)
    if fresh.state != Assignment.State.PENDING:
        raise ValidationError(_("This assignment is %(state)s: only an assignment not yet signed for can be "
                                "returned.") % {"state": fresh.get_state_display()}, code="state")
    reason = required_text(reason, "reason", _("Write why the item is not your unit's business."))
    window = fresh.deadlines.filter(kind=Deadline.Kind.SIGN).order_by("-due_on").first()
    if window is not None and timezone.localdate() > window.due_on:
        raise ValidationError(_("The time for returning it ended on %(date)s; ask the office to reassign it.")
                              % {"date": day(window.due_on)}, code="late")
    fresh.state, fresh.returned_at, fresh.return_reason = Assignment.State.RETURNED, timezone.now(), reason
    fresh.save(update_fields=["state", "returned_at", "return_reason"])
    _close_deadlines(fresh.deadlines.all(), met=False)
    # The item itself does not move (a lead return leaves it assigned without a live lead); the version moves
    # so that a page opened before the return is refused.
    current.version += 1
    current.save(update_fields=["version", "updated_at"])
    tell_staff(current, title=_("%(unit)s returned “%(title)s”") % {"unit": fresh.unit, "title": current.title},
               body=reason)
    return _sync(assignment, fresh)


# --- handling -----------------------------------------------------------------------------------------------

def _check_handling_unit(current: Proposal, fresh: Assignment, user) -> None:
    check_unit_user(user, fresh)
    if fresh.state != Assignment.State.ACCEPTED:
        raise ValidationError(_("Sign for the item first."), code="state")


@transaction.atomic
def communication_add(*, assignment: Assignment, user, date: datetime.date, means: str,
                      content: str) -> Communication:
    """The unit's record of contact with the deputy (沟通)."""
    current, fresh = _lock_assignment(assignment)
    if current.state in (S.WITHDRAWN, S.CLOSED):
        raise _state_error(current, _("“%(title)s” is %(state)s: no more communication can be recorded."))
    _check_handling_unit(current, fresh, user)
    errors: dict[str, list[str]] = {}
    if date is None:
        errors.setdefault("date", []).append(_("Give the date of the contact."))
    elif date > timezone.localdate():
        errors.setdefault("date", []).append(_("The date of the contact cannot be in the future."))
    if means not in Communication.Means.values:
        errors.setdefault("means", []).append(_("Choose how the deputy was contacted."))
    if not (content or "").strip():
        errors.setdefault("content", []).append(_("Write what was discussed."))
    if errors:
        raise ValidationError(errors)
    return Communication.objects.create(assignment=fresh, date=date, means=means, content=content.strip(),
                                        recorded_by=user)


@transaction.atomic
def co_opinion_submit(*, assignment: Assignment, user, opinion: str) -> Assignment:
    """A co-unit's opinion to the lead unit (it may send a better one until the reply)."""
    current, fresh = _lock_assignment(assignment)
    if fresh.role != Assignment.Role.CO:
        raise ValidationError(_("Only a co-unit sends an opinion to the lead unit."), code="role")
    if current.state not in (S.ASSIGNED, S.HANDLING, S.REHANDLING):
        raise _state_error(current, _("“%(title)s” is %(state)s: opinions can no longer be sent."))
    _check_handling_unit(current, fresh, user)
    opinion = required_text(opinion, "opinion", _("Write the opinion for the lead unit."))
    fresh.opinion, fresh.opinion_at = opinion, timezone.now()
    fresh.save(update_fields=["opinion", "opinion_at"])
    _close_deadlines(fresh.deadlines.filter(kind=Deadline.Kind.CO_OPINION), met=True)
    leads = current.assignments.filter(role=Assignment.Role.LEAD, round=current.round, state__in=LIVE)
    tell_units(leads, title=_("%(unit)s sent its opinion on “%(title)s”") % {"unit": fresh.unit,
                                                                              "title": current.title})
    return _sync(assignment, fresh)


def missing_co_opinions(item: Proposal) -> list[Assignment]:
    """The co-units of the item's present round whose opinion the lead unit's reply still waits for: live,
    no opinion sent, not waived by the office."""
    return list(item.assignments.filter(role=Assignment.Role.CO, round=item.round, state__in=LIVE,
                                        opinion_at__isnull=True, opinion_waived_at__isnull=True)
                .select_related("unit").order_by("assigned_at", "pk"))


def _check_co_opinions(item: Proposal) -> None:
    """The lead unit replies once every co-unit has sent its opinion (or the office waived it)."""
    missing = missing_co_opinions(item)
    if missing:
        raise ValidationError(
            _("The reply to “%(title)s” waits for the opinion of every co-unit; not yet received from: %(units)s. "
              "Ask them to send it, or ask the office to waive it.")
            % {"title": item.title, "units": "、".join(str(a.unit) for a in missing)}, code="co_opinions")


@transaction.atomic
def co_opinion_waive(*, assignment: Assignment, user, reason: str) -> Assignment:
    """The office lets the lead unit reply without a co-unit's opinion (the co-unit does not answer, or is not
    concerned after all), with the reason; the co-unit's open deadlines stop running, both units are told.
    Audited as a change of the assignment."""
    current, fresh = _lock_assignment(assignment)
    check_handler(user, current)
    if fresh.role != Assignment.Role.CO:
        raise ValidationError(_("Only a co-unit's opinion can be waived."), code="role")
    if current.state not in (S.ASSIGNED, S.HANDLING, S.REHANDLING):
        raise _state_error(current, _("“%(title)s” is %(state)s: there is no reply left to wait for."))
    if fresh.state not in LIVE or fresh.round != current.round:
        raise ValidationError(_("This assignment is %(state)s or of an earlier round: there is nothing to waive.")
                              % {"state": fresh.get_state_display()}, code="state")
    if fresh.opinion_at is not None:
        raise ValidationError(_("%(unit)s has already sent its opinion.") % {"unit": fresh.unit}, code="done")
    if fresh.opinion_waived_at is not None:
        raise ValidationError(_("The opinion of %(unit)s was already waived.") % {"unit": fresh.unit}, code="done")
    reason = required_text(reason, "reason", _("Write why the lead unit may reply without this co-unit's opinion."))
    fresh.opinion_waived_at, fresh.opinion_waived_by, fresh.opinion_waive_reason = timezone.now(), user, reason
    fresh.save(update_fields=["opinion_waived_at", "opinion_waived_by", "opinion_waive_reason"])
    _close_deadlines(fresh.deadlines.filter(kind__in=[Deadline.Kind.SIGN, Deadline.Kind.CO_OPINION]), met=False)
    title = _("The office waived the opinion of %(unit)s on “%(title)s”") % {"unit": fresh.unit,
                                                                            "title": current.title}
    leads = current.assignments.filter(role=Assignment.Role.LEAD, round=current.round, state__in=LIVE)
    tell_units([fresh, *leads], title=title, body=reason)
    return _sync(assignment, fresh)


def _reply_document(current: Proposal, document, user) -> ProposalAttachment | None:
    if document is None or isinstance(document, ProposalAttachment):
        if document is not None and document.proposal_id != current.pk:
            raise ValidationError({"document": _("The reply document belongs to another item.")})
        return document
    try:
        content_type = check_upload(document)
    except ValidationError as exc:
        raise ValidationError({"document": exc.messages}) from exc
    name = os.path.basename(getattr(document, "name", "") or "reply")[:200]
    attachment = ProposalAttachment(proposal=current, name=name, content_type=content_type, size=document.size,
                                    uploaded_by=user)
    attachment.file.save(name, document, save=False)
    attachment.save()
    return attachment


def _check_reply(*, reply_class, text: str, promised_on) -> dict:
    errors: dict[str, list[str]] = {}
    if not isinstance(reply_class, ReplyClass):
        errors.setdefault("reply_class", []).append(_("Choose the class of the reply."))
    elif reply_class.needs_follow_up:
        if promised_on is None:
            errors.setdefault("promised_on", []).append(
                _("A class %(code)s reply needs the date by which it is to be solved.") % {"code": reply_class.code})
        elif promised_on <= timezone.localdate():
            errors.setdefault("promised_on", []).append(_("The promised date must be after today."))
    if not (text or "").strip():
        errors.setdefault("text", []).append(_("Write the reply."))
    return errors


def _write_reply(item: Proposal, assignment: Assignment, *, user, reply_class, text, document, promised_on,
                 is_public) -> Reply:
    today, now = timezone.localdate(), timezone.now()
    reply = Reply.objects.create(proposal=item, assignment=assignment, round=item.round, reply_class=reply_class,
                                 text=text, document=document, promised_on=promised_on, is_public=is_public,
                                 replied_at=now, replied_by=user)
    _close_deadlines(item.deadlines.filter(round=item.round, kind__in=[Deadline.Kind.REPLY,
                                                                        Deadline.Kind.REHANDLING]), met=True)
    rule = rules.rule_for(item.jurisdiction, item.kind)
    rules.rating_deadline(item, rule, today, item.round).save()
    if reply_class.needs_follow_up:
        _new_follow_up(item, reply, assignment, due_on=promised_on)
    transitions.move(item, "reply", user=user, detail=f"{reply_class.code} · round {item.round}", replied_at=now)
    tell_deputies(item, title=_("The reply to “%(title)s” awaits your rating") % {"title": item.title},
                  body=_("%(unit)s replied (class %(code)s). Rate it within %(days)s working days.")
                  % {"unit": assignment.unit, "code": reply_class.code, "days": rule.rating_working_days})
    return reply


def _new_follow_up(item: Proposal, reply: Reply, assignment: Assignment, *, due_on: datetime.date) -> FollowUp:
    follow_up = FollowUp.objects.create(proposal=item, reply=reply, due_on=due_on)
    rule = rules.rule_for(item.jurisdiction, item.kind)
    Deadline.objects.create(proposal=item, assignment=assignment, kind=Deadline.Kind.FOLLOW_UP, round=reply.round,
                            starts_on=timezone.localdate(), due_on=due_on, rule=rule, rule_field="promised_on")
    return follow_up


@transaction.atomic
def reply_submit(*, assignment: Assignment, user, reply_class, text: str, document=None,
                 promised_on: datetime.date | None = None, is_public: bool = True) -> Reply:
    """The lead unit's answer (答复) for the present round; B and C replies are followed up from the promised
    date. In a merge group the same answer is written to every item whose lead unit this unit is."""
    current, fresh, others = _lock_assignment(assignment, with_group=True)
    rules.check_transition(current, "reply")
    if fresh.role != Assignment.Role.LEAD:
        raise ValidationError(_("Only the lead unit replies; a co-unit sends its opinion to the lead unit."),
                              code="role")
    check_unit_user(user, fresh)
    if fresh.round != current.round:
        raise ValidationError(_("This assignment belongs to an earlier round of handling."), code="round")
    if fresh.state != Assignment.State.ACCEPTED:
        raise ValidationError(_("Sign for the item first."), code="state")
    text = (text or "").strip()
    if errors := _check_reply(reply_class=reply_class, text=text, promised_on=promised_on):
        raise ValidationError(errors)
    _check_co_opinions(current)
    document = _reply_document(current, document, user)
    reply = _write_reply(current, fresh, user=user, reply_class=reply_class, text=text, document=document,
                         promised_on=promised_on, is_public=is_public)
    if others:
        _reply_to_group(others, fresh, user=user, reply_class=reply_class, text=text, document=document,
                        promised_on=promised_on, is_public=is_public)
    _sync(assignment, fresh)
    return reply


def _reply_to_group(others: list[Proposal], assignment: Assignment, *, user, document, **reply) -> None:
    """The same answer on each other item of the group (locked) whose live lead assignment is this unit's
    (signing for it if the unit had not yet)."""
    for item in others:
        if item.state not in (S.ASSIGNED, S.HANDLING, S.REHANDLING):
            continue
        lead = (item.assignments.select_for_update(of=("self",)).select_related("unit")
                .filter(role=Assignment.Role.LEAD, round=item.round, state__in=LIVE, unit_id=assignment.unit_id)
                .first())
        if lead is None:
            continue
        _check_co_opinions(item)
        if lead.state == Assignment.State.PENDING:
            lead.state, lead.accepted_at = Assignment.State.ACCEPTED, timezone.now()
            lead.save(update_fields=["state", "accepted_at"])
            _close_deadlines(lead.deadlines.filter(kind=Deadline.Kind.SIGN), met=True)
            if item.state == S.ASSIGNED:
                transitions.move(item, "accept", to=S.HANDLING, user=user, detail=str(lead.unit))
        copy = None
        if document is not None:
            copy = ProposalAttachment.objects.create(proposal=item, file=document.file.name, name=document.name,
                                                     content_type=document.content_type, size=document.size,
                                                     uploaded_by=user)
        _write_reply(item, lead, user=user, document=copy, **reply)


@transaction.atomic
def reply_update(*, reply: Reply, user, version: int | None, reply_class, text: str,
                 promised_on: datetime.date | None = None, is_public: bool = True) -> Reply:
    """Correct a reply before any deputy has rated it; follow-ups follow the class and the promised date."""
    current = transitions.lock(reply.proposal_id)
    fresh = Reply.objects.select_for_update(of=("self",)).select_related("assignment__unit").get(pk=reply.pk)
    check_unit_user(user, fresh.assignment)
    if version is not None and fresh.version != version:
        raise locking.StaleObjectError(fresh, current_version=fresh.version)
    if current.state != S.REPLIED or fresh.round != current.round or fresh.ratings.exists():
        raise ValidationError(_("The reply can no longer be changed: the deputies have begun rating it."),
                              code="state")
    text = (text or "").strip()
    if errors := _check_reply(reply_class=reply_class, text=text, promised_on=promised_on):
        raise ValidationError(errors)
    if not reply_class.needs_follow_up:
        promised_on = None
    open_follow_ups = fresh.follow_ups.filter(reported_at__isnull=True)
    follow_deadlines = current.deadlines.filter(kind=Deadline.Kind.FOLLOW_UP, round=fresh.round, is_open=True)
    if reply_class.needs_follow_up and not fresh.follow_ups.exists():
        _new_follow_up(current, fresh, fresh.assignment, due_on=promised_on)
    elif reply_class.needs_follow_up:
        for follow_up in open_follow_ups:
            follow_up.due_on = promised_on
            follow_up.save(update_fields=["due_on"])
        for deadline in follow_deadlines:
            deadline.due_on = promised_on
            deadline.save(update_fields=["due_on"])
    else:
        for follow_up in open_follow_ups:
            follow_up.delete()
        _close_deadlines(follow_deadlines, met=False)
    fresh.reply_class, fresh.text, fresh.promised_on, fresh.is_public = reply_class, text, promised_on, is_public
    fresh.version += 1
    fresh.save()
    return _sync(reply, fresh)


# --- extensions ---------------------------------------------------------------------------------------------

@transaction.atomic
def extension_request(*, assignment: Assignment, user, requested_due_on: datetime.date,
                      reason: str) -> ExtensionRequest:
    """The lead unit asks for more time to reply (延期), up to the rule's longest period from the clock start."""
    current, fresh = _lock_assignment(assignment)
    if current.state not in (S.ASSIGNED, S.HANDLING, S.REHANDLING):
        raise _state_error(current, _("“%(title)s” is %(state)s: no extension can be asked for now."))
    check_unit_user(user, fresh)
    if fresh.role != Assignment.Role.LEAD or fresh.state not in LIVE:
        raise ValidationError(_("Only the lead unit handling the item can ask for more time."), code="role")
    deadline = (fresh.deadlines.select_for_update(of=("self",))
                .filter(kind__in=[Deadline.Kind.REPLY, Deadline.Kind.REHANDLING], round=current.round, is_open=True)
                .select_related("rule").first())
    if deadline is None:
        raise ValidationError(_("There is no open reply deadline to extend."), code="none")
    if deadline.extension_requests.filter(state=ExtensionRequest.State.PENDING).exists():
        raise ValidationError(_("A request for more time is already awaiting the office's decision."),
                              code="pending")
    reason = required_text(reason, "reason", _("Write why more time is needed."))
    if requested_due_on is None:
        raise ValidationError({"requested_due_on": _("Give the new date.")})
    if requested_due_on <= deadline.due_on:
        raise ValidationError({"requested_due_on": _("The new date must be after the present one (%(date)s).")
                                                   % {"date": day(deadline.due_on)}})
    latest = rules.latest_extension_date(deadline)
    if requested_due_on > latest:
        raise ValidationError({"requested_due_on": _("The reply can be extended to %(date)s at the latest.")
                                                   % {"date": day(latest)}})
    extension = ExtensionRequest.objects.create(deadline=deadline, assignment=fresh, requested_due_on=requested_due_on,
                                                reason=reason, requested_by=user)
    tell_staff(current, title=_("%(unit)s asks for more time on “%(title)s”")
               % {"unit": fresh.unit, "title": current.title},
               body=_("New date asked for: %(date)s. %(reason)s") % {"date": day(requested_due_on), "reason": reason})
    return extension


@transaction.atomic
def extension_decide(*, extension: ExtensionRequest, user, approve: bool, note: str = "") -> ExtensionRequest:
    """The office approves (the deadline moves, the date before is kept) or refuses; unit and deputies are told."""
    fresh = ExtensionRequest.objects.select_for_update(of=("self",)).select_related(
        "deadline__rule", "assignment__unit").get(pk=extension.pk)
    current = transitions.lock(fresh.deadline.proposal_id)
    check_handler(user, current)
    if fresh.state != ExtensionRequest.State.PENDING:
        raise ValidationError(_("This request was already decided (%(state)s).")
                              % {"state": fresh.get_state_display()}, code="state")
    note = (note or "").strip()
    deadline = Deadline.objects.select_for_update(of=("self",)).select_related("rule").get(pk=fresh.deadline_id)
    if approve:
        latest = rules.latest_extension_date(deadline)
        if fresh.requested_due_on > latest:
            raise ValidationError(_("The reply can be extended to %(date)s at the latest.") % {"date": day(latest)},
                                  code="late")
        if not deadline.is_open:
            raise ValidationError(_("The deadline is no longer open; there is nothing to extend."), code="closed")
        fresh.previous_due_on = deadline.due_on
        deadline.due_on = fresh.requested_due_on
        deadline.save(update_fields=["due_on"])
        fresh.state = ExtensionRequest.State.APPROVED
    else:
        if not note:
            raise ValidationError({"note": _("Write why the request is refused.")})
        fresh.state = ExtensionRequest.State.REFUSED
    fresh.decided_by, fresh.decided_at, fresh.decision_note = user, timezone.now(), note
    fresh.save()
    if approve:
        title = _("More time for “%(title)s” was approved: the reply is due on %(date)s") % {
            "title": current.title, "date": day(deadline.due_on)}
    else:
        title = _("More time for “%(title)s” was refused: the reply is still due on %(date)s") % {
            "title": current.title, "date": day(deadline.due_on)}
    tell_units([fresh.assignment], title=title, body=note)
    tell_deputies(current, title=title, body=note)
    return _sync(extension, fresh)


# --- follow-up of B and C replies ------------------------------------------------------------------------

@transaction.atomic
def follow_up_report(*, follow_up: FollowUp, user, progress: str) -> FollowUp:
    """The unit reports its progress on a B or C reply; the deputies are asked whether it is solved."""
    fresh = FollowUp.objects.select_for_update(of=("self",)).select_related("reply__assignment__unit", "proposal") \
        .get(pk=follow_up.pk)
    check_unit_user(user, fresh.reply.assignment)
    if fresh.closed_at is not None:
        raise ValidationError(_("This follow-up was closed: %(reason)s.")
                              % {"reason": fresh.get_close_reason_display()}, code="closed")
    if fresh.answered_at is not None:
        raise ValidationError(_("The deputy has already answered this follow-up."), code="done")
    progress = required_text(progress, "progress", _("Write the progress made."))
    fresh.progress, fresh.reported_at, fresh.reported_by = progress, timezone.now(), user
    fresh.save(update_fields=["progress", "reported_at", "reported_by"])
    _close_deadlines(fresh.proposal.deadlines.filter(kind=Deadline.Kind.FOLLOW_UP, due_on=fresh.due_on), met=True)
    tell_deputies(fresh.proposal, title=_("Progress on “%(title)s”: is it solved?") % {"title": fresh.proposal.title},
                  body=progress)
    return _sync(follow_up, fresh)


@transaction.atomic
def follow_up_answer(*, follow_up: FollowUp, user, is_solved: bool) -> FollowUp:
    """A signer answers "是否已解决"; not solved → the unit reports again three months on."""
    fresh = FollowUp.objects.select_for_update(of=("self",)).select_related("reply__assignment__unit", "proposal") \
        .get(pk=follow_up.pk)
    proposal = fresh.proposal
    if user is None or getattr(user, "person_id", None) not in signer_person_ids(proposal):
        raise ValidationError(_("Only the deputies who signed this item can answer."), code="forbidden")
    if fresh.closed_at is not None:
        raise ValidationError(_("This follow-up was closed: %(reason)s.")
                              % {"reason": fresh.get_close_reason_display()}, code="closed")
    if fresh.reported_at is None:
        raise ValidationError(_("The unit has not reported its progress yet."), code="early")
    if fresh.answered_at is not None:
        raise ValidationError(_("This follow-up was already answered."), code="done")
    fresh.is_solved, fresh.answered_at, fresh.answered_by = bool(is_solved), timezone.now(), user
    fresh.save(update_fields=["is_solved", "answered_at", "answered_by"])
    assignment = fresh.reply.assignment
    if not is_solved:
        due_on = calendar.months_deadline(timezone.localdate(), FOLLOW_UP_MONTHS)
        _new_follow_up(proposal, fresh.reply, assignment, due_on=due_on)
        tell_units([assignment], title=_("“%(title)s” is not solved yet: report again by %(date)s")
                   % {"title": proposal.title, "date": day(due_on)})
    else:
        tell_units([assignment], title=_("The deputy considers “%(title)s” solved") % {"title": proposal.title})
    return _sync(follow_up, fresh)
