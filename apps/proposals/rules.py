"""The rules of handling in one place: the state machine, the handling rule that applies, the deadlines.

Every service that moves an item calls ``check_transition`` first and changes the state with
``apps.proposals.services.transitions.move`` (a conditional UPDATE on the state it read: two people acting on
the same item at once cannot both succeed).
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from apps.core import calendar
from apps.deputies.models import Level
from apps.proposals import defaults
from apps.proposals.models import Deadline, HandlingRule, Kind, Proposal

S = Proposal.State

# The states in which an item counts as raised by its deputies (in scores and the covenant's year): submitted
# and every state after it; drafts, items returned to the deputy and withdrawn items do not count.
COUNTED_STATES: tuple[str, ...] = tuple(s.value for s in S if s not in (S.DRAFT, S.RETURNED, S.WITHDRAWN))

# action → (states it may start from, state it leads to). ``None`` as the target: the state is unchanged.
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "submit": (frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED),
    "return": (frozenset({S.SUBMITTED}), S.RETURNED),
    "withdraw": (frozenset({S.DRAFT, S.SUBMITTED, S.RETURNED, S.REGISTERED}), S.WITHDRAWN),
    "register": (frozenset({S.SUBMITTED}), S.REGISTERED),
    "docket": (frozenset({S.REGISTERED}), S.DOCKETED),             # motions only
    "convert": (frozenset({S.REGISTERED}), S.REGISTERED),          # motions only; becomes a suggestion
    "assign": (frozenset({S.REGISTERED, S.DOCKETED}), S.ASSIGNED),  # suggestions, or docketed motions
    "reassign": (frozenset({S.ASSIGNED, S.HANDLING, S.REHANDLING}), None),
    "accept": (frozenset({S.ASSIGNED, S.REHANDLING}), None),       # ASSIGNED → HANDLING when the lead signs
    "reply": (frozenset({S.HANDLING, S.REHANDLING}), S.REPLIED),
    "rate": (frozenset({S.REPLIED}), None),                       # → CLOSED or REHANDLING when all have rated
    "rehandle": (frozenset({S.REPLIED}), S.REHANDLING),
    "close": (frozenset({S.REPLIED}), S.CLOSED),
}

def allowed(action: str, state: str) -> bool:
    return state in TRANSITIONS[action][0]


def check_transition(proposal: Proposal, action: str) -> None:
    """Refuse ``action`` on ``proposal`` in its present state with a message naming both."""
    if not allowed(action, proposal.state):
        raise ValidationError(
            _("“%(title)s” is %(state)s: it cannot be %(action)s now.")
            % {"title": proposal.title, "state": proposal.get_state_display(), "action": ACTION_LABELS[action]},
            code="state")
    if action in ("docket", "convert") and proposal.kind != Kind.MOTION:
        raise ValidationError(_("Only a motion is reviewed for the agenda."), code="kind")


def _action_labels():
    from django.utils.translation import gettext_lazy

    return {
        "submit": gettext_lazy("submitted"), "return": gettext_lazy("returned to the deputy"),
        "withdraw": gettext_lazy("withdrawn"), "register": gettext_lazy("registered"),
        "docket": gettext_lazy("docketed"), "convert": gettext_lazy("converted to a suggestion"),
        "assign": gettext_lazy("assigned"), "reassign": gettext_lazy("reassigned"),
        "accept": gettext_lazy("signed for"), "reply": gettext_lazy("replied to"),
        "rate": gettext_lazy("rated"), "rehandle": gettext_lazy("sent back for re-handling"),
        "close": gettext_lazy("closed"),
    }


ACTION_LABELS = _action_labels()


# ----------------------------------------------------------------------------------------------------------
# Handling rules

def rule_for(jurisdiction, kind: str) -> HandlingRule:
    """The rule of ``jurisdiction`` or its nearest ancestor; the top one is created with the defaults when no
    rule exists on the way (so that every deadline can name the rule that produced it)."""
    ancestors = [jurisdiction]
    node = jurisdiction
    while node.parent_id is not None:
        node = node.parent
        ancestors.append(node)
    rules = {rule.jurisdiction_id: rule
             for rule in HandlingRule.objects.filter(jurisdiction__in=ancestors, kind=kind)}
    for node in ancestors:
        if node.pk in rules:
            return rules[node.pk]
    top = ancestors[-1]
    rule, _created = HandlingRule.objects.get_or_create(
        jurisdiction=top, kind=kind,
        defaults={"min_signers": defaults.MOTION_MIN_SIGNERS if kind == Kind.MOTION else 1})
    return rule


def min_signers(proposal: Proposal) -> int:
    """Deputies who must sign a motion jointly: the rule's figure, 5 at township level unless a township
    rule says otherwise."""
    if proposal.kind != Kind.MOTION:
        return 1
    rule = rule_for(proposal.jurisdiction, Kind.MOTION)
    if proposal.level == Level.TOWNSHIP and rule.jurisdiction_id != proposal.jurisdiction_id:
        return min(rule.min_signers, defaults.TOWNSHIP_MOTION_MIN_SIGNERS)
    return rule.min_signers


# ----------------------------------------------------------------------------------------------------------
# Deadlines: each returns an unsaved Deadline naming its rule, field and value.

def clock_start(proposal: Proposal, rule: HandlingRule, assigned_on: datetime.date) -> datetime.date:
    if rule.clock_start == HandlingRule.ClockStart.SESSION_CLOSED and proposal.session_id is not None \
            and proposal.period == Proposal.Period.DURING_SESSION:
        return proposal.session.closes_on
    return assigned_on


def sign_deadline(proposal, assignment, rule, assigned_on: datetime.date) -> Deadline:
    return Deadline(proposal=proposal, assignment=assignment, kind=Deadline.Kind.SIGN, round=assignment.round,
                    starts_on=assigned_on, due_on=calendar.add_working_days(assigned_on, rule.return_working_days),
                    rule=rule, rule_field="return_working_days", rule_value=rule.return_working_days)


def reply_deadline(proposal, assignment, rule, assigned_on: datetime.date) -> Deadline:
    start = clock_start(proposal, rule, assigned_on)
    return Deadline(proposal=proposal, assignment=assignment, kind=Deadline.Kind.REPLY, round=assignment.round,
                    starts_on=start, due_on=calendar.months_deadline(start, rule.base_months),
                    rule=rule, rule_field="base_months", rule_value=rule.base_months)


def co_opinion_deadline(proposal, assignment, rule, assigned_on: datetime.date) -> Deadline:
    return Deadline(proposal=proposal, assignment=assignment, kind=Deadline.Kind.CO_OPINION, round=assignment.round,
                    starts_on=assigned_on, due_on=calendar.months_deadline(assigned_on, rule.co_opinion_months),
                    rule=rule, rule_field="co_opinion_months", rule_value=rule.co_opinion_months)


def rehandling_deadline(proposal, assignment, rule, start: datetime.date) -> Deadline:
    return Deadline(proposal=proposal, assignment=assignment, kind=Deadline.Kind.REHANDLING, round=assignment.round,
                    starts_on=start, due_on=calendar.months_deadline(start, rule.rehandling_months),
                    rule=rule, rule_field="rehandling_months", rule_value=rule.rehandling_months)


def rating_deadline(proposal, rule, replied_on: datetime.date, round_: int) -> Deadline:
    return Deadline(proposal=proposal, kind=Deadline.Kind.RATING, round=round_, starts_on=replied_on,
                    due_on=calendar.add_working_days(replied_on, rule.rating_working_days),
                    rule=rule, rule_field="rating_working_days", rule_value=rule.rating_working_days)


def latest_extension_date(deadline: Deadline) -> datetime.date:
    """The furthest a reply deadline may be extended: ``max_total_months`` from the clock start."""
    rule = deadline.rule
    months = rule.max_total_months if deadline.kind == Deadline.Kind.REPLY else rule.rehandling_months * 2
    return calendar.months_deadline(deadline.starts_on, months)
