"""The state machine of motions and suggestions (rules.TRANSITIONS), through the services.

Every allowed (state, action) pair is carried out on an item brought to that state by the services and lands
in the expected state with an audit entry; every other pair (on an item in that state with the rows of the
state) is refused with a Chinese message naming the item, and nothing is written: no row of the proposals
tables, no notification, no audit entry.
"""

import itertools

import pytest
from django.core.exceptions import ValidationError

from apps.core.models import AuditEvent
from apps.proposals import rules
from apps.proposals.models import Assignment, Kind, Proposal, Rating
from apps.proposals.services import handling, ratings, submission, transitions
from tests.proposals.factories import (
    AssignmentFactory, MotionFactory, RatingFactory, ReplyFactory, SuggestionFactory, category, lead_assignment,
    make_assigned, make_closed, make_docketed, make_draft, make_handling, make_registered, make_rehandling,
    make_replied, make_submitted, reply_class, unit_user_for,
)
from tests.proposals.services_support import cast, snapshot, text  # noqa: F401  (cast is a fixture)

S = Proposal.State
STATES = list(S.values)
ACTIONS = list(rules.TRANSITIONS)
ALLOWED = [(state, action) for action, (sources, _target) in rules.TRANSITIONS.items() for state in sorted(sources)]
REFUSED = [(state, action) for state, action in itertools.product(STATES, ACTIONS)
           if (state, action) not in ALLOWED]

# The state an allowed action leads to in the scenarios below (None in the table: it depends on the item).
EXPECTED = {
    ("assigned", "reassign"): S.ASSIGNED, ("handling", "reassign"): S.ASSIGNED,
    ("rehandling", "reassign"): S.REHANDLING, ("assigned", "accept"): S.HANDLING,
    ("rehandling", "accept"): S.REHANDLING, ("registered", "convert"): S.REGISTERED, ("replied", "rate"): S.REPLIED,
}


def kind_for(state: str, action: str) -> str:
    return Kind.MOTION if action in ("docket", "convert") or state == S.DOCKETED else Kind.SUGGESTION


def item_in(state: str, kind: str, cast, **kwargs) -> Proposal:
    """An item brought to ``state`` through the services."""
    common = dict(mandate=cast.mandate, kind=kind, staff=cast.staff, **kwargs)
    if state == S.DRAFT:
        common.pop("staff")
        return make_draft(**common)
    if state == S.WITHDRAWN:
        common.pop("staff")
        item = make_draft(**common)
        return submission.proposal_withdraw(proposal=item, user=cast.deputy, reason="情况已变化")
    if state in (S.SUBMITTED, S.RETURNED):
        common.pop("staff")
        item = make_submitted(**common)
        if state == S.RETURNED:
            item = submission.proposal_return(proposal=item, user=cast.staff, reason="属于个人事务")
        return item
    if state == S.REGISTERED:
        return make_registered(**common)
    if state == S.DOCKETED:
        return make_docketed(**common)
    common["lead_unit"] = cast.unit
    builders = {S.ASSIGNED: make_assigned, S.HANDLING: make_handling, S.REPLIED: make_replied,
                S.REHANDLING: make_rehandling}
    if state in builders:
        return builders[state](**common)
    assert state == S.CLOSED
    return make_closed(**common)


def rows_in(state: str, kind: str, cast) -> Proposal:
    """An item in ``state`` written directly by factories, with the rows of that state (assignments, replies,
    ratings): quicker than the services, for the many refusals (the services check the state first)."""
    factory = MotionFactory if kind == Kind.MOTION else SuggestionFactory
    later = STATES.index(state) >= STATES.index(S.REGISTERED) and state != S.WITHDRAWN
    item = factory(mandate=cast.mandate, state=state, number=1 if later else None,
                   category=category() if later else None, round=2 if state == S.REHANDLING else 1)
    if state in (S.ASSIGNED, S.HANDLING, S.REPLIED, S.REHANDLING, S.CLOSED):
        first = AssignmentFactory(proposal=item, unit=cast.unit, round=1,
                                  state=Assignment.State.PENDING if state == S.ASSIGNED else Assignment.State.ACCEPTED)
        if state in (S.REPLIED, S.REHANDLING, S.CLOSED):
            reply = ReplyFactory(assignment=first)
            if state == S.CLOSED:
                RatingFactory(reply=reply)
            if state == S.REHANDLING:
                RatingFactory(reply=reply, result=Rating.Result.UNSATISFIED)
                AssignmentFactory(proposal=item, unit=cast.unit, round=2, state=Assignment.State.ACCEPTED)
    return item


def the_lead_assignment(item: Proposal, cast) -> Assignment:
    """The live lead assignment of the present round, or (before assignment) one made for the attempt."""
    live = item.assignments.filter(role=Assignment.Role.LEAD, round=item.round,
                                   state__in=[Assignment.State.PENDING, Assignment.State.ACCEPTED]).first()
    return live or AssignmentFactory(proposal=item, unit=cast.unit, round=item.round)


def act(action: str, item: Proposal, cast, *, assignment=None, new_unit=None):
    """Carry out ``action`` through its service as the party who does it."""
    calls = {
        "submit": lambda: submission.proposal_submit(proposal=item, user=cast.deputy),
        "return": lambda: submission.proposal_return(proposal=item, user=cast.staff, reason="不属于建议范围"),
        "withdraw": lambda: submission.proposal_withdraw(proposal=item, user=cast.deputy, reason="问题已解决"),
        "register": lambda: submission.proposal_register(proposal=item, user=cast.staff, category=category()),
        "docket": lambda: submission.motion_docket(proposal=item, user=cast.staff, opinion="符合要求，同意立案"),
        "convert": lambda: submission.motion_convert(proposal=item, user=cast.staff, reason="不符合议案要求"),
        "assign": lambda: handling.proposal_assign(proposal=item, user=cast.staff, lead_unit=new_unit),
        "reassign": lambda: handling.assignment_reassign(proposal=item, user=cast.staff, lead_unit=new_unit),
        "accept": lambda: handling.assignment_accept(assignment=assignment,
                                                     user=unit_user_for(assignment.unit)),
        "reply": lambda: handling.reply_submit(assignment=assignment, user=unit_user_for(assignment.unit),
                                               reply_class=reply_class("A"), text="已解决。"),
        "rate": lambda: ratings.rating_submit(proposal=item, user=cast.deputy, result=Rating.Result.SATISFIED),
        "rehandle": lambda: ratings.rating_submit(proposal=item, user=cast.deputy,
                                                  result=Rating.Result.UNSATISFIED, comment="没有解决"),
        "close": lambda: ratings.rating_submit(proposal=item, user=cast.deputy, result=Rating.Result.SATISFIED),
    }
    return calls[action]()


def test_the_table_covers_every_state_and_action():
    assert len(ALLOWED) + len(REFUSED) == len(STATES) * len(ACTIONS)
    assert {state for state, _a in ALLOWED} | {S.WITHDRAWN, S.CLOSED} == set(STATES)


@pytest.mark.parametrize(("state", "action"), ALLOWED, ids=[f"{s}-{a}" for s, a in ALLOWED])
def test_allowed_transition_moves_the_item_and_is_audited(cast, state, action):
    kwargs = {"cosigners": 1} if (state, action) == (S.REPLIED, "rate") else {}
    item = item_in(state, kind_for(state, action), cast, **kwargs)
    assert item.state == state
    assignment = None
    new_unit = cast.other_unit()
    if action == "accept" and state == S.REHANDLING:
        # Round 2 with a new lead unit (the first lead returned to the office): it signs for it.
        handling.assignment_reassign(proposal=item, user=cast.staff, lead_unit=new_unit)
        item.refresh_from_db()
    if action in ("accept", "reply"):
        assignment = lead_assignment(item)
    audits = AuditEvent.objects.filter(action=AuditEvent.Action.PROPOSAL_STATE).count()

    act(action, item, cast, assignment=assignment, new_unit=new_unit)

    item.refresh_from_db()
    expected = EXPECTED.get((state, action)) or rules.TRANSITIONS[action][1]
    assert item.state == expected
    events = AuditEvent.objects.filter(action=AuditEvent.Action.PROPOSAL_STATE).order_by("pk")
    assert events.count() == audits + 1
    assert events.last().detail.startswith(f"{action}: {state} → {expected}")
    assert events.last().object_id == str(item.pk)


@pytest.mark.parametrize(("state", "action"), REFUSED, ids=[f"{s}-{a}" for s, a in REFUSED])
def test_any_other_transition_is_refused_and_writes_nothing(cast, state, action):
    item = rows_in(state, kind_for(state, action), cast)
    assignment = the_lead_assignment(item, cast) if action in ("accept", "reply") else None
    new_unit = cast.other_unit()
    before = snapshot()

    with pytest.raises(ValidationError) as exc:
        act(action, item, cast, assignment=assignment, new_unit=new_unit)

    assert exc.value.code == "state"
    assert f"“{item.title}”目前为“{item.get_state_display()}”状态，现在不能" in text(exc)
    assert snapshot() == before


@pytest.mark.parametrize(("state", "action"), REFUSED, ids=[f"{s}-{a}" for s, a in REFUSED])
def test_move_itself_refuses_a_transition_the_table_does_not_allow(db, state, action):
    factory = MotionFactory if action in ("docket", "convert") else SuggestionFactory
    item = factory(state=state)
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        transitions.move(item, action)
    assert "现在不能" + str(rules.ACTION_LABELS[action]) in text(exc)
    assert snapshot() == before


@pytest.mark.parametrize("action", ["docket", "convert"])
def test_a_suggestion_is_not_reviewed_for_the_agenda(cast, action):
    item = make_registered(mandate=cast.mandate, staff=cast.staff)
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        act(action, item, cast)
    assert text(exc) == "只有议案需要进行立案审查。"
    assert snapshot() == before


def test_a_registered_motion_is_assigned_only_once_docketed(cast):
    item = make_registered(mandate=cast.mandate, staff=cast.staff, kind=Kind.MOTION)
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        handling.proposal_assign(proposal=item, user=cast.staff, lead_unit=cast.unit)
    assert "立案后才能交办" in text(exc)
    assert snapshot() == before


def test_move_refuses_a_stale_read_with_the_concurrent_message(db):
    item = SuggestionFactory(state=S.SUBMITTED)
    stale = Proposal.objects.get(pk=item.pk)
    transitions.move(item, "return", return_reason="x")
    with pytest.raises(transitions.ConcurrentChangeError) as exc:
        transitions.move(stale, "return", return_reason="y")
    assert text(exc) == "其他人同时对本件进行了操作，您的操作未生效。请刷新页面查看当前状态。"
    item.refresh_from_db()
    assert item.return_reason == "x" and item.version == 2


def test_counted_states_are_submitted_and_every_state_after_it():
    """Drafts, returned and withdrawn items are not raised; every other state counts, once, in one place that
    scoring's SQL and the covenant's year both read."""
    from apps.covenant import selectors as covenant_selectors
    from apps.scoring import sources

    assert set(rules.COUNTED_STATES) == set(STATES) - {S.DRAFT, S.RETURNED, S.WITHDRAWN}
    assert len(rules.COUNTED_STATES) == len(set(rules.COUNTED_STATES))
    assert all(type(state) is str for state in rules.COUNTED_STATES)  # plain values: they go into raw SQL
    assert sources.COUNTED_STATES is rules.COUNTED_STATES
    assert covenant_selectors.COUNTED_STATES is rules.COUNTED_STATES
