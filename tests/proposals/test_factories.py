"""The proposals factories and state helpers build what they say (other tests rely on them)."""

from apps.proposals.models import Kind, Proposal, Signature
from tests.proposals.factories import (
    AttachmentFactory, CommunicationFactory, DeadlineFactory, ExtensionRequestFactory, FollowUpFactory,
    MergeGroupFactory, MotionFactory, RatingFactory, SessionFactory, SignatureFactory, SuggestionFactory, category,
    lead_signature, make_closed, make_rehandling, make_replied,
)


def test_factories_make_consistent_rows(municipal_mandate):
    item = SuggestionFactory(mandate=municipal_mandate)
    assert lead_signature(item).person == municipal_mandate.person
    assert item.jurisdiction == municipal_mandate.jurisdiction
    assert MotionFactory().signatures.get().role == Signature.Role.LEAD
    co = SignatureFactory(proposal=item, confirmed=True)
    assert co.counts and co.mandate.term == municipal_mandate.term
    assert not SignatureFactory(proposal=item).counts
    deadline = DeadlineFactory()
    assert deadline.proposal == deadline.assignment.proposal and deadline.rule_field == "base_months"
    assert deadline.rule.jurisdiction == deadline.proposal.jurisdiction
    assert ExtensionRequestFactory().deadline.assignment.proposal.state == Proposal.State.HANDLING
    assert FollowUpFactory().reply.reply_class.code == "B"
    rating = RatingFactory()
    assert rating.signature.proposal == rating.proposal == rating.reply.proposal
    for factory in (CommunicationFactory, SessionFactory, AttachmentFactory, MergeGroupFactory):
        assert factory().pk
    assert category().name == "教育"


def test_state_helpers_go_through_the_services(municipal_mandate):
    assert make_closed(mandate=municipal_mandate).state == Proposal.State.CLOSED
    again = make_rehandling()
    assert (again.state, again.round) == (Proposal.State.REHANDLING, 2)
    motion = make_replied(kind=Kind.MOTION, reply_class="B")
    assert motion.state == Proposal.State.REPLIED and motion.follow_ups.count() == 1
    assert motion.signatures.count() == 10
