"""Each chart's numbers against the records built for it, and against the selectors the other pages use."""

import datetime
from decimal import Decimal

import pytest
from apps.analytics.charts import Context, count, measure_of, records
from apps.analytics.sections import proposals as proposals_section
from apps.analytics.sections import section_by_slug
from apps.proposals.access import office_proposals
from apps.proposals.selectors.board import board, board_scope
from tests.analytics.support import TODAY, YEAR


def _data(slug, name, user, **filters):
    chart = section_by_slug(slug).chart(name)
    context = Context(user=user, year=filters.pop("year", YEAR), today=TODAY, **filters)
    return chart, context, count(chart, context)


def _flat(data):
    return {key: value for key, value in data.values.items() if value}


def test_roster_composition_counts_the_deputies_serving_in_the_year(world, staff_user):
    assert _flat(_data("roster", "level", staff_user)[2]) == {("municipal", ""): 3, ("county", ""): 2}
    assert _flat(_data("roster", "gender", staff_user)[2]) == {("female", ""): 2, ("male", ""): 3}
    assert _flat(_data("roster", "party", staff_user)[2]) == {("cpc", ""): 3, ("cdl", ""): 1,
                                                            ("nonpartisan", ""): 1}
    assert _flat(_data("roster", "sector", staff_user)[2]) == {
        ("工人", ""): 2, ("农民", ""): 1, ('=HYPERLINK("x")', ""): 1, ("none", ""): 1}
    assert _flat(_data("roster", "occupation", staff_user)[2]) == {
        ("worker", ""): 2, ("farmer", ""): 1, ("professional", ""): 1, ("none", ""): 1}


def test_age_bands_are_read_on_the_reference_day(world, staff_user):
    # on 15 June 2026: born 1990-03-01 is 36, 1960-06-15 turns 66 that day, 1975-08-01 is 50, 1980-01-01 is 46
    assert _flat(_data("roster", "age", staff_user)[2]) == {
        ("35-45", ""): 1, ("45-55", ""): 2, ("65-", ""): 1, ("unknown", ""): 1}


def test_a_past_year_counts_those_serving_then(world, staff_user):
    # the municipal deputy who resigned on 30 June 2025 served in 2025
    assert _flat(_data("roster", "level", staff_user, year=2025)[2]) == {("municipal", ""): 4, ("county", ""): 2}


def test_composition_by_term_counts_every_mandate_of_the_term(world, staff_user, city_term, county_term):
    chart, context, data = _data("roster", "term", staff_user)
    assert _flat(data) == {(str(city_term.pk), "female"): 2, (str(city_term.pk), "male"): 2,
                           (str(county_term.pk), "female"): 1,
                           (str(data.xs[-1][0]), "male"): 1}
    assert [label for _key, label in data.xs][:2] == ["市第十六届", "南关区第十九届"]


def test_the_funnel_and_the_units_equal_the_supervision_board(world, staff_user):
    scope = board_scope(office_proposals(staff_user), year=YEAR)
    figures = board(scope, today=TODAY)
    _chart, _context, funnel = _data("proposals", "funnel", staff_user)
    assert {name: funnel.value(name) for name in proposals_section.FUNNEL} == {
        name: figures.totals.counts[name] for name in proposals_section.FUNNEL}
    assert [funnel.value(name) for name in proposals_section.FUNNEL] == [7, 4, 2, 2, 1]
    _chart, _context, by_unit = _data("proposals", "unit", staff_user)
    for line in figures.units:
        for name in proposals_section.BY_UNIT:
            assert by_unit.value(str(line.pk), name) == line.counts[name], (line.name, name)
    assert len(figures.units) == 2 and by_unit.value("none", "assigned") == 1  # returned by its lead unit
    rates = {str(row["label"]): row["rates"] for row in by_unit.rows()}
    assert rates["市教育局1"] == [50.0, 100.0, 100.0, 100.0]
    assert rates["市住建局1"] == [100.0, 0.0, 0.0, 0.0]


def test_time_to_reply_in_bands_of_days(world, staff_user):
    assert _flat(_data("proposals", "reply_time", staff_user)[2]) == {("0-30", ""): 1, ("30-60", ""): 1}


def test_items_by_state_leave_out_drafts(world, staff_user):
    _chart, _context, data = _data("proposals", "state", staff_user)
    assert "draft" not in dict(data.xs)
    assert _flat(data) == {("submitted", ""): 1, ("registered", ""): 2, ("handling", ""): 2, ("replied", ""): 1,
                           ("closed", ""): 1}


def test_categories_over_the_years_count_the_items_raised(world, staff_user):
    from apps.proposals.models import Category

    education, city_building = (str(Category.objects.get(name=n).pk) for n in ("教育", "城建"))
    _chart, _context, data = _data("proposals", "category", staff_user)
    assert _flat(data) == {(str(YEAR), education): 4, (str(YEAR), city_building): 2, (str(YEAR), "none"): 1,
                           (str(YEAR - 2), education): 1}  # the withdrawn item of last year is not raised


def test_activities_by_month_and_type(world, staff_user):
    from apps.activities.models import ActivityType

    inspection, survey, practice = (str(ActivityType.objects.get(code=c).pk)
                                    for c in ("inspection", "survey", "theme_practice"))
    assert _flat(_data("activities", "month", staff_user)[2]) == {
        ("3", inspection): 2, ("4", inspection): 1, ("5", survey): 2, ("7", practice): 1}
    assert _flat(_data("activities", "type", staff_user)[2]) == {(inspection, ""): 3, (survey, ""): 2,
                                                               (practice, ""): 1}


def test_practice_outcomes_are_the_sums_the_activities_totals_page_shows(world, staff_user):
    """Each outcome chart sums a participation field by month (July: 3+1 suggestions, 2 households, 5+2 people,
    1000.50 yuan; last year's activity is not counted); the year's total equals ``period_totals``'s."""
    from apps.activities.selectors.activities import period_totals

    expected = {"suggestions": 4, "households": 2, "people": 7, "funds": Decimal("1000.50")}
    totals = period_totals(staff_user, date_from=datetime.date(YEAR, 1, 1),
                           date_to=datetime.date(YEAR, 12, 31))["total"]
    for name, value in expected.items():
        chart, context, data = _data("activities", f"outcome-{name}", staff_user)
        assert _flat(data) == {("7", ""): value}, name
        assert data.total == totals[name] == value, name
        assert measure_of(chart, records(chart, context, data, "7")) == value, name


def test_training_coverage_equals_the_coverage_page(world, staff_user, city, county, other_county):
    from apps.training.selectors import coverage_table

    _chart, _context, by_level = _data("training", "level", staff_user)
    table = coverage_table(jurisdiction=city, year=YEAR)
    for level, row in table.totals.items():
        assert (by_level.value(level, "serving"), by_level.value(level, "trained")) == (row.serving, row.trained)
    assert _flat(by_level) == {("municipal", "serving"): 3, ("municipal", "trained"): 1,
                               ("county", "serving"): 2, ("county", "trained"): 1}
    assert [row["rates"] for row in by_level.rows() if row["key"] in ("municipal", "county")] == [[33.3], [50.0]]
    _chart, _context, by_place = _data("training", "jurisdiction", staff_user)
    assert _flat(by_place) == {(str(city.pk), "serving"): 3, (str(city.pk), "trained"): 1,
                               (str(county.pk), "serving"): 1, (str(county.pk), "trained"): 1,
                               (str(other_county.pk), "serving"): 1}


def test_trained_deputies_year_on_year(world, staff_user):
    # this year the first municipal and the county deputy; last year the second municipal one (on leave this year)
    assert _flat(_data("training", "years", staff_user)[2]) == {(str(YEAR), ""): 2, (str(YEAR - 1), ""): 1}


def test_year_on_year_counts_a_person_once_per_level_as_its_records_do(world, staff_user, city, city_term,
                                                                          county_term):
    """A deputy re-elected in the year holds two municipal mandates in it, and a county one: trained once, they
    count once at the municipal level and once at the county level; the bar's records are those two mandates."""
    from apps.deputies.attendance import Attendance
    from apps.training.models import TrainingAttendance, TrainingSession
    from tests.factories import MandateFactory, PersonFactory, TermFactory

    person = PersonFactory(name="再当选")
    old_term = TermFactory(jurisdiction=city, level="municipal", number=15, name="市第十五届",
                           start_date=datetime.date(YEAR - 5, 1, 10))
    MandateFactory(person=person, term=old_term, start_date=datetime.date(YEAR - 5, 1, 10),
                   end_date=datetime.date(YEAR, 1, 20))
    latest = MandateFactory(person=person, term=city_term, start_date=datetime.date(YEAR, 1, 21))
    county = MandateFactory(person=person, term=county_term)
    TrainingAttendance.objects.create(session=TrainingSession.objects.get(date=datetime.date(YEAR, 3, 10)),
                                      person=person, mandate=latest, attendance=Attendance.PRESENT)
    chart, context, data = _data("training", "years", staff_user)
    assert _flat(data) == {(str(YEAR), ""): 4, (str(YEAR - 1), ""): 1}
    mine = records(chart, context, data, str(YEAR)).filter(person=person)
    assert set(mine.values_list("pk", flat=True)) == {latest.pk, county.pk}


def test_liaison_contacts_by_member_and_month(world, staff_user, county_staff_user):
    from apps.committee.models import CommitteeMember

    city_member, county_member = (str(m.pk) for m in CommitteeMember.objects.order_by("pk"))
    assert _flat(_data("liaison", "heatmap", staff_user)[2]) == {
        ("3", city_member): 2, ("5", city_member): 1, ("3", county_member): 1}
    assert _flat(_data("liaison", "channel", staff_user)[2]) == {("visit", ""): 3, ("phone", ""): 1}
    assert _flat(_data("liaison", "heatmap", county_staff_user)[2]) == {("3", county_member): 1}


def test_stations_receptions_and_issues(world, staff_user):
    assert _flat(_data("stations", "month", staff_user)[2]) == {("4", ""): 2, ("6", ""): 2}
    assert _flat(_data("stations", "issues", staff_user)[2]) == {
        ("urban", "open"): 2, ("urban", "closed"): 1, ("health", "in_progress"): 1}
    assert sorted(_data("stations", "station", staff_user)[2].values.values()) == [1, 1, 2]


def test_scores_by_level_and_grade_band(world, staff_user):
    assert _flat(_data("scores", "grades", staff_user)[2]) == {
        ("municipal", "excellent"): 1, ("municipal", "basically_competent"): 1, ("municipal", "incompetent"): 1,
        ("county", "competent"): 1}
    assert _flat(_data("scores", "distribution", staff_user)[2]) == {
        ("0-60", ""): 1, ("70-80", ""): 1, ("80-90", ""): 1, ("90-", ""): 1}


def test_the_heat_map_marks_each_members_pace_as_the_compliance_page_does(world, staff_user, city, county):
    """The city's plan: its member is behind (red: 1 contact expected by 15 June, none with the assigned deputy);
    the county's member is in no plan of the city (no mark). Choosing the county reads the county's plan."""
    from apps.liaison.selectors.plans import compliance_rows

    chart, context, data = _data("liaison", "heatmap", staff_user)
    compliance = {str(row.member.pk): row.status for row in compliance_rows(jurisdiction=city, year=YEAR,
                                                                            on_date=TODAY)}
    assert {key: status for key, (status, _label) in data.notes.items()} == compliance
    assert sorted(cell["status"] for cell in data.note_cells()) == ["", "red"]
    assert data.sheet_rows()[-1][0] == "进度" and sorted(data.sheet_rows()[-1][1:]) == ["—", "滞后"]
    county_data = _data("liaison", "heatmap", staff_user, jurisdiction=county)[2]
    assert [cell["label"] for cell in county_data.note_cells()] == ["无联系对象"]


def test_covenant_flags_equal_the_covenant_flags_page(world, staff_user, client_for):
    """Each kind of flag counts the members the covenant's flags page flags with it (the city's committee: the
    city member has three flags, the county's member is not in the city's committee), and opens exactly them."""
    from django.urls import reverse

    from apps.covenant.rules import Flag

    page = client_for(staff_user).get(reverse("covenant:flags"), {"year": YEAR}).context
    chart, context, data = _data("scores", "covenant", staff_user)
    assert data.value("any") == page["flagged_count"] == 1
    for code in Flag.values:
        flagged = {row.member.pk for row in page["rows"] if code in row.flags}
        assert data.value(code) == len(flagged), code
        assert set(records(chart, context, data, code).values_list("pk", flat=True)) == flagged, code
    assert {code for code in Flag.values if data.value(code)} == {"days_away", "no_speech", "no_proposal"}


@pytest.mark.parametrize("slug", ["roster", "proposals", "training", "activities", "liaison", "scores", "stations",
                                  "publicity"])
def test_records_of_every_cell_number_its_value(world, staff_user, slug):
    for chart in section_by_slug(slug).charts:
        context = Context(user=staff_user, year=YEAR, today=TODAY)
        data = count(chart, context)
        for row in data.rows():
            for cell in row["cells"]:
                assert measure_of(chart, records(chart, context, data, cell["key"])) == cell["value"], \
                    (chart.name, cell)


def test_an_unknown_cell_has_no_records(world, staff_user):
    chart, context, data = _data("roster", "gender", staff_user)
    assert records(chart, context, data, "nobody") is None
    assert records(chart, context, data, "male|female") is None


def test_the_reference_day_of_a_past_year_is_its_last_day(staff_user):
    assert Context(user=staff_user, year=2024, today=TODAY).reference_day == datetime.date(2024, 12, 31)
    assert Context(user=staff_user, year=YEAR, today=TODAY).reference_day == TODAY
