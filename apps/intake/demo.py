"""Demo voters' opinions (选民意见, 代表码) so that the inboxes, the codes and the lookup are not empty on ``make run``.

Run by ``manage.py seed_demo`` after ``apps.stations.demo``. The codes of 张三丰 (the ``deputy`` account) and of
his work stations; opinions left through them over the last six weeks, through the services as the public page
leaves them (each from its own address, so the rate limit is never reached): some still waiting, some accepted into
a voter visit (one of them told back and closed at the station), some closed with a reason, one spam. At the
``changchun`` scale, also a few opinions at each other station. Accepting writes voter visits through the stations'
service (status open; the told-back one closed), dated the day the opinion came.

Its own ``random.Random("intake-demo")``, so that the draws of the seeders after it are those they always were.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from apps.core.demo import DemoContext, wipe
from apps.intake import services
from apps.intake.models import Intake, IntakeBlock, IntakeCode
from apps.stations.models import Station, VoterVisit

# (category, text, name): what voters write through a code
OPINIONS = [
    ("urban", "小区门口的路灯坏了一个多月，晚上出行很不方便，希望尽快修复。", "王女士"),
    ("urban", "南湖大路与同志街交汇处早晚高峰拥堵严重，建议优化信号灯配时。", ""),
    ("social", "社区老年人较多，希望增设老年人日间照料中心和助餐点。", "李大爷"),
    ("education", "学校门口早晚接送孩子时车辆乱停，存在安全隐患，建议增设临时停车位。", ""),
    ("urban", "小区垃圾清运不及时，夏天气味很大，希望增加清运频次。", "赵先生"),
    ("economy", "希望加大对小微企业的扶持力度，简化贷款审批手续。", ""),
    ("social", "冬季供热温度不达标，室内只有十几度，希望督促供热公司整改。", "刘女士"),
    ("urban", "老旧小区外墙保温脱落，存在安全隐患，希望纳入改造计划。", ""),
    ("education", "希望社区开设青少年课后托管服务，解决双职工家庭的难题。", "陈女士"),
    ("social", "公交站台缺少遮雨棚，雨雪天候车很不方便。", ""),
]
TOLD_BACK = "已转交区住建局，路灯已于上周修复，社区将定期巡查。"
CLOSE_REASONS = ["该问题已由社区在接待日当面答复。", "所反映事项属于民事纠纷，已告知通过人民调解途径解决。"]


def has_data() -> bool:
    return Intake.objects.exists()


def seed(ctx: DemoContext) -> None:
    _IntakeBuilder(ctx).build()


def reset(ctx: DemoContext) -> None:
    """Delete the opinions, blocks and codes (the visits accepted from them go with the stations' demo)."""
    wipe(IntakeBlock, Intake, IntakeCode)


class _IntakeBuilder:
    def __init__(self, ctx: DemoContext):
        self.ctx = ctx
        self.rng = random.Random("intake-demo")  # never ctx.rng: the later seeders' draws stay as they were
        self.now = timezone.now()
        self.staff = ctx.accounts["staff"]
        self.deputy = ctx.accounts["deputy"]
        self.sent = 0

    def build(self) -> None:
        person = self.ctx.zhang_sanfeng
        own_stations = list(Station.objects.filter(deputies=person, is_active=True).order_by("pk"))
        deputy_code = services.intake_code_get_or_create(person=person)
        opinions = [self.leave(deputy_code, i, days_ago=40 - 4 * i) for i in range(8)]
        for station in own_stations[:1]:
            code = services.intake_code_get_or_create(station=station)
            opinions += [self.leave(code, 8 + i, days_ago=30 - 9 * i) for i in range(3)]
        # the deputy's and his station's: accepted (the oldest two), told back (the oldest), closed, spam; the rest wait
        accepted = []
        if own_stations:
            accepted.append(services.intake_accept(intake=opinions[0], user=self.staff, station=own_stations[0]))
            accepted.append(services.intake_accept(intake=opinions[8], user=self.staff))
        if accepted:
            VoterVisit.objects.filter(pk=accepted[0].pk).update(
                status=VoterVisit.Status.CLOSED, result=TOLD_BACK,
                result_told_at=opinions[0].created_at + datetime.timedelta(days=5))
        services.intake_close(intake=opinions[1], user=self.staff, reason=CLOSE_REASONS[0])
        services.intake_close(intake=opinions[2], user=self.deputy, reason=CLOSE_REASONS[1])
        services.intake_close(intake=opinions[3], user=self.staff, reason="重复提交的无关内容。", spam=True)
        others = 0
        if self.ctx.large:
            for station in Station.objects.filter(is_active=True).exclude(deputies=person).order_by("pk"):
                code = services.intake_code_get_or_create(station=station)
                for i in range(self.rng.randint(0, 4)):
                    self.leave(code, self.rng.randrange(len(OPINIONS)), days_ago=self.rng.randint(0, 41))
                    others += 1
        self.ctx.log(f"intake: {len(opinions) + others} voters' opinions through 代表码 "
                     f"({len(accepted)} accepted into visits, 3 closed)")

    def leave(self, code: IntakeCode, index: int, *, days_ago: int) -> Intake:
        """An opinion as the public page leaves it, from an address of its own, then dated ``days_ago``."""
        self.sent += 1
        category, text, name = OPINIONS[index % len(OPINIONS)]
        intake = services.intake_submit(code=code, category=category, text=text, name=name, phone="",
                                        sender_address=f"198.51.100.{self.sent % 250}" if self.sent < 250
                                        else f"203.0.113.{self.sent % 250}")
        day = timezone.localdate(self.now) - datetime.timedelta(days=max(days_ago, 0))
        when = timezone.make_aware(datetime.datetime.combine(  # in the day, not at night
            day, datetime.time(self.rng.randint(8, 21), self.rng.randint(0, 59))))
        if when > self.now:
            when = self.now - datetime.timedelta(minutes=self.rng.randint(5, 120))
        Intake.objects.filter(pk=intake.pk).update(created_at=when)
        intake.created_at = when
        return intake
