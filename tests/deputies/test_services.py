"""Writes to the roster: validated, atomic, recorded in the history."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.deputies import services
from apps.deputies.models import Level, Mandate, Person
from tests.factories import DelegationFactory, MandateFactory, PersonFactory, make_id_number

ID = "220102197503120014"


def person_data(**overrides) -> dict:
    data = {"name": "赵六", "gender": "male", "ethnicity": "汉族", "birth_date": datetime.date(1975, 3, 12),
            "id_number": ID, "phone": "13912345678", "party": "cpc"}
    data.update(overrides)
    return data


@pytest.mark.smoke
def test_person_create_writes_the_person_with_pinyin(db):
    person = services.person_create(data=person_data(name="张三丰"))
    assert Person.objects.get() == person
    assert (person.name_pinyin, person.name_initials) == ("zhangsanfeng", "zsf")
    assert person.history.count() == 1


def test_person_create_refuses_an_invalid_id_number(db):
    with pytest.raises(ValidationError) as exc:
        services.person_create(data=person_data(id_number=ID[:17] + "3"))
    assert "id_number" in exc.value.message_dict
    assert not Person.objects.exists()


def test_person_create_refuses_a_duplicate_id_number(db):
    services.person_create(data=person_data())
    with pytest.raises(ValidationError) as exc:
        services.person_create(data=person_data(name="钱七"))
    assert "id_number" in exc.value.message_dict
    assert Person.objects.count() == 1


def test_person_update_keeps_pinyin_in_step_and_records_history(municipal_mandate):
    person = municipal_mandate.person
    services.person_update(person=person, data={"name": "曾国藩", "phone": "13600001111"})
    person.refresh_from_db()
    assert (person.name_pinyin, person.name_initials, person.phone) == ("zengguofan", "zgf", "13600001111")
    assert person.history.first().history_type == "~"


def test_person_update_refuses_an_invalid_phone_and_writes_nothing(municipal_mandate):
    person = municipal_mandate.person
    with pytest.raises(ValidationError):
        services.person_update(person=person, data={"phone": "12345"})
    assert Person.objects.get(pk=person.pk).phone != "12345"


# --- mandates -------------------------------------------------------------------------------------------------

def test_mandate_create_takes_level_and_jurisdiction_from_the_term(county_term):
    mandate = services.mandate_create(person=PersonFactory(), term=county_term, start_date=datetime.date(2022, 2, 1))
    assert (mandate.level, mandate.jurisdiction, mandate.status) == (Level.COUNTY, county_term.jurisdiction,
                                                                     Mandate.Status.SERVING)


def test_a_person_holds_one_mandate_per_term(municipal_mandate, city_term):
    with pytest.raises(ValidationError):
        services.mandate_create(person=municipal_mandate.person, term=city_term, start_date=datetime.date(2022, 2, 1))
    assert Mandate.objects.count() == 1


def test_a_person_may_hold_mandates_at_two_levels(municipal_mandate, county_term):
    services.mandate_create(person=municipal_mandate.person, term=county_term, start_date=datetime.date(2022, 2, 1))
    assert set(municipal_mandate.person.mandates.values_list("level", flat=True)) == {"municipal", "county"}


def test_mandate_create_refuses_a_start_before_the_term(city_term):
    with pytest.raises(ValidationError) as exc:
        services.mandate_create(person=PersonFactory(), term=city_term, start_date=datetime.date(2021, 12, 31))
    assert "start_date" in exc.value.message_dict
    assert not Mandate.objects.exists()


def test_mandate_create_refuses_a_delegation_of_another_term(city_term, county_term):
    with pytest.raises(ValidationError) as exc:
        services.mandate_create(person=PersonFactory(), term=city_term, start_date=datetime.date(2022, 2, 1),
                                delegation=DelegationFactory(term=county_term))
    assert "delegation" in exc.value.message_dict
    assert not Mandate.objects.exists()


def test_mandate_update_moves_level_and_jurisdiction_with_the_term(municipal_mandate, county_term):
    services.mandate_update(mandate=municipal_mandate, data={"term": county_term})
    municipal_mandate.refresh_from_db()
    assert (municipal_mandate.level, municipal_mandate.jurisdiction) == (Level.COUNTY, county_term.jurisdiction)


def test_mandate_update_refuses_a_delegation_of_another_term(municipal_mandate, county_term):
    with pytest.raises(ValidationError):
        services.mandate_update(mandate=municipal_mandate, data={"delegation": DelegationFactory(term=county_term)})
    assert Mandate.objects.get(pk=municipal_mandate.pk).delegation_id is None


@pytest.mark.smoke
def test_person_create_with_mandate_is_atomic(city_term):
    with pytest.raises(ValidationError):
        services.person_create_with_mandate(person_data=person_data(), mandate_data={
            "term": city_term, "start_date": datetime.date(2022, 2, 1), "end_reason": "no-such-reason"})
    assert not Person.objects.exists()
    assert not Mandate.objects.exists()
    assert not Person.history.exists()


def test_person_create_with_mandate_rolls_back_on_a_rule_broken_by_the_mandate(city_term):
    with pytest.raises(ValidationError):
        services.person_create_with_mandate(person_data=person_data(), mandate_data={
            "term": city_term, "start_date": datetime.date(2020, 1, 1)})
    assert not Person.objects.exists()


def test_person_create_with_mandate_writes_both(city_term):
    person = services.person_create_with_mandate(person_data=person_data(), mandate_data={
        "term": city_term, "start_date": datetime.date(2022, 2, 1), "electoral_unit": None})
    assert person.mandates.get().term == city_term


# --- ending a mandate -----------------------------------------------------------------------------------------

@pytest.mark.smoke
def test_mandate_end_sets_status_date_and_reason(municipal_mandate):
    ended = services.mandate_end(mandate=municipal_mandate, end_date=datetime.date(2024, 6, 30),
                                 end_reason=Mandate.EndReason.TRANSFERRED)
    municipal_mandate.refresh_from_db()
    assert (municipal_mandate.status, municipal_mandate.end_date, municipal_mandate.end_reason) == (
        Mandate.Status.ENDED, datetime.date(2024, 6, 30), "transferred")
    assert ended.pk == municipal_mandate.pk
    assert municipal_mandate.history.first().history_type == "~"


def test_a_mandate_ends_only_once(municipal_mandate):
    services.mandate_end(mandate=municipal_mandate, end_date=datetime.date(2024, 6, 30), end_reason="resigned")
    with pytest.raises(ValidationError):
        services.mandate_end(mandate=municipal_mandate, end_date=datetime.date(2024, 7, 1), end_reason="deceased")
    municipal_mandate.refresh_from_db()
    assert municipal_mandate.end_reason == "resigned"


def test_a_mandate_cannot_end_before_it_started(municipal_mandate):
    with pytest.raises(ValidationError):
        services.mandate_end(mandate=municipal_mandate, end_date=datetime.date(2021, 1, 1), end_reason="resigned")
    assert Mandate.objects.get(pk=municipal_mandate.pk).status == Mandate.Status.SERVING


@pytest.mark.parametrize("reason", ["", "bored"])
def test_a_mandate_needs_a_known_end_reason(municipal_mandate, reason):
    with pytest.raises(ValidationError) as exc:
        services.mandate_end(mandate=municipal_mandate, end_date=datetime.date(2024, 6, 30), end_reason=reason)
    assert "请选择代表资格终止的原因" in exc.value.messages[0]
    assert Mandate.objects.get(pk=municipal_mandate.pk).status == Mandate.Status.SERVING


def test_a_mandate_may_end_on_its_first_day(municipal_mandate):
    services.mandate_end(mandate=municipal_mandate, end_date=municipal_mandate.start_date, end_reason="deceased")
    assert Mandate.objects.get(pk=municipal_mandate.pk).status == Mandate.Status.ENDED


# --- the database guards what the services promise -----------------------------------------------------------

@pytest.mark.parametrize("fields", [
    {"end_date": None, "end_reason": "resigned"},
    {"end_date": datetime.date(2024, 1, 1), "end_reason": ""},
    {"end_date": None, "end_reason": ""},
])
def test_the_database_refuses_an_ended_mandate_without_date_and_reason(city_term, fields):
    mandate = MandateFactory(term=city_term)
    with pytest.raises(IntegrityError), transaction.atomic():
        Mandate.objects.filter(pk=mandate.pk).update(status=Mandate.Status.ENDED, **fields)
    assert Mandate.objects.get(pk=mandate.pk).status == Mandate.Status.SERVING


def test_the_database_accepts_an_ended_mandate_with_date_and_reason(city_term):
    mandate = MandateFactory(term=city_term)
    Mandate.objects.filter(pk=mandate.pk).update(status=Mandate.Status.ENDED, end_date=datetime.date(2024, 1, 1),
                                                 end_reason="resigned")
    assert Mandate.objects.get(pk=mandate.pk).status == Mandate.Status.ENDED


def test_the_database_refuses_two_mandates_in_one_term(municipal_mandate, city_term):
    with pytest.raises(IntegrityError), transaction.atomic():
        Mandate.objects.create(person=municipal_mandate.person, term=city_term, level=city_term.level,
                               jurisdiction=city_term.jurisdiction, start_date=city_term.start_date)


def test_the_database_refuses_a_duplicate_id_number(db):
    PersonFactory(id_number=make_id_number(datetime.date(1980, 1, 1), seq=1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(name="钱七", gender="male", ethnicity="汉族", party="cpc",
                              id_number=make_id_number(datetime.date(1980, 1, 1), seq=1))
