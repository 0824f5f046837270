"""The stations services: happy paths and bad input (clear messages, nothing written)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from apps.stations import services
from apps.stations.models import ReceptionDay, Station, VoterVisit
from tests.factories import MandateFactory, PersonFactory
from tests.stations.conftest import make_day


def _station_args(city, **kwargs):
    return {"name": "新站", "jurisdiction": city, "address": "人民大街1号", "responsible_name": "王站长", **kwargs}


def test_a_station_is_created_with_deputies_serving_in_its_subtree(city, municipal_mandate, county_mandate,
                                                                    staff_user):
    station = services.station_create(**_station_args(city, responsible_phone="０４３１-88888888"),
                                      deputies=[municipal_mandate.person, county_mandate.person], user=staff_user)
    assert set(station.deputies.all()) == {municipal_mandate.person, county_mandate.person}
    assert station.responsible_phone == "0431-88888888"
    assert station.history.first().history_user == staff_user


def test_a_county_station_refuses_a_deputy_serving_only_at_city_level(county, municipal_mandate, county_mandate):
    with pytest.raises(ValidationError) as exc:
        services.station_create(**_station_args(county), deputies=[municipal_mandate.person, county_mandate.person])
    assert "张三丰" in exc.value.message_dict["deputies"][0]
    assert not Station.objects.exists()


def test_a_deputy_whose_mandate_ended_cannot_be_attached(city, city_term):
    ended = MandateFactory(term=city_term, person=PersonFactory(name="钱七"), status="ended",
                           end_date=datetime.date(2024, 1, 1), end_reason="resigned")
    with pytest.raises(ValidationError) as exc:
        services.station_create(**_station_args(city), deputies=[ended.person])
    assert "钱七" in exc.value.message_dict["deputies"][0]


def test_a_station_needs_a_name_address_and_responsible_person_and_a_valid_phone(city):
    with pytest.raises(ValidationError) as exc:
        services.station_create(name=" ", jurisdiction=city, address="", responsible_name="",
                                responsible_phone="12345")
    assert set(exc.value.message_dict) == {"name", "address", "responsible_name", "responsible_phone"}


def test_two_stations_of_a_jurisdiction_cannot_share_a_name(city, city_station):
    with pytest.raises(ValidationError) as exc:
        services.station_create(**_station_args(city, name=city_station.name))
    assert "name" in exc.value.message_dict


def test_updating_a_station_changes_its_deputies(city_station, county_mandate):
    services.station_update(station=city_station, **_station_args(city_station.jurisdiction, name="改名站"),
                            deputies=[county_mandate.person], is_active=False)
    city_station.refresh_from_db()
    assert (city_station.name, city_station.is_active) == ("改名站", False)
    assert list(city_station.deputies.all()) == [county_mandate.person]


def test_a_reception_day_is_scheduled_with_attached_deputies(city_station, municipal_mandate, today):
    day = services.reception_day_create(station=city_station, date=today, deputies=[municipal_mandate.person],
                                        start_time=datetime.time(9), end_time=datetime.time(11), note=" 带材料 ")
    assert list(day.deputies.all()) == [municipal_mandate.person]
    assert day.note == "带材料"


def test_a_reception_day_refuses_deputies_not_attached_and_bad_times(city_station, county_mandate, today):
    with pytest.raises(ValidationError) as exc:
        services.reception_day_create(station=city_station, date=today, deputies=[county_mandate.person],
                                      start_time=datetime.time(11), end_time=datetime.time(9))
    assert "李四" in exc.value.message_dict["deputies"][0]
    assert "end_time" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.reception_day_create(station=city_station, date=None, deputies=[], start_time=datetime.time(9))
    assert set(exc.value.message_dict) == {"date", "deputies", "end_time"}
    assert not ReceptionDay.objects.exists()


def test_one_reception_day_per_station_and_date(reception_day, municipal_mandate):
    with pytest.raises(ValidationError) as exc:
        services.reception_day_create(station=reception_day.station, date=reception_day.date,
                                      deputies=[municipal_mandate.person])
    assert "date" in exc.value.message_dict


def test_moving_a_reception_day_resets_its_reminder(reception_day, municipal_mandate):
    from django.utils import timezone

    ReceptionDay.objects.filter(pk=reception_day.pk).update(reminded_at=timezone.now())
    day = services.reception_day_update(day=reception_day, date=reception_day.date + datetime.timedelta(days=7),
                                        deputies=[municipal_mandate.person])
    assert day.reminded_at is None


def test_a_reception_day_with_visits_cannot_be_deleted(reception_day, visit):
    visit.reception_day, visit.date = reception_day, reception_day.date
    visit.save()
    with pytest.raises(ValidationError):
        services.reception_day_delete(day=reception_day)
    assert ReceptionDay.objects.filter(pk=reception_day.pk).exists()


def test_a_visit_is_logged_open(city_station, municipal_mandate, staff_user, today):
    day = make_day(city_station, today, deputies=[municipal_mandate.person])
    visit = services.visit_create(station=city_station, date=today, reception_day=day, issue=" 路灯 ",
                                  category="urban", deputies=[municipal_mandate.person], visitor_phone="138 1234 5678",
                                  created_by=staff_user)
    assert (visit.status, visit.issue, visit.visitor_phone, visit.created_by) == ("open", "路灯", "13812345678",
                                                                                    staff_user)


def test_a_visit_refuses_another_stations_day_a_future_date_and_a_bad_phone(city, city_station, today,
                                                                             county_mandate):
    other = Station.objects.create(jurisdiction=city, name="别站", address="x", responsible_name="y")
    day = make_day(other, today)
    with pytest.raises(ValidationError) as exc:
        services.visit_create(station=city_station, date=today, reception_day=day, issue="x", category="urban",
                              visitor_phone="12345", deputies=[county_mandate.person])
    assert set(exc.value.message_dict) == {"reception_day", "visitor_phone", "deputies"}
    with pytest.raises(ValidationError) as exc:
        services.visit_create(station=city_station, date=today + datetime.timedelta(days=1), issue="",
                              category="nonsense")
    assert set(exc.value.message_dict) == {"date", "issue", "category"}
    assert not VoterVisit.objects.exists()


def test_follow_up_then_close(visit, staff_user, today):
    services.visit_follow_up(visit=visit, follow_up_by="街道办", follow_up_action="修路灯", follow_up_due=today,
                             user=staff_user)
    visit.refresh_from_db()
    assert visit.status == VoterVisit.Status.IN_PROGRESS
    services.visit_close(visit=visit, result="已修好", result_told_at=today, user=staff_user)
    visit.refresh_from_db()
    assert (visit.status, visit.result, visit.result_told_at) == ("closed", "已修好", today)
    assert visit.closed_at is not None


def test_follow_up_needs_who_what_and_a_due_date_not_before_the_visit(visit):
    with pytest.raises(ValidationError) as exc:
        services.visit_follow_up(visit=visit, follow_up_by="", follow_up_action=" ", follow_up_due=None)
    assert set(exc.value.message_dict) == {"follow_up_by", "follow_up_action", "follow_up_due"}
    with pytest.raises(ValidationError) as exc:
        services.visit_follow_up(visit=visit, follow_up_by="a", follow_up_action="b",
                                 follow_up_due=visit.date - datetime.timedelta(days=1))
    assert "follow_up_due" in exc.value.message_dict
    visit.refresh_from_db()
    assert visit.status == VoterVisit.Status.OPEN


def test_closing_needs_a_result_and_a_date(visit, today):
    with pytest.raises(ValidationError) as exc:
        services.visit_close(visit=visit, result=" ", result_told_at=None)
    assert set(exc.value.message_dict) == {"result", "result_told_at"}
    with pytest.raises(ValidationError) as exc:
        services.visit_close(visit=visit, result="x", result_told_at=today + datetime.timedelta(days=1))
    assert "result_told_at" in exc.value.message_dict


def test_a_closed_visit_cannot_be_closed_again_followed_up_or_edited(visit, today):
    services.visit_close(visit=visit, result="已答复", result_told_at=today)
    with pytest.raises(ValidationError, match="办结"):
        services.visit_close(visit=visit, result="again", result_told_at=today)
    with pytest.raises(ValidationError, match="办结"):
        services.visit_follow_up(visit=visit, follow_up_by="a", follow_up_action="b", follow_up_due=today)
    with pytest.raises(ValidationError, match="办结"):
        services.visit_update(visit=visit, date=today, issue="changed", category="other")
    visit.refresh_from_db()
    assert (visit.result, visit.issue) == ("已答复", "小区路灯不亮")


def test_a_reception_days_hours_are_labelled_as_times_not_dates(client_for, staff_user, city_station, settings):
    """"From"/"To" are a date range's ends (起始日期/截止日期) elsewhere: a reception day's hours say 开始/结束时间."""
    from django.urls import reverse

    settings.LANGUAGE_CODE = "zh-hans"
    page = client_for(staff_user).get(reverse("stations:reception_day_create", args=[city_station.pk])).content.decode()
    assert "开始时间" in page and "结束时间" in page and "截止日期" not in page
