"""Scoring rules in a browser, on a phone-sized screen: staff change an item of a draft, see in the what-if which
deputy's score changes, publish the draft (confirming), and the page says the scores are waiting to be
recomputed; the score list leads to a score's breakdown."""

import pytest
from playwright.sync_api import expect

from apps.scoring.models import RuleSet, Source
from tests.browser.conftest import login
from tests.factories import MandateFactory, PersonFactory
from tests.scoring.factories import item
from tests.scoring.rules_support import city_draft, city_published  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_context_args(live_server, transactional_db):
    """A phone."""
    return {"base_url": live_server.url, "locale": "zh-CN", "viewport": {"width": 390, "height": 844}}


def test_staff_change_a_draft_check_the_what_if_and_publish(page, staff_user, city_term, monkeypatch,
                                                           municipal_mandate, city_draft):  # noqa: F811
    idle = MandateFactory(term=city_term, person=PersonFactory(name="未参加视察的代表"))
    inspection = item(city_draft, Source.ACTIVITY_PRESENT, "inspection")

    login(page, "staff")
    page.goto(f"/scoring/rules/{city_draft.pk}/")
    page.locator(f"#rule-item-edit-{inspection.pk}").click()
    page.locator("#id_points").fill("3")
    page.locator("#rule-item-save").click()
    expect(page.locator(f"#rule-item-{inspection.pk}")).to_contain_text("3")

    page.locator("#rule-set-whatif").click()
    expect(page.locator("#whatif-changed-count")).to_have_text("1")
    expect(page.locator(f"#whatif-{municipal_mandate.pk}")).to_contain_text("63")
    expect(page.locator(f"#whatif-{idle.pk}")).to_be_visible()
    page.locator("#id_changed").check()
    page.locator("#whatif-filters button[type=submit]").click()
    expect(page.locator(f"#whatif-{municipal_mandate.pk}")).to_contain_text("+1")
    expect(page.locator(f"#whatif-{idle.pk}")).to_have_count(0)

    def broker_refuses(message):  # no worker may run the job first (other tests' workers share the broker)
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr("apps.core.outbox._send", broker_refuses)
    page.goto(f"/scoring/rules/{city_draft.pk}/publish/")
    page.locator("#id_confirm").check()
    page.locator("#publish-save").click()
    expect(page.locator(f"#rule-set-status-{city_draft.pk}")).to_be_visible()
    expect(page.locator("#rule-set-frozen")).to_be_visible()
    expect(page.locator("#recompute-pending")).to_be_visible()
    expect(page.locator("#rule-item-new")).to_have_count(0)
    assert RuleSet.objects.get(pk=city_draft.pk).status == RuleSet.Status.PUBLISHED


def test_the_score_list_works_on_a_phone(page, staff_user, city_published, municipal_mandate):  # noqa: F811
    login(page, "staff")
    page.goto("/scoring/scores/?year=2024&level=municipal")
    row = page.locator("#score-table tbody tr").first
    expect(row).to_contain_text(municipal_mandate.person.name)
    row.locator("a").click()
    expect(page.locator("#score-total")).to_have_text("62.00")
    expect(page.locator("#breakdown-table")).to_be_visible()
