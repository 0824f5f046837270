"""The deputy's side and the office's intake: drafting, co-signing, submitting (motions need enough joint
signatures), paper entry, returning, withdrawing, registering with a number per session, and the review of
motions (立案 or conversion to a suggestion). Refusals name what is wrong in Chinese and write nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.core import locking, roles
from apps.core.models import AuditEvent, Jurisdiction, Notification
from apps.deputies.models import Level, Mandate
from apps.proposals.models import Kind, Proposal, Signature
from apps.proposals.services import submission
from tests.factories import JurisdictionFactory, MandateFactory, TermFactory, UserFactory
from tests.proposals.factories import (
    SessionFactory, SignatureFactory, add_cosigners, category, deputy_for, make_draft, make_registered,
    make_submitted,
)
from tests.proposals.services_support import cast, snapshot, text  # noqa: F401  (cast is a fixture)

S = Proposal.State


# --- drafting ---------------------------------------------------------------------------------------------

def test_a_deputy_drafts_a_suggestion_and_signs_it_as_lead(cast):
    item = submission.proposal_create(user=cast.deputy, mandate=cast.mandate, kind=Kind.SUGGESTION,
                                      title=" 关于增设公交线路的建议 ", content="建议增设社区公交。",
                                      category=category("城建"), keywords="公交")
    assert item.state == S.DRAFT and item.title == "关于增设公交线路的建议"
    assert (item.jurisdiction, item.level, item.year) == (cast.mandate.jurisdiction, Level.MUNICIPAL,
                                                          timezone.localdate().year)
    lead = item.signatures.get()
    assert lead.role == Signature.Role.LEAD and lead.person == cast.mandate.person and lead.counts
    assert item.created_by == cast.deputy and item.number is None


def test_a_draft_is_refused_under_someone_elses_mandate(cast, city_term):
    other = MandateFactory(term=city_term)
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        submission.proposal_create(user=cast.deputy, mandate=other, kind=Kind.SUGGESTION, title="标题")
    assert text(exc) == "只能以本人的代表身份提出议案或建议。"
    assert snapshot() == before


def test_a_deputy_no_longer_serving_cannot_raise_items(cast):
    cast.mandate.status = Mandate.Status.SUSPENDED
    cast.mandate.save()
    with pytest.raises(ValidationError) as exc:
        submission.proposal_create(user=cast.deputy, mandate=cast.mandate, kind=Kind.SUGGESTION, title="标题")
    assert "不是在任代表，不能提出议案或建议" in exc.value.message_dict["mandate"][0]
    assert not Proposal.objects.exists()


def test_a_draft_names_every_field_that_is_wrong(cast, county_term):
    other_session = SessionFactory(term=county_term, number=1)
    with pytest.raises(ValidationError) as exc:
        submission.proposal_create(user=cast.deputy, mandate=cast.mandate, kind="petition", title=" ",
                                   period=Proposal.Period.DURING_SESSION, session=other_session)
    errors = exc.value.message_dict
    assert errors["kind"] == ["请选择是议案还是建议。"]
    assert errors["title"] == ["请填写标题。"]
    assert errors["session"] == [f"{other_session}不属于该代表所在的届次。"]
    with pytest.raises(ValidationError) as exc:
        submission.proposal_create(user=cast.deputy, mandate=cast.mandate, kind=Kind.SUGGESTION, title="标题",
                                   period=Proposal.Period.DURING_SESSION)
    assert exc.value.message_dict["session"] == ["请选择提出建议的会议（次会议）。"]
    assert not Proposal.objects.exists()


def test_the_lead_edits_a_draft_with_the_version_they_saw(cast):
    item = make_draft(mandate=cast.mandate)
    updated = submission.proposal_update(proposal=item, user=cast.deputy, version=item.version, title="新标题",
                                         content="新的内容")
    assert (updated.title, updated.content, updated.version) == ("新标题", "新的内容", 2)
    before = snapshot()
    with pytest.raises(locking.StaleObjectError) as exc:
        submission.proposal_update(proposal=item, user=cast.deputy, version=1, title="过期的修改")
    assert "其他人已修改了它" in text(exc)
    assert snapshot() == before


def test_a_submitted_item_cannot_be_edited_and_others_cannot_edit_a_draft(cast, city_term):
    item = make_submitted(mandate=cast.mandate)
    with pytest.raises(ValidationError) as exc:
        submission.proposal_update(proposal=item, user=cast.deputy, version=item.version, title="改")
    assert "只有草稿或被退回的件可以修改" in text(exc)
    draft = make_draft(mandate=cast.mandate)
    stranger = deputy_for(MandateFactory(term=city_term).person)
    with pytest.raises(ValidationError) as exc:
        submission.proposal_update(proposal=draft, user=stranger, version=draft.version, title="改")
    assert text(exc) == "只有本件的领衔代表可以进行此操作。"
    draft.refresh_from_db()
    assert draft.title != "改"


def test_attachments_are_checked_by_content(cast):
    item = make_draft(mandate=cast.mandate)
    pdf = SimpleUploadedFile("调研报告.pdf", b"%PDF-1.4 report", content_type="application/pdf")
    attachment = submission.attachment_add(proposal=item, file=pdf, user=cast.deputy)
    assert (attachment.name, attachment.content_type, attachment.size) == ("调研报告.pdf", "application/pdf", 15)
    fake = SimpleUploadedFile("病毒.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        submission.attachment_add(proposal=item, file=fake, user=cast.deputy)
    assert "file" in exc.value.message_dict
    assert item.attachments.count() == 1


# --- co-signers -------------------------------------------------------------------------------------------

def test_invited_co_signers_are_told_and_count_once_they_confirm(cast, city_term):
    item = make_draft(mandate=cast.mandate)
    mandates = [MandateFactory(term=city_term) for _i in range(2)]
    invitee = deputy_for(mandates[0].person)
    signatures = submission.cosigners_invite(proposal=item, user=cast.deputy, mandates=mandates)
    assert [s.counts for s in signatures] == [False, False]
    note = Notification.objects.get(recipient=invitee)
    assert note.title == f"{cast.mandate.person}邀请您附议“{item.title}”"
    confirmed = submission.signature_confirm(signature=signatures[0], user=invitee)
    assert confirmed.counts
    with pytest.raises(ValidationError) as exc:
        submission.signature_confirm(signature=signatures[0], user=invitee)
    assert text(exc) == "您已确认过附议。"
    with pytest.raises(ValidationError) as exc:
        submission.signature_confirm(signature=signatures[1], user=invitee)
    assert text(exc) == "只有受邀代表本人可以答复此附议邀请。"


def test_co_signers_must_serve_in_the_same_congress_and_not_be_on_it_already(cast, county_term, city_term):
    item = make_draft(mandate=cast.mandate)
    county = MandateFactory(term=county_term)
    ended = MandateFactory(term=city_term, status=Mandate.Status.SUSPENDED)
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        submission.cosigners_invite(proposal=item, user=cast.deputy, mandates=[county, ended, cast.mandate])
    assert exc.value.message_dict["mandates"] == [
        f"{county.person}不是同一级人大的代表。", f"{ended.person}不是在任代表。", f"{cast.mandate.person}已在本件的署名代表中。"]
    assert snapshot() == before
    with pytest.raises(ValidationError) as exc:
        submission.cosigners_invite(proposal=item, user=cast.deputy, mandates=[])
    assert exc.value.message_dict["mandates"] == ["请至少选择一名要邀请的代表。"]


def test_a_co_signer_declines_and_the_lead_removes_one_before_submission(cast, city_term):
    item = make_draft(mandate=cast.mandate)
    one, two = SignatureFactory(proposal=item), SignatureFactory(proposal=item)
    declined = submission.signature_decline(signature=one, user=deputy_for(one.person))
    assert declined.declined_at is not None and not declined.counts
    submission.cosigner_remove(signature=two, user=cast.deputy)
    assert not Signature.objects.filter(pk=two.pk).exists()
    with pytest.raises(ValidationError) as exc:
        submission.cosigner_remove(signature=item.signatures.get(role=Signature.Role.LEAD), user=cast.deputy)
    assert text(exc) == "不能移除领衔代表。"


def test_co_signers_cannot_be_invited_after_submission(cast, city_term):
    item = make_submitted(mandate=cast.mandate)
    with pytest.raises(ValidationError) as exc:
        submission.cosigners_invite(proposal=item, user=cast.deputy, mandates=[MandateFactory(term=city_term)])
    assert "只有在提交之前才能邀请附议代表" in text(exc)


# --- submission -------------------------------------------------------------------------------------------

def test_a_motion_is_refused_until_ten_deputies_have_confirmed(cast):
    item = make_draft(mandate=cast.mandate, kind=Kind.MOTION)
    add_cosigners(item, 8, confirmed=True)
    add_cosigners(item, 3, confirmed=False)  # invited only: they do not count
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        submission.proposal_submit(proposal=item, user=cast.deputy)
    assert exc.value.message_dict["signatures"] == ["议案须由至少10名代表联名提出，目前已确认9名。"]
    assert snapshot() == before
    submission.signature_confirm(signature=item.signatures.filter(confirmed_at__isnull=True).first(),
                                 user=deputy_for(item.signatures.filter(confirmed_at__isnull=True).first().person))
    submission.proposal_submit(proposal=item, user=cast.deputy)
    item.refresh_from_db()
    assert item.state == S.SUBMITTED and item.submitted_at is not None


def test_a_township_motion_needs_five_deputies(db):
    city = JurisdictionFactory(kind=Jurisdiction.Kind.CITY)
    town = JurisdictionFactory(kind=Jurisdiction.Kind.TOWNSHIP, parent=JurisdictionFactory(parent=city))
    lead = MandateFactory(term=TermFactory(jurisdiction=town, level=Level.TOWNSHIP, number=3))
    item = make_draft(mandate=lead, kind=Kind.MOTION)
    add_cosigners(item, 3)
    with pytest.raises(ValidationError) as exc:
        submission.proposal_submit(proposal=item, user=deputy_for(lead.person))
    assert exc.value.message_dict["signatures"] == ["议案须由至少5名代表联名提出，目前已确认4名。"]
    add_cosigners(item, 1)
    submission.proposal_submit(proposal=item, user=deputy_for(lead.person))
    item.refresh_from_db()
    assert item.state == S.SUBMITTED


def test_a_motion_needs_grounds_a_plan_and_for_legislation_a_draft_text(cast):
    item = make_draft(mandate=cast.mandate, kind=Kind.MOTION, grounds="", plan="", is_legislative=True)
    add_cosigners(item, 9)
    with pytest.raises(ValidationError) as exc:
        submission.proposal_submit(proposal=item, user=cast.deputy)
    assert exc.value.message_dict == {"grounds": ["议案须填写案据。"], "plan": ["议案须填写方案。"],
                                      "draft_text": ["法规案须附法规草案文本。"]}
    item.refresh_from_db()
    assert item.state == S.DRAFT


def test_only_the_lead_submits(cast, city_term):
    item = make_draft(mandate=cast.mandate)
    co = SignatureFactory(proposal=item, confirmed=True)
    with pytest.raises(ValidationError) as exc:
        submission.proposal_submit(proposal=item, user=deputy_for(co.person))
    assert text(exc) == "只有本件的领衔代表可以进行此操作。"


def test_staff_enter_a_paper_motion_submitted_with_every_signature_confirmed(cast, city_term):
    others = [MandateFactory(term=city_term) for _i in range(9)]
    item = submission.proposal_enter_on_paper(
        user=cast.staff, mandate=cast.mandate, cosigner_mandates=others, kind=Kind.MOTION, title="关于制定条例的议案",
        grounds="案据", plan="方案")
    assert item.state == S.SUBMITTED and item.entered_on_paper and item.created_by == cast.staff
    assert item.signatures.count() == 10 and all(s.counts for s in item.signatures.all())
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PROPOSAL_STATE, object_id=str(item.pk)).exists()


def test_paper_entry_is_for_staff_of_the_congress_and_checks_the_threshold(cast, county_staff_user, city_term):
    with pytest.raises(ValidationError) as exc:
        submission.proposal_enter_on_paper(user=county_staff_user, mandate=cast.mandate, kind=Kind.SUGGESTION,
                                           title="标题", content="内容")
    assert text(exc) == "只有本级人大的工作人员可以进行此操作。"
    with pytest.raises(ValidationError) as exc:
        submission.proposal_enter_on_paper(user=cast.staff, mandate=cast.mandate, kind=Kind.MOTION, title="议案",
                                           grounds="案据", plan="方案",
                                           cosigner_mandates=[MandateFactory(term=city_term)])
    assert exc.value.message_dict["signatures"] == ["议案须由至少10名代表联名提出，目前已确认2名。"]
    assert not Proposal.objects.exists()


# --- return, withdraw -------------------------------------------------------------------------------------

def test_staff_return_an_item_with_a_reason_and_the_deputy_submits_it_again(cast):
    item = make_submitted(mandate=cast.mandate)
    with pytest.raises(ValidationError) as exc:
        submission.proposal_return(proposal=item, user=cast.staff, reason="  ")
    assert exc.value.message_dict["reason"] == ["请填写退回代表的理由。"]
    submission.proposal_return(proposal=item, user=cast.staff, reason="属于代表个人事务，不宜作为建议")
    item.refresh_from_db()
    assert item.state == S.RETURNED and item.return_reason == "属于代表个人事务，不宜作为建议"
    note = Notification.objects.filter(recipient=cast.deputy).latest("pk")
    assert note.title == f"“{item.title}”已退回给您" and note.body == item.return_reason
    submission.proposal_update(proposal=item, user=cast.deputy, version=item.version, content="修改后的内容")
    submission.proposal_submit(proposal=item, user=cast.deputy)
    item.refresh_from_db()
    assert item.state == S.SUBMITTED and item.content == "修改后的内容"


def test_staff_of_another_congress_cannot_return_or_register(cast, county_staff_user):
    item = make_submitted(mandate=cast.mandate)
    before = snapshot()
    for call in (lambda: submission.proposal_return(proposal=item, user=county_staff_user, reason="x"),
                 lambda: submission.proposal_register(proposal=item, user=county_staff_user, category=category()),
                 lambda: submission.proposal_register(proposal=item, user=cast.deputy, category=category())):
        with pytest.raises(ValidationError) as exc:
            call()
        assert text(exc) == "只有本级人大的工作人员可以进行此操作。"
    assert snapshot() == before


def test_the_lead_withdraws_in_writing(cast):
    item = make_registered(mandate=cast.mandate, staff=cast.staff)
    with pytest.raises(ValidationError) as exc:
        submission.proposal_withdraw(proposal=item, user=cast.deputy, reason="")
    assert exc.value.message_dict["reason"] == ["请填写撤回理由。"]
    submission.proposal_withdraw(proposal=item, user=cast.deputy, reason="问题已由街道解决")
    item.refresh_from_db()
    assert item.state == S.WITHDRAWN and item.withdraw_reason == "问题已由街道解决"


# --- registration and review -----------------------------------------------------------------------------

def test_numbers_run_per_congress_year_session_and_kind(cast, city_term, county_mandate, county_staff_user):
    session = SessionFactory(term=city_term, number=3)
    first = make_registered(mandate=cast.mandate, staff=cast.staff)
    second = make_registered(mandate=cast.mandate, staff=cast.staff, is_key=True)
    motion = make_registered(mandate=cast.mandate, staff=cast.staff, kind=Kind.MOTION)
    in_session = make_registered(mandate=cast.mandate, staff=cast.staff, session=session,
                                 period=Proposal.Period.DURING_SESSION)
    county = make_registered(mandate=county_mandate, staff=county_staff_user)
    assert [first.number, second.number, motion.number, in_session.number, county.number] == [1, 2, 1, 1, 1]
    assert second.number_label == "第0002号" and second.is_key and not first.is_key
    assert first.category.name == "教育" and first.registered_at is not None
    assert Notification.objects.filter(recipient=cast.deputy, title=f"“{second.title}”已登记为第0002号").exists()


def test_registration_needs_a_category_in_use(cast):
    item = make_submitted(mandate=cast.mandate)
    old = category("其他")
    old.is_active = False
    old.save()
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        submission.proposal_register(proposal=item, user=cast.staff, category=None)
    assert exc.value.message_dict["category"] == ["请选择类别。"]
    with pytest.raises(ValidationError) as exc:
        submission.proposal_register(proposal=item, user=cast.staff, category=old)
    assert exc.value.message_dict["category"] == ["类别“其他”已停用。"]
    assert snapshot() == before


def test_a_docketed_motion_keeps_the_review_opinion(cast):
    item = make_registered(mandate=cast.mandate, staff=cast.staff, kind=Kind.MOTION)
    with pytest.raises(ValidationError) as exc:
        submission.motion_docket(proposal=item, user=cast.staff, opinion="")
    assert exc.value.message_dict["opinion"] == ["请填写审查意见。"]
    submission.motion_docket(proposal=item, user=cast.staff, opinion="属于本级人大职权范围，同意立案")
    item.refresh_from_db()
    assert item.state == S.DOCKETED and item.docket_reason == "属于本级人大职权范围，同意立案"
    assert item.kind == Kind.MOTION and item.number == 1


def test_a_converted_motion_becomes_a_suggestion_with_a_suggestion_number_and_the_reason(cast):
    make_registered(mandate=cast.mandate, staff=cast.staff)
    make_registered(mandate=cast.mandate, staff=cast.staff)
    item = make_registered(mandate=cast.mandate, staff=cast.staff, kind=Kind.MOTION)
    signers = set(item.signatures.values_list("person_id", flat=True))
    submission.motion_convert(proposal=item, user=cast.staff, reason="不属于人大职权范围内的事项，作为建议办理")
    item.refresh_from_db()
    assert item.kind == Kind.SUGGESTION and item.state == S.REGISTERED and item.converted_from_motion
    assert item.number == 3 and item.docket_reason == "不属于人大职权范围内的事项，作为建议办理"
    assert set(item.signatures.values_list("person_id", flat=True)) == signers
    assert not Proposal.objects.filter(kind=Kind.MOTION).exists()
    assert Notification.objects.filter(recipient=cast.deputy, title=f"议案“{item.title}”将作为建议办理").exists()


def test_nobody_but_the_lead_or_the_office_withdraws(cast, city_term):
    item = make_submitted(mandate=cast.mandate)
    stranger = UserFactory(roles=[roles.DEPUTY], person=MandateFactory(term=city_term).person)
    with pytest.raises(ValidationError):
        submission.proposal_withdraw(proposal=item, user=stranger, reason="x")
    item.refresh_from_db()
    assert item.state == S.SUBMITTED


def test_the_year_of_an_item_is_the_year_it_was_drafted(cast):
    import time_machine

    with time_machine.travel(datetime.datetime(2025, 12, 31, 12, 0), tick=False):
        item = make_draft(mandate=cast.mandate)
    assert item.year == 2025
