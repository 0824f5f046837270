"""In a browser: staff build this year's plan with "propose assignments" and publish it; the member sees their
deputies on their own page; the deputy sees who their contact member is."""

import pytest
from playwright.sync_api import expect

from apps.liaison.models import LiaisonAssignment, LiaisonPlan
from tests.browser.conftest import login, open_menu_item
from tests.liaison.conftest import committee_member, member_person  # noqa: F401 - fixtures
from tests.liaison import plans_support as support

pytestmark = pytest.mark.browser


def test_staff_propose_and_publish_the_plan_and_the_member_and_deputy_see_it(
        page, staff_user, member_user, deputy_user, committee_member, city, city_term, municipal_mandate):
    support.ensure_default_quota_rules()  # another browser test may have flushed them
    support.city_roster(city, city_term, national=5, provincial=5, municipal=3)
    support.council(city_term)

    login(page, "staff")
    open_menu_item(page, "nav-liaison-plan")
    page.get_by_role("button", name="建立计划").click()
    expect(page.locator("#plan-shortfall")).to_contain_text("尚有")
    page.get_by_role("button", name="自动安排").click()
    expect(page.locator("#plan-shortfall")).to_contain_text("各项名额均已安排")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="发布").click()
    expect(page.locator("#plan-status")).to_have_text("已发布")
    plan = LiaisonPlan.objects.get()
    assert plan.status == LiaisonPlan.Status.PUBLISHED
    mine = [a.mandate.person.name for a in LiaisonAssignment.objects.filter(
        member=committee_member, mandate__isnull=False).select_related("mandate__person")]
    page.context.clear_cookies()

    login(page, "member")
    open_menu_item(page, "nav-member-my")
    for name in mine:
        expect(page.locator("#member-{}".format(committee_member.pk))).to_contain_text(name)
    page.context.clear_cookies()

    contacted_by = LiaisonAssignment.objects.filter(mandate=municipal_mandate).select_related("member__person")
    login(page, "deputy")
    open_menu_item(page, "nav-me")  # 我的履职档案, then its link to the roster entry
    page.locator("#record-roster-entry").click()
    card = page.locator("#contact-member-card")
    expect(card).to_be_visible()
    for assignment in contacted_by:
        expect(card).to_contain_text(assignment.member.person.name)
