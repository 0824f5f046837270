"""The demo accounts' fixed items: the ``deputy`` account's person (张三丰) leads or co-signs an item in every
state, and the ``unit`` account's unit has something at every step of its work. Each item is walked again,
a little earlier or later, until its story ends as wanted."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from apps.proposals.models import Assignment, Deadline, ExtensionRequest, Kind, Proposal

if TYPE_CHECKING:
    from apps.proposals.demo.story import _Rows

S = Proposal.State
DAY = datetime.timedelta(days=1)


class AccountItems:
    """The ``_Builder``'s part that makes the demo accounts' items (it is mixed into ``_Builder``)."""

    def forced(self, check, *, days_ago: int, step: int = 7, kind=Kind.SUGGESTION, period=None, **fields) -> _Rows:
        """An item whose story ends as ``check`` wants: started about ``days_ago`` days before today (at that
        year's session when ``period`` is during the session), a little earlier or later until it does."""
        for attempt in range(120):
            shift = (attempt + 1) // 2 * step * (1 if attempt % 2 else -1)  # 0, +step, -step, +2 step ...
            created = self.today - DAY * max(1, days_ago + shift)
            year = created.year
            if year not in self.sessions or created < self.sessions[year].opens_on:
                year -= 1
            if year not in self.sessions:
                continue
            session = self.sessions[year]
            if period == Proposal.Period.DURING_SESSION or created <= session.closes_on:
                when, created = Proposal.Period.DURING_SESSION, session.opens_on
            else:
                when = Proposal.Period.BETWEEN_SESSIONS
            spec = self.spec(year, kind, created=created, period=when, **fields)
            rows = self.walk(spec)
            if check(rows):
                self.keep(rows)
                if spec.key:
                    self.supervise(rows, spec)
                return rows
        raise RuntimeError(f"no demo item came out as wanted: {fields}")

    def deputy_items(self) -> None:
        """张三丰 leads an item in every state, co-signs others, and has an invitation to answer."""
        zhang = self.zhang
        today = self.today

        def state(wanted, extra=lambda rows: True):
            return lambda rows: rows.proposal.state == wanted and extra(rows)

        def open_deadline(kind):
            return lambda rows: any(d.kind == kind and d.is_open and d.due_on >= today for d in rows.deadlines)

        mine = dict(lead=zhang, cosigners=[])
        self.forced(state(S.DRAFT), days_ago=1, stop=S.DRAFT, **mine)
        self.forced(state(S.SUBMITTED), days_ago=4, stop=S.SUBMITTED, **mine)
        self.forced(state(S.RETURNED), days_ago=12, fate="return", **mine)
        self.forced(state(S.WITHDRAWN), days_ago=30, fate="withdraw", **mine)
        self.forced(state(S.REGISTERED), days_ago=14, stop=S.REGISTERED, category_name="交通", **mine)
        self.forced(state(S.DOCKETED), days_ago=300, stop=S.DOCKETED, kind=Kind.MOTION,
                    period=Proposal.Period.DURING_SESSION, lead=zhang)
        self.forced(state(S.ASSIGNED), days_ago=18, stop=S.ASSIGNED, category_name="城建", **mine)
        self.forced(state(S.HANDLING, open_deadline(Deadline.Kind.REPLY)), days_ago=45, stop=S.HANDLING,
                    category_name="教育", **mine)
        self.forced(state(S.REPLIED, open_deadline(Deadline.Kind.RATING)), days_ago=70, step=3, stop=S.REPLIED,
                    category_name="卫生", reply_class="A", **mine)
        self.forced(state(S.REHANDLING, open_deadline(Deadline.Kind.REHANDLING)), days_ago=110, step=4,
                    stop=S.REHANDLING, unsatisfied=True, category_name="城建", unit=self.account_unit, **mine)
        self.forced(state(S.CLOSED), days_ago=300, unsatisfied=False, reply_class="A",
                    period=Proposal.Period.DURING_SESSION, key=True, category_name="城建", **mine)
        self.forced(state(S.CLOSED, lambda rows: rows.proposal.round == 2), days_ago=300, unsatisfied=True,
                    period=Proposal.Period.DURING_SESSION, category_name="社会保障", **mine)
        self.forced(state(S.CLOSED, lambda rows: any(f.reported_at and f.answered_at is None
                                                      for f in rows.follow_ups)),
                    days_ago=200, step=5, unsatisfied=False, reply_class="B", follow_up="reported",
                    category_name="生态环境", **mine)
        # As a co-signer: one awaiting his rating, one closed, one invitation to answer, one declined.
        others = [m for m in self.deputies if m.person_id != zhang.person_id]
        self.forced(state(S.REPLIED, lambda rows: not any(r.signature.person_id == zhang.person_id
                                                          for r in rows.ratings) and open_deadline(
            Deadline.Kind.RATING)(rows)), days_ago=70, step=3, stop=S.REPLIED, lead=others[0],
                    cosigners=[zhang, others[1]], category_name="经济", reply_class="B", declined=frozenset())
        self.forced(state(S.CLOSED), days_ago=300, unsatisfied=False, period=Proposal.Period.DURING_SESSION,
                    lead=others[2], cosigners=[zhang], declined=frozenset())
        self.forced(state(S.DRAFT), days_ago=1, stop=S.DRAFT, lead=others[3], cosigners=[zhang, others[4]],
                    pending=frozenset({zhang.person_id}), declined=frozenset())
        self.forced(state(S.SUBMITTED), days_ago=5, stop=S.SUBMITTED, lead=others[5], cosigners=[zhang],
                    declined=frozenset({zhang.person_id}))

    def unit_items(self) -> None:
        """The ``unit`` account's unit has something at every step of its work."""
        unit, today = self.account_unit, self.today

        def state(wanted, extra=lambda rows: True):
            return lambda rows: rows.proposal.state == wanted and extra(rows)

        def lead_deadline(kind, overdue=False):
            return lambda rows: any(d.kind == kind and d.is_open and (d.due_on < today if overdue else
                                                                       d.due_on >= today) for d in rows.deadlines)

        ours = dict(unit=unit, category_name="城建", cosigners=[])
        self.forced(state(S.ASSIGNED, lead_deadline(Deadline.Kind.SIGN)), days_ago=5, step=1, stop=S.ASSIGNED,
                    **ours)
        self.forced(state(S.HANDLING, lead_deadline(Deadline.Kind.REPLY)), days_ago=30, stop=S.HANDLING, **ours)
        self.forced(state(S.HANDLING, lead_deadline(Deadline.Kind.REPLY, overdue=True)), days_ago=130,
                    stop=S.HANDLING, **ours)
        self.forced(state(S.HANDLING, lambda rows: any(e.state == ExtensionRequest.State.PENDING
                                                       for e in rows.extensions)),
                    days_ago=85, step=3, stop=S.HANDLING, extension="pending", **ours)
        self.forced(state(S.REPLIED, lead_deadline(Deadline.Kind.RATING)), days_ago=70, step=3, stop=S.REPLIED,
                    **ours)
        self.forced(state(S.REHANDLING, lead_deadline(Deadline.Kind.REHANDLING)), days_ago=110, step=4,
                    stop=S.REHANDLING, unsatisfied=True, **ours)
        self.forced(state(S.CLOSED, lambda rows: any(f.reported_at is None and f.due_on < today
                                                      for f in rows.follow_ups)),
                    days_ago=200, step=5, unsatisfied=False, reply_class="C", follow_up="due", **ours)
        self.forced(state(S.HANDLING, lambda rows: any(a.role == Assignment.Role.CO and a.unit == unit
                                                       and a.opinion_at is None for a in rows.assignments)),
                    days_ago=30, stop=S.HANDLING, category_name="交通", co_units=[unit], co_opinion_pending=True,
                    unit=self.units["市交通运输局"], cosigners=[])
        self.forced(state(S.CLOSED), days_ago=280, **ours)
        # A lead unit that returned an item no one has reassigned yet (the office's work list).
        self.forced(state(S.ASSIGNED, lambda rows: not any(a.role == Assignment.Role.LEAD and a.state in (
            Assignment.State.PENDING, Assignment.State.ACCEPTED) for a in rows.assignments)),
                    days_ago=8, step=1, lead_return=True, no_reassign=True, category_name="其他", cosigners=[])
