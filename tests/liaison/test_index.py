"""``/liaison/``: the bare address takes each role to its main page of the area (the office to this year's plan,
a committee member to their assignments, a deputy to their requests); every other role is refused (403) and
the anonymous are sent to log in."""

import pytest
from django.urls import reverse

from tests.security.matrix_support import LOGIN, assert_outcome, client_as

# url name → who opens it (the url-matrix table of this module)
URLS = {"index": "office, member, deputy"}
MAIN_PAGE = {
    "staff_user": "liaison:plan_current",
    "county_staff_user": "liaison:plan_current",
    "supervisor_user": "liaison:plan_current",
    "member_user": "liaison:member_my",
    "deputy_user": "liaison:my_request_list",
}
REFUSED = ["unit_user", "sysadmin_user", "secadmin_user", "auditor_user", "outsider"]


def test_the_anonymous_are_sent_to_log_in(client, db):
    assert_outcome(client.get(reverse("liaison:index")), LOGIN)


@pytest.mark.parametrize(("role", "target"), MAIN_PAGE.items())
def test_the_index_leads_each_role_to_its_main_page(request, role, target):
    response = client_as(request, role).get(reverse("liaison:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse(target)


@pytest.mark.parametrize("role", REFUSED)
def test_roles_that_do_not_use_the_liaison_area_are_refused(request, role):
    assert_outcome(client_as(request, role).get(reverse("liaison:index")), 403)


def test_the_index_answers_only_reads(request):
    assert_outcome(client_as(request, "staff_user").post(reverse("liaison:index")), 405)


def test_a_staff_member_arrives_on_this_years_plan(client_for, staff_user):
    response = client_for(staff_user).get(reverse("liaison:index"), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith("/liaison/plans/")
