"""The performance record in a browser: the deputy logs in, opens /me/, chooses the year, reads the score
breakdown, opens the records behind a line and downloads the annual report PDF; on a phone the page fits the
screen."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from apps.scoring.models import Dispute
from tests.browser.conftest import login
from tests.scoring.factories import YEAR
from tests.scoring.record_support import record_world

pytestmark = pytest.mark.browser


@pytest.fixture
def world(deputy_user, municipal_mandate, city):
    return record_world(mandate=municipal_mandate, city=city)


def test_the_deputy_reads_the_breakdown_and_downloads_the_pdf(page, world, deputy_user):
    score, rule_set = world["score"], world["rule_set"]
    login(page, "deputy")
    page.goto(reverse("me:me"))
    page.locator("#record-year").select_option(str(YEAR))
    page.wait_for_url(f"**{reverse('me:me')}?year={YEAR}")

    expect(page.locator("#record-name")).to_have_text(world["person"].name)
    expect(page.locator(f"#score-{score.pk}-total")).to_have_text("93.5")
    lines = page.locator(f"#breakdown-{score.pk} tr.breakdown-line")
    expect(lines).to_have_count(rule_set.items.count())
    inspection = rule_set.items.get(label="视察")
    row = page.locator(f"#line-{score.pk}-{inspection.pk}")
    expect(row).to_contain_text("视察")
    expect(row.locator("td").last).to_have_text("4")

    # The records behind the line, loaded under it.
    row.locator("a.line-records-link").click()
    records = page.locator(f"#line-records-{score.pk}-{inspection.pk}")
    expect(records).to_contain_text("视察城市供热保障工作")
    expect(records).to_contain_text("视察老旧小区改造")

    # Dispute the line: the dispute is listed as open.
    row.locator("a.dispute-toggle").click()
    row.locator("textarea[name=comment]").fill("5月还参加了一次视察，未计入")
    row.locator("form.dispute-form button[type=submit]").click()
    page.wait_for_url(f"**{reverse('me:me')}?year={YEAR}#disputes")
    expect(page.locator("#disputes")).to_contain_text("5月还参加了一次视察，未计入")
    assert Dispute.objects.filter(item=inspection, status=Dispute.Status.OPEN).exists()

    # The annual report.
    with page.expect_download() as info:
        page.locator("#record-pdf").click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        assert handle.read(4) == b"%PDF"


@pytest.fixture
def phone(browser, live_server, transactional_db):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 390, "height": 844},
                                  is_mobile=True, has_touch=True, device_scale_factor=3)
    page = context.new_page()
    yield page
    context.close()


def test_the_record_fits_a_phone_screen(phone, world, deputy_user):
    login(phone, "deputy")
    phone.goto(f"{reverse('me:me')}?year={YEAR}")
    expect(phone.locator(f"#score-{world['score'].pk}-total")).to_be_visible()
    widths = phone.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], widths
