"""Handling: assignment to a lead unit and co-units (with notices), signing for or returning within the
window, reassignment after a return, communication, co-units' opinions, the reply (B and C followed up),
merged handling (并案) and supervision (督办)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.committee.models import CommitteeMember, SpecialCommittee
from apps.core import calendar, locking
from apps.core.models import Notification
from apps.proposals.models import (
    Assignment, Communication, Deadline, Kind, MergeGroup, Proposal, Rating, Reply, SupervisionRecord,
)
from apps.proposals.services import handling, ratings, submission, supervision
from tests.factories import HandlingUnitFactory, MandateFactory, PersonFactory
from tests.proposals.factories import (
    add_cosigners, deputy_for, lead_assignment, lead_signature, make_assigned, make_docketed, make_handling,
    make_registered, make_replied, reply_class, unit_user_for,
)
from tests.proposals.services_support import cast, snapshot, text  # noqa: F401  (cast is a fixture)

S = Proposal.State
A = Assignment.State
TODAY = timezone.localdate


# --- assignment -----------------------------------------------------------------------------------------

def test_assignment_gives_each_unit_its_row_deadlines_and_a_notice(cast):
    co_unit = cast.other_unit()
    item = make_registered(mandate=cast.mandate, staff=cast.staff)
    rows = handling.proposal_assign(proposal=item, user=cast.staff, lead_unit=cast.unit, co_units=[co_unit, cast.unit])
    item.refresh_from_db()
    assert item.state == S.ASSIGNED and item.assigned_at is not None
    assert [(a.unit, a.role, a.state, a.round) for a in rows] == [(cast.unit, "lead", A.PENDING, 1),
                                                                 (co_unit, "co", A.PENDING, 1)]
    assert sorted(item.deadlines.values_list("kind", flat=True)) == ["co_opinion", "reply", "sign", "sign"]
    lead_note = Notification.objects.get(recipient=cast.unit_user)
    assert lead_note.title == f"“{item.title}”已交由贵单位主办"
    assert Notification.objects.get(recipient=unit_user_for(co_unit)).title == f"“{item.title}”已交由贵单位协办"


def test_assignment_refuses_units_of_another_congress_or_out_of_use(cast, county):
    item = make_registered(mandate=cast.mandate, staff=cast.staff)
    county_unit = HandlingUnitFactory(jurisdiction=county, name="南关区教育局")
    closed = HandlingUnitFactory(jurisdiction=cast.unit.jurisdiction, name="已撤销的局", is_active=False)
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        handling.proposal_assign(proposal=item, user=cast.staff, lead_unit=county_unit, co_units=[closed])
    assert exc.value.message_dict == {"lead_unit": [f"南关区教育局不是{item.jurisdiction}的承办单位。"],
                                      "co_units": ["已撤销的局已停止承办。"]}
    with pytest.raises(ValidationError) as exc:
        handling.proposal_assign(proposal=item, user=cast.staff, lead_unit=None)
    assert exc.value.message_dict["lead_unit"] == ["请选择主办单位。"]
    assert snapshot() == before


def test_a_docketed_motion_is_assigned(cast):
    item = make_docketed(mandate=cast.mandate, staff=cast.staff)
    handling.proposal_assign(proposal=item, user=cast.staff, lead_unit=cast.unit)
    item.refresh_from_db()
    assert item.state == S.ASSIGNED and item.kind == Kind.MOTION


def test_the_lead_unit_signing_starts_handling_a_co_unit_signing_does_not(cast):
    co_unit = cast.other_unit()
    item = make_assigned(mandate=cast.mandate, staff=cast.staff, lead_unit=cast.unit, co_units=[co_unit])
    co = item.assignments.get(role=Assignment.Role.CO)
    handling.assignment_accept(assignment=co, user=unit_user_for(co_unit))
    item.refresh_from_db()
    assert item.state == S.ASSIGNED
    lead = lead_assignment(item)
    with pytest.raises(ValidationError) as exc:
        handling.assignment_accept(assignment=lead, user=unit_user_for(co_unit))
    assert text(exc) == f"只有{cast.unit}的用户可以办理此交办事项。"
    handling.assignment_accept(assignment=lead, user=cast.unit_user)
    item.refresh_from_db()
    lead.refresh_from_db()
    assert item.state == S.HANDLING and lead.state == A.ACCEPTED and lead.accepted_at is not None
    sign = item.deadlines.get(kind=Deadline.Kind.SIGN, assignment=lead)
    assert not sign.is_open and sign.met_at is not None
    with pytest.raises(ValidationError) as exc:
        handling.assignment_accept(assignment=co, user=unit_user_for(co_unit))
    assert text(exc) == "该交办事项目前为“已签收”，现在不能签收。"


def test_a_lead_return_leaves_the_item_for_the_office_to_reassign(cast):
    item = make_assigned(mandate=cast.mandate, staff=cast.staff, lead_unit=cast.unit)
    lead = lead_assignment(item)
    with pytest.raises(ValidationError) as exc:
        handling.assignment_return(assignment=lead, user=cast.unit_user, reason=" ")
    assert exc.value.message_dict["reason"] == ["请说明该件不属于贵单位职责的理由。"]
    handling.assignment_return(assignment=lead, user=cast.unit_user, reason="属于交通部门职责")
    item.refresh_from_db()
    lead.refresh_from_db()
    assert item.state == S.ASSIGNED and lead.state == A.RETURNED and lead.return_reason == "属于交通部门职责"
    assert not item.deadlines.filter(assignment=lead, is_open=True).exists()
    assert Notification.objects.get(recipient=cast.staff).title == f"{cast.unit}退回了“{item.title}”"

    new_unit = cast.other_unit()
    rows = handling.assignment_reassign(proposal=item, user=cast.staff, lead_unit=new_unit)
    assert [(a.unit, a.role, a.state) for a in rows] == [(new_unit, "lead", A.PENDING)]
    assert Notification.objects.get(recipient=unit_user_for(new_unit)).title == f"“{item.title}”已交由贵单位主办"
    assert item.deadlines.filter(assignment=rows[0], kind=Deadline.Kind.SIGN, is_open=True).exists()
    assert item.deadlines.filter(assignment=rows[0], kind=Deadline.Kind.REPLY, is_open=True).exists()
    handling.assignment_accept(assignment=rows[0], user=unit_user_for(new_unit))
    item.refresh_from_db()
    assert item.state == S.HANDLING


def test_a_signed_assignment_cannot_be_returned(cast):
    item = make_handling(mandate=cast.mandate, staff=cast.staff, lead_unit=cast.unit)
    with pytest.raises(ValidationError) as exc:
        handling.assignment_return(assignment=lead_assignment(item), user=cast.unit_user, reason="x")
    assert text(exc) == "该交办事项目前为“已签收”：只有尚未签收的交办事项才能退回。"


def test_reassigning_an_item_being_handled_cancels_the_old_units_and_tells_them(cast):
    co_unit = cast.other_unit()
    item = make_handling(mandate=cast.mandate, staff=cast.staff, lead_unit=cast.unit, co_units=[co_unit])
    old_lead = lead_assignment(item)
    new_unit = cast.other_unit()
    with pytest.raises(ValidationError) as exc:
        handling.assignment_reassign(proposal=item, user=cast.staff, lead_unit=cast.unit, co_units=[co_unit])
    assert text(exc) == f"“{item.title}”的承办单位已是这些单位，未作任何更改。"
    handling.assignment_reassign(proposal=item, user=cast.staff, lead_unit=new_unit, co_units=[co_unit])
    item.refresh_from_db()
    old_lead.refresh_from_db()
    assert item.state == S.ASSIGNED and old_lead.state == A.CANCELLED
    assert not old_lead.deadlines.filter(is_open=True).exists()
    assert item.assignments.get(unit=co_unit).state == A.PENDING  # kept as it was
    assert Notification.objects.filter(recipient=cast.unit_user, title=f"“{item.title}”已不再由贵单位承办").exists()


# --- handling ---------------------------------------------------------------------------------------------

def test_units_record_their_communication_with_the_deputy(cast):
    item = make_handling(mandate=cast.mandate, staff=cast.staff, lead_unit=cast.unit)
    lead = lead_assignment(item)
    row = handling.communication_add(assignment=lead, user=cast.unit_user, date=TODAY(),
                                     means=Communication.Means.VISIT, content=" 上门走访代表 ")
    assert row.content == "上门走访代表" and row.recorded_by == cast.unit_user
    with pytest.raises(ValidationError) as exc:
        handling.communication_add(assignment=lead, user=cast.unit_user, date=TODAY() + datetime.timedelta(days=1),
                                   means="pigeon", content="")
    assert exc.value.message_dict == {"date": ["沟通日期不能晚于今天。"], "means": ["请选择沟通方式。"],
                                      "content": ["请填写沟通内容。"]}
    assert Communication.objects.count() == 1


def test_a_unit_signs_before_recording_communication(cast):
    item = make_assigned(mandate=cast.mandate, staff=cast.staff, lead_unit=cast.unit)
    with pytest.raises(ValidationError) as exc:
        handling.communication_add(assignment=lead_assignment(item), user=cast.unit_user, date=TODAY(),
                                   means=Communication.Means.PHONE, content="电话")
    assert text(exc) == "请先签收。"


def test_a_co_unit_sends_its_opinion_to_the_lead_unit(cast):
    co_unit = cast.other_unit()
    item = make_handling(mandate=cast.mandate, staff=cast.staff, lead_unit=cast.unit, co_units=[co_unit])
    co = item.assignments.get(role=Assignment.Role.CO)
    handling.assignment_accept(assignment=co, user=unit_user_for(co_unit))
    with pytest.raises(ValidationError) as exc:
        handling.co_opinion_submit(assignment=lead_assignment(item), user=cast.unit_user, opinion="x")
    assert text(exc) == "只有协办单位向主办单位提出协办意见。"
    handling.co_opinion_submit(assignment=co, user=unit_user_for(co_unit), opinion="建议统筹安排资金")
    co.refresh_from_db()
    assert co.opinion == "建议统筹安排资金" and co.opinion_at is not None
    assert not item.deadlines.get(kind=Deadline.Kind.CO_OPINION).is_open
    assert Notification.objects.filter(recipient=cast.unit_user,
                                       title=f"{co_unit}已就“{item.title}”提出协办意见").exists()


def test_a_class_b_reply_needs_a_promised_date_and_is_followed_up(cast):
    item = make_handling(mandate=cast.mandate, staff=cast.staff, lead_unit=cast.unit, cosigners=1)
    unconfirmed = add_cosigners(item, 1, confirmed=False)[0]
    for signature in item.signatures.all():
        deputy_for(signature.person)  # every signer has an account
    lead = lead_assignment(item)
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        handling.reply_submit(assignment=lead, user=cast.unit_user, reply_class=reply_class("B"), text="")
    assert exc.value.message_dict == {"promised_on": ["B类答复须填写承诺解决的日期。"], "text": ["请填写答复内容。"]}
    assert snapshot() == before
    promised = TODAY() + datetime.timedelta(days=120)
    reply = handling.reply_submit(assignment=lead, user=cast.unit_user, reply_class=reply_class("B"),
                                  text="已列入明年计划", promised_on=promised, is_public=False)
    item.refresh_from_db()
    assert item.state == S.REPLIED and item.replied_at is not None
    assert (reply.round, reply.is_public, reply.promised_on) == (1, False, promised)
    follow_up = item.follow_ups.get()
    assert follow_up.reply == reply and follow_up.due_on == promised
    assert item.deadlines.get(kind=Deadline.Kind.FOLLOW_UP).due_on == promised
    told = set(Notification.objects.filter(title=f"“{item.title}”的答复等待您测评").values_list("recipient__person_id",
                                                                                         flat=True))
    counting = {s.person_id for s in item.signatures.all() if s.counts}
    assert told == counting and unconfirmed.person_id not in told and len(told) == 2


def test_an_a_or_d_reply_is_not_followed_up_and_a_reply_document_is_attached(cast):
    item = make_handling(mandate=cast.mandate, staff=cast.staff, lead_unit=cast.unit)
    document = SimpleUploadedFile("答复函.pdf", b"%PDF-1.4 reply", content_type="application/pdf")
    reply = handling.reply_submit(assignment=lead_assignment(item), user=cast.unit_user,
                                  reply_class=reply_class("D"), text="留作参考", document=document)
    assert not item.follow_ups.exists()
    assert reply.document.proposal == item and reply.document.name == "答复函.pdf"


def test_only_the_lead_unit_replies(cast):
    co_unit = cast.other_unit()
    item = make_handling(mandate=cast.mandate, staff=cast.staff, lead_unit=cast.unit, co_units=[co_unit])
    co = item.assignments.get(role=Assignment.Role.CO)
    with pytest.raises(ValidationError) as exc:
        handling.reply_submit(assignment=co, user=unit_user_for(co_unit), reply_class=reply_class("A"), text="x")
    assert text(exc) == "只有主办单位答复代表；协办单位向主办单位提出协办意见。"
    assert not Reply.objects.exists()


def test_a_reply_is_corrected_before_any_rating_and_its_follow_up_follows(cast):
    item = make_replied(mandate=cast.mandate, staff=cast.staff, lead_unit=cast.unit, cosigners=1)
    reply = item.replies.get()
    promised = TODAY() + datetime.timedelta(days=60)
    handling.reply_update(reply=reply, user=cast.unit_user, version=reply.version, reply_class=reply_class("C"),
                          text="受条件限制，需以后解决", promised_on=promised)
    reply.refresh_from_db()
    assert reply.reply_class.code == "C" and reply.version == 2 and item.follow_ups.get().due_on == promised
    with pytest.raises(locking.StaleObjectError):
        handling.reply_update(reply=reply, user=cast.unit_user, version=1, reply_class=reply_class("A"), text="x")
    handling.reply_update(reply=reply, user=cast.unit_user, version=2, reply_class=reply_class("A"), text="已解决")
    assert not item.follow_ups.exists()
    ratings.rating_submit(proposal=item, user=cast.deputy, result=Rating.Result.SATISFIED)
    with pytest.raises(ValidationError) as exc:
        handling.reply_update(reply=reply, user=cast.unit_user, version=3, reply_class=reply_class("B"), text="x",
                              promised_on=promised)
    assert text(exc) == "答复已不能修改：代表已开始测评。"


def test_follow_up_not_solved_creates_the_next_one_three_months_on(cast, city_term):
    item = make_replied(mandate=cast.mandate, staff=cast.staff, lead_unit=cast.unit, reply_class="B")
    follow_up = item.follow_ups.get()
    with pytest.raises(ValidationError) as exc:
        handling.follow_up_answer(follow_up=follow_up, user=cast.deputy, is_solved=False)
    assert text(exc) == "承办单位尚未报告办理进展。"
    handling.follow_up_report(follow_up=follow_up, user=cast.unit_user, progress="已完成设计招标")
    assert Notification.objects.filter(recipient=cast.deputy,
                                       title=f"“{item.title}”的办理进展：是否已解决？").exists()
    stranger = deputy_for(MandateFactory(term=city_term).person)
    with pytest.raises(ValidationError) as exc:
        handling.follow_up_answer(follow_up=follow_up, user=stranger, is_solved=True)
    assert text(exc) == "只有本件的署名代表可以答复。"
    handling.follow_up_answer(follow_up=follow_up, user=cast.deputy, is_solved=False)
    follow_ups = list(item.follow_ups.order_by("pk"))  # the first one, then the next (91 days can exceed 3 months)
    assert len(follow_ups) == 2 and follow_ups[0].is_solved is False
    assert follow_ups[1].due_on == calendar.months_deadline(TODAY(), 3) and follow_ups[1].reported_at is None
    assert follow_ups[1].reply == follow_ups[0].reply
    handling.follow_up_report(follow_up=follow_ups[1], user=cast.unit_user, progress="已开工")
    handling.follow_up_answer(follow_up=follow_ups[1], user=cast.deputy, is_solved=True)
    assert item.follow_ups.count() == 2
    with pytest.raises(ValidationError) as exc:
        handling.follow_up_answer(follow_up=follow_ups[1], user=cast.deputy, is_solved=True)
    assert text(exc) == "本次跟踪办理已答复。"


# --- merged handling ------------------------------------------------------------------------------------

@pytest.fixture
def merged(cast, city_term):
    items = [make_registered(mandate=cast.mandate, staff=cast.staff),
             make_registered(mandate=MandateFactory(term=city_term), staff=cast.staff, cosigners=1),
             make_docketed(mandate=MandateFactory(term=city_term), staff=cast.staff)]
    group = supervision.merge_group_create(proposals=items, user=cast.staff, name="老旧小区供暖改造")
    return group, [Proposal.objects.get(pk=i.pk) for i in items]


def test_merged_items_are_assigned_together_each_with_its_own_rows(cast, merged):
    group, items = merged
    rows = handling.proposal_assign(proposal=items[1], user=cast.staff, lead_unit=cast.unit)
    assert len(rows) == 3 and {a.proposal_id for a in rows} == {i.pk for i in items}
    for item in items:
        item.refresh_from_db()
        assert item.state == S.ASSIGNED and item.merge_group == group
        assert item.deadlines.filter(kind=Deadline.Kind.REPLY).count() == 1
    assert Notification.objects.filter(recipient=cast.unit_user).count() == 3


def test_the_lead_units_reply_reaches_every_item_and_each_signer_rates_their_own(cast, merged):
    group, items = merged
    for item in items:
        for signature in item.signatures.all():
            deputy_for(signature.person)
    handling.proposal_assign(proposal=items[0], user=cast.staff, lead_unit=cast.unit)
    handling.assignment_accept(assignment=lead_assignment(items[0]), user=cast.unit_user)
    handling.reply_submit(assignment=lead_assignment(items[0]), user=cast.unit_user, reply_class=reply_class("A"),
                          text="统一改造供热管网",
                          document=SimpleUploadedFile("答复.pdf", b"%PDF-1.4 x", content_type="application/pdf"))
    for item in items:
        item.refresh_from_db()
        assert item.state == S.REPLIED
        reply = item.replies.get()
        assert reply.text == "统一改造供热管网" and reply.assignment.proposal == item
        assert reply.document.proposal == item
        for signature in item.signatures.all():
            assert Notification.objects.filter(recipient__person=signature.person,
                                               title=f"“{item.title}”的答复等待您测评").exists()
    # The second item's lead rates it: the rating is on that item, the others are untouched.
    second_lead = lead_signature(items[1])
    ratings.rating_submit(proposal=items[1], user=deputy_for(second_lead.person), result=Rating.Result.SATISFIED)
    assert Rating.objects.get().proposal == items[1]
    # The first item's deputy cannot rate the second one.
    with pytest.raises(ValidationError) as exc:
        ratings.rating_submit(proposal=items[1], user=cast.deputy, result=Rating.Result.SATISFIED)
    assert text(exc) == "只有本件的署名代表可以测评答复。"
    ratings.rating_submit(proposal=items[0], user=cast.deputy, result=Rating.Result.UNSATISFIED)
    items[0].refresh_from_db()
    items[2].refresh_from_db()
    assert items[0].state == S.REHANDLING and items[2].state == S.REPLIED


def test_merging_needs_registered_items_of_one_congress(cast, county_mandate, county_staff_user):
    first = make_registered(mandate=cast.mandate, staff=cast.staff)
    assigned = make_assigned(mandate=cast.mandate, staff=cast.staff, lead_unit=cast.unit)
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        supervision.merge_group_create(proposals=[first], user=cast.staff, name="x")
    assert exc.value.message_dict["proposals"] == ["请至少选择两件进行并案办理。"]
    with pytest.raises(ValidationError) as exc:
        supervision.merge_group_create(proposals=[first, assigned], user=cast.staff, name="x")
    assert exc.value.message_dict["proposals"] == [
        f"“{assigned.title}”目前为“已交办”状态：只有已登记、尚未交办的件才能并案办理。"]
    assert snapshot() == before


def test_an_item_leaving_a_group_of_two_dissolves_it(cast, merged):
    group, items = merged
    supervision.merge_group_leave(proposal=items[0], user=cast.staff)
    submission.proposal_withdraw(proposal=items[1], user=deputy_for(lead_signature(items[1]).person), reason="撤回")
    assert not MergeGroup.objects.filter(pk=group.pk).exists()
    assert not Proposal.objects.filter(merge_group__isnull=False).exists()


# --- supervision ----------------------------------------------------------------------------------------

def test_a_key_item_gets_a_leading_supervisor_and_records(cast, city_term):
    city = cast.mandate.jurisdiction
    leader = CommitteeMember.objects.create(term=city_term, jurisdiction=city, person=PersonFactory(),
                                            post="vice_director", start_date=datetime.date(2022, 1, 1))
    committee = SpecialCommittee.objects.create(jurisdiction=city, name="财政经济委员会")
    item = make_assigned(mandate=cast.mandate, staff=cast.staff, lead_unit=cast.unit)
    started = supervision.supervision_start(proposal=item, user=cast.staff, leader=leader, committee=committee)
    item.refresh_from_db()
    assert item.is_key and started.started_on == TODAY()
    with pytest.raises(ValidationError) as exc:
        supervision.supervision_start(proposal=item, user=cast.staff, leader=leader)
    assert text(exc) == f"“{item.title}”已列入督办。"
    record = supervision.supervision_record_add(supervision=started, user=cast.staff,
                                                kind=SupervisionRecord.Kind.INSPECTION, date=TODAY(),
                                                content="组织代表视察承办单位")
    assert record.recorded_by == cast.staff
    with pytest.raises(ValidationError) as exc:
        supervision.supervision_record_add(supervision=started, user=cast.staff, kind="party",
                                           date=TODAY() + datetime.timedelta(days=2), content="")
    assert exc.value.message_dict == {"kind": ["请选择督办方式。"], "date": ["日期不能晚于今天。"],
                                      "content": ["请填写督办情况。"]}


def test_the_leading_supervisor_is_a_council_member_of_the_same_congress(cast, city_term, county):
    member = CommitteeMember.objects.create(term=city_term, jurisdiction=cast.mandate.jurisdiction,
                                            person=PersonFactory(), post="member",
                                            start_date=datetime.date(2022, 1, 1))
    other = SpecialCommittee.objects.create(jurisdiction=county, name="法制委员会")
    item = make_registered(mandate=cast.mandate, staff=cast.staff)
    with pytest.raises(ValidationError) as exc:
        supervision.supervision_start(proposal=item, user=cast.staff, leader=member, committee=other)
    assert set(exc.value.message_dict) == {"leader", "committee"}
    assert "主任会议的现任组成人员" in exc.value.message_dict["leader"][0]
    item.refresh_from_db()
    assert not item.is_key


@pytest.mark.parametrize(("start", "end", "accepted"), [
    (-400, 0, True),  # the post ends today: still held
    (-400, -1, False),  # ended yesterday
    (1, None, False),  # starts tomorrow
    (0, None, True),  # starts today
])
def test_the_leading_supervisor_holds_the_post_today(cast, city_term, start, end, accepted):
    """The same question as the leader choices ask (``CommitteeMember.serves_on``): the end date is the last
    day served."""
    day = datetime.timedelta(days=1)
    leader = CommitteeMember.objects.create(
        term=city_term, jurisdiction=cast.mandate.jurisdiction, person=PersonFactory(), post="director",
        start_date=TODAY() + start * day, end_date=None if end is None else TODAY() + end * day)
    item = make_registered(mandate=cast.mandate, staff=cast.staff)
    if accepted:
        assert supervision.supervision_start(proposal=item, user=cast.staff, leader=leader).leader == leader
    else:
        with pytest.raises(ValidationError) as exc:
            supervision.supervision_start(proposal=item, user=cast.staff, leader=leader)
        assert set(exc.value.message_dict) == {"leader"}
    item.refresh_from_db()
    assert item.is_key is accepted
