"""A county office and the deputies of higher congresses elected in its area (在本行政区域选出的上级人大代表).

南关区's staff see the city deputies elected in 南关区 (read-only: no edit, no reveal, no history, personal data
masked even in an unmasked export), organise them (activities, stations, liaison contacts), and never see their
city scores. A city deputy elected in another county stays a 404.
"""

import io

import openpyxl
import pytest
from django.urls import reverse

from apps.activities.models import Participation
from apps.deputies.models import ElectoralUnit, Level, Mandate, unit_area
from tests.activities.staff_support import make_activity
from tests.factories import ElectoralUnitFactory, MandateFactory, PersonFactory, make_id_number

READ = ["person_detail", "person_photo"]
REFUSED = ["person_reveal", "person_edit", "person_history", "mandate_add"]
MANDATE_REFUSED = ["mandate_edit", "mandate_end"]


@pytest.fixture
def elected_here(city, county, city_term):
    """A city deputy elected by 南关区's congress (the electoral unit's area is 南关区)."""
    unit = ElectoralUnitFactory(jurisdiction=city, level=Level.MUNICIPAL, name="南关区人民代表大会", area=county)
    import datetime

    person = PersonFactory(name="赵市代", id_number=make_id_number(datetime.date(1970, 1, 2), seq=11),
                           phone="13900001111")
    return MandateFactory(term=city_term, person=person, electoral_unit=unit)


@pytest.fixture
def elected_elsewhere(city, other_county, city_term):
    unit = ElectoralUnitFactory(jurisdiction=city, level=Level.MUNICIPAL, name="朝阳区人民代表大会",
                                area=other_county)
    return MandateFactory(term=city_term, person=PersonFactory(name="钱市代"), electoral_unit=unit)


@pytest.fixture
def photo(settings, tmp_path, elected_here, elected_elsewhere):
    from django.core.files.base import ContentFile

    from tests.deputies.test_permissions import PNG

    settings.MEDIA_ROOT = tmp_path
    for mandate in (elected_here, elected_elsewhere):
        mandate.person.photo.save("p.png", ContentFile(PNG), save=True)


@pytest.mark.parametrize("url_name", READ)
def test_county_staff_see_a_city_deputy_elected_in_their_area(client_for, county_staff_user, elected_here, photo,
                                                             url_name):
    response = client_for(county_staff_user).get(reverse(f"deputies:{url_name}", args=[elected_here.person_id]))
    assert response.status_code == 200


def test_the_record_is_read_only_to_the_county(client_for, county_staff_user, elected_here):
    html = client_for(county_staff_user).get(reverse("deputies:person_detail", args=[elected_here.person_id])
                                             ).content.decode()
    assert "赵市代" in html and 'id="read-only-note"' in html
    for url_name in ["person_edit", "person_history", "mandate_add", "mandate_edit"]:
        arg = elected_here.pk if url_name.startswith("mandate_e") else elected_here.person_id
        assert reverse(f"deputies:{url_name}", args=[arg]) not in html
    assert reverse("deputies:person_reveal", args=[elected_here.person_id]) not in html
    assert "13900001111" not in html  # masked


@pytest.mark.parametrize("url_name", REFUSED + MANDATE_REFUSED)
def test_county_staff_cannot_change_or_reveal_a_city_deputy_elected_in_their_area(
        client_for, county_staff_user, elected_here, url_name):
    arg = elected_here.pk if url_name in MANDATE_REFUSED else elected_here.person_id
    client = client_for(county_staff_user)
    url = reverse(f"deputies:{url_name}", args=[arg])
    if url_name != "person_reveal":
        assert client.get(url).status_code == 404
    if url_name != "person_history":  # GET only
        response = client.post(url, {"name": "改名", "end_date": "2024-01-01", "end_reason": "resigned"})
        assert response.status_code == 404
    elected_here.refresh_from_db()
    assert elected_here.status == Mandate.Status.SERVING and elected_here.person.name == "赵市代"


@pytest.mark.parametrize("url_name", READ + REFUSED)
def test_a_city_deputy_elected_in_another_county_is_a_404(client_for, county_staff_user, elected_elsewhere, photo,
                                                         url_name):
    client = client_for(county_staff_user)
    url = reverse(f"deputies:{url_name}", args=[elected_elsewhere.person_id])
    response = client.post(url) if url_name == "person_reveal" else client.get(url)
    assert response.status_code == 404


def test_city_staff_still_manage_them(client_for, staff_user, elected_here):
    html = client_for(staff_user).get(reverse("deputies:person_detail", args=[elected_here.person_id])
                                      ).content.decode()
    assert reverse("deputies:person_edit", args=[elected_here.person_id]) in html
    assert 'id="read-only-note"' not in html


def test_the_county_roster_lists_them_and_not_the_others(client_for, county_staff_user, county_mandate,
                                                          elected_here, elected_elsewhere, municipal_mandate,
                                                          django_assert_max_num_queries):
    client = client_for(county_staff_user)
    client.get(reverse("deputies:roster_list"))  # warm the menu and the options cache
    with django_assert_max_num_queries(12):
        response = client.get(reverse("deputies:roster_list") + "?q=")
    assert {m.person.name for m in response.context["page"].object_list} == {"李四", "赵市代"}


def test_the_county_export_lists_them_masked_even_when_unmasked(client_for, county_staff_user, county_mandate,
                                                                elected_here):
    from django.contrib.auth.models import Permission

    county_staff_user.user_permissions.add(Permission.objects.get(codename="export_personal_data"))
    response = client_for(county_staff_user).get(reverse("deputies:roster_export") + "?unmasked=1")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert set(rows) == {"李四", "赵市代"}
    assert rows["赵市代"][4] != elected_here.person.id_number and "*" in rows["赵市代"][4]
    assert rows["赵市代"][5] != "13900001111"
    assert rows["李四"][4] == county_mandate.person.id_number  # their own deputy: unmasked as asked


def test_the_county_adds_them_to_its_own_activity(client_for, county_staff_user, county, elected_here,
                                                  elected_elsewhere):
    activity = make_activity(county, level=Level.COUNTY, user=county_staff_user,
                             day=elected_here.start_date.replace(year=elected_here.start_date.year + 1))
    client = client_for(county_staff_user)
    found = client.get(reverse("activities:participant_search", args=[activity.pk]), {"q": "市代"}).json()
    names = {row.get("name") for row in found["results"]}
    assert any("赵市代" in (name or "") for name in names)
    assert not any("钱市代" in (name or "") for name in names)
    response = client.post(reverse("activities:participants_add", args=[activity.pk]),
                           {"person": [elected_here.person_id], "attendance": "present"})
    assert response.status_code == 302
    participation = Participation.objects.get(activity=activity)
    assert participation.mandate == elected_here  # under the municipal mandate: the only one they hold


def test_the_county_finds_them_for_its_stations_and_contacts(client_for, county_staff_user, county, elected_here,
                                                            elected_elsewhere):
    from apps.stations.selectors import search_deputies

    assert [p.name for p in search_deputies(county_staff_user, "市代")] == ["赵市代"]
    response = client_for(county_staff_user).get(reverse("liaison:contact_deputy_search"), {"q": "市代"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "赵市代" in html and "钱市代" not in html


def test_the_county_never_sees_their_city_scores(client_for, county_staff_user, elected_here):
    response = client_for(county_staff_user).get(reverse("scoring:deputy_record", args=[elected_here.person_id]))
    assert response.status_code == 404


def test_an_electoral_units_area_is_the_jurisdiction_its_name_begins_with(city, county, other_county):
    places = [(j.pk, j.path, j.name, j.short_name) for j in (city, county, other_county)]
    assert unit_area(city.path, "南关区人民代表大会", places) == county.pk
    assert unit_area(city.path, "中国人民解放军驻长春部队", places) is None
    assert unit_area(county.path, "南关区第1选区", places) is None  # the county's own units: no area below


def test_an_imported_unit_named_after_a_county_is_elected_there(staff_user, city_term, county):
    from apps.deputies import excel
    from tests.deputies.test_excel import deputy, workbook

    row = deputy(1, 选举单位="南关区人民代表大会", 代表团=None, 代表小组=None)
    result = excel.import_roster(file=workbook([row]), user=staff_user)
    assert result.ok, result.errors
    assert ElectoralUnit.objects.get(name="南关区人民代表大会").area == county
