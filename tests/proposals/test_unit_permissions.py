"""Every handling-unit URL × every role: login for the anonymous, the page for the unit whose assignment it
is, 404 for another unit's user (the assignment is not theirs), 403 for every other role."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.proposals.models import (
    Assignment, Communication, ExtensionRequest, FollowUp, Proposal, Reply,
)
from tests.proposals import factories as f
from tests.proposals.unit_support import other_unit, other_unit_user, unit  # noqa: F401
from tests.security.matrix_support import LOGIN, Matrix, assert_outcome_or_redirect

ROLES = ["anonymous", "unit_user", "other_unit_user", "staff_user", "county_staff_user", "supervisor_user",
         "member_user", "leader_user", "council_member_user", "deputy_user", "sysadmin_user", "secadmin_user",
         "auditor_user", "outsider"]
UNIT = {"unit_user"}

# url name → (argument kinds, who opens it)
URLS = {
    "unit_inbox": ((), UNIT),
    "unit_assignment": (("assignment",), UNIT),
    "unit_accept": (("assignment",), UNIT),
    "unit_contact_reveal": (("assignment",), UNIT),
    "unit_return": (("assignment",), UNIT),
    "unit_communication_add": (("assignment",), UNIT),
    "unit_opinion": (("assignment",), UNIT),
    "unit_reply": (("assignment",), UNIT),
    "unit_reply_edit": (("assignment",), UNIT),
    "unit_extension_request": (("assignment",), UNIT),
    "unit_follow_up_report": (("assignment", "follow_up"), UNIT),
}
POST_ONLY = {"unit_contact_reveal", "unit_accept", "unit_return", "unit_communication_add", "unit_opinion",
             "unit_reply", "unit_extension_request", "unit_follow_up_report"}
GET_ONLY = {"unit_inbox", "unit_assignment"}
WRITE_URLS = sorted(set(URLS) - GET_ONLY)
# The assignment belongs to unit_user's unit: another unit's user reaches the view and gets a 404.
OUT_OF_SCOPE = {"other_unit_user"}


@pytest.fixture
def records(unit, municipal_mandate, deputy_user):
    """A class-B reply of the unit, not rated yet, with its follow-up (rows written by factories: the matrix
    runs a few hundred times)."""
    proposal = f.SuggestionFactory(mandate=municipal_mandate, state=Proposal.State.REPLIED, number=1)
    assignment = f.AssignmentFactory(proposal=proposal, unit=unit, state=Assignment.State.ACCEPTED)
    f.DeadlineFactory(assignment=assignment)
    reply = f.ReplyFactory(assignment=assignment, reply_class=f.reply_class("B"),
                           promised_on=timezone.localdate() + datetime.timedelta(days=90))
    return {"assignment": assignment, "follow_up": f.FollowUpFactory(reply=reply)}


def _expected(url_name, role, method):
    kinds, who = URLS[url_name]
    if role == "anonymous":
        return LOGIN
    if method == "get" and url_name in POST_ONLY:
        return 405
    if method == "post" and url_name in GET_ONLY:
        return 405
    if role in OUT_OF_SCOPE and kinds:
        return 404
    if role not in who and role not in OUT_OF_SCOPE:
        return 403
    return 200


def _state():
    return (sorted(Proposal.objects.values_list("pk", "state", "version")),
            sorted(Assignment.objects.values_list("pk", "state", "opinion", "return_reason")),
            sorted(Reply.objects.values_list("pk", "version", "text")),
            Communication.objects.count(), ExtensionRequest.objects.count(),
            sorted(FollowUp.objects.values_list("pk", "progress")))


MATRIX = Matrix(namespace="proposals", urls=URLS, roles=ROLES, urlconf="apps.proposals.urls_unit",
                expected=_expected, post_outcome=assert_outcome_or_redirect, state=lambda records: _state())

test_every_url_is_in_the_matrix = MATRIX.every_url_test()
test_get_by_role = MATRIX.get_test()
# An empty post writes nothing for anyone: the forms need their fields, and the assignment is already signed for
# (so signing again is refused).
test_empty_post_by_role = MATRIX.post_test(WRITE_URLS)


def test_unit_inbox_of_another_unit_lists_nothing_of_this_units(client_for, records, other_unit_user):
    response = client_for(other_unit_user).get(reverse("proposals:unit_inbox"))
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []


def test_follow_up_of_another_units_item_is_404_through_own_assignment(client_for, records, unit_user, unit,
                                                                        municipal_mandate, other_unit):
    """A follow-up id of another item cannot be reached through one of the unit's own assignments."""
    foreign = f.make_replied(mandate=municipal_mandate, lead_unit=other_unit, reply_class="C")
    foreign_follow_up = FollowUp.objects.get(proposal=foreign)
    url = reverse("proposals:unit_follow_up_report", args=[records["assignment"].pk, foreign_follow_up.pk])
    response = client_for(unit_user).post(url, {f"follow_up-{foreign_follow_up.pk}-progress": "已完成"})
    assert response.status_code == 404
    foreign_follow_up.refresh_from_db()
    assert foreign_follow_up.progress == ""
