"""The header's search box (issue 16): /search/?q= and its drop-down /search/suggest/?q=.

Each kind is scoped as its list page scopes it, shows its count, and links to that list filtered by the query,
whose length equals the count; the page costs one query a kind plus the session and the user; bad input is
answered, never a 500."""

from urllib.parse import quote

import pytest
from django.urls import reverse

from apps.core import roles
from apps.core.registry import search_providers
from apps.proposals.models import Proposal
from tests.activities.staff_support import make_activity
from tests.factories import HandlingUnitFactory, MandateFactory, PersonFactory, UserFactory
from tests.proposals.factories import AssignmentFactory, SuggestionFactory

SEARCH = reverse("core:search")
SUGGEST = reverse("core:search_suggest")


def _search(client, q):
    return client.get(f"{SEARCH}?q={quote(q)}")


def _groups(response):
    return {g.key: g for g in response.context["groups"]}


def _list_length(client, url) -> int:
    response = client.get(url)
    assert response.status_code == 200
    return response.context["page"].paginator.count


@pytest.fixture
def records(city, county, other_county, municipal_mandate, county_mandate, other_county_mandate):
    """The city's people (张三丰 and 张无忌), a county's 李四, the other county's 王五; a suggestion of 张三丰's and
    one of another deputy's, both on 供热; activities of the city and the county; units of the city and the
    other county."""
    MandateFactory(term=municipal_mandate.term, person=PersonFactory(name="张无忌"))
    mine = SuggestionFactory(mandate=municipal_mandate, state=Proposal.State.SUBMITTED, title="关于冬季供热保障的建议",
                             number=12)
    other = SuggestionFactory(mandate=MandateFactory(term=municipal_mandate.term, person=PersonFactory(name="赵敏")),
                              state=Proposal.State.SUBMITTED, title="关于供热管网改造的建议", number=13)
    make_activity(city, title="视察城市供热")
    make_activity(county, title="调研社区供热", level="county")
    unit = HandlingUnitFactory(name="市供热管理局", jurisdiction=city)
    HandlingUnitFactory(name="朝阳区供热办", jurisdiction=other_county)
    return {"mine": mine, "other": other, "unit": unit}


# --- access ------------------------------------------------------------------------------------------------

def test_anonymous_users_are_sent_to_the_login_page(client, db):
    for url in (SEARCH, SUGGEST):
        response = client.get(f"{url}?q=zs")
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_a_user_without_a_role_is_refused(client_for, outsider):
    assert client_for(outsider).get(f"{SEARCH}?q=zs").status_code == 403
    assert client_for(outsider).get(f"{SUGGEST}?q=zs").status_code == 403


@pytest.mark.parametrize(("role", "kinds"), [
    ("staff_user", {"people", "proposals", "activities", "units"}),
    ("supervisor_user", {"people", "proposals", "activities", "units"}),
    ("member_user", {"people"}),
    ("deputy_user", {"proposals"}),
    ("unit_user", {"proposals"}),
    ("sysadmin_user", set()),
    ("auditor_user", set()),
])
def test_each_role_searches_the_kinds_its_list_pages_show(request, client_for, records, role, kinds):
    response = _search(client_for(request.getfixturevalue(role)), "供热")
    assert response.status_code == 200
    assert set(_groups(response)) == kinds
    if not kinds:
        assert "search-none" in response.content.decode()


# --- what is found, grouped and counted --------------------------------------------------------------------

@pytest.mark.parametrize("q", ["张", "zh", "zhang", "ZSF", "张三"])
def test_staff_find_people_by_name_pinyin_or_initials(client_for, staff_user, records, q):
    people = _groups(_search(client_for(staff_user), q))["people"]
    assert "张三丰" in [hit.label for hit in people.hits]
    assert people.count == len(people.hits)


def test_every_kind_shows_its_count_and_links_to_its_list_filtered_by_the_query(client_for, staff_user, records):
    client = client_for(staff_user)
    response = _search(client, "供热")
    groups = _groups(response)
    # the city's two items, its own and the county's activity, its unit and the other county's (below it)
    assert {key: g.count for key, g in groups.items()} == {"people": 0, "proposals": 2, "activities": 2,
                                                          "units": 2}
    page = response.content.decode()
    for key, group in groups.items():
        assert f'id="search-count-{key}"' in page
        assert "q=%E4%BE%9B%E7%83%AD" in group.list_url
        assert _list_length(client, group.list_url) == group.count
        for hit in group.hits:
            assert hit.url in page
    assert sorted(hit.label for hit in groups["units"].hits) == ["市供热管理局", "朝阳区供热办"]


def test_the_people_count_equals_the_roster_list_filtered_by_the_query(client_for, staff_user, records):
    client = client_for(staff_user)
    people = _groups(_search(client, "zhang"))["people"]
    assert people.count == 2
    assert _list_length(client, people.list_url) == 2


def test_a_number_finds_the_item(client_for, staff_user, records):
    for q in ("12", "0012", "第0012号"):
        proposals = _groups(_search(client_for(staff_user), q))["proposals"]
        assert [hit.label for hit in proposals.hits] == ["关于冬季供热保障的建议"], q


# --- scoping -----------------------------------------------------------------------------------------------

def test_a_county_user_never_finds_another_countys_people(client_for, county_staff_user, records):
    client = client_for(county_staff_user)
    assert _groups(_search(client, "王五"))["people"].count == 0
    assert _groups(_search(client, "ww"))["people"].count == 0
    assert [hit.label for hit in _groups(_search(client, "李四"))["people"].hits] == ["李四"]


def test_a_county_user_finds_only_its_activities_and_units(client_for, county_staff_user, records):
    groups = _groups(_search(client_for(county_staff_user), "供热"))
    assert [hit.label for hit in groups["activities"].hits] == ["调研社区供热"]
    assert groups["units"].count == 0  # the city's and the other county's units are not the county's
    assert groups["proposals"].count == 0


def test_a_deputy_never_finds_others_suggestions(client_for, deputy_user, records):
    client = client_for(deputy_user)
    proposals = _groups(_search(client, "供热"))["proposals"]
    assert [hit.label for hit in proposals.hits] == ["关于冬季供热保障的建议"]
    assert proposals.hits[0].url == reverse("proposals:my_proposal_detail", args=[records["mine"].pk])
    assert _list_length(client, proposals.list_url) == proposals.count == 1
    assert _groups(_search(client, "13"))["proposals"].count == 0


def test_a_unit_finds_only_its_items(client_for, unit_user, records):
    assignment = AssignmentFactory(unit=unit_user.handling_unit, proposal__title="关于供热补贴的建议")
    AssignmentFactory(proposal__title="关于供热价格的建议")  # another unit's
    client = client_for(unit_user)
    proposals = _groups(_search(client, "供热"))["proposals"]
    assert [hit.url for hit in proposals.hits] == [reverse("proposals:unit_assignment", args=[assignment.pk])]
    assert _list_length(client, proposals.list_url) == proposals.count == 1


# --- cost --------------------------------------------------------------------------------------------------

def test_the_page_costs_one_query_a_kind_and_the_session_user_and_data_versions(client_for, staff_user, records,
                                                                                django_assert_max_num_queries):
    client = client_for(staff_user)
    _search(client, "供热")  # warm: content types, the cached menu
    kinds = len(search_providers())
    assert kinds == 4
    with django_assert_max_num_queries(kinds + 3):
        response = _search(client, "zh")
    assert response.status_code == 200


def test_the_cost_does_not_grow_with_the_matches(client_for, staff_user, records, city_term,
                                                 django_assert_max_num_queries):
    for i in range(15):
        MandateFactory(term=city_term, person=PersonFactory(name=f"张{i}号"))
    client = client_for(staff_user)
    _search(client, "张")
    with django_assert_max_num_queries(len(search_providers()) + 3):
        people = _groups(_search(client, "张"))["people"]
    assert people.count == 17
    assert len(people.hits) == 10


def test_a_query_typed_again_costs_only_the_session_the_user_and_the_data_versions(client_for, staff_user, records,
                                                                                   django_assert_max_num_queries):
    client = client_for(staff_user)
    def results(response):
        page = response.content.decode()
        return page[page.index('id="search-summary"'):page.index("</main>")]

    first = results(_search(client, "供热"))
    with django_assert_max_num_queries(3):
        again = results(_search(client, "供热"))
    assert again == first and "市供热管理局" in again


@pytest.mark.parametrize("kind", ["people", "proposals", "activities", "units"])
def test_a_record_written_between_two_searches_shows_at_once(client_for, staff_user, records, city, kind,
                                                            municipal_mandate):
    """The kept results are keyed by the data versions of what each kind reads: a write is found at once, never
    some seconds later (each count always equals its list)."""
    client = client_for(staff_user)
    before = _groups(_search(client, "供热"))
    before_count = before[kind].count if kind in before else 0
    if kind == "people":
        MandateFactory(term=municipal_mandate.term, person=PersonFactory(name="供热明"))
    elif kind == "proposals":
        SuggestionFactory(mandate=municipal_mandate, state=Proposal.State.SUBMITTED, title="再谈供热", number=14)
    elif kind == "activities":
        make_activity(city, title="供热回访")
    else:
        HandlingUnitFactory(name="市供热集团", jurisdiction=city)
    after = _groups(_search(client, "供热"))[kind]
    assert after.count == before_count + 1
    assert _list_length(client, after.list_url) == after.count


def test_one_users_results_are_never_served_to_another(client_for, staff_user, county_staff_user, records):
    assert _groups(_search(client_for(staff_user), "供热"))["activities"].count == 2
    page = _search(client_for(county_staff_user), "供热")
    assert _groups(page)["activities"].count == 1
    assert "视察城市供热" not in page.content.decode()


# --- bad input ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("q", ["\x00", "张\x00三", "a" * 1000, "   ", "\u3000", "%", "_", "'; DROP TABLE x; --",
                               "<script>alert(1)</script>", "张s", "zhang 三"])
def test_bad_or_odd_input_is_answered_never_a_500(client_for, staff_user, records, q):
    client = client_for(staff_user)
    for url in (SEARCH, SUGGEST):
        response = client.get(f"{url}?q={quote(q)}")
        # NUL is refused for every page by the request hardening, with a 400 (tests/security/test_nul_characters)
        assert response.status_code == (400 if "\x00" in q else 200)
        assert b"<script>alert(1)" not in response.content


def test_a_query_of_only_spaces_asks_for_words_and_queries_nothing(client_for, staff_user, records,
                                                                    django_assert_max_num_queries):
    client = client_for(staff_user)
    client.get(SEARCH)
    with django_assert_max_num_queries(2):
        response = _search(client, "    ")
    assert "search-empty" in response.content.decode()
    assert response.context["groups"] == []


def test_a_too_long_query_is_cut_with_a_clear_message(client_for, staff_user, records):
    response = _search(client_for(staff_user), "张" * 1000)
    assert len(response.context["q"]) == 50
    assert "查询内容过长" in response.content.decode()


def test_percent_and_underscore_are_no_wildcards(client_for, staff_user, records):
    groups = _groups(_search(client_for(staff_user), "%"))
    assert all(g.count == 0 for g in groups.values())


# --- the header's box and its drop-down --------------------------------------------------------------------

def test_the_header_carries_an_accessible_search_box_without_inline_script(client_for, staff_user):
    page = client_for(staff_user).get(reverse("core:home")).content.decode()
    assert 'role="search"' in page and f'action="{SEARCH}"' in page
    assert 'role="combobox"' in page and 'aria-controls="nav-search-list"' in page
    assert 'role="listbox"' in page and "js/search.js" in page
    assert "<script>" not in page


def test_the_header_has_no_search_box_for_a_user_without_a_role(client_for, outsider):
    page = client_for(outsider).get(reverse("core:home")).content.decode()
    assert "nav-search" not in page


def test_the_drop_down_lists_options_that_open_the_records_and_all_results(client_for, staff_user, records):
    page = client_for(staff_user).get(f"{SUGGEST}?q={quote('张三')}").content.decode()
    person = records["mine"].signatures.get().person
    assert f'data-href="{reverse("deputies:person_detail", args=[person.pk])}"' in page
    assert page.count('role="option"') == 3  # 张三丰, the suggestion he signed, and all results
    assert page.index("张三丰") < page.index("关于冬季供热保障的建议")  # grouped by kind, people first
    assert f'data-href="{SEARCH}?q=%E5%BC%A0%E4%B8%89"' in page


def test_the_drop_down_is_empty_for_an_empty_query(client_for, staff_user):
    assert client_for(staff_user).get(f"{SUGGEST}?q=").content.decode().strip() == ""


def test_every_role_holding_account_sees_the_page(client_for, city):
    user = UserFactory(username="two_roles", roles=[roles.STAFF, roles.DEPUTY], jurisdiction=city)
    assert _search(client_for(user), "zs").status_code == 200
