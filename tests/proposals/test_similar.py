"""Similar items (并案 hint) by trigram similarity of title and content: ranking, scope, one query, the index."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.proposals.models import Proposal
from apps.proposals.selectors.similar import similar_proposals, similar_queryset, stretches, title_core
from tests.factories import JurisdictionFactory
from tests.proposals.factories import SuggestionFactory

S = Proposal.State
UNRELATED = ["关于加强中小学校园安全管理的建议", "关于发展冰雪旅游产业的建议", "关于规范农民工工资支付的建议",
             "关于保护黑土地的议案", "关于增设新能源汽车充电设施的建议", "关于完善基层医疗卫生服务的建议"]


def _item(jurisdiction, title, content="", state=S.REGISTERED, **kwargs):
    return SuggestionFactory(mandate=None, jurisdiction=jurisdiction, level="municipal", title=title,
                             content=content, state=state, **kwargs)


@pytest.fixture
def items(city):
    unrelated = [_item(city, t, content="与供暖无关的内容。") for t in UNRELATED]
    return {
        "duplicate": _item(city, "关于加快老旧小区供暖管网改造的建议", content="老旧小区供暖管网老化，冬季室温不达标。"),
        "related": _item(city, "关于推进老旧小区改造工作的建议", content="加快推进老旧小区改造，完善配套设施。"),
        "unrelated": unrelated,
    }


def test_a_near_duplicate_title_ranks_first_and_unrelated_items_are_absent(items, city):
    found = similar_proposals(title="关于加快老旧小区供暖管网改造的建议", jurisdiction=city)
    assert found[0] == items["duplicate"]
    assert items["related"] in found
    assert not set(found) & set(items["unrelated"])
    assert found[0].score > found[1].score
    assert 0 < found[-1].score <= found[0].score <= 1


def test_content_similarity_ranks_items_with_equally_similar_titles(city):
    about_buses = _item(city, "关于改善城区冬季供暖质量的提案", content="公交线路调整后居民出行不便。")
    about_heating = _item(city, "关于改善城区冬季供暖质量的意见", content="老旧小区冬季室温不达标，供热管网需要改造。")
    found = similar_proposals(title="关于改善城区冬季供暖质量的建议", content="冬季室温不达标，建议改造供热管网。",
                              jurisdiction=city)
    assert found == [about_heating, about_buses]
    assert found[0].title_score == pytest.approx(found[1].title_score)
    assert found[0].content_score > found[1].content_score
    # without content the two are alike: the older row comes first
    assert similar_proposals(title="关于改善城区冬季供暖质量的建议", jurisdiction=city) == [about_buses, about_heating]


def test_a_few_characters_of_substance_find_the_titles_that_hold_them(items, city):
    """Chinese has no spaces: what is typed so far shares too few trigrams with a whole title, so titles that
    contain it are found too."""
    found = similar_proposals(title="老旧小区", jurisdiction=city)
    assert set(found) == {items["duplicate"], items["related"]}


def test_drafts_withdrawn_items_other_congresses_and_the_item_itself_are_left_out(items, city, county):
    _item(city, "关于加快老旧小区供暖管网改造的建议", state=S.DRAFT)
    _item(city, "关于加快老旧小区供暖管网改造工作的建议", state=S.WITHDRAWN)
    elsewhere = _item(county, "关于加快老旧小区供暖管网改造的建议")
    found = similar_proposals(title="关于加快老旧小区供暖管网改造的建议", jurisdiction=city,
                              exclude_pk=items["duplicate"].pk)
    assert found == [items["related"]]
    assert elsewhere in similar_proposals(title="关于加快老旧小区供暖管网改造的建议")


def test_the_frame_of_a_title_alone_finds_nothing_and_asks_nothing(items, city, django_assert_num_queries):
    assert title_core("关于加快老旧小区改造的建议") == "加快老旧小区改造"
    assert stretches("加快老旧小区改造") == ["加快老旧", "快老旧小", "老旧小区", "旧小区改", "小区改造"]
    assert len(stretches("很" * 100 + "长的标题" * 20)) <= 24
    with django_assert_num_queries(0):
        assert similar_proposals(title="关于", jurisdiction=city) == []
        assert similar_proposals(title="  关于 的建议 ") == []


def test_similar_items_take_one_query_whatever_their_number(city):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            found = similar_proposals(title="关于加快老旧小区供暖管网改造的建议", content="供暖管网老化",
                                      jurisdiction=city, limit=50)
        return len(ctx.captured_queries), len(found)

    _item(city, "关于加快老旧小区供暖管网改造的建议")
    few = queries()
    for n in range(15):
        _item(city, f"关于加快第{n}片区老旧小区供暖管网改造的建议")
    many = queries()
    assert few[0] == many[0] == 1
    assert many[1] > few[1]
    # the jurisdiction and session a page shows with each item cost nothing more
    with CaptureQueriesContext(connection) as ctx:
        for item in similar_proposals(title="关于加快老旧小区供暖管网改造的建议", jurisdiction=city):
            str(item.jurisdiction), item.session
    assert len(ctx.captured_queries) == 1


def _haystack(jurisdiction, count=4500):
    """``count`` registered items with titles built from a few common words, as a congress's three years hold."""
    import random

    rng = random.Random(5)
    verbs = ["加快", "推进", "加强", "完善", "优化", "规范", "提升", "支持", "解决", "改善"]
    things = ["中小学校园安全", "农村饮水安全", "城市停车难问题", "养老服务体系", "基层医疗卫生服务", "黑土地保护",
              "公交线路设置", "垃圾分类处理", "营商环境建设", "乡村振兴产业", "职业教育发展", "食品安全监管",
              "河道综合治理", "农民工工资支付", "学前教育资源", "冰雪旅游产业", "新能源汽车充电设施"]
    places = ["", "南关区", "朝阳区", "二道区", "绿园区", "双阳区", "九台区", "农安县", "榆树市", "德惠市"]
    rows = [Proposal(jurisdiction=jurisdiction, level="municipal", year=2024 + i % 3, state=S.REGISTERED,
                     title=f"关于{rng.choice(verbs)}{rng.choice(places)}{rng.choice(things)}的建议",
                     content="具体情况和建议如下。") for i in range(count)]
    Proposal.objects.bulk_create(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE proposals_proposal")


def test_among_4500_items_the_candidates_come_through_the_trigram_index(city):
    """The candidates are filtered on UPPER(title), the indexed expression, so proposal_title_trgm can serve
    the filter; similarity is computed for the candidates only. Which path the planner prefers on a given day
    depends on statistics and load (a busy test database sometimes reads the jurisdiction index instead), so
    the candidate filter's plan is read with plain index and sequential scans discouraged: a bitmap scan of the
    trigram index is then the cheap path only if the filter matches the index's expression. The time on
    长春-scale data is the bench's ``similar_lookup_ms``."""
    from django.db.models.functions import Upper

    from apps.proposals.selectors.similar import LikeAny

    _haystack(city)
    duplicate = _item(city, "关于加快老旧小区供暖管网改造的建议")
    related = _item(city, "关于推进老旧小区改造工作的建议")
    title = "关于加快老旧小区供暖管网改造的建议"
    candidates = Proposal.objects.filter(LikeAny(Upper("title"), stretches(title_core(title).upper())))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    plan = candidates.explain()
    assert "Bitmap Index Scan on proposal_title_trgm" in plan
    with connection.cursor() as cursor:
        cursor.execute("RESET enable_seqscan")
        cursor.execute("RESET enable_indexscan")
    qs = similar_queryset(title=title, content="供暖管网老化", jurisdiction=city)
    conditions = [line for line in qs.explain().splitlines() if "Filter:" in line or "Cond:" in line]
    assert conditions and not any("similarity(" in line for line in conditions)  # scores only for candidates
    assert list(qs[:2]) == [duplicate, related]


def test_like_wildcards_typed_in_a_title_are_taken_literally(city):
    _item(city, "关于加快老旧小区供暖管网改造的建议")
    assert similar_proposals(title="关于%%%%_的建议", jurisdiction=city) == []


def test_latin_letters_match_whatever_their_case(city):
    item = _item(city, "关于推进5G基站建设的建议")
    assert similar_proposals(title="关于推进5g基站建设的建议", jurisdiction=city) == [item]


def test_a_county_item_is_not_shown_for_the_city(city):
    other = JurisdictionFactory(name="双阳区", parent=city)
    _item(other, "关于加快老旧小区供暖管网改造的建议")
    assert similar_proposals(title="关于加快老旧小区供暖管网改造的建议", jurisdiction=city) == []
