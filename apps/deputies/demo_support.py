"""What the demo modules of the apps above deputies share (``manage.py seed_demo``): the roster in memory, the
bulk writers, the days and counties the demo works on, and the words its texts are made of.

A demo module imports these from here, never from another app's ``demo`` module. An event another app's demo
holds that also counts as a deputies' activity (a station's reception day) is recorded through
``record_held_activities``: the activities demo, which runs earlier, puts its recorder on the context.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import connection
from django.utils import timezone

from apps.core.demo import DemoContext
from apps.deputies.models import Mandate
from apps.deputies.participants import choose_mandates

if TYPE_CHECKING:
    from apps.accounts.models import User
    from apps.core.models import Jurisdiction

LEAVE_REASONS = ["因公出差", "身体原因", "参加其他会议", "家中有事", "外出学习", "单位工作冲突", "在外地出差", "住院治疗"]
PHONE_PREFIXES = ["139", "138", "137", "136", "135", "150", "151", "152", "157", "158", "159", "182", "187",
                  "188", "130", "131", "132", "155", "156", "185", "186", "133", "153", "180", "181", "189", "199"]
VILLAGES = ["前进", "胜利", "红旗", "新立", "永安", "太平", "东风", "长岭", "三合", "兴隆", "双井子", "五家子", "靠山",
            "富民", "和平", "朝阳", "四合", "保安", "八家子", "东升", "民主", "双榆", "榆树屯", "腰窝堡", "大房身"]
ROADS = ["人民大街", "自由大路", "解放大路", "亚泰大街", "南湖大路", "东盛大街", "卫星路", "繁荣路", "延安大街",
         "临河街", "普阳街", "青年路", "吉林大路", "长春大街", "西安大路", "硅谷大街", "前进大街", "东环城路"]
CN_NUMBERS = "一二三四五六七八九十"
SMALL_COUNTIES = 3


def chinese_numeral(n: int) -> str:
    """1 → 一, 12 → 十二, 25 → 二十五 (enough for group, session and meeting numbers)."""
    if n <= 10:
        return CN_NUMBERS[n - 1]
    tens, ones = divmod(n, 10)
    return (CN_NUMBERS[tens - 1] if tens > 1 else "") + "十" + (CN_NUMBERS[ones - 1] if ones else "")


def copy_rows(model, fields: list[str], rows) -> int:
    """Write rows (tuples in the order of ``fields``) with PostgreSQL COPY: for the large tables without history
    (participations, training attendance), ten times faster than ``bulk_create``. Returns the number written."""
    columns = ", ".join(f'"{model._meta.get_field(name).column}"' for name in fields)
    count = 0
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
    return count


def stamp(model, field: str, expression: str, where: str = "") -> None:
    """Give bulk-inserted rows the time of their story in one UPDATE (``auto_now_add`` set it to now), e.g.
    ``stamp(Activity, "created_at", "start_date + time '16:30'")``."""
    with connection.cursor() as cursor:
        column = model._meta.get_field(field).column
        cursor.execute(f'UPDATE "{model._meta.db_table}" SET "{column}" = ({expression}) AT TIME ZONE %s '
                       f'{"WHERE " + where if where else ""}', [timezone.get_current_timezone_name()])


def serving(mandate: Mandate, day: datetime.date) -> bool:
    """As ``apps.deputies.participants.eligible_mandates``: serving on ``day`` and not suspended."""
    return mandate.serves_on(day)


class Roster:
    """The demo roster in memory (``ctx.mandates``): who may take part in what an organiser holds on a day, and
    under which mandate, without a query. Organisers are the city, the counties and the townships."""

    def __init__(self, ctx: DemoContext):
        self.ctx = ctx
        self.city = ctx.city
        parent = {}
        for name, county in ctx.counties.items():
            parent[county.pk] = ctx.city.pk
            for township in ctx.townships[name]:
                parent[township.pk] = county.pk
        self.under: dict[int, dict[int, list[Mandate]]] = defaultdict(lambda: defaultdict(list))
        for mandate in ctx.mandates:
            place = mandate.jurisdiction_id
            while place is not None:  # the mandate's jurisdiction and every one above it
                self.under[place][mandate.person_id].append(mandate)
                place = parent.get(place)
        self._people: dict[tuple, list[int]] = {}

    def people(self, organiser_id: int, *, level: str | None = None, group_id: int | None = None) -> list[int]:
        """Everyone holding a mandate (of ``level``, or in the group) in the organiser's jurisdiction or below,
        suspended mandates left out; sorted, so that the same seed gives the same data."""
        key = (organiser_id, level, group_id)
        if key not in self._people:
            self._people[key] = self._find(organiser_id, level, group_id)
        return list(self._people[key])

    def _find(self, organiser_id: int, level: str | None, group_id: int | None) -> list[int]:
        chosen = []
        for person_id, mandates in self.under[organiser_id].items():
            if any(m.status != Mandate.Status.SUSPENDED and (level is None or m.level == level)
                   and (group_id is None or m.group_id == group_id) for m in mandates):
                chosen.append(person_id)
        return sorted(chosen)

    def take_part(self, organiser_id: int, level: str, person_ids, day: datetime.date) -> dict[int, int]:
        """``{person_id: mandate_id}`` for those of ``person_ids`` serving on ``day`` under the organiser,
        each under the mandate ``choose_mandates`` picks; the others are left out."""
        under = self.under[organiser_id]
        rows = [(m.pk, m.person_id, m.level) for pk in person_ids for m in under.get(pk, ()) if serving(m, day)]
        chosen = choose_mandates(rows, level=level)
        return {pk: chosen[pk] for pk in person_ids if pk in chosen}  # keep the order


def organising_counties(ctx: DemoContext) -> list:
    """(name, jurisdiction) of the counties whose activities and training the demo records: every county, or
    the first three at small scale (南关区 among them, where ``staff_nanguan`` works)."""
    counties = list(ctx.counties.items())
    return counties if ctx.large else counties[:SMALL_COUNTIES]


def workday(day: datetime.date) -> datetime.date:
    """The Monday after a weekend day."""
    return day + datetime.timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)


@dataclass
class HeldActivity:
    """An event another app's demo held that is also a deputies' activity, everyone in ``participants``
    present (``{person_id: mandate_id}``); e.g. a station's reception day, a 代表工作站接待选民 activity."""

    title: str
    jurisdiction: Jurisdiction
    level: str
    organiser: str
    start_date: datetime.date
    place: str
    description: str
    created_by: User | None  # who recorded it
    participants: dict[int, int]


def record_held_activities(ctx: DemoContext, type_code: str, held: list[HeldActivity], *,
                           time_of_day: str) -> int:
    """Record ``held`` as activities of the type ``type_code``, created at ``time_of_day`` (``"12:00"``) of
    their day, through the recorder the activities demo left on the context (``ctx.activity_recorder``).
    Returns the number recorded: none without the activities demo or that activity type."""
    recorder = getattr(ctx, "activity_recorder", None)
    return recorder(type_code, held, time_of_day=time_of_day) if recorder else 0
