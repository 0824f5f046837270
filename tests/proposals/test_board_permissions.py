"""Every board URL × every role: login for the anonymous, the page for supervisors and staff (of the city or a
county: the figures are their jurisdiction's) and for a leader of the supervision of an item (the figures of the
items they lead), 403 for any other role; both pages only read (POST is 405)."""

import pytest
from django.urls import reverse

from apps.proposals.models import Proposal
from tests.proposals import board_support as support
from tests.security.matrix_support import Matrix, client_as, standard_rule

ROLES = ["anonymous", "staff_user", "county_staff_user", "supervisor_user", "member_user", "deputy_user",
         "unit_user", "sysadmin_user", "secadmin_user", "auditor_user", "outsider", "leader_user",
         "council_member_user"]
OFFICE = {"staff_user", "county_staff_user", "supervisor_user"}
# A leader of the supervision of an item opens the board read-only (the figures of the items they lead); a
# council member leading nothing, like any other member, gets 403.
LEADERS = {"leader_user"}

# url name → (argument kinds, who opens it)
URLS = {
    "board": ((), OFFICE | LEADERS),
    "board_items": ((), OFFICE | LEADERS),
    "board_co_units": ((), OFFICE | LEADERS),
    "board_export": ((), OFFICE | LEADERS),
    "board_items_export": ((), OFFICE | LEADERS),
}
GET_ONLY = set(URLS)


@pytest.fixture
def records(municipal_mandate, county_mandate):
    return {"city_item": support.item(mandate=municipal_mandate, state=Proposal.State.SUBMITTED),
            "county_item": support.item(mandate=county_mandate, state=Proposal.State.SUBMITTED)}


def _url(url_name):
    return reverse(f"proposals:{url_name}")


MATRIX = Matrix(namespace="proposals", urls=URLS, roles=ROLES, urlconf="apps.proposals.urls_board",
                expected=standard_rule(URLS, get_only=GET_ONLY))

test_every_url_is_in_the_matrix = MATRIX.every_url_test()
test_get_by_role = MATRIX.get_test()
test_post_by_role = MATRIX.post_test()


@pytest.mark.parametrize("role, items", [("staff_user", {"city_item", "county_item"}),
                                         ("supervisor_user", {"city_item", "county_item"}),
                                         ("county_staff_user", {"county_item"})])
def test_each_office_sees_the_items_of_its_jurisdiction_and_below(request, role, items, records):
    response = client_as(request, role).get(f"{_url('board_items')}?figure=total")
    assert {p.pk for p in response.context["page"].object_list} == {records[k].pk for k in items}
    board = client_as(request, role).get(_url("board")).context["board"]
    assert board.totals.counts["total"] == len(items)
