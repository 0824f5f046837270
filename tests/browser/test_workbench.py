"""The workbench (工作台) in a real browser: a staff member goes from a card to exactly the items it counts, on an
office PC's screen and on a phone; and every role's workbench passes axe-core with no serious or critical
violation at 1,366 px and at 390 px."""

import datetime
import json

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, login
from tests.browser.test_layout_and_accessibility import AXE, MENU_ROLES, _serious_violations, sign_in
from tests.proposals.factories import make_handling, make_submitted

pytestmark = pytest.mark.browser


@pytest.fixture
def waiting(municipal_mandate, staff_user, unit_user, deputy_user):
    """Two items for the staff to register, one being handled by the unit, due in ten days."""
    from apps.proposals.models import Deadline

    make_submitted(mandate=municipal_mandate)
    make_submitted(mandate=municipal_mandate, title="关于增设公交线路的建议")
    item = make_handling(mandate=municipal_mandate, staff=staff_user, lead_unit=unit_user.handling_unit)
    Deadline.objects.filter(proposal=item, is_open=True).update(
        due_on=timezone.localdate() + datetime.timedelta(days=10))


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 768}, {"width": 390, "height": 844}])
def test_staff_opens_the_items_to_register_from_their_card(page, staff_user, waiting, viewport):
    page.set_viewport_size(viewport)
    login(page, "staff")
    card = page.locator("#wb-proposals-to-register")
    expect(card).to_be_visible()
    expect(card).to_contain_text("2")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"workbench-staff-{viewport['width']}.png"), full_page=True)
    box = card.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], "the card runs off the screen"
    card.click()
    page.wait_for_url("**/proposals/?state=submitted")
    expect(page.locator("#office-count")).to_contain_text("2")
    expect(page.locator("tbody tr[id^=proposal-]")).to_have_count(2)
    expect(page.locator("#id_state")).to_have_value("submitted")


def test_every_roles_workbench_has_no_serious_accessibility_violation(request, browser, live_server, waiting):
    assert AXE.exists(), "axe-core is missing: npm install"
    found = {}
    for viewport in ({"width": 1366, "height": 768}, {"width": 390, "height": 844}):
        context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=viewport)
        try:
            page = context.new_page()
            for role in MENU_ROLES:
                sign_in(context, live_server, request.getfixturevalue(role))
                response = page.goto("/")
                assert response.status == 200, role
                width = page.evaluate("() => document.documentElement.scrollWidth")
                assert width <= viewport["width"], f"{role}: the workbench scrolls sideways at {viewport['width']} px"
                violations = _serious_violations(page)
                if violations:
                    found[f"{role} {viewport['width']}"] = violations
        finally:
            context.close()
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)


def test_a_supervisor_opens_the_units_falling_behind_from_their_card(page, supervisor_user, municipal_mandate,
                                                                    staff_user):
    from apps.proposals.models import Deadline

    late = make_handling(mandate=municipal_mandate, staff=staff_user)
    Deadline.objects.filter(proposal=late, is_open=True).update(
        due_on=timezone.localdate() - datetime.timedelta(days=3))
    make_handling(mandate=municipal_mandate, staff=staff_user)  # its unit is on time
    login(page, "supervisor")
    card = page.locator("#wb-proposals-units-behind")
    expect(card).to_contain_text("1")
    card.click()
    page.wait_for_url("**/units/?behind=on")
    expect(page.locator("#id_behind")).to_be_checked()
    expect(page.locator("tbody tr[id^=unit-]")).to_have_count(1)


def test_a_deputy_opens_their_contact_members_contacts_with_them(page, deputy_user, municipal_mandate, city,
                                                                 city_term):
    from apps.liaison.models import LiaisonPlan
    from tests.liaison.plans_support import assign, contact, member

    mine = member(city_term, name="常委甲")
    plan = LiaisonPlan.objects.create(jurisdiction=city, year=timezone.localdate().year,
                                      status=LiaisonPlan.Status.PUBLISHED)
    assign(plan, mine, mandate=municipal_mandate)
    contact(mine, timezone.localdate() - datetime.timedelta(days=5), people=[municipal_mandate.person])
    login(page, "deputy")
    expect(page.locator("#home-contact-member")).to_contain_text("常委甲")
    page.locator(f"#wb-contact-member-{mine.pk}").click()
    page.wait_for_url(f"**/my-contacts/?member={mine.pk}")
    expect(page.locator("#my-contacts .list-group-item")).to_have_count(1)
    expect(page.locator("#my-contacts")).to_contain_text("常委甲")
