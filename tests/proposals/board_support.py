"""Rows for the board and reminder tests, written directly (any shape, fast), and a plain-Python recomputation
of every board figure from the raw rows."""

from __future__ import annotations

import datetime

from django.utils import timezone

from apps.proposals.models import Assignment, Deadline, Proposal, Rating, Reply, ReplyClass, Signature
from tests.proposals.factories import ProposalFactory, SignatureFactory

TZ = datetime.timezone(datetime.timedelta(hours=8))
TODAY = datetime.date(2026, 6, 15)
NOW = datetime.datetime(2026, 6, 15, 9, 0, tzinfo=TZ)

S = Proposal.State
LIVE = (Assignment.State.PENDING, Assignment.State.ACCEPTED)
HANDLING = (Deadline.Kind.REPLY, Deadline.Kind.REHANDLING)


def item(*, mandate, state=S.HANDLING, cosigners=(), **fields) -> Proposal:
    """An item with its lead signature (``mandate``) and confirmed co-signers (``cosigners``: mandates)."""
    fields.setdefault("year", TODAY.year)
    proposal = ProposalFactory(mandate=mandate, state=state, **fields)
    for m in cosigners:
        SignatureFactory(proposal=proposal, mandate=m, person=m.person, confirmed=True)
    return proposal


def assign(proposal, unit, *, role=Assignment.Role.LEAD, round_=1, state=Assignment.State.ACCEPTED) -> Assignment:
    return Assignment.objects.create(proposal=proposal, unit=unit, role=role, round=round_, state=state,
                                     assigned_at=timezone.now())


def deadline(assignment, *, due_on, kind=Deadline.Kind.REPLY, starts_on=None, is_open=True,
             proposal=None) -> Deadline:
    proposal = proposal or assignment.proposal
    return Deadline.objects.create(
        proposal=proposal, assignment=assignment, kind=kind, round=assignment.round if assignment else 1,
        starts_on=starts_on or due_on - datetime.timedelta(days=91), due_on=due_on, is_open=is_open,
        rule_field="base_months", rule_value=3)


def reply(assignment, *, code="A", round_=None) -> Reply:
    return Reply.objects.create(proposal=assignment.proposal, assignment=assignment,
                                round=round_ or assignment.round, reply_class=ReplyClass.objects.get(code=code),
                                text="答复正文。", replied_at=timezone.now())


def rate(reply_row, signature, result=Rating.Result.SATISFIED) -> Rating:
    return Rating.objects.create(proposal=reply_row.proposal, reply=reply_row, signature=signature,
                                 round=reply_row.round, result=result, rated_at=timezone.now())


def lead(proposal) -> Signature:
    return proposal.signatures.get(role=Signature.Role.LEAD)


# --- the recomputation --------------------------------------------------------------------------------------

def recompute(*, path: str, today: datetime.date, session_id=None, year=None, kind=None) -> dict:
    """Every figure of the board from the raw rows, in plain Python: ``{line: {figure: set of item pks}}``
    where ``line`` is "total", ("unit", pk) or ("category", pk or None)."""
    from apps.core.models import Jurisdiction

    paths = dict(Jurisdiction.objects.values_list("pk", "path"))
    items = [p for p in Proposal.objects.all()
             if paths[p.jurisdiction_id].startswith(path) and p.state != S.DRAFT
             and (session_id is None or p.session_id == session_id) and (not year or p.year == year)
             and (not kind or p.kind == kind)]
    ids = {p.pk for p in items}
    assignments = [a for a in Assignment.objects.all() if a.proposal_id in ids]
    deadlines = [d for d in Deadline.objects.all() if d.proposal_id in ids]
    solved_classes = set(ReplyClass.objects.filter(counts_as_solved=True).values_list("pk", flat=True))
    replies = [r for r in Reply.objects.all() if r.proposal_id in ids]
    ratings = [r for r in Rating.objects.all() if r.proposal_id in ids]

    def rated_rounds(pk):
        return {r.round for r in ratings if r.proposal_id == pk}

    def satisfied_in(pk, round_):
        return not any(r.proposal_id == pk and r.round == round_ and r.result == Rating.Result.UNSATISFIED
                       for r in ratings)

    soon = today + datetime.timedelta(days=14)
    figures = {
        "total": ids,
        "assigned": {a.proposal_id for a in assignments if a.role == Assignment.Role.LEAD},
        "replied": {r.proposal_id for r in replies},
        "overdue": {d.proposal_id for d in deadlines if d.is_open and d.kind in HANDLING and d.due_on < today},
        "due_soon": {d.proposal_id for d in deadlines
                     if d.is_open and d.kind in HANDLING and today <= d.due_on <= soon},
        "rated": {r.proposal_id for r in ratings},
        "satisfied": {pk for pk in ids if rated_rounds(pk) and satisfied_in(pk, max(rated_rounds(pk)))},
        "first_rated": {r.proposal_id for r in ratings if r.round == 1},
        "first_satisfied": {pk for pk in ids if 1 in rated_rounds(pk) and satisfied_in(pk, 1)},
        "solved": set(),
    }
    for pk in ids:
        mine = [r for r in replies if r.proposal_id == pk]
        if mine and max(mine, key=lambda r: r.round).reply_class_id in solved_classes:
            figures["solved"].add(pk)
    for state in S:
        if state != S.DRAFT:
            figures[f"state_{state.value}"] = {p.pk for p in items if p.state == state}
    lines = {"total": figures}
    measures = [name for name in figures if not name.startswith("state_")]
    present = {}  # item → its present lead assignment: live, of the highest round (then the latest row)
    for a in assignments:
        if a.role == Assignment.Role.LEAD and a.state in LIVE:
            if a.proposal_id not in present or (a.round, a.pk) > (present[a.proposal_id].round,
                                                                  present[a.proposal_id].pk):
                present[a.proposal_id] = a
    units = {}
    for pk, a in present.items():
        units.setdefault(a.unit_id, set()).add(pk)
    for unit_id, members in units.items():
        lines[("unit", unit_id)] = {name: figures[name] & members for name in measures}
    categories = {}
    for p in items:
        categories.setdefault(p.category_id, set()).add(p.pk)
    for category_id, members in categories.items():
        lines[("category", category_id)] = {name: figures[name] & members for name in measures}
    return lines


def board_lines(board) -> dict:
    """The board's counts in the shape of ``recompute`` (numbers instead of sets)."""
    lines = {"total": dict(board.totals.counts) | {f.name: n for f, n in board.states}}
    for row in board.units:
        lines[("unit", row.pk)] = dict(row.counts)
    for row in board.categories:
        lines[("category", row.pk)] = dict(row.counts)
    return lines


def sizes(lines: dict) -> dict:
    return {line: {name: len(members) for name, members in figures.items()} for line, figures in lines.items()}
