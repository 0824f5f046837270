"""Leaders (主任会议 members) who lead the supervision of key items: their accounts and the items they lead
(used by ``tests/conftest.py``'s ``leader_user`` and ``council_member_user`` and the leaders' tests)."""

from __future__ import annotations

import datetime

from apps.committee.models import CommitteeMember, Post
from apps.core import roles
from apps.proposals.models import Proposal, Supervision
from tests.factories import MandateFactory, PersonFactory, UserFactory
from tests.proposals.factories import SuggestionFactory


def council_account(jurisdiction, term, *, username: str, name: str, post=Post.VICE_DIRECTOR, **extra):
    """A member's account tied to a post of the council (主任会议) of ``jurisdiction``: (user, member)."""
    user = UserFactory(username=username, roles=[roles.MEMBER], jurisdiction=jurisdiction)
    member = CommitteeMember.objects.create(term=term, jurisdiction=jurisdiction, person=PersonFactory(name=name),
                                            user=user, post=post, start_date=datetime.date(2022, 1, 1), **extra)
    return user, member


def led_item(leader: CommitteeMember, *, state=Proposal.State.HANDLING, title="关于加快城区积水点改造的建议",
             mandate=None, **fields) -> Proposal:
    """A key item of the leader's congress under their supervision (rows written directly)."""
    mandate = mandate or MandateFactory(term=leader.term)
    proposal = SuggestionFactory(mandate=mandate, state=state, title=title, is_key=True, number=fields.pop(
        "number", 7), **fields)
    Supervision.objects.create(proposal=proposal, leader=leader, started_on=datetime.date(2026, 1, 5))
    return proposal


def item_led_by(user) -> Proposal:
    return Proposal.objects.get(supervision__leader__user=user)
