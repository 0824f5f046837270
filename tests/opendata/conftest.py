"""Published replies written as rows (an item, its lead assignment, the reply, a rating): the portal only reads
them, and the proposals services that make them are tested in tests/proposals (a row each here instead of a
walk through the services keeps these tests cheap)."""

import pytest
from django.utils import timezone

from apps.proposals.models import Assignment, Kind, Proposal, Rating, Reply
from tests.factories import HandlingUnitFactory
from tests.proposals.factories import SignatureFactory, SuggestionFactory, category, lead_signature, reply_class


def published(*, mandate, unit, number, title, reply_text="经研究，已列入年度计划并组织实施。", category_name="教育",
              code="A", kind=Kind.SUGGESTION, cosigners=0, rated=None, is_public=True, is_confidential=False):
    """A replied item of ``mandate``'s congress answered by ``unit`` (rated ``rated`` by its lead when given)."""
    now = timezone.now()
    proposal = SuggestionFactory(mandate=mandate, kind=kind, number=number, title=title,
                                 category=category(category_name), is_confidential=is_confidential,
                                 state=Proposal.State.CLOSED if rated else Proposal.State.REPLIED,
                                 submitted_at=now, registered_at=now, assigned_at=now, replied_at=now)
    for _ in range(cosigners):
        SignatureFactory(proposal=proposal, confirmed=True)
    SignatureFactory(proposal=proposal)  # invited, never confirmed: not a signer
    assignment = Assignment.objects.create(proposal=proposal, unit=unit, role=Assignment.Role.LEAD,
                                           state=Assignment.State.ACCEPTED, assigned_at=now, accepted_at=now)
    reply = Reply.objects.create(proposal=proposal, assignment=assignment, reply_class=reply_class(code),
                                 text=reply_text, is_public=is_public, replied_at=now)
    if rated:
        Rating.objects.create(proposal=proposal, reply=reply, signature=lead_signature(proposal), result=rated,
                              rated_at=now)
    return proposal


@pytest.fixture
def units(city):
    return [HandlingUnitFactory(jurisdiction=city, name="市住房和城乡建设局", contact_name="赵联络",
                                contact_phone="13800001111"),
            HandlingUnitFactory(jurisdiction=city, name="市卫生健康委员会")]


@pytest.fixture
def items(municipal_mandate, units):
    """Two published suggestions (one rated, with a co-signer), a confidential reply, a confidential item and a
    motion."""
    housing, health = units
    return {
        "heating": published(mandate=municipal_mandate, unit=housing, number=1, title="关于改善老旧小区供暖的建议",
                             reply_text="已将供热管网改造列入年度计划。", cosigners=1, rated=Rating.Result.SATISFIED),
        "formula": published(mandate=municipal_mandate, unit=health, number=2, title="=HYPERLINK(\"http://x\")",
                             reply_text="-1+1 已答复", category_name="卫生", code="B"),
        "quiet": published(mandate=municipal_mandate, unit=health, number=3, title="关于某不公开答复的建议",
                           is_public=False),
        "secret": published(mandate=municipal_mandate, unit=housing, number=4, title="关于某涉密事项的建议",
                            is_confidential=True, rated=Rating.Result.UNSATISFIED),
        "motion": published(mandate=municipal_mandate, unit=housing, number=1, title="关于制定物业条例的议案",
                            kind=Kind.MOTION),
    }
