"""Coverage (培训覆盖率) equals a recomputation from the raw rows, on fixed and on random data."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.core.models import Jurisdiction
from apps.deputies.attendance import Attendance
from apps.deputies.models import Level, Mandate
from apps.training.models import TrainingAttendance
from apps.training.selectors import coverage_table, untrained_mandates
from tests.factories import JurisdictionFactory, MandateFactory, PersonFactory, TermFactory
from tests.training.conftest import make_program, make_session

YEAR = 2026


def _recompute(root: Jurisdiction, year: int):
    """Pure Python from every row: {(level, unit_id or None, is_total): (serving, trained, person_times)}."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    jurisdictions = {j.pk: j for j in Jurisdiction.objects.all()}

    def unit_of(jurisdiction_id):
        path = jurisdictions[jurisdiction_id].path
        if not path.startswith(root.path):
            return "outside"
        rest = path[len(root.path):].strip("/")
        return int(rest.split("/")[0]) if rest else None

    trained_people = {a.person_id for a in TrainingAttendance.objects.select_related("session")
                      if a.attendance == Attendance.PRESENT and first <= a.session.date <= last}
    serving, trained, times = {}, {}, {}
    for m in Mandate.objects.all():
        unit = unit_of(m.jurisdiction_id)
        if unit == "outside" or m.status == Mandate.Status.SUSPENDED:
            continue
        if m.start_date > last or (m.end_date is not None and m.end_date < first):
            continue
        for key in ((m.level, unit, False), (m.level, None, True)):
            serving.setdefault(key, set()).add(m.person_id)
            if m.person_id in trained_people:
                trained.setdefault(key, set()).add(m.person_id)
    for a in TrainingAttendance.objects.select_related("session", "mandate"):
        if a.attendance != Attendance.PRESENT or not first <= a.session.date <= last:
            continue
        unit = unit_of(a.mandate.jurisdiction_id)
        if unit == "outside":
            continue
        for key in ((a.mandate.level, unit, False), (a.mandate.level, None, True)):
            times[key] = times.get(key, 0) + 1
    keys = set(serving) | set(times)
    return {k: (len(serving.get(k, ())), len(trained.get(k, ())), times.get(k, 0)) for k in keys}


def _from_table(table):
    result = {}
    for row in table.rows:
        unit = None if row.own else row.jurisdiction.pk
        result[(row.level, unit, False)] = (row.serving, row.trained, row.person_times)
    for level, row in table.totals.items():
        result[(level, None, True)] = (row.serving, row.trained, row.person_times)
    return result


def test_a_deputy_with_two_mandates_counts_once_per_level(city, county, city_term, county_term):
    person = PersonFactory(name="赵六")
    municipal = MandateFactory(person=person, term=city_term)
    MandateFactory(person=person, term=county_term)
    session = make_session(make_program(city, start=datetime.date(YEAR, 5, 1)))
    TrainingAttendance.objects.create(session=session, person=person, mandate=municipal)

    table = coverage_table(jurisdiction=city, year=YEAR)

    assert (table.totals[Level.MUNICIPAL].serving, table.totals[Level.MUNICIPAL].trained) == (1, 1)
    assert (table.totals[Level.COUNTY].serving, table.totals[Level.COUNTY].trained) == (1, 1)
    assert table.totals[Level.MUNICIPAL].person_times == 1
    assert table.totals[Level.COUNTY].person_times == 0
    assert table.totals[Level.COUNTY].rate == 100.0
    county_row = next(r for r in table.rows if r.level == Level.COUNTY)
    assert county_row.jurisdiction == county and not county_row.own


def test_re_elected_deputy_is_one_serving_person(city, county):
    old = TermFactory(jurisdiction=county, level=Level.COUNTY, number=18, start_date=datetime.date(2021, 1, 1))
    new = TermFactory(jurisdiction=county, level=Level.COUNTY, number=19, start_date=datetime.date(YEAR, 6, 1))
    person = PersonFactory()
    MandateFactory(person=person, term=old, end_date=datetime.date(YEAR, 5, 31), status=Mandate.Status.ENDED,
                   end_reason=Mandate.EndReason.TERM_ENDED)
    MandateFactory(person=person, term=new)

    table = coverage_table(jurisdiction=city, year=YEAR)

    assert table.totals[Level.COUNTY].serving == 1
    assert list(untrained_mandates(jurisdiction=city, year=YEAR, level=Level.COUNTY)) != []
    assert untrained_mandates(jurisdiction=city, year=YEAR, level=Level.COUNTY).count() == 1


def test_county_staff_table_covers_their_county_only(city, county, county_mandate, other_county_mandate,
                                                     municipal_mandate):
    table = coverage_table(jurisdiction=county, year=YEAR)

    assert set(table.totals) == {Level.COUNTY}
    assert table.totals[Level.COUNTY].serving == 1


def test_coverage_takes_three_queries(city, county, county_mandate, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        coverage_table(jurisdiction=city, year=YEAR)


mandate_strategy = st.tuples(
    st.integers(0, 9),  # person
    st.sampled_from([Level.MUNICIPAL, Level.COUNTY, Level.TOWNSHIP]),
    st.integers(0, 4),  # jurisdiction index
    st.integers(-500, 500),  # start offset from 1 Jan YEAR (days)
    st.one_of(st.none(), st.integers(0, 800)),  # length (days) or open
    st.booleans(),  # suspended
)
attendance_strategy = st.tuples(
    st.integers(0, 2),  # session
    st.integers(0, 40),  # mandate index (mod the number of mandates)
    st.sampled_from(Attendance.values),
)


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(mandates=st.lists(mandate_strategy, min_size=1, max_size=18),
       attendances=st.lists(attendance_strategy, max_size=25),
       session_days=st.lists(st.integers(-200, 500), min_size=3, max_size=3),
       root_index=st.sampled_from([0, 1]))
def test_coverage_equals_a_recomputation_from_raw_rows(mandates, attendances, session_days, root_index):
    from django.db import transaction

    try:
        with transaction.atomic():
            _property(mandates, attendances, session_days, root_index)
            raise _Rollback
    except _Rollback:
        pass


class _Rollback(Exception):
    pass


def _property(mandates, attendances, session_days, root_index):
    city = JurisdictionFactory(kind=Jurisdiction.Kind.CITY)
    a = JurisdictionFactory(parent=city)
    b = JurisdictionFactory(parent=city)
    a1 = JurisdictionFactory(parent=a, kind=Jurisdiction.Kind.TOWNSHIP)
    elsewhere = JurisdictionFactory(kind=Jurisdiction.Kind.CITY)
    places = [city, a, b, a1, elsewhere]
    people = [PersonFactory() for _i in range(10)]
    first = datetime.date(YEAR, 1, 1)
    rows = []
    used_terms = set()
    for number, (person, level, place, start, length, suspended) in enumerate(mandates):
        term = TermFactory(jurisdiction=places[place], level=level, number=number + 1,
                           start_date=first + datetime.timedelta(days=start))
        if (person, term.pk) in used_terms:
            continue
        used_terms.add((person, term.pk))
        start_date = first + datetime.timedelta(days=start)
        end_date = None if length is None else start_date + datetime.timedelta(days=length)
        rows.append(MandateFactory(person=people[person], term=term, start_date=start_date, end_date=end_date,
                                   status=Mandate.Status.SUSPENDED if suspended else Mandate.Status.SERVING))
    program = make_program(city, start=first - datetime.timedelta(days=300))
    sessions = [make_session(program, date=first + datetime.timedelta(days=d)) for d in session_days]
    seen = set()
    for session_index, mandate_index, state in attendances:
        mandate = rows[mandate_index % len(rows)]
        if (session_index, mandate.person_id) in seen:
            continue
        seen.add((session_index, mandate.person_id))
        TrainingAttendance.objects.create(session=sessions[session_index], person_id=mandate.person_id,
                                          mandate=mandate, attendance=state,
                                          leave_reason="病假" if state == Attendance.LEAVE else "")
    root = [city, a][root_index]

    table = coverage_table(jurisdiction=root, year=YEAR)

    assert _from_table(table) == _recompute(root, YEAR)
    for row in table.rows:
        unit = None if row.own else row.jurisdiction
        assert (untrained_mandates(jurisdiction=root, year=YEAR, level=row.level, unit=unit, own=row.own).count()
                == row.serving - row.trained)
