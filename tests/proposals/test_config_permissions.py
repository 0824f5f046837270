"""Every reference data URL × every role: login, the page, 403 for a role that may not open it (supervisors
only read), 404 for a row outside the user's scope (county staff and the city's rule, unit or session) and for
a date that is no date."""

import pytest
from django.urls import reverse

from apps.core.models import AuditEvent, CalendarDay, HandlingUnit
from apps.deputies.models import Session
from apps.proposals.models import Category, HandlingRule
from tests.proposals.config_support import (  # noqa: F401
    category_education, city_rule, city_session, city_unit,
)
from tests.security.matrix_support import Matrix, assert_outcome_or_redirect, standard_rule

ROLES = ["anonymous", "staff_user", "county_staff_user", "supervisor_user", "member_user", "leader_user",
         "council_member_user", "deputy_user", "unit_user", "sysadmin_user", "secadmin_user", "auditor_user",
         "outsider"]
STAFF = {"staff_user", "county_staff_user"}
OFFICE = STAFF | {"supervisor_user"}

# url name → (argument kinds, who opens it)
URLS = {
    "rule_list": ((), OFFICE),
    "rule_create": ((), STAFF),
    "rule_edit": (("rule",), STAFF),
    "calendar": ((), OFFICE),
    "calendar_day_edit": (("date",), STAFF),
    "calendar_sync": ((), STAFF),
    "unit_list": ((), OFFICE),
    "unit_create": ((), STAFF),
    "unit_edit": (("unit",), STAFF),
    "category_list": ((), OFFICE),
    "category_create": ((), STAFF),
    "category_edit": (("category",), STAFF),
    "session_list": ((), OFFICE),
    "session_create": ((), STAFF),
    "session_edit": (("session",), STAFF),
}
POST_ONLY = {"calendar_sync"}
GET_ONLY = {"rule_list", "calendar", "unit_list", "category_list", "session_list"}
WRITE_URLS = sorted(set(URLS) - GET_ONLY)
# Rows of the city are out of the county's scope; the calendar and the categories are everyone's.
SCOPED = {"rule", "unit", "session"}
OUT_OF_SCOPE = {"county_staff_user"}


@pytest.fixture
def records(city_rule, city_unit, city_session, category_education):
    return {"rule": city_rule, "unit": city_unit, "session": city_session, "category": category_education,
            "date": "2026-10-10"}


def _url(url_name, records):
    kinds, _who = URLS[url_name]
    args = [records[k] if k == "date" else records[k].pk for k in kinds]
    return reverse(f"proposals:{url_name}", args=args)


def _state():
    return (sorted(HandlingRule.objects.values_list("jurisdiction", "kind", "base_months", "max_total_months",
                                                    "version")),
            sorted(HandlingUnit.objects.values_list("name", "kind", "jurisdiction", "is_active")),
            sorted(Category.objects.values_list("name", "position", "is_active")),
            sorted(Session.objects.values_list("term", "number", "name", "opens_on", "closes_on")),
            sorted(CalendarDay.objects.values_list("date", "is_working_day", "name", "source")))


def _state_and_syncs(records):
    return _state(), AuditEvent.objects.filter(action=AuditEvent.Action.BULK_CHANGE).count()


def _only_the_sync_writes(state, before, url_name, role, expected):
    """An empty post writes nothing (the forms need their fields), except the sync button, which needs nothing
    more and is checked to run only for staff."""
    assert state[0] == before[0]
    assert state[1] - before[1] == (1 if url_name == "calendar_sync" and expected == 200 else 0)


MATRIX = Matrix(namespace="proposals", urls=URLS, roles=ROLES, urlconf="apps.proposals.urls_config", url=_url,
                expected=standard_rule(URLS, post_only=POST_ONLY, get_only=GET_ONLY, out_of_scope=OUT_OF_SCOPE,
                                       scoped=SCOPED),
                post_outcome=assert_outcome_or_redirect, state=_state_and_syncs, post_check=_only_the_sync_writes)

test_every_url_is_in_the_matrix = MATRIX.every_url_test()
test_get_by_role = MATRIX.get_test()
test_empty_post_by_role = MATRIX.post_test(WRITE_URLS)


@pytest.mark.parametrize("date", ["x", "2026-02-30", "2026-1-01", "20261001", "2026-13-01", "9999-99-99"])
def test_a_date_that_is_no_date_is_a_404(client_for, staff_user, date):
    url = reverse("proposals:calendar_day_edit", args=[date])
    assert client_for(staff_user).get(url).status_code == 404
    assert client_for(staff_user).post(url, {"is_working_day": "0", "name": "假日"}).status_code == 404


def test_removing_a_day_that_is_not_in_the_calendar_is_a_404(client_for, staff_user):
    url = reverse("proposals:calendar_day_edit", args=["2026-03-11"])
    assert client_for(staff_user).post(url, {"delete": "1"}).status_code == 404


def test_county_staff_cannot_edit_the_citys_rule_unit_or_session(client_for, county_staff_user, records):
    before = _state()
    client = client_for(county_staff_user)
    for url_name, data in [("rule_edit", {"clock_start": "assigned", "base_months": 4, "max_total_months": 6,
                                          "co_opinion_months": 1, "rehandling_months": 1, "return_working_days": 5,
                                          "rating_working_days": 20, "min_signers": 1}),
                           ("unit_edit", {"name": "改名", "kind": "court",
                                          "jurisdiction": records["unit"].jurisdiction_id}),
                           ("session_edit", {"number": 4, "name": "改名", "opens_on": "2026-01-10",
                                             "closes_on": "2026-01-14"})]:
        assert client.post(_url(url_name, records), data).status_code == 404
    assert _state() == before


def test_supervisors_see_the_pages_without_edit_links(client_for, supervisor_user, records):
    client = client_for(supervisor_user)
    assert reverse("proposals:rule_edit", args=[records["rule"].pk]) not in \
        client.get(reverse("proposals:rule_list")).content.decode()
    assert reverse("proposals:unit_edit", args=[records["unit"].pk]) not in \
        client.get(reverse("proposals:unit_list")).content.decode()
    assert reverse("proposals:category_edit", args=[records["category"].pk]) not in \
        client.get(reverse("proposals:category_list")).content.decode()
    assert reverse("proposals:session_edit", args=[records["session"].pk]) not in \
        client.get(reverse("proposals:session_list")).content.decode()
    page = client.get(reverse("proposals:calendar") + "?year=2026").content.decode()
    assert reverse("proposals:calendar_day_edit", args=["2026-10-10"]) not in page
    assert reverse("proposals:calendar_sync") not in page


def test_a_supervisor_cannot_sync_the_calendar(client_for, supervisor_user):
    assert client_for(supervisor_user).post(reverse("proposals:calendar_sync")).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.BULK_CHANGE).exists()
