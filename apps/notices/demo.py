"""Demo notices (通知公告) of the city office over the last months, published through the services.

Run by ``manage.py seed_demo`` after ``apps.covenant.demo`` (and the training demo, whose upcoming city training
session a meeting notice names). A dozen notices of the city office (``staff``) from four months ago to today, a
few pinned, one ended, one scheduled for next week (no receipts yet), and two meeting notices with a reply
deadline: one naming the city's next training session (``target_kind``/``target_id``, through the registry of
meeting targets), one the next standing committee meeting when there is one; and three notices of 南关区
(``staff_nanguan``). ``notice_create`` publishes each one (set-based: one INSERT … SELECT of its receipts), so the
recipients are the accounts the choices resolve to: 张三丰 (the ``deputy`` account), the ``member`` account, the
staff. The publishing times are then set back to each notice's story; the ``deputy`` account has read his
notices but the newest two, and replied to the meeting notices (参加 the training, 请假 the committee meeting, the
``member`` account 参加). The notices do not grow with the scale: their recipients are the accounts, not the roster.

Its own ``random.Random("notices-demo")``, so that the draws of the seeders after it are those they always were.
"""

from __future__ import annotations

import datetime
import random

from django.db import connection
from django.utils import timezone

from apps.core.demo import DemoContext, wipe
from apps.core.registry import meeting_targets
from apps.deputies.models import Level
from apps.notices import services
from apps.notices.models import Notice, NoticeAttachment, NoticeReceipt

# (days ago, title, body, pinned, choices): the city office's notices, oldest first. Choices: "all" every serving
# deputy of the city, "municipal" the municipal deputies, "staff" the staff role, "delegation" 南关区代表团.
CITY_NOTICES = [
    (118, "关于做好代表建议办理情况答复工作的通知",
     "<p>各承办单位、各代表团：</p><p>请按照《长春市人民代表大会代表建议、批评和意见办理办法》，在规定期限内完成代表建议的"
     "答复工作，答复前与领衔代表充分沟通。</p>", False, ("municipal", "staff")),
    (104, "关于开展“人大代表在行动”主题实践活动的通知",
     "<p>各位代表：</p><p>为深入践行全过程人民民主，市人大常委会决定在全市开展“人大代表在行动”主题实践活动，请各代表小组"
     "结合实际制定活动方案，于月底前报代表工作委员会。</p>", False, ("all",)),
    (90, "关于印发《市人大代表履职登记管理办法》的通知",
     "<p>各位代表：</p><p>现将《市人大代表履职登记管理办法》印发给你们，请认真遵照执行。代表参加闭会期间活动，应在活动"
     "结束后十日内通过平台进行履职登记。</p>", True, ("municipal",)),
    (76, "关于征求《长春市物业管理条例（修订草案）》意见的通知",
     "<p>各位代表：</p><p>《长春市物业管理条例（修订草案）》已提请市人大常委会会议审议，现征求代表意见。请于本月25日前"
     "将书面意见反馈至市人大常委会法制工作委员会。</p>", False, ("municipal",)),
    (63, "关于做好代表联系人民群众工作的通知",
     "<p>各代表团、各代表小组：</p><p>请依托代表工作站、代表之家，定期开展接待选民活动，认真收集和反映群众意见建议，做好"
     "接待记录和跟踪反馈。</p>", False, ("all",)),
    (49, "关于报送年度代表履职情况的通知",
     "<p>各代表团：</p><p>请组织本团代表认真填报年度履职情况，并于下月10日前统一报送代表工作委员会。</p>", False,
     ("delegation", "staff")),
    (35, "关于开展冬季供热保障专题调研的通知",
     "<p>各位代表：</p><p>市人大常委会将于近期组织代表开展冬季供热保障专题调研，请有意参加的代表与代表工作委员会联系。</p>",
     False, ("municipal",)),
    (21, "关于加强代表履职平台账号安全管理的通知",
     "<p>各位代表、各位工作人员：</p><p>请妥善保管平台账号和密码，首次登录后及时修改初始密码，不得将账号转借他人使用。</p>",
     True, ("all", "staff")),
    (7, "关于转发《全国人大常委会办公厅关于进一步加强代表工作能力建设的意见》的通知",
     "<p>各位代表：</p><p>现将《意见》转发给你们，请结合履职实际认真学习贯彻。</p>", False, ("municipal",)),
    (2, "关于做好年度代表述职工作的通知",
     "<p>各代表团、各代表小组：</p><p>请按照市人大常委会统一部署，组织代表向原选区选民报告履职情况，接受选民评议。</p>",
     True, ("all",)),
]
SCHEDULED = ("关于召开全市代表工作会议的预通知",
             "<p>各位代表：</p><p>市人大常委会拟于近期召开全市代表工作会议，具体时间和地点另行通知，请提前做好工作安排。</p>")
COUNTY_NOTICES = [
    (40, "关于开展区人大代表集中视察活动的通知",
     "<p>各位区人大代表：</p><p>区人大常委会定于下月组织代表集中视察全区重点民生项目，请各代表小组做好准备。</p>"),
    (18, "关于南关区代表之家接待日安排的通知",
     "<p>各位代表：</p><p>现将本季度南关区各代表之家接待日安排印发给你们，请按时到岗接待选民。</p>"),
    (4, "关于报送区人大代表议案建议办理评价的通知",
     "<p>各位代表：</p><p>请对本年度所提议案建议的办理情况进行评价，并于本月底前反馈区人大常委会代表工作室。</p>"),
]
LEAVE_REASON = "同日参加全国人大代表专题调研，无法出席"


def has_data() -> bool:
    return Notice.objects.exists()


def seed(ctx: DemoContext) -> None:
    _NoticeBuilder(ctx).build()


def reset(ctx: DemoContext) -> None:
    """Delete every notice with its receipts, attachments (rows; the files stay) and recipient choices."""
    through = [Notice.jurisdictions.through, Notice.delegations.through, Notice.groups.through,
               Notice.people.through]
    with connection.cursor() as cursor:
        for model in through:
            cursor.execute(f'DELETE FROM "{model._meta.db_table}"')
    wipe(NoticeReceipt, NoticeAttachment, Notice)


class _NoticeBuilder:
    def __init__(self, ctx: DemoContext):
        self.ctx = ctx
        self.rng = random.Random("notices-demo")  # never ctx.rng: the later seeders' draws stay as they were
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.staff = ctx.accounts["staff"]
        self.county_staff = ctx.accounts.get("staff_nanguan")
        self.deputy = ctx.accounts["deputy"]
        self.member = ctx.accounts["member"]
        self.published: list[tuple[Notice, datetime.datetime]] = []  # (notice, when it was published)

    def build(self) -> None:
        for days_ago, title, body, pinned, choices in CITY_NOTICES:
            self.publish_past(self.staff, self.ctx.city, days_ago, title, body, pinned, choices)
        nanguan = self.ctx.counties.get("南关区")
        if self.county_staff is not None and nanguan is not None:
            for days_ago, title, body in COUNTY_NOTICES:
                self.publish_past(self.county_staff, nanguan, days_ago, title, body, False, ("all", "staff"))
        meetings = self.meeting_notices()
        scheduled = services.notice_create(
            user=self.staff, jurisdiction=self.ctx.city, title=SCHEDULED[0], body=SCHEDULED[1], all_serving=True,
            roles=["staff"], publish_at=self.at(self.today + datetime.timedelta(days=7), 9))
        self.restamp()
        self.read_and_reply(meetings)
        receipts = NoticeReceipt.objects.count()
        self.ctx.log(f"notices: {len(self.published) + 1} notices ({len(meetings)} meeting notices, "
                     f"1 scheduled for {timezone.localdate(scheduled.publish_at):%Y-%m-%d}), {receipts} receipts")

    def at(self, day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))

    def choices(self, choices) -> dict:
        delegation = self.ctx.delegations.get("南关区代表团")
        return {"all_serving": "all" in choices, "levels": [Level.MUNICIPAL] if "municipal" in choices else [],
                "roles": ["staff"] if "staff" in choices else [],
                "delegations": [delegation] if "delegation" in choices and delegation else []}

    def publish_past(self, user, jurisdiction, days_ago, title, body, pinned, choices) -> None:
        """Create and publish a notice now through the service; ``restamp`` later moves it to its day."""
        when = self.at(self.today - datetime.timedelta(days=days_ago), self.rng.choice((9, 10, 14, 15)),
                       self.rng.choice((0, 15, 30, 45)))
        when = min(when, self.now)
        ends_on = self.today - datetime.timedelta(days=days_ago - 30) if days_ago == 118 else None
        notice = services.notice_create(user=user, jurisdiction=jurisdiction, title=title, body=body, pinned=pinned,
                                        publish_at=when, ends_on=ends_on, **self.choices(choices))
        self.published.append((notice, when))

    def meeting_notices(self) -> list[Notice]:
        """A training notice naming the city's next training session, and a standing committee meeting notice
        naming the next committee meeting (a plain meeting notice when the covenant demo left none to come)."""
        rows = []
        session = self.next_record("training_session")
        day = session.date if session else self.today + datetime.timedelta(days=20)
        title = f"关于参加{session.program.title}的通知" if session else "关于参加市人大代表专题培训的通知"
        rows.append(self.meeting(
            kind=Notice.Kind.TRAINING_SESSION, title=title, day=day, days_ago=3, record=session,
            target_kind="training_session",
            body=(f"<p>各位市人大代表：</p><p>市人大常委会定于{day:%Y年%-m月%-d日}上午9时在市人大常委会机关会议室举办专题培训，"
                  "请准时参加。不能参加的，请在回执中说明请假理由。</p>"),
            choices={"levels": [Level.MUNICIPAL]}))
        meeting = self.next_record("committee_meeting")
        day = meeting.start_date if meeting else self.today + datetime.timedelta(days=14)
        title = f"关于召开{meeting.title}的通知" if meeting else "关于召开市人大常委会会议的通知"
        zhang = self.deputy.person
        rows.append(self.meeting(
            kind=Notice.Kind.STANDING_COMMITTEE, title=title, day=day, days_ago=1, record=meeting,
            target_kind="committee_meeting",
            body=(f"<p>各位常委会组成人员、列席代表：</p><p>{title.removeprefix('关于召开').removesuffix('的通知')}定于"
                  f"{day:%Y年%-m月%-d日}上午9时在市人大常委会第一会议室举行，请准时出席。</p>"),
            choices={"roles": ["member"], "people": [zhang] if zhang else []}))
        return rows

    def next_record(self, key: str):
        """The first record of that kind the city ``staff`` may name, from tomorrow on (None without one)."""
        target = meeting_targets().get(key)
        if target is None:
            return None
        return (target.records(self.staff).select_related(*target.select_related)
                .filter(**{f"{target.date_field}__gt": self.today}).order_by(target.date_field, "pk").first())

    def meeting(self, *, kind, title, day, days_ago, record, target_kind, body, choices) -> Notice:
        when = min(self.at(self.today - datetime.timedelta(days=days_ago), 10), self.now)
        deadline = max(self.at(day - datetime.timedelta(days=2), 17), self.now + datetime.timedelta(days=1))
        notice = services.notice_create(
            user=self.staff, jurisdiction=self.ctx.city, kind=kind, title=title, body=body, publish_at=when,
            meeting_at=self.at(day, 9), reply_deadline=deadline,
            target_kind=target_kind if record else "", target_id=record.pk if record else None, **choices)
        self.published.append((notice, when))
        return notice

    def restamp(self) -> None:
        """Give the notices published now the times of their story: created an hour before publishing."""
        with connection.cursor() as cursor:
            for notice, when in self.published:
                cursor.execute(f'UPDATE "{Notice._meta.db_table}" SET created_at = %s, published_at = %s '
                               "WHERE id = %s", [when - datetime.timedelta(hours=1), when, notice.pk])

    def read_and_reply(self, meetings: list[Notice]) -> None:
        """Through the services: 张三丰 reads all but the latest two notices and replies to the meeting
        notices; the staff read the notices older than a week; the ``member`` account replies 参加. Then the
        read and reply times are set back to a day or so after each notice was published."""
        when = {notice.pk: published for notice, published in self.published}
        receipts = list(NoticeReceipt.objects.filter(notice_id__in=list(when)).select_related("notice", "user")
                        .order_by("notice_id", "user_id"))
        own = sorted((when[r.notice_id], r.notice_id) for r in receipts
                     if r.user_id == self.deputy.pk and not r.notice.is_meeting)
        latest = {notice_id for _w, notice_id in own[-2:]}  # 张三丰's two newest notices stay unread
        times = []
        for receipt in receipts:
            published = when[receipt.notice_id]
            user = receipt.user
            if receipt.notice.is_meeting:
                if user.pk == self.deputy.pk:
                    leave = receipt.notice.kind == Notice.Kind.STANDING_COMMITTEE
                    services.notice_reply(receipt=receipt, reply=NoticeReceipt.Reply.LEAVE if leave else
                                          NoticeReceipt.Reply.ATTEND, reason=LEAVE_REASON if leave else "")
                elif user.pk == self.member.pk:
                    services.notice_reply(receipt=receipt, reply=NoticeReceipt.Reply.ATTEND)
                else:
                    continue
            elif user.pk == self.deputy.pk:
                if receipt.notice_id in latest:
                    continue
                services.notice_read(receipt=receipt)
            elif published < self.now - datetime.timedelta(days=7) and self.rng.random() < 0.8:
                services.notice_read(receipt=receipt)
            else:
                continue
            # Within office hours: published between 9:00 and 15:45, read an hour to two days later.
            read = min(published + datetime.timedelta(hours=self.rng.choice((1, 2, 3, 5, 24, 26, 48))), self.now)
            times.append((read, read if receipt.notice.is_meeting else None, receipt.pk))
        with connection.cursor() as cursor:
            cursor.executemany(f'UPDATE "{NoticeReceipt._meta.db_table}" SET read_at = %s, '
                               "replied_at = COALESCE(%s, replied_at) WHERE id = %s", times)
