"""Which mandates serve on a day or during a period: ``Mandate.objects.serving(on=...)``/``serving_during``,
``serving_sql`` and ``Mandate.serves_on``, the one definition every app asks (activities, training,
self-reports, scoring, reports).

A mandate serves on a day if it started on or before it and has not ended before it (its end date is its last
day served); a suspended mandate does not serve. Each edge is checked through the queryset methods, the SQL
fragment the set-based statements use and the in-memory check the demo uses, which must agree.
"""

import datetime

import pytest
from django.db import connection

from apps.deputies.models import Mandate, serving_sql
from tests.factories import MandateFactory, PersonFactory

START = datetime.date(2024, 3, 1)
END = datetime.date(2024, 6, 30)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def mandate(city_term):
    """A mandate serving from ``START``; each test sets its end and status."""
    return MandateFactory(term=city_term, person=PersonFactory(name="边界"), start_date=START)


def _end(mandate, end_date=END, reason=Mandate.EndReason.RESIGNED):
    Mandate.objects.filter(pk=mandate.pk).update(status=Mandate.Status.ENDED, end_date=end_date, end_reason=reason)


def _in_sql(mandate, first, last, **options) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM deputies_mandate m WHERE m.id = %(pk)s "
                       f"AND {serving_sql('m', '%(first)s', '%(last)s', **options)})",
                       {"pk": mandate.pk, "first": first, "last": last})
        return cursor.fetchone()[0]


def serves_on(mandate, day) -> bool:
    """Whether ``mandate`` serves on ``day``, asserting the queryset, the SQL fragment and the in-memory
    ``Mandate.serves_on`` agree."""
    by_orm = Mandate.objects.serving(on=day).filter(pk=mandate.pk).exists()
    assert by_orm == _in_sql(mandate, day, day), f"the ORM and the SQL disagree on {day}"
    assert by_orm == Mandate.objects.get(pk=mandate.pk).serves_on(day), f"the ORM and serves_on disagree on {day}"
    return by_orm


def serves_during(mandate, first, last, **options) -> bool:
    by_orm = Mandate.objects.serving_during(first, last, **options).filter(pk=mandate.pk).exists()
    assert by_orm == _in_sql(mandate, first, last, **options), f"the ORM and the SQL disagree on {first}–{last}"
    return by_orm


def test_a_mandate_serves_from_the_day_it_starts(mandate):
    assert serves_on(mandate, START)
    assert not serves_on(mandate, START - DAY)


def test_a_mandate_not_started_yet_does_not_serve(city_term):
    later = MandateFactory(term=city_term, start_date=datetime.date(2030, 1, 1))
    assert not serves_on(later, datetime.date(2029, 12, 31))
    assert not Mandate.objects.serving(on=datetime.date(2026, 1, 1)).filter(pk=later.pk).exists()


def test_an_open_ended_mandate_serves_on_every_day_after_its_start(mandate):
    assert serves_on(mandate, START + DAY)
    assert serves_on(mandate, datetime.date(2099, 12, 31))


def test_the_end_date_is_the_last_day_served(mandate):
    _end(mandate)
    assert serves_on(mandate, END)
    assert serves_on(mandate, END - DAY)
    assert not serves_on(mandate, END + DAY)


def test_a_mandate_ended_the_day_before_does_not_serve(mandate):
    _end(mandate, end_date=END - DAY)
    assert not serves_on(mandate, END)


def test_a_mandate_ended_on_the_day_it_started_serves_that_one_day(mandate):
    _end(mandate, end_date=START, reason=Mandate.EndReason.DECEASED)
    assert serves_on(mandate, START)
    assert not serves_on(mandate, START + DAY)
    assert not serves_on(mandate, START - DAY)


@pytest.mark.parametrize("reason", Mandate.EndReason.values)
def test_a_mandate_ended_with_any_reason_served_until_its_end_date(mandate, reason):
    _end(mandate, reason=reason)
    assert serves_on(mandate, END)
    assert not serves_on(mandate, END + DAY)
    assert serves_during(mandate, END, END + 30 * DAY)


def test_an_ended_mandate_whose_end_date_is_still_ahead_serves_until_then(mandate):
    """Ending a mandate records its status at once; the end date, not the status, says which days it served."""
    _end(mandate, end_date=datetime.date(2099, 1, 1))
    assert serves_on(mandate, datetime.date(2098, 12, 31))


def test_a_suspended_mandate_does_not_serve(mandate):
    Mandate.objects.filter(pk=mandate.pk).update(status=Mandate.Status.SUSPENDED)
    assert not serves_on(mandate, START)
    assert not serves_on(mandate, END)
    assert not serves_during(mandate, START, END)


def test_a_suspended_mandate_still_holds_its_seat_when_asked_to_include_it(mandate):
    """A year's score covers the seat held in the year, suspended or not (scoring's scope)."""
    Mandate.objects.filter(pk=mandate.pk).update(status=Mandate.Status.SUSPENDED)
    assert serves_during(mandate, START, END, including_suspended=True)
    assert not serves_during(mandate, START - 10 * DAY, START - DAY, including_suspended=True)


def test_a_period_overlapping_the_start_of_a_mandate_finds_it(mandate):
    assert serves_during(mandate, START - 30 * DAY, START)
    assert not serves_during(mandate, START - 30 * DAY, START - DAY)


def test_a_period_overlapping_the_end_of_a_mandate_finds_it(mandate):
    _end(mandate)
    assert serves_during(mandate, END, END + 30 * DAY)
    assert not serves_during(mandate, END + DAY, END + 30 * DAY)


def test_a_period_covering_the_whole_mandate_or_inside_it_finds_it(mandate):
    _end(mandate)
    assert serves_during(mandate, START - DAY, END + DAY)
    assert serves_during(mandate, START + DAY, END - DAY)


def test_a_one_day_period_is_the_same_as_that_day(mandate):
    _end(mandate)
    for day in (START - DAY, START, END, END + DAY):
        assert serves_during(mandate, day, day) == serves_on(mandate, day)


def test_serving_narrows_any_queryset_of_mandates(city_term, county_term, mandate):
    other = MandateFactory(term=county_term, start_date=START)
    _end(other, end_date=START)
    on = START + DAY
    assert list(Mandate.objects.filter(level=city_term.level).serving(on=on)) == [mandate]
    assert list(Mandate.objects.filter(pk=other.pk).serving(on=on)) == []
    assert set(Mandate.objects.serving(on=START)) == {mandate, other}


# --- who may act now: the present status, not a date ----------------------------------------------------------

@pytest.mark.parametrize(("status", "current"), [(Mandate.Status.SERVING, True), (Mandate.Status.SUSPENDED, False),
                                                 (Mandate.Status.ENDED, False)])
def test_current_is_the_present_status_and_agrees_with_is_serving(mandate, status, current):
    if status == Mandate.Status.ENDED:
        _end(mandate)  # an ended mandate has an end date and a reason (a check constraint)
    else:
        Mandate.objects.filter(pk=mandate.pk).update(status=status)
    mandate.refresh_from_db()
    assert Mandate.objects.current().filter(pk=mandate.pk).exists() is current
    assert mandate.is_serving is current


def test_current_is_not_a_date_question(mandate, city_term):
    """Ended by the office with an end date still ahead: not current, though it serves until then; entered
    ahead of its start: current already, though it does not serve yet."""
    _end(mandate, end_date=END)
    ahead = MandateFactory(term=city_term, person=PersonFactory(name="未到任"), start_date=END + DAY)
    current = set(Mandate.objects.current().values_list("pk", flat=True))
    assert mandate.pk not in current and Mandate.objects.serving(on=END).filter(pk=mandate.pk).exists()
    assert ahead.pk in current and not Mandate.objects.serving(on=END).filter(pk=ahead.pk).exists()


def test_current_narrows_any_queryset_of_mandates(mandate, county_term):
    other = MandateFactory(term=county_term, person=PersonFactory(name="县代表"))
    Mandate.objects.filter(pk=other.pk).update(status=Mandate.Status.SUSPENDED)
    assert list(Mandate.objects.filter(pk__in=[mandate.pk, other.pk]).current()) == [mandate]
