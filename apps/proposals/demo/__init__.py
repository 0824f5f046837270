"""Demo motions and suggestions modelled on 长春: three years (the current year and the two before it, up to
today) of what the municipal deputies raised and how the city's 60 handling units answered.

Run by ``manage.py seed_demo`` last. Every congress term gets its yearly sessions (次会议); the city congress's
deputies raise ``changchun``: about 1,500 suggestions and 5–10 motions a year (most during the session in
January, the rest between sessions); ``small``: about 100 suggestions and 2 motions a year. Each item lives
through the same story the services write — submitted, registered with a number per session and kind, a motion
docketed or converted, assigned to a lead unit and sometimes co-units (deadlines from ``apps.proposals.rules``
naming the rule), signed for or returned and reassigned, communications, co-unit opinions, an extension asked
for now and then, the reply (A≈45%, B≈30%, C≈15%, D≈10%), the signers' ratings (≈85% satisfied or basically
satisfied in round 1), re-handling after 不满意, follow-ups of B and C replies — and stops where today falls:
older items are closed, recent ones are anywhere on the way, some are late. A few are returned to the deputy
or withdrawn, some handled together (并案), key items (重点建议) supervised by a 主任会议 member.

The ``deputy`` account's person (张三丰) leads or co-signs an item in every state (a draft, one awaiting his
rating, a follow-up awaiting his answer, a co-signature to confirm ...), the ``unit`` account's unit (市住房和城乡
建设局) has items in every state of its work (to sign for, overdue, to re-handle, an extension pending, a
follow-up report due, a co-unit opinion to send).

Rows are built in memory — no query per item; working days are counted with the calendar read once
(``apps.core.calendar.preloaded``) — and written with COPY (ids drawn from the sequences first, timestamps
that ``auto_now_add`` would set to now given their story's time), with each item's state changes in the audit
trail as ``services.transitions.move`` writes them. ``reset`` removes it all (the audit log is truncated by
``apps.core.demo.reset``).

The package: ``texts`` (what the items say: topics, reasons, replies, comments), ``story`` (the sessions and
each item's story up to today, a year of items, and writing the rows), ``account_items`` (the items the demo
accounts always have, in every state of their work).
"""

from __future__ import annotations

from apps.core import calendar
from apps.core.demo import DemoContext, wipe
from apps.deputies.models import Session
from apps.proposals.demo.story import _Builder
from apps.proposals.models import (
    Assignment, Communication, Deadline, ExtensionRequest, FollowUp, HandlingRule, MergeGroup, Proposal,
    ProposalAttachment, Rating, ReminderSent, Reply, Signature, Supervision, SupervisionRecord,
)


def has_data() -> bool:
    return Proposal.objects.exists()


def seed(ctx: DemoContext) -> None:
    with calendar.preloaded():
        _Builder(ctx).build()


def reset(ctx: DemoContext) -> None:
    """Delete the demo's items and everything hanging off them, the sessions, and the handling rules (they point
    at the demo's jurisdictions; categories and reply classes stay: the defaults made them)."""
    wipe(SupervisionRecord, Supervision, ExtensionRequest, FollowUp, Rating, Reply, Communication, Deadline,
         Assignment, ProposalAttachment, Signature, Proposal, MergeGroup, ReminderSent, HandlingRule, Session)
