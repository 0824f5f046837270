"""The roster pages as a user meets them: forms, masking, reveal, search, filters, history, dates."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.models import AuditEvent, Jurisdiction
from apps.deputies.models import Level, Mandate, Person
from tests.factories import (
    DelegationFactory, DeputyGroupFactory, JurisdictionFactory, MandateFactory, PersonFactory, TermFactory,
    make_id_number,
)

NEW_ID = "220102197503120014"  # a valid ID number, born 1975-03-12
TZ = datetime.timezone(datetime.timedelta(hours=8))


def person_data(**overrides) -> dict:
    data = {
        "name": "赵六", "gender": "male", "ethnicity": "汉族", "birth_date": "", "id_number": NEW_ID,
        "phone": "13912345678", "party": "cpc", "education": "bachelor", "employer": "长春市第一中学",
        "post": "教师", "sector": "教育界", "occupation": "professional", "address": "长春市南关区人民大街1号",
    }
    data.update(overrides)
    return data


def create_data(term, **overrides) -> dict:
    data = person_data()
    data.update({"m-term": term.pk, "m-start_date": "2022-03-01", "m-electoral_unit": "", "m-delegation": "",
                 "m-group": ""})
    data.update(overrides)
    return data


def edit_data(person: Person, **overrides) -> dict:
    fields = ["name", "gender", "ethnicity", "id_number", "phone", "party", "education", "employer", "post",
              "sector", "occupation", "address"]
    data = {f: getattr(person, f) for f in fields}
    data["birth_date"] = person.birth_date.isoformat() if person.birth_date else ""
    data.update(overrides)
    return data


def listed(response) -> list[str]:
    return [m.person.name for m in response.context["page"].object_list]


def roster(client, **params):
    return client.get(reverse("deputies:roster_list"), params)


# --- create, edit, mandates -----------------------------------------------------------------------------------

@pytest.mark.smoke
def test_staff_creates_a_deputy_with_the_first_mandate(client_for, staff_user, city_term):
    response = client_for(staff_user).post(reverse("deputies:person_create"), create_data(city_term))
    person = Person.objects.with_id_number(NEW_ID).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("deputies:person_detail", args=[person.pk])
    assert person.birth_date == datetime.date(1975, 3, 12)  # taken from the ID number
    assert (person.name_pinyin, person.name_initials) == ("zhaoliu", "zl")
    mandate = person.mandates.get()
    assert (mandate.term, mandate.level, mandate.jurisdiction) == (city_term, Level.MUNICIPAL, city_term.jurisdiction)
    assert mandate.status == Mandate.Status.SERVING
    assert person.history.get().history_user == staff_user


def test_create_normalises_full_width_digits_and_spaces(client_for, staff_user, city_term):
    full_width_id = NEW_ID.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    client_for(staff_user).post(reverse("deputies:person_create"), create_data(
        city_term, name=" 赵 六 ", id_number=f" {full_width_id} ", phone="１３９ １２３４ ５６７８"))
    person = Person.objects.get()
    assert (person.name, person.id_number, person.phone) == ("赵六", NEW_ID, "13912345678")


def test_invalid_check_digit_is_shown_in_chinese_and_nothing_is_written(client_for, staff_user, city_term):
    response = client_for(staff_user).post(reverse("deputies:person_create"),
                                           create_data(city_term, id_number=NEW_ID[:17] + "5"))
    assert response.status_code == 200
    assert "身份证号校验位错误" in response.content.decode()
    assert not Person.objects.exists()
    assert not Mandate.objects.exists()


def test_duplicate_id_number_is_refused(client_for, staff_user, city_term):
    PersonFactory(id_number=NEW_ID, name="钱七")
    response = client_for(staff_user).post(reverse("deputies:person_create"), create_data(city_term))
    assert response.status_code == 200
    assert "身份证号 的 人员 已存在" in response.content.decode()
    assert Person.objects.count() == 1
    assert not Mandate.objects.exists()


def test_birth_date_contradicting_the_id_number_is_refused(client_for, staff_user, city_term):
    response = client_for(staff_user).post(reverse("deputies:person_create"),
                                           create_data(city_term, birth_date="1975-03-13"))
    assert "出生日期与身份证号不一致" in response.content.decode()
    assert not Person.objects.exists()


def test_mandate_cannot_start_before_its_term(client_for, staff_user, city_term):
    response = client_for(staff_user).post(reverse("deputies:person_create"),
                                           create_data(city_term, **{"m-start_date": "2021-12-31"}))
    assert "代表资格的开始日期不能早于本届开始日期（2022-01-01）" in response.content.decode()
    assert not Person.objects.exists()


def test_delegation_of_another_term_is_refused(client_for, staff_user, city_term, county_term):
    delegation = DelegationFactory(term=county_term, name="南关代表团")
    response = client_for(staff_user).post(reverse("deputies:person_create"),
                                           create_data(city_term, **{"m-delegation": delegation.pk}))
    assert "该代表团属于其他届次" in response.content.decode()
    assert not Person.objects.exists()


def test_county_staff_cannot_create_a_mandate_in_a_city_term(client_for, county_staff_user, city_term):
    response = client_for(county_staff_user).post(reverse("deputies:person_create"), create_data(city_term))
    assert response.status_code == 200
    assert response.context["mandate_form"].errors["term"]
    assert not Person.objects.exists()


@pytest.mark.smoke
def test_staff_edits_a_person(client_for, staff_user, municipal_mandate):
    person = municipal_mandate.person
    response = client_for(staff_user).post(reverse("deputies:person_edit", args=[person.pk]),
                                           edit_data(person, phone="13600001111", post="校长"))
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.phone, person.post) == ("13600001111", "校长")
    assert person.history.latest().history_user == staff_user


def test_edit_with_an_invalid_phone_writes_nothing(client_for, staff_user, municipal_mandate):
    person = municipal_mandate.person
    before = person.history.count()
    response = client_for(staff_user).post(reverse("deputies:person_edit", args=[person.pk]),
                                           edit_data(person, phone="12345"))
    assert response.status_code == 200
    assert response.context["form"].errors["phone"]
    person.refresh_from_db()
    assert person.phone != "12345"
    assert person.history.count() == before


def test_opening_the_edit_form_with_full_values_is_audited(client_for, staff_user, municipal_mandate):
    person = municipal_mandate.person
    response = client_for(staff_user).get(reverse("deputies:person_edit", args=[person.pk]))
    assert person.id_number in response.content.decode()
    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEW_PERSONAL_DATA)
    assert (event.user, event.object_id) == (staff_user, str(person.pk))


def test_staff_adds_a_mandate(client_for, staff_user, municipal_mandate, county_term):
    person = municipal_mandate.person
    response = client_for(staff_user).post(reverse("deputies:mandate_add", args=[person.pk]),
                                           {"term": county_term.pk, "start_date": "2022-02-01"})
    assert response.status_code == 302
    mandate = person.mandates.get(term=county_term)
    assert (mandate.level, mandate.jurisdiction) == (Level.COUNTY, county_term.jurisdiction)


def test_a_second_mandate_in_the_same_term_is_refused(client_for, staff_user, municipal_mandate, city_term):
    person = municipal_mandate.person
    response = client_for(staff_user).post(reverse("deputies:mandate_add", args=[person.pk]),
                                           {"term": city_term.pk, "start_date": "2022-02-01"})
    assert response.status_code == 200
    assert "张三丰 已是市第十六届代表" in response.content.decode()
    assert person.mandates.count() == 1


def test_staff_edits_a_mandate(client_for, staff_user, municipal_mandate, city):
    group = DeputyGroupFactory(jurisdiction=city, name="南湖代表小组")
    response = client_for(staff_user).post(reverse("deputies:mandate_edit", args=[municipal_mandate.pk]), {
        "term": municipal_mandate.term_id, "start_date": "2022-05-01", "group": group.pk})
    assert response.status_code == 302
    municipal_mandate.refresh_from_db()
    assert (municipal_mandate.start_date, municipal_mandate.group) == (datetime.date(2022, 5, 1), group)


@pytest.mark.smoke
def test_staff_ends_a_mandate_with_a_reason(client_for, staff_user, municipal_mandate):
    response = client_for(staff_user).post(reverse("deputies:mandate_end", args=[municipal_mandate.pk]),
                                           {"end_date": "2024-06-30", "end_reason": "resigned"})
    assert response.status_code == 302
    municipal_mandate.refresh_from_db()
    assert municipal_mandate.status == Mandate.Status.ENDED
    assert municipal_mandate.end_date == datetime.date(2024, 6, 30)
    assert municipal_mandate.end_reason == Mandate.EndReason.RESIGNED


def test_a_mandate_cannot_be_ended_twice(client_for, staff_user, municipal_mandate):
    client = client_for(staff_user)
    url = reverse("deputies:mandate_end", args=[municipal_mandate.pk])
    client.post(url, {"end_date": "2024-06-30", "end_reason": "resigned"})
    response = client.post(url, {"end_date": "2024-07-31", "end_reason": "deceased"})
    assert response.status_code == 200
    assert "该代表资格已终止" in response.content.decode()
    municipal_mandate.refresh_from_db()
    assert (municipal_mandate.end_date, municipal_mandate.end_reason) == (datetime.date(2024, 6, 30), "resigned")


def test_a_mandate_cannot_end_before_it_started(client_for, staff_user, municipal_mandate):
    response = client_for(staff_user).post(reverse("deputies:mandate_end", args=[municipal_mandate.pk]),
                                           {"end_date": "2021-06-30", "end_reason": "resigned"})
    assert response.status_code == 200
    assert response.context["form"].errors["end_date"]
    municipal_mandate.refresh_from_db()
    assert municipal_mandate.status == Mandate.Status.SERVING


def test_the_detail_page_offers_no_end_link_for_an_ended_mandate(client_for, staff_user, municipal_mandate):
    Mandate.objects.filter(pk=municipal_mandate.pk).update(status="ended", end_date="2024-01-01", end_reason="resigned")
    html = client_for(staff_user).get(reverse("deputies:person_detail", args=[municipal_mandate.person_id])
                                      ).content.decode()
    assert reverse("deputies:mandate_end", args=[municipal_mandate.pk]) not in html
    assert "辞职" in html


# --- masking and reveal ---------------------------------------------------------------------------------------

@pytest.fixture
def masked_person(city_term):
    person = PersonFactory(name="张三丰", id_number=make_id_number(datetime.date(1980, 1, 1), seq=123),
                           phone="13912345678")
    return MandateFactory(person=person, term=city_term).person


@pytest.mark.parametrize("role", ["staff_user", "supervisor_user", "member_user"])
def test_list_and_detail_mask_the_id_number_and_phone_for_every_role(request, client_for, masked_person, role):
    client = client_for(request.getfixturevalue(role))
    list_html = roster(client).content.decode()
    detail_html = client.get(reverse("deputies:person_detail", args=[masked_person.pk])).content.decode()
    masked_id = masked_person.id_number[:6] + "********" + masked_person.id_number[-4:]
    for html in (list_html, detail_html):
        assert masked_id in html
        assert "139****5678" in html
        assert masked_person.id_number not in html
        assert "13912345678" not in html
        assert masked_person.id_number[6:14] not in html  # the birth date part never leaks


def test_the_list_html_holds_no_unmasked_id_number(client_for, staff_user, city_term):
    people = [MandateFactory(term=city_term).person for _ in range(5)]
    html = roster(client_for(staff_user)).content.decode()
    assert not re.search(r"\d{17}[\dX]", html)
    assert not re.search(r"1\d{10}", html)
    assert all(p.masked_id_number in html for p in people)


def test_a_deputy_sees_their_own_record_masked(client_for, deputy_user):
    person = deputy_user.person
    html = client_for(deputy_user).get(reverse("deputies:person_detail", args=[person.pk])).content.decode()
    assert person.masked_id_number in html
    assert person.id_number not in html
    assert 'id="reveal"' not in html


@pytest.mark.smoke
def test_reveal_shows_the_full_values_and_is_audited(client_for, staff_user, masked_person):
    response = client_for(staff_user).post(reverse("deputies:person_reveal", args=[masked_person.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert masked_person.id_number in html
    assert "13912345678" in html
    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEW_PERSONAL_DATA)
    assert (event.user, event.object_type, event.object_id) == (staff_user, "deputies.Person", str(masked_person.pk))


def test_supervisor_cannot_reveal(client_for, supervisor_user, masked_person):
    response = client_for(supervisor_user).post(reverse("deputies:person_reveal", args=[masked_person.pk]))
    assert response.status_code == 403
    assert masked_person.id_number not in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_PERSONAL_DATA).exists()


def test_the_reveal_button_is_offered_only_with_the_permission(client_for, staff_user, supervisor_user,
                                                                masked_person):
    url = reverse("deputies:person_detail", args=[masked_person.pk])
    assert 'id="reveal"' in client_for(staff_user).get(url).content.decode()
    assert 'id="reveal"' not in client_for(supervisor_user).get(url).content.decode()


# --- search ---------------------------------------------------------------------------------------------------

@pytest.fixture
def search_cast(city_term):
    return {name: MandateFactory(term=city_term, person=PersonFactory(name=name)).person
            for name in ("张三丰", "张三", "李思思", "赵六一")}


@pytest.mark.parametrize(("q", "expected"), [
    ("三丰", {"张三丰"}),
    ("张三", {"张三丰", "张三"}),
    ("zsf", {"张三丰"}),
    ("ZSF", {"张三丰"}),
    ("zs", {"张三丰", "张三"}),
    ("zhangsanfeng", {"张三丰"}),
    ("zhangsan", {"张三丰", "张三"}),
    ("lisi", {"李思思"}),
    ("wangwu", set()),
])
def test_search_by_name_pinyin_and_initials(client_for, staff_user, search_cast, q, expected):
    assert set(listed(roster(client_for(staff_user), q=q))) == expected


@pytest.mark.smoke
def test_search_by_initials_finds_zhang_sanfeng(client_for, staff_user, search_cast):
    response = roster(client_for(staff_user), q="zsf")
    assert listed(response) == ["张三丰"]


def test_search_by_full_id_number(client_for, staff_user, search_cast):
    person = search_cast["李思思"]
    assert listed(roster(client_for(staff_user), q=person.id_number)) == ["李思思"]


# --- filters --------------------------------------------------------------------------------------------------

@pytest.fixture
def filter_cast(city, county, city_term, county_term):
    township = JurisdictionFactory(name="南岭街道", code="220102001", kind=Jurisdiction.Kind.TOWNSHIP, parent=county)
    township_term = TermFactory(jurisdiction=township, level=Level.TOWNSHIP, number=18, name="南岭第十八届")
    delegation = DelegationFactory(term=city_term, name="南关代表团")
    group = DeputyGroupFactory(jurisdiction=city, name="教育代表小组")
    return {
        "a": MandateFactory(term=city_term, delegation=delegation, group=group, person=PersonFactory(
            name="甲一", gender="female", party="cdl", ethnicity="满族", sector="教育界")),
        "b": MandateFactory(term=city_term, person=PersonFactory(name="乙二", gender="male", sector="工商界")),
        "c": MandateFactory(term=county_term, person=PersonFactory(name="丙三", gender="male", ethnicity="朝鲜族")),
        "d": MandateFactory(term=township_term, status=Mandate.Status.ENDED, end_date=datetime.date(2024, 1, 1),
                            end_reason="resigned", person=PersonFactory(name="丁四", gender="female")),
        "township": township, "township_term": township_term, "delegation": delegation, "group": group,
    }


@pytest.mark.parametrize(("params", "expected"), [
    (lambda c: {"level": "municipal"}, {"甲一", "乙二"}),
    (lambda c: {"level": "township"}, {"丁四"}),
    (lambda c: {"term": c["c"].term_id}, {"丙三"}),
    (lambda c: {"jurisdiction": c["c"].jurisdiction_id}, {"丙三", "丁四"}),  # the county and its township
    (lambda c: {"jurisdiction": c["township"].pk}, {"丁四"}),
    (lambda c: {"delegation": c["delegation"].pk}, {"甲一"}),
    (lambda c: {"group": c["group"].pk}, {"甲一"}),
    (lambda c: {"party": "cdl"}, {"甲一"}),
    (lambda c: {"gender": "female"}, {"甲一", "丁四"}),
    (lambda c: {"ethnicity": "朝鲜族"}, {"丙三"}),
    (lambda c: {"sector": "教育"}, {"甲一"}),
    (lambda c: {"status": "ended"}, {"丁四"}),
    (lambda c: {"status": "serving", "gender": "male"}, {"乙二", "丙三"}),
], ids=["level", "level-township", "term", "jurisdiction-with-descendants", "jurisdiction-leaf", "delegation",
        "group", "party", "gender", "ethnicity", "sector", "status", "combined"])
def test_each_filter_narrows_the_roster(client_for, staff_user, filter_cast, params, expected):
    assert set(listed(roster(client_for(staff_user), **params(filter_cast)))) == expected


def test_no_filter_lists_every_mandate_in_scope(client_for, staff_user, filter_cast):
    assert set(listed(roster(client_for(staff_user)))) == {"甲一", "乙二", "丙三", "丁四"}


@pytest.mark.parametrize("field", ["term", "jurisdiction", "delegation", "group"])
def test_filter_values_outside_the_users_scope_leak_nothing(client_for, county_staff_user, filter_cast,
                                                            other_county_mandate, field):
    city_values = {"term": filter_cast["a"].term_id, "jurisdiction": filter_cast["a"].jurisdiction_id,
                   "delegation": filter_cast["delegation"].pk, "group": filter_cast["group"].pk}
    response = roster(client_for(county_staff_user), **{field: city_values[field]})
    assert response.status_code == 200
    assert set(listed(response)) == {"丙三", "丁四"}  # the value is ignored, the scope stays
    assert response.context["filter"].errors[field]
    option_texts = set(re.findall(r"<option[^>]*>([^<]*)</option>", response.content.decode()))
    assert not option_texts & {"市第十六届", "南关代表团", "教育代表小组", "朝阳区", "朝阳区第十九届", "长春市"}


def test_county_staff_filter_options_hold_only_their_scope(client_for, county_staff_user, filter_cast,
                                                           other_county_mandate):
    options = roster(client_for(county_staff_user)).context["options"]
    assert [name for _pk, name in options["term"]] == ["南关区第十九届", "南岭第十八届"]
    assert [name for _pk, name in options["jurisdiction"]] == ["南关区", "南岭街道"]
    assert options["delegation"] == [] and options["group"] == []


# --- sorting and pagination -----------------------------------------------------------------------------------

def test_the_roster_is_sorted_by_pinyin_by_default(client_for, staff_user, filter_cast):
    # 丙三 bingsan, 丁四 dingsi, 甲一 jiayi, 乙二 yier
    assert listed(roster(client_for(staff_user))) == ["丙三", "丁四", "甲一", "乙二"]


@pytest.mark.parametrize(("sort", "expected"), [
    ("-name", ["乙二", "甲一", "丁四", "丙三"]),
    ("level", ["甲一", "乙二", "丙三", "丁四"]),
])
def test_the_roster_sorts(client_for, staff_user, filter_cast, sort, expected):
    assert listed(roster(client_for(staff_user), sort=sort)) == expected


def test_sorting_by_birth_date(client_for, staff_user, city_term):
    for name, year in (("中年", 1970), ("青年", 1990), ("老年", 1950)):
        MandateFactory(term=city_term, person=PersonFactory(
            name=name, id_number=make_id_number(datetime.date(year, 5, 5), seq=year % 1000)))
    client = client_for(staff_user)
    assert listed(roster(client, sort="birth")) == ["老年", "中年", "青年"]
    assert listed(roster(client, sort="-birth")) == ["青年", "中年", "老年"]


def test_sorting_survives_an_invalid_filter_value(client_for, staff_user, filter_cast):
    response = roster(client_for(staff_user), sort="-name", term=999999)
    assert listed(response) == ["乙二", "甲一", "丁四", "丙三"]


def test_the_roster_paginates_and_keeps_the_filters(client_for, staff_user, city_term, settings):
    settings.ROSTER_PAGE_SIZE = 5
    for _ in range(12):
        MandateFactory(term=city_term, person=PersonFactory(gender="female"))
    client = client_for(staff_user)
    first = roster(client, gender="female")
    third = roster(client, gender="female", page=3)
    assert len(listed(first)) == 5 and len(listed(third)) == 2
    assert first.context["page"].paginator.count == 12
    assert "?gender=female&page=2" in first.content.decode()
    assert not set(listed(first)) & set(listed(third))


# --- query count and htmx ------------------------------------------------------------------------------------

def _roster_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = roster(client)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _make_mandates(n, city, city_term):
    delegation = DelegationFactory(term=city_term)
    group = DeputyGroupFactory(jurisdiction=city)
    for _ in range(n):
        MandateFactory(term=city_term, delegation=delegation, group=group)


@pytest.mark.smoke
def test_the_roster_list_query_count_is_small_and_constant(client_for, staff_user, city, city_term,
                                                           django_assert_max_num_queries):
    from django.core.cache import cache

    client = client_for(staff_user)
    _make_mandates(3, city, city_term)
    roster(client)  # a first request settles the session
    cache.clear()  # measure requests that find no cached fragment: the worst case
    few = _roster_queries(client)
    _make_mandates(57, city, city_term)
    cache.clear()
    with django_assert_max_num_queries(10):
        many = _roster_queries(client)
    assert few == many
    warm = _roster_queries(client)  # the data did not change: the table comes from the cache
    assert warm < many
    response = roster(client)
    assert len(listed(response)) == 50


def test_a_cached_roster_list_shows_a_change_committed_after_it_was_cached(client_for, staff_user,
                                                                          municipal_mandate):
    from apps.core.selectors import data_version
    from apps.deputies import services

    client = client_for(staff_user)
    assert ">张三丰</a>" in roster(client).content.decode()
    before = data_version("roster")
    services.person_update(person=municipal_mandate.person, data={"name": "张三峰"})
    assert data_version("roster") > before  # the database trigger bumped the version
    html = roster(client).content.decode()
    assert ">张三峰</a>" in html
    assert ">张三丰</a>" not in html


def test_a_warm_roster_page_builds_neither_filters_nor_rows(client_for, staff_user, municipal_mandate,
                                                           monkeypatch):
    """The busiest page: once cached, a request for the same data, scope, language and query renders the cached
    body; the filters, the options and the rows are not built at all."""
    from apps.deputies import views

    client = client_for(staff_user)
    first = roster(client, q="zsf").content.decode()

    def not_built(*args, **kwargs):
        raise AssertionError("built on a warm request")

    monkeypatch.setattr(views, "_roster_filter", not_built)
    monkeypatch.setattr(views.selectors, "filter_options", not_built)
    monkeypatch.setattr(views.selectors, "roster_rows", not_built)
    again = roster(client, q="zsf")
    assert again.status_code == 200
    body = again.content.decode()
    assert body.count("张三丰") == first.count("张三丰") >= 1
    assert 'id="roster-filter"' in body and 'value="zsf"' in body


def test_a_warm_roster_page_costs_three_queries(client_for, staff_user, municipal_mandate):
    """The user with their jurisdiction, roles and permissions (one query), the roster's data version, the
    unread count: nothing else on a warm request."""
    client = client_for(staff_user)
    roster(client)
    assert _roster_queries(client) == 3


def test_the_cached_roster_page_offers_each_user_only_their_own_buttons(client_for, staff_user, supervisor_user,
                                                                       municipal_mandate):
    """Staff and the supervisor share a scope and a query; the cached body still shows the add, import and
    export buttons only to the one who may use them."""
    add = reverse("deputies:person_create")
    assert f'href="{add}"' in roster(client_for(staff_user)).content.decode()
    assert f'href="{add}"' not in roster(client_for(supervisor_user)).content.decode()
    assert f'href="{add}"' in roster(client_for(staff_user)).content.decode()


def test_the_filtered_roster_query_count_stays_within_ten(client_for, staff_user, filter_cast,
                                                          django_assert_max_num_queries):
    client = client_for(staff_user)
    roster(client)
    with django_assert_max_num_queries(10):
        roster(client, q="zsf", level="municipal", term=filter_cast["a"].term_id,
               jurisdiction=filter_cast["a"].jurisdiction_id, delegation=filter_cast["delegation"].pk,
               group=filter_cast["group"].pk, party="cpc", gender="male", ethnicity="汉族", sector="教育",
               status="serving", sort="-birth", page=2)


def test_an_htmx_request_gets_only_the_table(client_for, staff_user, municipal_mandate):
    response = client_for(staff_user).get(reverse("deputies:roster_list"), {"q": "zsf"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "<nav class=\"navbar" not in html and 'id="roster-filter"' not in html
    assert "table-roster" in html
    assert "张三丰" in html


def test_a_full_request_gets_the_page_with_filters(client_for, staff_user, municipal_mandate):
    html = roster(client_for(staff_user)).content.decode()
    assert "<html" in html and 'id="roster-filter"' in html and 'id="roster-table"' in html


# --- history --------------------------------------------------------------------------------------------------

def test_history_shows_who_changed_what_with_masked_values(client_for, staff_user, supervisor_user,
                                                           municipal_mandate):
    person = municipal_mandate.person
    old_phone = person.phone
    staff = client_for(staff_user)
    staff.post(reverse("deputies:person_edit", args=[person.pk]), edit_data(person, phone="13600001111"))
    staff.post(reverse("deputies:mandate_end", args=[municipal_mandate.pk]),
               {"end_date": "2024-06-30", "end_reason": "resigned"})
    response = client_for(supervisor_user).get(reverse("deputies:person_history", args=[person.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert str(staff_user) in html
    assert "136****1111" in html and "13600001111" not in html
    assert old_phone[:3] + "****" + old_phone[-4:] in html and old_phone not in html
    entries = response.context["entries"]
    assert entries[0]["kind"] == "代表资格"
    assert {(c["field"], c["old"], c["new"]) for c in entries[0]["changes"]} == {
        ("状态", "在任", "终止"), ("终止原因", "", "辞职"), ("终止日期", None, datetime.date(2024, 6, 30))}
    assert "2024年6月30日" in html
    assert any(c["field"] == "电话" for e in entries for c in e["changes"])


def test_member_cannot_open_the_history(client_for, member_user, municipal_mandate):
    response = client_for(member_user).get(reverse("deputies:person_history", args=[municipal_mandate.person_id]))
    assert response.status_code == 403


# --- dates in Chinese -----------------------------------------------------------------------------------------

@time_machine.travel(datetime.datetime(2026, 11, 26, 10, 0, tzinfo=TZ), tick=False)
def test_dates_render_in_chinese(client_for, staff_user, city_term):
    mandate = MandateFactory(term=city_term, start_date=datetime.date(2026, 11, 26), person=PersonFactory(
        name="孙八", id_number=make_id_number(datetime.date(1980, 2, 3), seq=7)))
    html = client_for(staff_user).get(reverse("deputies:person_detail", args=[mandate.person_id])).content.decode()
    assert "1980年2月3日" in html
    assert "2026年11月26日" in html


@time_machine.travel(datetime.datetime(2026, 11, 26, 10, 0, tzinfo=TZ), tick=False)
def test_the_end_form_defaults_to_today(client_for, staff_user, municipal_mandate):
    response = client_for(staff_user).get(reverse("deputies:mandate_end", args=[municipal_mandate.pk]))
    assert 'value="2026-11-26"' in response.content.decode()


def test_history_names_related_records_instead_of_ids(client_for, staff_user, municipal_mandate, city):
    group = DeputyGroupFactory(jurisdiction=city, name="南湖代表小组")
    client = client_for(staff_user)
    client.post(reverse("deputies:mandate_edit", args=[municipal_mandate.pk]), {
        "term": municipal_mandate.term_id, "start_date": "2022-01-01", "group": group.pk})
    response = client.get(reverse("deputies:person_history", args=[municipal_mandate.person_id]))
    assert {(c["field"], c["old"], c["new"]) for c in response.context["entries"][0]["changes"]} == {
        ("代表小组", None, "南湖代表小组")}


def test_county_staff_see_a_persons_municipal_mandate_but_no_link_to_edit_it(client_for, county_staff_user,
                                                                            municipal_mandate, county_term):
    county = MandateFactory(person=municipal_mandate.person, term=county_term)
    html = client_for(county_staff_user).get(reverse("deputies:person_detail", args=[county.person_id])
                                             ).content.decode()
    assert "市第十六届" in html
    assert reverse("deputies:mandate_edit", args=[county.pk]) in html
    assert reverse("deputies:mandate_end", args=[county.pk]) in html
    assert reverse("deputies:mandate_edit", args=[municipal_mandate.pk]) not in html
    assert reverse("deputies:mandate_end", args=[municipal_mandate.pk]) not in html


def test_city_staff_may_edit_every_mandate_in_the_city(client_for, staff_user, municipal_mandate, county_term):
    county = MandateFactory(person=municipal_mandate.person, term=county_term)
    html = client_for(staff_user).get(reverse("deputies:person_detail", args=[county.person_id])).content.decode()
    assert reverse("deputies:mandate_edit", args=[county.pk]) in html
    assert reverse("deputies:mandate_edit", args=[municipal_mandate.pk]) in html


def test_photo_is_served_to_those_who_see_the_person_and_is_404_without_one(
        client_for, staff_user, municipal_mandate, settings, tmp_path):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    url = reverse("deputies:person_photo", args=[municipal_mandate.person_id])
    assert client_for(staff_user).get(url).status_code == 404
    person = municipal_mandate.person
    person.photo.save("a.png", ContentFile(b"\x89PNG\r\n\x1a\nfake"), save=True)
    response = client_for(staff_user).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert "private" in response["Cache-Control"]


def test_staff_can_clear_a_photo(client_for, staff_user, municipal_mandate, settings, tmp_path):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    person = municipal_mandate.person
    person.photo.save("a.png", ContentFile(b"x"), save=True)
    client = client_for(staff_user)
    form = client.get(reverse("deputies:person_edit", args=[person.pk])).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "photo"}
    data.update({"birth_date": person.birth_date.isoformat(), "photo-clear": "on"})
    response = client.post(reverse("deputies:person_edit", args=[person.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    person.refresh_from_db()
    assert not person.photo


def test_history_page_reads_related_names_in_bulk_not_per_change(client_for, supervisor_user, municipal_mandate,
                                                                 city, city_term):
    from apps.deputies import services

    client = client_for(supervisor_user)
    client.get(reverse("deputies:person_history", args=[municipal_mandate.person_id]))  # settles the session

    def history_queries():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("deputies:person_history", args=[municipal_mandate.person_id]))
        assert response.status_code == 200
        return len(ctx.captured_queries), response

    services.mandate_update(mandate=municipal_mandate, data={
        "group": DeputyGroupFactory(jurisdiction=city), "delegation": DelegationFactory(term=city_term)})
    few, _ = history_queries()
    for _ in range(6):
        services.mandate_update(mandate=municipal_mandate, data={
            "group": DeputyGroupFactory(jurisdiction=city), "delegation": DelegationFactory(term=city_term)})
    many, response = history_queries()
    assert many == few
    assert many <= 12
    group = municipal_mandate.__class__.objects.get(pk=municipal_mandate.pk).group
    assert any(c["new"] == group.name for e in response.context["entries"] for c in e["changes"])
