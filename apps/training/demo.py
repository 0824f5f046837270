"""Demo training modelled on 长春: three years of programs by form and topic, their sessions and who attended.

Run by ``manage.py seed_demo`` after ``apps.activities.demo``. Every year the city holds a central training of
the municipal deputies, a series of 人民讲堂 rule-of-law lectures, an online course and study sessions of the
national and provincial deputies elected in 长春; every county a central training of its deputies, a thematic
training, an online course, individual training of a few and a training of its townships' deputies. The
share of deputies trained at least once (present at a session) is set per level: about 87% of the county
deputies this year ("县(市)区级代表 ... 占总数的 87%"), about 90% of the municipal ones, 60-70% of the township
ones. Those not trained are on the sign-in sheets of the central training as on leave or absent. 张三丰 (the
``deputy`` account) attends this year's central training. One upcoming program has no attendance yet.

Participants come from the in-memory roster (``apps.deputies.demo_support.Roster``): serving on the session's day in
the organiser's jurisdiction or below, under the mandate at the program's level. Programs and sessions are
bulk-inserted with their history; attendance (no history) is written with COPY.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from apps.core.demo import DemoContext, person_name, wipe
from apps.deputies.attendance import Attendance
from apps.deputies.demo_support import LEAVE_REASONS, Roster, copy_rows, organising_counties, stamp, workday
from apps.deputies.models import Level
from apps.training.models import Form, Topic, TrainingAttendance, TrainingMaterial, TrainingProgram, TrainingSession

SESSION_TITLES = {
    Topic.THEORY: ["习近平新时代中国特色社会主义思想专题学习", "学习贯彻全国人大常委会工作报告精神",
                   "全过程人民民主的理论与实践", "学习习近平总书记关于坚持和完善人民代表大会制度的重要思想"],
    Topic.STANCE: ["坚持党的领导、人民当家作主、依法治国有机统一", "人大代表的政治责任与使命担当",
                   "把握新发展阶段 服务东北全面振兴"],
    Topic.RULE_OF_LAW: ["宪法和代表法解读", "民法典中的民生保障", "行政诉讼与法治政府建设", "黑土地保护法解读",
                        "地方立法的程序与实践"],
    Topic.DUTIES: ["如何提出高质量的代表建议", "代表视察调研的方法与实践", "代表联系人民群众工作实务",
                   "审查预算决算的基本知识", "代表工作站接待选民实务"],
}
LECTURER_UNITS = ["吉林大学法学院教授", "东北师范大学政法学院教授", "中共长春市委党校教授", "市人大常委会法工委主任",
                  "市人大常委会代表工委主任", "吉林省社会科学院研究员", "长春理工大学教授", "市财政局副局长"]
CITY_PLACE = "市人大常委会机关会议室"

# Share of the deputies of a level trained at the level's own programs, per year (two years ago, last year, this
# year). The coverage counts a person trained in any program, so the county figure comes out a point higher
# (people who also hold a municipal or township mandate): about 87% this year.
SHARES = {Level.MUNICIPAL: (0.88, 0.91, 0.90), Level.COUNTY: (0.84, 0.88, 0.86),
          Level.TOWNSHIP: (0.62, 0.66, 0.68), Level.PROVINCIAL: (0.74, 0.78, 0.76), Level.NATIONAL: (0.80, 0.85, 0.83)}
CENTRAL_SHARE = 0.88  # of those trained, the share trained at the central training (the others elsewhere only)


def has_data() -> bool:
    return TrainingProgram.objects.exists()


def seed(ctx: DemoContext) -> None:
    _TrainingBuilder(ctx).build()


def reset(ctx: DemoContext) -> None:
    wipe(TrainingAttendance, TrainingMaterial, TrainingSession, TrainingProgram)


class _TrainingBuilder:
    def __init__(self, ctx: DemoContext):
        self.ctx = ctx
        self.rng = ctx.rng
        self.today = timezone.localdate()
        self.roster = getattr(ctx, "roster", None) or Roster(ctx)
        self.level_of = {m.pk: m.level for m in ctx.mandates}
        self.staff = ctx.accounts["staff"]
        self.county_staff = ctx.accounts.get("staff_nanguan")
        self.programs: list[TrainingProgram] = []
        self.sessions: list[TrainingSession] = []
        self.attendance: list[tuple] = []  # (session, person_id, mandate_id, attendance, reason)

    def build(self) -> None:
        ctx = self.ctx
        for year in (self.today.year - 2, self.today.year - 1, self.today.year):
            index = year - self.today.year + 2
            self.organiser_year(ctx.city, year, index, city=True)
            for _name, county in organising_counties(ctx):
                self.organiser_year(county, year, index, city=False)
        self.upcoming()
        self.save()
        ctx.log(f"training: {len(self.programs)} programs, {len(self.sessions)} sessions, "
                f"{len(self.attendance)} attendance rows")

    # --- programs -----------------------------------------------------------------------------------------------
    def program(self, *, title, form, topic, jurisdiction, level, days: list[datetime.date], hours, titles=None,
                place="") -> list[TrainingSession]:
        """A program and its sessions on ``days`` (those after today are left out, except for the upcoming)."""
        rng = self.rng
        if not days:
            return []
        is_city = jurisdiction.pk == self.ctx.city.pk
        program = TrainingProgram(
            title=title, form=form, topic=topic, jurisdiction=jurisdiction, level=level,
            organiser="市人大常委会代表工作委员会" if is_city else f"{jurisdiction.name}人大常委会代表工作室",
            start_date=days[0], end_date=days[-1] if days[-1] != days[0] else None,
            description=f"{Form(form).label}：{Topic(topic).label}", created_by=self.staff if is_city else (
                self.county_staff if jurisdiction.name == "南关区" else None))
        self.programs.append(program)
        sessions = []
        for i, day in enumerate(days):
            name = (titles or SESSION_TITLES[topic])[i % len(titles or SESSION_TITLES[topic])]
            session = TrainingSession(
                program=program, title=name, date=day, hours=Decimal(hours), place=place or (
                    CITY_PLACE if is_city else f"{jurisdiction.name}人大常委会会议室"),
                lecturer="" if form == Form.ONLINE else f"{person_name(rng, rng.random() < 0.35)}"
                                                         f"（{rng.choice(LECTURER_UNITS)}）")
            sessions.append(session)
        self.sessions += sessions
        return sessions

    def day(self, year: int, day_of_year: int) -> datetime.date:
        return workday(datetime.date(year, 1, 1) + datetime.timedelta(days=day_of_year))

    def past(self, days: list[datetime.date]) -> list[datetime.date]:
        return [d for d in days if d <= self.today]

    def organiser_year(self, jurisdiction, year: int, index: int, *, city: bool) -> None:
        rng = self.rng
        name = "市" if city else jurisdiction.name
        shift = rng.randint(0, 20)
        central_start = self.day(year, 95 + shift)
        levels = [Level.MUNICIPAL, Level.PROVINCIAL, Level.NATIONAL] if city else [Level.COUNTY, Level.TOWNSHIP]
        for level in levels:
            if level in (Level.MUNICIPAL, Level.COUNTY):
                n_central = 3 if city else 2
                central = self.program(
                    title=f"{year}年{name}人大代表集中培训班", form=Form.CENTRAL, topic=Topic.THEORY,
                    jurisdiction=jurisdiction, level=level, hours="6.0",
                    days=self.past([central_start + datetime.timedelta(days=i) for i in range(n_central)]))
                others = []
                if city:
                    others += self.program(
                        title=f"{year}年“人民讲堂”法治专题讲座", form=Form.THEMATIC, topic=Topic.RULE_OF_LAW,
                        jurisdiction=jurisdiction, level=level, hours="3.0",
                        days=self.past([self.day(year, d + rng.randint(0, 10)) for d in (70, 150, 250, 310)]))
                else:
                    others += self.program(
                        title=f"{year}年{name}人大代表履职能力专题培训", form=Form.THEMATIC, topic=Topic.DUTIES,
                        jurisdiction=jurisdiction, level=level, hours="3.0",
                        days=self.past([self.day(year, 200 + shift)]))
                    others += self.program(
                        title=f"{year}年{name}人大代表个性化培训", form=Form.INDIVIDUAL, topic=Topic.RULE_OF_LAW,
                        jurisdiction=jurisdiction, level=level, hours="4.0",
                        days=self.past([self.day(year, 280 + shift)]))
                others += self.program(
                    title=f"{year}年{name}人大代表网络履职学习", form=Form.ONLINE,
                    topic=Topic.DUTIES if city else Topic.STANCE, jurisdiction=jurisdiction, level=level,
                    hours="10.0", days=self.past([self.day(year, 170 + shift)]), place="网络学习平台")
                trained = self.attend(jurisdiction, level, year, SHARES[level][index], central, others)
                # By-elected deputies (among those trained) also get an induction training.
                induction = [pk for pk in self.newcomers(jurisdiction, level, year) if pk in trained]
                if induction:
                    sessions = self.program(
                        title=f"{year}年{name}新任人大代表初任培训", form=Form.INDUCTION, topic=Topic.DUTIES,
                        jurisdiction=jurisdiction, level=level, hours="6.0",
                        days=self.past([self.day(year, 120 + shift)]))
                    for session in sessions:
                        self.record(session, jurisdiction, level, induction, present=True)
            elif level == Level.TOWNSHIP:
                central = self.program(
                    title=f"{year}年{name}乡镇人大代表培训班", form=Form.CENTRAL, topic=Topic.DUTIES,
                    jurisdiction=jurisdiction, level=level, hours="4.0",
                    days=self.past([self.day(year, 130 + shift), self.day(year, 131 + shift)]),
                    place=f"{jurisdiction.name}党校")
                self.attend(jurisdiction, level, year, SHARES[level][index], central, [])
            else:
                label = "全国" if level == Level.NATIONAL else "省"
                sessions = self.program(
                    title=f"{year}年在长{label}人大代表专题学习", form=Form.THEMATIC, topic=Topic.STANCE,
                    jurisdiction=jurisdiction, level=level, hours="3.0",
                    days=self.past([self.day(year, 60 + shift), self.day(year, 230 + shift)]))
                self.attend(jurisdiction, level, year, SHARES[level][index], sessions, [])

    def newcomers(self, jurisdiction, level, year) -> list[int]:
        """People elected at a by-election in the year before the induction training (or the year itself)."""
        pool = self.roster.under[jurisdiction.pk]
        return sorted(pk for pk, mandates in pool.items() for m in mandates
                      if m.level == level and m.start_date > m.term.start_date
                      and year - 1 <= m.start_date.year <= year)

    # --- attendance ---------------------------------------------------------------------------------------------
    def attend(self, jurisdiction, level, year, share, central: list, others: list) -> set[int]:
        """``share`` of the deputies of ``level`` serving on the first session's day are present at least once:
        most at the central sessions, the rest at the other sessions only; the others are on the central
        sessions' sign-in sheets as on leave or absent. Returns those trained."""
        rng, ctx = self.rng, self.ctx
        sessions = central or others
        if not sessions:
            return set()
        chosen = self.roster.take_part(jurisdiction.pk, level, self.roster.people(jurisdiction.pk, level=level),
                                       sessions[0].date)
        pool = [pk for pk, mandate_id in chosen.items() if self.level_of[mandate_id] == level]
        trained = set(rng.sample(pool, round(share * len(pool))))
        zhang = ctx.zhang_sanfeng.pk
        if zhang in chosen and level == Level.MUNICIPAL and year == self.today.year:
            trained.add(zhang)
        # Sets are walked in sorted order wherever a random draw is taken per element: their order follows the
        # primary keys, which differ after a reset, and the same seed must give the same data.
        elsewhere = {pk for pk in sorted(trained) if rng.random() > CENTRAL_SHARE and pk != zhang} \
            if central and others else set()
        at_central = trained - elsewhere
        seen: set[int] = set()
        for position, session in enumerate(central):
            present = {pk for pk in sorted(at_central) if rng.random() < 0.9}
            if position == 0 and zhang in at_central:
                present.add(zhang)
            if position == len(central) - 1:  # everyone trained centrally was there at least once
                present |= at_central - seen
            seen |= self.record(session, jurisdiction, level, sorted(present), present=True)
            self.record(session, jurisdiction, level, sorted(set(pool) - present), present=False)
        # The other sessions: some of the centrally trained again, and those trained only there.
        if others:
            only_here = defaultdict(set)
            for pk in sorted(elsewhere):
                only_here[rng.randrange(len(others))].add(pk)
            for i, session in enumerate(others):
                if session.program.form == Form.INDIVIDUAL:
                    again = set(rng.sample(sorted(at_central), min(len(at_central), rng.randint(8, 15))))
                else:
                    again = {pk for pk in sorted(at_central) if rng.random() < (0.25 if len(others) > 2 else 0.35)}
                self.record(session, jurisdiction, level, sorted(again | only_here[i]), present=True)
        return trained

    def record(self, session, jurisdiction, level, people: list[int], *, present: bool) -> set[int]:
        """Attendance rows of ``people`` at ``session`` (present, or else on leave or absent); returns who
        was recorded (those serving on the day)."""
        rng = self.rng
        chosen = self.roster.take_part(jurisdiction.pk, level, people, session.date)
        for pk, mandate_id in chosen.items():
            if present:
                self.attendance.append((session, pk, mandate_id, Attendance.PRESENT, ""))
            elif rng.random() < 0.6:
                self.attendance.append((session, pk, mandate_id, Attendance.LEAVE, rng.choice(LEAVE_REASONS)))
            else:
                self.attendance.append((session, pk, mandate_id, Attendance.ABSENT, ""))
        return set(chosen)

    def upcoming(self) -> None:
        """Next month's program, announced but not held yet (no attendance)."""
        day = workday(self.today + datetime.timedelta(days=20))
        self.programs_upcoming = self.program(
            title=f"{day.year}年冬季市人大代表法治专题培训", form=Form.THEMATIC, topic=Topic.RULE_OF_LAW,
            jurisdiction=self.ctx.city, level=Level.MUNICIPAL, hours="3.0", days=[day])

    # --- writing ------------------------------------------------------------------------------------------------
    def save(self) -> None:
        bulk_create_with_history(self.programs, TrainingProgram, batch_size=2000)
        stamp(TrainingProgram, "created_at", "start_date - interval '15 days' + time '09:30'")
        for session in self.sessions:
            session.program_id = session.program.pk
        bulk_create_with_history(self.sessions, TrainingSession, batch_size=2000)
        copy_rows(TrainingAttendance, ["session", "person", "mandate", "attendance", "leave_reason"],
                  ((session.pk, pk, mandate_id, state, reason)
                   for session, pk, mandate_id, state, reason in self.attendance))
