"""The suggested assignment (智能交办) in a browser: staff open a registered suggestion, read why a unit is
suggested, choose it with one click (the lead unit field fills), and assign."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from apps.proposals.models import Assignment, Proposal
from tests.browser.test_proposals import as_user
from tests.factories import HandlingUnitFactory
from tests.proposals.factories import AssignmentFactory, SuggestionFactory, category

pytestmark = pytest.mark.browser


def test_staff_choose_a_suggested_lead_unit_and_assign(browser, live_server, transactional_db, staff_user,
                                                        municipal_mandate, city):
    heating = HandlingUnitFactory(jurisdiction=city, name="市供热（集团）有限公司")
    HandlingUnitFactory(jurisdiction=city, name="市城市管理局")
    past = SuggestionFactory(mandate=municipal_mandate, state=Proposal.State.CLOSED, number=7, year=2025,
                             category=category("城建"), title="关于解决南关区冬季室温不达标问题的建议",
                             content="入冬以来不少居民家中暖气不热，供热管网老化。建议加快供热管网改造。")
    AssignmentFactory(proposal=past, unit=heating, state=Assignment.State.ACCEPTED)
    item = SuggestionFactory(mandate=municipal_mandate, state=Proposal.State.REGISTERED, number=8,
                             category=category("城建"), title="关于加强朝阳区冬季供热保障的建议",
                             content="部分小区冬季室温长期不达标，供热管网跑冒滴漏。建议改造老旧供热管网。")

    context, page = as_user(browser, live_server, "staff")
    page.goto(reverse("proposals:proposal_detail", args=[item.pk]))
    first = page.locator(".assign-suggestion").first
    expect(first).to_contain_text("市供热（集团）有限公司")
    expect(first).to_contain_text("第0007号")
    page.locator(f"#choose-unit-{heating.pk}").click()
    expect(page.locator("#assign-lead_unit")).to_have_value(str(heating.pk))
    page.locator("#assign-submit").click()
    expect(page.locator(".assignment").first).to_contain_text("市供热（集团）有限公司")
    context.close()
    assert Assignment.objects.get(proposal=item, role=Assignment.Role.LEAD).unit == heating
