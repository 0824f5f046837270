"""Scores that agree with their records, in a browser: staff enter a commendation for a deputy; the refresh job
queued by that change runs (here in-process, as an eager task, at the commit), and the deputy's record shows the
count 1 beside the record it lists, with the time the score was computed."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from apps.scoring import engine
from apps.scoring.models import Score, StaleMandate
from tests.browser.conftest import login
from tests.scoring.factories import typical_rule_set

pytestmark = pytest.mark.browser


@pytest.fixture
def eager_worker(monkeypatch, settings):
    """Jobs sent after a commit run at once in this process (the live server's thread), as a worker would.

    An eager job runs at its commit rather than when its window of SCORE_REFRESH_DELAY_SECONDS is over, so a
    later change in the same window would wait for the minute's sweep: with no window, each change has its job
    (the debouncing itself is tested in tests/scoring/test_freshness.py)."""
    from deputies_platform.celery import app

    monkeypatch.setattr(app.conf, "task_always_eager", True)
    settings.SCORE_REFRESH_DELAY_SECONDS = 0


def test_a_commendation_entered_by_staff_shows_in_the_count_beside_its_record(page, eager_worker, city,
                                                                              municipal_mandate, staff_user):
    year = timezone.localdate().year
    rule_set = typical_rule_set(city, year=year, name=f"{year}年度市人大代表履职考核办法")
    engine.compute(rule_set)
    StaleMandate.objects.all().delete()
    score = Score.objects.get(rule_set=rule_set, mandate=municipal_mandate)
    commendations = rule_set.items.get(label="受到表彰")
    record_url = reverse("scoring:deputy_record", args=[municipal_mandate.person_id]) + f"?year={year}"

    login(page, "staff")
    page.goto(record_url)
    row = page.locator(f"#line-{score.pk}-{commendations.pk}")
    expect(row.locator("td").nth(1)).to_have_text("0")

    page.goto(reverse("scoring:commendation_create", args=[municipal_mandate.person_id]))
    page.locator("[name=date]").fill(datetime.date(year, 1, 2).isoformat())
    page.locator("[name=title]").fill("优秀人大代表")
    page.locator("[name=awarded_by]").fill("市人大常委会")
    page.locator("#commendation-save").click()
    page.wait_for_url(lambda url: "/new/" not in url)

    page.goto(record_url)
    row = page.locator(f"#line-{score.pk}-{commendations.pk}")
    expect(row.locator("td").nth(1)).to_have_text("1")
    expect(page.locator(f"#score-{score.pk}-computed")).to_contain_text("得分计算于")
    expect(page.locator(f"#score-{score.pk}-computed")).not_to_contain_text("正在重新计算")
    row.locator("a.line-records-link").click()
    expect(page.locator(f"#records-{score.pk}-{commendations.pk}")).to_contain_text("优秀人大代表")
