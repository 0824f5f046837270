"""Data analysis in a real browser: on each section a click on a bar opens the list of exactly that many records;
the charts draw under the CSP (no violation) and axe-core finds no serious or critical violation."""

import pytest

from tests.analytics.support import YEAR, build
from tests.browser.test_layout_and_accessibility import AXE, _serious_violations, sign_in

pytestmark = pytest.mark.browser

# section → (chart, x key, series key or "") of the bar clicked
BARS = {
    "roster": ("level", "municipal", ""),
    "proposals": ("state", "registered", ""),
    "training": ("level", "county", "serving"),
    "activities": ("month", "3", "inspection"),
    "liaison": ("heatmap", "3", "member"),  # a cell of the heat map
    "scores": ("grades", "municipal", "excellent"),
    "stations": ("issues", "urban", "open"),
}

_BAR_POINT = """([name, xKey, seriesKey]) => {
    const element = document.getElementById('chart-' + name);
    element.scrollIntoView({block: 'center', behavior: 'instant'});
    const payload = JSON.parse(document.getElementById('payload-' + name).textContent);
    const x = payload.xKeys.indexOf(xKey);
    const s = seriesKey ? payload.series.findIndex(one => one.key === seriesKey) : 0;
    const value = payload.series[s].data[x];
    let px, py;
    if (payload.kind === 'heatmap') {
        [px, py] = element.chart.convertToPixel({xAxisIndex: 0, yAxisIndex: 0}, [x, s]);
    } else {  // the drawn bar itself (grouped or stacked)
        const bar = element.chart.getModel().getSeriesByIndex(s).getData().getItemLayout(x);
        [px, py] = [bar.x + bar.width / 2, bar.y + bar.height / 2];
    }
    const box = element.getBoundingClientRect();
    return {x: box.left + px, y: box.top + py, value: value};
}"""


def test_a_click_on_a_bar_of_each_section_opens_its_records(page, live_server, city, county, other_county,
                                                            city_term, county_term, other_county_term, staff_user):
    from apps.activities.models import ActivityType
    from apps.committee.models import CommitteeMember

    build(city=city, county=county, other_county=other_county, city_term=city_term, county_term=county_term,
          other_county_term=other_county_term)
    keys = {"inspection": str(ActivityType.objects.get(code="inspection").pk),
            "member": str(CommitteeMember.objects.get(jurisdiction=city).pk)}
    csp_errors = []
    page.on("console", lambda message: csp_errors.append(message.text)
            if "Content Security Policy" in message.text else None)
    sign_in(page.context, live_server, staff_user)
    page.goto("/")
    page.locator("#nav-analytics").click()
    page.wait_for_url("**/analytics/roster/")
    for slug, (chart, x_key, series_key) in BARS.items():
        page.goto(f"/analytics/{slug}/?year={YEAR}")
        page.wait_for_selector(f"#chart-{chart} canvas")
        series_key = keys.get(series_key, series_key)
        point = page.evaluate(_BAR_POINT, [chart, x_key, series_key])
        assert point["value"] > 0
        page.mouse.click(point["x"], point["y"])
        page.wait_for_url("**/records/**")
        assert page.locator("#records-count").inner_text() == str(point["value"]), slug
        assert page.locator("#records-table tbody tr").count() == point["value"], slug

        page.goto(f"/analytics/{slug}/?year={YEAR}")
        page.wait_for_selector(f"#chart-{chart} canvas")
        page.evaluate(AXE.read_text(encoding="utf-8"))
        assert _serious_violations(page) == [], slug

    # a practice-activity outcome (a sum): the bar opens the participations whose people helped add up to it
    page.goto(f"/analytics/activities/?year={YEAR}")
    page.wait_for_selector("#chart-outcome-people canvas")
    point = page.evaluate(_BAR_POINT, ["outcome-people", "7", ""])
    assert point["value"] == 7
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url("**/records/**")
    assert page.locator("#records-sum").inner_text() == "7"
    people = page.locator("#records-table tbody tr td:nth-child(6)").all_inner_texts()
    assert sum(int(text) for text in people) == 7

    # on paper: the print header (title, scope, date) shows, the tabs and the filters do not
    page.goto(f"/analytics/scores/?year={YEAR}")
    page.emulate_media(media="print")
    assert page.locator("#print-header").is_visible()
    assert "数字分析 · " in page.locator("#print-header").inner_text()
    assert not page.locator("#analytics-filters").is_visible() and not page.locator(".nav-tabs").is_visible()
    page.emulate_media(media="screen")
    assert csp_errors == []
