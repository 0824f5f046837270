"""The stations pages: phone masking per role, the forms end to end, closed visits, and constant query counts."""

import datetime

import pytest
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.stations.models import ReceptionDay, Station, VoterVisit
from tests.factories import MandateFactory, PersonFactory
from tests.stations.conftest import VISITOR_PHONE, make_day, make_station, make_visit

MASKED = "138****5678"


# --- phone masking ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["staff_user", "supervisor_user"])
def test_the_visitors_phone_is_masked_on_list_and_detail(request, client_for, visit, role):
    client = client_for(request.getfixturevalue(role))
    for url in (reverse("stations:visit_list"), reverse("stations:visit_detail", args=[visit.pk]),
                reverse("stations:station_detail", args=[visit.station_id])):
        body = client.get(url).content.decode()
        assert VISITOR_PHONE not in body
    assert MASKED in client.get(reverse("stations:visit_detail", args=[visit.pk])).content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_PERSONAL_DATA).exists()


def test_staff_may_reveal_the_phone_and_it_is_audited(client_for, staff_user, visit):
    client = client_for(staff_user)
    assert 'id="reveal"' in client.get(reverse("stations:visit_detail", args=[visit.pk])).content.decode()
    response = client.post(reverse("stations:visit_reveal", args=[visit.pk]))
    assert VISITOR_PHONE in response.content.decode()
    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEW_PERSONAL_DATA)
    assert (event.user, event.action, event.object_type, event.object_id) == (
        staff_user, AuditEvent.Action.VIEW_PERSONAL_DATA, "stations.VoterVisit", str(visit.pk))


def test_a_supervisor_has_no_reveal_button(client_for, supervisor_user, visit):
    body = client_for(supervisor_user).get(reverse("stations:visit_detail", args=[visit.pk])).content.decode()
    assert 'id="reveal"' not in body
    assert 'id="visit-edit"' not in body


def test_the_edit_form_shows_the_phone_to_staff_and_audits_it(client_for, staff_user, visit):
    body = client_for(staff_user).get(reverse("stations:visit_edit", args=[visit.pk])).content.decode()
    assert VISITOR_PHONE in body
    assert AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_PERSONAL_DATA).count() == 1


# --- stations -----------------------------------------------------------------------------------------------

def test_staff_create_a_station_with_a_deputy_found_by_initials(client_for, staff_user, city, municipal_mandate):
    client = client_for(staff_user)
    data = {"name": "南湖站", "jurisdiction": city.pk, "address": "南湖路", "responsible_name": "刘",
            "is_active": "on", "q": "zsf", "search": "1"}
    response = client.post(reverse("stations:station_create"), data)
    assert [p.pk for p in response.context["found"]] == [municipal_mandate.person_id]
    assert not Station.objects.exists()
    data.pop("search")
    data["deputies"] = [municipal_mandate.person_id]
    response = client.post(reverse("stations:station_create"), data)
    station = Station.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("stations:station_detail",
                                                                           args=[station.pk])
    assert list(station.deputies.all()) == [municipal_mandate.person]


def test_the_deputy_search_fragment_finds_by_pinyin(client_for, staff_user, municipal_mandate, city):
    response = client_for(staff_user).get(reverse("stations:station_deputy_search"),
                                          {"q": "zhangsan", "jurisdiction": city.pk})
    assert "张三丰" in response.content.decode()


def test_county_staff_cannot_put_a_station_in_the_city(client_for, county_staff_user, city):
    response = client_for(county_staff_user).post(reverse("stations:station_create"), {
        "name": "越权站", "jurisdiction": city.pk, "address": "x", "responsible_name": "y"})
    assert response.status_code == 200 and "jurisdiction" in response.context["form"].errors
    assert not Station.objects.exists()


def test_station_list_counts(client_for, staff_user, city_station, reception_day, visit, today):
    make_day(city_station, today - datetime.timedelta(days=5))
    make_visit(city_station, status=VoterVisit.Status.CLOSED, result="x", result_told_at=today)
    response = client_for(staff_user).get(reverse("stations:station_list"))
    row = response.context["page"].object_list[0]
    assert (row.deputy_count, row.upcoming_count, row.open_visit_count) == (1, 1, 1)


def _many(city, city_term, n, today, start=0):
    for i in range(start, start + n):
        people = [MandateFactory(term=city_term, person=PersonFactory()).person for _ in range(2)]
        station = make_station(city, name=f"站{i}", deputies=people)
        make_day(station, today + datetime.timedelta(days=1), deputies=people)
        make_visit(station, deputies=people, visitor_phone="13900000000",
                   follow_up_due=today - datetime.timedelta(days=1), status=VoterVisit.Status.IN_PROGRESS)


def test_station_list_query_count_does_not_grow(client_for, staff_user, city, city_term, today,
                                                django_assert_max_num_queries):
    client = client_for(staff_user)
    _many(city, city_term, 2, today)
    with django_assert_max_num_queries(8) as few:
        client.get(reverse("stations:station_list"))
    _many(city, city_term, 10, today, start=2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("stations:station_list"))
    assert len(response.context["page"].object_list) == 12


def test_visit_list_query_count_does_not_grow(client_for, staff_user, city, city_term, today,
                                              django_assert_max_num_queries):
    client = client_for(staff_user)
    _many(city, city_term, 2, today)
    with django_assert_max_num_queries(8) as few:
        client.get(reverse("stations:visit_list"))
    _many(city, city_term, 10, today, start=2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("stations:visit_list"), {"status": "in_progress"})
    rows = response.context["page"].object_list
    assert len(rows) == 12 and all(v.is_overdue for v in rows)


# --- visits -------------------------------------------------------------------------------------------------

def test_visit_list_filters(client_for, staff_user, city_station, visit, today):
    other = make_visit(city_station, date=today, category=VoterVisit.Category.HEALTH)
    client = client_for(staff_user)

    def rows(**params):
        return [v.pk for v in client.get(reverse("stations:visit_list"), params).context["page"].object_list]

    assert rows(category="health") == [other.pk]
    assert rows(date_to=(today - datetime.timedelta(days=1)).isoformat()) == [visit.pk]
    assert rows(station=city_station.pk, status="open") == [other.pk, visit.pk]
    assert rows(overdue="on") == []


def test_staff_log_a_visit_then_follow_up_and_close(client_for, staff_user, city_station, municipal_mandate, today):
    client = client_for(staff_user)
    assert "chooser" in client.get(reverse("stations:visit_create")).context
    url = reverse("stations:visit_create") + f"?station={city_station.pk}"
    response = client.post(url, {"date": today.isoformat(), "deputies": [municipal_mandate.person_id],
                                 "visitor_phone": "12", "issue": "噪音扰民", "category": "environment"})
    assert "visitor_phone" in response.context["form"].errors
    assert not VoterVisit.objects.exists()
    response = client.post(url, {"date": today.isoformat(), "deputies": [municipal_mandate.person_id],
                                 "visitor_phone": VISITOR_PHONE, "issue": "噪音扰民", "category": "environment"})
    visit = VoterVisit.objects.get()
    assert response["Location"] == reverse("stations:visit_detail", args=[visit.pk])
    assert visit.created_by == staff_user

    due = today - datetime.timedelta(days=0)
    client.post(reverse("stations:visit_follow_up", args=[visit.pk]),
                {"follow_up_by": "环保局", "follow_up_action": "现场检查", "follow_up_due": due.isoformat()})
    visit.refresh_from_db()
    assert visit.status == VoterVisit.Status.IN_PROGRESS

    client.post(reverse("stations:visit_close", args=[visit.pk]),
                {"result": "已整改", "result_told_at": today.isoformat()})
    visit.refresh_from_db()
    assert visit.status == VoterVisit.Status.CLOSED


@pytest.mark.parametrize("url_name", ["visit_edit", "visit_follow_up", "visit_close"])
def test_a_closed_visit_cannot_be_changed_from_its_pages(client_for, staff_user, visit, today, url_name):
    VoterVisit.objects.filter(pk=visit.pk).update(status="closed", result="已答复", result_told_at=today)
    client = client_for(staff_user)
    url = reverse(f"stations:{url_name}", args=[visit.pk])
    response = client.post(url, {"result": "再次", "result_told_at": today.isoformat(), "issue": "改",
                                 "category": "other", "date": today.isoformat()}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("stations:visit_detail", args=[visit.pk])
    assert "办结" in " ".join(str(m) for m in response.context["messages"])
    visit.refresh_from_db()
    assert (visit.result, visit.issue) == ("已答复", "小区路灯不亮")


def test_an_overdue_follow_up_is_flagged(client_for, staff_user, visit, today):
    VoterVisit.objects.filter(pk=visit.pk).update(status="in_progress", follow_up_by="x", follow_up_action="y",
                                                  follow_up_due=today - datetime.timedelta(days=1))
    response = client_for(staff_user).get(reverse("stations:visit_detail", args=[visit.pk]))
    assert response.context["visit"].is_overdue
    assert 'class="badge text-bg-danger"' in response.content.decode()


def test_scheduling_a_day_with_a_deputy_not_attached_is_refused(client_for, staff_user, city_station,
                                                                county_mandate, today):
    response = client_for(staff_user).post(reverse("stations:reception_day_create", args=[city_station.pk]),
                                           {"date": today.isoformat(), "deputies": [county_mandate.person_id]})
    assert "deputies" in response.context["form"].errors
    assert not ReceptionDay.objects.exists()


def test_scheduling_and_editing_a_day(client_for, staff_user, city_station, municipal_mandate, today):
    client = client_for(staff_user)
    response = client.post(reverse("stations:reception_day_create", args=[city_station.pk]),
                           {"date": today.isoformat(), "start_time": "09:00", "end_time": "11:00",
                            "deputies": [municipal_mandate.person_id], "note": "第一期"})
    assert response.status_code == 302
    day = ReceptionDay.objects.get()
    client.post(reverse("stations:reception_day_edit", args=[day.pk]),
                {"date": today.isoformat(), "deputies": [municipal_mandate.person_id], "note": "改期"})
    day.refresh_from_db()
    assert (day.note, day.start_time) == ("改期", None)
