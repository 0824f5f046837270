"""The start page points deputies and units at what awaits them in motions and suggestions."""

from django.urls import reverse

from tests.proposals.factories import SignatureFactory, lead_assignment, make_draft, make_handling, make_replied


def test_deputy_home_counts_what_awaits_them(client_for, deputy_user, municipal_mandate, staff_user):
    make_replied(mandate=municipal_mandate, staff=staff_user)  # a reply to rate
    other = make_draft()
    SignatureFactory(proposal=other, mandate=municipal_mandate, person=municipal_mandate.person)  # an invitation
    page = client_for(deputy_user).get(reverse("core:home")).content.decode()
    assert 'id="home-proposals"' in page
    assert "答复待我测评" in page or "待我测评" in page
    assert page.count("<strong>1</strong>") >= 2
    assert reverse("proposals:mine") in page


def test_unit_home_lists_its_inbox_groups(client_for, unit_user, municipal_mandate, staff_user):
    item = make_handling(mandate=municipal_mandate, staff=staff_user, lead_unit=unit_user.handling_unit)
    assert lead_assignment(item).unit == unit_user.handling_unit
    page = client_for(unit_user).get(reverse("core:home")).content.decode()
    assert 'id="home-unit-inbox"' in page
    assert f'{reverse("proposals:unit_inbox")}?state=' in page
    assert "<strong>1</strong>" in page


def test_unit_home_with_nothing_assigned_says_so(client_for, unit_user):
    page = client_for(unit_user).get(reverse("core:home")).content.decode()
    assert "尚无交办给本单位的件" in page


def test_other_roles_see_no_proposal_cards(client_for, staff_user):
    page = client_for(staff_user).get(reverse("core:home")).content.decode()
    assert 'id="home-proposals"' not in page and 'id="home-unit-inbox"' not in page
