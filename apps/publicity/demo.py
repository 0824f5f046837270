"""Demo publicity (宣传) of the city's standing committee for the year before last, last year and this year up to
today: the 长春日报 column 人大代表风采 (专版, numbered issues), television features (专题片) of 长春广播电视台, media
reports and articles of the committee's public account, featuring real demo deputies and activities.

Run by ``manage.py seed_demo`` after ``apps.funds.demo`` (and the activities demo, whose activities they feature).
The yearly figures are those of the seed for a complete year: "专版13期、专题片2部" last year, 12 issues and one
feature the year before, and this year's issues so far (one a month, two in March); media reports and public-account articles
scale: ``changchun`` 24 and 48 a complete year, ``small`` 6 and 10. 张三丰 (the ``deputy`` account) is featured in
an issue each year. Rows are bulk-inserted, their featured deputies and activities too.

Its own ``random.Random("publicity-demo")``, so that the draws of the seeders after it are those they always were.
"""

from __future__ import annotations

import datetime
import random

from django.db import connection
from django.utils import timezone

from apps.activities.models import Activity
from apps.core.demo import DemoContext, wipe
from apps.deputies.models import Level, Mandate
from apps.publicity.models import PublicityItem

K = PublicityItem.Kind
# Newspaper column issues and television features of a complete year: two years ago, last year.
COLUMNS = (12, 13)
FEATURES = (1, 2)
REPORTS_AND_ARTICLES = {"changchun": (24, 48), "small": (6, 10)}  # a complete year
COLUMN_OUTLET = "长春日报"
FEATURE_TITLES = ["《履职为民 代表在身边》", "《全过程人民民主的长春实践》", "《人大代表的一年》"]
REPORT_OUTLETS = ["长春日报", "吉林日报", "长春晚报", "城市晚报", "长春广播电视台", "吉林广播电视台", "中国吉林网"]
ARTICLE_OUTLET = "长春人大微信公众号"
ARTICLE_TITLES = ["【代表风采】{name}：把群众的事当成自己的事", "【履职进行时】{activity}",
                  "【代表之家】走进{county}的代表之家", "【代表建议办理】{topic}建议办理见实效",
                  "【学习园地】{topic}知识问答", "【代表风采】{name}：扎根基层的“民情代言人”"]
REPORT_TITLES = ["市人大代表{activity}", "{name}代表：持续关注{topic}", "市人大常委会组织代表开展{topic}专题调研",
                 "人大代表走进基层倾听民意——{county}见闻"]
TOPICS = ["老旧小区改造", "冬季供热保障", "城市公交线网优化", "中小学课后服务", "黑土地保护", "优化营商环境",
          "养老服务体系建设", "背街小巷整治", "农村人居环境整治", "停车难问题"]


def has_data() -> bool:
    return PublicityItem.objects.exists()


def seed(ctx: DemoContext) -> None:
    _PublicityBuilder(ctx).build()


def reset(ctx: DemoContext) -> None:
    through = [PublicityItem.deputies.through, PublicityItem.activities.through]
    with connection.cursor() as cursor:
        for model in through:
            cursor.execute(f'DELETE FROM "{model._meta.db_table}"')
    wipe(PublicityItem)


class _PublicityBuilder:
    def __init__(self, ctx: DemoContext):
        self.ctx = ctx
        self.rng = random.Random("publicity-demo")  # never ctx.rng: the later seeders' draws stay as they were
        self.today = timezone.localdate()
        self.staff = ctx.accounts["staff"]
        self.zhang = ctx.zhang_sanfeng
        people = {p.pk: p for p in ctx.people}
        municipal = sorted({m.person_id for m in ctx.mandates
                            if m.level == Level.MUNICIPAL and m.status == Mandate.Status.SERVING})
        self.deputies = [people[pk] for pk in municipal if pk in people]
        self.counties = list(ctx.counties)
        self.rows: list[PublicityItem] = []
        self.featured: list[tuple[list[int], list[int]]] = []  # (person ids, activity ids) of each row

    def build(self) -> None:
        years = (self.today.year - 2, self.today.year - 1, self.today.year)
        activities = self.activities(years)
        for index, year in enumerate(years):
            self.year(year, index, activities.get(year, []))
        items = PublicityItem.objects.bulk_create(self.rows)
        with connection.cursor() as cursor:  # recorded the day after they appeared (auto_now_add said now)
            cursor.execute(f'UPDATE "{PublicityItem._meta.db_table}" SET created_at = (date + 1 + time \'10:00\') '
                           "AT TIME ZONE %s WHERE id = ANY(%s)",
                           [timezone.get_current_timezone_name(), [i.pk for i in items]])
        people = PublicityItem.deputies.through
        people.objects.bulk_create([people(publicityitem_id=item.pk, person_id=pk)
                                    for item, (persons, _a) in zip(items, self.featured) for pk in persons])
        done = PublicityItem.activities.through
        done.objects.bulk_create([done(publicityitem_id=item.pk, activity_id=pk)
                                  for item, (_p, acts) in zip(items, self.featured) for pk in acts])
        self.ctx.log(f"publicity: {len(items)} records {years[0]}–{years[-1]}")

    def activities(self, years) -> dict[int, list[tuple[int, str, datetime.date]]]:
        """The city's activities of the years (id, title, date), to feature; one query."""
        rows = (Activity.objects.filter(jurisdiction=self.ctx.city, start_date__year__in=years,
                                        start_date__lte=self.today)
                .exclude(type__code__in=("session", "standing_meeting")).order_by("start_date", "pk")
                .values_list("pk", "title", "start_date"))
        found: dict[int, list] = {}
        for pk, title, day in rows:
            found.setdefault(day.year, []).append((pk, title, day))
        return found

    def complete_share(self, year: int) -> float:
        """The share of the year gone (1 for a past year)."""
        if year < self.today.year:
            return 1.0
        return (self.today - datetime.date(year, 1, 1)).days / 365

    def day_in(self, year: int, month: int | None = None) -> datetime.date | None:
        last = self.today if year == self.today.year else datetime.date(year, 12, 31)
        if month is not None:
            day = datetime.date(year, month, self.rng.randint(5, 25))
            return day if day <= last else None
        return datetime.date(year, 1, 1) + datetime.timedelta(days=self.rng.randint(0, (last - datetime.date(year, 1, 1)).days))

    def add(self, kind, year, day, outlet, title, *, issue="", persons=(), activities=(), slug="") -> None:
        self.rows.append(PublicityItem(
            kind=kind, jurisdiction=self.ctx.city, date=day, outlet=outlet, title=title[:200], issue_number=issue,
            url=f"https://example.gov.cn/ccrd/{year}/{kind}-{slug or len(self.rows) + 1}.html",
            created_by=self.staff))
        self.featured.append((list(persons), list(activities)))

    def year(self, year: int, index: int, activities: list) -> None:
        rng = self.rng
        # Newspaper columns: an issue a month, and from last year on a second one in March (the session's
        # deputies): 12 issues the year before last, 13 last year, this year's so far.
        columns = COLUMNS[index] if index < 2 else COLUMNS[1]
        months = list(range(1, 13)) + ([3] if columns == 13 else [])
        issue = 0
        for month in sorted(months):
            day = self.day_in(year, month)
            if day is None:
                continue
            issue += 1
            person = self.zhang if month == 5 else rng.choice(self.deputies)
            self.add(K.COLUMN, year, day, COLUMN_OUTLET, f"人大代表风采·{person.name}：{rng.choice(TOPICS)}的履职故事",
                     issue=f"第{issue}期", persons=[person.pk], slug=f"{issue}")
        # Television features: in June (and November, last year); this year's in November.
        for n in range(FEATURES[index] if index < 2 else 1):
            day = self.day_in(year, 6 + 5 * n if index < 2 else 11)
            if day is None:
                continue
            persons = [p.pk for p in rng.sample(self.deputies, min(3, len(self.deputies)))]
            self.add(K.FEATURE, year, day, "长春广播电视台", FEATURE_TITLES[(index + n) % len(FEATURE_TITLES)],
                     persons=persons, activities=[a[0] for a in rng.sample(activities, min(2, len(activities)))])
        # Media reports and public-account articles, through the year.
        reports, articles = REPORTS_AND_ARTICLES[self.ctx.scale]
        share = self.complete_share(year)
        for kind, count, titles in ((K.REPORT, reports, REPORT_TITLES), (K.ARTICLE, articles, ARTICLE_TITLES)):
            for _n in range(round(count * share)):
                person = rng.choice(self.deputies)
                activity = rng.choice(activities) if activities else None
                template = rng.choice(titles)
                title = template.format(name=person.name, topic=rng.choice(TOPICS), county=rng.choice(self.counties),
                                        activity=activity[1] if activity else "开展集中视察")
                day = activity[2] if activity and "{activity}" in template else self.day_in(year)
                self.add(kind, year, day, ARTICLE_OUTLET if kind == K.ARTICLE else rng.choice(REPORT_OUTLETS),
                         title, persons=[person.pk] if "{name}" in template else [],
                         activities=[activity[0]] if activity and "{activity}" in template else [])
