"""Every office URL × every role: login, the page, 403 for a role that may not open it (supervisors read,
export, download and add supervision records only), 404 for an item outside the user's scope (county staff
and the city's item; a deputy or unit not party to it)."""

import pytest
from django.urls import reverse

from apps.proposals.models import (
    Assignment, ExtensionRequest, MergeGroup, Proposal, Signature, Supervision, SupervisionRecord,
)
from tests.proposals.office_support import office_item  # noqa: F401
from tests.security.matrix_support import Matrix, assert_outcome_or_redirect, standard_rule

ROLES = ["anonymous", "staff_user", "county_staff_user", "supervisor_user", "member_user", "deputy_user",
         "unit_user", "sysadmin_user", "secadmin_user", "auditor_user", "outsider",
         # a 主任会议 member leading the supervision of the item (and one leading nothing): the office's pages
         # stay closed to them, they read the items they lead on their own pages (test_leader_permissions)
         "leader_user", "council_member_user"]
STAFF = {"staff_user", "county_staff_user"}
OFFICE = STAFF | {"supervisor_user"}
# The item's lead deputy and its assigned unit see its files.
PARTIES = OFFICE | {"deputy_user", "unit_user"}

# url name → (argument kinds, who opens it)
URLS = {
    "proposal_list": ((), OFFICE),
    "proposal_export": ((), OFFICE),
    "proposal_enter": ((), STAFF),
    "proposal_detail": (("proposal",), OFFICE),
    "proposal_return": (("proposal",), STAFF),
    "proposal_register": (("proposal",), STAFF),
    "proposal_review": (("proposal",), STAFF),
    "proposal_assign": (("proposal",), STAFF),
    "proposal_merge": (("proposal",), STAFF),
    "proposal_supervision": (("proposal",), STAFF),
    "proposal_confidential": (("proposal",), STAFF),
    "co_opinion_waive": (("proposal", "co_assignment"), STAFF),
    "supervision_record_add": (("proposal",), OFFICE),
    "extension_list": ((), STAFF),
    "extension_decide": (("extension",), STAFF),
    "attachment_download": (("proposal", "attachment"), PARTIES),
}
POST_ONLY = {"co_opinion_waive", "proposal_return", "proposal_register", "proposal_review", "proposal_assign",
             "proposal_merge", "proposal_supervision", "supervision_record_add", "extension_decide",
             "proposal_confidential"}
GET_ONLY = {"proposal_list", "proposal_export", "proposal_detail", "extension_list", "attachment_download"}
WRITE_URLS = sorted(set(URLS) - GET_ONLY)
# The city's item is out of the county's scope.
OUT_OF_SCOPE = {"county_staff_user"}


@pytest.fixture
def records(office_item, city):
    from tests.factories import HandlingUnitFactory
    from tests.proposals.factories import AssignmentFactory

    co = AssignmentFactory(proposal=office_item["proposal"], unit=HandlingUnitFactory(jurisdiction=city),
                           role=Assignment.Role.CO, state=Assignment.State.PENDING)
    return {**office_item, "co_assignment": co}


def _state():
    return (sorted(Proposal.objects.values_list("pk", "state", "version", "number", "kind", "is_key",
                                                "merge_group_id", "is_confidential")),
            Signature.objects.count(), Assignment.objects.count(), MergeGroup.objects.count(),
            Supervision.objects.count(), SupervisionRecord.objects.count(),
            sorted(ExtensionRequest.objects.values_list("pk", "state")))


MATRIX = Matrix(namespace="proposals", urls=URLS, roles=ROLES, urlconf="apps.proposals.urls_office",
                expected=standard_rule(URLS, post_only=POST_ONLY, get_only=GET_ONLY, out_of_scope=OUT_OF_SCOPE),
                post_outcome=assert_outcome_or_redirect, state=lambda records: _state())


def _url(url_name, records):
    return MATRIX.url_for(url_name, records)


test_every_url_is_in_the_matrix = MATRIX.every_url_test()
test_get_by_role = MATRIX.get_test()
# An empty post writes nothing whoever sends it (the role's user is written before ``_state`` is taken).
test_empty_post_by_role = MATRIX.post_test(WRITE_URLS)


def test_a_deputy_not_on_the_item_gets_404_on_its_files(client_for, records, county_mandate):
    from tests.proposals.factories import deputy_for

    response = client_for(deputy_for(county_mandate.person)).get(_url("attachment_download", records))
    assert response.status_code == 404


def test_another_units_user_gets_404_on_its_files(client_for, records, city):
    from tests.factories import HandlingUnitFactory
    from tests.proposals.factories import unit_user_for

    other = unit_user_for(HandlingUnitFactory(jurisdiction=city))
    assert client_for(other).get(_url("attachment_download", records)).status_code == 404


def test_a_file_of_another_item_is_404(client_for, records, staff_user, municipal_mandate):
    from tests.proposals.factories import AttachmentFactory, SuggestionFactory

    other = AttachmentFactory(proposal=SuggestionFactory(mandate=municipal_mandate, state=Proposal.State.SUBMITTED))
    url = reverse("proposals:attachment_download", args=[records["proposal"].pk, other.pk])
    assert client_for(staff_user).get(url).status_code == 404


def test_county_staff_get_404_on_an_extension_of_a_city_item(client_for, records, county_staff_user):
    url = reverse("proposals:extension_decide", args=[records["extension"].pk])
    response = client_for(county_staff_user).post(url, {"decision": "approve"})
    assert response.status_code == 404
    assert ExtensionRequest.objects.get(pk=records["extension"].pk).state == ExtensionRequest.State.PENDING


def test_a_deputys_draft_is_404_for_the_office(client_for, staff_user, municipal_mandate):
    from tests.proposals.factories import SuggestionFactory

    draft = SuggestionFactory(mandate=municipal_mandate)
    assert client_for(staff_user).get(reverse("proposals:proposal_detail", args=[draft.pk])).status_code == 404


def test_a_supervisor_cannot_register(client_for, supervisor_user, records):
    proposal = records["proposal"]
    Proposal.objects.filter(pk=proposal.pk).update(state=Proposal.State.SUBMITTED, number=None)
    before = _state()
    response = client_for(supervisor_user).post(reverse("proposals:proposal_register", args=[proposal.pk]),
                                                {"version": 1, "category": 1})
    assert response.status_code == 403
    assert _state() == before
