"""Every stations URL × every role: login, the page, 403 for a role that may not open it, 404 for a record
outside the user's scope (county staff and the city's station, reception day and visit)."""

import pytest
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.stations.models import ReceptionDay, Station, VoterVisit
from tests.security.matrix_support import LOGIN, Matrix, assert_outcome

ROLES = ["anonymous", "staff_user", "county_staff_user", "supervisor_user", "member_user", "deputy_user",
         "unit_user", "sysadmin_user", "secadmin_user", "auditor_user", "outsider"]

# url name → the record its argument names (None: no argument)
URLS = {
    "station_list": None,
    "station_create": None,
    "station_deputy_search": None,
    "station_detail": "station",
    "station_edit": "station",
    "reception_day_create": "station",
    "reception_day_edit": "day",
    "reception_day_delete": "day",
    "reception_day_form": "day",  # the PDF to print (apps/stations/paper.py)
    "my_reception_days": None,
    "visit_list": None,
    "visit_export": None,
    "visit_create": None,
    "visit_detail": "visit",
    "visit_reveal": "visit",
    "visit_edit": "visit",
    "visit_follow_up": "visit",
    "visit_close": "visit",
    "visit_suggestion": "visit",
}
POST_ONLY = {"reception_day_delete", "visit_reveal"}
GET_ONLY = {"station_list", "station_deputy_search", "station_detail", "reception_day_form", "my_reception_days", "visit_list",
            "visit_export", "visit_detail"}
WRITE_URLS = sorted(set(URLS) - GET_ONLY - POST_ONLY)

STAFF = {"staff_user", "county_staff_user"}
OFFICE = STAFF | {"supervisor_user"}
OPENS = {name: STAFF for name in URLS}
OPENS.update({"station_list": OFFICE, "station_detail": OFFICE, "visit_list": OFFICE, "visit_export": OFFICE, "visit_detail": OFFICE,
              "my_reception_days": {"deputy_user"}})
OUT_OF_SCOPE = {"county_staff_user"}
# A deputy opens the suggestion draft page of a visit on a reception day they were on duty for; the fixture's
# visit is on none, so it is out of their scope (404), see tests/stations/test_voter_issue_suggestion.py.
OPENS["visit_suggestion"] = STAFF | {"deputy_user"}
OUT_OF_SCOPE_BY_URL = {"visit_suggestion": {"county_staff_user", "deputy_user"}}


@pytest.fixture
def records(city_station, reception_day, visit):
    return {"station": city_station, "day": reception_day, "visit": visit}


def _url(url_name, records):
    kind = URLS[url_name]
    return reverse(f"stations:{url_name}", args=[] if kind is None else [records[kind].pk])


def _expected(url_name, role, method):
    if role == "anonymous":
        return LOGIN
    if method == "get" and url_name in POST_ONLY:
        return 405
    if method == "post" and url_name in GET_ONLY:
        return 405
    if role not in OPENS[url_name]:
        return 403
    if URLS[url_name] is not None and role in OUT_OF_SCOPE_BY_URL.get(url_name, OUT_OF_SCOPE):
        return 404
    return 200


def _state():
    return (sorted(Station.objects.values_list("name", "address", "is_active")),
            sorted(ReceptionDay.objects.values_list("date", "note", "start_time")),
            sorted(VoterVisit.objects.values_list("status", "issue", "follow_up_by", "result")),
            Station.deputies.through.objects.count(), ReceptionDay.deputies.through.objects.count(),
            VoterVisit.deputies.through.objects.count())


MATRIX = Matrix(namespace="stations", urls=URLS, roles=ROLES, expected=_expected, url=_url,
                state=lambda records: _state())

test_get_by_role = MATRIX.get_test()
test_empty_post_by_role_writes_nothing = MATRIX.post_test(WRITE_URLS)


def test_every_url_is_in_the_matrix():
    from apps.stations.urls import urlpatterns

    assert {p.name for p in urlpatterns} == set(URLS) == set(OPENS)


def test_deleting_a_reception_day_by_role(request, records):
    def cell(client, url, role, expected):
        response = client.post(url)
        if expected == 200:
            assert response.status_code == 302
        else:
            assert_outcome(response, expected)
        assert ReceptionDay.objects.filter(pk=records["day"].pk).exists() == (expected != 200)

    MATRIX.check_roles(request, "reception_day_delete", "post", cell)


def test_revealing_a_visitors_phone_by_role(request, records):
    def cell(client, url, role, expected):
        assert_outcome(client.post(url), expected)
        revealed = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_PERSONAL_DATA,
                                             object_id=str(records["visit"].pk)).exists()
        assert revealed == (expected == 200)

    MATRIX.check_roles(request, "visit_reveal", "post", cell)


def test_county_staff_see_none_of_the_citys_records_in_their_lists(client_for, records, county_staff_user):
    client = client_for(county_staff_user)
    assert list(client.get(reverse("stations:station_list")).context["page"].object_list) == []
    assert list(client.get(reverse("stations:visit_list")).context["page"].object_list) == []


def test_county_staff_cannot_log_a_visit_at_the_citys_station(client_for, records, county_staff_user):
    url = reverse("stations:visit_create") + f"?station={records['station'].pk}"
    assert client_for(county_staff_user).get(url).status_code == 404


def test_city_staff_see_a_county_station(client_for, county, county_mandate, staff_user):
    from tests.stations.conftest import make_station

    station = make_station(county, name="县站", deputies=[county_mandate.person])
    response = client_for(staff_user).get(reverse("stations:station_list"))
    assert [s.pk for s in response.context["page"].object_list] == [station.pk]
