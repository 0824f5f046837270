"""The handling unit's pages: the inbox (groups, deadlines in working days, filters, query count) and every
action on an assignment — happy path, bad input with a Chinese message and nothing written."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from apps.proposals.models import (
    Assignment, Communication, Deadline, ExtensionRequest, FollowUp, Proposal, ProposalAttachment, Rating, Reply,
    ReplyClass,
)
from apps.proposals.services import handling
from tests.proposals import factories as f
from tests.proposals.unit_support import (  # noqa: F401
    PDF, TEXT, assigned, handled, handling_with_co, other_unit, other_unit_user, own_assignment,
    replied_b, unit, url,
)

INBOX = reverse("proposals:unit_inbox")


def _rows(response):
    return {row.pk: row for row in response.context["page"].object_list}


def _html(response) -> str:
    return response.content.decode()


# --- the inbox ----------------------------------------------------------------------------------------------

def test_inbox_lists_only_the_units_own_assignments(client_for, unit_user, unit, other_unit, municipal_mandate):
    mine = own_assignment(f.make_assigned(mandate=municipal_mandate, lead_unit=unit, title="关于本单位事项的建议"),
                          unit)
    theirs = own_assignment(f.make_assigned(mandate=municipal_mandate, lead_unit=other_unit,
                                            title="关于另一单位事项的建议"), other_unit)
    response = client_for(unit_user).get(INBOX)
    assert response.status_code == 200
    assert set(_rows(response)) == {mine.pk}
    assert theirs.proposal.title not in _html(response)


def test_inbox_groups_the_assignments_by_what_the_unit_has_to_do(client_for, unit_user, unit, other_unit,
                                                                 municipal_mandate):
    m = municipal_mandate
    to_sign = own_assignment(f.make_assigned(mandate=m, lead_unit=unit), unit)
    being_handled = own_assignment(f.make_handling(mandate=m, lead_unit=unit), unit)
    co = f.make_handling(mandate=m, lead_unit=other_unit, co_units=[unit])
    co_opinion = own_assignment(co, unit)
    handling.assignment_accept(assignment=co_opinion, user=unit_user)
    replied = own_assignment(f.make_replied(mandate=m, lead_unit=unit), unit)
    follow_up = own_assignment(f.make_closed(mandate=m, lead_unit=unit, reply_class="B"), unit)
    closed = own_assignment(f.make_closed(mandate=m, lead_unit=unit, reply_class="A"), unit)
    returned = own_assignment(f.make_assigned(mandate=m, lead_unit=unit), unit)
    handling.assignment_return(assignment=returned, user=unit_user, reason="不属于本单位职责。")

    rows = _rows(client_for(unit_user).get(INBOX))
    assert {pk: row.group for pk, row in rows.items()} == {
        to_sign.pk: "to_sign", being_handled.pk: "handling", co_opinion.pk: "co_opinion", replied.pk: "replied",
        follow_up.pk: "follow_up", closed.pk: "closed", returned.pk: "returned"}
    # Each row's deadline is the one of the group: signing, replying, the co-unit's opinion, the follow-up.
    assert rows[to_sign.pk].due_on == Deadline.objects.get(assignment=to_sign, kind=Deadline.Kind.SIGN).due_on
    assert rows[being_handled.pk].due_on == Deadline.objects.get(assignment=being_handled,
                                                                 kind=Deadline.Kind.REPLY).due_on
    assert rows[co_opinion.pk].due_on == Deadline.objects.get(assignment=co_opinion,
                                                              kind=Deadline.Kind.CO_OPINION).due_on
    assert rows[follow_up.pk].due_on == FollowUp.objects.get(proposal=follow_up.proposal).due_on
    assert rows[closed.pk].due is None


def test_inbox_shows_working_days_left_across_national_day(client_for, unit_user, unit, municipal_mandate):
    # Assigned on 2026-09-28: 5 working days to sign → 2026-10-10, the make-up Saturday after 国庆.
    with time_machine.travel(datetime.datetime(2026, 9, 28, 9, 0), tick=False):
        assignment = own_assignment(f.make_assigned(mandate=municipal_mandate, lead_unit=unit), unit)
        response = client_for(unit_user).get(INBOX)
    row = _rows(response)[assignment.pk]
    assert row.due_on == datetime.date(2026, 10, 10)
    assert row.due.days_left == 5 and not row.due.overdue
    assert "2026年10月10日" in _html(response)
    assert "剩余 5 个工作日" in _html(response)


def test_inbox_marks_an_overdue_deadline_in_red(client_for, unit_user, unit, municipal_mandate):
    with time_machine.travel(datetime.datetime(2026, 9, 28, 9, 0), tick=False):
        assignment = own_assignment(f.make_assigned(mandate=municipal_mandate, lead_unit=unit), unit)
    # Tuesday 2026-10-13: 10-12 and 10-13 are working days past the 10-10 deadline.
    with time_machine.travel(datetime.datetime(2026, 10, 13, 9, 0), tick=False):
        response = client_for(unit_user).get(INBOX)
    row = _rows(response)[assignment.pk]
    assert row.due.overdue and row.due.overdue_days == 2
    html = _html(response)
    assert "已逾期 2 个工作日" in html
    assert "text-danger fw-semibold overdue" in html


def test_inbox_filters_by_year_and_state(client_for, unit_user, unit, municipal_mandate):
    this_year = own_assignment(f.make_assigned(mandate=municipal_mandate, lead_unit=unit), unit)
    handled = own_assignment(f.make_handling(mandate=municipal_mandate, lead_unit=unit), unit)
    last_year = f.make_assigned(mandate=municipal_mandate, lead_unit=unit)
    Proposal.objects.filter(pk=last_year.pk).update(year=this_year.proposal.year - 1)
    last_year = own_assignment(last_year, unit)
    client = client_for(unit_user)

    response = client.get(INBOX, {"year": this_year.proposal.year})
    assert set(_rows(response)) == {this_year.pk, handled.pk}
    assert {g["key"]: g["count"] for g in response.context["counts"]}["to_sign"] == 1
    response = client.get(INBOX, {"state": "to_sign"})
    assert set(_rows(response)) == {this_year.pk, last_year.pk}
    response = client.get(INBOX, {"state": "handling", "year": this_year.proposal.year})
    assert set(_rows(response)) == {handled.pk}
    # A year the unit has nothing in, or a state that does not exist: the filter is refused, not a crash.
    response = client.get(INBOX, {"state": "nonsense", "year": "1999"})
    assert response.status_code == 200
    assert "选择一个有效的选项" in _html(response)


def _make_items(unit, mandate, count):
    for _i in range(count):
        f.make_handling(mandate=mandate, lead_unit=unit)


def _inbox_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(10) as captured:
        assert client.get(INBOX).status_code == 200
    return len(captured.captured_queries)


def test_inbox_query_count_is_small_and_does_not_grow_with_rows(client_for, unit_user, unit, municipal_mandate,
                                                                django_assert_max_num_queries):
    client = client_for(unit_user)
    _make_items(unit, municipal_mandate, 2)
    first = _inbox_queries(client, django_assert_max_num_queries)
    _make_items(unit, municipal_mandate, 5)
    f.make_closed(mandate=municipal_mandate, lead_unit=unit, reply_class="B")
    assert _inbox_queries(client, django_assert_max_num_queries) == first


def test_inbox_is_empty_for_a_unit_user_without_a_unit(client_for, unit_user, assigned):
    unit_user.handling_unit = None
    unit_user.save(update_fields=["handling_unit"])
    response = client_for(unit_user).get(INBOX)
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []


# --- the assignment page ------------------------------------------------------------------------------------

def test_assignment_page_shows_the_item_its_files_and_the_deadlines_with_their_rule(client_for, unit_user, unit,
                                                                                     assigned, staff_user):
    f.AttachmentFactory(proposal=assigned, name="现场照片.pdf")
    assignment = own_assignment(assigned, unit)
    response = client_for(unit_user).get(url("unit_assignment", assignment))
    assert response.status_code == 200
    html = _html(response)
    assert assigned.title in html and assigned.content in html
    assert "现场照片.pdf" in html and "张三丰" in html
    kinds = {d.kind for d in response.context["page"].deadlines}
    assert kinds == {Deadline.Kind.SIGN, Deadline.Kind.REPLY}
    sign = next(d for d in response.context["page"].deadlines if d.kind == Deadline.Kind.SIGN)
    assert "5" in sign.rule_text and str(sign.rule.jurisdiction) in sign.rule_text
    assert 'id="accept-submit"' in html and 'id="return-form"' in html


def test_co_unit_does_not_see_the_lead_units_records(client_for, unit_user, unit, other_unit, other_unit_user,
                                                    municipal_mandate):
    proposal = f.make_handling(mandate=municipal_mandate, lead_unit=other_unit, co_units=[unit])
    lead = own_assignment(proposal, other_unit)
    handling.communication_add(assignment=lead, user=other_unit_user, date=timezone.localdate(),
                               means="phone", content="主办单位内部沟通记录")
    co = own_assignment(proposal, unit)
    html = _html(client_for(unit_user).get(url("unit_assignment", co)))
    assert "主办单位内部沟通记录" not in html
    assert 'id="reply-form"' not in html and 'id="co-opinions"' not in html


# --- sign for / return ----------------------------------------------------------------------------------------

def test_lead_unit_signs_for_the_item(client_for, unit_user, unit, assigned):
    assignment = own_assignment(assigned, unit)
    response = client_for(unit_user).post(url("unit_accept", assignment))
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.state == Assignment.State.ACCEPTED
    assert Proposal.objects.get(pk=assigned.pk).state == Proposal.State.HANDLING


def test_signing_twice_is_refused_with_a_message(client_for, unit_user, unit, handled):
    assignment = own_assignment(handled, unit)
    before = Proposal.objects.get(pk=handled.pk).version
    response = client_for(unit_user).post(url("unit_accept", assignment), follow=True)
    assert response.status_code == 200
    assert list(response.context["messages"])
    assert Proposal.objects.get(pk=handled.pk).version == before


def test_unit_returns_the_item_with_a_reason(client_for, unit_user, unit, assigned):
    assignment = own_assignment(assigned, unit)
    response = client_for(unit_user).post(url("unit_return", assignment),
                                          {"return-reason": "该事项属于市住建局职责。"})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.state == Assignment.State.RETURNED
    assert assignment.return_reason == "该事项属于市住建局职责。"


def test_returning_without_a_reason_writes_nothing(client_for, unit_user, unit, assigned):
    assignment = own_assignment(assigned, unit)
    response = client_for(unit_user).post(url("unit_return", assignment), {"return-reason": "   "})
    assert response.status_code == 200
    assert "这个字段是必填项" in _html(response)
    assignment.refresh_from_db()
    assert assignment.state == Assignment.State.PENDING


def test_a_unit_assigned_again_after_returning_sees_the_item_once(client_for, unit_user, unit, assigned,
                                                                   staff_user):
    returned = own_assignment(assigned, unit)
    handling.assignment_return(assignment=returned, user=unit_user, reason="误退，请重新交办。")
    handling.assignment_reassign(proposal=Proposal.objects.get(pk=assigned.pk), user=staff_user, lead_unit=unit)
    again = own_assignment(assigned, unit)
    client = client_for(unit_user)
    rows = _rows(client.get(INBOX))
    assert set(rows) == {again.pk} and rows[again.pk].group == "to_sign"
    html = _html(client.get(url("unit_assignment", returned)))
    assert 'id="assignment-superseded"' in html and url("unit_assignment", again) in html
    assert 'id="accept-submit"' not in html


# --- communications -----------------------------------------------------------------------------------------

def test_unit_logs_a_communication(client_for, unit_user, unit, handled):
    assignment = own_assignment(handled, unit)
    response = client_for(unit_user).post(url("unit_communication_add", assignment), {
        "communication-date": timezone.localdate().isoformat(), "communication-means": "visit",
        "communication-content": "上门走访代表，听取意见。"})
    assert response.status_code == 302
    communication = Communication.objects.get(assignment=assignment)
    assert communication.means == "visit" and communication.recorded_by == unit_user
    html = _html(client_for(unit_user).get(url("unit_assignment", assignment)))
    assert "上门走访代表，听取意见。" in html


def test_a_communication_in_the_future_or_without_content_is_refused(client_for, unit_user, unit, handled):
    assignment = own_assignment(handled, unit)
    client = client_for(unit_user)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(url("unit_communication_add", assignment), {
        "communication-date": tomorrow, "communication-means": "phone", "communication-content": "电话"})
    assert response.status_code == 200
    assert "沟通日期不能晚于今天" in _html(response)
    response = client.post(url("unit_communication_add", assignment), {
        "communication-date": "2026-13-40", "communication-means": "fax", "communication-content": ""})
    assert response.status_code == 200
    assert "这个字段是必填项" in _html(response)
    assert not Communication.objects.exists()


# --- co-unit opinion ----------------------------------------------------------------------------------------

def test_co_unit_sends_its_opinion_and_the_lead_sees_it(client_for, unit_user, unit, other_unit,
                                                        other_unit_user, municipal_mandate):
    proposal = f.make_handling(mandate=municipal_mandate, lead_unit=other_unit, co_units=[unit])
    co = own_assignment(proposal, unit)
    client = client_for(unit_user)
    client.post(url("unit_accept", co))
    response = client.post(url("unit_opinion", co), {"opinion-opinion": "建议结合老旧小区改造一并实施。"})
    assert response.status_code == 302
    co.refresh_from_db()
    assert co.opinion == "建议结合老旧小区改造一并实施。" and co.opinion_at is not None
    lead_page = client_for(other_unit_user).get(url("unit_assignment", own_assignment(proposal, other_unit)))
    assert "建议结合老旧小区改造一并实施。" in _html(lead_page)


def test_an_empty_opinion_is_refused(client_for, unit_user, unit, other_unit, municipal_mandate):
    proposal = f.make_handling(mandate=municipal_mandate, lead_unit=other_unit, co_units=[unit])
    co = own_assignment(proposal, unit)
    client = client_for(unit_user)
    client.post(url("unit_accept", co))
    response = client.post(url("unit_opinion", co), {"opinion-opinion": ""})
    assert response.status_code == 200
    assert "这个字段是必填项" in _html(response)
    co.refresh_from_db()
    assert co.opinion == "" and co.opinion_at is None


def test_lead_sees_which_co_unit_opinions_are_missing(client_for, unit_user, unit, other_unit, handling_with_co):
    html = _html(client_for(unit_user).get(url("unit_assignment", own_assignment(handling_with_co, unit))))
    assert 'id="co-opinions"' in html and other_unit.name in html
    assert "尚未收到" in html


# --- reply --------------------------------------------------------------------------------------------------

def _reply_data(code="A", **extra):
    data = {"reply-reply_class": ReplyClass.objects.get(code=code).pk,
            "reply-text": "经研究，已将该路口改造列入今年计划。"}
    data.update(extra)
    return data


def test_lead_unit_replies_with_a_document(client_for, unit_user, unit, handled):
    assignment = own_assignment(handled, unit)
    document = SimpleUploadedFile("答复函.pdf", PDF, content_type="application/pdf")
    response = client_for(unit_user).post(url("unit_reply", assignment), _reply_data("A", **{"reply-document": document}))
    assert response.status_code == 302
    reply = Reply.objects.get(proposal=handled)
    assert reply.reply_class.code == "A" and reply.is_public
    assert reply.document is not None and reply.document.name == "答复函.pdf"
    assert Proposal.objects.get(pk=handled.pk).state == Proposal.State.REPLIED


def test_a_confidential_class_b_reply_with_a_promised_date(client_for, unit_user, unit, handled):
    assignment = own_assignment(handled, unit)
    promised = timezone.localdate() + datetime.timedelta(days=120)
    response = client_for(unit_user).post(url("unit_reply", assignment), _reply_data(
        "B", **{"reply-promised_on": promised.isoformat(), "reply-confidential": "on"}))
    assert response.status_code == 302
    reply = Reply.objects.get(proposal=handled)
    assert reply.promised_on == promised and not reply.is_public
    assert FollowUp.objects.filter(reply=reply).exists()


def test_a_class_b_reply_without_a_promised_date_writes_nothing(client_for, unit_user, unit, handled):
    assignment = own_assignment(handled, unit)
    response = client_for(unit_user).post(url("unit_reply", assignment), _reply_data("B"))
    assert response.status_code == 200
    assert "请填写承诺解决的日期" in _html(response)
    assert not Reply.objects.exists()
    assert Proposal.objects.get(pk=handled.pk).state == Proposal.State.HANDLING


def test_a_reply_document_that_is_not_a_document_writes_nothing(client_for, unit_user, unit, handled):
    assignment = own_assignment(handled, unit)
    document = SimpleUploadedFile("答复函.pdf", TEXT, content_type="application/pdf")
    response = client_for(unit_user).post(url("unit_reply", assignment), _reply_data("A", **{"reply-document": document}))
    assert response.status_code == 200
    assert "的类型不被接受" in _html(response)
    assert not Reply.objects.exists() and not ProposalAttachment.objects.exists()


def test_a_co_unit_cannot_reply(client_for, unit_user, unit, other_unit, municipal_mandate):
    proposal = f.make_handling(mandate=municipal_mandate, lead_unit=other_unit, co_units=[unit])
    co = own_assignment(proposal, unit)
    client = client_for(unit_user)
    client.post(url("unit_accept", co))
    response = client.post(url("unit_reply", co), _reply_data("A"))
    assert response.status_code == 200
    assert not Reply.objects.exists()


# --- reply edit ---------------------------------------------------------------------------------------------

def _edit_data(reply, **extra):
    data = {"reply-reply_class": reply.reply_class_id, "reply-text": reply.text,
            "reply-promised_on": reply.promised_on.isoformat() if reply.promised_on else "",
            "reply-version": reply.version}
    data.update(extra)
    return data


def test_lead_corrects_its_reply_before_any_rating(client_for, unit_user, unit, replied_b):
    assignment = own_assignment(replied_b, unit)
    reply = Reply.objects.get(proposal=replied_b)
    client = client_for(unit_user)
    assert client.get(url("unit_reply_edit", assignment)).status_code == 200
    response = client.post(url("unit_reply_edit", assignment), _edit_data(reply, **{"reply-text": "更正后的答复。"}))
    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.text == "更正后的答复。" and reply.version == 2


def test_a_stale_reply_edit_keeps_the_input_and_writes_nothing(client_for, unit_user, unit, replied_b):
    assignment = own_assignment(replied_b, unit)
    reply = Reply.objects.get(proposal=replied_b)
    client = client_for(unit_user)
    stale = _edit_data(reply, **{"reply-text": "我的修改"})
    client.post(url("unit_reply_edit", assignment), _edit_data(reply, **{"reply-text": "同事先保存的修改"}))
    response = client.post(url("unit_reply_edit", assignment), stale)
    assert response.status_code == 200
    html = _html(response)
    assert "其他人已修改了它" in html and "我的修改" in html and 'id="changed-since"' in html
    reply.refresh_from_db()
    assert reply.text == "同事先保存的修改"


def test_a_rated_reply_cannot_be_corrected(client_for, unit_user, unit, replied_b):
    assignment = own_assignment(replied_b, unit)
    reply = Reply.objects.get(proposal=replied_b)
    f.rate_all(replied_b, Rating.Result.SATISFIED)
    response = client_for(unit_user).post(url("unit_reply_edit", assignment), _edit_data(reply, **{"reply-text": "改"}))
    assert response.status_code == 200
    reply.refresh_from_db()
    assert reply.text != "改"


def test_reply_edit_without_a_reply_is_404(client_for, unit_user, unit, handled):
    assert client_for(unit_user).get(url("unit_reply_edit", own_assignment(handled, unit))).status_code == 404


# --- extension ----------------------------------------------------------------------------------------------

def test_lead_asks_for_more_time(client_for, unit_user, unit, handled):
    assignment = own_assignment(handled, unit)
    deadline = Deadline.objects.get(assignment=assignment, kind=Deadline.Kind.REPLY)
    new_date = deadline.due_on + datetime.timedelta(days=30)
    response = client_for(unit_user).post(url("unit_extension_request", assignment), {
        "extension-requested_due_on": new_date.isoformat(), "extension-reason": "需协调多个部门。"})
    assert response.status_code == 302
    extension = ExtensionRequest.objects.get(assignment=assignment)
    assert extension.requested_due_on == new_date and extension.state == ExtensionRequest.State.PENDING
    assert extension.deadline == deadline


def test_more_time_beyond_the_maximum_is_refused_with_the_latest_date(client_for, unit_user, unit, handled):
    from apps.proposals import rules

    assignment = own_assignment(handled, unit)
    deadline = Deadline.objects.get(assignment=assignment, kind=Deadline.Kind.REPLY)
    latest = rules.latest_extension_date(deadline)
    response = client_for(unit_user).post(url("unit_extension_request", assignment), {
        "extension-requested_due_on": (latest + datetime.timedelta(days=1)).isoformat(),
        "extension-reason": "需协调多个部门。"})
    assert response.status_code == 200
    assert f"{latest.year}年{latest.month}月{latest.day}日" in _html(response)
    assert not ExtensionRequest.objects.exists()


def test_more_time_before_the_present_deadline_is_refused(client_for, unit_user, unit, handled):
    assignment = own_assignment(handled, unit)
    deadline = Deadline.objects.get(assignment=assignment, kind=Deadline.Kind.REPLY)
    response = client_for(unit_user).post(url("unit_extension_request", assignment), {
        "extension-requested_due_on": deadline.due_on.isoformat(), "extension-reason": ""})
    assert response.status_code == 200
    assert "新的日期必须晚于现在的期限" in _html(response)
    assert not ExtensionRequest.objects.exists()


# --- follow-up ----------------------------------------------------------------------------------------------

def test_lead_reports_follow_up_progress(client_for, unit_user, unit, replied_b):
    assignment = own_assignment(replied_b, unit)
    follow_up = FollowUp.objects.get(proposal=replied_b)
    response = client_for(unit_user).post(url("unit_follow_up_report", assignment, follow_up),
                                          {f"follow_up-{follow_up.pk}-progress": "管网改造已完成八成。"})
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.progress == "管网改造已完成八成。" and follow_up.reported_at is not None


def test_an_empty_progress_report_is_refused(client_for, unit_user, unit, replied_b):
    assignment = own_assignment(replied_b, unit)
    follow_up = FollowUp.objects.get(proposal=replied_b)
    response = client_for(unit_user).post(url("unit_follow_up_report", assignment, follow_up),
                                          {f"follow_up-{follow_up.pk}-progress": ""})
    assert response.status_code == 200
    assert "这个字段是必填项" in _html(response)
    follow_up.refresh_from_db()
    assert follow_up.reported_at is None


# --- ratings by round ---------------------------------------------------------------------------------------

def test_lead_sees_the_ratings_of_each_round(client_for, unit_user, unit, municipal_mandate):
    proposal = f.make_rehandling(mandate=municipal_mandate, lead_unit=unit)
    round2 = own_assignment(proposal, unit)
    assert round2.round == 2
    handling.reply_submit(assignment=round2, user=unit_user, reply_class=ReplyClass.objects.get(code="A"),
                          text="重新办理后已解决。")
    f.rate_all(Proposal.objects.get(pk=proposal.pk), Rating.Result.SATISFIED)

    client = client_for(unit_user)
    response = client.get(url("unit_assignment", round2))
    replies = response.context["page"].replies
    assert [(r.round, [x.result for x in r.rating_list]) for r in replies] == [
        (1, ["unsatisfied"]), (2, ["satisfied"])]
    html = _html(response)
    assert "答复没有解决实际问题。" in html
    assert 'data-result="unsatisfied"' in html and 'data-result="satisfied"' in html
    # The round-1 assignment's page points to the present round.
    round1 = own_assignment(proposal, unit, round_=1)
    assert 'id="assignment-superseded"' in _html(client.get(url("unit_assignment", round1)))
    # The inbox lists the item once.
    rows = _rows(client.get(INBOX))
    assert [r.proposal_id for r in rows.values()].count(proposal.pk) == 1


def test_templates_have_no_inline_scripts_or_styles():
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "apps/proposals/templates/proposals"
    for path in list(folder.glob("unit_*.html")) + list(folder.glob("fragment_unit_*.html")):
        text = path.read_text()
        assert "style=" not in text and "<script" not in text, path.name


# --- reaching the lead deputy (沟通) ------------------------------------------------------------------------

PHONE = "13812345678"


@pytest.fixture
def deputy_phone(municipal_mandate):
    person = municipal_mandate.person
    person.phone = PHONE
    person.employer = "市第一中学"
    person.save()
    return person


def _reveals(person):
    from apps.core.models import AuditEvent

    return AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_PERSONAL_DATA, object_type="deputies.Person",
                                     object_id=str(person.pk))


def test_the_lead_unit_sees_the_deputys_masked_phone_and_reveals_it_audited(client_for, unit_user, unit, handled,
                                                                            deputy_phone):
    assignment = own_assignment(handled, unit)
    client = client_for(unit_user)
    page = _html(client.get(url("unit_assignment", assignment)))
    assert 'id="deputy-contact"' in page and deputy_phone.name in page and "市第一中学" in page
    assert "138****5678" in page and PHONE not in page
    assert not _reveals(deputy_phone).exists()
    response = client.post(url("unit_contact_reveal", assignment))
    assert response.status_code == 200
    assert f'href="tel:{PHONE}"' in _html(response) and "查看已记录" in _html(response)
    event = _reveals(deputy_phone).get()
    assert event.user == unit_user and f"proposals.Assignment {assignment.pk}" in event.detail


def test_a_co_unit_that_signed_for_it_reaches_the_deputy_too(client_for, other_unit_user, other_unit,
                                                            handling_with_co, deputy_phone):
    co = own_assignment(handling_with_co, other_unit)
    client = client_for(other_unit_user)
    # Not signed for yet: no contact shown, the reveal is a 404 and nothing is recorded.
    assert 'id="deputy-contact"' not in _html(client.get(url("unit_assignment", co)))
    assert client.post(url("unit_contact_reveal", co)).status_code == 404
    assert not _reveals(deputy_phone).exists()
    handling.assignment_accept(assignment=co, user=other_unit_user)
    assert "138****5678" in _html(client.get(url("unit_assignment", co)))
    assert PHONE in _html(client.post(url("unit_contact_reveal", co)))
    assert _reveals(deputy_phone).get().user == other_unit_user


def test_a_unit_not_assigned_the_item_cannot_reach_the_deputy(client_for, other_unit_user, unit, handled,
                                                             deputy_phone):
    assignment = own_assignment(handled, unit)
    client = client_for(other_unit_user)
    assert client.get(url("unit_assignment", assignment)).status_code == 404
    assert client.post(url("unit_contact_reveal", assignment)).status_code == 404
    assert not _reveals(deputy_phone).exists()


def test_a_returned_assignment_does_not_reach_the_deputy(client_for, unit_user, unit, assigned, deputy_phone):
    assignment = own_assignment(assigned, unit)
    handling.assignment_return(assignment=assignment, user=unit_user, reason="不属于本单位职责")
    client = client_for(unit_user)
    assert 'id="deputy-contact"' not in _html(client.get(url("unit_assignment", assignment)))
    assert client.post(url("unit_contact_reveal", assignment)).status_code == 404
    assert not _reveals(deputy_phone).exists()


def test_the_lead_unit_is_told_which_co_units_it_waits_for_when_replying_too_early(client_for, unit_user, unit,
                                                                                    handling_with_co):
    assignment = own_assignment(handling_with_co, unit)
    client = client_for(unit_user)
    response = client.post(url("unit_reply", assignment), _reply_data("A"))
    assert response.status_code == 200
    assert "答复须等待全部协办单位的协办意见，尚未收到：市交通运输局。" in _html(response)
    assert not Reply.objects.filter(proposal=handling_with_co).exists()
