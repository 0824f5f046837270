"""Every deputy-side URL × every role: login for the anonymous, the page for the deputy on their own items, 404
for another deputy (the item is not theirs), 403 for every other role (the deputy's pages are not theirs).

The records: a draft suggestion led by 张三丰 (``deputy_user``) with an invited co-signer (赵六); a replied
suggestion of 张三丰 with a reported follow-up; and a draft of 赵六 to which 张三丰 is invited.
"""

import pytest
from django.urls import reverse

from apps.core.models import Notification
from apps.proposals.models import FollowUp, Proposal, ProposalAttachment, Rating, Signature
from tests.proposals.deputy_support import (  # noqa: F401 (fixtures)
    fellow_deputy, fellow_mandate, frozen_today, media, other_deputy, png,
)
from tests.proposals.factories import FollowUpFactory, ReplyFactory, SignatureFactory, SuggestionFactory, reply_class
from tests.security.matrix_support import LOGIN, Matrix, assert_outcome

DEPUTIES = frozenset({"deputy_user", "other_deputy"})
OTHERS = ["staff_user", "county_staff_user", "supervisor_user", "member_user", "leader_user", "council_member_user",
          "unit_user", "sysadmin_user", "secadmin_user", "auditor_user", "outsider"]
ROLES = ["anonymous", "deputy_user", "other_deputy", *OTHERS]

# url name → (the records its arguments name; roles that open it). "?item" is a query argument.
URLS = {
    "mine": ((), DEPUTIES),
    "proposal_new": ((), DEPUTIES),
    "my_proposal_detail": (("item",), DEPUTIES),
    "my_proposal_edit": (("item",), DEPUTIES),
    "my_proposal_submit": (("item",), DEPUTIES),
    "my_proposal_withdraw": (("item",), DEPUTIES),
    "my_attachment_upload": (("item",), DEPUTIES),
    "cosigners_invite": (("item",), DEPUTIES),
    "cosigner_remove": (("item", "cosignature"), DEPUTIES),
    "my_rating": (("replied",), DEPUTIES),
    "my_follow_up_answer": (("replied", "follow_up"), DEPUTIES),
    "cosign_list": ((), DEPUTIES),
    "cosign_confirm": (("invitation",), DEPUTIES),
    "cosign_decline": (("invitation",), DEPUTIES),
    "similar": ((), DEPUTIES),
    "deputy_search": (("?item",), DEPUTIES),
}
POST_ONLY = {"my_proposal_submit", "my_attachment_upload", "cosigner_remove", "cosign_confirm", "cosign_decline"}
GET_ONLY = {"mine", "my_proposal_detail", "cosign_list", "similar", "deputy_search"}
# Forms: an empty post comes back with its errors for the deputy, and writes nothing for anyone.
FORM_URLS = sorted(set(URLS) - GET_ONLY - POST_ONLY)

pytestmark = pytest.mark.usefixtures("frozen_today", "media")


@pytest.fixture
def records(deputy_user, fellow_deputy, other_deputy, municipal_mandate, fellow_mandate):
    item = SuggestionFactory(mandate=municipal_mandate, title="关于改善城区供暖质量的建议")
    cosignature = SignatureFactory(proposal=item, mandate=fellow_mandate)
    replied = SuggestionFactory(mandate=municipal_mandate, state=Proposal.State.REPLIED)
    reply = ReplyFactory(assignment__proposal=replied, reply_class=reply_class("B"))
    follow_up = FollowUpFactory(reply=reply, proposal=replied, progress="已完成管网改造一期。",
                                reported_at=reply.replied_at)
    fellow_item = SuggestionFactory(mandate=fellow_mandate, title="关于增设公交线路的建议")
    invitation = SignatureFactory(proposal=fellow_item, mandate=municipal_mandate)
    return {"item": item, "cosignature": cosignature, "replied": replied, "follow_up": follow_up,
            "invitation": invitation}


def _url(url_name, records) -> str:
    kinds = URLS[url_name][0]
    url = reverse(f"proposals:{url_name}", args=[records[k].pk for k in kinds if not k.startswith("?")])
    query = [f"proposal={records[k[1:]].pk}&q=赵" for k in kinds if k.startswith("?")]
    if url_name == "similar":
        query.append("title=关于改善城区供暖质量的建议")
    return url + ("?" + "&".join(query) if query else "")


def _expected(url_name, role, method):
    kinds, opens = URLS[url_name]
    if role == "anonymous":
        return LOGIN
    if method == "get" and url_name in POST_ONLY or method == "post" and url_name in GET_ONLY:
        return 405
    if role not in opens:
        return 403
    if kinds and role == "other_deputy":
        return 404
    return 200


def _state():
    return (sorted(Proposal.objects.values_list("pk", "state", "version", "title", "withdraw_reason")),
            sorted(Signature.objects.values_list("pk", "confirmed_at", "declined_at")),
            ProposalAttachment.objects.count(), Rating.objects.count(),
            sorted(FollowUp.objects.values_list("pk", "answered_at")), Notification.objects.count())


MATRIX = Matrix(namespace="proposals", urls=URLS, roles=ROLES, urlconf="apps.proposals.urls_deputy",
                expected=_expected, url=_url, state=lambda records: _state())

test_every_deputy_url_is_in_the_matrix = MATRIX.every_url_test()
test_get_by_role = MATRIX.get_test()
# The role's user writes its own rows before ``_state`` is taken (a cell signs in, then looks).
test_empty_post_by_role_writes_nothing = MATRIX.post_test(FORM_URLS)
test_post_to_a_page_that_only_reads_is_refused = MATRIX.post_test(sorted(GET_ONLY))


def test_submitting_by_role(request, records):
    def cell(client, url, role, expected):
        response = client.post(url)
        records["item"].refresh_from_db()
        if expected == 200:
            assert response.status_code == 302
            assert records["item"].state == Proposal.State.SUBMITTED
        else:
            assert_outcome(response, expected)
            assert records["item"].state == Proposal.State.DRAFT

    MATRIX.check_roles(request, "my_proposal_submit", "post", cell)


def test_uploading_by_role(request, records):
    def cell(client, url, role, expected):
        response = client.post(url, {"file": png()})
        if expected == 200:
            assert response.status_code == 302
            assert records["item"].attachments.count() == 1
        else:
            assert_outcome(response, expected)
            assert not ProposalAttachment.objects.exists()

    MATRIX.check_roles(request, "my_attachment_upload", "post", cell)


def test_removing_a_cosigner_by_role(request, records):
    def cell(client, url, role, expected):
        response = client.post(url)
        exists = Signature.objects.filter(pk=records["cosignature"].pk).exists()
        if expected == 200:
            assert response.status_code == 302 and not exists
        else:
            assert_outcome(response, expected)
            assert exists

    MATRIX.check_roles(request, "cosigner_remove", "post", cell)


@pytest.mark.parametrize("url_name", ["cosign_confirm", "cosign_decline"])
def test_answering_an_invitation_by_role(request, url_name, records):
    def cell(client, url, role, expected):
        response = client.post(url)
        records["invitation"].refresh_from_db()
        answered = records["invitation"].confirmed_at or records["invitation"].declined_at
        if expected == 200:
            assert response.status_code == 302 and answered
        else:
            assert_outcome(response, expected)
            assert not answered

    MATRIX.check_roles(request, url_name, "post", cell)


@pytest.mark.smoke
def test_another_deputy_gets_404_on_every_page_of_an_item(client_for, records, other_deputy):
    client = client_for(other_deputy)
    for url_name, (kinds, _opens) in URLS.items():
        if kinds and url_name not in POST_ONLY:
            assert client.get(_url(url_name, records)).status_code == 404, url_name


def test_a_cosigner_cannot_open_the_leads_pages(client_for, records, fellow_deputy):
    """赵六 is invited to 张三丰's item: he reads it, but editing, files and co-signers are the lead's (404)."""
    client = client_for(fellow_deputy)
    item = records["item"]
    assert client.get(reverse("proposals:my_proposal_detail", args=[item.pk])).status_code == 200
    for name in ("my_proposal_edit", "my_proposal_withdraw", "cosigners_invite"):
        assert client.get(reverse(f"proposals:{name}", args=[item.pk])).status_code == 404, name
    before = _state()
    assert client.post(reverse("proposals:my_proposal_submit", args=[item.pk])).status_code == 404
    assert _state() == before


def test_a_deputy_cannot_answer_another_deputys_invitation(client_for, records, fellow_deputy):
    """The invitation to 张三丰 is his alone: 赵六 (the item's lead) posting to it gets a 404."""
    response = client_for(fellow_deputy).post(reverse("proposals:cosign_confirm", args=[records["invitation"].pk]))
    assert response.status_code == 404
    records["invitation"].refresh_from_db()
    assert records["invitation"].confirmed_at is None


def test_a_deputy_role_without_a_person_gets_403(client_for, db):
    from apps.core import roles
    from tests.factories import UserFactory

    client = client_for(UserFactory(username="deputy_unlinked", roles=[roles.DEPUTY]))
    assert client.get(reverse("proposals:mine")).status_code == 403
    assert client.get(reverse("proposals:proposal_new")).status_code == 403
