"""Demo scoring: a published rule set per year (the current one and the two before) for municipal, county and
township deputies (the city's, which counties and townships inherit), this year's draft of a new version,
reports to voters (述职) with the voters' evaluation, commendations, and the scores computed from all of it.

Runs after the roster, activities, training, stations, liaison and proposals demos (``INSTALLED_APPS`` order).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from apps.core.demo import DemoContext, wipe
from apps.deputies.models import Level, Mandate
from apps.scoring import engine
from apps.scoring.defaults import fill_default_rules
from apps.scoring.models import (Commendation, Dispute, GradeBand, RuleItem, RuleSet, Score, ScoreLine,
                                 VoterReport)

# (level, who, base points: county and township deputies have fewer city-wide duties to score on)
LEVELS = [(Level.MUNICIPAL, "市人大代表", 40), (Level.COUNTY, "县（市、区）人大代表", 50),
          (Level.TOWNSHIP, "乡镇人大代表", 55)]
PLACES = ["社区党群服务中心", "街道代表之家", "村委会会议室", "代表联络站", "乡镇人大活动室", "企业职工之家"]
COMMENDATIONS = [("优秀人大代表", "长春市人大常委会"), ("优秀代表建议", "长春市人大常委会"),
                 ("履职先进个人", "中共长春市委")]
REPORT_TEXT = ("本人一年来认真履行代表职责，积极参加人代会、视察调研和代表小组活动，围绕{topic}提出建议，"
               "深入选区联系群众，现将履职情况向选民报告，请予评议。")
TOPICS = ["老旧小区改造", "义务教育资源均衡", "农村道路建设", "养老服务体系", "营商环境优化", "黑土地保护"]


def has_data() -> bool:
    return RuleSet.objects.exists()


def seed(ctx: DemoContext) -> None:
    today = timezone.localdate()
    years = [today.year - 2, today.year - 1, today.year]
    rng = ctx.rng
    mandates = list(Mandate.objects.filter(level__in=[level for level, _who, _base in LEVELS])
                    .values_list("pk", "start_date", "end_date", "electoral_unit_id").order_by("pk"))
    reports, commendations = [], []
    for year in years:
        first, last = datetime.date(year, 1, 1), min(datetime.date(year, 12, 31), today)
        for pk, start, end, unit in mandates:
            if start > last or (end is not None and end < first):
                continue
            if rng.random() < 0.35:
                day = first + datetime.timedelta(days=rng.randrange(max((last - first).days, 1)))
                present = rng.randrange(30, 120)
                satisfied = round(present * rng.uniform(0.6, 0.9))
                basically = round((present - satisfied) * rng.uniform(0.5, 1))
                unsatisfied = rng.randrange(0, max(present - satisfied - basically, 0) + 1)
                reports.append(VoterReport(
                    mandate_id=pk, electoral_unit_id=unit, date=day, place=rng.choice(PLACES), attendance=present,
                    satisfied=satisfied, basically_satisfied=basically, unsatisfied=unsatisfied,
                    text=REPORT_TEXT.format(topic=rng.choice(TOPICS))))
            if rng.random() < 0.02:
                title, by = rng.choice(COMMENDATIONS)
                commendations.append(Commendation(mandate_id=pk, date=min(datetime.date(year, 12, 20), last),
                                                  title=title, awarded_by=by))
    _showcase(ctx, years, reports, commendations, today)
    VoterReport.objects.bulk_create(reports, batch_size=5000)
    Commendation.objects.bulk_create(commendations, batch_size=5000)
    ctx.log(f"  {len(reports)} reports to voters, {len(commendations)} commendations")

    staff = ctx.accounts.get("staff") if hasattr(ctx, "accounts") else None
    with connection.cursor() as cursor:  # fresh statistics for the planner: the records were just bulk-written
        cursor.execute("ANALYZE")
    for year in years:
        published = []
        for level, who, base in LEVELS:
            rule_set = RuleSet.objects.create(
                jurisdiction=ctx.city, level=level, year=year, version=1, name=f"{year}年度{who}履职考核办法",
                status=RuleSet.Status.PUBLISHED, base_points=Decimal(base), created_by=staff, published_by=staff,
                published_at=timezone.now(), notes="依据《长春市人大代表履职管理办法》，百分制考核。")
            fill_default_rules(rule_set)
            published.append(rule_set)
        ctx.log(f"  {year}: {engine.compute_many(published)} scores under {len(published)} rule sets")
    draft = RuleSet.objects.create(jurisdiction=ctx.city, level=Level.MUNICIPAL, year=today.year, version=2,
                                   name=f"{today.year}年度市人大代表履职考核办法（修订稿）", created_by=staff,
                                   notes="修订稿：提高领衔建议分值，增加进站接待选民上限。")
    fill_default_rules(draft)
    RuleItem.objects.filter(rule_set=draft, source="suggestion_lead").update(points=Decimal("3"), cap=Decimal("9"))
    RuleItem.objects.filter(rule_set=draft, source="reception").update(cap=Decimal("6"))


def _showcase(ctx, years, reports, commendations, today) -> None:
    """The ``deputy`` account's person (张三丰) reports to voters every year and was commended last year, so that
    their performance record shows every section."""
    person = getattr(ctx, "zhang_sanfeng", None)
    mandate = Mandate.objects.filter(person=person, level=Level.MUNICIPAL).first() if person else None
    if mandate is None:
        return
    reports[:] = [r for r in reports if r.mandate_id != mandate.pk]
    commendations[:] = [c for c in commendations if c.mandate_id != mandate.pk]
    for year in years:
        day = min(datetime.date(year, 11, 18), today)
        reports.append(VoterReport(mandate=mandate, electoral_unit_id=mandate.electoral_unit_id, date=day,
                                   place="南岭街道代表之家", attendance=86, satisfied=71, basically_satisfied=13,
                                   unsatisfied=2, text=REPORT_TEXT.format(topic="老旧小区改造")))
    commendations.append(Commendation(mandate=mandate, date=datetime.date(years[1], 12, 20),
                                      title="优秀人大代表", awarded_by="长春市人大常委会"))


def reset(ctx: DemoContext) -> None:
    wipe(Dispute, ScoreLine, Score, GradeBand, RuleItem, RuleSet, VoterReport, Commendation)
