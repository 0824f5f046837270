"""A deputy with records in every section of the performance record (several per section), their scores under
a published rule set computed by the engine, and a few records that must not show (another year, another
deputy, a draft).

``record_world(...)`` returns a dict of what it made; the record tests, the PDF tests and the browser test use it.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from apps.activities.models import Activity, ActivityType, Participation
from apps.committee.models import CommitteeMember, Post
from apps.liaison.models import Contact
from apps.proposals.models import Proposal, Rating, Signature
from apps.scoring import engine
from apps.scoring.models import Commendation, Dispute, VoterReport
from apps.stations.models import ReceptionDay, Station, VoterVisit
from apps.training.models import TrainingAttendance, TrainingProgram, TrainingSession
from tests.factories import PersonFactory
from tests.proposals.factories import (
    AssignmentFactory, MotionFactory, RatingFactory, ReplyFactory, SignatureFactory, SuggestionFactory, reply_class,
)
from tests.scoring.factories import YEAR, typical_rule_set

D = lambda month, day, year=YEAR: datetime.date(year, month, day)  # noqa: E731


def _activity(code, title, jurisdiction, level, day, mandate, attendance="present"):
    activity = Activity.objects.create(type=ActivityType.objects.get(code=code), title=title,
                                       jurisdiction=jurisdiction, level=level, start_date=day, place="市人大常委会")
    return Participation.objects.create(activity=activity, person=mandate.person, mandate=mandate,
                                        attendance=attendance)


def _replied(proposal, code, rating=None):
    assignment = AssignmentFactory(proposal=proposal, state="accepted")
    reply = ReplyFactory(assignment=assignment, proposal=proposal, reply_class=reply_class(code))
    if rating:
        RatingFactory(reply=reply, proposal=proposal, signature=proposal.signatures.get(person=_lead(proposal)),
                      result=rating)
    return reply


def _lead(proposal):
    return proposal.signatures.get(role=Signature.Role.LEAD).person


def record_world(*, mandate, city, other_mandate=None, compute: bool = True, number_offset: int = 0) -> dict:
    """Records of ``mandate``'s person in ``YEAR`` (and one of each kind in the year before), a published rule
    set of the city for the mandate's level, computed."""
    person, level = mandate.person, mandate.level
    w = {"mandate": mandate, "person": person}
    # Activities: 2 meetings (+1 on leave), 3 inspections/surveys, 2 group activities, 1 other; one last year.
    w["participations"] = [
        _activity("session", "市十六届人大三次会议", city, level, D(1, 10), mandate),
        _activity("standing_meeting", "列席市人大常委会第十次会议", city, level, D(3, 5), mandate),
        _activity("standing_meeting", "列席市人大常委会第十二次会议", city, level, D(6, 5), mandate, "leave"),
        _activity("inspection", "视察城市供热保障工作", city, level, D(4, 2), mandate),
        _activity("inspection", "视察老旧小区改造", city, level, D(5, 12), mandate),
        _activity("survey", "专题调研养老服务体系建设", city, level, D(7, 20), mandate),
        _activity("group_activity", "代表小组学习活动", city, level, D(8, 1), mandate),
        _activity("theme_practice", "“代表在行动”主题实践活动", city, level, D(9, 9), mandate),
        _activity("legislation", "物业管理条例立法座谈", city, level, D(10, 10), mandate),
    ]
    w["old_participation"] = _activity("inspection", "上年度视察活动", city, level, D(4, 2, YEAR - 1), mandate)
    # Training: two sessions attended, one missed on leave.
    program = TrainingProgram.objects.create(title="市人大代表履职能力培训班", form="central", topic="law",
                                             jurisdiction=city, level=level, start_date=D(4, 20))
    sessions = [TrainingSession.objects.create(program=program, title=f"第{i}讲 代表法解读", date=D(4, 20 + i),
                                               hours=Decimal("3")) for i in range(1, 4)]
    w["training"] = [TrainingAttendance.objects.create(session=s, person=person, mandate=mandate,
                                                       attendance="leave" if i == 2 else "present")
                     for i, s in enumerate(sessions)]
    # Motions and suggestions: a suggestion led (reply A, rated 满意), a key suggestion led (reply B, rated
    # 不满意), a suggestion co-signed (confirmed), a motion led; a draft and an unconfirmed invitation that
    # must not show.
    led = SuggestionFactory(mandate=mandate, state=Proposal.State.REPLIED, year=YEAR, number=101 + number_offset,
                            title="关于加快老旧小区改造的建议")
    _replied(led, "A", Rating.Result.SATISFIED)
    key = SuggestionFactory(mandate=mandate, state=Proposal.State.REPLIED, year=YEAR, number=102 + number_offset,
                            is_key=True, title="关于完善城市供热保障机制的建议")
    _replied(key, "B", Rating.Result.UNSATISFIED)
    other_lead = SuggestionFactory(state=Proposal.State.ASSIGNED, year=YEAR, number=103 + number_offset,
                                   title="关于增加社区养老服务设施的建议")
    cosigned = SignatureFactory(proposal=other_lead, mandate=mandate, person=person, confirmed=True)
    motion = MotionFactory(mandate=mandate, state=Proposal.State.REGISTERED, year=YEAR, number=7 + number_offset,
                           title="关于制定物业管理条例的议案")
    SuggestionFactory(mandate=mandate, state=Proposal.State.DRAFT, year=YEAR, title="草稿中的建议")
    invited = SuggestionFactory(state=Proposal.State.SUBMITTED, year=YEAR, title="尚未确认附议的建议")
    SignatureFactory(proposal=invited, mandate=mandate, person=person, confirmed=False)
    w["proposals"] = {"led": led, "key": key, "cosigned": other_lead, "motion": motion}
    w["cosignature"] = cosigned
    # Contacts from a committee member (a council member).
    member = CommitteeMember.objects.create(term=mandate.term, jurisdiction=city, person=PersonFactory(name="常委甲"),
                                            post=Post.VICE_DIRECTOR, start_date=D(1, 1, 2022))
    w["contacts"] = []
    for day, channel in ((D(2, 14), "visit"), (D(8, 15), "phone")):
        contact = Contact.objects.create(member=member, date=day, channel=channel, summary="了解代表履职情况和意见建议")
        contact.participants.add(person)
        w["contacts"].append(contact)
    # Receptions at a station: two days on duty with visits; one visit on a third day not scheduled.
    station = Station.objects.create(name=f"南湖社区代表工作站{number_offset or ''}", jurisdiction=city, address="南湖大路1号",
                                     responsible_name="赵六")
    w["reception_days"] = []
    for day in (D(3, 15), D(9, 15)):
        reception = ReceptionDay.objects.create(station=station, date=day)
        reception.deputies.add(person)
        w["reception_days"].append(reception)
    w["visits"] = []
    for day, reception, issue in ((D(3, 15), w["reception_days"][0], "小区停车难"),
                                  (D(3, 15), w["reception_days"][0], "路灯损坏"),
                                  (D(9, 16), None, "学校周边交通拥堵")):
        visit = VoterVisit.objects.create(station=station, reception_day=reception, date=day, issue=issue,
                                          category="urban")
        visit.deputies.add(person)
        w["visits"].append(visit)
    # Reports to voters and commendations.
    w["voter_reports"] = [
        VoterReport.objects.create(mandate=mandate, electoral_unit=mandate.electoral_unit, date=D(6, 18),
                                   place="南关区代表联络站", attendance=60, satisfied=50, basically_satisfied=8,
                                   unsatisfied=2, text="一年来履职情况汇报"),
        VoterReport.objects.create(mandate=mandate, date=D(11, 18), place="曙光社区", attendance=40,
                                   satisfied=30, basically_satisfied=5, unsatisfied=0),
    ]
    w["old_voter_report"] = VoterReport.objects.create(mandate=mandate, date=D(6, 18, YEAR - 1), place="上年述职",
                                                       attendance=10)
    w["commendations"] = [
        Commendation.objects.create(mandate=mandate, date=D(12, 20), title="优秀人大代表", awarded_by="市人大常委会"),
        Commendation.objects.create(mandate=mandate, date=D(5, 4), title="优秀建议", awarded_by="市政府"),
    ]
    # Another deputy's records of the same kinds (never on this record).
    if other_mandate is not None:
        _activity("inspection", "他人的视察", city, level, D(4, 3), other_mandate)
        VoterReport.objects.create(mandate=other_mandate, date=D(6, 19), place="他人的述职", attendance=5)
    w["rule_set"] = typical_rule_set(city, level=level, year=YEAR)
    if compute:
        engine.compute(w["rule_set"])
        w["score"] = mandate.scores.get(rule_set=w["rule_set"])
        item = w["rule_set"].items.get(label="视察")
        w["dispute"] = Dispute.objects.create(score=w["score"], mandate=mandate, year=YEAR, item=item,
                                              item_label=item.label, comment="漏记了一次视察",
                                              status=Dispute.Status.REJECTED, resolution="经核实无误",
                                              resolved_at=timezone.now(), total_before=w["score"].total,
                                              total_after=w["score"].total)
    return w
