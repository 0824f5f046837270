"""The suggested assignment (智能交办): the lead units the assign form suggests, their reasons, their scope, the
page's queries, and the bench's held-out evaluation on small data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.proposals.models import Assignment, Proposal
from apps.proposals.selectors import assign_suggest
from apps.proposals.selectors.assign_suggest import PastItem, bigrams, build_model, evaluate, rank_units
from tests.factories import HandlingUnitFactory
from tests.proposals.factories import AssignmentFactory, SuggestionFactory, category
from tests.proposals.office_support import url

S = Proposal.State
HEATING = ("关于加强冬季供热保障的建议", "部分小区冬季室温长期不达标，供热管网跑冒滴漏时有发生。建议加快老旧供热管网改造。")
PARKING = ("关于解决居民停车难问题的建议", "居民区停车位严重不足，车辆占道停放。建议建设公共停车场，推行错时共享停车。")
SCHOOLS = ("关于增加公办幼儿园学位的建议", "公办幼儿园学位紧张，入园难问题突出。建议新建改扩建一批公办幼儿园。")


def item(pk, text, unit, category_id=1, year=2025):
    title, content = text
    return PastItem(pk=pk, title=title, text=content, category_id=category_id, unit_id=unit, year=year)


# --- the method, on plain data ----------------------------------------------------------------------------------

def test_bigrams_are_read_within_runs_of_letters_and_digits():
    assert bigrams("供热，5G网络") == {"供热": 1, "5g": 1, "g网": 1, "网络": 1}
    assert bigrams("") == {}


def test_the_unit_of_near_duplicate_past_items_ranks_first_whatever_the_category_prefers():
    # The category (1) mostly went to unit 20; the heating items went to unit 10.
    past = [item(1, HEATING, 10), item(2, HEATING, 10), item(3, PARKING, 20), item(4, PARKING, 20),
            item(5, PARKING, 20), item(6, SCHOOLS, 30, category_id=2)]
    model = build_model(past)
    ranked = rank_units(model, "关于提高冬季供暖质量、解决室温不达标的建议", "入冬以来暖气不热，供热管网老化。", 1)
    assert [r.unit_id for r in ranked][:2] == [10, 20]
    assert {model.pks[index] for index, _s in ranked[0].neighbours} == {1, 2}
    assert ranked[0].score > ranked[1].score


def test_with_nothing_alike_the_categorys_usual_units_are_suggested():
    model = build_model([item(1, HEATING, 10), item(2, PARKING, 20), item(3, PARKING, 20),
                         item(4, SCHOOLS, 30, category_id=2)])
    ranked = rank_units(model, "关于某某事项的建议", "无关内容", 1)
    assert [r.unit_id for r in ranked] == [20, 10]
    assert ranked[0].category_count == 2 and not ranked[0].neighbours


def test_the_evaluation_counts_hits_among_the_first_and_the_three_and_the_categorys_baseline():
    train = [item(1, HEATING, 10), item(2, HEATING, 10), item(3, PARKING, 20), item(4, PARKING, 20),
             item(5, PARKING, 20), item(6, SCHOOLS, 30), item(7, SCHOOLS, 40), item(8, SCHOOLS, 40),
             item(9, SCHOOLS, 50)]
    # Category 1's three usual units are 40, 20 and 10 (tie at 2 broken by the smaller id): 50 is not among them.
    test = [item(11, HEATING, 10, year=2026), item(12, SCHOOLS, 50, year=2026), item(13, PARKING, 30, year=2026)]
    result = evaluate(train, test)
    assert (result.trained, result.tested) == (9, 3)
    assert result.top1 == pytest.approx(1 / 3)          # only the heating item's unit comes first
    assert result.top3 == pytest.approx(2 / 3)          # the schools item's unit 50 is among the three
    assert result.baseline_top3 == pytest.approx(1 / 3)  # 10 is a usual unit of the category; 50 and 30 are not


# --- on the item's page ------------------------------------------------------------------------------------------

def past_item(mandate, unit, text, *, number, state=S.CLOSED, cat="城建", year=2025, assignment_state=None):
    title, content = text
    proposal = SuggestionFactory(mandate=mandate, state=state, number=number, year=year, title=title,
                                 content=content, category=category(cat))
    AssignmentFactory(proposal=proposal, unit=unit, state=assignment_state or Assignment.State.ACCEPTED)
    return proposal


@pytest.fixture
def units(city):
    return {name: HandlingUnitFactory(jurisdiction=city, name=name)
            for name in ("市供热（集团）有限公司", "市城市管理局", "市教育局", "市住房和城乡建设局")}


@pytest.fixture
def registered(municipal_mandate):
    return SuggestionFactory(mandate=municipal_mandate, state=S.REGISTERED, number=40, category=category("城建"),
                             title="关于提高冬季供暖质量的建议", content="入冬以来不少居民家中暖气不热，供热管网老化。")


def test_the_assign_form_suggests_the_unit_of_similar_past_items_with_them_as_its_reason(
        client_for, staff_user, municipal_mandate, units, registered):
    heating = [past_item(municipal_mandate, units["市供热（集团）有限公司"], HEATING, number=n) for n in (1, 2)]
    for n in (3, 4, 5):
        past_item(municipal_mandate, units["市城市管理局"], PARKING, number=n)
    # A unit that returned its item is not what staff finally chose: it is no precedent.
    past_item(municipal_mandate, units["市住房和城乡建设局"], HEATING, number=6,
              assignment_state=Assignment.State.RETURNED)
    response = client_for(staff_user).get(url("proposal_detail", registered.pk))
    assert response.status_code == 200
    suggestions = response.context["unit_suggestions"]
    first = suggestions[0]
    assert first.unit_id == units["市供热（集团）有限公司"].pk
    assert {p.pk for p in first.precedents} == {p.pk for p in heating}
    assert units["市住房和城乡建设局"].pk not in [s.unit_id for s in suggestions]
    html = response.content.decode()
    assert 'id="assign-suggestions"' in html
    assert f'data-choose-unit="{first.unit_id}"' in html and 'data-target="assign-lead_unit"' in html
    assert "第0001号" in html and HEATING[0] in html
    assert "市城市管理局" in html  # the category's usual unit comes next


def test_the_suggestions_cost_the_same_queries_however_many_past_items(client_for, staff_user, municipal_mandate,
                                                                       units, registered):
    client = client_for(staff_user)
    page = url("proposal_detail", registered.pk)
    past_item(municipal_mandate, units["市供热（集团）有限公司"], HEATING, number=1)
    client.get(page)  # warm: templates, translations, the model of this version

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page).status_code == 200
        return len(captured.captured_queries)

    few = queries()
    for n in range(2, 12):
        past_item(municipal_mandate, units["市城市管理局" if n % 2 else "市教育局"], PARKING if n % 2 else SCHOOLS,
                  number=n)
    client.get(page)  # the data changed: the model is built again, once
    assert queries() == few


def test_a_changed_assignment_is_learnt_at_once(client_for, staff_user, municipal_mandate, units, registered):
    client = client_for(staff_user)
    page = url("proposal_detail", registered.pk)
    first = past_item(municipal_mandate, units["市城市管理局"], HEATING, number=1)
    assert client.get(page).context["unit_suggestions"][0].unit_id == units["市城市管理局"].pk
    Assignment.objects.filter(proposal=first).update(state=Assignment.State.CANCELLED)
    AssignmentFactory(proposal=first, unit=units["市供热（集团）有限公司"], state=Assignment.State.ACCEPTED)
    assert client.get(page).context["unit_suggestions"][0].unit_id == units["市供热（集团）有限公司"].pk


def test_a_county_staff_sees_no_city_item_or_unit_in_the_suggestions(client_for, county_staff_user, county,
                                                                    county_mandate, municipal_mandate, units):
    city_items = [past_item(municipal_mandate, units["市供热（集团）有限公司"], HEATING, number=n) for n in (1, 2)]
    county_unit = HandlingUnitFactory(jurisdiction=county, name="南关区住房和城乡建设局")
    county_item = past_item(county_mandate, county_unit, PARKING, number=1)
    registered = SuggestionFactory(mandate=county_mandate, state=S.REGISTERED, number=2, category=category("城建"),
                                   title=HEATING[0], content=HEATING[1])
    response = client_for(county_staff_user).get(url("proposal_detail", registered.pk))
    suggestions = response.context["unit_suggestions"]
    assert [s.unit_id for s in suggestions] == [county_unit.pk]
    assert {p.pk for s in suggestions for p in s.precedents} <= {county_item.pk}
    assert not any(f'href="{url("proposal_detail", p.pk)}"' in response.content.decode() for p in city_items)


def test_with_no_past_assignment_the_form_says_so_and_still_assigns(client_for, staff_user, units, registered):
    response = client_for(staff_user).get(url("proposal_detail", registered.pk))
    assert response.context["unit_suggestions"] == []
    assert 'id="no-suggestions"' in response.content.decode()


def test_the_model_is_built_once_per_data_version(staff_user, municipal_mandate, units, registered,
                                                  django_assert_num_queries):
    past_item(municipal_mandate, units["市城市管理局"], PARKING, number=1)
    assign_suggest.model_for(registered.jurisdiction_id)
    with django_assert_num_queries(1):  # the version only
        assign_suggest.model_for(registered.jurisdiction_id)


def test_pages_never_build_a_model_that_exists_the_worker_builds_and_shares_it(
        staff_user, municipal_mandate, units, registered, monkeypatch, django_assert_num_queries):
    from apps.proposals import tasks

    jurisdiction = registered.jurisdiction_id
    past_item(municipal_mandate, units["市城市管理局"], PARKING, number=1)
    assert assign_suggest.model_for(jurisdiction).size == 1  # the first page of all builds it, and shares it

    def no_build(items):
        raise AssertionError("a page built the model")

    monkeypatch.setattr(assign_suggest, "build_model", no_build)
    asked = []
    monkeypatch.setattr(tasks.assign_suggest_rebuild, "apply_async", lambda args, **options: asked.append(args))
    assign_suggest._models.clear()  # another process: it reads the shared model
    with django_assert_num_queries(1):  # the version only
        assert assign_suggest.model_for(jurisdiction).size == 1

    past_item(municipal_mandate, units["市供热（集团）有限公司"], HEATING, number=2)  # the data are newer now
    assert assign_suggest.model_for(jurisdiction).size == 1  # the older model serves meanwhile...
    assert assign_suggest.model_for(jurisdiction).size == 1
    assert asked == [[jurisdiction]]  # ...and the worker is asked once

    monkeypatch.undo()  # the worker's task builds
    assert tasks.assign_suggest_rebuild(jurisdiction) == 2
    monkeypatch.setattr(assign_suggest, "build_model", no_build)
    assign_suggest._models.clear()
    assert assign_suggest.model_for(jurisdiction).size == 2


def test_a_process_takes_the_shared_model_whenever_it_differs_from_its_own(
        staff_user, municipal_mandate, units, registered, monkeypatch):
    """After a restore the data version can go back: the worker's model then carries a lower version than the one
    a process holds, and must still replace it (a process keeping its own would ask the worker forever)."""
    from apps.proposals import tasks

    jurisdiction = registered.jurisdiction_id
    past_item(municipal_mandate, units["市城市管理局"], PARKING, number=1)
    assign_suggest.model_for(jurisdiction)
    generation = assign_suggest._generation()
    mine = assign_suggest._models[jurisdiction]
    assign_suggest._models[jurisdiction] = assign_suggest._Built(generation, mine.version + 5, mine.model)
    monkeypatch.setattr(tasks.assign_suggest_rebuild, "apply_async", lambda args, **options: None)
    assert assign_suggest.model_for(jurisdiction) is not mine.model  # the shared one, unpickled
    assert assign_suggest._models[jurisdiction].version == mine.version
