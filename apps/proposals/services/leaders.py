"""Notifications to the leader (a 主任会议 member) who leads the supervision of a key item (督办): when they are
named, and when an item they lead becomes overdue (the daily reminders, ``tasks.send_daily_reminders``).

Both go to the leader's account (``CommitteeMember.user``) as an in-app notification and by email through the
outbox (``apps.core.services.notify``). Each is sent once: its ``ReminderSent`` key is claimed in the
transaction that notifies (see ``services.reminders``). An item becomes overdue when an open reply or
re-handling deadline of it passes (the board's "overdue"); the deadlines that passed together make one
notification, and a deadline moved by an extension that passes again makes a new one.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.committee.models import serving_q
from apps.core.services import notify
from apps.proposals.models import Deadline, Proposal, Supervision
from apps.proposals.selectors.board import HANDLING_DEADLINES
from apps.proposals.services.reminders import _claim, _day, _label, _sent


def _leader_url(proposal_id: int) -> str:
    return reverse("proposals:leader_detail", args=[proposal_id])


def named_key(supervision: Supervision) -> str:
    return f"leader-named:{supervision.pk}"


def overdue_key(supervision_id: int, deadline: Deadline) -> str:
    return f"leader-overdue:{supervision_id}:{deadline.pk}:{deadline.due_on:%Y%m%d}"


def _account(supervision: Supervision):
    user = supervision.leader.user
    return user if user is not None and user.is_active else None


@transaction.atomic
def leader_named_notify(*, supervision: Supervision) -> bool:
    """Tell the leading supervisor they were named (once per supervision). False if they have no account."""
    user = _account(supervision)
    if user is None or not _claim(named_key(supervision)):
        return False
    proposal = supervision.proposal
    values = {"item": _label(proposal), "post": supervision.leader.get_post_display()}
    body = [_("You were named the leading supervisor (%(post)s) of the key item %(item)s.") % values]
    if supervision.committee_id:
        body.append(_("Tracking special committee: %(committee)s.") % {"committee": supervision.committee.name})
    body.append(_("Follow its handling and record what you do in supervising it on its page."))
    notify(recipients=[user], title=_("You lead the supervision of %(item)s") % values, body=" ".join(body),
           url=_leader_url(proposal.pk))
    return True


def overdue_deadlines_of_led_items(today: datetime.date):
    """Open reply and re-handling deadlines past due of items under supervision whose leader has an active
    account and holds the post today."""
    return (Deadline.objects.filter(is_open=True, kind__in=HANDLING_DEADLINES, due_on__lt=today,
                                    proposal__supervision__leader__user__is_active=True)
            .filter(serving_q(today, today, "proposal__supervision__leader__"))
            .exclude(proposal__state=Proposal.State.DRAFT)
            .select_related("proposal__supervision__leader__user", "assignment__unit")
            .order_by("proposal_id", "due_on", "pk"))


def leader_overdue_reminders_send(*, today: datetime.date) -> dict[str, int]:
    """Tell each leader, once per item and event, that an item they lead is overdue. Returns the reminders
    sent and the accounts notified."""
    by_item = defaultdict(list)
    for deadline in overdue_deadlines_of_led_items(today):
        by_item[deadline.proposal_id].append(deadline)
    sent = _sent(overdue_key(ds[0].proposal.supervision.pk, d) for ds in by_item.values() for d in ds)
    reminders = notified = 0
    for deadlines in by_item.values():
        supervision = deadlines[0].proposal.supervision
        new = [d for d in deadlines if overdue_key(supervision.pk, d) not in sent]
        if not new:
            continue
        with transaction.atomic():
            new = [d for d in new if _claim(overdue_key(supervision.pk, d))]
            if not new:
                continue
            _notify_overdue(supervision, new)
            reminders += 1
            notified += 1
    return {"reminders": reminders, "notified": notified}


def _notify_overdue(supervision: Supervision, deadlines: list[Deadline]) -> None:
    proposal = deadlines[0].proposal
    item = _label(proposal)
    lines = [_("%(item)s, which you lead the supervision of, is overdue:") % {"item": item}]
    for d in deadlines:
        lines.append(_("%(what)s of %(unit)s was due on %(date)s.") % {
            "what": d.get_kind_display(), "unit": d.assignment.unit.name if d.assignment_id else "—",
            "date": _day(d.due_on)})
    notify(recipients=[supervision.leader.user], title=_("Overdue key item you lead: %(item)s") % {"item": item},
           body="\n".join(lines), url=_leader_url(proposal.pk))
