"""A deputy's list (mine) and a unit's inbox filter by number or title (``?q=``), as the office's list does: the
header search links to them with its query, and its count equals their length."""

import pytest
from django.urls import reverse

from apps.proposals.models import Proposal
from tests.proposals.factories import AssignmentFactory, SuggestionFactory


def _titles(response):
    assert response.status_code == 200
    return sorted(row.title if hasattr(row, "title") else row.proposal.title
                  for row in response.context["page"].object_list)


@pytest.fixture
def my_items(municipal_mandate):
    return [SuggestionFactory(mandate=municipal_mandate, state=Proposal.State.SUBMITTED, title=title, number=n)
            for n, title in ((7, "关于冬季供热保障的建议"), (8, "关于公交线路优化的建议"))]


def test_a_deputys_list_filters_by_title_or_number(client_for, deputy_user, my_items):
    client = client_for(deputy_user)
    mine = reverse("proposals:mine")
    assert _titles(client.get(mine)) == ["关于公交线路优化的建议", "关于冬季供热保障的建议"]
    assert _titles(client.get(mine, {"q": "供热"})) == ["关于冬季供热保障的建议"]
    assert _titles(client.get(mine, {"q": "第0008号"})) == ["关于公交线路优化的建议"]
    assert _titles(client.get(mine, {"q": "没有这个"})) == []


def test_a_units_inbox_filters_by_title_or_number(client_for, unit_user):
    unit = unit_user.handling_unit
    AssignmentFactory(unit=unit, proposal__title="关于供热补贴的建议", proposal__number=3)
    AssignmentFactory(unit=unit, proposal__title="关于道路修缮的建议", proposal__number=4)
    client = client_for(unit_user)
    inbox = reverse("proposals:unit_inbox")
    assert len(_titles(client.get(inbox))) == 2
    assert _titles(client.get(inbox, {"q": "供热"})) == ["关于供热补贴的建议"]
    assert _titles(client.get(inbox, {"q": "4"})) == ["关于道路修缮的建议"]


def test_a_too_long_query_is_a_form_error_not_a_500(client_for, deputy_user, unit_user, my_items):
    assert client_for(deputy_user).get(reverse("proposals:mine"), {"q": "供" * 1000}).status_code == 200
    assert client_for(unit_user).get(reverse("proposals:unit_inbox"), {"q": "供" * 1000}).status_code == 200
