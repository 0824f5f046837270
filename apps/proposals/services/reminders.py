"""Reminders about motions and suggestions, sent by the periodic tasks (``apps.proposals.tasks``).

- Units: 14 and 3 days before a deadline of theirs and once when it is overdue (the deadlines of a live
  assignment: sign or return, co-unit opinion, reply, re-handling, follow-up report).
- Deputies: a reply awaiting their rating, once per reply and signer, when its rating window closes within
  5 days (they were told of the reply when it was written: ``services.handling``).
- Supervisors: a weekly digest of their board, once per ISO week and jurisdiction.

Each reminder is claimed by inserting its ``ReminderSent`` key (unique) in the transaction that notifies: a
second run, or a run on another worker at the same moment (its INSERT waits for ours and then conflicts),
finds the key and sends nothing. The key of a deadline names its due date: a deadline moved by an approved
extension is reminded again for the new date.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core import roles
from apps.core.services import notify
from apps.proposals.models import Assignment, Deadline, Proposal, Rating, ReminderSent, Reply, Signature
from apps.proposals.selectors import board as board_selectors

# A reminder "14 days before" goes out once fewer than 14 days are left, and only for deadlines that gave the
# unit at least that long (a 5-working-day deadline to sign is not reminded on the day it was set).
STEPS = (("3", 3), ("14", 14))
OVERDUE = "overdue"
REMIND_WITHIN_DAYS = max(days for _step, days in STEPS)
LIVE_ASSIGNMENT = (Assignment.State.PENDING, Assignment.State.ACCEPTED)
DIGEST_UNITS = 10  # units with the most overdue items named in a digest
RATING_REMIND_DAYS = 5  # days before the rating window closes


def _day(value: datetime.date) -> str:
    return date_format(value, "DATE_FORMAT")


def _sent(keys) -> set[str]:
    """The keys among ``keys`` already claimed (a shortcut: the claim itself is what guarantees once)."""
    return set(ReminderSent.objects.filter(key__in=list(keys)).values_list("key", flat=True))


def _claim(key: str) -> bool:
    """Claim ``key`` (call inside the transaction that notifies); False if a run already has."""
    _row, created = ReminderSent.objects.get_or_create(key=key)
    return created


def _label(proposal: Proposal) -> str:
    return (_("%(number)s “%(title)s”") % {"number": proposal.number_label, "title": proposal.title}).strip()


# --- units: deadlines ---------------------------------------------------------------------------------------

def deadline_step(deadline: Deadline, today: datetime.date) -> str | None:
    """Which reminder ``deadline`` is due for on ``today``: "14", "3", "overdue" or none."""
    left = (deadline.due_on - today).days
    if left < 0:
        return OVERDUE
    span = (deadline.due_on - deadline.starts_on).days
    for step, days in STEPS:
        if left <= days:
            return step if span >= days else None
    return None


def deadline_key(deadline: Deadline, step: str) -> str:
    return f"deadline:{deadline.pk}:{deadline.due_on:%Y%m%d}:{step}"


def deadlines_to_remind(today: datetime.date):
    """Open deadlines of live assignments due within the reminder window or past it."""
    return (Deadline.objects.filter(is_open=True, assignment__isnull=False, assignment__state__in=LIVE_ASSIGNMENT,
                                    due_on__lte=today + datetime.timedelta(days=REMIND_WITHIN_DAYS))
            .exclude(kind=Deadline.Kind.RATING)
            .select_related("assignment__unit", "proposal")
            .order_by("due_on", "pk"))


def deadline_reminders_send(*, today: datetime.date) -> dict[str, int]:
    """Remind units of their deadlines 14 and 3 days before and once overdue. Each deadline and step is
    claimed and notified in its own transaction. Returns the reminders sent and the accounts notified."""
    due = [(d, step) for d in deadlines_to_remind(today) if (step := deadline_step(d, today))]
    sent = _sent(deadline_key(d, step) for d, step in due)
    due = [(d, step) for d, step in due if deadline_key(d, step) not in sent]
    accounts = defaultdict(list)
    for user in User.objects.filter(handling_unit_id__in={d.assignment.unit_id for d, _s in due}, is_active=True):
        accounts[user.handling_unit_id].append(user)
    reminders = notified = 0
    for deadline, step in due:
        with transaction.atomic():
            if not _claim(deadline_key(deadline, step)):
                continue
            users = accounts[deadline.assignment.unit_id]
            if users:
                _notify_unit(deadline, step, users, today)
            reminders += 1
            notified += len(users)
    return {"reminders": reminders, "notified": notified}


def _notify_unit(deadline: Deadline, step: str, users, today: datetime.date) -> None:
    values = {"what": deadline.get_kind_display(), "date": _day(deadline.due_on),
              "item": _label(deadline.proposal), "days": (deadline.due_on - today).days}
    if step == OVERDUE:
        title = _("Overdue: %(what)s was due on %(date)s") % values
        body = _("%(item)s: %(what)s was due on %(date)s and is overdue. Act on it now, or ask for an "
                 "extension if the rules allow one.") % values
    else:
        title = _("Reminder: %(what)s due in %(days)s days, on %(date)s") % values
        body = _("%(item)s: %(what)s is due on %(date)s.") % values
    notify(recipients=users, title=title, body=body, sms=True,
           url=reverse("proposals:unit_assignment", args=[deadline.assignment_id]))


# --- deputies: replies awaiting their rating ----------------------------------------------------------------

def rating_key(reply_id: int, signature_id: int) -> str:
    return f"rating:{reply_id}:{signature_id}"


def signatures_awaiting_rating(today: datetime.date):
    """Counting signatures (the lead, confirmed co-signers) of replied items that have not rated the reply of
    the item's present round and whose rating window closes from today to ``RATING_REMIND_DAYS`` on, with
    ``reply_id`` and the rating deadline ``rating_due_on``."""
    reply = Reply.objects.filter(proposal_id=OuterRef("proposal_id"), round=OuterRef("proposal__round"))
    rated = Rating.objects.filter(signature_id=OuterRef("pk"), round=OuterRef("proposal__round"))
    rating_due = (Deadline.objects.filter(proposal_id=OuterRef("proposal_id"), kind=Deadline.Kind.RATING,
                                          round=OuterRef("proposal__round"), is_open=True)
                  .order_by("-due_on").values("due_on")[:1])
    return (Signature.objects.filter(proposal__state=Proposal.State.REPLIED, declined_at__isnull=True)
            .filter(Q(role=Signature.Role.LEAD) | Q(confirmed_at__isnull=False))
            .annotate(reply_id=Subquery(reply.values("pk")[:1]), rating_due_on=Subquery(rating_due))
            .filter(reply_id__isnull=False, rating_due_on__range=(
                today, today + datetime.timedelta(days=RATING_REMIND_DAYS)))
            .filter(~Exists(rated))
            .select_related("proposal").order_by("proposal_id", "pk"))


def rating_reminders_send(*, today: datetime.date) -> dict[str, int]:
    """Remind each signer, once per reply, that it awaits their rating before the window closes. Returns
    reminders and accounts notified."""
    waiting = list(signatures_awaiting_rating(today))
    sent = _sent(rating_key(s.reply_id, s.pk) for s in waiting)
    waiting = [s for s in waiting if rating_key(s.reply_id, s.pk) not in sent]
    accounts = defaultdict(list)
    for user in User.objects.filter(person_id__in={s.person_id for s in waiting}, is_active=True):
        accounts[user.person_id].append(user)
    reminders = notified = 0
    for signature in waiting:
        with transaction.atomic():
            if not _claim(rating_key(signature.reply_id, signature.pk)):
                continue
            users = accounts[signature.person_id]
            if users:
                values = {"item": _label(signature.proposal), "date": _day(signature.rating_due_on)}
                body = " ".join([_("The reply to %(item)s awaits your rating: satisfied, basically satisfied "
                                   "or unsatisfied.") % values, _("Please rate it by %(date)s.") % values])
                notify(recipients=users, title=_("A reply awaits your rating: %(item)s") % values, body=body,
                       url=reverse("proposals:my_rating", args=[signature.proposal_id]), sms=True)
            reminders += 1
            notified += len(users)
    return {"reminders": reminders, "notified": notified}


# --- supervisors: the weekly digest -------------------------------------------------------------------------

def digest_period(today: datetime.date) -> str:
    year, week, _weekday = today.isocalendar()
    return f"{year}-W{week:02d}"


def digest_key(jurisdiction_id: int, today: datetime.date) -> str:
    return f"digest:{jurisdiction_id}:{digest_period(today)}"


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def supervisor_digests_send(*, today: datetime.date) -> dict[str, int]:
    """Send the supervisors of each jurisdiction their board's figures once per ISO week. Returns the digests
    sent and the accounts notified."""
    by_jurisdiction = defaultdict(list)
    for user in (User.objects.filter(is_active=True, groups__name=roles.SUPERVISOR, jurisdiction__isnull=False)
                 .select_related("jurisdiction").order_by("pk")):
        by_jurisdiction[user.jurisdiction].append(user)
    sent = _sent(digest_key(j.pk, today) for j in by_jurisdiction)
    digests = notified = 0
    for jurisdiction, users in sorted(by_jurisdiction.items(), key=lambda kv: kv[0].path):
        if digest_key(jurisdiction.pk, today) in sent:
            continue
        with transaction.atomic():
            if not _claim(digest_key(jurisdiction.pk, today)):
                continue
            scope = board_selectors.board_scope(
                Proposal.objects.filter(jurisdiction__path__startswith=jurisdiction.path))
            figures = board_selectors.board(scope, today=today)
            year, week, _weekday = today.isocalendar()
            notify(recipients=users, title=_("Weekly digest of motions and suggestions: %(name)s, week %(week)s "
                                             "of %(year)s") % {"name": jurisdiction.name, "week": week, "year": year},
                   body=_digest_body(figures), url=reverse("proposals:board"))
            digests += 1
            notified += len(users)
    return {"digests": digests, "notified": notified}


def _digest_body(figures) -> str:
    t = figures.totals
    c = t.counts
    lines = [
        _("Items: %(total)s; assigned %(assigned)s, replied %(replied)s (reply rate %(rate)s).") % {
            "total": c["total"], "assigned": c["assigned"], "replied": c["replied"], "rate": _rate(t.reply_rate)},
        _("Overdue: %(overdue)s; due within %(days)s days: %(due_soon)s.") % {
            "overdue": c["overdue"], "due_soon": c["due_soon"], "days": board_selectors.DUE_SOON_DAYS},
        _("Satisfaction rate %(satisfaction)s, first-round satisfaction rate %(first)s, class A rate %(solved)s.")
        % {"satisfaction": _rate(t.satisfaction_rate), "first": _rate(t.first_round_satisfaction_rate),
           "solved": _rate(t.solved_rate)},
    ]
    late = sorted((u for u in figures.units if u.counts["overdue"]), key=lambda u: (-u.counts["overdue"], u.name))
    if late:
        lines.append(_("Units with overdue items:"))
        lines += [_("%(unit)s: %(count)s overdue") % {"unit": u.name, "count": u.counts["overdue"]}
                  for u in late[:DIGEST_UNITS]]
    return "\n".join(lines)
