"""Each demo item's story, told as the services would write it, up to today: the sessions, one item's walk
through its states (``_Builder.walk``), a year of items with their random fates, and writing every row with
COPY."""

from __future__ import annotations

import datetime
import itertools
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone

from apps.core import calendar
from apps.core.demo import UNIT_ACCOUNT_UNIT, DemoContext
from apps.core.models import AuditEvent
from apps.deputies.demo_support import chinese_numeral
from apps.deputies.models import Level, Mandate, Session
from apps.proposals import rules
from apps.proposals.demo.account_items import AccountItems
from apps.proposals.demo.texts import (
    CATEGORY_WEIGHTS, CLASS_WEIGHTS, CLASS_WEIGHTS_ROUND_2, CLOSINGS, CO_OPINIONS, COMMITTEE_BY_CATEGORY,
    COMMUNICATIONS, CONVERT_REASONS, DOCKET_OPINION, EXTENSION_REASONS, MEANS_WEIGHTS, MOTION_MATTERS, PROGRESS,
    REGULATIONS, REPLIES, RETURN_REASONS, SATISFIED_COMMENTS, SUPERVISION_RECORDS, TOPICS, UNIT_RETURN_REASONS,
    UNITS_BY_CATEGORY, UNSATISFIED_COMMENTS, WITHDRAW_REASONS,
)
from apps.proposals.models import (
    Assignment, Category, Communication, Deadline, ExtensionRequest, FollowUp, Kind, MergeGroup, Proposal, Rating,
    Reply, ReplyClass, Signature, Supervision, SupervisionRecord,
)

S = Proposal.State
DAY = datetime.timedelta(days=1)

# Suggestions and motions a year (a range for motions) at each scale.
VOLUME = {"changchun": (1500, (5, 10)), "small": (100, (2, 2))}
DURING_SESSION_SHARE = 0.65
MERGE_GROUPS = {"changchun": 10, "small": 1}   # a year, of 2–4 items raised at the session
KEY_ITEMS = {"changchun": 15, "small": 2}       # a year (重点建议)
ODD_CHOICE = 0.04  # of suggestions, given to a unit of their category that their topic does not name


# --- sessions --------------------------------------------------------------------------------------------------

def _session_day(term, year: int, index: int) -> tuple[datetime.date, int]:
    """When the term's yearly session opens in ``year`` and how many days it sits (the city's in January, as
    the activities demo has it; the national congress in March)."""
    if term.level == Level.NATIONAL:
        return datetime.date(year, 3, 5), 7
    if term.level == Level.PROVINCIAL:
        return datetime.date(year, 1, 12), 5
    if term.level == Level.MUNICIPAL:
        return datetime.date(year, 1, 8), 3
    if term.level == Level.COUNTY:
        return datetime.date(year, 1, 12) + datetime.timedelta(days=index % 11), 3
    return datetime.date(year, 1, 18) + datetime.timedelta(days=index % 20), 1


def _sessions(ctx: DemoContext, today: datetime.date) -> dict[int, dict[int, Session]]:
    """Every term's sessions up to today: the first when the term opens, then one early each year."""
    rows = []
    for index, term in enumerate(ctx.terms):
        first = term.start_date
        rows.append(Session(term=term, number=1, name=f"{term.name}第一次会议", opens_on=first,
                            closes_on=first + datetime.timedelta(days=_session_day(term, first.year, index)[1])))
        for year in range(first.year + 1, today.year + 1):
            opens, length = _session_day(term, year, index)
            opens = calendar.roll_to_working_day(opens)
            if opens > today:
                break
            number = year - first.year + 1
            rows.append(Session(term=term, number=number, name=f"{term.name}第{chinese_numeral(number)}次会议",
                                opens_on=opens, closes_on=opens + datetime.timedelta(days=length)))
    Session.objects.bulk_create(rows, batch_size=2000)
    by_term: dict[int, dict[int, Session]] = defaultdict(dict)
    for session in rows:
        by_term[session.term_id][session.opens_on.year] = session
    return by_term


# --- one item's story ------------------------------------------------------------------------------------------

@dataclass
class Spec:
    """What an item is and how its story goes; the random draws fill in the rest."""

    year: int
    session: Session
    kind: str
    period: str
    created: datetime.date
    lead: Mandate
    cosigners: list
    category: Category
    title: str
    content: str
    keywords: str = ""
    topic: str = ""
    subject: object = None           # the demo's Topic (texts.TOPICS) a suggestion is about
    place: str = ""
    grounds: str = ""
    plan: str = ""
    is_legislative: bool = False
    draft_text: str = ""
    stop: str | None = None          # stop once the item reaches this state
    fate: str = ""                   # "return" | "withdraw" | "withdraw_registered"
    convert: bool = False            # a motion converted to a suggestion
    late: bool = False               # the lead unit replies after its deadline
    lead_return: bool = False        # the first lead unit returns it; staff reassign
    no_reassign: bool = False        # ... and staff have not reassigned it yet
    extension: str = ""              # "approved" | "refused" | "pending"
    key: bool = False
    unsatisfied: bool | None = None  # round 1 rated 不满意 (None: drawn)
    reply_class: str | None = None
    unit: object = None              # the lead unit (None: drawn from the category's units)
    co_units: list | None = None
    co_opinion_pending: bool = False
    follow_up: str = ""              # "due": the report is due | "reported": awaiting the deputy's answer
    pending: frozenset = frozenset()   # co-signers (person ids) who have not answered the invitation
    declined: frozenset = frozenset()  # co-signers who declined
    on_paper: bool = False
    group: object = None             # MergeGroup
    shared: dict = field(default_factory=dict)  # decisions shared by the items of a merge group


class _Rows:
    """The rows of one item, kept only when its story came out as wanted."""

    def __init__(self, proposal):
        self.proposal = proposal
        self.signatures, self.assignments, self.deadlines, self.communications = [], [], [], []
        self.replies, self.ratings, self.follow_ups, self.extensions, self.records = [], [], [], [], []
        self.history = []  # (when, by, action, before, after, note): the audit trail of its state changes
        self.supervision = None


class _Builder(AccountItems):
    """Builds every item in memory, then writes them (``build``)."""

    def __init__(self, ctx: DemoContext):
        from apps.committee.models import CommitteeMember, Post, SpecialCommittee

        self.ctx, self.rng = ctx, ctx.rng
        self.today = timezone.localdate()
        self.tz = timezone.get_current_timezone()
        self.years = [self.today.year - 2, self.today.year - 1, self.today.year]
        self.city = ctx.city
        self.staff = ctx.accounts["staff"]
        self.unit_user = ctx.accounts["unit"]
        self.deputy_user = ctx.accounts.get("deputy")
        self.units = {u.name: u for u in ctx.handling_units}
        self.all_units = list(ctx.handling_units)
        self.account_unit = self.units[UNIT_ACCOUNT_UNIT]
        self.categories = {c.name: c for c in Category.objects.all()}
        self.classes = {c.code: c for c in ReplyClass.objects.all()}
        self.rule = {kind: rules.rule_for(self.city, kind) for kind in (Kind.SUGGESTION, Kind.MOTION)}
        self.council = list(CommitteeMember.objects.filter(
            jurisdiction=self.city, post__in=[Post.DIRECTOR, Post.VICE_DIRECTOR, Post.SECRETARY_GENERAL])
            .order_by("pk"))
        self.committees = {c.name: c for c in SpecialCommittee.objects.filter(jurisdiction=self.city)}
        self.term = ctx.municipal_term
        self.deputies = sorted((m for m in ctx.mandates if m.term_id == self.term.pk
                                and m.status == Mandate.Status.SERVING), key=lambda m: m.pk)
        self.names = {p.pk: p.name for p in ctx.people}
        self.zhang = next(m for m in self.deputies if m.person_id == ctx.zhang_sanfeng.pk)
        # Some deputies raise many suggestions, most a few.
        self.cum_weights = list(itertools.accumulate(self.rng.paretovariate(1.6) for _m in self.deputies))
        self.kept: list[_Rows] = []
        self.groups: list[MergeGroup] = []

    # --- helpers -----------------------------------------------------------------------------------------------
    def at(self, day: datetime.date, first_hour: int = 8, last_hour: int = 17) -> datetime.datetime:
        rng = self.rng
        return datetime.datetime(day.year, day.month, day.day, rng.randint(first_hour, last_hour - 1),
                                 rng.randint(0, 59), tzinfo=self.tz)

    def wd(self, day: datetime.date, n: int) -> datetime.date:
        return calendar.add_working_days(day, n)

    def office_day(self, day: datetime.date) -> datetime.date:
        return calendar.roll_to_working_day(day)

    def pick_deputies(self, n: int, *, exclude=()) -> list[Mandate]:
        chosen, seen = [], set(exclude)
        while len(chosen) < n:
            mandate = self.rng.choices(self.deputies, cum_weights=self.cum_weights)[0]
            if mandate.person_id not in seen:
                seen.add(mandate.person_id)
                chosen.append(mandate)
        return chosen

    def place(self, with_street: bool = True) -> tuple[str, str]:
        """(place for "{p}", county for "{c}")."""
        rng = self.rng
        county = rng.choice(list(self.ctx.counties))
        roll = rng.random()
        if roll < 0.2 and with_street:
            return "我市", county
        if roll < 0.5 and with_street:
            return county + rng.choice(self.ctx.streets[county]), county
        return county, county

    def suggestion_text(self, category: str) -> dict:
        """A suggestion on one of the category's topics, in one of its wordings; staff register it under the
        topic's category or, now and then, another one it touches (``Topic.also``)."""
        rng = self.rng
        topic = rng.choice(TOPICS[category])
        phrase = rng.choice(topic.phrases)
        place, county = self.place()
        what = phrase.format(p=place, c=county)
        title = f"关于{what}的建议" if rng.random() < 0.9 else f"关于{what}的几点建议"
        where = place if "{p}" in phrase else county
        content = (f"{where}{rng.choice(topic.problems)}。建议{rng.choice(topic.asks)}。" + rng.choice(CLOSINGS))
        registered = _pick(rng, [(category, 100 - sum(share for _c, share in topic.also)), *topic.also])
        return {"title": title, "content": content, "keywords": topic.keywords,
                "topic": topic.keywords.split(",")[0], "place": where, "category": self.categories[registered],
                "subject": topic}

    def motion_text(self) -> dict:
        rng = self.rng
        if rng.random() < 0.5:
            law = rng.choice(REGULATIONS)
            title = f"关于制定《长春市{law}条例》的议案"
            return {"title": title, "content": "", "keywords": f"{law},地方立法", "topic": law, "place": "我市",
                    "category": self.categories["法治"], "is_legislative": True,
                    "grounds": f"我市{law}工作中存在的问题需要通过地方立法予以规范，现行规定层级较低、约束力不强。",
                    "plan": f"建议市人大常委会将《长春市{law}条例》列入年度立法计划，明确管理体制、各方责任和保障措施。",
                    "draft_text": f"长春市{law}条例（草案）\n第一条 为了规范{law}工作，根据有关法律、法规，结合本市实际，制定本条例。"}
        matter, category = rng.choice(MOTION_MATTERS)
        return {"title": f"关于加快推进我市{matter}的议案", "content": "", "keywords": matter, "topic": matter,
                "place": "我市", "category": self.categories[category],
                "grounds": f"{matter}是事关全市高质量发展和民生改善的重要工作，目前仍存在统筹不够、投入不足等问题。",
                "plan": f"一、制定{matter}专项规划；二、加大财政投入；三、建立部门协同推进机制；四、加强督促检查。"}

    def lead_unit_for(self, s: Spec):
        """The lead unit staff chose: for a suggestion, one of its topic's units by their weights (remits
        overlap), now and then (``ODD_CHOICE``) another unit of its category; for a motion, a unit of its
        category, or any unit."""
        rng = self.rng
        if s.subject is not None and rng.random() >= ODD_CHOICE:
            return self.units[_pick(rng, s.subject.units)]
        if s.subject is None and rng.random() < 0.2:
            return rng.choice(self.all_units)
        return self.units[rng.choice(UNITS_BY_CATEGORY[s.category.name])]

    def other_unit_for(self, s: Spec, lead, co_units) -> object:
        """The unit a returned item goes to next: the one its topic names beside the first, else any other."""
        others = [(name, weight) for name, weight in (s.subject.units if s.subject else ())
                  if self.units[name] != lead and self.units[name] not in co_units]
        if others:
            return self.units[_pick(self.rng, others)]
        return self.rng.choice([u for u in self.all_units if u != lead and u not in co_units])

    def co_units_for(self, s: Spec, lead) -> list:
        rng = self.rng
        if rng.random() > 0.3:
            return []
        names = [name for name, _weight in (s.subject.units if s.subject else ())] + UNITS_BY_CATEGORY[s.category.name]
        pool = [self.units[n] for n in dict.fromkeys(names) if self.units[n] != lead]
        pool = pool or [u for u in self.all_units if u != lead]
        return rng.sample(pool, min(len(pool), rng.choice([1, 1, 2])))

    def user_of(self, person_id: int):
        return self.deputy_user if self.deputy_user is not None and person_id == self.zhang.person_id else None

    def unit_account(self, unit):
        return self.unit_user if unit.pk == self.account_unit.pk else None

    @staticmethod
    def shared(spec: Spec, key, draw):
        if key not in spec.shared:
            spec.shared[key] = draw()
        return spec.shared[key]

    # --- the story -------------------------------------------------------------------------------------------
    def walk(self, s: Spec) -> _Rows:  # noqa: C901 - one story, told in order
        rng, today = self.rng, self.today
        rule = self.rule[s.kind]
        user = self.staff if s.on_paper else self.user_of(s.lead.person_id)
        p = Proposal(kind=s.kind, state=S.DRAFT, jurisdiction=self.city, level=Level.MUNICIPAL, session=s.session,
                     period=s.period, year=s.year, title=s.title[:200], content=s.content, grounds=s.grounds,
                     plan=s.plan, is_legislative=s.is_legislative, draft_text=s.draft_text, keywords=s.keywords,
                     category=s.category if s.on_paper else None, created_by=user, entered_on_paper=s.on_paper)
        rows = _Rows(p)
        p._created = p._updated = self.at(s.created)
        p._moves = 0

        def move(action, before, after, when, by=None, note=""):
            p._moves += 1
            rows.history.append((when, by, action, before, after, note))

        def end(state, day):
            p.state = state
            p._updated = max(p._updated, day if isinstance(day, datetime.datetime) else self.at(day))
            p.version = 1 + p._moves
            return rows

        lead_sig = Signature(proposal=p, person_id=s.lead.person_id, mandate=s.lead, role=Signature.Role.LEAD,
                             confirmed_at=p._created)
        lead_sig._invited = p._created
        rows.signatures.append(lead_sig)
        submit = s.created if (s.period == Proposal.Period.DURING_SESSION or s.on_paper) else \
            s.created + DAY * rng.randint(0, 3)
        for mandate in s.cosigners:
            sig = Signature(proposal=p, person_id=mandate.person_id, mandate=mandate, role=Signature.Role.COSIGNER)
            sig._invited = p._created
            answer = min(s.created + DAY * rng.randint(0, 2), submit)
            if s.on_paper:
                sig.confirmed_at = p._created
            elif mandate.person_id in s.pending or answer > today:
                pass
            elif mandate.person_id in s.declined:
                sig.declined_at = self.at(answer)
            else:
                sig.confirmed_at = max(self.at(answer), p._created)
            rows.signatures.append(sig)
        if s.stop == S.DRAFT or submit > today:
            return end(S.DRAFT, s.created)

        # Submitted; staff check it.
        p.submitted_at = max(self.at(submit), p._created)
        move("submit", S.DRAFT, S.SUBMITTED, p.submitted_at, user)
        if s.fate == "return":
            day = self.wd(submit, rng.randint(1, 4))
            if day > today:
                return end(S.SUBMITTED, p.submitted_at)
            p.return_reason = rng.choice(RETURN_REASONS)
            move("return", S.SUBMITTED, S.RETURNED, self.at(day), self.staff)
            return end(S.RETURNED, day)
        if s.fate == "withdraw":
            day = submit + DAY * rng.randint(1, 8)
            if day > today:
                return end(S.SUBMITTED, p.submitted_at)
            p.withdraw_reason = rng.choice(WITHDRAW_REASONS)
            move("withdraw", S.SUBMITTED, S.WITHDRAWN, self.at(day), user)
            return end(S.WITHDRAWN, day)

        if s.period == Proposal.Period.DURING_SESSION:
            registered = self.shared(s, "registered", lambda: self.office_day(
                s.session.closes_on + DAY * rng.randint(4, 18)))
        else:
            registered = self.shared(s, "registered", lambda: self.wd(submit, rng.randint(2, 8)))
        if s.stop == S.SUBMITTED or registered > today:
            return end(S.SUBMITTED, p.submitted_at)
        p.registered_at = self.at(registered)
        p.category, p.is_key = s.category, s.key
        move("register", S.SUBMITTED, S.REGISTERED, p.registered_at, self.staff)
        state, ready = S.REGISTERED, registered
        if s.fate == "withdraw_registered":
            day = registered + DAY * rng.randint(3, 20)
            if day > today:
                return end(S.REGISTERED, registered)
            p.withdraw_reason = rng.choice(WITHDRAW_REASONS)
            move("withdraw", S.REGISTERED, S.WITHDRAWN, self.at(day), user)
            return end(S.WITHDRAWN, day)
        if s.kind == Kind.MOTION:
            reviewed = self.wd(registered, rng.randint(3, 8))
            if s.stop == S.REGISTERED or reviewed > today:
                return end(S.REGISTERED, registered)
            ready = reviewed
            if s.convert:
                p.kind, p.converted_from_motion = Kind.SUGGESTION, True
                p._numbered = self.at(reviewed)
                p.docket_reason = rng.choice(CONVERT_REASONS)
                rule = self.rule[Kind.SUGGESTION]
                move("convert", S.REGISTERED, S.REGISTERED, p._numbered, self.staff)
            else:
                p.docket_reason = DOCKET_OPINION
                state = S.DOCKETED
                move("docket", S.REGISTERED, S.DOCKETED, self.at(reviewed), self.staff)
        if s.group is not None:
            p.merge_group = s.group
            self.shared(s, "group_at", lambda: self.at(self.wd(ready, 1)))

        assigned = self.shared(s, "assigned", lambda: self.wd(ready, rng.randint(3, 8)))
        if s.stop == state or assigned > today:
            return end(state, ready)
        p.assigned_at = self.at(assigned)
        lead_unit = s.unit or self.shared(s, "lead_unit", lambda: self.lead_unit_for(s))
        move("assign", state, S.ASSIGNED, p.assigned_at, self.staff, lead_unit.name)
        co_units = s.co_units if s.co_units is not None else self.shared(
            s, "co_units", lambda: self.co_units_for(s, lead_unit))
        lead = self.assign(rows, rule, lead_unit, Assignment.Role.LEAD, assigned, p.assigned_at)
        co = [self.assign(rows, rule, unit, Assignment.Role.CO, assigned, p.assigned_at) for unit in co_units]
        start = assigned
        if s.lead_return:
            back = self.wd(assigned, rng.randint(1, 4))
            if back > today:
                return end(S.ASSIGNED, assigned)
            other = self.shared(s, "other_unit", lambda: self.other_unit_for(s, lead_unit, co_units))
            lead.state, lead.returned_at = Assignment.State.RETURNED, self.at(back)
            lead.return_reason = rng.choice(UNIT_RETURN_REASONS).format(other=other.name)
            for deadline in lead._deadlines:  # closed, not met (services.handling.assignment_return)
                deadline.is_open = False
            p._moves += 1  # the return moves the item's version, not its state
            again = self.wd(back, rng.randint(1, 3))
            if s.no_reassign or again > today:
                return end(S.ASSIGNED, back)
            reassigned = max(self.at(again), lead.returned_at)
            move("reassign", S.ASSIGNED, S.ASSIGNED, reassigned, self.staff, other.name)
            lead_unit = other
            lead = self.assign(rows, rule, lead_unit, Assignment.Role.LEAD, again, reassigned)
            start = again
        # Co-units sign and send their opinion whatever the lead does.
        opinions = []
        for a in co:
            signed = self.shared(s, ("co_sign", a.unit.pk), lambda: self.wd(assigned, rng.randint(0, 4)))
            if signed <= today:
                self.accept(a, signed)
                if not s.co_opinion_pending:
                    opinions.append((a, self.shared(s, ("opinion", a.unit.pk),
                                                    lambda: signed + DAY * rng.randint(7, 28))))
        signed = self.shared(s, ("sign", lead_unit.pk), lambda: self.wd(start, rng.randint(0, 4)))
        if s.stop == S.ASSIGNED or signed > today:
            self.give_opinions(s, opinions, today)
            return end(S.ASSIGNED, start)
        self.accept(lead, signed)
        move("accept", S.ASSIGNED, S.HANDLING, lead.accepted_at, self.unit_account(lead_unit), lead_unit.name)
        reply_deadline = lead._reply
        due = reply_deadline.due_on
        if s.extension:
            due = self.extend(rows, s, lead, reply_deadline, signed)
        if s.late:
            replied = self.shared(s, "replied", lambda: due + DAY * rng.randint(5, 120))
        else:
            replied = self.shared(s, "replied", lambda: self.office_day(
                signed + DAY * rng.randint(20, max(21, (due - signed).days - 3))))
        replied = max(replied, signed + DAY)
        self.give_opinions(s, opinions, min(today, replied - DAY))
        self.communicate(rows, s, lead, signed, min(replied, today + DAY), rng.choice([1, 1, 2, 2, 3]))
        if s.stop == S.HANDLING or replied > today:
            return end(S.HANDLING, signed)

        reply = self.reply(rows, s, lead, 1, replied, rule, self.shared(
            s, "class", lambda: s.reply_class or _pick(rng, CLASS_WEIGHTS)))
        move("reply", S.HANDLING, S.REPLIED, reply.replied_at, reply.replied_by, f"{reply.reply_class.code} · round 1")
        if s.stop == S.REPLIED:
            return end(S.REPLIED, replied)
        rated = self.rate(rows, s, reply, 1)
        if rated is None:
            return end(S.REPLIED, replied)
        when, happy = rated
        if happy:
            p.closed_at = when
            by = rows.ratings[-1].rated_by if rows.ratings and rows.ratings[-1].rated_at == when else None
            move("close", S.REPLIED, S.CLOSED, when, by)
            return end(S.CLOSED, when)

        # 不满意: handled again by the same lead unit within the re-handling period.
        move("rehandle", S.REPLIED, S.REHANDLING, when, rows.ratings[-1].rated_by, "round 1: unsatisfied → round 2")
        p.round, day = 2, when.date()
        again = Assignment(proposal=p, unit=lead.unit, role=Assignment.Role.LEAD, round=2,
                           state=Assignment.State.ACCEPTED, assigned_at=when, accepted_at=when,
                           assigned_by=rows.ratings[-1].rated_by)
        rows.assignments.append(again)
        deadline = rules.rehandling_deadline(p, again, rule, day)
        rows.deadlines.append(deadline)
        if s.stop == S.REHANDLING:
            return end(S.REHANDLING, day)
        window = max(8, (deadline.due_on - day).days - 2)
        second = day + DAY * (rng.randint(8, window) if rng.random() > 0.05 else window + rng.randint(5, 20))
        second = self.office_day(second)
        self.communicate(rows, s, again, day, min(second, today + DAY), 1)
        if second > today:
            return end(S.REHANDLING, day)
        deadline.met_at, deadline.is_open = self.at(second), False
        reply2 = self.reply(rows, s, again, 2, second, rule, _pick(rng, CLASS_WEIGHTS_ROUND_2))
        move("reply", S.REHANDLING, S.REPLIED, reply2.replied_at, reply2.replied_by,
             f"{reply2.reply_class.code} · round 2")
        rated = self.rate(rows, s, reply2, 2)
        if rated is None:
            return end(S.REPLIED, second)
        p.closed_at, _closed = rated
        move("close", S.REPLIED, S.CLOSED, p.closed_at, None)
        return end(S.CLOSED, p.closed_at)

    def assign(self, rows: _Rows, rule, unit, role, day: datetime.date, when: datetime.datetime) -> Assignment:
        p = rows.proposal
        a = Assignment(proposal=p, unit=unit, role=role, round=1, state=Assignment.State.PENDING,
                       assigned_at=when, assigned_by=self.staff)
        a._deadlines = [rules.sign_deadline(p, a, rule, day)]
        if role == Assignment.Role.LEAD:
            a._reply = rules.reply_deadline(p, a, rule, day)
            a._deadlines.append(a._reply)
        else:
            a._opinion = rules.co_opinion_deadline(p, a, rule, day)
            a._deadlines.append(a._opinion)
        rows.assignments.append(a)
        rows.deadlines.extend(a._deadlines)
        return a

    def accept(self, a: Assignment, day: datetime.date) -> None:
        a.state, a.accepted_at = Assignment.State.ACCEPTED, max(self.at(day), a.assigned_at)
        sign = a._deadlines[0]
        sign.met_at, sign.is_open = a.accepted_at, False

    def give_opinions(self, s: Spec, opinions, until: datetime.date) -> None:
        for a, day in opinions:
            day = min(day, until)
            if day < a.accepted_at.date() or day > self.today:
                continue
            a.opinion = self.rng.choice(CO_OPINIONS).format(topic=s.topic)
            a.opinion_at = max(self.at(day), a.accepted_at)
            a._opinion.met_at, a._opinion.is_open = a.opinion_at, False

    def communicate(self, rows: _Rows, s: Spec, a: Assignment, first: datetime.date, last: datetime.date,
                    count: int) -> None:
        rng = self.rng
        span = (last - first).days
        if span < 2:
            return
        name = self.names[s.lead.person_id]
        for day in sorted({first + DAY * rng.randint(1, span - 1) for _i in range(count)}):
            if day > self.today:
                continue
            means = _pick(rng, MEANS_WEIGHTS)
            c = Communication(assignment=a, date=day, means=means, content=COMMUNICATIONS[means].format(
                name=name, topic=s.topic, place=s.place), recorded_by=self.unit_account(a.unit))
            c._recorded = self.at(day, 17, 19)
            rows.communications.append(c)

    def extend(self, rows: _Rows, s: Spec, lead: Assignment, deadline: Deadline, signed: datetime.date):
        """The lead unit asks for more time a few weeks before its reply is due; the office decides."""
        rng, today = self.rng, self.today
        due = deadline.due_on
        asked = max(signed + DAY * 5, due - DAY * rng.randint(10, 25))
        if asked > today:
            return due
        latest = rules.latest_extension_date(deadline)
        wanted = min(calendar.months_deadline(due, rng.choice([1, 2])), latest)
        decided = asked + DAY * rng.randint(2, 7)
        ext = ExtensionRequest(deadline=deadline, assignment=lead, requested_due_on=wanted,
                               reason=rng.choice(EXTENSION_REASONS), requested_by=self.unit_account(lead.unit))
        ext._requested = self.at(asked)
        rows.extensions.append(ext)
        if s.extension == "pending" or decided > today:
            return due
        ext.decided_by, ext.decided_at = self.staff, self.at(decided)
        if s.extension == "refused":
            ext.state, ext.decision_note = ExtensionRequest.State.REFUSED, "理由不充分，请按期答复。"
            return due
        ext.state, ext.decision_note = ExtensionRequest.State.APPROVED, "同意延期。"
        ext.previous_due_on, deadline.due_on = due, wanted
        return wanted

    def reply(self, rows: _Rows, s: Spec, a: Assignment, round_: int, day: datetime.date, rule, code: str) -> Reply:
        rng = self.rng
        p = rows.proposal
        promised = None
        if self.classes[code].needs_follow_up:
            promised = day + DAY * rng.randint(60, 300)
            if s.follow_up and round_ == p.round:
                promised = self.today - DAY * rng.randint(3, 12)
                promised = max(promised, day + DAY * 20)
        text = REPLIES[code].format(name=self.names[s.lead.person_id], title=p.title, ask=s.topic,
                                    next_year=day.year + 1, promised=f"{promised:%Y年%m月}" if promised else "")
        reply = Reply(proposal=p, assignment=a, round=round_, reply_class=self.classes[code], text=text,
                      promised_on=promised, is_public=rng.random() > 0.05, replied_at=self.at(day),
                      replied_by=self.unit_account(a.unit))
        rows.replies.append(reply)
        for deadline in a._deadlines if hasattr(a, "_deadlines") else ():
            if deadline.kind == Deadline.Kind.REPLY:
                deadline.met_at, deadline.is_open = reply.replied_at, False
        rating = rules.rating_deadline(p, rule, day, round_)
        rows.deadlines.append(rating)
        reply._rating = rating
        p.replied_at = reply.replied_at
        if promised is not None:
            self.follow_up(rows, s, reply, rule)
        return reply

    def rate(self, rows: _Rows, s: Spec, reply: Reply, round_: int):
        """The counting signers rate, as ``apps.proposals.services.ratings`` has it: in round 1 the first 不满意
        sends the item back at once; otherwise it closes when all have rated, or when the rating window ends
        (the daily ``ratings_close_expired``; some co-signers never rate). Returns (when it moved on, whether it
        closed) or None while it still awaits ratings."""
        rng, today = self.rng, self.today
        R = Rating.Result
        signers = [sig for sig in rows.signatures if sig.role == Signature.Role.LEAD or sig.confirmed_at]
        if round_ == 1:
            happy = not s.unsatisfied if s.unsatisfied is not None else rng.random() < 0.85
            if happy:
                results = [_pick(rng, [(R.SATISFIED, 65), (R.BASICALLY_SATISFIED, 35)]) for _sig in signers]
            else:
                unhappy = 0 if len(signers) == 1 or s.unsatisfied or rng.random() < 0.7 else \
                    rng.randrange(1, len(signers))
                results = [R.UNSATISFIED if i == unhappy else _pick(rng, [(R.SATISFIED, 40), (
                    R.BASICALLY_SATISFIED, 40), (R.UNSATISFIED, 20)]) for i in range(len(signers))]
        else:
            results = [_pick(rng, [(R.SATISFIED, 35), (R.BASICALLY_SATISFIED, 45), (R.UNSATISFIED, 20)])
                       for _sig in signers]
        replied = reply.replied_at.date()
        events = []
        for index, (sig, result) in enumerate(zip(signers, results)):
            if sig.role == Signature.Role.COSIGNER and not s.unsatisfied and rng.random() < 0.1:
                continue  # never rates
            events.append((self.wd(replied, rng.randint(2, 15)), index, sig, result))
        events.sort(key=lambda event: event[:2])
        window = reply._rating
        for day, _key, sig, result in events:
            if day > today:
                return None
            comment = rng.choice(UNSATISFIED_COMMENTS) if result == R.UNSATISFIED else rng.choice(SATISFIED_COMMENTS)
            rows.ratings.append(Rating(proposal=rows.proposal, reply=reply, signature=sig, round=round_,
                                       result=result, comment=comment, rated_at=self.at(day),
                                       rated_by=self.user_of(sig.person_id)))
            if round_ == 1 and result == R.UNSATISFIED:
                window.met_at, window.is_open = rows.ratings[-1].rated_at, False
                return window.met_at, False
        if len(events) == len(signers):
            window.met_at, window.is_open = rows.ratings[-1].rated_at, False
            return window.met_at, True
        closing = window.due_on + DAY  # the day after the window ended (ratings_close_expired, a daily task)
        if closing > today:
            return None
        window.met_at, window.is_open = self.at(closing, 2, 3), False
        return window.met_at, True

    def follow_up(self, rows: _Rows, s: Spec, reply: Reply, rule) -> None:
        """B and C replies (``services.handling``): a follow-up due at the promised date, with its deadline; the
        unit reports, the signers say whether it is solved — if not, another report three months later."""
        rng, today = self.rng, self.today
        due, start = reply.promised_on, reply.replied_at.date()
        for _i in range(3):
            f = FollowUp(proposal=rows.proposal, reply=reply, due_on=due)
            deadline = Deadline(proposal=rows.proposal, assignment=reply.assignment, kind=Deadline.Kind.FOLLOW_UP,
                                round=reply.round, starts_on=start, due_on=due, rule=rule, rule_field="promised_on")
            rows.follow_ups.append(f)
            rows.deadlines.append(deadline)
            if (s.follow_up == "due" and reply.round == rows.proposal.round) or due - DAY * 7 > today:
                return
            reported = max(min(due - DAY * rng.randint(0, 7), today), start + DAY)
            if reported > today:
                return
            f.progress, f.reported_at = rng.choice(PROGRESS), self.at(reported)
            f.reported_by = self.unit_account(reply.assignment.unit)
            deadline.met_at, deadline.is_open = f.reported_at, False
            answered = reported + DAY * rng.randint(2, 12)
            if (s.follow_up == "reported" and reply.round == rows.proposal.round) or answered > today:
                return
            f.is_solved, f.answered_at = rng.random() < 0.65, self.at(answered)
            f.answered_by = self.user_of(s.lead.person_id)
            if f.is_solved:
                return
            due, start = calendar.months_deadline(answered, 3), answered

    def supervise(self, rows: _Rows, s: Spec) -> None:
        """A key item: a council member leads its supervision, a special committee tracks it."""
        rng, today = self.rng, self.today
        p = rows.proposal
        if not self.council or p.assigned_at is None:
            return
        start = p.assigned_at.date() + DAY * rng.randint(0, 10)
        if start > today:
            return
        committee = self.committees.get(COMMITTEE_BY_CATEGORY.get(s.category.name, ""))
        rows.supervision = Supervision(proposal=p, leader=rng.choice(self.council), committee=committee,
                                       started_on=start, created_by=self.staff)
        end = min(today, p.closed_at.date() if p.closed_at else today)
        unit = next((a.unit for a in rows.assignments if a.role == Assignment.Role.LEAD
                     and a.state != Assignment.State.RETURNED), None)
        if unit is None:
            return
        for _i in range(rng.randint(1, 4)):
            span = (end - start).days
            if span < 1:
                break
            day = start + DAY * rng.randint(1, span)
            kind = rng.choice(list(SUPERVISION_RECORDS))
            record = SupervisionRecord(supervision=rows.supervision, kind=kind, date=day, content=SUPERVISION_RECORDS[
                kind].format(unit=unit.name, topic=s.topic), recorded_by=self.staff)
            record._recorded = self.at(day, 17, 19)
            rows.records.append(record)

    def keep(self, rows: _Rows) -> _Rows:
        self.kept.append(rows)
        return rows

    # --- a year of items ---------------------------------------------------------------------------------------
    def spec(self, year: int, kind: str, **fields) -> Spec:
        rng = self.rng
        session = self.sessions[year]
        period = fields.pop("period", None) or (
            Proposal.Period.DURING_SESSION if rng.random() < DURING_SESSION_SHARE else Proposal.Period.BETWEEN_SESSIONS)
        created = fields.pop("created", None)
        if created is None:
            if period == Proposal.Period.DURING_SESSION:
                created = session.opens_on + DAY * rng.randint(0, (session.closes_on - session.opens_on).days - 1)
            else:
                first = session.closes_on + DAY * 10
                last = min(datetime.date(year, 12, 20), self.today)
                if last < first:  # early in the year: nothing raised between sessions yet
                    period, last = Proposal.Period.DURING_SESSION, session.closes_on
                    first = session.opens_on
                created = first + DAY * rng.randint(0, max(0, (last - first).days))
            created = min(created, self.today)
        lead = fields.pop("lead", None)
        if kind == Kind.MOTION:
            text = self.motion_text()
            lead = lead or self.pick_deputies(1)[0]
            cosigners = fields.pop("cosigners", None) or self.pick_deputies(rng.randint(9, 14),
                                                                            exclude=[lead.person_id])
        else:
            category = fields.pop("category_name", None) or _pick(rng, list(CATEGORY_WEIGHTS.items()))
            text = self.suggestion_text(category)
            lead = lead or self.pick_deputies(1)[0]
            cosigners = fields.pop("cosigners", None)
            if cosigners is None:
                n = rng.choice([0] * 14 + [1, 1, 2, 2, 3, 4])
                cosigners = self.pick_deputies(n, exclude=[lead.person_id]) if n else []
        fields.pop("category_name", None)
        declined = frozenset(m.person_id for m in cosigners if kind == Kind.SUGGESTION and rng.random() < 0.05)
        return Spec(year=year, session=session, kind=kind, period=period, created=created, lead=lead,
                    cosigners=cosigners, declined=fields.pop("declined", declined), **text, **fields)

    def random_fates(self, spec: Spec) -> Spec:
        rng = self.rng
        roll = rng.random()
        if roll < 0.025:
            spec.fate = "return"
        elif roll < 0.035:
            spec.fate = "withdraw"
        elif roll < 0.045:
            spec.fate = "withdraw_registered"
        spec.on_paper = rng.random() < 0.05
        spec.late = rng.random() < 0.1
        spec.lead_return = rng.random() < 0.03
        if rng.random() < 0.04:
            spec.extension = _pick(rng, [("approved", 75), ("refused", 15), ("pending", 10)])
        if spec.kind == Kind.MOTION:
            spec.convert = rng.random() < 0.3
            spec.fate = ""
        return spec

    def year_items(self, year: int) -> None:
        rng, ctx = self.rng, self.ctx
        suggestions, (low, high) = VOLUME[ctx.scale]
        for _i in range(rng.randint(low, high)):
            self.keep(self.walk(self.random_fates(self.spec(year, Kind.MOTION,
                                                            period=Proposal.Period.DURING_SESSION))))
        in_groups = self.merge_groups(year)
        keys = set(rng.sample(range(suggestions), KEY_ITEMS[ctx.scale]))
        for i in range(suggestions - in_groups):
            spec = self.random_fates(self.spec(year, Kind.SUGGESTION))
            if i in keys:
                spec.key, spec.fate, spec.period = True, "", Proposal.Period.DURING_SESSION
                spec.created = self.sessions[year].opens_on
            if year == self.today.year and spec.created >= self.today - DAY * 12 and rng.random() < 0.25:
                spec.stop = S.DRAFT  # still being written
            rows = self.keep(self.walk(spec))
            if spec.key:
                self.supervise(rows, spec)

    def merge_groups(self, year: int) -> int:
        """Deputies raising the same matter at the session: staff handle 2–4 items together."""
        rng, count = self.rng, 0
        session = self.sessions[year]
        for _g in range(MERGE_GROUPS[self.ctx.scale]):
            first = self.spec(year, Kind.SUGGESTION, period=Proposal.Period.DURING_SESSION, created=session.opens_on)
            if first.created > self.today:
                break
            group = MergeGroup(name=f"{first.title.removesuffix('的建议').removesuffix('的几点建议')}（并案办理）"[:200],
                               created_by=self.staff)
            shared = {}
            members = [first] + [
                self.spec(year, Kind.SUGGESTION, period=Proposal.Period.DURING_SESSION,
                          created=session.opens_on + DAY * rng.randint(0, 2), category_name=first.category.name)
                for _i in range(rng.randint(1, 3))]
            for spec in members:
                spec.group, spec.shared = group, shared
                spec.title = spec.title if spec is first else _similar_title(rng, first)
                spec.content, spec.keywords, spec.topic = first.content, first.keywords, first.topic
                spec.subject = first.subject
                spec.category = first.category
                self.keep(self.walk(spec))
            if "group_at" in shared:
                group._created = shared["group_at"]
                self.groups.append(group)
            else:
                for rows in self.kept[-len(members):]:
                    rows.proposal.merge_group = None
            count += len(members)
        return count

    # --- the whole demo ---------------------------------------------------------------------------------------------
    def build(self) -> None:
        ctx = self.ctx
        self.sessions_by_term = _sessions(ctx, self.today)
        self.sessions = self.sessions_by_term[self.term.pk]
        for year in self.years:
            if year in self.sessions:
                self.year_items(year)
        self.deputy_items()
        self.unit_items()
        self.number()
        self.save()
        states = defaultdict(int)
        for rows in self.kept:
            states[rows.proposal.state] += 1
        ctx.log(f"proposals: {sum(len(s) for s in self.sessions_by_term.values())} sessions, {len(self.kept)} items "
                f"({', '.join(f'{k} {v}' for k, v in sorted(states.items()))}), {len(self.groups)} merge groups")

    def number(self) -> None:
        """Numbers per session and kind, in the order of registration (a converted motion gets a suggestion's
        number when it is converted)."""
        registered = sorted((rows.proposal for rows in self.kept if rows.proposal.registered_at is not None),
                            key=lambda p: (getattr(p, "_numbered", p.registered_at), p._created))
        counters = defaultdict(int)
        for p in registered:
            key = (p.year, p.session.pk, p.kind)
            counters[key] += 1
            p.number = counters[key]

    def save(self) -> None:
        """COPY every row, with ids drawn from the tables' sequences first (the rows point at each other);
        the times ``auto_now_add`` would set to now are each row's own."""
        kept = self.kept

        def flat(name):
            return [row for rows in kept for row in getattr(rows, name)]

        proposals = [rows.proposal for rows in kept]
        for p in proposals:
            p.created_at, p.updated_at = p._created, p._updated
        signatures = flat("signatures")
        for sig in signatures:
            sig.invited_at = sig._invited
        communications = flat("communications")
        for c in communications:
            c.recorded_at = c._recorded
        extensions = flat("extensions")
        for e in extensions:
            e.requested_at = e._requested
        records = flat("records")
        for r in records:
            r.recorded_at = r._recorded
        for g in self.groups:
            g.created_at = g._created
        for model, objs in ((MergeGroup, self.groups), (Proposal, proposals), (Signature, signatures),
                            (Assignment, flat("assignments")), (Deadline, flat("deadlines")),
                            (ExtensionRequest, extensions), (Communication, communications),
                            (Reply, flat("replies")), (Rating, flat("ratings")), (FollowUp, flat("follow_ups")),
                            (Supervision, [rows.supervision for rows in kept if rows.supervision]),
                            (SupervisionRecord, records)):
            _copy(model, objs)
        self.save_history()

    def save_history(self) -> None:
        """The state changes as the services audit them (``AuditEvent.Action.PROPOSAL_STATE``), so that an
        item's page shows its history. The audit log is append-only: COPY adds, the demo reset truncates."""
        label = Proposal._meta.label
        columns = ("created_at", "user_id", "username", "ip_address", "action", "object_type", "object_id",
                   "detail", "success")
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f'COPY "{AuditEvent._meta.db_table}" ({", ".join(columns)}) FROM STDIN') as copy:
                for rows in self.kept:
                    pk = str(rows.proposal.pk)
                    for when, by, action, before, after, note in rows.history:
                        detail = f"{action}: {before} → {after}" + (f" · {note}" if note else "")
                        copy.write_row((when, by.pk if by else None, by.username if by else "", None,
                                        AuditEvent.Action.PROPOSAL_STATE, label, pk, detail[:500], True))


def _similar_title(rng, first: Spec) -> str:
    """Another deputy's title for the same matter."""
    what = first.title.removeprefix("关于").removesuffix("的建议").removesuffix("的几点建议")
    return rng.choice([f"关于{what}的建议", f"关于进一步{what}的建议", f"关于{what}工作的建议",
                       f"关于切实{what}的几点建议"])[:200]


def _pick(rng, weighted):
    values, weights = zip(*weighted)
    return rng.choices(values, weights)[0]


def _copy(model, objs: list) -> None:
    """Write model instances with COPY (ten times faster than ``bulk_create``): ids are drawn from the table's
    sequence and given to the instances, so that rows written after them can point at them."""
    if not objs:
        return
    meta = model._meta
    fields = meta.concrete_fields
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                       [meta.db_table, len(objs)])
        for obj, (pk,) in zip(objs, cursor.fetchall()):
            obj.pk = pk
        columns = ", ".join(f'"{f.column}"' for f in fields)
        getters = []
        for f in fields:
            if f.is_relation:
                getters.append(lambda obj, f=f: getattr(obj, f.attname) if getattr(obj, f.attname) is not None
                               else getattr(obj._state.fields_cache.get(f.name), "pk", None))
            else:
                getters.append(lambda obj, name=f.attname: getattr(obj, name))
        with cursor.cursor.copy(f'COPY "{meta.db_table}" ({columns}) FROM STDIN') as copy:
            for obj in objs:
                copy.write_row([get(obj) for get in getters])
