"""Demo liaison data modelled on 长春: this year's published plan, the contacts made so far (some members behind
pace), deputies' requests (some overdue), director's mailbox threads, invitations into the committee's work with
opinions and outcomes, and recommendations.

Run by ``manage.py seed_demo`` after ``apps.committee.demo``, whose members (``ctx.committee``) make the plan and
the contacts: about 600 contacts and 400+ person-times of invitations over two years at ``changchun`` scale. The
``member`` account (``ctx.account_member``, a vice director) contacts 张三丰 (the ``deputy`` account). The plan
follows the quota rules in force: ``plan_propose`` fills it, as staff would with "propose assignments". Rows are
bulk-inserted; the plan year is today's, and contacts run from 1 January to today, so the compliance page has
something to show whatever the day.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import connection
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from apps.core.demo import DemoContext, wipe
from apps.deputies.models import Level, Mandate
from apps.deputies.demo_support import chinese_numeral
from apps.liaison.models import (
    Channel, Contact, DeputyRequest, Invitation, Invitee, LiaisonAssignment, LiaisonPlan, MailboxMessage,
    MailboxThread, Opinion, QuotaRule, Recommendation, ReminderLog, RequestNote,
)

BEHIND_SHARE = 0.2  # of members, some of whose assignments lag behind the pace expected by today

CHANNEL_WEIGHTS = [(Channel.VISIT, 30), (Channel.PHONE, 25), (Channel.WECHAT, 20), (Channel.SYMPOSIUM, 10),
                   (Channel.INSPECTION, 10), (Channel.LETTER, 5)]
TOPICS = ["老旧小区改造", "冬季供热保障", "城市公交线网优化", "中小学课后服务", "基层医疗服务能力", "黑土地保护",
          "营商环境优化", "养老服务体系建设", "背街小巷整治", "汽车产业链配套", "农村人居环境整治", "就业创业扶持",
          "生态环境保护", "食品安全监管", "停车难问题", "物业服务管理"]
REQUESTS = {
    DeputyRequest.Category.URBAN: ["建议对{place}老旧小区外墙保温进行改造", "反映{place}路段积水严重，建议改造排水管网",
                                   "建议在{place}增设公共停车泊位"],
    DeputyRequest.Category.EDUCATION: ["建议扩大{place}中小学课后服务覆盖面", "反映{place}学校周边交通拥堵，建议加强疏导"],
    DeputyRequest.Category.HEALTH: ["建议提升{place}社区卫生服务中心的服务能力"],
    DeputyRequest.Category.AGRICULTURE: ["建议加大{place}黑土地保护性耕作补贴力度", "反映{place}农田水利设施老化，建议维修"],
    DeputyRequest.Category.SOCIAL: ["建议在{place}增设社区养老服务站", "反映{place}灵活就业人员参保不便"],
    DeputyRequest.Category.ENVIRONMENT: ["反映{place}附近企业夜间噪声扰民", "建议加强{place}河道垃圾清理"],
    DeputyRequest.Category.ECONOMY: ["建议为{place}中小企业提供融资对接服务"],
    DeputyRequest.Category.WORK: ["建议常委会组织代表更多参与{place}立法调研"],
}
PLACES = ["南关区", "宽城区", "朝阳区", "二道区", "绿园区", "双阳区", "九台区", "农安县", "榆树市", "德惠市", "公主岭市",
          "净月区", "新区"]
ANSWERS = ["已转交承办单位办理，计划年内完成改造。", "承办单位已现场核查，问题已解决。", "已纳入明年工作计划，将分步实施。",
           "经研究，已制定专项方案并组织实施。"]
NOTES = ["已电话联系承办单位，正在核实情况。", "承办单位反馈：已安排现场勘查。", "已督促承办单位加快办理进度。"]
MAILBOX = [("关于冬季供热温度不达标的反映", "我所在小区今冬室温长期不达标，恳请督促供热企业整改。"),
           ("建议加强学校周边交通安全管理", "上下学时段学校周边车辆乱停乱放，存在安全隐患。"),
           ("关于农村道路养护的建议", "部分村屯道路破损严重，建议加大养护资金投入。"),
           ("建议完善社区养老服务设施", "社区老年人多，日间照料设施不足。"),
           ("关于优化营商环境的几点意见", "企业反映部分审批事项办理时限较长。"),
           ("建议增设公交线路", "新建小区居民出行不便，建议增设公交线路。")]
MAILBOX_ANSWER = "您的来信已收悉，已转交相关部门研究办理，办理结果将及时向您反馈。感谢您对常委会工作的关心和支持。"
INVITATIONS = {
    Invitation.Kind.ATTEND_MEETING: ["市人大常委会第{n}次会议", "市人大常委会第{n}次会议专题询问"],
    Invitation.Kind.LEGISLATIVE_HEARING: ["《长春市物业管理条例（修订草案）》立法论证会", "《长春市黑土地保护条例（草案）》立法论证会",
                                          "《长春市养老服务条例（草案）》立法听证会", "《长春市城市供热条例（修订草案）》立法论证会"],
    Invitation.Kind.ENFORCEMENT_CHECK: ["《中华人民共和国食品安全法》执法检查", "《吉林省安全生产条例》执法检查",
                                        "《中华人民共和国大气污染防治法》执法检查"],
    Invitation.Kind.INSPECTION: ["城市更新项目建设情况视察", "冬季供热工作视察", "重点民生实事推进情况视察"],
    Invitation.Kind.SURVEY: ["优化营商环境工作调研", "农村人居环境整治调研", "基层医疗卫生服务体系建设调研"],
}
KIND_WEIGHTS = [(Invitation.Kind.ATTEND_MEETING, 35), (Invitation.Kind.LEGISLATIVE_HEARING, 20),
                (Invitation.Kind.ENFORCEMENT_CHECK, 15), (Invitation.Kind.INSPECTION, 15), (Invitation.Kind.SURVEY, 15)]
OPINIONS = ["建议进一步明确{topic}的责任主体", "建议加大{topic}的财政投入", "建议对{topic}建立长效监督机制",
            "建议在{topic}中更多听取群众意见", "建议细化{topic}相关条款的可操作性"]
NOT_ADOPTED = ["该建议与上位法规定不一致，暂不采纳，已向代表说明。", "相关事项已由其他法规规定，不再重复规定。",
               "受财力所限，今年暂不具备实施条件，将在今后工作中统筹考虑。"]
RECOMMENDATIONS = {
    Recommendation.Role.TV_INQUIRY: ["长春广播电视台《电视问政》"],
    Recommendation.Role.COURT_HEARING: ["长春市中级人民法院", "南关区人民法院", "朝阳区人民法院", "绿园区人民法院"],
    Recommendation.Role.SOFT_ENVIRONMENT: ["长春市营商环境建设局"],
    Recommendation.Role.POLICE_CONDUCT: ["长春市公安局"],
}
# Invitations per year and deputies per invitation: about 400 person-times over two years at 长春 scale.
INVITATION_SPEC = {"changchun": (24, (5, 14)), "small": (3, (3, 6))}
RECOMMENDATION_COUNT = {"changchun": 40, "small": 5}
MAILBOX_COUNT = {"changchun": 30, "small": 4}
REQUEST_SHARE = 0.2


def has_data() -> bool:
    return LiaisonPlan.objects.exists()


def seed(ctx: DemoContext) -> None:
    _LiaisonBuilder(ctx).build()


def reset(ctx: DemoContext) -> None:
    """Delete the liaison demo data (the default quota rules, which the migration made, stay; the committee's
    members are ``apps.committee.demo``'s)."""
    from django.apps import apps

    history = apps.get_model("liaison", "HistoricalContact_participants")
    with connection.cursor() as cursor:
        for model in (history, Contact.participants.through):
            cursor.execute(f'DELETE FROM "{model._meta.db_table}"')
        cursor.execute(f'DELETE FROM "{QuotaRule._meta.db_table}" WHERE jurisdiction_id IS NOT NULL')
    wipe(Opinion, Invitee, Invitation, Recommendation, MailboxMessage, MailboxThread, RequestNote, DeputyRequest,
         Contact, ReminderLog, LiaisonAssignment, LiaisonPlan)


def _pick(rng, weighted):
    values, weights = zip(*weighted)
    return rng.choices(values, weights)[0]


class _LiaisonBuilder:
    def __init__(self, ctx: DemoContext):
        self.ctx = ctx
        self.rng = ctx.rng
        self.today = timezone.localdate()
        self.year = self.today.year
        self.now = timezone.now()
        self.staff = ctx.accounts["staff"]
        self.city = ctx.city
        mandates = [m for m in ctx.mandates if m.status == Mandate.Status.SERVING]
        self.municipal = [m for m in mandates if m.level == Level.MUNICIPAL]
        self.city_mandates = [m for m in mandates if m.level in (Level.NATIONAL, Level.PROVINCIAL, Level.MUNICIPAL)]
        self.people_by_pk = {p.pk: p for p in ctx.people}
        self.committee, self.account_member = ctx.committee, ctx.account_member
        self.people_by_pk[self.account_member.person_id] = self.account_member.person  # renamed after the account
        self.by_delegation: dict[int, list[int]] = defaultdict(list)
        self.by_group: dict[int, list[int]] = defaultdict(list)
        for m in mandates:
            if m.delegation_id:
                self.by_delegation[m.delegation_id].append(m.person_id)
            if m.group_id:
                self.by_group[m.group_id].append(m.person_id)

    def build(self) -> None:
        self.plan()
        self.contacts()
        self.requests()
        self.mailbox()
        self.invitations()
        self.recommendations()
        ctx = self.ctx
        ctx.log(f"liaison: {len(self.committee)} committee members, {len(self.assignments)} assignments in the "
                f"{self.year} plan, {len(self.contact_rows)} contacts, {len(self.request_rows)} requests, "
                f"{self.threads} mailbox threads, {self.invitation_count} invitations ({self.invitee_count} "
                f"person-times), {self.recommendation_count} recommendations")

    # --- the plan ----------------------------------------------------------------------------------------------
    def plan(self) -> None:
        from apps.liaison.services.plans import plan_propose

        ctx = self.ctx
        plan = LiaisonPlan.objects.create(jurisdiction=self.city, year=self.year,
                                          status=LiaisonPlan.Status.PUBLISHED, published_at=self.now,
                                          published_by=self.staff)
        # The member account contacts 张三丰 (the deputy account): both see the other in the demo.
        zhang = next(m for m in self.municipal if m.person_id == ctx.zhang_sanfeng.pk)
        LiaisonAssignment.objects.create(plan=plan, member=self.account_member, mandate=zhang, contacts_per_year=4)
        plan_propose(plan=plan)  # fills every quota in force, as "propose assignments" does
        self.plan_obj = plan
        self.assignments = list(plan.assignments.select_related("mandate").order_by("member_id", "pk"))

    # --- contacts ----------------------------------------------------------------------------------------------
    def _date(self) -> datetime.date:
        start = datetime.date(self.year, 1, 1)
        return start + datetime.timedelta(days=self.rng.randint(0, (self.today - start).days))

    def contacts(self) -> None:
        from apps.liaison import rules

        rng = self.rng
        others = [m for m in self.committee if m.pk != self.account_member.pk]
        behind = {m.pk for m in rng.sample(others, max(2, round(len(self.committee) * BEHIND_SHARE)))}
        behind.add(self.account_member.pk)  # the member account has one assignment behind: a reminder to see
        members_by_pk = {m.pk: m for m in self.committee}
        rows, participants = [], []
        lagging_done: set[int] = set()
        for a in self.assignments:
            expected = rules.expected_contacts(a.contacts_per_year, self.today, year=self.year)
            member = members_by_pk[a.member_id]
            if a.member_id in behind and expected and (a.member_id not in lagging_done or rng.random() < 0.5):
                lagging_done.add(a.member_id)
                n = max(0, expected - rng.choice([1, 1, 2]))
            else:
                n = min(a.contacts_per_year, expected + rng.choice([0, 0, 1]))
            for _i in range(n):
                if a.mandate_id:
                    channel = _pick(rng, CHANNEL_WEIGHTS)
                    people = [a.mandate.person_id]
                    name = self.people_by_pk[a.mandate.person_id].name
                    summary = f"{Channel(channel).label}联系{name}代表，听取其关于{rng.choice(TOPICS)}的意见建议。"
                    contact = Contact(member_id=a.member_id, date=self._date(), channel=channel, summary=summary)
                elif a.delegation_id:
                    pool = self.by_delegation.get(a.delegation_id, [])
                    people = rng.sample(pool, min(len(pool), rng.randint(3, 8)))
                    contact = Contact(member_id=a.member_id, date=self._date(), channel=Channel.SYMPOSIUM,
                                      delegation_id=a.delegation_id,
                                      summary=f"参加代表团座谈会，听取代表对{rng.choice(TOPICS)}的意见。")
                else:
                    pool = self.by_group.get(a.group_id, [])
                    people = rng.sample(pool, min(len(pool), rng.randint(3, 8)))
                    contact = Contact(member_id=a.member_id, date=self._date(), channel=Channel.GROUP_ACTIVITY,
                                      group_id=a.group_id,
                                      summary=f"参加代表小组活动，围绕{rng.choice(TOPICS)}开展调研。")
                contact.created_by = member.user or self.staff
                rows.append(contact)
                participants.append(people)
        self.contact_rows = bulk_create_with_history(rows, Contact, batch_size=2000)
        through = Contact.participants.through
        through.objects.bulk_create([through(contact_id=c.pk, person_id=pk)
                                     for c, people in zip(self.contact_rows, participants) for pk in people],
                                    batch_size=5000)
        self._stamp(self.contact_rows, lambda c: c.date)
        self.contact_people = participants

    def _stamp(self, rows, when, field="created_at") -> None:
        """Give bulk-inserted rows the creation time of their story (``auto_now_add`` set them to now)."""
        tz = timezone.get_current_timezone()
        for row in rows:
            day = when(row)
            setattr(row, field, datetime.datetime.combine(day, datetime.time(9 + self.rng.randint(0, 8),
                                                                             self.rng.randint(0, 59)), tz))
        if rows:
            type(rows[0]).objects.bulk_update(rows, [field], batch_size=2000)

    # --- requests ----------------------------------------------------------------------------------------------
    def requests(self) -> None:
        rng, today = self.rng, self.today
        units = self.ctx.handling_units
        zhang = self.ctx.zhang_sanfeng.pk
        rows, notes = [], []
        for contact, people in zip(self.contact_rows, self.contact_people):
            if contact.channel in (Channel.SYMPOSIUM, Channel.GROUP_ACTIVITY):
                continue
            is_zhang = people == [zhang]
            if not is_zhang and rng.random() >= REQUEST_SHARE:
                continue
            category = rng.choice(list(REQUESTS))
            content = rng.choice(REQUESTS[category]).format(place=rng.choice(PLACES))
            due = contact.date + datetime.timedelta(days=30)
            request = DeputyRequest(contact=contact, person_id=people[0], category=category, content=content,
                                    office=rng.choice(units), due_date=due)
            roll = rng.random()
            if due < today - datetime.timedelta(days=10) and (roll < 0.7 or is_zhang):
                request.status = DeputyRequest.Status.CLOSED
                request.answer = rng.choice(ANSWERS)
                request.closed_at = datetime.datetime.combine(
                    min(due - datetime.timedelta(days=rng.randint(0, 20)), today), datetime.time(15),
                    timezone.get_current_timezone())
            elif roll < 0.85:
                request.status = DeputyRequest.Status.IN_PROGRESS
            rows.append(request)
        self.request_rows = bulk_create_with_history(rows, DeputyRequest)
        self._stamp(self.request_rows, lambda r: r.contact.date)
        for request in self.request_rows:
            if request.status != DeputyRequest.Status.OPEN:
                notes.append(RequestNote(request=request, author=self.staff, text=rng.choice(NOTES)))
        RequestNote.objects.bulk_create(notes)
        self._stamp(notes, lambda n: min(n.request.contact.date + datetime.timedelta(days=7), today))

    # --- the director's mailbox --------------------------------------------------------------------------------
    def mailbox(self) -> None:
        rng, today = self.rng, self.today
        ctx = self.ctx
        deputy = ctx.accounts["deputy"]
        start = today - datetime.timedelta(days=300)
        threads, authors, days = [], [], []
        # 张三丰's own: one answered, one new; then letters staff recorded for deputies without an account.
        senders = [(ctx.zhang_sanfeng.pk, deputy, MailboxThread.Status.ANSWERED),
                   (ctx.zhang_sanfeng.pk, deputy, MailboxThread.Status.NEW)]
        statuses = [(MailboxThread.Status.ANSWERED, 4), (MailboxThread.Status.CLOSED, 3),
                    (MailboxThread.Status.ASSIGNED, 2), (MailboxThread.Status.NEW, 1)]
        for _i in range(MAILBOX_COUNT[ctx.scale]):
            senders.append((rng.choice(self.municipal).person_id, self.staff, _pick(rng, statuses)))
        for index, (person_id, author, status) in enumerate(senders):
            subject, _body = MAILBOX[index % len(MAILBOX)]
            threads.append(MailboxThread(jurisdiction=self.city, person_id=person_id, subject=subject, status=status,
                                         assigned_to=None if status == MailboxThread.Status.NEW else self.staff))
            authors.append(author)
            days.append(start + datetime.timedelta(days=rng.randint(0, 300)))
        threads = bulk_create_with_history(threads, MailboxThread)
        day_of = {t.pk: d for t, d in zip(threads, days)}
        self._stamp(threads, lambda t: day_of[t.pk])
        messages = []
        for index, (thread, author) in enumerate(zip(threads, authors)):
            messages.append(MailboxMessage(thread=thread, author=author, body=MAILBOX[index % len(MAILBOX)][1]))
            if thread.status in (MailboxThread.Status.ANSWERED, MailboxThread.Status.CLOSED):
                messages.append(MailboxMessage(thread=thread, author=self.staff, body=MAILBOX_ANSWER, is_answer=True))
        MailboxMessage.objects.bulk_create(messages)
        self._stamp(messages, lambda m: min(day_of[m.thread_id] + datetime.timedelta(days=10 if m.is_answer else 0),
                                            today))
        self.threads = len(threads)

    # --- invitations, opinions, outcomes -----------------------------------------------------------------------
    def invitations(self) -> None:
        rng, ctx, today = self.rng, self.ctx, self.today
        per_year, (low, high) = INVITATION_SPEC[ctx.scale]
        zhang = ctx.zhang_sanfeng.pk
        pool = sorted({m.person_id for m in self.city_mandates})
        invitations, invitees_for = [], []
        meeting = 10
        for year in (self.year - 1, self.year):
            last = datetime.date(year, 12, 31) if year < self.year else today
            days = (last - datetime.date(year, 1, 1)).days
            count = per_year if year < self.year else max(1, round(per_year * (days + 1) / 365))
            for i in range(count):
                kind = _pick(rng, KIND_WEIGHTS)
                meeting += 1
                title = rng.choice(INVITATIONS[kind]).format(n=chinese_numeral(meeting))
                date = datetime.date(year, 1, 1) + datetime.timedelta(days=int(days * (i + rng.random()) / count))
                invitations.append(Invitation(jurisdiction=self.city, kind=kind, title=title, date=date))
                people = rng.sample(pool, min(len(pool), rng.randint(low, high)))
                if i % max(1, count // 2) == 0 and zhang not in people:
                    people.append(zhang)  # the deputy account is invited about twice a year
                invitees_for.append(people)
        invitations = bulk_create_with_history(invitations, Invitation)
        invitees = []
        for invitation, people in zip(invitations, invitees_for):
            for pk in people:
                invitees.append(Invitee(invitation=invitation, person_id=pk, attended=rng.random() < 0.88))
        invitees = bulk_create_with_history(invitees, Invitee, batch_size=2000)
        dates = {i.pk: i.date for i in invitations}
        opinions = []
        zhang_outcomes = iter([Opinion.Outcome.ADOPTED, Opinion.Outcome.NOT_ADOPTED])
        for invitee in invitees:
            if not invitee.attended or (rng.random() > 0.45 and invitee.person_id != zhang):
                continue
            age = (today - dates[invitee.invitation_id]).days
            if invitee.person_id == zhang:
                outcome = next(zhang_outcomes, Opinion.Outcome.PARTLY_ADOPTED)
            elif age < 45 and rng.random() < 0.6:
                outcome = Opinion.Outcome.PENDING
            else:
                outcome = _pick(rng, [(Opinion.Outcome.ADOPTED, 45), (Opinion.Outcome.PARTLY_ADOPTED, 30),
                                      (Opinion.Outcome.NOT_ADOPTED, 12), (Opinion.Outcome.PENDING, 13)])
            opinions.append(Opinion(
                invitee=invitee, content=rng.choice(OPINIONS).format(topic=rng.choice(TOPICS)), outcome=outcome,
                explanation=rng.choice(NOT_ADOPTED) if outcome == Opinion.Outcome.NOT_ADOPTED else ""))
        bulk_create_with_history(opinions, Opinion, batch_size=2000)
        self.invitation_count, self.invitee_count = len(invitations), len(invitees)

    # --- recommendations ---------------------------------------------------------------------------------------
    def recommendations(self) -> None:
        rng, ctx = self.rng, self.ctx
        rows = [Recommendation(person_id=ctx.zhang_sanfeng.pk, jurisdiction=self.city,
                               role=Recommendation.Role.TV_INQUIRY, organisation="长春广播电视台《电视问政》",
                               start_date=datetime.date(self.year, 1, 1), end_date=datetime.date(self.year, 12, 31))]
        for _i in range(RECOMMENDATION_COUNT[ctx.scale] - 1):
            role = rng.choice(list(RECOMMENDATIONS))
            start = datetime.date(self.year - rng.randint(0, 2), rng.randint(1, 12), 1)
            if role in (Recommendation.Role.SOFT_ENVIRONMENT, Recommendation.Role.POLICE_CONDUCT):
                end = datetime.date(start.year + 2, start.month, 1) - datetime.timedelta(days=1)  # a two-year post
            else:
                end = start + datetime.timedelta(days=rng.choice([0, 0, 180, 364]))  # one programme, or a season
            rows.append(Recommendation(person_id=rng.choice(self.municipal).person_id, jurisdiction=self.city,
                                       role=role, organisation=rng.choice(RECOMMENDATIONS[role]), start_date=start,
                                       end_date=end))
        bulk_create_with_history(rows, Recommendation)
        self.recommendation_count = len(rows)

