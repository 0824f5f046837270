"""Fixtures of the committee office's pages (imported by the test modules that use them)."""

import datetime

import pytest
from django.urls import reverse

from apps.committee.models import CommitteeMember, Post, SpecialCommittee
from apps.proposals.models import Assignment, Deadline, Proposal, Supervision
from tests.factories import HandlingUnitFactory, PersonFactory
from tests.proposals.factories import (
    AssignmentFactory, AttachmentFactory, DeadlineFactory, ExtensionRequestFactory, SuggestionFactory,
)

PDF = b"%PDF-1.4\n%" + b"x" * 64


def council_member(jurisdiction, term, *, post=Post.DIRECTOR, name="王主任", **extra) -> CommitteeMember:
    return CommitteeMember.objects.create(term=term, jurisdiction=jurisdiction, person=PersonFactory(name=name),
                                          post=post, start_date=datetime.date(2022, 1, 1), **extra)


def special_committee(jurisdiction, name="财政经济委员会") -> SpecialCommittee:
    return SpecialCommittee.objects.get_or_create(jurisdiction=jurisdiction, name=name)[0]


def url(name, *args) -> str:
    return reverse(f"proposals:{name}", args=args)


def act(client, name, proposal, data=None, **extra):
    """Post an action form of the item's page, with the item's version as the page showed it."""
    proposal.refresh_from_db()
    return client.post(url(name, proposal.pk), {"version": proposal.version, **(data or {})}, **extra)


def fresh(proposal) -> Proposal:
    return Proposal.objects.get(pk=proposal.pk)


def snapshot(proposal) -> tuple:
    """What an action writes on an item and around it (to assert that nothing was written)."""
    p = fresh(proposal)
    return (p.state, p.version, p.number, p.kind, p.category_id, p.is_key, p.return_reason, p.docket_reason,
            p.merge_group_id, p.assignments.count(), Supervision.objects.filter(proposal=p).count(),
            Proposal.objects.count())


@pytest.fixture
def office_item(city, city_term, municipal_mandate, deputy_user, unit_user, staff_user):
    """A city suggestion led by ``deputy_user``'s mandate, assigned to ``unit_user``'s unit (rows written
    directly): an attachment, a reply deadline with a pending extension request, under supervision."""
    proposal = SuggestionFactory(mandate=municipal_mandate, state=Proposal.State.HANDLING, number=3,
                                 title="关于加快老旧小区供热管网改造的建议")
    assignment = AssignmentFactory(proposal=proposal, unit=unit_user.handling_unit,
                                   state=Assignment.State.ACCEPTED)
    deadline = DeadlineFactory(assignment=assignment, kind=Deadline.Kind.REPLY)
    extension = ExtensionRequestFactory(deadline=deadline, assignment=assignment)
    attachment = AttachmentFactory(proposal=proposal)
    leader = council_member(city, city_term)
    Supervision.objects.create(proposal=proposal, leader=leader, started_on=datetime.date(2026, 1, 5))
    return {"proposal": proposal, "assignment": assignment, "deadline": deadline, "extension": extension,
            "attachment": attachment}


@pytest.fixture
def city_unit(city):
    return HandlingUnitFactory(jurisdiction=city, name="市住房和城乡建设局")


@pytest.fixture
def city_unit_2(city):
    return HandlingUnitFactory(jurisdiction=city, name="市城市管理局")


@pytest.fixture
def city_unit_3(city):
    return HandlingUnitFactory(jurisdiction=city, name="市财政局")
