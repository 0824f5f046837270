"""The performance record page (履职档案): every section with its records (and none of another year, another
deputy, a draft or an unconfirmed co-signature), the breakdown of the score, the quality figures, the year
selector, several mandates, the records behind a line, and the page's query count."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.scoring import engine
from apps.scoring.models import RuleSet
from apps.scoring.selectors.record import SECTIONS, performance_record, performance_records
from tests.factories import MandateFactory, PersonFactory
from tests.proposals.factories import deputy_for
from tests.scoring.factories import YEAR, typical_rule_set
from tests.scoring.record_support import record_world

ME = reverse("me:me")


@pytest.fixture
def world(municipal_mandate, city, other_county_mandate):
    return record_world(mandate=municipal_mandate, city=city, other_mandate=other_county_mandate)


@pytest.fixture
def deputy_client(world, client_for):
    return client_for(deputy_for(world["person"]))


def _page(client, year=YEAR):
    response = client.get(f"{ME}?year={year}")
    assert response.status_code == 200
    return response


def test_every_section_lists_the_deputys_records_of_the_year(world, deputy_client):
    response = _page(deputy_client)
    record = response.context["record"]
    html = response.content.decode()
    titles = lambda rows: [r.title for r in rows]  # noqa: E731
    assert titles(record.meetings) == ["市十六届人大三次会议", "列席市人大常委会第十次会议", "列席市人大常委会第十二次会议"]
    assert titles(record.inspections) == ["视察城市供热保障工作", "视察老旧小区改造", "专题调研养老服务体系建设"]
    assert titles(record.group_activities) == ["代表小组学习活动", "“代表在行动”主题实践活动"]
    assert titles(record.other_activities) == ["物业管理条例立法座谈"]
    assert [r.attendance_id for r in record.training] == [a.pk for a in world["training"]]
    assert {r.proposal_id for r in record.proposals} == {p.pk for p in world["proposals"].values()}
    assert [r.contact_id for r in record.contacts] == [c.pk for c in world["contacts"]]
    assert [(r.reception_day_id, r.visits) for r in record.receptions] == [(world["reception_days"][0].pk, 2),
                                                                            (world["reception_days"][1].pk, 0)]
    assert [v.visit_id for v in record.visits] == [v.pk for v in world["visits"]]
    assert [r.pk for r in record.voter_reports] == [r.pk for r in world["voter_reports"]]
    assert [r.evaluations for r in record.voter_reports] == [60, 35]
    assert [r.title for r in record.commendations] == ["优秀建议", "优秀人大代表"]
    assert [d.pk for d in record.disputes] == [world["dispute"].pk]
    for anchor, attribute in SECTIONS:
        assert f'id="section-{anchor}" data-count="{len(getattr(record, attribute))}"' in html
    for text in ("市十六届人大三次会议", "市人大代表履职能力培训班", "关于加快老旧小区改造的建议", "关于制定物业管理条例的议案",
                 "了解代表履职情况和意见建议", "南湖社区代表工作站", "学校周边交通拥堵", "南关区代表联络站", "优秀人大代表",
                 "漏记了一次视察", "经核实无误"):
        assert text in html
    for absent in ("上年度视察活动", "他人的视察", "草稿中的建议", "尚未确认附议的建议", "上年述职", "他人的述职"):
        assert absent not in html


def test_the_page_shows_no_id_number_phone_or_address(world, deputy_client):
    person = world["person"]
    html = _page(deputy_client).content.decode()
    assert person.id_number not in html
    assert person.phone not in html
    assert person.masked_id_number not in html


def test_the_breakdown_lists_every_item_and_adds_up_to_the_total(world, deputy_client):
    record = _page(deputy_client).context["record"]
    (card,) = record.scores
    score = world["score"]
    assert (card.score_id, card.total, card.grade) == (score.pk, score.total, score.grade)
    assert [line.label for line in card.lines] == list(
        world["rule_set"].items.order_by("position").values_list("label", flat=True))
    assert card.lines_total == card.raw_total == score.raw_total
    lines = {line.label: line for line in card.lines}
    # 2 reports × 3 points, capped at 3; 2 commendations × 5, capped at 5; 1 co-signed suggestion × 0.5
    assert (lines["向选民述职"].count, lines["向选民述职"].uncapped_points, lines["向选民述职"].points) == (
        2, Decimal("6"), Decimal("3"))
    assert lines["向选民述职"].capped and lines["受到表彰"].capped and not lines["视察"].capped
    assert lines["附议建议"].points == Decimal("0.5")
    assert (lines["附议议案"].count, lines["附议议案"].points) == (0, 0)
    assert lines["请假缺席人代会"].is_deduction


def test_each_line_links_to_the_section_of_its_records(world, deputy_client):
    response = _page(deputy_client)
    html = response.content.decode()
    (card,) = response.context["record"].scores
    sections = {line.label: line.section for line in card.lines}
    assert sections["出席人代会会议"] == "meetings"
    assert sections["视察"] == "inspections"
    assert sections["参加培训"] == "training"
    assert sections["代表工作站接待选民"] == "receptions"
    assert sections["领衔提出建议"] == "proposals"
    assert sections["向选民述职"] == "voter-reports"
    assert sections["受到表彰"] == "commendations"
    for section in set(sections.values()) - {""}:
        assert f'href="#section-{section}"' in html
        assert f'id="section-{section}"' in html


def test_the_records_behind_a_line_are_listed_with_links(world, client_for, staff_user):
    score, rule_set = world["score"], world["rule_set"]
    inspections = rule_set.items.get(label="视察")
    url = reverse("scoring:deputy_record_line", args=[world["person"].pk, score.pk, inspections.pk])
    response = client_for(staff_user).get(url, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert [r["text"] for r in response.context["records"]] == ["视察城市供热保障工作", "视察老旧小区改造"]
    assert reverse("activities:activity_detail", args=[world["participations"][3].activity_id]) in html
    assert "<html" not in html  # a fragment for htmx
    # Without htmx, the same list on a page of its own.
    assert "<html" in client_for(staff_user).get(url).content.decode()


def test_the_deputy_sees_their_proposals_linked_to_their_own_pages(world, deputy_client):
    html = _page(deputy_client).content.decode()
    assert reverse("proposals:my_proposal_detail", args=[world["proposals"]["led"].pk]) in html
    assert reverse("proposals:proposal_detail", args=[world["proposals"]["led"].pk]) not in html


def test_quality_figures_stand_beside_the_score(world, deputy_client):
    quality = _page(deputy_client).context["record"].quality
    # 9 activities of the year, one on leave; 2 suggestions led, replied A and B, rated 满意 and 不满意.
    assert (quality.attended, quality.recorded, quality.attendance_rate) == (8, 9, Decimal("88.9"))
    assert (quality.solved, quality.replied, quality.a_class_rate) == (1, 2, Decimal("50.0"))
    assert (quality.satisfied, quality.rated, quality.satisfaction_rate) == (1, 2, Decimal("50.0"))


def test_the_proposals_show_role_state_reply_class_and_own_rating(world, deputy_client):
    rows = {r.proposal_id: r for r in _page(deputy_client).context["record"].proposals}
    led, key = rows[world["proposals"]["led"].pk], rows[world["proposals"]["key"].pk]
    cosigned, motion = rows[world["proposals"]["cosigned"].pk], rows[world["proposals"]["motion"].pk]
    assert (led.role, led.reply_class, led.solved, led.rating) == ("lead", "A", True, "satisfied")
    assert (key.is_key, key.reply_class, key.rating) == (True, "B", "unsatisfied")
    assert (cosigned.role, cosigned.reply_class, cosigned.rating) == ("cosigner", "", "")
    assert (motion.kind, motion.number, motion.state) == ("motion", 7, "registered")


def test_the_year_selector_offers_the_years_served_and_shows_that_years_records(world, deputy_client):
    response = _page(deputy_client, YEAR - 1)
    record = response.context["record"]
    assert record.year == YEAR - 1
    assert {YEAR, YEAR - 1, 2022}.issubset(set(record.years))
    assert [r.title for r in record.inspections] == ["上年度视察活动"]
    assert [r.place for r in record.voter_reports] == ["上年述职"]
    assert record.scores == ()
    html = response.content.decode()
    assert f'<option value="{YEAR}">' in html and f'<option value="{YEAR - 1}" selected>' in html


def test_a_bad_year_falls_back_to_the_default(world, deputy_client):
    response = deputy_client.get(f"{ME}?year=abc")
    assert response.status_code == 200
    assert response.context["record"].year in response.context["record"].years


def test_every_mandate_is_shown_with_its_own_score(world, deputy_client, county, county_term):
    county_mandate = MandateFactory(term=county_term, person=world["person"])
    rule_set = typical_rule_set(county, level=county_term.level, year=YEAR)
    engine.compute(rule_set)
    record = _page(deputy_client).context["record"]
    assert [m.pk for m in record.mandates] == [world["mandate"].pk, county_mandate.pk]
    assert [(c.mandate_id, c.rule_set_id) for c in record.scores] == [(world["mandate"].pk, world["rule_set"].pk),
                                                                       (county_mandate.pk, rule_set.pk)]


def test_only_the_nearest_published_rule_set_scores_a_mandate(county, county_mandate, city, client_for):
    """The county's own set applies to its deputies, not the city's set of the same level (as in the staff list)."""
    city_set = typical_rule_set(city, level=county_mandate.level, year=YEAR)
    county_set = typical_rule_set(county, level=county_mandate.level, year=YEAR)
    engine.compute(city_set)
    engine.compute(county_set)
    record = performance_record(county_mandate.person, YEAR)
    assert [c.rule_set_id for c in record.scores] == [county_set.pk]


def test_a_superseded_or_draft_rule_set_is_not_shown(world, deputy_client, city):
    RuleSet.objects.filter(pk=world["rule_set"].pk).update(status=RuleSet.Status.SUPERSEDED)
    response = _page(deputy_client)
    assert response.context["record"].scores == ()
    assert 'id="record-no-score"' in response.content.decode()


def test_the_page_takes_at_most_15_queries(world, deputy_client, client_for, staff_user,
                                           django_assert_max_num_queries):
    deputy_client.get(ME)  # the session's first request may write it
    with django_assert_max_num_queries(15):
        _page(deputy_client)
    staff = client_for(staff_user)
    staff.get(reverse("core:home"))
    with django_assert_max_num_queries(15):
        response = staff.get(reverse("scoring:deputy_record", args=[world["person"].pk]) + f"?year={YEAR}")
    assert response.status_code == 200


def test_the_query_count_does_not_grow_with_the_records(world, deputy_client, city, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        _page(deputy_client)
    # More of every kind of record.
    record_world(mandate=world["mandate"], city=city, compute=False, number_offset=100)
    with django_assert_num_queries(len(before.captured_queries)):
        _page(deputy_client)


def test_a_deputy_without_a_mandate_sees_an_empty_record(client_for, db):
    from tests.factories import PersonFactory

    response = client_for(deputy_for(PersonFactory(name="无任代表"))).get(ME)
    assert response.status_code == 200
    record = response.context["record"]
    assert (record.name, record.mandates, record.scores) == ("无任代表", (), ())


def test_the_staff_page_has_buttons_to_add_records_supervisors_do_not(world, client_for, staff_user,
                                                                     supervisor_user):
    url = reverse("scoring:deputy_record", args=[world["person"].pk]) + f"?year={YEAR}"
    html = client_for(staff_user).get(url).content.decode()
    assert reverse("scoring:voter_report_create", args=[world["person"].pk]) in html
    assert reverse("scoring:commendation_create", args=[world["person"].pk]) in html
    assert reverse("scoring:voter_report_edit", args=[world["voter_reports"][0].pk]) in html
    html = client_for(supervisor_user).get(url).content.decode()
    assert reverse("scoring:voter_report_create", args=[world["person"].pk]) not in html
    assert 'class="mt-1 dispute-form"' not in html


def test_the_page_and_its_numbers_match_the_stored_score(world, deputy_client):
    """What the page prints for each line is the stored line's points (0 for an item without a line)."""
    html = _page(deputy_client).content.decode()
    stored = {line.item.label: line.points for line in world["score"].lines.select_related("item")}
    printed = dict(re.findall(r'data-label="([^"]+)" data-points="([^"]+)"', html))
    assert set(printed) == set(world["rule_set"].items.values_list("label", flat=True))
    for label, points in printed.items():
        assert Decimal(points) == stored.get(label, Decimal(0))


def test_dates_are_in_the_year(world):
    record = performance_record(world["person"], YEAR)
    dates = [r.date for _anchor, attribute in SECTIONS for r in getattr(record, attribute) if hasattr(r, "date")]
    assert dates and all(datetime.date(YEAR, 1, 1) <= d <= datetime.date(YEAR, 12, 31) for d in dates)


def test_supervisors_get_no_links_to_edit_pages_they_cannot_open(world, client_for, supervisor_user):
    report = world["voter_reports"][0]
    url = reverse("scoring:deputy_record", args=[world["person"].pk]) + f"?year={YEAR}"
    html = client_for(supervisor_user).get(url).content.decode()
    assert reverse("scoring:voter_report_edit", args=[report.pk]) not in html
    item = world["rule_set"].items.get(label="向选民述职")
    line = reverse("scoring:deputy_record_line", args=[world["person"].pk, world["score"].pk, item.pk])
    response = client_for(supervisor_user).get(line)
    assert [r["url"] for r in response.context["records"]] == ["", ""]


def test_records_read_together_equal_each_read_alone_in_the_same_ten_queries(world, city, city_term,
                                                                             django_assert_num_queries):
    """The annual batch reads a chunk of deputies at once: each record is the one the page shows, a record two
    deputies share (a contact, a day on duty) is on both, and nobody gets another's records."""
    second = MandateFactory(term=city_term, person=PersonFactory(name="李四光"))
    other = record_world(mandate=second, city=city, compute=False, number_offset=100)
    engine.compute(other["rule_set"])  # the newest published set of the city: both deputies scored under it
    world["contacts"][0].participants.add(second.person)
    world["reception_days"][0].deputies.add(second.person)
    nobody = PersonFactory(name="无记录代表")
    persons = [world["person"], second.person, nobody]

    with django_assert_num_queries(10):
        together = performance_records(persons, YEAR)

    alone = {person.pk: performance_record(person, YEAR) for person in persons}
    assert together == alone
    shared = together[second.person.pk]
    assert [c.contact_id for c in shared.contacts] == sorted(
        [world["contacts"][0].pk] + [c.pk for c in other["contacts"]],
        key=lambda pk: next(c.date for c in [*world["contacts"], *other["contacts"]] if c.pk == pk))
    # The first day on duty: the visits received are those of each deputy (the second received none of them).
    assert {r.reception_day_id: r.visits for r in shared.receptions}[world["reception_days"][0].pk] == 0
    assert {r.reception_day_id: r.visits for r in together[world["person"].pk].receptions}[
        world["reception_days"][0].pk] == 2
    assert [s.rule_set_id for s in shared.scores] == [other["rule_set"].pk]
    assert [s.rule_set_id for s in together[world["person"].pk].scores] == [other["rule_set"].pk]
    assert together[nobody.pk].scores == () and together[nobody.pk].mandates == ()
    assert not set(r.pk for r in shared.voter_reports) & set(r.pk for r in world["voter_reports"])
