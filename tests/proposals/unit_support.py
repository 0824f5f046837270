"""Fixtures of the handling unit's pages (imported by the test modules that use them).

``unit_user`` (tests/conftest.py) is the account of a city unit; ``other_unit_user`` is the account of another
city unit. Items are brought to their state through the real services (``tests.proposals.factories``); they
are raised by ``deputy_user`` (the lead is ``municipal_mandate``), whose account is made first so that the
services notify it rather than a second account of the same person.
"""

import pytest
from django.urls import reverse

from apps.core import roles
from apps.proposals.models import Assignment
from tests.factories import HandlingUnitFactory, UserFactory
from tests.proposals import factories as f

PDF = b"%PDF-1.4\n%" + b"x" * 64
TEXT = b"just some plain text, not a document"


@pytest.fixture
def unit(unit_user):
    return unit_user.handling_unit


@pytest.fixture
def other_unit_user(city):
    return UserFactory(username="other_unit", roles=[roles.UNIT],
                       handling_unit=HandlingUnitFactory(jurisdiction=city, name="市交通运输局"))


@pytest.fixture
def other_unit(other_unit_user):
    return other_unit_user.handling_unit


def own_assignment(proposal, unit, *, round_=None) -> Assignment:
    """The unit's live assignment on the item (of its present round unless ``round_``)."""
    return Assignment.objects.select_related("proposal", "unit").get(
        proposal=proposal, unit=unit, round=round_ or proposal.round,
        state__in=[Assignment.State.PENDING, Assignment.State.ACCEPTED])


def url(name, assignment, *more) -> str:
    return reverse(f"proposals:{name}", args=[assignment.pk, *[getattr(m, "pk", m) for m in more]])


@pytest.fixture
def assigned(unit, municipal_mandate, deputy_user):
    """A suggestion assigned to the unit as lead, awaiting its signature."""
    return f.make_assigned(mandate=municipal_mandate, lead_unit=unit)


@pytest.fixture
def handled(unit, municipal_mandate, deputy_user):
    """A suggestion the unit signed for as lead."""
    return f.make_handling(mandate=municipal_mandate, lead_unit=unit)


@pytest.fixture
def handling_with_co(unit, other_unit, municipal_mandate, deputy_user):
    """A suggestion the unit leads, with ``other_unit`` as co-unit (it has not signed yet)."""
    return f.make_handling(mandate=municipal_mandate, lead_unit=unit, co_units=[other_unit])


@pytest.fixture
def replied_b(unit, municipal_mandate, deputy_user):
    """A suggestion the unit replied to with class B (followed up), not rated yet."""
    return f.make_replied(mandate=municipal_mandate, lead_unit=unit, reply_class="B")
