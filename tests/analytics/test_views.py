"""The analysis pages: who may open them, bad filters, the drill-down lists, the Excel downloads, query counts."""

import io

import openpyxl
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.analytics.sections import all_sections
from tests.analytics.support import YEAR, build

SLUGS = [section.slug for section in all_sections()]


def _urls(slug):
    chart = next(s for s in all_sections() if s.slug == slug).charts[0].name
    return [reverse("analytics:section", args=[slug]),
            reverse("analytics:records", args=[slug]) + f"?chart={chart}&key=x",
            reverse("analytics:export", args=[slug]) + f"?chart={chart}"]


def test_anonymous_is_sent_to_login(client, city):
    for slug in SLUGS:
        for url in [reverse("analytics:index"), *_urls(slug)]:
            response = client.get(url)
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


@pytest.mark.parametrize("role", ["deputy_user", "unit_user", "member_user", "outsider", "sysadmin_user",
                                  "auditor_user", "secadmin_user"])
def test_other_roles_are_refused(request, client_for, role):
    c = client_for(request.getfixturevalue(role))
    assert c.get(reverse("analytics:index")).status_code == 403
    for slug in SLUGS:
        for url in _urls(slug):
            assert c.get(url).status_code == 403, url


@pytest.mark.parametrize("role", ["staff_user", "supervisor_user", "county_staff_user"])
def test_office_roles_see_every_section(request, client_for, world, role):
    c = client_for(request.getfixturevalue(role))
    response = c.get(reverse("analytics:index"))
    assert response.status_code == 302 and response["Location"] == reverse("analytics:section", args=["roster"])
    for slug in SLUGS:
        response = c.get(reverse("analytics:section", args=[slug]))
        assert response.status_code == 200
        html = response.content.decode()
        assert 'id="nav-analytics"' in html
        for chart in response.context["charts"]:
            assert f'id="payload-{chart["chart"].name}"' in html and f'id="table-{chart["chart"].name}"' in html


def test_the_menu_shows_the_entry_to_the_office_only(client_for, staff_user, deputy_user):
    assert 'id="nav-analytics"' in client_for(staff_user).get("/").content.decode()
    assert 'id="nav-analytics"' not in client_for(deputy_user).get("/").content.decode()


def _chart(response, name):
    return next(c["data"] for c in response.context["charts"] if c["chart"].name == name)


def test_a_county_sees_only_its_own_county(client_for, world, county_staff_user, staff_user, other_county):
    county_page = client_for(county_staff_user).get(reverse("analytics:section", args=["roster"]))
    city_page = client_for(staff_user).get(reverse("analytics:section", args=["roster"]))
    assert _chart(county_page, "level").values == {("county", ""): 1}
    assert _chart(city_page, "level").value("county") == 2
    # another county is not a choice of the county's filter: reported, and the county's own area is shown
    response = client_for(county_staff_user).get(reverse("analytics:section", args=["roster"]),
                                                 {"jurisdiction": other_county.pk})
    assert "请选择本辖区内的行政区" in response.content.decode()
    assert _chart(response, "level").values == {("county", ""): 1}
    proposals = client_for(county_staff_user).get(reverse("analytics:section", args=["proposals"]))
    assert _chart(proposals, "funnel").value("total") == 1
    activities = client_for(county_staff_user).get(reverse("analytics:section", args=["activities"]))
    assert _chart(activities, "type").total == 1


def test_the_jurisdiction_filter_narrows_to_a_county(client_for, world, staff_user, county):
    response = client_for(staff_user).get(reverse("analytics:section", args=["activities"]),
                                          {"jurisdiction": county.pk})
    assert _chart(response, "type").total == 1
    response = client_for(staff_user).get(reverse("analytics:section", args=["roster"]), {"level": "municipal"})
    assert _chart(response, "level").values == {("municipal", ""): 3}


@pytest.mark.parametrize("params, message", [
    ({"year": "abc"}, "年份须为数字"),
    ({"year": "9" * 40}, "年份须在1990年至2100年之间"),
    ({"year": "-5"}, "年份须在1990年至2100年之间"),
    ({"level": "galaxy"}, "请从列表中选择级别"),
    ({"jurisdiction": "abc"}, "请选择本辖区内的行政区"),
    ({"jurisdiction": "9" * 30}, "请选择本辖区内的行政区"),
])
def test_bad_filters_are_reported_and_ignored(client_for, world, staff_user, params, message):
    for slug in SLUGS:
        response = client_for(staff_user).get(reverse("analytics:section", args=[slug]), params)
        assert response.status_code == 200
        assert message in response.content.decode()
        assert response.context["context"].year == YEAR


def test_bad_drill_down_and_export_input_is_a_404_not_a_500(client_for, world, staff_user):
    c = client_for(staff_user)
    records = reverse("analytics:records", args=["roster"])
    assert c.get(records, {"chart": "nope", "key": "male"}).status_code == 404
    assert c.get(records, {"chart": "gender", "key": "nobody"}).status_code == 404
    assert c.get(records, {"chart": "gender", "key": "male|extra"}).status_code == 404
    assert c.get(records, {"chart": "term", "key": "9" * 40 + "|male"}).status_code == 404
    assert c.get(records, {"chart": "gender", "key": "male", "page": "9" * 30}).status_code == 200
    assert c.get(reverse("analytics:export", args=["roster"]), {"chart": ""}).status_code == 404
    assert c.get(reverse("analytics:section", args=["nothing"])).status_code == 404
    assert c.get(records, {"chart": "gender", "key": "ma\x00le"}).status_code == 400


def _cells(data):
    for row in data.rows():
        for cell in row["cells"]:
            yield cell


@pytest.mark.parametrize("slug", SLUGS)
def test_every_value_opens_exactly_as_many_records(client_for, world, staff_user, slug):
    """For every chart of the section (bar, stacked, pie, funnel; field and bucket dimensions) and every
    non-zero value: the list it opens has that many records."""
    c = client_for(staff_user)
    page = c.get(reverse("analytics:section", args=[slug]))
    checked = 0
    for item in page.context["charts"]:
        for cell in _cells(item["data"]):
            if not cell["value"]:
                continue
            response = c.get(item["records_url"] + "&key=" + cell["key"])
            assert response.status_code == 200
            measure = item["chart"].measure
            if measure is None:
                assert response.context["page"].paginator.count == cell["value"] == response.context["value"], \
                    (item["chart"].name, cell)
                assert f'<span id="records-count">{cell["value"]}</span>' in response.content.decode()
            else:  # a sum: the listed records' field adds up to the value clicked
                listed = response.context["page"].object_list
                assert sum(getattr(obj, measure.field) for obj in listed) == cell["value"] \
                    == response.context["value"], (item["chart"].name, cell)
                assert f'<span id="records-sum">{cell["value"]}</span>' in response.content.decode()
            checked += 1
    assert checked >= len(page.context["charts"])


@pytest.mark.parametrize("slug", SLUGS)
def test_the_excel_download_holds_the_table(client_for, world, staff_user, slug):
    c = client_for(staff_user)
    page = c.get(reverse("analytics:section", args=[slug]))
    for item in page.context["charts"]:
        response = c.get(item["export_url"])
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        data = item["data"]
        assert rows[0] == [str(h) for h in data.headers()]
        assert rows[1:] == [[cell if cell != "" else None for cell in row] for row in data.sheet_rows()]


def test_the_excel_download_escapes_formulas(client_for, world, staff_user):
    response = client_for(staff_user).get(reverse("analytics:export", args=["roster"]), {"chart": "sector"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    formula = next(cell for cell in cells if str(cell.value).startswith("=HYPERLINK"))
    assert formula.data_type == "s" and formula.quotePrefix


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_each_section_takes_the_same_few_queries_at_twice_the_size(client_for, frozen, staff_user, city, county,
                                                                  other_county, city_term, county_term,
                                                                  other_county_term):
    c = client_for(staff_user)
    urls = [reverse("analytics:section", args=[slug]) for slug in SLUGS]
    shape = {"city": city, "county": county, "other_county": other_county, "city_term": city_term,
             "county_term": county_term, "other_county_term": other_county_term}
    build(**shape, scale=1)
    small = [_queries(c, url) for url in urls]
    build(**shape, scale=2)
    large = [_queries(c, url) for url in urls]
    assert small == large
    assert max(large) <= 12, dict(zip(SLUGS, large))


def test_the_section_page_asserts_its_query_budget(client_for, world, staff_user, django_assert_max_num_queries):
    """Each section counted from scratch (caches empty), on a world where every chart has records: the covenant
    flags read the meetings' attendance, speeches and motions only when the committee met in the year."""
    c = client_for(staff_user)
    for slug in SLUGS:
        cache.clear()
        with django_assert_max_num_queries(12):
            c.get(reverse("analytics:section", args=[slug]))
    c.get(reverse("analytics:section", args=["roster"]))  # the list opens from a page that counted its chart
    with django_assert_max_num_queries(8):
        c.get(reverse("analytics:records", args=["roster"]), {"chart": "gender", "key": "male"})


@pytest.mark.parametrize("slug, write", [
    ("roster", "mandate"), ("proposals", "item"), ("training", "attendance"), ("activities", "activity"),
    ("liaison", "contact"), ("scores", "score"), ("stations", "visit"), ("publicity", "publicity"),
])
def test_a_write_shows_at_once_though_the_counts_are_cached(client_for, world, staff_user, city_term, slug, write):
    """The counts are cached under the data versions of what each section reads: a write bumps its area's version
    (a database trigger), so the next page counts again; an unchanged page is served from the cache."""
    import datetime

    from tests.analytics import support

    c = client_for(staff_user)
    url = reverse("analytics:section", args=[slug])
    before = sum(data["data"].total for data in c.get(url).context["charts"])
    assert _queries(c, url) <= 4  # the session, the user, the versions; no count
    mandate = support.MandateFactory(term=city_term)
    if write == "item":
        support.item(mandate=mandate, state=support.S.SUBMITTED)
    elif write == "attendance":
        from apps.training.models import TrainingAttendance, TrainingSession

        TrainingAttendance.objects.create(session=TrainingSession.objects.filter(date__year=YEAR).first(),
                                          person=mandate.person, mandate=mandate, attendance="present")
    elif write == "activity":
        support.make_activity(city_term.jurisdiction, day=datetime.date(YEAR, 7, 1))
    elif write == "contact":
        from apps.committee.models import CommitteeMember
        from apps.liaison.models import Contact

        Contact.objects.create(member=CommitteeMember.objects.first(), date=datetime.date(YEAR, 7, 1),
                               channel="visit", summary="走访")
    elif write == "score":
        from apps.scoring.models import RuleSet

        support.Score.objects.create(rule_set=RuleSet.objects.get(level="municipal", status="published"),
                                     mandate=mandate, year=YEAR, raw_total=70, total=70, grade="competent",
                                     computed_at=datetime.datetime(YEAR, 6, 1, tzinfo=datetime.timezone.utc))
    elif write == "visit":
        from apps.stations.models import Station, VoterVisit

        VoterVisit.objects.create(station=Station.objects.first(), date=datetime.date(YEAR, 7, 1), issue="路灯不亮",
                                  category="urban", status="open")
    elif write == "publicity":
        from tests.publicity.conftest import make_item

        make_item(city_term.jurisdiction, staff_user, date=datetime.date(YEAR, 7, 1))
    after = sum(data["data"].total for data in c.get(url).context["charts"])
    assert after > before


def test_the_publicity_counts_are_the_publicity_pages_yearly_counts(client_for, world, staff_user,
                                                                    county_staff_user):
    """One definition (apps.publicity.selectors): the analysis' counts by kind equal the publicity page's, for the
    city (its records and its counties') and for a county (its own)."""
    for user in (staff_user, county_staff_user):
        c = client_for(user)
        charts = c.get(reverse("analytics:section", args=["publicity"])).context["charts"]
        data = next(item["data"] for item in charts if item["chart"].name == "kind")
        counts = c.get(reverse("publicity:item_list"), {"year": YEAR}).context["counts"]
        assert [(key, data.value(key)) for key, _label in data.xs] == [(kind, n) for kind, _label, n in counts]
    assert [n for _kind, _label, n in counts] == [0, 0, 0, 1]  # the county: its article


def test_echarts_is_served_from_the_pinned_package_alone(client, db):
    """Only echarts.min.js of the npm package is a static file (its dist folder holds 50 MB of other builds)."""
    import json
    from pathlib import Path

    from django.conf import settings
    from django.contrib.staticfiles import finders

    found = finders.find("vendor/echarts/echarts.min.js")
    assert found and Path(found).resolve() == (settings.NODE_MODULES / "echarts/dist/echarts.min.js").resolve()
    assert finders.find("vendor/echarts/echarts.js") is None
    pinned = json.loads((Path(settings.BASE_DIR) / "package.json").read_text())["dependencies"]["echarts"]
    assert pinned[0].isdigit()  # an exact version, no range
    response = client.get("/static/vendor/echarts/echarts.min.js")
    assert response.status_code == 200


def test_each_section_prints_with_its_header_naming_the_filters(client_for, world, staff_user, county):
    """Every section carries the print stylesheet (A4) and a print header: the section's title, the chosen
    jurisdiction, year and level as its scope, and the date (frozen: 2026-06-15)."""
    c = client_for(staff_user)
    for section in all_sections():
        response = c.get(reverse("analytics:section", args=[section.slug]),
                         {"year": YEAR - 1, "level": "county", "jurisdiction": county.pk})
        page = response.content.decode()
        assert 'href="/static/css/print.css" media="print"' in page and "data-print" in page, section.slug
        start = page.index('id="print-header"')
        header = page[start:page.index("</header>", start)]
        assert f"数字分析 · {section.title}" in header, section.slug
        assert f"{county.name} · {YEAR - 1}年度 · 县（市、区）" in header, (section.slug, header)
        assert "2026年6月15日" in header, section.slug


def test_the_liaison_table_shows_the_pace_row_and_it_follows_a_new_assignment(client_for, world, staff_user):
    """The heat map's table ends with each member's pace in words; an assignment written bumps the liaison
    version, so the row follows at once."""
    from apps.liaison.models import LiaisonAssignment

    c = client_for(staff_user)
    url = reverse("analytics:section", args=["liaison"])
    page = c.get(url).content.decode()
    row = page[page.index('id="notes-heatmap"'):page.index("</tfoot>")]
    assert 'data-status="red">滞后</td>' in row and row.count("<td") == 2
    LiaisonAssignment.objects.all().delete()
    page = c.get(url).content.decode()
    assert "滞后" not in page[page.index('id="notes-heatmap"'):page.index("</tfoot>")]


def test_a_speech_clears_the_never_spoke_flag_at_once(client_for, world, staff_user):
    """The covenant chart is cached under the "covenant" data version: a speech recorded bumps it (a trigger)."""
    from apps.covenant.models import CommitteeMeeting, Speech

    c = client_for(staff_user)
    url = reverse("analytics:section", args=["scores"])
    assert _chart(c.get(url), "covenant").value("no_speech") == 1
    meeting = CommitteeMeeting.objects.get(start_date__year=YEAR)
    Speech.objects.create(meeting=meeting, member=meeting.attendances.get().member, date=meeting.start_date,
                          topic="审议意见")
    assert _chart(c.get(url), "covenant").value("no_speech") == 0
