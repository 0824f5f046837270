"""The deputy's pages: draft, edit, attach, invite co-signers, submit, withdraw, follow the handling, rate the
reply and answer the follow-up. Bad input comes back with a Chinese message and writes nothing.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.models import Notification
from apps.proposals.models import (
    Communication, FollowUp, Kind, Proposal, ProposalAttachment, Rating, Signature,
)
from apps.proposals.services import handling
from tests.factories import MandateFactory, PersonFactory, TermFactory
from tests.proposals.deputy_support import (  # noqa: F401 (fixtures)
    fellow_deputy, fellow_mandate, frozen_today, media, motion_data, other_deputy, png, suggestion_data, text_file,
)
from tests.proposals.factories import (
    SessionFactory, SignatureFactory, SuggestionFactory, add_cosigners, category, lead_assignment,
    make_draft, make_handling, make_replied, make_submitted, unit_user_for,
)

pytestmark = pytest.mark.usefixtures("frozen_today", "media")


def _items():
    return sorted(Proposal.objects.values_list("pk", "state", "version", "title", "content", "withdraw_reason"))


def _page(response) -> str:
    return response.content.decode()


def _messages(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


# --- drafting -----------------------------------------------------------------------------------------------

def test_a_deputy_drafts_a_suggestion_and_leads_it(client_for, deputy_user, municipal_mandate):
    client = client_for(deputy_user)
    page = client.get(reverse("proposals:proposal_new"))
    assert page.status_code == 200
    assert 'type="hidden" name="mandate"' in _page(page)  # one mandate: nothing to choose
    response = client.post(reverse("proposals:proposal_new"),
                           suggestion_data(mandate=municipal_mandate.pk, category=category("城建").pk))
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("proposals:my_proposal_detail", args=[proposal.pk])
    assert (proposal.kind, proposal.state, proposal.jurisdiction, proposal.category.name) == (
        Kind.SUGGESTION, Proposal.State.DRAFT, municipal_mandate.jurisdiction, "城建")
    assert proposal.keywords == "老旧小区、电梯"
    lead = proposal.signatures.get()
    assert (lead.role, lead.mandate) == (Signature.Role.LEAD, municipal_mandate)
    detail = client.get(response["Location"])
    assert "草稿已保存" in _page(detail)
    assert "关于加快老旧小区加装电梯的建议" in _page(detail)


def test_a_suggestion_without_content_is_refused_in_chinese_and_nothing_is_written(client_for, deputy_user,
                                                                                   municipal_mandate):
    response = client_for(deputy_user).post(reverse("proposals:proposal_new"),
                                            suggestion_data(mandate=municipal_mandate.pk, content="  "))
    assert response.status_code == 200
    assert "请填写建议内容" in _page(response)
    assert not Proposal.objects.exists() and not Signature.objects.exists()


def test_raising_during_a_session_needs_the_session(client_for, deputy_user, municipal_mandate):
    client = client_for(deputy_user)
    response = client.post(reverse("proposals:proposal_new"),
                           suggestion_data(mandate=municipal_mandate.pk, period="during_session"))
    assert response.status_code == 200
    assert "请选择在哪次会议期间提出" in _page(response)
    assert not Proposal.objects.exists()
    session = SessionFactory(term=municipal_mandate.term, number=3)
    client.post(reverse("proposals:proposal_new"),
                suggestion_data(mandate=municipal_mandate.pk, period="during_session", session=session.pk))
    assert Proposal.objects.get().session == session


def test_a_session_of_another_term_is_refused(client_for, deputy_user, municipal_mandate, county_term):
    other_session = SessionFactory(term=county_term, number=1)
    response = client_for(deputy_user).post(reverse("proposals:proposal_new"), suggestion_data(
        mandate=municipal_mandate.pk, period="during_session", session=other_session.pk))
    assert response.status_code == 200
    assert not Proposal.objects.exists()


def test_a_session_sitting_today_is_offered_first(client_for, deputy_user, municipal_mandate):
    sitting = SessionFactory(term=municipal_mandate.term, number=4, opens_on=datetime.date(2026, 11, 24),
                             closes_on=datetime.date(2026, 11, 28))
    form = client_for(deputy_user).get(reverse("proposals:proposal_new")).context["form"]
    assert form.initial["period"] == Proposal.Period.DURING_SESSION and form.initial["session"] == sitting.pk


def test_a_deputy_holding_two_mandates_chooses_the_congress(client_for, deputy_user, municipal_mandate, county):
    county_seat = MandateFactory(person=municipal_mandate.person, term=TermFactory(jurisdiction=county, level="county",
                                                                                   number=19, name="南关区第十九届"))
    client = client_for(deputy_user)
    page = client.get(reverse("proposals:proposal_new"))
    assert '<select name="mandate"' in _page(page) and "南关区第十九届" in _page(page)
    client.post(reverse("proposals:proposal_new"), suggestion_data(mandate=county_seat.pk))
    proposal = Proposal.objects.get()
    assert (proposal.jurisdiction, proposal.level) == (county, "county")


def test_a_deputy_cannot_raise_under_someone_elses_mandate(client_for, deputy_user, county_mandate):
    response = client_for(deputy_user).post(reverse("proposals:proposal_new"),
                                            suggestion_data(mandate=county_mandate.pk))
    assert response.status_code == 200
    assert "mandate" in response.context["form"].errors
    assert not Proposal.objects.exists()


def test_a_motion_needs_grounds_plan_and_a_draft_text_when_legislative(client_for, deputy_user, municipal_mandate):
    client = client_for(deputy_user)
    url = reverse("proposals:proposal_new") + "?kind=motion"
    page = client.get(url)
    assert "案由" in _page(page) and "案据" in _page(page) and 'name="content"' not in _page(page)
    response = client.post(url, motion_data(mandate=municipal_mandate.pk, grounds="", plan="",
                                            is_legislative="on"))
    assert response.status_code == 200
    body = _page(response)
    assert "请填写议案的案据" in body and "请填写议案的方案" in body and "法规案须附法规草案文本" in body
    assert not Proposal.objects.exists()
    response = client.post(url, motion_data(mandate=municipal_mandate.pk, is_legislative="on",
                                            draft_text="第一条 为了规范物业管理活动……"))
    motion = Proposal.objects.get()
    assert (motion.kind, motion.is_legislative, motion.grounds) == (Kind.MOTION, True, "物业纠纷逐年增多，现行规定不足以规范。")


def test_a_deputy_without_a_serving_mandate_is_told_so(client_for, deputy_user, municipal_mandate):
    municipal_mandate.status = "suspended"
    municipal_mandate.save()
    client = client_for(deputy_user)
    response = client.get(reverse("proposals:proposal_new"))
    assert response.status_code == 302
    assert "您没有在任的代表资格" in _page(client.get(response["Location"]))


# --- editing ----------------------------------------------------------------------------------------------------

def _edit_data(proposal, **overrides):
    data = {"title": proposal.title, "content": proposal.content, "keywords": proposal.keywords, "category": "",
            "period": proposal.period, "session": "", "version": proposal.version}
    data.update(overrides)
    return data


def test_the_lead_edits_a_draft(client_for, deputy_user, municipal_mandate):
    proposal = make_draft(mandate=municipal_mandate)
    client = client_for(deputy_user)
    url = reverse("proposals:my_proposal_edit", args=[proposal.pk])
    assert client.get(url).context["form"].initial["title"] == proposal.title
    response = client.post(url, _edit_data(proposal, title="关于改造老旧小区供热管网的建议"))
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.title == "关于改造老旧小区供热管网的建议" and proposal.version == 2


def test_a_stale_save_keeps_the_input_and_writes_nothing(client_for, deputy_user, municipal_mandate):
    proposal = make_draft(mandate=municipal_mandate)
    client = client_for(deputy_user)
    url = reverse("proposals:my_proposal_edit", args=[proposal.pk])
    # Saved on another device since this form was opened (version 1 → 2).
    client.post(url, _edit_data(proposal, content="另一台设备上保存的内容。"))
    before = _items()
    response = client.post(url, _edit_data(proposal, title="关于我刚刚写好的标题的建议", version=1))
    assert response.status_code == 200
    body = _page(response)
    assert "其他人已修改了它" in body
    assert "关于我刚刚写好的标题的建议" in body  # the input is kept
    assert "另一台设备上保存的内容。" in body  # and what the item holds now is shown
    assert response.context["form"].data["version"] == "2"  # saving again is a deliberate overwrite
    assert _items() == before


def test_a_submitted_item_cannot_be_edited(client_for, deputy_user, municipal_mandate):
    proposal = make_submitted(mandate=municipal_mandate)
    client = client_for(deputy_user)
    url = reverse("proposals:my_proposal_edit", args=[proposal.pk])
    before = _items()
    response = client.post(url, _edit_data(proposal, title="提交后偷偷改标题"))
    assert response.status_code == 302 and _items() == before
    assert "只有草稿或被退回时才能修改" in _page(client.get(response["Location"]))


def test_a_returned_item_is_edited_and_submitted_again(client_for, deputy_user, municipal_mandate, staff_user):
    from apps.proposals.services import submission

    proposal = make_submitted(mandate=municipal_mandate)
    submission.proposal_return(proposal=proposal, user=staff_user, reason="属于个人事务，请修改后再提交。")
    client = client_for(deputy_user)
    page = client.get(reverse("proposals:my_proposal_edit", args=[proposal.pk]))
    assert "属于个人事务，请修改后再提交。" in _page(page)
    proposal.refresh_from_db()
    client.post(reverse("proposals:my_proposal_edit", args=[proposal.pk]),
                _edit_data(proposal, content="修改后：涉及全市老旧小区的供暖问题。"))
    client.post(reverse("proposals:my_proposal_submit", args=[proposal.pk]))
    proposal.refresh_from_db()
    assert (proposal.state, proposal.content) == (Proposal.State.SUBMITTED, "修改后：涉及全市老旧小区的供暖问题。")


# --- files --------------------------------------------------------------------------------------------------------

def test_the_lead_attaches_a_file(client_for, deputy_user, municipal_mandate):
    proposal = make_draft(mandate=municipal_mandate)
    client = client_for(deputy_user)
    response = client.post(reverse("proposals:my_attachment_upload", args=[proposal.pk]), {"file": png()})
    attachment = proposal.attachments.get()
    assert (attachment.name, attachment.content_type) == ("现场照片.png", "image/png")
    assert "已上传附件 现场照片.png" in _page(client.get(response["Location"]))


def test_a_file_of_another_type_is_refused_and_nothing_is_written(client_for, deputy_user, municipal_mandate):
    proposal = make_draft(mandate=municipal_mandate)
    client = client_for(deputy_user)
    response = client.post(reverse("proposals:my_attachment_upload", args=[proposal.pk]), {"file": text_file()})
    assert response.status_code == 302
    assert not ProposalAttachment.objects.exists()
    assert "说明.txt" in " ".join(_messages(response))
    response = client.post(reverse("proposals:my_attachment_upload", args=[proposal.pk]), {})
    assert not ProposalAttachment.objects.exists() and _messages(response)


# --- co-signers -------------------------------------------------------------------------------------------------

def test_the_co_signer_search_finds_serving_deputies_of_the_same_congress_only(
        client_for, deputy_user, municipal_mandate, fellow_mandate, county_mandate, city_term):
    ended = MandateFactory(term=city_term, person=PersonFactory(name="赵七"), status="suspended")
    proposal = make_draft(mandate=municipal_mandate)
    client = client_for(deputy_user)
    url = reverse("proposals:deputy_search")
    found = client.get(url, {"proposal": proposal.pk, "q": "赵"}).context["found"]
    assert found == [fellow_mandate]
    assert client.get(url, {"proposal": proposal.pk, "q": "李"}).context["found"] == []  # 李四 is a county deputy
    assert ended not in client.get(url, {"proposal": proposal.pk, "q": "zq"}).context["found"]
    assert client.get(url, {"proposal": proposal.pk, "q": "张"}).context["found"] == []  # already on it
    # never by phone or ID number
    assert client.get(url, {"proposal": proposal.pk, "q": fellow_mandate.person.phone}).context["found"] == []


def test_the_lead_invites_a_co_signer_who_confirms(client_for, deputy_user, fellow_deputy, municipal_mandate,
                                                    fellow_mandate):
    proposal = make_draft(mandate=municipal_mandate)
    lead = client_for(deputy_user)
    response = lead.post(reverse("proposals:cosigners_invite", args=[proposal.pk]), {"mandates": [fellow_mandate.pk]})
    assert response.status_code == 302
    signature = proposal.signatures.get(role=Signature.Role.COSIGNER)
    assert signature.person == fellow_mandate.person and signature.confirmed_at is None
    assert Notification.objects.filter(recipient=fellow_deputy).exists()

    cosigner = client_for(fellow_deputy)
    invitations = cosigner.get(reverse("proposals:cosign_list"))
    assert list(invitations.context["page"]) == [signature]
    mine = cosigner.get(reverse("proposals:mine"))
    assert mine.context["counts"]["cosign"] == 1
    response = cosigner.post(reverse("proposals:cosign_confirm", args=[signature.pk]))
    assert response["Location"] == reverse("proposals:cosign_list")
    signature.refresh_from_db()
    assert signature.confirmed_at is not None
    assert "您已确认附议" in _page(cosigner.get(response["Location"]))


def test_a_co_signer_declines_from_the_item_page_and_returns_to_it(client_for, fellow_deputy, municipal_mandate,
                                                                    fellow_mandate):
    proposal = make_draft(mandate=municipal_mandate)
    signature = SignatureFactory(proposal=proposal, mandate=fellow_mandate)
    client = client_for(fellow_deputy)
    detail_url = reverse("proposals:my_proposal_detail", args=[proposal.pk])
    assert 'id="invitation-decline"' in _page(client.get(detail_url))
    response = client.post(reverse("proposals:cosign_decline", args=[signature.pk]), {"next": detail_url})
    assert response["Location"] == detail_url
    signature.refresh_from_db()
    assert signature.declined_at is not None
    # an outside address is not followed
    other = SignatureFactory(proposal=make_draft(mandate=municipal_mandate, title="关于另一件事的建议"),
                             mandate=fellow_mandate)
    response = client.post(reverse("proposals:cosign_decline", args=[other.pk]), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("proposals:cosign_list")


def test_inviting_a_deputy_of_another_congress_is_refused_and_nothing_is_written(
        client_for, deputy_user, municipal_mandate, county_mandate):
    proposal = make_draft(mandate=municipal_mandate)
    response = client_for(deputy_user).post(reverse("proposals:cosigners_invite", args=[proposal.pk]),
                                            {"mandates": [county_mandate.pk]})
    assert response.status_code == 200
    assert "所选代表中有人不能被邀请" in _page(response)
    assert proposal.signatures.count() == 1 and not Notification.objects.exists()


def test_inviting_nobody_is_refused(client_for, deputy_user, municipal_mandate):
    proposal = make_draft(mandate=municipal_mandate)
    response = client_for(deputy_user).post(reverse("proposals:cosigners_invite", args=[proposal.pk]), {})
    assert "请至少选择一名要邀请的代表" in _page(response)
    assert proposal.signatures.count() == 1


def test_the_lead_removes_an_invited_co_signer(client_for, deputy_user, municipal_mandate, fellow_mandate):
    proposal = make_draft(mandate=municipal_mandate)
    signature = SignatureFactory(proposal=proposal, mandate=fellow_mandate)
    response = client_for(deputy_user).post(reverse("proposals:cosigner_remove", args=[proposal.pk, signature.pk]))
    assert response.status_code == 302 and not Signature.objects.filter(pk=signature.pk).exists()


def test_the_lead_signature_cannot_be_removed_through_the_co_signer_url(client_for, deputy_user, municipal_mandate):
    proposal = make_draft(mandate=municipal_mandate)
    lead = proposal.signatures.get()
    response = client_for(deputy_user).post(reverse("proposals:cosigner_remove", args=[proposal.pk, lead.pk]))
    assert response.status_code == 404 and Signature.objects.filter(pk=lead.pk).exists()


# --- submitting and withdrawing --------------------------------------------------------------------------------

def test_the_lead_submits_a_suggestion(client_for, deputy_user, municipal_mandate):
    proposal = make_draft(mandate=municipal_mandate)
    client = client_for(deputy_user)
    response = client.post(reverse("proposals:my_proposal_submit", args=[proposal.pk]))
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.SUBMITTED and proposal.submitted_at is not None
    assert "已提交人大工作人员" in _page(client.get(response["Location"]))


def test_a_motion_without_enough_confirmed_signers_is_not_submitted(client_for, deputy_user, municipal_mandate):
    motion = make_draft(mandate=municipal_mandate, kind=Kind.MOTION)
    add_cosigners(motion, 3, confirmed=True)
    add_cosigners(motion, 6, confirmed=False)
    client = client_for(deputy_user)
    detail = client.get(reverse("proposals:my_proposal_detail", args=[motion.pk]))
    assert "已有4人联名，需要10人" in _page(detail)
    before = _items()
    response = client.post(reverse("proposals:my_proposal_submit", args=[motion.pk]))
    assert response.status_code == 302 and _items() == before
    assert _messages(response)  # the service's message, naming how many are needed
    add_cosigners(motion, 6, confirmed=True)
    client.post(reverse("proposals:my_proposal_submit", args=[motion.pk]))
    motion.refresh_from_db()
    assert motion.state == Proposal.State.SUBMITTED


def test_withdrawing_needs_a_written_reason(client_for, deputy_user, municipal_mandate):
    proposal = make_submitted(mandate=municipal_mandate)
    client = client_for(deputy_user)
    url = reverse("proposals:my_proposal_withdraw", args=[proposal.pk])
    assert client.get(url).status_code == 200
    before = _items()
    response = client.post(url, {"reason": "   "})
    assert response.status_code == 200 and "请填写撤回理由" in _page(response)
    assert _items() == before
    response = client.post(url, {"reason": "问题已在调研中解决，无需再提。"})
    proposal.refresh_from_db()
    assert (proposal.state, proposal.withdraw_reason) == (Proposal.State.WITHDRAWN, "问题已在调研中解决，无需再提。")
    detail = client.get(response["Location"])
    assert "已撤回" in _page(detail) and "问题已在调研中解决" in _page(detail)


def test_an_assigned_item_can_no_longer_be_withdrawn(client_for, deputy_user, municipal_mandate):
    proposal = make_handling(mandate=municipal_mandate)
    client = client_for(deputy_user)
    before = _items()
    response = client.post(reverse("proposals:my_proposal_withdraw", args=[proposal.pk]), {"reason": "不想要了"})
    assert response.status_code == 302 and _items() == before
    assert "已不能撤回" in _page(client.get(response["Location"]))


# --- following the handling ----------------------------------------------------------------------------------

def test_the_detail_page_shows_the_handling_progress(client_for, deputy_user, municipal_mandate):
    proposal = make_handling(mandate=municipal_mandate)
    assignment = lead_assignment(proposal)
    handling.communication_add(assignment=assignment, user=unit_user_for(assignment.unit),
                               date=datetime.date(2026, 11, 25), means=Communication.Means.PHONE,
                               content="电话联系代表，介绍了供热管网改造计划。")
    response = client_for(deputy_user).get(reverse("proposals:my_proposal_detail", args=[proposal.pk]))
    body = _page(response)
    assert assignment.unit.name in body
    assert "电话联系代表，介绍了供热管网改造计划。" in body and "2026年11月25日" in body
    reply_deadline = proposal.deadlines.get(kind="reply")
    assert f'data-due="{reply_deadline.due_on:%Y-%m-%d}"' in body
    assert proposal.number_label in body


def test_the_detail_page_query_count_does_not_grow_with_the_handling_record(client_for, deputy_user,
                                                                             municipal_mandate, fellow_mandate):
    proposal = make_handling(mandate=municipal_mandate)
    assignment = lead_assignment(proposal)
    unit_user = unit_user_for(assignment.unit)
    client = client_for(deputy_user)
    url = reverse("proposals:my_proposal_detail", args=[proposal.pk])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for day in range(20, 25):
        handling.communication_add(assignment=assignment, user=unit_user, date=datetime.date(2026, 11, day),
                                   means=Communication.Means.VISIT, content=f"11月{day}日走访代表。")
    add_cosigners(proposal, 4)
    assert count() == few


def test_the_deputy_rates_the_reply_and_the_item_closes(client_for, deputy_user, municipal_mandate):
    proposal = make_replied(mandate=municipal_mandate, reply_text="已将供热管网改造列入明年计划。")
    client = client_for(deputy_user)
    assert client.get(reverse("proposals:mine")).context["counts"]["rating"] == 1
    detail = client.get(reverse("proposals:my_proposal_detail", args=[proposal.pk]))
    assert 'id="proposal-rate"' in _page(detail) and "已将供热管网改造列入明年计划。" in _page(detail)
    page = client.get(reverse("proposals:my_rating", args=[proposal.pk]))
    assert page.context["open"] and "已将供热管网改造列入明年计划。" in _page(page)
    response = client.post(reverse("proposals:my_rating", args=[proposal.pk]), {"result": "satisfied",
                                                                                "comment": "办理认真。"})
    assert response.status_code == 302
    rating = Rating.objects.get()
    assert (rating.result, rating.round, rating.comment) == ("satisfied", 1, "办理认真。")
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.CLOSED
    detail = client.get(reverse("proposals:my_proposal_detail", args=[proposal.pk]))
    assert 'data-result="satisfied"' in _page(detail) and 'id="proposal-rate"' not in _page(detail)


def test_unsatisfied_needs_a_comment_and_then_sends_it_back_for_rehandling(client_for, deputy_user,
                                                                            municipal_mandate):
    proposal = make_replied(mandate=municipal_mandate)
    client = client_for(deputy_user)
    url = reverse("proposals:my_rating", args=[proposal.pk])
    response = client.post(url, {"result": "unsatisfied", "comment": ""})
    assert response.status_code == 200 and "请说明不满意的理由" in _page(response)
    assert not Rating.objects.exists()
    client.post(url, {"result": "unsatisfied", "comment": "答复没有回应实际问题。"})
    proposal.refresh_from_db()
    assert (proposal.state, proposal.round) == (Proposal.State.REHANDLING, 2)
    detail = _page(client.get(reverse("proposals:my_proposal_detail", args=[proposal.pk])))
    assert 'id="my-rating-1"' in detail and 'data-result="unsatisfied"' in detail


def test_a_rating_without_a_choice_is_refused(client_for, deputy_user, municipal_mandate):
    proposal = make_replied(mandate=municipal_mandate)
    response = client_for(deputy_user).post(reverse("proposals:my_rating", args=[proposal.pk]), {"result": "great"})
    assert response.status_code == 200 and "result" in response.context["form"].errors
    assert not Rating.objects.exists()


def test_a_non_signer_gets_404_on_the_rating_page(client_for, other_deputy, municipal_mandate):
    proposal = make_replied(mandate=municipal_mandate)
    client = client_for(other_deputy)
    assert client.get(reverse("proposals:my_rating", args=[proposal.pk])).status_code == 404
    assert client.post(reverse("proposals:my_rating", args=[proposal.pk]),
                       {"result": "satisfied"}).status_code == 404
    assert not Rating.objects.exists()


def test_an_unconfirmed_co_signer_cannot_rate(client_for, fellow_deputy, municipal_mandate, fellow_mandate):
    proposal = make_replied(mandate=municipal_mandate)
    SignatureFactory(proposal=proposal, mandate=fellow_mandate)  # invited, never confirmed
    client = client_for(fellow_deputy)
    page = client.get(reverse("proposals:my_rating", args=[proposal.pk]))
    assert page.status_code == 200 and not page.context["open"]
    assert "目前没有需要您测评的答复" in _page(page)
    response = client.post(reverse("proposals:my_rating", args=[proposal.pk]), {"result": "satisfied"})
    assert response.status_code == 200 and response.context["form"].errors
    assert not Rating.objects.exists()
    assert client.get(reverse("proposals:mine")).context["counts"]["rating"] == 0


def test_a_confirmed_co_signer_rates_their_own_signature(client_for, deputy_user, fellow_deputy,
                                                          municipal_mandate, fellow_mandate):
    proposal = make_replied(mandate=municipal_mandate)
    signature = SignatureFactory(proposal=proposal, mandate=fellow_mandate, confirmed=True)
    client_for(fellow_deputy).post(reverse("proposals:my_rating", args=[proposal.pk]),
                                   {"result": "basically_satisfied"})
    assert Rating.objects.get().signature == signature
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.REPLIED  # the lead has not rated yet
    client_for(deputy_user).post(reverse("proposals:my_rating", args=[proposal.pk]), {"result": "satisfied"})
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.CLOSED


def test_the_deputy_answers_the_follow_up(client_for, deputy_user, municipal_mandate):
    proposal = make_replied(mandate=municipal_mandate, reply_class="B")
    follow_up = proposal.follow_ups.get()
    handling.follow_up_report(follow_up=follow_up, user=unit_user_for(follow_up.reply.assignment.unit),
                              progress="一期管网改造已完工，二期明年开工。")
    client = client_for(deputy_user)
    assert client.get(reverse("proposals:mine")).context["counts"]["follow_up"] == 1
    url = reverse("proposals:my_follow_up_answer", args=[proposal.pk, follow_up.pk])
    page = client.get(url)
    assert page.context["open"] and "一期管网改造已完工" in _page(page)
    response = client.post(url, {})
    assert response.status_code == 200 and "请回答是否已解决" in _page(response)
    response = client.post(url, {"is_solved": "no"})
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.is_solved is False and follow_up.answered_at is not None
    assert FollowUp.objects.filter(proposal=proposal, answered_at__isnull=True).count() == 1  # asked again later


def test_a_follow_up_of_another_item_is_404(client_for, deputy_user, municipal_mandate):
    mine = make_draft(mandate=municipal_mandate)
    other = make_replied(reply_class="C")
    response = client_for(deputy_user).get(
        reverse("proposals:my_follow_up_answer", args=[mine.pk, other.follow_ups.get().pk]))
    assert response.status_code == 404


# --- the list ------------------------------------------------------------------------------------------------

def test_the_list_shows_my_items_with_what_awaits_me(client_for, deputy_user, municipal_mandate, fellow_mandate,
                                                      other_deputy, county_mandate):
    draft = make_draft(mandate=municipal_mandate, title="关于我的草稿的建议")
    replied = make_replied(mandate=municipal_mandate, title="关于等待测评的建议")
    invited_to = make_draft(mandate=fellow_mandate, title="关于邀请我附议的建议")
    SignatureFactory(proposal=invited_to, mandate=municipal_mandate)
    declined_on = make_draft(mandate=fellow_mandate, title="关于我谢绝了的建议")
    SignatureFactory(proposal=declined_on, mandate=municipal_mandate, declined_at=datetime.datetime(
        2026, 11, 20, tzinfo=datetime.timezone.utc))
    make_draft(mandate=county_mandate, title="关于别人的建议")
    client = client_for(deputy_user)
    response = client.get(reverse("proposals:mine"))
    rows = {p.pk: p for p in response.context["page"]}
    assert set(rows) == {draft.pk, replied.pk, invited_to.pk}
    assert rows[replied.pk].awaits_rating and rows[invited_to.pk].awaits_cosign and not rows[draft.pk].awaits_any
    assert [p.pk for p in response.context["page"]][-1] == draft.pk  # awaiting me first
    body = _page(response)
    assert "关于别人的建议" not in body and "关于我谢绝了的建议" not in body
    assert "赵六领衔" in body and "我领衔" in body
    rating_due = replied.deadlines.get(kind="rating").due_on
    assert f'data-due="{rating_due:%Y-%m-%d}"' in body
    awaiting = client.get(reverse("proposals:mine"), {"show": "awaiting"}).context["page"]
    assert {p.pk for p in awaiting} == {replied.pk, invited_to.pk}
    motions = client.get(reverse("proposals:mine"), {"kind": "motion"}).context["page"]
    assert list(motions) == []


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("proposals:mine")).status_code == 200
    return len(ctx.captured_queries)


def test_the_list_page_query_count_does_not_grow_with_items(client_for, deputy_user, municipal_mandate,
                                                             fellow_mandate, django_assert_max_num_queries):
    client = client_for(deputy_user)
    make_replied(mandate=municipal_mandate)
    SignatureFactory(proposal=SuggestionFactory(mandate=fellow_mandate), mandate=municipal_mandate)
    few = _list_queries(client)
    for _ in range(6):
        SuggestionFactory(mandate=municipal_mandate)
        make_submitted(mandate=municipal_mandate, title="关于增加停车位的建议")
        SignatureFactory(proposal=SuggestionFactory(mandate=fellow_mandate), mandate=municipal_mandate)
    assert _list_queries(client) == few
    with django_assert_max_num_queries(10):
        client.get(reverse("proposals:mine"))


def test_the_invitation_list_query_count_does_not_grow(client_for, deputy_user, municipal_mandate, fellow_mandate):
    client = client_for(deputy_user)
    SignatureFactory(proposal=SuggestionFactory(mandate=fellow_mandate), mandate=municipal_mandate)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("proposals:cosign_list"))
        return len(ctx.captured_queries)

    few = count()
    for _ in range(5):
        SignatureFactory(proposal=SuggestionFactory(mandate=fellow_mandate), mandate=municipal_mandate)
    assert count() == few


# --- similar items while writing ----------------------------------------------------------------------------

def test_similar_items_are_shown_while_the_title_is_typed(client_for, deputy_user, municipal_mandate,
                                                           fellow_mandate, county_mandate):
    raised = make_submitted(mandate=fellow_mandate, title="关于加快老旧小区加装电梯的建议")
    make_draft(mandate=fellow_mandate, title="关于老旧小区加装电梯补贴的建议")  # someone's draft: not shown
    make_submitted(mandate=county_mandate, title="关于加快老旧小区加装电梯工作的建议")  # another congress
    client = client_for(deputy_user)
    response = client.get(reverse("proposals:similar"), {"title": "关于老旧小区加装电梯的建议",
                                                         "mandate": municipal_mandate.pk})
    assert response.status_code == 200
    assert [p.pk for p in response.context["items"]] == [raised.pk]
    assert "已有类似的议案建议" in _page(response)
    assert client.get(reverse("proposals:similar"), {"title": "关于"}).context["items"] == []


def test_similar_items_leave_out_the_item_being_edited(client_for, deputy_user, municipal_mandate):
    proposal = make_submitted(mandate=municipal_mandate, title="关于加快老旧小区加装电梯的建议")
    response = client_for(deputy_user).get(reverse("proposals:similar"),
                                           {"title": proposal.title, "proposal": proposal.pk})
    assert response.context["items"] == []


def test_similar_items_for_a_mandate_that_is_not_mine_is_404(client_for, deputy_user, county_mandate):
    response = client_for(deputy_user).get(reverse("proposals:similar"),
                                           {"title": "关于老旧小区加装电梯的建议", "mandate": county_mandate.pk})
    assert response.status_code == 404


def test_the_pages_fit_a_phone(client_for, deputy_user, municipal_mandate):
    """No fixed-width tables on the deputy's pages: lists are cards, detail sections stack (col-12)."""
    proposal = make_replied(mandate=municipal_mandate)
    client = client_for(deputy_user)
    for url in (reverse("proposals:mine"), reverse("proposals:proposal_new"),
                reverse("proposals:my_proposal_detail", args=[proposal.pk]),
                reverse("proposals:my_rating", args=[proposal.pk]), reverse("proposals:cosign_list")):
        body = _page(client.get(url))
        assert "<table" not in body, url
        assert 'name="viewport"' in body
