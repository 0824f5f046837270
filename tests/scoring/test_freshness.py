"""Scores that agree with their records: a change to anything a score counts marks the mandate, queues (through
the outbox, debounced) the refresh job, and the job recomputes just those mandates, so the stored count equals the
records listed beside it. The record page says when the score was computed.

Each test changes one ``Source`` the way the office does (the service, or the model where the service is only a
``save``), checks the stored count still shows the old figure, runs the queued job as the worker would, and checks
every line of the score against the records the page lists (``engine.item_records``).
"""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from apps.activities.models import Activity, ActivityType, Participation, SelfReport
from apps.activities.services import activities as activity_services
from apps.activities.services import self_reports as self_report_services
from apps.core import outbox
from apps.core.models import OutboxMessage
from apps.deputies.attendance import Attendance
from apps.deputies.models import Level
from apps.liaison.models import Invitation, Invitee
from apps.liaison.services import participation as liaison_services
from apps.proposals.models import Kind, Proposal, Signature
from apps.proposals.services import transitions
from apps.scoring import engine, tasks
from apps.scoring.models import Score, ScoreLine, Source, StaleMandate
from apps.scoring.services import freshness
from apps.scoring.services import records as record_services
from apps.stations.models import ReceptionDay, Station
from apps.training.models import TrainingProgram, TrainingSession
from apps.training.services import attendance_add
from tests.factories import MandateFactory, PersonFactory
from tests.scoring.factories import YEAR, item, typical_rule_set
from tests.scoring.reference import naive_score

pytestmark = pytest.mark.django_db

# 14:05 in Changchun on 3 December of the rule set's year (06:05 UTC).
NOW = datetime.datetime(YEAR, 12, 3, 6, 5, 0, tzinfo=datetime.timezone.utc)
DAY = datetime.date(YEAR, 5, 10)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def rule_set(city, municipal_mandate):
    rule_set = typical_rule_set(city, name=f"{YEAR}年度市人大代表履职考核办法")
    engine.compute(rule_set)
    StaleMandate.objects.all().delete()  # the fixtures' own writes: computed just now
    OutboxMessage.objects.all().delete()
    return rule_set


def stored(rule_set, mandate, source, code=None) -> int:
    line = ScoreLine.objects.filter(score__rule_set=rule_set, score__mandate=mandate,
                                    item=item(rule_set, source, code)).first()
    return line.count if line else 0


def listed(rule_set, mandate, source, code=None) -> int:
    return engine.item_records(item(rule_set, source, code), mandate).count()


def run_queued_refresh() -> int:
    """What the worker does: the refresh job is in the outbox; run it."""
    message = OutboxMessage.objects.filter(task=freshness.REFRESH_TASK).order_by("-pk").first()
    assert message is not None, "no refresh job was queued"
    return tasks.refresh_stale_scores(*message.args, **message.kwargs)


def assert_every_line_agrees(rule_set, mandate):
    score = Score.objects.get(rule_set=rule_set, mandate=mandate)
    counts = {line.item_id: line.count for line in score.lines.all()}
    for rule_item in rule_set.items.all():
        assert counts.get(rule_item.pk, 0) == engine.item_records(rule_item, mandate).count(), rule_item.label
    raw, total, grade, _lines = naive_score(rule_set, mandate)
    assert (score.raw_total, score.total, score.grade) == (raw, total, grade)


def activity(city, code="inspection", day=DAY, title="视察城市道路建设") -> Activity:
    return Activity.objects.create(type=ActivityType.objects.get(code=code), title=title, jurisdiction=city,
                                   level=Level.MUNICIPAL, start_date=day)


# --- every source ----------------------------------------------------------------------------------------------

def test_participants_added_in_bulk_reach_the_stored_count(rule_set, city, municipal_mandate, staff_user):
    for n in range(3):
        visit = activity(city, title=f"视察{n}")
        activity_services.participants_add(activity=visit, people={municipal_mandate.person_id: municipal_mandate.pk},
                                           user=staff_user)
    assert stored(rule_set, municipal_mandate, Source.ACTIVITY_PRESENT, "inspection") == 0
    assert listed(rule_set, municipal_mandate, Source.ACTIVITY_PRESENT, "inspection") == 3
    assert run_queued_refresh() == 1
    assert stored(rule_set, municipal_mandate, Source.ACTIVITY_PRESENT, "inspection") == 3
    assert_every_line_agrees(rule_set, municipal_mandate)
    assert not StaleMandate.objects.exists()


def test_marking_participants_on_leave_in_bulk_moves_the_count(rule_set, city, municipal_mandate, staff_user):
    session = activity(city, code="session", title="市人代会第三次会议")
    Participation.objects.create(activity=session, person=municipal_mandate.person, mandate=municipal_mandate,
                                 attendance=Attendance.PRESENT)
    run_queued_refresh()
    assert stored(rule_set, municipal_mandate, Source.ACTIVITY_PRESENT, "session") == 1
    activity_services.participations_mark_leave(activity=session, person_ids=[municipal_mandate.person_id],
                                                leave_reason="出差", user=staff_user)
    run_queued_refresh()
    assert stored(rule_set, municipal_mandate, Source.ACTIVITY_PRESENT, "session") == 0
    assert stored(rule_set, municipal_mandate, Source.ACTIVITY_LEAVE, "session") == 1
    assert_every_line_agrees(rule_set, municipal_mandate)


def test_one_attendance_changed_and_one_removed_follow(rule_set, city, municipal_mandate, staff_user):
    session = activity(city, code="session", title="市人代会第三次会议")
    row = Participation.objects.create(activity=session, person=municipal_mandate.person, mandate=municipal_mandate,
                                       attendance=Attendance.PRESENT)
    run_queued_refresh()
    activity_services.participation_update(participation=row, attendance=Attendance.ABSENT, user=staff_user)
    run_queued_refresh()
    assert stored(rule_set, municipal_mandate, Source.ACTIVITY_ABSENT, "session") == 1
    activity_services.participation_remove(participation=row, user=staff_user)
    run_queued_refresh()
    assert stored(rule_set, municipal_mandate, Source.ACTIVITY_ABSENT, "session") == 0
    assert_every_line_agrees(rule_set, municipal_mandate)


def test_an_activity_moved_to_another_year_leaves_the_count(rule_set, city, municipal_mandate):
    visit = activity(city)
    Participation.objects.create(activity=visit, person=municipal_mandate.person, mandate=municipal_mandate,
                                 attendance=Attendance.PRESENT)
    run_queued_refresh()
    assert stored(rule_set, municipal_mandate, Source.ACTIVITY_PRESENT, "inspection") == 1
    visit.start_date = datetime.date(YEAR - 1, 5, 10)
    visit.save()
    run_queued_refresh()
    assert stored(rule_set, municipal_mandate, Source.ACTIVITY_PRESENT, "inspection") == 0
    visit.start_date = DAY
    visit.save()
    run_queued_refresh()
    visit.delete()
    run_queued_refresh()
    assert stored(rule_set, municipal_mandate, Source.ACTIVITY_PRESENT, "inspection") == 0
    assert_every_line_agrees(rule_set, municipal_mandate)


def test_a_verified_self_report_counts(rule_set, city, municipal_mandate, staff_user):
    report = SelfReport.objects.create(person=municipal_mandate.person, mandate=municipal_mandate,
                                       type=ActivityType.objects.get(code="inspection"), title="自行视察农贸市场",
                                       start_date=DAY, description="查看食品安全")
    assert not StaleMandate.objects.exists()  # a report not yet verified counts nothing
    self_report_services.self_report_verify(report=report, user=staff_user)
    run_queued_refresh()
    assert stored(rule_set, municipal_mandate, Source.ACTIVITY_PRESENT, "inspection") == 1
    assert_every_line_agrees(rule_set, municipal_mandate)


def test_training_attendance_added_in_bulk_and_a_session_moved(rule_set, city, municipal_mandate, staff_user):
    program = TrainingProgram.objects.create(title="履职能力培训", form="central", topic="law", jurisdiction=city,
                                             level=Level.MUNICIPAL, start_date=datetime.date(YEAR, 3, 1))
    session = TrainingSession.objects.create(program=program, title="第一讲", date=datetime.date(YEAR, 3, 1),
                                             hours=Decimal("2"))
    attendance_add(session=session, people={municipal_mandate.person_id: municipal_mandate.pk}, user=staff_user)
    run_queued_refresh()
    assert stored(rule_set, municipal_mandate, Source.TRAINING) == 1
    session.date = datetime.date(YEAR + 1, 3, 1)
    session.save()
    run_queued_refresh()
    assert stored(rule_set, municipal_mandate, Source.TRAINING) == 0
    assert_every_line_agrees(rule_set, municipal_mandate)


def test_reception_duty_added_removed_and_a_day_deleted(rule_set, city, county, municipal_mandate):
    station = Station.objects.create(name="南湖代表工作站", jurisdiction=county, address="南湖大路1号",
                                     responsible_name="赵六")
    first = ReceptionDay.objects.create(station=station, date=DAY)
    second = ReceptionDay.objects.create(station=station, date=DAY + datetime.timedelta(days=7))
    first.deputies.add(municipal_mandate.person)
    second.deputies.add(municipal_mandate.person)
    run_queued_refresh()
    assert stored(rule_set, municipal_mandate, Source.RECEPTION) == 2
    first.deputies.remove(municipal_mandate.person)
    run_queued_refresh()
    assert stored(rule_set, municipal_mandate, Source.RECEPTION) == 1
    second.delete()
    run_queued_refresh()
    assert stored(rule_set, municipal_mandate, Source.RECEPTION) == 0
    assert_every_line_agrees(rule_set, municipal_mandate)


def test_a_suggestion_counts_once_submitted_and_no_more_once_withdrawn(rule_set, municipal_mandate, staff_user):
    proposal = Proposal.objects.create(kind=Kind.SUGGESTION, state=Proposal.State.DRAFT,
                                       jurisdiction=municipal_mandate.jurisdiction, level=Level.MUNICIPAL, year=YEAR,
                                       title="关于增设公交线路的建议", content="早晚高峰拥挤")
    Signature.objects.create(proposal=proposal, person=municipal_mandate.person, mandate=municipal_mandate,
                             role=Signature.Role.LEAD, confirmed_at=timezone.now())
    run_queued_refresh()
    assert stored(rule_set, municipal_mandate, Source.SUGGESTION_LEAD) == 0  # a draft does not count
    proposal = transitions.move(proposal, "submit", user=staff_user)  # a queryset update: no post_save
    assert stored(rule_set, municipal_mandate, Source.SUGGESTION_LEAD) == 0
    run_queued_refresh()
    assert stored(rule_set, municipal_mandate, Source.SUGGESTION_LEAD) == 1
    proposal.is_key = True
    proposal.save()
    run_queued_refresh()
    assert stored(rule_set, municipal_mandate, Source.KEY_SUGGESTION) == 1
    transitions.move(proposal, "withdraw", user=staff_user)
    run_queued_refresh()
    assert stored(rule_set, municipal_mandate, Source.SUGGESTION_LEAD) == 0
    assert stored(rule_set, municipal_mandate, Source.KEY_SUGGESTION) == 0
    assert_every_line_agrees(rule_set, municipal_mandate)


def test_a_cosignature_counts_once_confirmed(rule_set, city_term, municipal_mandate):
    lead = MandateFactory(term=city_term, person=PersonFactory(name="王领衔"))
    motion = Proposal.objects.create(kind=Kind.MOTION, state=Proposal.State.SUBMITTED, jurisdiction=lead.jurisdiction,
                                     level=Level.MUNICIPAL, year=YEAR, title="关于制定养老服务条例的议案")
    Signature.objects.create(proposal=motion, person=lead.person, mandate=lead, role=Signature.Role.LEAD,
                             confirmed_at=timezone.now())
    cosign = Signature.objects.create(proposal=motion, person=municipal_mandate.person, mandate=municipal_mandate,
                                      role=Signature.Role.COSIGNER)
    run_queued_refresh()
    assert stored(rule_set, municipal_mandate, Source.MOTION_COSIGN) == 0
    cosign.confirmed_at = timezone.now()
    cosign.save(update_fields=["confirmed_at"])
    run_queued_refresh()
    assert stored(rule_set, municipal_mandate, Source.MOTION_COSIGN) == 1
    assert stored(rule_set, lead, Source.MOTION_LEAD) == 1
    assert_every_line_agrees(rule_set, municipal_mandate)
    assert_every_line_agrees(rule_set, lead)


def test_reports_to_voters_and_commendations_entered_and_deleted(rule_set, municipal_mandate, staff_user):
    report = record_services.voter_report_create(user=staff_user, mandate=municipal_mandate, date=DAY,
                                                 place="社区会议室", attendance=40, satisfied=30,
                                                 basically_satisfied=5, unsatisfied=0)
    record_services.commendation_create(user=staff_user, mandate=municipal_mandate, date=DAY, title="优秀人大代表",
                                        awarded_by="市人大常委会")
    run_queued_refresh()
    assert stored(rule_set, municipal_mandate, Source.VOTER_REPORT) == 1
    assert stored(rule_set, municipal_mandate, Source.COMMENDATION) == 1
    record_services.voter_report_delete(user=staff_user, report=report)
    run_queued_refresh()
    assert stored(rule_set, municipal_mandate, Source.VOTER_REPORT) == 0
    assert_every_line_agrees(rule_set, municipal_mandate)


def test_an_opinion_adopted_counts_and_an_invitation_moved_out_of_the_year_does_not(rule_set, city,
                                                                                    municipal_mandate):
    invitation = Invitation.objects.create(jurisdiction=city, kind="attend_meeting", title="列席常委会会议", date=DAY)
    invitee = Invitee.objects.create(invitation=invitation, person=municipal_mandate.person, attended=True)
    opinion = liaison_services.opinion_record(invitee=invitee, content="建议细化条款")
    run_queued_refresh()
    assert stored(rule_set, municipal_mandate, Source.ADOPTED_OPINION) == 0
    liaison_services.opinion_decide(opinion=opinion, outcome="adopted")
    run_queued_refresh()
    assert stored(rule_set, municipal_mandate, Source.ADOPTED_OPINION) == 1
    invitation.date = datetime.date(YEAR - 1, 5, 1)
    invitation.save()
    run_queued_refresh()
    assert stored(rule_set, municipal_mandate, Source.ADOPTED_OPINION) == 0
    assert_every_line_agrees(rule_set, municipal_mandate)


def test_a_mandate_ended_before_the_year_loses_its_score(rule_set, municipal_mandate):
    assert Score.objects.filter(rule_set=rule_set, mandate=municipal_mandate).exists()
    municipal_mandate.status = "ended"
    municipal_mandate.end_date = datetime.date(YEAR - 1, 6, 30)
    municipal_mandate.end_reason = "辞职"
    municipal_mandate.save()
    run_queued_refresh()
    assert not Score.objects.filter(rule_set=rule_set, mandate=municipal_mandate).exists()


def test_the_refresh_recomputes_only_the_marked_mandates(rule_set, city, city_term, municipal_mandate):
    other = MandateFactory(term=city_term, person=PersonFactory(name="未变动的代表"))
    engine.compute(rule_set)
    StaleMandate.objects.all().delete()  # the new mandate is scored now
    untouched = Score.objects.get(rule_set=rule_set, mandate=other).computed_at
    computed = type(rule_set).objects.get(pk=rule_set.pk).computed_at
    frozen_later = NOW + datetime.timedelta(minutes=5)
    with time_machine.travel(frozen_later, tick=False):
        Participation.objects.create(activity=activity(city), person=municipal_mandate.person,
                                     mandate=municipal_mandate, attendance=Attendance.PRESENT)
        run_queued_refresh()
    refreshed = Score.objects.get(rule_set=rule_set, mandate=municipal_mandate)
    assert refreshed.computed_at == frozen_later
    assert Score.objects.get(rule_set=rule_set, mandate=other).computed_at == untouched
    rule_set.refresh_from_db()
    assert rule_set.computed_at == computed  # the whole set was not recomputed


def test_score_one_mandate_recomputes_every_published_set_that_scores_it(rule_set, city, county, municipal_mandate):
    Participation.objects.create(activity=activity(city), person=municipal_mandate.person, mandate=municipal_mandate,
                                 attendance=Attendance.PRESENT)
    StaleMandate.objects.all().delete()
    assert engine.score_one_mandate(municipal_mandate.pk) == 1
    assert stored(rule_set, municipal_mandate, Source.ACTIVITY_PRESENT, "inspection") == 1
    assert engine.score_one_mandate(10**9) == 0  # a mandate that does not exist: nothing


# --- debouncing -------------------------------------------------------------------------------------------------

def test_a_burst_of_changes_queues_one_job_that_recomputes_each_mandate_once(rule_set, city, city_term,
                                                                           municipal_mandate, monkeypatch):
    others = [MandateFactory(term=city_term, person=PersonFactory(name=f"代表{n}")) for n in range(3)]
    OutboxMessage.objects.filter(task=freshness.REFRESH_TASK).delete()
    StaleMandate.objects.all().delete()
    visits = [activity(city, title=f"视察{n}") for n in range(5)]
    for visit in visits:
        for mandate in [municipal_mandate, *others]:
            Participation.objects.create(activity=visit, person=mandate.person, mandate=mandate,
                                         attendance=Attendance.PRESENT)
    assert OutboxMessage.objects.filter(task=freshness.REFRESH_TASK).count() == 1  # twenty changes, one job
    assert StaleMandate.objects.count() == 4
    runs = []
    compute_many = engine.compute_many
    monkeypatch.setattr(engine, "compute_many", lambda sets, **kw: runs.append(kw) or compute_many(sets, **kw))
    assert run_queued_refresh() == 4
    assert runs == [{"mandate_ids": sorted(m.pk for m in [municipal_mandate, *others])}]
    for mandate in [municipal_mandate, *others]:
        assert stored(rule_set, mandate, Source.ACTIVITY_PRESENT, "inspection") == 5
    assert run_queued_refresh() == 0  # delivered again: nothing left to do


def test_a_change_after_the_window_queues_the_next_job(rule_set, city, municipal_mandate, frozen):
    OutboxMessage.objects.filter(task=freshness.REFRESH_TASK).delete()
    Participation.objects.create(activity=activity(city), person=municipal_mandate.person, mandate=municipal_mandate,
                                 attendance=Attendance.PRESENT)
    run_queued_refresh()
    frozen.shift(datetime.timedelta(seconds=10))
    Participation.objects.create(activity=activity(city, title="再次视察"), person=municipal_mandate.person,
                                 mandate=municipal_mandate, attendance=Attendance.PRESENT)
    messages = OutboxMessage.objects.filter(task=freshness.REFRESH_TASK)
    assert messages.count() == 2
    assert len({m.dedup_key for m in messages}) == 2


def test_the_job_waits_for_the_end_of_its_window(rule_set, city, municipal_mandate, settings,
                                                   django_capture_on_commit_callbacks, monkeypatch):
    settings.SCORE_REFRESH_DELAY_SECONDS = 5
    sent = []
    monkeypatch.setattr(outbox, "_send", lambda message: sent.append(message))
    OutboxMessage.objects.filter(task=freshness.REFRESH_TASK).delete()
    with django_capture_on_commit_callbacks(execute=True):
        Participation.objects.create(activity=activity(city), person=municipal_mandate.person,
                                     mandate=municipal_mandate, attendance=Attendance.PRESENT)
    message = OutboxMessage.objects.get(task=freshness.REFRESH_TASK)
    # 06:05:00 is the start of a five-second window: the job is due at its end plus a second.
    assert message.available_at == NOW + datetime.timedelta(seconds=6)
    assert [m.pk for m in sent] == [message.pk]
    assert OutboxMessage.objects.get(pk=message.pk).dispatched_at is not None


def test_a_delayed_job_is_handed_to_the_broker_with_its_countdown(monkeypatch):
    applied = []
    monkeypatch.setattr(tasks.refresh_stale_scores, "apply_async", lambda **kw: applied.append(kw))
    message = outbox.enqueue(tasks.refresh_stale_scores, countdown=4)
    assert outbox._send(message) is None
    assert applied and applied[0]["countdown"] == pytest.approx(4)
    assert outbox.dispatch_pending()["sent"] == 0  # the dispatcher does not send it before its time


# --- the page ------------------------------------------------------------------------------------------------------

def test_the_record_page_says_when_the_score_was_computed_and_that_it_is_being_refreshed(
        rule_set, city, municipal_mandate, deputy_user, client_for, django_assert_max_num_queries):
    client = client_for(deputy_user)
    html = client.get(f"/me/?year={YEAR}").content.decode()
    assert "得分计算于 2024年12月3日 14:05" in html
    assert "正在重新计算" not in html
    Participation.objects.create(activity=activity(city), person=municipal_mandate.person, mandate=municipal_mandate,
                                 attendance=Attendance.PRESENT)
    html = client.get(f"/me/?year={YEAR}").content.decode()
    assert "此后履职记录有变动，得分正在重新计算" in html
    with time_machine.travel(NOW + datetime.timedelta(minutes=7), tick=False):
        run_queued_refresh()
    with django_assert_max_num_queries(40):
        response = client.get(f"/me/?year={YEAR}")
    html = response.content.decode()
    assert "得分计算于 2024年12月3日 14:12" in html
    assert "正在重新计算" not in html
    card = response.context["record"].scores[0]
    inspections = next(line for line in card.lines if line.label == "视察")
    assert inspections.count == 1


def test_the_staff_view_of_a_record_shows_the_time_too(rule_set, municipal_mandate, staff_user, client_for):
    from django.urls import reverse

    url = reverse("scoring:deputy_record", args=[municipal_mandate.person_id]) + f"?year={YEAR}"
    assert "得分计算于 2024年12月3日 14:05" in client_for(staff_user).get(url).content.decode()


def test_a_refresh_recomputes_each_year_from_its_own_records(rule_set, city, municipal_mandate, staff_user):
    last_year = typical_rule_set(city, year=YEAR - 1, name=f"{YEAR - 1}年度市人大代表履职考核办法")
    engine.compute(last_year)
    for day in (datetime.date(YEAR - 1, 4, 1), datetime.date(YEAR - 1, 9, 1), DAY):
        record_services.commendation_create(user=staff_user, mandate=municipal_mandate, date=day,
                                            title="优秀人大代表", awarded_by="市人大常委会")
    Participation.objects.create(activity=activity(city, day=datetime.date(YEAR - 1, 3, 3)),
                                 person=municipal_mandate.person, mandate=municipal_mandate,
                                 attendance=Attendance.PRESENT)
    assert run_queued_refresh() == 1
    assert stored(last_year, municipal_mandate, Source.COMMENDATION) == 2
    assert stored(rule_set, municipal_mandate, Source.COMMENDATION) == 1
    assert stored(last_year, municipal_mandate, Source.ACTIVITY_PRESENT, "inspection") == 1
    assert stored(rule_set, municipal_mandate, Source.ACTIVITY_PRESENT, "inspection") == 0
    assert_every_line_agrees(last_year, municipal_mandate)
    assert_every_line_agrees(rule_set, municipal_mandate)
