"""Demo activities modelled on 长春: three years (the current year and the two before it, up to today) of what
deputies did, organised by the city and its counties, with attendance, theme practice outcomes and self-reports.

Run by ``manage.py seed_demo`` after ``apps.liaison.demo``. ``changchun`` scale: about 10,000 activities and
300,000 participations (sessions of the congresses, 列席常委会, 三查, legislation hearings, theme practice
activities whose yearly outcomes read "提出建议300余件, 帮扶困难户3000余户, 群众9000余名, 资金2800余万元", deputy
group activities of every group, ...) and about 450 self-reports; ``small``: a few hundred participations.
Reception days at the work stations become 代表工作站接待选民 activities: the stations demo hands them to
``record_activities`` (left on the context as ``ctx.activity_recorder``, see ``apps.deputies.demo_support``).

Participants are drawn in memory from the roster the deputies demo left on the context (``Roster``): the
mandates serving on the activity's date in the organiser's jurisdiction or below it, a person recorded under
the mandate ``apps.deputies.participants.choose_mandates`` picks (the one at the organiser's level). No query
per activity: activities are bulk-inserted with their history, participations (no history) are written with
COPY. The ``deputy`` account's person (张三丰) takes part in a few, one on leave, and has a verified, a pending
and a rejected self-report.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from decimal import Decimal

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from apps.activities.models import Activity, ActivityType, Attachment, Participation, SelfReport
from apps.core.demo import DemoContext, wipe
from apps.deputies.attendance import Attendance
from apps.deputies.demo_support import (
    LEAVE_REASONS, HeldActivity, Roster, chinese_numeral, copy_rows, organising_counties, stamp, workday,
)
from apps.deputies.models import Level, Mandate

# Theme practice outcomes per year (suggestions, households helped, people helped, funds in yuan): "提出建议300余件,
# 帮扶困难户3000余户, 群众9000余名, 资金2800余万元"; the small demo has a twentieth of them.
OUTCOMES = {"changchun": ((300, 360), (3000, 3600), (9000, 9800), (28_000_000, 28_900_000)),
            "small": ((15, 18), (150, 180), (450, 490), (1_400_000, 1_450_000))}

TOPICS = ["老旧小区改造", "冬季供热保障", "城市公交线网优化", "中小学课后服务", "基层医疗服务能力", "黑土地保护",
          "优化营商环境", "养老服务体系建设", "背街小巷整治", "汽车产业链配套", "农村人居环境整治", "就业创业扶持",
          "生态环境保护", "食品安全监管", "停车难问题", "物业服务管理", "乡村振兴", "粮食安全", "冰雪经济发展",
          "平安长春建设", "科技创新", "民生实事项目推进"]
LAWS = ["中华人民共和国食品安全法", "中华人民共和国大气污染防治法", "吉林省安全生产条例", "中华人民共和国黑土地保护法",
        "中华人民共和国未成年人保护法", "长春市物业管理条例", "中华人民共和国道路交通安全法", "长春市城市供热条例",
        "中华人民共和国消防法", "中华人民共和国农产品质量安全法"]
REGULATIONS = ["长春市物业管理条例（修订草案）", "长春市黑土地保护条例（草案）", "长春市养老服务条例（草案）",
               "长春市城市供热条例（修订草案）", "长春市优化营商环境条例（草案）", "长春市文明行为促进条例（修订草案）",
               "长春市生活垃圾分类管理条例（草案）"]
THEMES = ["“走进基层听民意、走进机关促发展”主题实践活动", "“人大代表在行动”主题实践活动",
          "“我为群众办实事”主题实践活动", "“助力乡村振兴”主题实践活动", "“代表联系群众 共建美好家园”主题实践活动"]
COURTS = ["长春市中级人民法院", "长春市南关区人民法院", "长春市朝阳区人民法院", "长春市绿园区人民法院"]
SUPERVISED = ["市公安局", "市市场监督管理局", "市营商环境建设局", "市城市管理局", "市生态环境局", "市税务局"]
WELFARE = ["冬季送温暖", "助学帮扶", "关爱留守儿童", "慰问困难老人", "义诊进社区", "助残帮扶", "爱心助农"]
SELF_REPORT_KINDS = ["survey", "public_welfare", "court_hearing", "supervisor_duty", "report_to_voters", "inspection"]
SELF_REPORT_TEXTS = {
    "survey": ("关于{topic}情况的走访调研", "走访{place}，就{topic}情况听取群众意见，形成调研报告一份。"),
    "public_welfare": ("{welfare}公益活动", "参加{place}{welfare}活动，为困难群众送去慰问品。"),
    "court_hearing": ("旁听{court}庭审", "受邀旁听{court}公开庭审，并提出意见建议。"),
    "supervisor_duty": ("参加{unit}特约监督活动", "作为特约监督员参加{unit}组织的监督活动。"),
    "report_to_voters": ("向原选区选民述职", "在{place}向原选区选民报告履职情况，听取意见。"),
    "inspection": ("{topic}情况实地察看", "到{place}实地察看{topic}推进情况。"),
}
REJECTIONS = ["未提供活动佐证材料，请补充照片或签到表后重新登记。", "该活动已由组织单位统一登记，请勿重复登记。",
              "所登记内容不属于代表履职活动范围。", "活动时间与佐证材料不一致，请核实后重新登记。"]

# Activities per year: (type code, organiser "city"/"county", full-year count at changchun / small scale,
# audience, participants (low, high) at changchun / small). Audiences: "level" = everyone holding a mandate of
# the organiser's level, "all" = everyone in the organiser's jurisdiction or below it.
SPEC = [
    ("session", "city", (1, 1), "level", (None, None), (None, None)),
    ("standing_meeting", "city", (8, 1), "level", (8, 12), (2, 3)),
    ("inspection", "city", (10, 1), "level", (15, 30), (4, 6)),
    ("survey", "city", (10, 1), "level", (10, 25), (3, 5)),
    ("enforcement_check", "city", (5, 1), "level", (15, 30), (3, 5)),
    ("legislation", "city", (6, 1), "level", (10, 20), (3, 4)),
    ("theme_practice", "city", (6, 1), "level", (60, 120), (8, 12)),
    ("tv_questioning", "city", (4, 1), "level", (4, 6), (2, 3)),
    ("court_hearing", "city", (8, 1), "level", (4, 8), (2, 3)),
    ("supervisor_duty", "city", (12, 1), "level", (2, 4), (1, 2)),
    ("public_welfare", "city", (6, 1), "level", (10, 25), (3, 5)),
    ("session", "county", (1, 1), "level", (None, None), (None, None)),
    ("standing_meeting", "county", (8, 0), "level", (5, 8), (2, 2)),
    ("inspection", "county", (8, 0), "level", (15, 30), (3, 4)),
    ("survey", "county", (8, 0), "level", (10, 20), (3, 4)),
    ("enforcement_check", "county", (4, 0), "level", (15, 25), (3, 4)),
    ("theme_practice", "county", (14, 1), "all", (120, 240), (6, 10)),
    ("report_to_voters", "county", (10, 1), "all", (10, 20), (3, 4)),
    ("court_hearing", "county", (4, 0), "level", (4, 8), (2, 2)),
    ("supervisor_duty", "county", (6, 0), "level", (2, 4), (1, 2)),
    ("public_welfare", "county", (6, 0), "all", (15, 40), (3, 4)),
]
# Deputy group activities per group and year (changchun, small); attendance is from the group's members.
GROUP_ACTIVITIES = {"city": (7, 1), "county": (9, 0), "township": (6, 0)}
# Self-reports per year (changchun, small), besides the deputy account's three.
SELF_REPORTS = {"changchun": 150, "small": 3}
# The columns of the participation rows written with COPY, in the order of the rows' values.
PARTICIPATION_COLUMNS = ["activity", "person", "mandate", "attendance", "leave_reason", "suggestions_raised",
                         "households_helped", "people_helped", "funds_donated"]


def has_data() -> bool:
    return Activity.objects.exists()


def seed(ctx: DemoContext) -> None:
    _ActivityBuilder(ctx).build()
    ctx.activity_recorder = record_activities  # later demos record the events they hold through it


def reset(ctx: DemoContext) -> None:
    """Delete the demo activities, participations and self-reports (the activity types stay: a migration made
    them, staff may have added more)."""
    wipe(Attachment, Participation, SelfReport, Activity)


def record_activities(type_code: str, held: list[HeldActivity], *, time_of_day: str) -> int:
    """Record events other demos held (``record_held_activities``) as activities of the type ``type_code``, with
    everyone present, created and last changed at ``time_of_day`` of their day; none without that type."""
    kind = ActivityType.objects.filter(code=type_code).first()
    if kind is None:
        return 0
    activities = [Activity(type=kind, title=event.title, jurisdiction=event.jurisdiction, level=event.level,
                           organiser=event.organiser, start_date=event.start_date, place=event.place,
                           description=event.description, created_by=event.created_by) for event in held]
    bulk_create_with_history(activities, Activity, batch_size=2000)
    ids = [a.pk for a in activities]
    where = f"type_id = {kind.pk} AND id >= {min(ids)}" if ids else "false"
    stamp(Activity, "created_at", f"start_date + time '{time_of_day}'", where)
    stamp(Activity, "updated_at", f"start_date + time '{time_of_day}'", where)
    copy_rows(Participation, PARTICIPATION_COLUMNS,
              ((a.pk, pk, mandate_id, Attendance.PRESENT, "", 0, 0, 0, 0)
               for a, event in zip(activities, held) for pk, mandate_id in event.participants.items()))
    return len(activities)


# --- days, attendance and shares -----------------------------------------------------------------------------

def year_span(year: int, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The part of the year that has happened: 1 January to 31 December, or to today in the current year."""
    return datetime.date(year, 1, 1), min(datetime.date(year, 12, 31), today)


def spread(rng, year: int, today: datetime.date, count: int, *, first: int = 6, last: int = 358) -> list:
    """``count`` workdays of the year evenly spread between day-of-year ``first`` and ``last`` (a little
    jitter), up to today in the current year; fewer in the current year in proportion to the days gone."""
    start = datetime.date(year, 1, 1)
    end_offset = min(last, (today - start).days)
    if end_offset < first:
        return []
    if year == today.year:
        count = round(count * (end_offset - first + 1) / (last - first + 1))
    days = []
    width = (end_offset - first + 1) / max(count, 1)
    for i in range(count):
        day = workday(start + datetime.timedelta(days=first + int(width * (i + rng.random()))))
        if day <= today:
            days.append(day)
    return days


def attendance(rng, *, present: float = 0.90, leave: float = 0.07) -> tuple[str, str]:
    roll = rng.random()
    if roll < present:
        return Attendance.PRESENT, ""
    if roll < present + leave:
        return Attendance.LEAVE, rng.choice(LEAVE_REASONS)
    return Attendance.ABSENT, ""


def distribute(rng, total: int, weights: list[float]) -> list[int]:
    """Split ``total`` into integer shares drawn with the given weights (the shares sum to ``total``)."""
    counts = Counter(rng.choices(range(len(weights)), weights, k=total)) if weights and total else Counter()
    return [counts.get(i, 0) for i in range(len(weights))]


# --- the activities --------------------------------------------------------------------------------------------

class _ActivityBuilder:
    def __init__(self, ctx: DemoContext):
        self.ctx = ctx
        self.rng = ctx.rng
        self.today = timezone.localdate()
        self.years = [self.today.year - 2, self.today.year - 1, self.today.year]
        self.large = ctx.large
        self.roster = ctx.roster = Roster(ctx)  # the training and stations demos use it too
        self.types = {t.code: t for t in ActivityType.objects.all()}
        self.staff = ctx.accounts["staff"]
        self.county_staff = ctx.accounts.get("staff_nanguan")
        self.zhang = ctx.zhang_sanfeng.pk
        self.activities: list[Activity] = []
        self.participants: list[list] = []  # per activity: [person_id, mandate_id, attendance, reason, 0, 0, 0, 0]

    def build(self) -> None:
        for year in self.years:
            self.year_activities(year)
        self.deputy_account()
        self.outcomes()
        self.save()
        self.self_reports()
        total = sum(len(p) for p in self.participants)
        self.ctx.log(f"activities: {len(self.activities)} activities, {total} participations, "
                     f"{self.self_report_count} self-reports")

    # --- who organises -----------------------------------------------------------------------------------------
    def organisers(self, kind: str) -> list:
        """(jurisdiction, level, organising body, created by) of the city or of each county."""
        if kind == "city":
            return [(self.ctx.city, Level.MUNICIPAL, "市人大常委会办公厅", self.staff)]
        return [(county, Level.COUNTY, f"{name}人大常委会办公室",
                 self.county_staff if name == "南关区" else None)
                for name, county in organising_counties(self.ctx)]

    def add(self, *, code, title, jurisdiction, level, organiser, day, created_by, people, place="",
            description="", end=None, present=0.90, leave=0.07) -> Activity | None:
        chosen = self.roster.take_part(jurisdiction.pk, level, people, day)
        if not chosen:
            return None
        activity = Activity(type=self.types[code], title=title[:200], jurisdiction=jurisdiction, level=level,
                            organiser=organiser[:100], start_date=day, end_date=end, place=place[:200],
                            description=description, created_by=created_by)
        rows = []
        for person_id, mandate_id in chosen.items():
            state, reason = attendance(self.rng, present=present, leave=leave)
            rows.append([person_id, mandate_id, state, reason, 0, 0, 0, Decimal(0)])
        self.activities.append(activity)
        self.participants.append(rows)
        return activity

    def sample(self, pool: list[int], low_high) -> list[int]:
        low, high = low_high
        if low is None:
            return pool
        return self.rng.sample(pool, min(len(pool), self.rng.randint(low, high)))

    def place(self, jurisdiction) -> str:
        if jurisdiction.pk == self.ctx.city.pk:
            county = self.rng.choice(list(self.ctx.counties))
        else:
            county = jurisdiction.name
        spots = self.ctx.streets[county] + [t.name for t in self.ctx.townships[county]]
        return f"{county}{self.rng.choice(spots)}"

    def year_activities(self, year: int) -> None:
        rng = self.rng
        scale = 0 if self.large else 1
        standing = defaultdict(lambda: 20 + (year - 2024) * 8)  # standing committee meeting numbers per organiser
        for code, kind, counts, audience, large_size, small_size in SPEC:
            count = counts[scale]
            size = small_size if not self.large else large_size
            for jurisdiction, level, body, created_by in self.organisers(kind):
                if code == "session":
                    self.session(year, jurisdiction, level, created_by)
                    continue
                pool = self.roster.people(jurisdiction.pk, level=level if audience == "level" else None)
                for day in spread(rng, year, self.today, count):
                    title, description, place = self.describe(code, jurisdiction, standing)
                    self.add(code=code, title=title, jurisdiction=jurisdiction, level=level, organiser=body, day=day,
                             created_by=created_by, people=self.sample(pool, size), place=place,
                             description=description)
        self.group_activities(year)

    def session(self, year, jurisdiction, level, created_by) -> None:
        ctx = self.ctx
        if jurisdiction.pk == ctx.city.pk:
            title = f"长春市第十六届人民代表大会第{chinese_numeral(year - 2021)}次会议"
            day, body = datetime.date(year, 1, 8), "长春市人民代表大会"
        else:
            title = f"{jurisdiction.name}第十九届人民代表大会第{chinese_numeral(year - 2020)}次会议"
            day = datetime.date(year, 1, 12) + datetime.timedelta(days=list(ctx.counties).index(jurisdiction.name))
            body = f"{jurisdiction.name}人民代表大会"
        day = workday(day)
        if day > self.today:
            return
        pool = self.roster.people(jurisdiction.pk, level=level)
        self.add(code="session", title=title, jurisdiction=jurisdiction, level=level, organiser=body, day=day,
                 end=day + datetime.timedelta(days=3), created_by=created_by, people=pool, place="人民会堂"
                 if jurisdiction.pk == ctx.city.pk else f"{jurisdiction.name}人民会堂",
                 description="出席会议，审议政府工作报告等各项报告。", present=0.95, leave=0.04)

    def describe(self, code, jurisdiction, standing) -> tuple[str, str, str]:
        rng = self.rng
        is_city = jurisdiction.pk == self.ctx.city.pk
        who = "市" if is_city else jurisdiction.name
        topic = rng.choice(TOPICS)
        place = self.place(jurisdiction)
        if code == "standing_meeting":
            standing[jurisdiction.pk] += 1
            return (f"列席{who}人大常委会第{chinese_numeral(standing[jurisdiction.pk])}次会议", "列席会议，听取和审议专项工作报告。",
                    "市人大常委会会议室" if is_city else f"{jurisdiction.name}人大常委会会议室")
        if code == "inspection":
            return f"{topic}工作视察", f"视察{place}{topic}工作推进情况，提出意见建议。", place
        if code == "survey":
            return f"关于{topic}情况的专题调研", f"深入{place}开展专题调研，形成调研报告。", place
        if code == "enforcement_check":
            law = rng.choice(LAWS)
            return f"《{law}》执法检查", f"对《{law}》贯彻实施情况开展执法检查。", place
        if code == "legislation":
            regulation = rng.choice(REGULATIONS)
            return f"《{regulation}》立法座谈会", "听取代表对法规草案的意见和建议。", "市人大常委会会议室"
        if code == "theme_practice":
            return (f"{rng.choice(THEMES)}（{place}）", f"走进{place}，围绕{topic}听取群众意见、帮扶困难群众。",
                    place)
        if code == "report_to_voters":
            return f"{place}代表向选民述职会", "代表向原选区选民报告履职情况，接受选民评议。", place
        if code == "tv_questioning":
            return f"长春广播电视台《电视问政》：{topic}", f"围绕{topic}现场问政。", "长春广播电视台演播厅"
        if code == "court_hearing":
            court = rng.choice(COURTS) if is_city else f"长春市{jurisdiction.name}人民法院"
            return f"旁听{court}庭审", "旁听公开庭审并座谈交流。", court
        if code == "supervisor_duty":
            unit = rng.choice(SUPERVISED)
            return f"特约监督员参加{who if not is_city else '市'}{unit[1:]}监督活动", "履行特约监督员职责。", place
        if code == "public_welfare":
            welfare = rng.choice(WELFARE)
            return f"{welfare}公益帮扶活动（{place}）", f"在{place}开展{welfare}活动。", place
        raise ValueError(code)

    def group_activities(self, year: int) -> None:
        """Every deputy group meets several times a year; the city organises its groups', each county its own
        and its townships' groups' (at township level)."""
        rng, ctx = self.rng, self.ctx
        scale = 0 if self.large else 1
        county_of_township = {t.pk: ctx.counties[name] for name, ts in ctx.townships.items() for t in ts}
        county_ids = {c.pk for c in ctx.counties.values()}
        for group in ctx.groups:
            if group.jurisdiction_id == ctx.city.pk:
                jurisdiction, kind = ctx.city, "city"
            elif group.jurisdiction_id in county_ids:
                jurisdiction, kind = group.jurisdiction, "county"
            else:
                jurisdiction, kind = county_of_township[group.jurisdiction_id], "township"
            members = self.roster.people(jurisdiction.pk, group_id=group.pk)
            if not members:
                continue
            levels = Counter(m.level for pk in members for m in self.roster.under[jurisdiction.pk][pk]
                             if m.group_id == group.pk)
            level = levels.most_common(1)[0][0]
            created_by = self.staff if kind == "city" else (
                self.county_staff if jurisdiction.name == "南关区" else None)
            for day in spread(rng, year, self.today, GROUP_ACTIVITIES[kind][scale], first=20, last=350):
                topic = rng.choice(TOPICS)
                self.add(code="group_activity", title=f"{group.name}活动：{topic}", jurisdiction=jurisdiction,
                         level=level, organiser=group.name, day=day, created_by=created_by, people=members,
                         place=self.place(jurisdiction), description=f"代表小组围绕{topic}开展集中活动。",
                         present=0.89, leave=0.08)

    # --- the deputy account -------------------------------------------------------------------------------------
    def deputy_account(self) -> None:
        """张三丰 (the ``deputy`` account) takes part in a few of the city's activities this year and last, and is
        on leave from one."""
        city = self.ctx.city.pk
        wanted = {"session": 2, "inspection": 2, "theme_practice": 2, "survey": 1, "legislation": 1}
        leave_given = False
        for activity, rows in zip(self.activities, self.participants):
            code = activity.type.code
            if activity.jurisdiction_id != city or activity.start_date.year < self.today.year - 1:
                continue
            if not wanted.get(code):
                continue
            wanted[code] -= 1
            mandate = self.roster.take_part(city, activity.level, [self.zhang], activity.start_date)
            if not mandate:
                continue
            mine = next((row for row in rows if row[0] == self.zhang), None)
            if mine is None:
                mine = [self.zhang, mandate[self.zhang], Attendance.PRESENT, "", 0, 0, 0, Decimal(0)]
                rows.append(mine)
            mine[2], mine[3] = Attendance.PRESENT, ""
            if code == "survey" and not leave_given:
                mine[2], mine[3] = Attendance.LEAVE, "参加其他会议"
                leave_given = True

    # --- theme practice outcomes -------------------------------------------------------------------------------
    def outcomes(self) -> None:
        """Spread each year's totals over the present participants of that year's theme practice activities."""
        rng = self.rng
        targets = OUTCOMES[self.ctx.scale]
        by_year = defaultdict(list)
        for activity, rows in zip(self.activities, self.participants):
            if activity.type.has_outcomes:
                by_year[activity.start_date.year] += [row for row in rows if row[2] == Attendance.PRESENT]
        for year, rows in by_year.items():
            if not rows:
                continue
            suggestions, households, people, funds = (rng.randint(low, high) for low, high in targets)
            weights = [rng.paretovariate(2.5) for _row in rows]
            donors = [w if rng.random() < 0.25 else 0 for w in weights]
            if not any(donors):
                donors = weights
            hundreds = funds // 100
            for column, total, w in ((4, suggestions, weights), (5, households, weights), (6, people, weights),
                                     (7, hundreds, donors)):
                for row, share in zip(rows, distribute(rng, total, w)):
                    row[column] = share
            for row in rows:
                row[7] = Decimal(row[7] * 100)
            rows[0][7] += Decimal(funds - hundreds * 100)  # the odd yuan

    # --- writing ------------------------------------------------------------------------------------------------
    def save(self) -> None:
        bulk_create_with_history(self.activities, Activity, batch_size=2000)
        stamp(Activity, "created_at", "start_date + time '17:30'")
        stamp(Activity, "updated_at", "start_date + time '17:30'")
        copy_rows(Participation, PARTICIPATION_COLUMNS, ((activity.pk, *row) for activity, rows in
                                                         zip(self.activities, self.participants) for row in rows))

    # --- self-reports ---------------------------------------------------------------------------------------
    def self_reports(self) -> None:
        """Deputies' own reports over the three years: older ones verified (each with its activity and the
        deputy's participation) or rejected with a reason, recent ones pending; 张三丰 has one of each."""
        rng, ctx, today = self.rng, self.ctx, self.today
        mandates = [m for m in ctx.mandates if m.level in (Level.MUNICIPAL, Level.COUNTY)
                    and m.status == Mandate.Status.SERVING]
        zhang = next(m for m in mandates if m.person_id == self.zhang and m.level == Level.MUNICIPAL)
        deputy_user = ctx.accounts["deputy"]
        start = datetime.date(self.years[0], 1, 1)
        reports = []
        for _i in range(SELF_REPORTS[ctx.scale] * len(self.years)):
            mandate = rng.choice(mandates)
            day = workday(start + datetime.timedelta(days=rng.randint(0, (today - start).days - 1)))
            if day >= today:
                day = today - datetime.timedelta(days=1)
            reports.append(self.self_report(mandate, day, None))
        mine = [(today - datetime.timedelta(days=40), SelfReport.Status.VERIFIED),
                (today - datetime.timedelta(days=25), SelfReport.Status.REJECTED),
                (today - datetime.timedelta(days=3), SelfReport.Status.PENDING)]
        for day, status in mine:
            reports.append(self.self_report(zhang, workday(day) if workday(day) <= today else day, deputy_user,
                                            status=status))
        # Verified reports become activities with the deputy as the one participant.
        activities, participations = [], []
        for report in reports:
            if report.status != SelfReport.Status.VERIFIED:
                continue
            mandate = report._mandate
            activity = Activity(type=report.type, title=report.title, jurisdiction_id=mandate.jurisdiction_id,
                                level=mandate.level, organiser="", start_date=report.start_date,
                                place=report.place, description=report.description,
                                source=Activity.Source.SELF_REPORT, created_by=report.decided_by)
            activities.append(activity)
            report.activity = activity
        bulk_create_with_history(activities, Activity, batch_size=2000)
        for report in reports:
            if report.activity is not None:
                report.activity_id = report.activity.pk
                participations.append((report.activity.pk, report.person_id, report.mandate_id,
                                       Attendance.PRESENT, "", 0, 0, 0, 0))
        copy_rows(Participation, PARTICIPATION_COLUMNS, participations)
        stamp(Activity, "created_at", "start_date + time '17:30' + interval '5 days'", "source = 'self_report'")
        stamp(Activity, "updated_at", "start_date + time '17:30' + interval '5 days'", "source = 'self_report'")
        bulk_create_with_history(reports, SelfReport, batch_size=2000)
        stamp(SelfReport, "submitted_at", "start_date + time '18:00'")
        self.self_report_count = len(reports)

    def self_report(self, mandate: Mandate, day: datetime.date, user, status=None) -> SelfReport:
        rng, today = self.rng, self.today
        code = rng.choice(SELF_REPORT_KINDS)
        title, text = SELF_REPORT_TEXTS[code]
        values = {"topic": rng.choice(TOPICS), "place": self.place(self.ctx.city), "welfare": rng.choice(WELFARE),
                  "court": rng.choice(COURTS), "unit": rng.choice(SUPERVISED)}
        if status is None:
            age = (today - day).days
            if age < 60:  # the verification queue: the last two months, mostly not decided yet
                status = SelfReport.Status.PENDING if rng.random() < 0.8 else SelfReport.Status.VERIFIED
            else:
                status = SelfReport.Status.VERIFIED if rng.random() < 0.82 else SelfReport.Status.REJECTED
        decided = status != SelfReport.Status.PENDING
        decider = self.staff if mandate.jurisdiction_id == self.ctx.city.pk or self.county_staff is None \
            else (self.county_staff if mandate.jurisdiction.name == "南关区" else self.staff)
        report = SelfReport(
            person_id=mandate.person_id, mandate=mandate, type=self.types[code], title=title.format(**values),
            start_date=day, place=values["place"], description=text.format(**values), status=status,
            reason=rng.choice(REJECTIONS) if status == SelfReport.Status.REJECTED else "", submitted_by=user,
            decided_by=decider if decided else None,
            decided_at=timezone.make_aware(datetime.datetime.combine(
                min(day + datetime.timedelta(days=rng.randint(2, 9)), today), datetime.time(10, 30)))
            if decided else None,
        )
        report._mandate = mandate
        return report
