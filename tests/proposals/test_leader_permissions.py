"""Every URL of the leaders' pages × every role: login for the anonymous; committee members open the list (a
member who leads nothing sees an empty one); only the item's leading supervisor opens the item and records
supervision on it (404 for any other member, and for the leader on an item they do not lead); 403 for every
other role (the office uses its own pages)."""

import pytest
from django.urls import reverse

from apps.proposals.models import Proposal, SupervisionRecord
from tests.proposals.leader_support import item_led_by
from tests.proposals.office_support import office_item  # noqa: F401
from tests.security.matrix_support import LOGIN, Matrix

ROLES = ["anonymous", "staff_user", "county_staff_user", "supervisor_user", "member_user", "leader_user",
         "council_member_user", "deputy_user", "unit_user", "sysadmin_user", "secadmin_user", "auditor_user",
         "outsider"]
MEMBERS = {"member_user", "leader_user", "council_member_user"}
LEADER = {"leader_user"}

# url name → (argument kinds, who opens it, who of them sees the item)
URLS = {
    "leader_list": ((), MEMBERS),
    "leader_detail": (("led_item",), MEMBERS),
    "leader_record_add": (("led_item",), MEMBERS),
}
GET_ONLY = {"leader_list", "leader_detail"}
POST_ONLY = {"leader_record_add"}


@pytest.fixture
def records(leader_user):
    return {"led_item": item_led_by(leader_user)}


def _expected(url_name, role, method):
    kinds, who = URLS[url_name]
    if role == "anonymous":
        return LOGIN
    if method == "get" and url_name in POST_ONLY:
        return 405
    if method == "post" and url_name in GET_ONLY:
        return 405
    if role not in who:
        return 403
    if kinds and role not in LEADER:
        return 404
    return 200


def _no_supervision_record(state, before, url_name, role, expected):
    assert state == 0  # the leader: the form again, with errors


MATRIX = Matrix(namespace="proposals", urls=URLS, roles=ROLES, urlconf="apps.proposals.urls_leaders",
                expected=_expected, state=lambda records: SupervisionRecord.objects.count(),
                post_check=_no_supervision_record)

test_every_url_is_in_the_matrix = MATRIX.every_url_test()
test_get_by_role = MATRIX.get_test()
test_empty_post_by_role_writes_nothing = MATRIX.post_test(sorted(POST_ONLY))


@pytest.mark.parametrize("url_name", ["leader_detail", "leader_record_add"])
def test_a_leader_gets_404_on_an_item_led_by_someone_else(client_for, leader_user, office_item, url_name):
    url = reverse(f"proposals:{url_name}", args=[office_item["proposal"].pk])
    client = client_for(leader_user)
    response = client.post(url, {"kind": "meeting", "date": "2026-01-06", "content": "x"}) \
        if url_name == "leader_record_add" else client.get(url)
    assert response.status_code == 404
    assert SupervisionRecord.objects.count() == 0


def test_a_leader_whose_post_has_ended_no_longer_sees_the_item(client_for, leader_user):
    from apps.committee.models import CommitteeMember

    item = item_led_by(leader_user)
    CommitteeMember.objects.filter(user=leader_user).update(end_date="2025-12-31")
    client = client_for(leader_user)
    assert client.get(reverse("proposals:leader_detail", args=[item.pk])).status_code == 404
    assert item.pk not in {p.pk for p in client.get(reverse("proposals:leader_list")).context["page"].object_list}


def test_a_leaders_item_that_is_still_a_draft_is_404(client_for, leader_user):
    item = item_led_by(leader_user)
    Proposal.objects.filter(pk=item.pk).update(state=Proposal.State.DRAFT)
    assert client_for(leader_user).get(reverse("proposals:leader_detail", args=[item.pk])).status_code == 404


def test_a_leader_cannot_act_as_the_office_on_their_own_item(client_for, leader_user):
    """Read-only: the office's item page and its actions stay closed to them (403)."""
    item = item_led_by(leader_user)
    client = client_for(leader_user)
    assert client.get(reverse("proposals:proposal_detail", args=[item.pk])).status_code == 403
    assert client.post(reverse("proposals:supervision_record_add", args=[item.pk]),
                       {"kind": "meeting", "date": "2026-01-06", "content": "x"}).status_code == 403
    assert client.post(reverse("proposals:proposal_assign", args=[item.pk]), {}).status_code == 403
    assert SupervisionRecord.objects.count() == 0
