"""Who sees whom: a deputy sees only themself; county staff see only their county."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, open_menu_item

pytestmark = pytest.mark.browser


def test_deputy_opens_their_own_record_but_not_another_persons_nor_the_roster(
        page, deputy_user, county_mandate):
    own = deputy_user.person
    login(page, "deputy", "Renda@2026")
    expect(page.get_by_role("link", name="代表名册")).to_have_count(0)

    open_menu_item(page, "nav-me")  # 我的履职档案, which links to the roster entry
    with page.expect_response(lambda r: r.url.endswith(f"/deputies/{own.pk}/")) as opened:
        page.locator("#record-roster-entry").click()
    assert opened.value.status == 200
    expect(page.locator("#person-name")).to_contain_text(own.name)

    response = page.goto(f"/deputies/{county_mandate.person.pk}/")
    assert response.status == 404
    expect(page.locator("body")).not_to_contain_text(county_mandate.person.name)

    response = page.goto("/deputies/")
    assert response.status == 403


def test_county_staff_see_their_countys_deputies_but_not_the_other_countys_nor_municipal_ones(
        page, county_staff_user, county_mandate, other_county_mandate, municipal_mandate):
    login(page, "county_staff", "Renda@2026")
    open_menu_item(page, "nav-roster")

    table = page.locator("#roster-table tbody")
    expect(table.get_by_role("link", name="李四")).to_be_visible()
    expect(table).not_to_contain_text("王五")
    expect(table).not_to_contain_text("张三丰")

    assert page.goto(f"/deputies/{county_mandate.person.pk}/").status == 200
    expect(page.locator("#person-name")).to_contain_text("李四")
    assert page.goto(f"/deputies/{other_county_mandate.person.pk}/").status == 404
    expect(page.locator("body")).not_to_contain_text("王五")
    assert page.goto(f"/deputies/{municipal_mandate.person.pk}/").status == 404
    expect(page.locator("body")).not_to_contain_text("张三丰")


def test_county_staff_find_a_city_deputy_elected_in_their_county_read_only_and_add_them_to_their_activity(
        page, county_staff_user, county, city, city_term, county_mandate):
    """南关区's office: the city deputy elected in 南关区 is on its roster, read-only, and joins its activity."""
    from apps.deputies.models import Level
    from tests.activities.staff_support import make_activity
    from tests.factories import ElectoralUnitFactory, MandateFactory, PersonFactory

    unit = ElectoralUnitFactory(jurisdiction=city, level=Level.MUNICIPAL, name="南关区人民代表大会", area=county)
    elected = MandateFactory(term=city_term, person=PersonFactory(name="赵市代"), electoral_unit=unit)
    activity = make_activity(county, level=Level.COUNTY, title="南关区市人大代表小组集中视察",
                             day=elected.start_date.replace(year=elected.start_date.year + 1))
    login(page, "county_staff", "Renda@2026")
    page.goto("/deputies/")
    table = page.locator("#roster-table tbody")
    table.get_by_role("link", name="赵市代").click()
    expect(page.locator("#person-name")).to_contain_text("赵市代")
    expect(page.locator("#read-only-note")).to_be_visible()
    expect(page.get_by_role("link", name="编辑")).to_have_count(0)

    page.goto(f"/activities/{activity.pk}/")
    page.locator("#paste-names").fill("赵市代\n李四")
    page.locator("#paste-submit").click()
    expect(page.locator("#participants-table tbody tr")).to_have_count(2)
    expect(page.locator("#participants-table")).to_contain_text("赵市代")
