"""The committee office's pages: the list and its filters, the export, an item's page, the staff's actions
(each refusing bad input with a message and writing nothing), paper submissions, the extension queue and
file downloads."""

import datetime
import io

import openpyxl
import pytest
from django.utils import timezone

from apps.committee.models import Post
from apps.core.models import AuditEvent
from apps.proposals.models import (
    Assignment, Deadline, ExtensionRequest, Kind, MergeGroup, Proposal, Rating, ReplyClass, Signature, Supervision,
    SupervisionRecord,
)
from apps.proposals.services import handling, submission, supervision as supervision_services
from apps.proposals.services.transitions import ConcurrentChangeError
from tests.factories import HandlingUnitFactory, MandateFactory, PersonFactory
from tests.proposals.factories import (
    AssignmentFactory, CommunicationFactory, DeadlineFactory, ExtensionRequestFactory,
    SessionFactory, SuggestionFactory, add_cosigners, category, deputy_for, lead_assignment, make_assigned,
    make_closed, make_handling, make_registered, make_replied, make_submitted, rate_all, staff_for,
    unit_user_for,
)
from tests.proposals.office_support import (  # noqa: F401
    PDF, act, city_unit, city_unit_2, city_unit_3, council_member, fresh, office_item, snapshot,
    special_committee, url,
)

S = Proposal.State


def _list(client, **params):
    return client.get(url("proposal_list"), params)


def _rows(response):
    return [p.pk for p in response.context["page"].object_list]


# --- the list ----------------------------------------------------------------------------------------------------

def test_the_list_shows_the_items_of_the_users_jurisdiction_without_drafts(
        client_for, staff_user, county_staff_user, municipal_mandate, county_mandate):
    city_item = make_submitted(mandate=municipal_mandate)
    county_item = make_submitted(mandate=county_mandate, title="关于改善南关区农贸市场环境的建议")
    SuggestionFactory(mandate=municipal_mandate)  # a draft: the deputy's own
    assert set(_rows(_list(client_for(staff_user)))) == {city_item.pk, county_item.pk}
    assert _rows(_list(client_for(county_staff_user))) == [county_item.pk]


def test_the_list_shows_number_lead_deputy_unit_and_deadline(client_for, staff_user, municipal_mandate,
                                                            city_unit):
    item = make_assigned(mandate=municipal_mandate, lead_unit=city_unit)
    response = _list(client_for(staff_user))
    html = response.content.decode()
    assert "第0001号" in html and "张三丰" in html and "市住房和城乡建设局" in html
    row = response.context["page"].object_list[0]
    sign = Deadline.objects.filter(proposal=item, kind=Deadline.Kind.SIGN).get()
    assert row.next_due_on == sign.due_on and row.lead_name == "张三丰" and row.signer_count == 1


def test_the_list_filters(client_for, staff_user, city, city_term, municipal_mandate, city_unit, city_unit_2):
    session = SessionFactory(term=city_term, number=3, name="市第十六届人大第三次会议")
    today = timezone.localdate()
    education = make_registered(mandate=municipal_mandate, category="教育", title="关于增加中小学学位供给的建议",
                                period=Proposal.Period.DURING_SESSION, session=session)
    key = make_registered(mandate=MandateFactory(term=city_term, person=PersonFactory(name="赵六")),
                          category="城建", is_key=True, title="关于治理城区内涝的建议")
    motion = make_submitted(mandate=municipal_mandate, kind=Kind.MOTION, title="关于制定物业管理条例的议案")
    overdue = make_assigned(mandate=municipal_mandate, lead_unit=city_unit, title="关于整治背街小巷的建议")
    soon = make_assigned(mandate=municipal_mandate, lead_unit=city_unit_2, title="关于增设公交线路的建议")
    Deadline.objects.filter(proposal=overdue, kind=Deadline.Kind.SIGN).update(due_on=today - datetime.timedelta(1))
    Deadline.objects.filter(proposal=soon, kind=Deadline.Kind.SIGN).update(due_on=today + datetime.timedelta(3))
    Proposal.objects.filter(pk=motion.pk).update(year=today.year - 1)
    client = client_for(staff_user)

    assert set(_rows(_list(client, year=today.year - 1))) == {motion.pk}
    assert _rows(_list(client, session=session.pk)) == [education.pk]
    assert _rows(_list(client, kind=Kind.MOTION)) == [motion.pk]
    assert _rows(_list(client, state=S.SUBMITTED)) == [motion.pk]
    assert _rows(_list(client, category=category("城建").pk)) == [key.pk]
    assert _rows(_list(client, unit=city_unit.pk)) == [overdue.pk]
    assert _rows(_list(client, key="on")) == [key.pk]
    assert _rows(_list(client, overdue="on")) == [overdue.pk]
    assert _rows(_list(client, due_soon="on")) == [soon.pk]
    # Search: words of the title, a number, a signer's name or its pinyin initials.
    assert _rows(_list(client, q="内涝")) == [key.pk]
    assert _rows(_list(client, q="赵六")) == [key.pk]
    education.refresh_from_db()
    assert education.pk in _rows(_list(client, q=education.number_label))
    assert education.pk in _rows(_list(client, q=str(education.number)))
    assert set(_rows(_list(client, q="zsf"))) == {education.pk, motion.pk, overdue.pk, soon.pk}


def test_a_bad_filter_says_what_is_wrong_and_lists_nothing(client_for, staff_user, municipal_mandate):
    make_submitted(mandate=municipal_mandate)
    response = _list(client_for(staff_user), session="999999")
    assert _rows(response) == []
    assert "office-filter-errors" in response.content.decode()


def test_the_list_query_count_does_not_grow_with_rows(client_for, staff_user, city, city_term, municipal_mandate,
                                                      city_unit, django_assert_max_num_queries):
    client = client_for(staff_user)
    make_assigned(mandate=municipal_mandate, lead_unit=city_unit)
    _list(client)  # warm the session and the caches
    with django_assert_max_num_queries(10):
        assert _list(client).status_code == 200
    for i in range(35):
        p = SuggestionFactory(mandate=MandateFactory(term=city_term), state=S.ASSIGNED, number=i + 10,
                              title=f"关于改善第{i}街道照明的建议", category=category("城建"))
        add_cosigners(p, 2)
        a = AssignmentFactory(proposal=p, unit=city_unit)
        AssignmentFactory(proposal=p, unit=HandlingUnitFactory(jurisdiction=city), role=Assignment.Role.CO)
        DeadlineFactory(assignment=a)
    with django_assert_max_num_queries(10):
        response = _list(client, category=category("城建").pk, q="街道")
    rows = response.context["page"].object_list
    assert len(rows) == 30 and all(r.signer_count == 3 and r.co_unit_count == 1 for r in rows)
    with django_assert_max_num_queries(10):
        assert _list(client, overdue="on", due_soon="on", unit=city_unit.pk, key="on").status_code == 200


# --- the export ----------------------------------------------------------------------------------------------------

def test_the_export_is_the_filtered_list_and_is_audited(client_for, staff_user, municipal_mandate, city_unit):
    make_assigned(mandate=municipal_mandate, lead_unit=city_unit, title="关于整治背街小巷的建议")
    make_submitted(mandate=municipal_mandate, title="关于增设公交线路的建议")
    response = client_for(staff_user).get(url("proposal_export"), {"state": S.ASSIGNED})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "年度" and rows[0][2:6] == ("类别", "编号", "标题", "领衔代表")
    assert len(rows) == 2
    assert rows[1][3] == "第0001号" and rows[1][4] == "关于整治背街小巷的建议" and rows[1][5] == "张三丰"
    assert rows[1][10] == "市住房和城乡建设局"
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.username == "staff" and "state=assigned" in event.detail


def test_county_staff_export_only_their_countys_items(client_for, county_staff_user, municipal_mandate,
                                                     county_mandate):
    make_submitted(mandate=municipal_mandate)
    make_submitted(mandate=county_mandate, title="关于改善南关区农贸市场环境的建议")
    response = client_for(county_staff_user).get(url("proposal_export"))
    titles = [r[4] for r in openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(
        min_row=2, values_only=True)]
    assert titles == ["关于改善南关区农贸市场环境的建议"]


# --- an item's page ------------------------------------------------------------------------------------------------

def test_the_page_shows_everything_about_the_item(client_for, staff_user, city, city_term, municipal_mandate,
                                                 city_unit, city_unit_2):
    item = make_handling(mandate=municipal_mandate, lead_unit=city_unit, co_units=[city_unit_2], cosigners=1)
    cosigner = item.signatures.get(role=Signature.Role.COSIGNER)
    co = item.assignments.get(role=Assignment.Role.CO)
    handling.assignment_accept(assignment=co, user=unit_user_for(city_unit_2))
    handling.co_opinion_submit(assignment=co, user=unit_user_for(city_unit_2), opinion="同意主办单位的方案。")
    handling.reply_submit(assignment=lead_assignment(item), user=unit_user_for(city_unit),
                          reply_class=ReplyClass.objects.get(code="B"), text="已列入明年城建计划。",
                          promised_on=timezone.localdate() + datetime.timedelta(days=90))
    CommunicationFactory(assignment=lead_assignment(item), content="电话联系张三丰代表，介绍改造计划。")
    ExtensionRequestFactory(deadline=Deadline.objects.filter(assignment=co).first(), assignment=co,
                            reason="需要征求街道意见。")
    leader = council_member(city, city_term, name="孙主任")
    supervision = supervision_services.supervision_start(proposal=fresh(item), user=staff_user, leader=leader,
                                                         committee=special_committee(city))
    supervision_services.supervision_record_add(supervision=supervision, user=staff_user, kind="meeting",
                                                date=timezone.localdate(), content="召开督办座谈会。")
    similar = make_submitted(mandate=municipal_mandate, title=item.title)
    from apps.proposals.services import ratings
    ratings.rating_submit(proposal=fresh(item), user=deputy_for(municipal_mandate.person), result="satisfied",
                          comment="答复认真。")

    response = client_for(staff_user).get(url("proposal_detail", item.pk))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("张三丰", cosigner.person.name, "市住房和城乡建设局", "市城市管理局", "同意主办单位的方案。",
                 "电话联系张三丰代表，介绍改造计划。", "已列入明年城建计划。", "答复认真。", "需要征求街道意见。",
                 "孙主任", "财政经济委员会", "召开督办座谈会。", "第1轮", "待测评代表"):
        assert text in html, text
    assert f'id="similar-{similar.pk}"' in html
    # Deadlines name their rule, the history comes from the audit trail.
    assert str(S.REPLIED.label) in [h.after for h in response.context["history"]]
    assert response.context["follow_ups"] and response.context["extensions"]
    deadline = response.context["assignments"][0].deadlines.all()[0]
    assert deadline.rule_text.startswith(str(deadline.rule))


def test_the_page_shows_the_state_history_in_order(client_for, staff_user, municipal_mandate, city_unit):
    item = make_assigned(mandate=municipal_mandate, lead_unit=city_unit)
    history = client_for(staff_user).get(url("proposal_detail", item.pk)).context["history"]
    assert [h.after for h in history] == [str(S.SUBMITTED.label), str(S.REGISTERED.label), str(S.ASSIGNED.label)]
    assert history[1].username == f"staff_{item.jurisdiction.code}"


def test_similar_items_of_another_congress_are_not_shown(client_for, staff_user, municipal_mandate,
                                                        county_mandate):
    item = make_submitted(mandate=municipal_mandate, title="关于加强校园周边交通安全管理的建议")
    same = make_submitted(mandate=municipal_mandate, title="关于加强校园周边交通安全的建议")
    other = make_submitted(mandate=county_mandate, title="关于加强校园周边交通安全管理的建议")
    similar = client_for(staff_user).get(url("proposal_detail", item.pk)).context["similar"]
    assert [p.pk for p in similar] == [same.pk]
    assert other.pk not in [p.pk for p in similar]


def test_a_supervisor_sees_the_page_without_the_staffs_actions(client_for, supervisor_user, office_item):
    response = client_for(supervisor_user).get(url("proposal_detail", office_item["proposal"].pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="assign-form"' not in html and 'id="record-form"' in html


# --- return, register, review ----------------------------------------------------------------------------------------

def test_staff_return_an_item_with_a_reason(client_for, staff_user, municipal_mandate):
    item = make_submitted(mandate=municipal_mandate)
    response = act(client_for(staff_user), "proposal_return", item, {"reason": "属代表个人事务。"}, follow=True)
    assert "已退回代表" in response.content.decode()
    item = fresh(item)
    assert item.state == S.RETURNED and item.return_reason == "属代表个人事务。"


def test_returning_without_a_reason_writes_nothing(client_for, staff_user, municipal_mandate):
    item = make_submitted(mandate=municipal_mandate)
    before = snapshot(item)
    response = act(client_for(staff_user), "proposal_return", item, {"reason": "   "})
    assert response.status_code == 200
    assert "请填写退回理由。" in response.content.decode()
    assert snapshot(item) == before


def test_registering_gives_the_next_number_and_shows_it(client_for, staff_user, municipal_mandate):
    first = make_registered(mandate=municipal_mandate)
    item = make_submitted(mandate=municipal_mandate, title="关于增设公交线路的建议")
    response = act(client_for(staff_user), "proposal_register", item,
                   {"category": category("交通").pk, "is_key": "on"}, follow=True)
    assert fresh(first).number == 1
    item = fresh(item)
    assert (item.state, item.number, item.category.name, item.is_key) == (S.REGISTERED, 2, "交通", True)
    assert "已登记，编号为第0002号。" in response.content.decode()


def test_registering_without_a_category_writes_nothing(client_for, staff_user, municipal_mandate):
    item = make_submitted(mandate=municipal_mandate)
    before = snapshot(item)
    response = act(client_for(staff_user), "proposal_register", item, {"category": ""})
    assert response.status_code == 200 and response.context["forms"]["register"].errors
    assert snapshot(item) == before


def test_a_stale_page_is_refused_with_the_input_kept(client_for, staff_user, municipal_mandate):
    """Two staff on the same item: the second, acting on the page as it was, is refused and keeps the input."""
    item = make_submitted(mandate=municipal_mandate)
    seen = item.version
    other_staff = staff_for(staff_user.jurisdiction, username="staff2")
    submission.proposal_register(proposal=fresh(item), user=other_staff, category=category("经济"))
    before = snapshot(item)
    response = client_for(staff_user).post(url("proposal_return", item.pk),
                                           {"version": seen, "reason": "不属于本级人大职权范围。"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "不属于本级人大职权范围。" in html  # the input is kept
    form = response.context["forms"]["return"]
    assert form.non_field_errors() and str(ConcurrentChangeError().messages[0]) in form.non_field_errors()
    assert form["version"].value() == str(fresh(item).version)  # a second press acts on what is shown now
    assert snapshot(item) == before


def test_a_concurrent_change_caught_by_the_service_shows_its_message(client_for, staff_user, municipal_mandate,
                                                                    monkeypatch):
    item = make_submitted(mandate=municipal_mandate)
    before = snapshot(item)

    def racing(**kwargs):
        raise ConcurrentChangeError()

    monkeypatch.setattr(submission, "proposal_register", racing)
    response = act(client_for(staff_user), "proposal_register", item, {"category": category("经济").pk})
    assert response.status_code == 200
    assert str(ConcurrentChangeError().messages[0]) in response.content.decode()
    assert snapshot(item) == before


def test_acting_in_a_state_that_does_not_allow_it_says_so(client_for, staff_user, municipal_mandate):
    item = make_registered(mandate=municipal_mandate)
    before = snapshot(item)
    response = act(client_for(staff_user), "proposal_return", item, {"reason": "理由"})
    assert response.status_code == 200 and response.context["forms"]["return"].non_field_errors()
    assert snapshot(item) == before


def test_a_motion_is_docketed_with_the_opinion(client_for, staff_user, municipal_mandate):
    motion = make_registered(mandate=municipal_mandate, kind=Kind.MOTION)
    response = act(client_for(staff_user), "proposal_review", motion,
                   {"decision": "docket", "text": "符合议案要求。"}, follow=True)
    assert "议案已立案。" in response.content.decode()
    motion = fresh(motion)
    assert motion.state == S.DOCKETED and motion.docket_reason == "符合议案要求。"


def test_a_motion_converted_to_a_suggestion_gets_a_suggestion_number(client_for, staff_user, municipal_mandate):
    make_registered(mandate=municipal_mandate, title="关于增设公交线路的建议")
    motion = make_registered(mandate=municipal_mandate, kind=Kind.MOTION)
    response = act(client_for(staff_user), "proposal_review", motion,
                   {"decision": "convert", "text": "不属于议案范围，作为建议处理。"}, follow=True)
    motion = fresh(motion)
    assert (motion.kind, motion.state, motion.number, motion.converted_from_motion) == (
        Kind.SUGGESTION, S.REGISTERED, 2, True)
    assert motion.docket_reason == "不属于议案范围，作为建议处理。"
    assert "议案已转为建议处理，建议编号为第0002号。" in response.content.decode()


def test_a_review_without_a_reason_writes_nothing(client_for, staff_user, municipal_mandate):
    motion = make_registered(mandate=municipal_mandate, kind=Kind.MOTION)
    before = snapshot(motion)
    response = act(client_for(staff_user), "proposal_review", motion, {"decision": "convert", "text": ""})
    assert "请填写审查意见或理由。" in response.content.decode()
    assert snapshot(motion) == before


def test_a_suggestion_is_not_reviewed(client_for, staff_user, municipal_mandate):
    item = make_registered(mandate=municipal_mandate)
    before = snapshot(item)
    response = act(client_for(staff_user), "proposal_review", item, {"decision": "docket", "text": "同意"})
    assert response.status_code == 200 and response.context["forms"]["review"].non_field_errors()
    assert snapshot(item) == before


# --- assign, reassign, merge ---------------------------------------------------------------------------------------

def test_staff_assign_to_a_lead_unit_and_co_units(client_for, staff_user, municipal_mandate, city_unit,
                                                  city_unit_2, city_unit_3):
    item = make_registered(mandate=municipal_mandate)
    response = act(client_for(staff_user), "proposal_assign", item,
                   {"lead_unit": city_unit.pk, "co_units": [city_unit_2.pk, city_unit_3.pk]}, follow=True)
    assert "已交办给市住房和城乡建设局。" in response.content.decode()
    assert fresh(item).state == S.ASSIGNED
    assert set(item.assignments.values_list("unit__name", "role")) == {
        ("市城市管理局", "co"), ("市财政局", "co"), ("市住房和城乡建设局", "lead")}
    # The page shows each deadline with the rule that produced it.
    html = response.content.decode()
    assert html.count('class="rule text-secondary"') >= 5


def test_the_lead_unit_cannot_also_be_a_co_unit(client_for, staff_user, municipal_mandate, city_unit):
    item = make_registered(mandate=municipal_mandate)
    before = snapshot(item)
    response = act(client_for(staff_user), "proposal_assign", item,
                   {"lead_unit": city_unit.pk, "co_units": [city_unit.pk]})
    assert "主办单位不能同时作为协办单位。" in response.content.decode()
    assert snapshot(item) == before


def test_a_unit_of_another_county_cannot_be_chosen(client_for, county_staff_user, county_mandate, city_unit):
    item = make_registered(mandate=county_mandate)
    before = snapshot(item)
    response = act(client_for(county_staff_user), "proposal_assign", item, {"lead_unit": city_unit.pk})
    assert response.status_code == 200 and "lead_unit" in response.context["forms"]["assign"].errors
    assert snapshot(item) == before


def test_a_registered_motion_is_not_assigned_before_its_review(client_for, staff_user, municipal_mandate,
                                                               city_unit):
    motion = make_registered(mandate=municipal_mandate, kind=Kind.MOTION)
    before = snapshot(motion)
    page = client_for(staff_user).get(url("proposal_detail", motion.pk))
    assert "assign" not in page.context["forms"] and "review" in page.context["forms"]
    response = act(client_for(staff_user), "proposal_assign", motion, {"lead_unit": city_unit.pk})
    assert response.context["forms"]["assign"].non_field_errors()
    assert snapshot(motion) == before


def test_staff_reassign_after_the_lead_unit_returned_it(client_for, staff_user, municipal_mandate, city_unit,
                                                         city_unit_2):
    item = make_assigned(mandate=municipal_mandate, lead_unit=city_unit)
    handling.assignment_return(assignment=lead_assignment(item), user=unit_user_for(city_unit),
                               reason="不属于本单位职责。")
    page = client_for(staff_user).get(url("proposal_detail", item.pk))
    assert page.context["is_reassign"] and "不属于本单位职责。" in page.content.decode()
    response = act(client_for(staff_user), "proposal_assign", item, {"lead_unit": city_unit_2.pk}, follow=True)
    assert "已重新交办给市城市管理局。" in response.content.decode()
    assert lead_assignment(fresh(item)).unit == city_unit_2


def test_staff_merge_similar_items(client_for, staff_user, municipal_mandate):
    item = make_registered(mandate=municipal_mandate, title="关于加强校园周边交通安全管理的建议")
    other = make_registered(mandate=MandateFactory(term=municipal_mandate.term),
                            title="关于加强校园周边交通安全的建议")
    page = client_for(staff_user).get(url("proposal_detail", item.pk))
    assert "merge" in page.context["forms"] and f'id="merge-item-{other.pk}"' in page.content.decode()
    response = act(client_for(staff_user), "proposal_merge", item, {"items": [other.pk], "name": "校园交通安全"},
                   follow=True)
    assert "2 件已并案办理。" in response.content.decode()
    group = MergeGroup.objects.get()
    assert group.name == "校园交通安全" and fresh(item).merge_group == group == fresh(other).merge_group


def test_merging_with_nothing_ticked_writes_nothing(client_for, staff_user, municipal_mandate):
    item = make_registered(mandate=municipal_mandate, title="关于加强校园周边交通安全管理的建议")
    make_registered(mandate=municipal_mandate, title="关于加强校园周边交通安全的建议")
    response = act(client_for(staff_user), "proposal_merge", item, {"name": "校园交通安全"})
    assert "请至少勾选一件相似议案建议。" in response.content.decode()
    assert MergeGroup.objects.count() == 0


def test_merging_an_item_already_assigned_is_refused_with_the_boxes_kept(client_for, staff_user, municipal_mandate,
                                                                         city_unit):
    item = make_registered(mandate=municipal_mandate, title="关于加强校园周边交通安全管理的建议")
    assigned = make_assigned(mandate=municipal_mandate, lead_unit=city_unit, title="关于加强校园周边交通安全的建议")
    response = act(client_for(staff_user), "proposal_merge", item, {"items": [assigned.pk], "name": "校园"})
    assert response.status_code == 200 and response.context["forms"]["merge"].non_field_errors()
    assert MergeGroup.objects.count() == 0 and fresh(item).merge_group_id is None


# --- supervision -----------------------------------------------------------------------------------------------

def test_staff_start_supervision_with_a_council_member(client_for, staff_user, city, city_term, municipal_mandate,
                                                      city_unit):
    item = make_assigned(mandate=municipal_mandate, lead_unit=city_unit)
    leader = council_member(city, city_term, post=Post.VICE_DIRECTOR, name="钱副主任")
    council_member(city, city_term, post=Post.MEMBER, name="普通委员")
    page = client_for(staff_user).get(url("proposal_detail", item.pk))
    assert [m.person.name for m in page.context["forms"]["supervision"].fields["leader"].queryset] == ["钱副主任"]
    response = act(client_for(staff_user), "proposal_supervision", item,
                   {"leader": leader.pk, "committee": special_committee(city).pk}, follow=True)
    assert "已列入督办" in response.content.decode()
    supervision = Supervision.objects.get(proposal=item)
    assert supervision.leader == leader and fresh(item).is_key


def test_a_member_without_a_council_post_cannot_lead_supervision(client_for, staff_user, city, city_term,
                                                                 municipal_mandate, city_unit):
    item = make_assigned(mandate=municipal_mandate, lead_unit=city_unit)
    member = council_member(city, city_term, post=Post.MEMBER, name="普通委员")
    before = snapshot(item)
    response = act(client_for(staff_user), "proposal_supervision", item, {"leader": member.pk})
    assert "leader" in response.context["forms"]["supervision"].errors
    assert snapshot(item) == before


def test_a_supervisor_adds_a_supervision_record(client_for, supervisor_user, office_item):
    proposal = office_item["proposal"]
    response = client_for(supervisor_user).post(url("supervision_record_add", proposal.pk), {
        "kind": "inspection", "date": timezone.localdate().isoformat(), "content": "组织代表到承办单位视察。"},
        follow=True)
    assert "督办记录已添加。" in response.content.decode()
    record = SupervisionRecord.objects.get()
    assert record.content == "组织代表到承办单位视察。" and record.recorded_by == supervisor_user


def test_a_supervision_record_in_the_future_is_refused(client_for, staff_user, office_item):
    proposal = office_item["proposal"]
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client_for(staff_user).post(url("supervision_record_add", proposal.pk), {
        "kind": "meeting", "date": tomorrow.isoformat(), "content": "座谈会"})
    assert response.status_code == 200
    assert "督办记录的日期不能晚于今天。" in response.content.decode()
    assert "座谈会" in response.content.decode()
    assert SupervisionRecord.objects.count() == 0


def test_a_record_needs_supervision_started(client_for, staff_user, municipal_mandate, city_unit):
    item = make_assigned(mandate=municipal_mandate, lead_unit=city_unit)
    response = client_for(staff_user).post(url("supervision_record_add", item.pk), {
        "kind": "meeting", "date": timezone.localdate().isoformat(), "content": "座谈会"}, follow=True)
    assert "请先将本件列入督办" in response.content.decode()
    assert SupervisionRecord.objects.count() == 0


def test_a_supervisor_cannot_start_supervision(client_for, supervisor_user, city, city_term, municipal_mandate,
                                               city_unit):
    item = make_assigned(mandate=municipal_mandate, lead_unit=city_unit)
    leader = council_member(city, city_term)
    response = act(client_for(supervisor_user), "proposal_supervision", item, {"leader": leader.pk})
    assert response.status_code == 403 and not Supervision.objects.exists()


# --- a paper submission -------------------------------------------------------------------------------------------

def test_staff_enter_a_paper_submission_with_co_signers(client_for, staff_user, city_term, municipal_mandate):
    cosigner = MandateFactory(term=city_term, person=PersonFactory(name="周七"))
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_for(staff_user).post(url("proposal_enter"), {
        "kind": Kind.SUGGESTION, "mandate": municipal_mandate.pk, "cosigner_mandates": [cosigner.pk],
        "period": Proposal.Period.BETWEEN_SESSIONS, "title": "关于建设社区养老服务中心的建议",
        "content": "社区老人多，缺少日间照料场所。", "category": category("民政").pk,
        "file": SimpleUploadedFile("原件.pdf", PDF, content_type="application/pdf")}, follow=True)
    item = Proposal.objects.get(title="关于建设社区养老服务中心的建议")
    assert response.redirect_chain[-1][0] == url("proposal_detail", item.pk)
    assert "纸质议案建议已录入并提交。" in response.content.decode()
    assert item.state == S.SUBMITTED and item.entered_on_paper and item.created_by == staff_user
    signatures = {s.person.name: s for s in item.signatures.select_related("person")}
    assert set(signatures) == {"张三丰", "周七"} and all(s.confirmed_at for s in signatures.values())
    assert signatures["张三丰"].role == Signature.Role.LEAD
    assert item.attachments.get().name == "原件.pdf"


def test_a_paper_submission_with_bad_input_writes_nothing(client_for, staff_user, municipal_mandate):
    before = (Proposal.objects.count(), Signature.objects.count())
    response = client_for(staff_user).post(url("proposal_enter"), {
        "kind": Kind.SUGGESTION, "mandate": municipal_mandate.pk, "cosigner_mandates": [municipal_mandate.pk],
        "period": Proposal.Period.BETWEEN_SESSIONS, "title": "关于建设社区养老服务中心的建议", "content": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "领衔代表不能同时作为附议代表。" in html and "请填写建议内容。" in html
    assert "关于建设社区养老服务中心的建议" in html  # the input is kept
    assert (Proposal.objects.count(), Signature.objects.count()) == before


def test_a_paper_motion_without_enough_signers_writes_nothing(client_for, staff_user, municipal_mandate):
    before = (Proposal.objects.count(), Signature.objects.count())
    response = client_for(staff_user).post(url("proposal_enter"), {
        "kind": Kind.MOTION, "mandate": municipal_mandate.pk, "period": Proposal.Period.BETWEEN_SESSIONS,
        "title": "关于制定物业管理条例的议案", "grounds": "现行规定已不适应实际需要。", "plan": "制定条例。"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert (Proposal.objects.count(), Signature.objects.count()) == before


def test_a_bad_scan_rolls_the_whole_submission_back(client_for, staff_user, municipal_mandate):
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = (Proposal.objects.count(), Signature.objects.count())
    response = client_for(staff_user).post(url("proposal_enter"), {
        "kind": Kind.SUGGESTION, "mandate": municipal_mandate.pk, "period": Proposal.Period.BETWEEN_SESSIONS,
        "title": "关于建设社区养老服务中心的建议", "content": "内容",
        "file": SimpleUploadedFile("a.exe", b"MZ" + b"\x00" * 64)})
    assert response.status_code == 200 and response.context["form"].errors
    assert (Proposal.objects.count(), Signature.objects.count()) == before


def test_only_deputies_in_the_users_scope_can_be_chosen(client_for, county_staff_user, municipal_mandate,
                                                        county_mandate):
    form = client_for(county_staff_user).get(url("proposal_enter")).context["form"]
    assert list(form.fields["mandate"].queryset) == [county_mandate]


# --- extension requests ----------------------------------------------------------------------------------------

def _extension(unit, municipal_mandate, *, months=1):
    item = make_handling(mandate=municipal_mandate, lead_unit=unit)
    assignment = lead_assignment(item)
    deadline = assignment.deadlines.get(kind=Deadline.Kind.REPLY)
    return handling.extension_request(assignment=assignment, user=unit_user_for(unit),
                                      requested_due_on=deadline.due_on + datetime.timedelta(days=30 * months),
                                      reason="需协调多个部门。")


def test_the_queue_lists_pending_requests(client_for, staff_user, municipal_mandate, city_unit):
    extension = _extension(city_unit, municipal_mandate)
    response = client_for(staff_user).get(url("extension_list"))
    assert [x.pk for x, form in response.context["rows"]] == [extension.pk]
    assert "需协调多个部门。" in response.content.decode()
    assert client_for(staff_user).get(url("extension_list"), {"state": "approved"}).context["rows"] == []


def test_staff_approve_an_extension(client_for, staff_user, municipal_mandate, city_unit):
    extension = _extension(city_unit, municipal_mandate)
    previous = extension.deadline.due_on
    response = client_for(staff_user).post(url("extension_decide", extension.pk), {"decision": "approve"},
                                           follow=True)
    assert "已批准延期至" in response.content.decode()
    extension.refresh_from_db()
    assert extension.state == ExtensionRequest.State.APPROVED and extension.previous_due_on == previous
    assert Deadline.objects.get(pk=extension.deadline_id).due_on == extension.requested_due_on


def test_refusing_needs_a_reason_and_keeps_the_request(client_for, staff_user, municipal_mandate, city_unit):
    extension = _extension(city_unit, municipal_mandate)
    due = extension.deadline.due_on
    response = client_for(staff_user).post(url("extension_decide", extension.pk), {"decision": "refuse"})
    assert response.status_code == 200
    assert "请填写不批准延期的理由。" in response.content.decode()
    extension.refresh_from_db()
    assert extension.state == ExtensionRequest.State.PENDING and extension.deadline.due_on == due
    response = client_for(staff_user).post(url("extension_decide", extension.pk),
                                           {"decision": "refuse", "note": "理由不充分。"}, follow=True)
    assert "已不批准延期" in response.content.decode()
    assert ExtensionRequest.objects.get(pk=extension.pk).state == ExtensionRequest.State.REFUSED


def test_an_extension_decided_twice_is_refused_with_a_message(client_for, staff_user, municipal_mandate, city_unit):
    extension = _extension(city_unit, municipal_mandate)
    client_for(staff_user).post(url("extension_decide", extension.pk), {"decision": "approve"})
    deadline = Deadline.objects.get(pk=extension.deadline_id).due_on
    response = client_for(staff_user).post(url("extension_decide", extension.pk),
                                           {"decision": "refuse", "note": "不同意"})
    assert response.status_code == 200 and "审批未保存" in response.content.decode()
    assert ExtensionRequest.objects.get(pk=extension.pk).state == ExtensionRequest.State.APPROVED
    assert Deadline.objects.get(pk=extension.deadline_id).due_on == deadline


def test_an_extension_beyond_the_longest_period_is_refused(client_for, staff_user, municipal_mandate, city_unit):
    extension = _extension(city_unit, municipal_mandate)
    ExtensionRequest.objects.filter(pk=extension.pk).update(
        requested_due_on=extension.deadline.starts_on + datetime.timedelta(days=400))
    due = extension.deadline.due_on
    response = client_for(staff_user).post(url("extension_decide", extension.pk), {"decision": "approve"})
    assert response.status_code == 200 and response.context["rows"][0][1].non_field_errors()
    assert ExtensionRequest.objects.get(pk=extension.pk).state == ExtensionRequest.State.PENDING
    assert Deadline.objects.get(pk=extension.deadline_id).due_on == due


# --- files ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["staff_user", "supervisor_user", "deputy_user", "unit_user"])
def test_parties_download_a_file_and_it_is_audited(request, client_for, office_item, who):
    user = request.getfixturevalue(who)
    attachment = office_item["attachment"]
    response = client_for(user).get(url("attachment_download", office_item["proposal"].pk, attachment.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert "attachment" in response["Content-Disposition"]
    event = AuditEvent.objects.get(action=AuditEvent.Action.DOWNLOAD)
    assert event.user == user and event.object_id == str(attachment.pk)


def test_a_reply_document_is_downloaded_from_the_items_page(client_for, staff_user, municipal_mandate, city_unit):
    item = make_handling(mandate=municipal_mandate, lead_unit=city_unit)
    from django.core.files.uploadedfile import SimpleUploadedFile

    handling.reply_submit(assignment=lead_assignment(item), user=unit_user_for(city_unit),
                          reply_class=ReplyClass.objects.get(code="A"), text="已解决。",
                          document=SimpleUploadedFile("答复函.pdf", PDF, content_type="application/pdf"))
    html = client_for(staff_user).get(url("proposal_detail", item.pk)).content.decode()
    document = item.replies.get().document
    assert url("attachment_download", item.pk, document.pk) in html


def test_the_page_of_a_closed_item_offers_no_action(client_for, staff_user, municipal_mandate, city_unit):
    item = rate_all(make_replied(mandate=municipal_mandate, lead_unit=city_unit), Rating.Result.SATISFIED)
    assert fresh(item).state == S.CLOSED
    response = client_for(staff_user).get(url("proposal_detail", item.pk))
    assert response.context["forms"] == {} and 'id="no-actions"' in response.content.decode()


def test_the_pages_have_no_inline_script_or_style(client_for, staff_user, office_item):
    for page in (url("proposal_list"), url("proposal_detail", office_item["proposal"].pk), url("proposal_enter"),
                 url("extension_list")):
        html = client_for(staff_user).get(page).content.decode()
        assert "style=" not in html and "<script>" not in html and " on" + "click=" not in html


def test_county_staff_see_only_their_countys_extension_requests(client_for, staff_user, county_staff_user,
                                                                municipal_mandate, county_mandate, county,
                                                                city_unit):
    city_request = _extension(city_unit, municipal_mandate)
    county_request = _extension(HandlingUnitFactory(jurisdiction=county, name="南关区住建局"), county_mandate)
    rows = client_for(county_staff_user).get(url("extension_list")).context["rows"]
    assert [x.pk for x, form in rows] == [county_request.pk]
    rows = client_for(staff_user).get(url("extension_list")).context["rows"]
    assert [x.pk for x, form in rows] == [city_request.pk, county_request.pk]


# --- co-unit opinions: staff let the lead unit reply without one -------------------------------------------------

def test_staff_waive_a_silent_co_units_opinion_from_the_items_page(client_for, staff_user, municipal_mandate,
                                                                   city_unit, city_unit_2):
    item = make_handling(mandate=municipal_mandate, lead_unit=city_unit, co_units=[city_unit_2])
    co = item.assignments.get(role=Assignment.Role.CO)
    client = client_for(staff_user)
    page = client.get(url("proposal_detail", item.pk)).content.decode()
    assert f'id="waive-form-{co.pk}"' in page and "同意主办单位不等此协办意见即答复" in page
    waive = url("co_opinion_waive", item.pk, co.pk)
    response = client.post(waive, {"reason": "   "})
    assert response.status_code == 200
    assert "请说明主办单位为何可以不等该协办单位的意见即答复。" in response.content.decode()
    co.refresh_from_db()
    assert co.opinion_waived_at is None
    response = client.post(waive, {"reason": "该事项经协调已不涉及市城市管理局"}, follow=True)
    assert "主办单位现可不等市城市管理局的协办意见即答复。" in response.content.decode()
    co.refresh_from_db()
    assert co.opinion_waived_by == staff_user and co.opinion_waive_reason == "该事项经协调已不涉及市城市管理局"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE, object_type="proposals.Assignment",
                                     object_id=str(co.pk), user=staff_user,
                                     detail__contains="opinion_waive_reason").exists()
    page = client.get(url("proposal_detail", item.pk)).content.decode()
    assert f'id="waive-form-{co.pk}"' not in page and "已于" in page and "该事项经协调已不涉及市城市管理局" in page
    # Again: refused with a message, nothing changes.
    response = client.post(waive, {"reason": "再次"}, follow=True)
    assert "市城市管理局的协办意见已免于提出。" in response.content.decode()


def test_a_waiver_names_a_co_unit_of_this_item_or_is_a_404(client_for, staff_user, municipal_mandate, city_unit,
                                                           city_unit_2):
    item = make_handling(mandate=municipal_mandate, lead_unit=city_unit, co_units=[city_unit_2])
    other = make_handling(mandate=municipal_mandate, lead_unit=city_unit, co_units=[city_unit_2])
    client = client_for(staff_user)
    other_co = other.assignments.get(role=Assignment.Role.CO)
    assert client.post(url("co_opinion_waive", item.pk, other_co.pk), {"reason": "x"}).status_code == 404
    lead = lead_assignment(item)
    assert client.post(url("co_opinion_waive", item.pk, lead.pk), {"reason": "x"}).status_code == 404
    assert client.post(url("co_opinion_waive", item.pk, 999999), {"reason": "x"}).status_code == 404
    assert not Assignment.objects.filter(opinion_waived_at__isnull=False).exists()


# --- the history reads in Chinese, with people's names --------------------------------------------------------

def _history_text(response) -> str:
    import html as html_lib
    import re

    table = re.search(r'<table[^>]*id="history-table">(.*?)</table>', response.content.decode(), re.S)[1]
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", table))


def test_the_history_of_an_item_through_every_step_reads_in_chinese_with_names(
        client_for, staff_user, municipal_mandate, city_term, city_unit, city_unit_2):
    """A motion entered from paper, registered, converted to a suggestion, assigned, reassigned, signed for,
    replied B, rated by a co-signer, rated 不满意 (its follow-up closed), replied again and closed when the
    rating window ended; and a motion docketed and closed with every signer satisfied. No English step, note or
    username is left, and each step names who took it."""
    import re

    from apps.proposals.services import ratings

    staff_user.full_name = "李文书"
    staff_user.save()
    first_user, second_user = unit_user_for(city_unit), unit_user_for(city_unit_2)
    for user, name in ((first_user, "王经办"), (second_user, "赵经办")):
        user.full_name = name
        user.save()
    cosigners = [MandateFactory(term=city_term) for _i in range(9)]
    item = submission.proposal_enter_on_paper(user=staff_user, mandate=municipal_mandate,
                                              cosigner_mandates=cosigners, kind=Kind.MOTION,
                                              title="关于制定城市绿化条例的议案", content="建议立法。",
                                              grounds="现行规定不完善。", plan="由常委会制定条例。")
    item = submission.proposal_register(proposal=fresh(item), user=staff_user, category=category("城建"))
    item = submission.motion_convert(proposal=fresh(item), user=staff_user, reason="不符合议案要求，转为建议。")
    handling.proposal_assign(proposal=fresh(item), user=staff_user, lead_unit=city_unit)
    handling.assignment_reassign(proposal=fresh(item), user=staff_user, lead_unit=city_unit_2)
    item = fresh(item)
    handling.assignment_accept(assignment=lead_assignment(item), user=second_user)
    handling.reply_submit(assignment=lead_assignment(fresh(item)), user=second_user,
                          reply_class=ReplyClass.objects.get(code="B"), text="已列入计划。",
                          promised_on=timezone.localdate() + datetime.timedelta(days=100))
    cosigner = deputy_for(cosigners[0].person)
    ratings.rating_submit(proposal=fresh(item), user=cosigner, result=Rating.Result.SATISFIED)
    lead = deputy_for(municipal_mandate.person)
    lead.full_name = "张代表"
    lead.save()
    ratings.rating_submit(proposal=fresh(item), user=lead, result=Rating.Result.UNSATISFIED, comment="未解决。")
    handling.reply_submit(assignment=lead_assignment(fresh(item)), user=second_user,
                          reply_class=ReplyClass.objects.get(code="A"), text="已解决。")
    window = fresh(item).deadlines.get(kind=Deadline.Kind.RATING, round=2)
    assert ratings.ratings_close_expired(today=window.due_on + datetime.timedelta(days=1)) == 1
    assert fresh(item).state == S.CLOSED

    docketed = make_closed(kind=Kind.MOTION, mandate=municipal_mandate, staff=staff_user, lead_unit=city_unit,
                           title="关于修订物业管理条例的议案")

    client = client_for(staff_user)
    text = _history_text(client.get(url("proposal_detail", item.pk)))
    assert re.findall(r"[A-Za-z]{2,}", text) == [], text
    for words in ("纸质录入", "署名代表10人", "第0001号", "转为建议第0001号", "李文书", "市住房和城乡建设局",
                  "市城市管理局 赵经办", "B类答复", "第1轮：满意", "第1轮测评不满意，转入第2轮重新办理",
                  "上一轮未办结的跟踪办理1项已关闭", "张代表", "第2轮：测评期限已于", "系统"):
        assert words in text, words
    text = _history_text(client.get(url("proposal_detail", docketed.pk)))
    assert re.findall(r"[A-Za-z]{2,}", text) == [], text
    assert "第1轮：全部代表已测评" in text and "市住房和城乡建设局" in text
