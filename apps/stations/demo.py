"""Demo deputy work stations (代表工作站) modelled on 长春: stations across the counties with their deputies,
monthly reception days (held and upcoming) with the deputies on duty, and the voters' visits, followed up until
closed with the result told to the visitor.

Run by ``manage.py seed_demo`` after ``apps.training.demo``. ``changchun`` scale: 40 stations (3-4 a county),
reception days from January last year to two months ahead, about 2,000 visits; ``small``: 8 stations, the
last four months and the next two. Every status of visit occurs. Each reception day held is also a 代表工作站
接待选民 activity of its county with the deputies on duty as participants (so it counts like any activity).
The first station of 南关区 has 张三丰 (the ``deputy`` account) attached and on duty now and then, next month
included. Rows are bulk-inserted with their history; the deputies of stations, reception days and visits (many-to-
many) are inserted without history rows, as the liaison demo does for contacts.
"""

from __future__ import annotations

import datetime
from django.db import connection
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from apps.core.demo import DemoContext, person_name, wipe
from apps.deputies.demo_support import (
    PHONE_PREFIXES, ROADS, VILLAGES, HeldActivity, Roster, record_held_activities, stamp, workday,
)
from apps.deputies.models import Level
from apps.stations.models import ReceptionDay, Station, VoterVisit

STATIONS = {"changchun": 40, "small": 8}
ISSUES = {
    VoterVisit.Category.URBAN: ["小区楼道照明损坏，物业迟迟不修", "老旧小区外墙保温脱落，存在安全隐患",
                                "小区周边道路积水严重，雨天出行困难", "小区停车位不足，车辆乱停乱放"],
    VoterVisit.Category.EDUCATION: ["孩子入学划片不合理，上学距离太远", "学校周边上下学时段交通拥堵"],
    VoterVisit.Category.HEALTH: ["社区卫生服务站药品种类少", "希望社区开展老年人免费体检"],
    VoterVisit.Category.SOCIAL: ["灵活就业人员参保手续繁琐", "希望社区增设老年食堂", "低保申请进度缓慢"],
    VoterVisit.Category.ENVIRONMENT: ["附近餐饮店油烟扰民", "垃圾站清运不及时，异味严重", "夜间施工噪声扰民"],
    VoterVisit.Category.ECONOMY: ["小微企业贷款难，希望有融资对接渠道", "农产品销售渠道少，希望帮助对接"],
    VoterVisit.Category.LAW: ["小区周边治安状况差，希望增加巡逻", "邻里纠纷长期得不到调解"],
    VoterVisit.Category.OTHER: ["冬季供热温度不达标", "公交线路调整后出行不便"],
}
FOLLOW_UP = [("街道办事处", "已转交街道办事处协调处理"), ("区住房和城乡建设局", "已与主管部门对接，安排现场勘查"),
             ("社区居民委员会", "社区已组织召开协调会"), ("区城市管理局", "已督促相关部门限期整改"),
             ("区人大常委会代表工作室", "已形成代表意见转交相关部门办理")]
RESULTS = ["问题已解决，已电话告知来访群众。", "相关部门已完成整改，来访群众表示满意。",
           "经协调已纳入明年改造计划，已向来访群众说明。", "已按政策办理完毕，结果已当面反馈。"]


def has_data() -> bool:
    return Station.objects.exists()


def seed(ctx: DemoContext) -> None:
    _StationBuilder(ctx).build()


def reset(ctx: DemoContext) -> None:
    """Delete the stations, reception days and visits with their deputies (and the reception activities, which
    ``apps.activities.demo.reset`` deletes with every other activity)."""
    from django.apps import apps

    through = [VoterVisit.deputies.through, ReceptionDay.deputies.through, Station.deputies.through]
    history = [apps.get_model("stations", name) for name in (
        "HistoricalVoterVisit_deputies", "HistoricalReceptionDay_deputies", "HistoricalStation_deputies")]
    with connection.cursor() as cursor:
        for model in through + history:
            cursor.execute(f'DELETE FROM "{model._meta.db_table}"')
    wipe(VoterVisit, ReceptionDay, Station)


class _StationBuilder:
    def __init__(self, ctx: DemoContext):
        self.ctx = ctx
        self.rng = ctx.rng
        self.today = timezone.localdate()
        self.roster = getattr(ctx, "roster", None) or Roster(ctx)
        self.staff = ctx.accounts["staff"]
        self.county_staff = ctx.accounts.get("staff_nanguan")
        self.zhang = ctx.zhang_sanfeng.pk

    def build(self) -> None:
        self.stations()
        self.reception_days()
        self.visits()
        self.reception_activities()
        self.ctx.log(f"stations: {len(self.station_rows)} stations, {len(self.days)} reception days "
                     f"({sum(d.date <= self.today for d in self.days)} held), {len(self.visit_rows)} voter visits, "
                     f"{self.activity_count} reception activities")

    def recorder(self, county):
        return self.county_staff if county.name == "南关区" else self.staff

    # --- stations -----------------------------------------------------------------------------------------------
    def stations(self) -> None:
        rng, ctx = self.rng, self.ctx
        counties = list(ctx.counties.items())
        n = STATIONS[ctx.scale]
        rows, attached = [], []
        for i in range(n):
            name, county = counties[i % len(counties)]
            places = ctx.streets[name] + [t.name for t in ctx.townships[name]]
            place = places[i // len(counties) % len(places)]
            kind = "人大代表之家" if place.endswith(("镇", "乡")) else "人大代表工作站"
            community = f"{rng.choice(VILLAGES)}村" if place.endswith(("镇", "乡")) else f"{rng.choice(VILLAGES)}社区"
            rows.append(Station(
                name=f"{place}{kind}", jurisdiction=county, community=community,
                address=f"吉林省长春市{name}{place}{rng.choice(ROADS)}{rng.randint(1, 2999)}号",
                responsible_name=person_name(rng, rng.random() < 0.4),
                responsible_phone=rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10 ** 8):08d}"))
            pool = self.roster.people(county.pk)
            people = rng.sample(pool, min(len(pool), rng.randint(8, 15) if ctx.large else rng.randint(3, 5)))
            if name == "南关区" and i < len(counties):  # the first station of 南关区: 张三丰's
                people = [self.zhang] + [pk for pk in people if pk != self.zhang]
            attached.append(people)
        self.station_rows = bulk_create_with_history(rows, Station)
        through = Station.deputies.through
        through.objects.bulk_create([through(station_id=s.pk, person_id=pk)
                                     for s, people in zip(self.station_rows, attached) for pk in people])
        self.attached = {s.pk: people for s, people in zip(self.station_rows, attached)}

    # --- reception days -----------------------------------------------------------------------------------------
    def reception_days(self) -> None:
        rng, today = self.rng, self.today
        first = datetime.date(today.year - 1, 1, 1) if self.ctx.large else _month(today, -4)
        months = []
        month = first
        while month <= _month(today, 2):
            months.append(month)
            month = _month(month, 1)
        rows, duty = [], []
        for station in self.station_rows:
            day_of_month = rng.randint(5, 20)
            people = self.attached[station.pk]
            for month in months:
                day = workday(month.replace(day=day_of_month))
                on_duty = rng.sample(people, min(len(people), rng.randint(2, 3)))
                if self.zhang in people and (day.month % 3 == 0 or _month(today, 1) == month):
                    on_duty = [self.zhang] + [pk for pk in on_duty if pk != self.zhang][:2]
                held = day <= today
                rows.append(ReceptionDay(
                    station=station, date=day, start_time=datetime.time(9), end_time=datetime.time(11, 30),
                    note="" if rng.random() < 0.7 else rng.choice(["主题：老旧小区改造", "主题：冬季供热",
                                                                    "主题：营商环境", "携带身份证件"]),
                    reminded_at=timezone.make_aware(datetime.datetime.combine(
                        day - datetime.timedelta(days=3), datetime.time(8))) if held or
                    day - today <= datetime.timedelta(days=3) else None))
                duty.append(on_duty)
        self.days = bulk_create_with_history(rows, ReceptionDay, batch_size=2000)
        through = ReceptionDay.deputies.through
        through.objects.bulk_create([through(receptionday_id=d.pk, person_id=pk)
                                     for d, people in zip(self.days, duty) for pk in people], batch_size=5000)
        self.duty = {d.pk: people for d, people in zip(self.days, duty)}

    # --- visits -------------------------------------------------------------------------------------------------
    def visits(self) -> None:
        rng, today = self.rng, self.today
        rows, present = [], []
        for day in self.days:
            if day.date > today:
                continue
            for _i in range(rng.choice([0, 1, 1, 2, 2, 2, 3, 4])):
                rows.append(self.visit(day.station, day.date, day))
                present.append(self.duty[day.pk])
        # Walk-ins on other days: a deputy attached to the station hears the voter.
        start = self.days[0].date if self.days else today
        for station in self.station_rows:
            for _i in range(rng.randint(1, 6) if self.ctx.large else 1):
                date = start + datetime.timedelta(days=rng.randint(0, max(0, (today - start).days)))
                rows.append(self.visit(station, date, None))
                present.append(rng.sample(self.attached[station.pk], 1))
        # Every status at least once, whatever the random draw: the latest visits are open / being followed up.
        for row, status in zip(sorted(rows, key=lambda v: v.date, reverse=True)[:2],
                               (VoterVisit.Status.OPEN, VoterVisit.Status.IN_PROGRESS)):
            self.set_status(row, status)
        oldest = min(rows, key=lambda v: v.date)
        self.set_status(oldest, VoterVisit.Status.CLOSED)
        self.visit_rows = bulk_create_with_history(rows, VoterVisit, batch_size=2000)
        through = VoterVisit.deputies.through
        through.objects.bulk_create([through(votervisit_id=v.pk, person_id=pk)
                                     for v, people in zip(self.visit_rows, present) for pk in people],
                                    batch_size=5000)
        stamp(VoterVisit, "created_at", "date + time '11:45'")

    def visit(self, station, date, reception_day) -> VoterVisit:
        rng, today = self.rng, self.today
        category = rng.choice(list(ISSUES))
        visit = VoterVisit(
            station=station, reception_day=reception_day, date=date, category=category,
            visitor_name=person_name(rng, rng.random() < 0.5) if rng.random() < 0.7 else "",
            visitor_phone=rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10 ** 8):08d}" if rng.random() < 0.6 else "",
            issue=rng.choice(ISSUES[category]), created_by=self.recorder(station.jurisdiction))
        age = (today - date).days
        roll = rng.random()
        if age > 60:
            status = VoterVisit.Status.CLOSED if roll < 0.85 else (
                VoterVisit.Status.IN_PROGRESS if roll < 0.95 else VoterVisit.Status.OPEN)
        else:
            status = VoterVisit.Status.CLOSED if roll < 0.3 else (
                VoterVisit.Status.IN_PROGRESS if roll < 0.7 else VoterVisit.Status.OPEN)
        self.set_status(visit, status)
        return visit

    def set_status(self, visit: VoterVisit, status: str) -> None:
        rng, today = self.rng, self.today
        visit.status = status
        visit.follow_up_by = visit.follow_up_action = visit.result = ""
        visit.follow_up_due = visit.result_told_at = visit.closed_at = None
        if status == VoterVisit.Status.OPEN:
            return
        who, what = rng.choice(FOLLOW_UP)
        visit.follow_up_by, visit.follow_up_action = who, what
        visit.follow_up_due = visit.date + datetime.timedelta(days=30)
        if status == VoterVisit.Status.CLOSED:
            told = min(visit.date + datetime.timedelta(days=rng.randint(7, 45)), today)
            visit.result = rng.choice(RESULTS)
            visit.result_told_at = told
            visit.closed_at = timezone.make_aware(datetime.datetime.combine(told, datetime.time(16)))

    # --- the reception days held, as activities -----------------------------------------------------------------
    def reception_activities(self) -> None:
        """Each reception day held is a 代表工作站接待选民 activity of the station's county, the deputies on duty
        present (under the mandate at county level when they hold several), recorded by the activities demo."""
        held = []
        stations = {s.pk: s for s in self.station_rows}
        for day in self.days:
            if day.date > self.today:
                continue
            station = stations[day.station_id]
            chosen = self.roster.take_part(station.jurisdiction_id, Level.COUNTY, self.duty[day.pk], day.date)
            if not chosen:
                continue
            held.append(HeldActivity(
                title=f"{station.name}接待选民", jurisdiction=station.jurisdiction, level=Level.COUNTY,
                organiser=station.name, start_date=day.date, place=station.address,
                description="代表工作站接待日，代表接待来访选民，听取意见建议。",
                created_by=self.recorder(station.jurisdiction), participants=chosen))
        self.activity_count = record_held_activities(self.ctx, "station_reception", held, time_of_day="12:00")


def _month(day: datetime.date, months: int) -> datetime.date:
    """The first day of the month ``months`` after ``day``'s."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)
