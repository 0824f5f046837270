"""Demo activity funds (经费) for last year and the current year: the city's budget, budgets of municipal
delegations (held by their county) and of work stations, and the expenditures charged to them.

Run by ``manage.py seed_demo`` after ``apps.notices.demo`` (and the stations demo, whose stations hold budgets).
``small``: the city, three delegations and three stations a year (14 budgets, about 80 expenditures);
``changchun``: the city, the eleven county delegations and twenty stations (64 budgets, about 280 expenditures).
Expenditures are entered by the city's or 南关区's ``staff`` (bulk-inserted, pending, in every category, never
beyond their budget) and decided by the ``supervisor`` through the services, as a leader approves or returns
one (``expenditure_approve``, ``expenditure_return`` with a reason): last year's all decided, most approved;
this year's older ones decided, the last weeks' pending. One expenditure beyond its budget's balance is entered
by the ``supervisor`` with an override reason (``expenditure_create``), awaiting another leader's approval.
Amounts are ``Decimal`` yuan with cents.

Its own ``random.Random("funds-demo")``, so that the draws of the seeders after it are those they always were.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from apps.core.demo import DemoContext, wipe
from apps.funds import services
from apps.funds.models import Budget, Expenditure
from apps.stations.models import Station

C = Expenditure.Category
# (category, payee, purpose) of the expenditures of each kind of budget.
SPENDING = {
    "city": [
        (C.TRAINING, "中共长春市委党校", "市人大代表集中培训班场地及授课费用"),
        (C.TRAINING, "长春国际会议中心", "“人民讲堂”法治专题讲座会务费"),
        (C.INSPECTION, "长春市公共交通集团有限公司", "代表集中视察用车"),
        (C.INSPECTION, "长春市公共交通集团有限公司", "执法检查调研用车"),
        (C.PRINTING, "长春日报社印务中心", "代表履职手册印制"),
        (C.PRINTING, "吉林省新华印刷有限公司", "会议材料汇编印制"),
        (C.OTHER, "长春市邮政分公司", "代表学习资料邮寄"),
        (C.OTHER, "中国移动长春分公司", "代表履职平台短信服务费"),
    ],
    "delegation": [
        (C.INSPECTION, "长春市旅游客运有限公司", "代表团视察调研用车"),
        (C.TRAINING, "区委党校", "代表团代表学习培训"),
        (C.PRINTING, "春城快印中心", "代表团活动材料印制"),
        (C.OTHER, "长春市邮政分公司", "代表述职材料邮寄"),
    ],
    "station": [
        (C.STATION, "社区居民委员会", "代表工作站接待日场地运行费用"),
        (C.STATION, "长春欧亚集团办公用品公司", "代表工作站办公用品"),
        (C.STATION, "长春供热集团有限公司", "代表工作站冬季取暖费"),
        (C.PRINTING, "春城快印中心", "选民接待登记簿及宣传册印制"),
    ],
}
RETURN_REASONS = ["发票抬头与预算单位不一致，请更正后重新提交。", "缺少活动通知和签到表，请补充附件。",
                  "用途与预算科目不符，请按培训费科目重新填报。", "金额与发票金额不一致，请核对。"]
SCALE = {"small": (3, 3, (3, 6)), "changchun": (11, 20, (3, 5))}  # delegations, stations, expenditures a budget
OVERRIDE_REASON = "代表集中视察临时增加点位，经主任会议研究同意超出预算列支，下年度预算调整。"


def has_data() -> bool:
    return Budget.objects.exists()


def seed(ctx: DemoContext) -> None:
    _FundsBuilder(ctx).build()


def reset(ctx: DemoContext) -> None:
    wipe(Expenditure, Budget)


def _yuan(cents: int) -> Decimal:
    return Decimal(cents) / 100


class _FundsBuilder:
    def __init__(self, ctx: DemoContext):
        self.ctx = ctx
        self.rng = random.Random("funds-demo")  # never ctx.rng: the later seeders' draws stay as they were
        self.today = timezone.localdate()
        self.staff = ctx.accounts["staff"]
        self.county_staff = ctx.accounts.get("staff_nanguan")
        self.leader = ctx.accounts["supervisor"]

    def build(self) -> None:
        budgets = self.budgets()
        expenditures = self.expenditures(budgets)
        decided = self.decide(expenditures)
        override = self.override(budgets)
        self.ctx.log(f"funds: {len(budgets)} budgets, {len(expenditures) + bool(override)} expenditures "
                     f"({decided} decided by the leader{', one over its balance' if override else ''})")

    # --- budgets -------------------------------------------------------------------------------------------------
    def budgets(self) -> list[Budget]:
        rng, ctx = self.rng, self.ctx
        n_delegations, n_stations, _spend = SCALE[ctx.scale]
        delegations = [(county, ctx.delegations[f"{name}代表团"]) for name, county in ctx.counties.items()
                       if f"{name}代表团" in ctx.delegations][:n_delegations]
        stations = list(Station.objects.select_related("jurisdiction").order_by("pk")[:n_stations])
        rows = []
        for year in (self.today.year - 1, self.today.year):
            rows.append(Budget(year=year, jurisdiction=ctx.city, name="市人大代表活动经费",
                               amount=Decimal(rng.choice((1_800_000, 2_000_000, 2_200_000))), created_by=self.staff))
            for county, delegation in delegations:
                rows.append(Budget(year=year, jurisdiction=county, delegation=delegation,
                                   name=f"{delegation.name}活动经费", amount=Decimal(rng.randrange(80, 151) * 1000),
                                   created_by=self.staff))
            for station in stations:
                rows.append(Budget(year=year, jurisdiction=station.jurisdiction, station=station,
                                   name=f"{station.name}运行经费", amount=Decimal(rng.randrange(30, 61) * 1000),
                                   created_by=self.staff))
        budgets = Budget.objects.bulk_create(rows)
        with connection.cursor() as cursor:  # entered at the start of their year (auto_now_add said now)
            cursor.execute(f'UPDATE "{Budget._meta.db_table}" SET created_at = make_timestamptz(year, 1, 10, 9, 0, 0, %s) '
                           "WHERE id = ANY(%s)", [timezone.get_current_timezone_name(), [b.pk for b in budgets]])
        return budgets

    # --- expenditures --------------------------------------------------------------------------------------------
    def expenditures(self, budgets: list[Budget]) -> list[Expenditure]:
        """Pending entries spread over each budget's year up to today, spending 40–85% of it (less of this
        year's, by the share of the year gone)."""
        rng = self.rng
        low, high = SCALE[self.ctx.scale][2]
        rows = []
        for budget in budgets:
            kind = "city" if budget.delegation_id is None and budget.station_id is None else (
                "delegation" if budget.delegation_id else "station")
            start = datetime.date(budget.year, 1, 15)
            end = min(datetime.date(budget.year, 12, 20), self.today)
            if end < start:
                continue
            share = rng.uniform(0.4, 0.85) * (end - datetime.date(budget.year, 1, 1)).days / 365
            n = rng.randint(low, high) * (3 if kind == "city" else 1)
            cents = int(budget.amount * 100 * Decimal(str(round(share, 4))))
            weights = [rng.uniform(0.5, 1.5) for _ in range(n)]
            county_user = self.county_staff if self.county_staff and budget.jurisdiction.name == "南关区" else None
            for weight in weights:
                category, payee, purpose = rng.choice(SPENDING[kind])
                amount = max(100, int(cents * weight / sum(weights))) // 10 * 10 + rng.choice((0, 0, 50))
                rows.append(Expenditure(
                    budget=budget, date=start + datetime.timedelta(days=rng.randint(0, (end - start).days)),
                    category=category, payee=payee, amount=_yuan(amount), purpose=purpose,
                    entered_by=county_user or self.staff))
        rows.sort(key=lambda e: (e.date, e.budget.pk))
        expenditures = Expenditure.objects.bulk_create(rows, batch_size=2000)
        with connection.cursor() as cursor:  # entered the day they were spent, in the afternoon
            cursor.execute(f'UPDATE "{Expenditure._meta.db_table}" SET entered_at = (date + time \'15:30\') '
                           "AT TIME ZONE %s WHERE id = ANY(%s)",
                           [timezone.get_current_timezone_name(), [e.pk for e in expenditures]])
        return expenditures

    def decide(self, expenditures: list[Expenditure]) -> int:
        """The leader decides all but the last three weeks' entries through the services (about one in eight
        returned with a reason); the decision times are then set back to a few days after each entry."""
        rng = self.rng
        recent = self.today - datetime.timedelta(days=21)
        older = [e for e in expenditures if e.date < recent]
        # At least one of each outcome and one left pending, whatever the draw.
        returned = {e.pk for e in older if rng.random() < 0.12} | ({older[-1].pk} if older else set())
        decided = []
        for expenditure in older:
            if expenditure.pk in returned:
                services.expenditure_return(expenditure=expenditure, user=self.leader,
                                            reason=rng.choice(RETURN_REASONS))
            else:
                services.expenditure_approve(expenditure=expenditure, user=self.leader)
            when = timezone.make_aware(datetime.datetime.combine(
                min(expenditure.date + datetime.timedelta(days=rng.randint(1, 6)), self.today),
                datetime.time(10, rng.choice((0, 20, 40)))))
            decided.append((min(when, timezone.now()), expenditure.pk))
        with connection.cursor() as cursor:
            cursor.executemany(f'UPDATE "{Expenditure._meta.db_table}" SET decided_at = %s WHERE id = %s', decided)
        return len(decided)

    def override(self, budgets: list[Budget]) -> Expenditure | None:
        """This year's first delegation budget (the city's when there is none): an inspection beyond its balance,
        entered by the leader with an override reason through the service; pending another leader's approval."""
        from apps.funds.selectors import balance, with_sums

        year = [b for b in budgets if b.year == self.today.year]
        target = next((b for b in year if b.delegation_id), year[0] if year else None)
        if target is None:
            return None
        target = with_sums(Budget.objects.filter(pk=target.pk)).get()
        amount = balance(target) + _yuan(self.rng.randrange(500, 3000) * 100)
        return services.expenditure_create(
            user=self.leader, budget=target, date=self.today, category=C.INSPECTION, payee="长春市旅游客运有限公司",
            amount=amount, purpose="代表团集中视察重点项目用车及误餐补助", override_reason=OVERRIDE_REASON)
