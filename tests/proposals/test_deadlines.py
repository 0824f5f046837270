"""Deadlines with frozen time across 国庆 2026 (1–7 October off) and its 调休 Saturday (10 October worked).

Every deadline is stored with the rule, the rule's field and its value that produced it. Sign/return window
5 working days; reply 3 months (moved to the next working day); co-unit opinion 1 month; re-handling 1 month;
rating 20 working days; the clock may start on the session's closing day (闭会日). An extension beyond the
longest period (6 months from the clock start) is refused with the latest date; an approved one moves the
due date and keeps the previous one, and the deputy is told.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from apps.core import calendar
from apps.core.models import Notification
from apps.proposals import rules
from apps.proposals.models import Assignment, Deadline, ExtensionRequest, HandlingRule, Kind, Proposal, Rating
from apps.proposals.services import handling, ratings
from tests.proposals.factories import (
    SessionFactory, lead_assignment, lead_signature, make_assigned, make_handling, make_rehandling, make_replied,
)
from tests.proposals.services_support import cast, snapshot, text  # noqa: F401  (cast is a fixture)

TZ = ZoneInfo("Asia/Shanghai")
D = datetime.date


def frozen(day: datetime.date, hour: int = 9):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, hour, 0, tzinfo=TZ), tick=False)


def deadline(item: Proposal, kind: str, **filters) -> Deadline:
    return Deadline.objects.select_related("rule").get(proposal=item, kind=kind, **filters)


def test_the_calendar_knows_national_day_2026_and_its_make_up_saturday(db):
    assert not calendar.is_working_day(D(2026, 10, 1)) and not calendar.is_working_day(D(2026, 10, 7))
    assert calendar.is_working_day(D(2026, 10, 10))  # a Saturday worked (调休)
    assert D(2026, 10, 10).weekday() == 5


def test_assignment_deadlines_across_national_day_name_their_rule(cast):
    co_unit = cast.other_unit()
    with frozen(D(2026, 9, 28)):
        item = make_assigned(mandate=cast.mandate, staff=cast.staff, lead_unit=cast.unit, co_units=[co_unit])
    rule = rules.rule_for(item.jurisdiction, Kind.SUGGESTION)
    lead = item.assignments.get(role=Assignment.Role.LEAD)
    co = item.assignments.get(role=Assignment.Role.CO)

    sign = deadline(item, Deadline.Kind.SIGN, assignment=lead)
    # 29, 30 September, (1–7 October off), 8, 9 October, Saturday 10 October worked: the 5th working day.
    assert sign.due_on == D(2026, 10, 10)
    assert (sign.starts_on, sign.rule, sign.rule_field, sign.rule_value) == (D(2026, 9, 28), rule,
                                                                             "return_working_days", 5)
    assert deadline(item, Deadline.Kind.SIGN, assignment=co).due_on == D(2026, 10, 10)

    reply = deadline(item, Deadline.Kind.REPLY)
    assert reply.assignment == lead and reply.due_on == D(2026, 12, 28)
    assert (reply.rule, reply.rule_field, reply.rule_value) == (rule, "base_months", 3)

    opinion = deadline(item, Deadline.Kind.CO_OPINION)
    assert opinion.assignment == co and opinion.due_on == D(2026, 10, 28)
    assert (opinion.rule, opinion.rule_field, opinion.rule_value) == (rule, "co_opinion_months", 1)


def test_a_reply_period_ending_in_the_holiday_moves_to_the_next_working_day(cast):
    with frozen(D(2026, 7, 1)):
        item = make_assigned(mandate=cast.mandate, staff=cast.staff, lead_unit=cast.unit)
    assert deadline(item, Deadline.Kind.REPLY).due_on == D(2026, 10, 8)  # 1 October is 国庆
    assert deadline(item, Deadline.Kind.SIGN).due_on == D(2026, 7, 8)


def test_a_co_unit_opinion_period_ending_in_the_holiday_moves_to_the_next_working_day(cast):
    with frozen(D(2026, 9, 3)):
        item = make_assigned(mandate=cast.mandate, staff=cast.staff, lead_unit=cast.unit,
                             co_units=[cast.other_unit()])
    opinion = deadline(item, Deadline.Kind.CO_OPINION)
    assert opinion.due_on == D(2026, 10, 8)  # 3 October is a holiday
    assert opinion.starts_on == D(2026, 9, 3)


def test_the_rating_window_counts_20_working_days_over_the_holiday(cast):
    with frozen(D(2026, 9, 28)):
        item = make_replied(mandate=cast.mandate, staff=cast.staff, lead_unit=cast.unit)
    window = deadline(item, Deadline.Kind.RATING)
    assert window.due_on == D(2026, 10, 30)
    assert (window.round, window.rule_field, window.rule_value) == (1, "rating_working_days", 20)
    assert window.assignment is None
    # The reply deadline was met.
    reply = deadline(item, Deadline.Kind.REPLY)
    assert not reply.is_open and reply.met_at is not None


def test_rehandling_has_its_own_one_month_deadline(cast):
    with frozen(D(2026, 8, 20)):
        item = make_replied(mandate=cast.mandate, staff=cast.staff, lead_unit=cast.unit)
    with frozen(D(2026, 9, 3)):
        ratings.rating_submit(proposal=item, user=cast.deputy, result=Rating.Result.UNSATISFIED, comment="未解决")
    item.refresh_from_db()
    assert item.state == Proposal.State.REHANDLING and item.round == 2
    again = deadline(item, Deadline.Kind.REHANDLING)
    assert again.due_on == D(2026, 10, 8)  # 3 October falls in the holiday
    assert (again.round, again.rule_field, again.rule_value, again.starts_on) == (2, "rehandling_months", 1,
                                                                                  D(2026, 9, 3))
    assert again.assignment == lead_assignment(item) and again.assignment.round == 2
    # The first round's rating window closed; the first reply deadline is not reopened.
    assert not deadline(item, Deadline.Kind.RATING, round=1).is_open
    assert not Deadline.objects.filter(proposal=item, kind=Deadline.Kind.REPLY, is_open=True).exists()


def test_the_clock_can_start_on_the_closing_day_of_the_session(cast, city_term):
    rule = rules.rule_for(cast.mandate.jurisdiction, Kind.SUGGESTION)
    rule.clock_start = HandlingRule.ClockStart.SESSION_CLOSED
    rule.save()
    session = SessionFactory(term=city_term, number=5, opens_on=D(2026, 1, 10), closes_on=D(2026, 1, 14))
    with frozen(D(2026, 3, 2)):
        during = make_assigned(mandate=cast.mandate, staff=cast.staff, lead_unit=cast.unit, session=session,
                               period=Proposal.Period.DURING_SESSION)
        between = make_assigned(mandate=cast.mandate, staff=cast.staff, lead_unit=cast.unit)
    reply = deadline(during, Deadline.Kind.REPLY)
    assert (reply.starts_on, reply.due_on) == (D(2026, 1, 14), D(2026, 4, 14))
    assert rules.latest_extension_date(reply) == D(2026, 7, 14)
    # The sign window always counts from the assignment; an item raised between sessions from its assignment.
    assert deadline(during, Deadline.Kind.SIGN).starts_on == D(2026, 3, 2)
    assert deadline(between, Deadline.Kind.REPLY).starts_on == D(2026, 3, 2)


def test_a_unit_may_return_an_item_up_to_the_make_up_saturday_and_not_after(cast):
    with frozen(D(2026, 9, 28)):
        late = make_assigned(mandate=cast.mandate, staff=cast.staff, lead_unit=cast.unit)
        on_time = make_assigned(mandate=cast.mandate, staff=cast.staff, lead_unit=cast.unit)
    with frozen(D(2026, 10, 10)):
        handling.assignment_return(assignment=lead_assignment(on_time), user=cast.unit_user, reason="不属于本单位职责")
    with frozen(D(2026, 10, 12)):
        before = snapshot()
        with pytest.raises(ValidationError) as exc:
            handling.assignment_return(assignment=lead_assignment(late), user=cast.unit_user, reason="不属于本单位职责")
        assert text(exc) == "退回期限已于2026年10月10日届满；请联系人大工作机构调整交办。"
        assert snapshot() == before


@pytest.fixture
def handled_from_april(cast):
    """Assigned on 1 April 2026 and signed for: the reply is due on 1 July; 6 months from the start end on
    1 October, in the holiday, so the latest date is 8 October."""
    with frozen(D(2026, 4, 1)):
        item = make_handling(mandate=cast.mandate, staff=cast.staff, lead_unit=cast.unit)
    reply = deadline(item, Deadline.Kind.REPLY)
    assert reply.due_on == D(2026, 7, 1)
    assert rules.latest_extension_date(reply) == D(2026, 10, 8)
    return item


def test_an_extension_beyond_the_longest_period_is_refused_naming_the_latest_date(cast, handled_from_april):
    item = handled_from_april
    with frozen(D(2026, 6, 15)):
        before = snapshot()
        with pytest.raises(ValidationError) as exc:
            handling.extension_request(assignment=lead_assignment(item), user=cast.unit_user,
                                       requested_due_on=D(2026, 10, 9), reason="需多部门协调")
        assert exc.value.message_dict["requested_due_on"] == ["答复期限最迟只能延至2026年10月8日。"]
        assert snapshot() == before


def test_an_approved_extension_moves_the_due_date_keeps_the_previous_and_tells_the_deputy(cast, handled_from_april):
    item = handled_from_april
    with frozen(D(2026, 6, 15)):
        extension = handling.extension_request(assignment=lead_assignment(item), user=cast.unit_user,
                                               requested_due_on=D(2026, 10, 8), reason="需多部门协调")
    assert extension.state == ExtensionRequest.State.PENDING
    assert Notification.objects.filter(recipient=cast.staff, title__contains="申请延期答复").exists()
    with frozen(D(2026, 6, 16)):
        handling.extension_decide(extension=extension, user=cast.staff, approve=True, note="同意")
    extension.refresh_from_db()
    reply = deadline(item, Deadline.Kind.REPLY)
    assert reply.due_on == D(2026, 10, 8) and extension.previous_due_on == D(2026, 7, 1)
    assert (reply.rule_field, reply.rule_value) == ("base_months", 3)  # still names the rule that set it
    assert extension.state == ExtensionRequest.State.APPROVED and extension.decided_by == cast.staff
    told = Notification.objects.filter(recipient=cast.deputy).latest("pk")
    assert told.title == f"“{item.title}”的延期申请已同意：答复期限为2026年10月8日"
    assert Notification.objects.filter(recipient=cast.unit_user, title=told.title).exists()


def test_a_refused_extension_keeps_the_date_and_tells_the_deputy(cast, handled_from_april):
    item = handled_from_april
    with frozen(D(2026, 6, 15)):
        extension = handling.extension_request(assignment=lead_assignment(item), user=cast.unit_user,
                                               requested_due_on=D(2026, 8, 1), reason="人手不足")
        with pytest.raises(ValidationError) as exc:
            handling.extension_decide(extension=extension, user=cast.staff, approve=False)
        assert exc.value.message_dict["note"] == ["请填写不同意延期的理由。"]
        handling.extension_decide(extension=extension, user=cast.staff, approve=False, note="理由不充分")
    assert deadline(item, Deadline.Kind.REPLY).due_on == D(2026, 7, 1)
    assert Notification.objects.filter(recipient=cast.deputy).latest("pk").title.endswith("未同意：答复期限仍为2026年7月1日")
    with pytest.raises(ValidationError) as exc:
        handling.extension_decide(extension=extension, user=cast.staff, approve=True)
    assert "已审批" in text(exc)


def test_only_one_extension_request_waits_at_a_time_and_it_must_move_the_date_on(cast, handled_from_april):
    item = handled_from_april
    assignment = lead_assignment(item)
    with frozen(D(2026, 6, 15)):
        with pytest.raises(ValidationError) as exc:
            handling.extension_request(assignment=assignment, user=cast.unit_user, requested_due_on=D(2026, 7, 1),
                                       reason="x")
        assert exc.value.message_dict["requested_due_on"] == ["申请延至的日期须晚于现在的期限（2026年7月1日）。"]
        handling.extension_request(assignment=assignment, user=cast.unit_user, requested_due_on=D(2026, 8, 3),
                                   reason="x")
        with pytest.raises(ValidationError) as exc:
            handling.extension_request(assignment=assignment, user=cast.unit_user, requested_due_on=D(2026, 8, 4),
                                       reason="y")
        assert text(exc) == "已有一份延期申请等待审批。"


def test_a_rehandling_deadline_may_be_extended_to_twice_its_period(cast):
    with frozen(D(2026, 8, 3)):
        item = make_rehandling(mandate=cast.mandate, staff=cast.staff, lead_unit=cast.unit)
    again = deadline(item, Deadline.Kind.REHANDLING)
    assert again.due_on == D(2026, 9, 3)
    assert rules.latest_extension_date(again) == D(2026, 10, 8)  # 3 October → after the holiday
    with frozen(D(2026, 8, 20)), pytest.raises(ValidationError) as exc:
        handling.extension_request(assignment=lead_assignment(item), user=cast.unit_user,
                                   requested_due_on=D(2026, 10, 9), reason="x")
    assert exc.value.message_dict["requested_due_on"] == ["答复期限最迟只能延至2026年10月8日。"]


def test_expired_rating_windows_close_their_items(cast):
    with frozen(D(2026, 9, 28)):
        item = make_replied(mandate=cast.mandate, staff=cast.staff, lead_unit=cast.unit, cosigners=1)
        ratings.rating_submit(proposal=item, user=cast.deputy, result=Rating.Result.SATISFIED)
    assert ratings.ratings_close_expired(today=D(2026, 10, 30)) == 0  # the window's last day
    assert ratings.ratings_close_expired(today=D(2026, 10, 31)) == 1
    item.refresh_from_db()
    assert item.state == Proposal.State.CLOSED and item.closed_at is not None
    assert not deadline(item, Deadline.Kind.RATING).is_open
    assert ratings.ratings_close_expired(today=D(2026, 11, 2)) == 0
    assert lead_signature(item).ratings.count() == 1
