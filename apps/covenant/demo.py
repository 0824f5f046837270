"""Demo covenant data for the city's standing committee: three years (the current year and the two before it)
of committee meetings, about six a year of one to three days each, with every member's attendance on every day
held so far, the speeches made, leave requests of special committee members (approved, refused, one pending),
talks (约谈) with members the previous year flagged, and the published notices of the past two years.

Run by ``manage.py seed_demo`` after ``apps.committee.demo`` (the committee members) and ``apps.proposals.demo``
(the motions and suggestions the flags read). Most members attend nearly every day; a few (``WEAK_SHARE``)
are often away and seldom speak, so that the flags page and the notices have members to list whatever the
day. Meetings later in the current year are scheduled but not yet held (no attendance). Rows are bulk-inserted.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from apps.committee.models import CommitteeMember
from apps.core.demo import DemoContext, wipe
from apps.covenant import selectors
from apps.covenant.models import (
    Admonition, CommitteeMeeting, CovenantNotice, LeaveRequest, MeetingAttendance, Speech,
)
from apps.deputies.attendance import Attendance

MEETING_MONTHS = (2, 4, 6, 8, 10, 12)
WEAK_SHARE = 0.2
# (leave, absent) chance per day for an ordinary member and for a weak one
AWAY = {"ordinary": (0.05, 0.01), "weak": (0.3, 0.25)}
SPEAK = {"ordinary": 0.3, "weak": 0.03}
LEAVE_REASONS = ["因公出差", "身体原因", "参加上级会议", "外出学习培训", "家中有事", "单位重要工作安排"]
TOPICS = ["关于《长春市物业管理条例（修订草案）》的审议意见", "关于市政府城市更新工作情况报告的审议发言",
          "关于全市冬季供热保障工作的意见", "关于优化营商环境工作情况的审议意见", "关于黑土地保护工作的建议",
          "关于本级预算执行和其他财政收支审计工作报告的审议意见", "关于养老服务体系建设情况的审议发言",
          "关于《长春市城市供热条例（修订草案）》的修改意见", "关于中小学课后服务工作的审议意见",
          "关于生态环境保护工作情况报告的审议发言"]
AGENDA = ["审议市人民政府关于城市更新工作情况的报告", "审议《长春市物业管理条例（修订草案）》",
          "审议本级预算执行情况的审计工作报告", "审议市人民政府关于优化营商环境工作情况的报告",
          "审议市中级人民法院关于民事审判工作情况的报告", "审议决定人事任免事项"]
TALK_HELD_BY = ["常委会副主任、党组副书记", "常委会秘书长", "常委会党组成员、副主任"]


def has_data() -> bool:
    return CommitteeMeeting.objects.exists()


def seed(ctx: DemoContext) -> None:
    _CovenantBuilder(ctx).build()


def reset(ctx: DemoContext) -> None:
    wipe(Admonition, LeaveRequest, CovenantNotice, Speech, MeetingAttendance, CommitteeMeeting)


class _CovenantBuilder:
    def __init__(self, ctx: DemoContext):
        self.ctx = ctx
        self.rng = ctx.rng
        self.today = timezone.localdate()
        self.staff = ctx.accounts["staff"]
        self.city = ctx.city
        self.term = ctx.municipal_term
        self.members = list(CommitteeMember.objects.filter(jurisdiction=self.city, term=self.term)
                            .select_related("person").prefetch_related("special_committees").order_by("pk"))
        weak_count = max(1, round(len(self.members) * WEAK_SHARE))
        ordinary = [m for m in self.members if m.user_id is None]
        self.weak = {m.pk for m in self.rng.sample(ordinary, min(weak_count, len(ordinary)))}

    def build(self) -> None:
        if not self.members:
            self.ctx.log("covenant: no committee members, nothing seeded")
            return
        years = [self.today.year - 2, self.today.year - 1, self.today.year]
        self.meetings()
        self.attendance()
        self.speeches()
        self.leave_requests()
        notices = self.notices(years[:2])
        talks = self.talks(years[1])
        self.ctx.log(f"covenant: {len(self.meeting_rows)} committee meetings {years[0]}–{years[-1]}, "
                     f"{len(self.attendance_rows)} attendance days, {len(self.speech_rows)} speeches, "
                     f"{len(self.leave_rows)} leave requests, {talks} talks, {notices} published notices")

    # --- meetings ---------------------------------------------------------------------------------------------
    def meetings(self) -> None:
        rng, rows = self.rng, []
        for year in range(self.today.year - 2, self.today.year + 1):
            for index, month in enumerate(MEETING_MONTHS):
                start = datetime.date(year, month, rng.randint(20, 27))
                if start < self.term.start_date:
                    continue
                number = (year - self.term.start_date.year) * len(MEETING_MONTHS) + index + 1
                rows.append(CommitteeMeeting(
                    jurisdiction=self.city, term=self.term, number=number,
                    title=self.term.name.replace("人民代表大会", "人大常委会") + f"第{number}次会议", start_date=start,
                    days=rng.choice((1, 2, 2, 3)), notes="；".join(rng.sample(AGENDA, 2)), created_by=self.staff))
        self.meeting_rows = CommitteeMeeting.objects.bulk_create(rows)

    def _kind(self, member) -> str:
        return "weak" if member.pk in self.weak else "ordinary"

    def attendance(self) -> None:
        rng, rows = self.rng, []
        self.present_on = {}  # (meeting pk, member pk) → days present
        for meeting in self.meeting_rows:
            for member in self.members:
                leave_p, absent_p = AWAY[self._kind(member)]
                for day in meeting.dates:
                    if day > self.today or not member.serves_on(day):
                        continue
                    draw = rng.random()
                    if draw < absent_p:
                        status, reason = Attendance.ABSENT, ""
                    elif draw < absent_p + leave_p:
                        status, reason = Attendance.LEAVE, rng.choice(LEAVE_REASONS)
                    else:
                        status, reason = Attendance.PRESENT, ""
                        self.present_on.setdefault((meeting.pk, member.pk), []).append(day)
                    rows.append(MeetingAttendance(meeting=meeting, member=member, date=day, status=status,
                                                  leave_reason=reason, recorded_by=self.staff))
        self.attendance_rows = MeetingAttendance.objects.bulk_create(rows, batch_size=2000)

    def speeches(self) -> None:
        rng, rows = self.rng, []
        for meeting in self.meeting_rows:
            for member in self.members:
                days = self.present_on.get((meeting.pk, member.pk))
                if days and rng.random() < SPEAK[self._kind(member)]:
                    rows.append(Speech(meeting=meeting, member=member, date=rng.choice(days),
                                       topic=rng.choice(TOPICS), created_by=self.staff))
        self.speech_rows = Speech.objects.bulk_create(rows)

    # --- leave requests -------------------------------------------------------------------------------------------
    def leave_requests(self) -> None:
        """Approved requests behind some of the leave recorded, a refused one, and one pending for the next meeting
        (or the latest, when none is left this year)."""
        rng = self.rng
        wanted = 12 if self.ctx.large else 3
        in_committee = {m.pk: list(m.special_committees.all()) for m in self.members}
        on_leave = [a for a in self.attendance_rows if a.status == Attendance.LEAVE and in_committee[a.member_id]]
        seen, rows = set(), []
        meetings = {m.pk: m for m in self.meeting_rows}
        members = {m.pk: m for m in self.members}
        for row in rng.sample(on_leave, len(on_leave)):
            if len(rows) >= wanted or (row.meeting_id, row.member_id) in seen:
                continue
            seen.add((row.meeting_id, row.member_id))
            meeting = meetings[row.meeting_id]
            asked = timezone.make_aware(datetime.datetime.combine(meeting.start_date - datetime.timedelta(days=3),
                                                                  datetime.time(9, 30)))
            rows.append(LeaveRequest(
                member=members[row.member_id], special_committee=in_committee[row.member_id][0], meeting=meeting,
                start_date=row.date, end_date=row.date, reason=row.leave_reason, status=LeaveRequest.Status.APPROVED,
                requested_by=self.staff, requested_at=asked, decided_by=self.staff,
                decided_at=asked + datetime.timedelta(hours=5)))
        candidates = [m for m in self.members if in_committee[m.pk] and m.pk not in self.weak]
        upcoming = [m for m in self.meeting_rows if m.start_date > self.today] or self.meeting_rows[-1:]
        if candidates and upcoming:
            member, meeting = rng.choice(candidates), upcoming[0]
            now = timezone.now()
            rows.append(LeaveRequest(member=member, special_committee=in_committee[member.pk][0], meeting=meeting,
                                     start_date=meeting.start_date, end_date=meeting.end_date,
                                     reason=rng.choice(LEAVE_REASONS), requested_by=member.user or self.staff,
                                     requested_at=now))
            other = rng.choice(candidates)
            rows.append(LeaveRequest(member=other, special_committee=in_committee[other.pk][0],
                                     occasion=f"{in_committee[other.pk][0].name}全体会议",
                                     start_date=self.today - datetime.timedelta(days=20),
                                     end_date=self.today - datetime.timedelta(days=20), reason="个人原因",
                                     status=LeaveRequest.Status.REFUSED, requested_by=self.staff,
                                     requested_at=now - datetime.timedelta(days=25), decided_by=self.staff,
                                     decided_at=now - datetime.timedelta(days=24),
                                     decision_note="会议审议事项与本人分管工作密切相关，请安排出席"))
        asked = [row.requested_at for row in rows]
        self.leave_rows = LeaveRequest.objects.bulk_create(rows)
        # ``auto_now_add`` stamped them now: give them back the times of their story.
        for row, when in zip(self.leave_rows, asked):
            row.requested_at = when
        LeaveRequest.objects.bulk_update(self.leave_rows, ["requested_at"])

    # --- notices and talks -----------------------------------------------------------------------------------------
    def notices(self, years: list[int]) -> int:
        rows = []
        for year in years:
            published = timezone.make_aware(datetime.datetime(year + 1, 1, 15, 10, 0))
            if published.date() > self.today:
                continue
            rows.append(CovenantNotice(
                jurisdiction=self.city, year=year, status=CovenantNotice.Status.PUBLISHED,
                title=f"关于{self.city.name}人大常委会组成人员{year}年度履行职责情况的通报",
                text=(f"根据《{self.city.name}人大常委会组成人员履职公约》，现将{year}年度常委会组成人员出席会议、"
                      "审议发言和提出议案建议情况通报如下。请被通报的组成人员认真对照公约要求，切实改进。"),
                snapshot=selectors.flagged_rows(self.city, year, today=self.today), created_by=self.staff,
                published_by=self.staff, published_at=published))
        CovenantNotice.objects.bulk_create(rows)
        return len(rows)

    def talks(self, year: int) -> int:
        """A talk early this year with each member last year's records flag for missing meetings or days."""
        rng, rows = self.rng, []
        serious = {"missed_meetings", "days_away"}
        for flags in selectors.member_flags(self.city, year, today=self.today):
            if not serious.intersection(flags.flags):
                continue
            date = datetime.date(year + 1, 2, rng.randint(1, 20))
            if date > self.today:
                continue
            rows.append(Admonition(
                member=flags.member, date=date, held_by=rng.choice(TALK_HELD_BY),
                reason=f"{year}年度缺席常委会会议{flags.missed_meetings}次、请假和缺席{flags.days_away}天",
                record=("指出其履职中存在的问题，对照履职公约提出改进要求。本人表示接受批评，"
                        "今后将合理安排工作，按时出席常委会会议，积极参加审议发言。"),
                created_by=self.staff))
        Admonition.objects.bulk_create(rows)
        return len(rows)
