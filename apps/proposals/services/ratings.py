"""The deputies' rating of a reply (满意度测评): each counting signer (the lead and confirmed co-signers) rates
their own item, round by round.

Round 1: any 不满意 sends the item back for re-handling (round 2: the lead unit again, with its own deadline);
when every counting signer is satisfied or basically satisfied the item closes. Round 2: the item closes once
every counting signer rated, whatever the result, or when the rating window ends (``ratings_close_expired``).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.proposals import rules
from apps.proposals.models import Assignment, Deadline, FollowUp, Proposal, Rating, Reply, Signature
from apps.proposals.services import transitions
from apps.proposals.services._common import tell_units
from apps.proposals.services.handling import _close_deadlines, _new_assignments

S = Proposal.State


def _own_signature(proposal: Proposal, user) -> Signature:
    signature = None
    if user is not None and getattr(user, "person_id", None) is not None:
        signature = proposal.signatures.filter(person_id=user.person_id).first()
    if signature is None or signature.declined_at is not None:
        raise ValidationError(_("Only the deputies who signed this item can rate its reply."), code="forbidden")
    if not signature.counts:
        raise ValidationError(_("You have not confirmed your signature on this item, so you cannot rate its "
                                "reply."), code="unconfirmed")
    return signature


def _counting(proposal: Proposal) -> list[Signature]:
    return [s for s in proposal.signatures.all() if s.counts and s.declined_at is None]


def _close(current: Proposal, *, user, detail: str = "") -> None:
    _close_deadlines(current.deadlines.filter(kind=Deadline.Kind.RATING, round=current.round), met=True)
    transitions.move(current, "close", user=user, detail=detail, closed_at=timezone.now())


@transaction.atomic
def rating_submit(*, proposal: Proposal, user, result: str, comment: str = "") -> Rating:
    """The user's rating of the present reply, under their own counting signature."""
    current = transitions.lock(proposal.pk)
    rules.check_transition(current, "rate")
    signature = _own_signature(current, user)
    if result not in Rating.Result.values:
        raise ValidationError({"result": _("Choose satisfied, basically satisfied or unsatisfied.")})
    if Rating.objects.filter(signature=signature, round=current.round).exists():
        raise ValidationError(_("You have already rated this reply."), code="done")
    reply = Reply.objects.filter(proposal=current, round=current.round).select_related("assignment").first()
    if reply is None:
        raise ValidationError(_("There is no reply to rate yet."), code="none")
    rating = Rating.objects.create(proposal=current, reply=reply, signature=signature, round=current.round,
                                   result=result, comment=(comment or "").strip(), rated_at=timezone.now(),
                                   rated_by=user)
    counting = {s.pk for s in _counting(current)}
    rated = set(Rating.objects.filter(proposal=current, round=current.round).values_list("signature_id", flat=True))
    if current.round == 1 and result == Rating.Result.UNSATISFIED:
        _rehandle(current, reply, user=user)
    elif counting <= rated:
        _close(current, user=user, detail=f"round {current.round}: all rated")
    else:
        # Not the last rating: the item stays replied, its version moves (two ratings at once are serialised by
        # the row lock taken above, so neither is refused).
        transitions.move(current, "rate", user=user, detail=f"round {current.round}: {result}")
    if proposal is not current:
        proposal.refresh_from_db()
    return rating


def _close_superseded_follow_ups(current: Proposal, reply: Reply) -> int:
    """The open follow-ups of the round being superseded close, with the reason: re-handling replaces the
    promise of that reply (one row at a time, so that each change is audited). Returns how many closed."""
    now = timezone.now()
    open_follow_ups = list(FollowUp.objects.select_for_update(of=("self",))
                           .filter(proposal=current, reply__round=reply.round, answered_at__isnull=True,
                                   closed_at__isnull=True))
    for follow_up in open_follow_ups:
        follow_up.closed_at, follow_up.close_reason = now, FollowUp.CloseReason.SUPERSEDED
        follow_up.save(update_fields=["closed_at", "close_reason"])
    _close_deadlines(current.deadlines.filter(kind=Deadline.Kind.FOLLOW_UP, round=reply.round), met=False)
    return len(open_follow_ups)


def _rehandle(current: Proposal, reply: Reply, *, user) -> None:
    """不满意 in round 1: round 2 with the same lead unit, signed for already, and its own deadline; the
    round's open follow-ups close as superseded."""
    _close_deadlines(current.deadlines.filter(kind=Deadline.Kind.RATING, round=current.round), met=True)
    closed = _close_superseded_follow_ups(current, reply)
    detail = "round 1: unsatisfied → round 2" + (f" · follow-ups closed: {closed}" if closed else "")
    transitions.move(current, "rehandle", user=user, detail=detail, round=current.round + 1)
    rows = _new_assignments(current, user=user, lead_unit=reply.assignment.unit, co_units=(),
                            today=timezone.localdate(), lead_state=Assignment.State.ACCEPTED)
    tell_units(rows, title=_("“%(title)s” must be handled again: the deputy is not satisfied with the reply")
               % {"title": current.title},
               body=_("Talk with the deputy and reply again before the re-handling deadline."))


def ratings_close_expired(*, today: datetime.date | None = None) -> int:
    """Close replied items whose rating window ended (the deputies who did not rate are not counted);
    returns how many were closed. Each item in its own transaction (a periodic task)."""
    today = today or timezone.localdate()
    expired = (Deadline.objects.filter(kind=Deadline.Kind.RATING, is_open=True, due_on__lt=today,
                                       proposal__state=S.REPLIED)
               .values_list("proposal_id", flat=True).distinct())
    closed = 0
    for pk in sorted(set(expired)):
        with transaction.atomic():
            current = transitions.lock(pk)
            if current.state != S.REPLIED:
                continue
            window = current.deadlines.filter(kind=Deadline.Kind.RATING, round=current.round, is_open=True).first()
            if window is None or window.due_on >= today:
                continue
            _close(current, user=None, detail=f"round {current.round}: rating window ended {window.due_on}")
            closed += 1
    return closed
