"""Handling with co-units in a browser: the supervisor sees on the board the co-units that have not signed and
opens their list; the lead unit reaches the deputy (the phone shown masked, revealed on a click, the reveal
recorded) and is told, naming them, which co-units' opinions its reply waits for; one co-unit signs and sends
its opinion, staff waive the other's with a reason; the lead unit replies; the item's history reads in Chinese
with people's names."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from apps.core import roles
from apps.core.models import AuditEvent, HandlingUnit
from apps.proposals.models import Assignment, Reply
from tests.browser.test_proposals import as_user, reply, unit_page
from tests.factories import UserFactory
from tests.proposals import factories as f

pytestmark = pytest.mark.browser

TITLE = "关于完善城区排水管网的建议"
PHONE = "13912345678"


def test_the_lead_unit_replies_once_co_units_opinions_are_in_or_waived(
        browser, live_server, transactional_db, deputy_user, municipal_mandate, staff_user, unit_user,
        supervisor_user, city):
    person = municipal_mandate.person
    person.phone = PHONE
    person.save()
    staff_user.full_name = "李文书"
    staff_user.save()
    unit_user.full_name = "王经办"
    unit_user.save()
    lead_unit = unit_user.handling_unit
    water = HandlingUnit.objects.create(name="市水务局", jurisdiction=city)
    finance = HandlingUnit.objects.create(name="市财政局", jurisdiction=city)
    UserFactory(username="water", roles=[roles.UNIT], handling_unit=water, full_name="孙协办")
    item = f.make_handling(mandate=municipal_mandate, staff=staff_user, lead_unit=lead_unit,
                           co_units=[water, finance], title=TITLE)
    lead = f.lead_assignment(item)
    water_assignment = item.assignments.get(unit=water)
    finance_assignment = item.assignments.get(unit=finance)

    # 1. The supervisor sees two co-units not signed and opens exactly those.
    context, page = as_user(browser, live_server, "supervisor")
    page.goto(reverse("proposals:board"))
    figure = page.locator("#figure-co_units_not_signed a")
    expect(figure).to_have_text("2")
    figure.click()
    expect(page.locator("#co-units-table tbody tr")).to_have_count(2)
    expect(page.locator(f"#co-assignment-{water_assignment.pk}")).to_contain_text("市水务局")
    expect(page.locator(f"#co-assignment-{finance_assignment.pk}")).to_contain_text("市财政局")
    context.close()

    # 2. The lead unit reaches the deputy: the phone masked, then revealed on a click (recorded).
    context, page = as_user(browser, live_server, "unit")
    unit_page(page, lead)
    expect(page.locator("#contact-phone")).to_have_text("139****5678")
    page.locator("#contact-reveal").click()
    expect(page.locator("#contact-phone")).to_have_text(PHONE)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_PERSONAL_DATA, object_id=str(person.pk),
                                     user=unit_user).count() == 1
    # Replying before the co-units' opinions: refused, naming both.
    reply(page, code="A", text="已完成排水管网改造。")
    expect(page.locator("#reply-form")).to_contain_text("尚未收到：市水务局、市财政局")
    context.close()
    assert not Reply.objects.filter(proposal=item).exists()

    # 3. One co-unit signs and sends its opinion.
    context, page = as_user(browser, live_server, "water")
    unit_page(page, water_assignment)
    page.locator("#accept-submit").click()
    page.locator("#opinion-form textarea").fill("建议同步改造雨水管网。")
    page.locator("#opinion-submit").click()
    expect(page.locator("#opinion-sent")).to_contain_text("建议同步改造雨水管网")
    context.close()

    # 4. Staff let the lead unit reply without the other's opinion, with the reason.
    context, page = as_user(browser, live_server, "staff")
    page.goto(reverse("proposals:proposal_detail", args=[item.pk]))
    page.locator(f"#waive-{finance_assignment.pk} summary").click()
    page.locator(f"#waive-form-{finance_assignment.pk} textarea").fill("经协调，该事项不涉及财政资金。")
    page.locator(f"#waive-submit-{finance_assignment.pk}").click()
    expect(page.locator(f"#opinion-{finance_assignment.pk}")).to_contain_text("经协调，该事项不涉及财政资金。")
    context.close()
    finance_assignment.refresh_from_db()
    assert finance_assignment.opinion_waived_by == staff_user

    # 5. The lead unit replies.
    context, page = as_user(browser, live_server, "unit")
    unit_page(page, lead)
    expect(page.locator("#co-opinion-list")).to_contain_text("建议同步改造雨水管网")
    reply(page, code="A", text="已完成排水管网改造，并同步改造雨水管网。")
    expect(page.locator("#replies")).to_contain_text("已完成排水管网改造")
    context.close()
    assert Reply.objects.filter(proposal=item, assignment=lead).exists()

    # 6. The history reads in Chinese, with who acted by name; no co-unit is left unsigned on the board (one
    #    signed, the other's opinion was waived).
    context, page = as_user(browser, live_server, "staff")
    page.goto(reverse("proposals:proposal_detail", args=[item.pk]))
    history = page.locator("#history-table").inner_text()
    assert re.findall(r"[A-Za-z]{2,}", history) == [], history
    assert "李文书" in history and f"{lead_unit.name} 王经办" in history and "第0001号" in history
    page.goto(reverse("proposals:board"))
    expect(page.locator("#figure-co_units_not_signed a")).to_have_text("0")
    context.close()
    assert Assignment.objects.get(pk=water_assignment.pk).opinion_at is not None
