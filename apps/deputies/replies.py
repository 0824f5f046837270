"""What activities and training share about the replies to a meeting notice that names one of their records
(``apps.core.registry.meeting_replies``): the proposals their pages show (the repliers not recorded yet, each
with the attendance the reply proposes) and the proposals staff confirm, as posted back.

Nothing here writes: the confirmed proposals are added by each app's own service, so a reply never counts until
staff confirm it at the door."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from apps.core.access import is_pk
from apps.core.registry import MeetingReplies, MeetingReply
from apps.deputies.attendance import Attendance
from apps.deputies.validators import normalize_text

REASON_MAX = 200  # the leave reason of a participation and of a training attendance


@dataclass(frozen=True)
class Proposal:
    """A replier not recorded yet: the reply, and whether he may be recorded (an eligible mandate)."""

    reply: MeetingReply
    eligible: bool

    @property
    def reason(self) -> str:
        return self.reply.reason[:REASON_MAX]


def proposals(replies: MeetingReplies, *, recorded: set[int],
              candidates: Callable[[list[int]], dict[int, int]]) -> list[Proposal]:
    """The deputies who replied and are not recorded yet, in name order; ``candidates(person_ids)`` gives the
    mandate each eligible one would be recorded under (one query, only when someone is pending)."""
    pending = [r for r in replies.replied if r.person_id is not None and r.person_id not in recorded]
    eligible = candidates([r.person_id for r in pending]) if pending else {}
    return [Proposal(reply=r, eligible=r.person_id in eligible) for r in pending]


@dataclass
class ConfirmedReplies:
    """The proposals staff confirm, as posted: the ticked ``reply-person`` ids, each with its
    ``reply-attendance-<id>`` and ``reply-reason-<id>``. ``errors`` says what is wrong (nothing may be saved)."""

    person_ids: list[int] = field(default_factory=list)
    attendances: dict[int, str] = field(default_factory=dict)
    reasons: dict[int, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @classmethod
    def from_post(cls, data) -> ConfirmedReplies:
        confirmed = cls()
        values = data.getlist("reply-person")
        if not values:
            confirmed.errors.append(_("Tick the replies to confirm."))
            return confirmed
        if len(values) > 5000 or not all(is_pk(v) for v in values):
            confirmed.errors.append(_("The replies posted are not those of this page; reload it."))
            return confirmed
        for person_id in dict.fromkeys(int(v) for v in values):
            attendance = data.get(f"reply-attendance-{person_id}", "")
            reason = normalize_text((data.get(f"reply-reason-{person_id}", "") or "").replace("\x00", ""))
            if attendance not in Attendance.values:
                confirmed.errors.append(_("Choose present, on leave or absent for every reply ticked."))
                return confirmed
            if len(reason) > REASON_MAX:
                confirmed.errors.append(_("A reason for leave is too long (at most %(max)s characters).")
                                        % {"max": REASON_MAX})
                return confirmed
            confirmed.person_ids.append(person_id)
            confirmed.attendances[person_id] = attendance
            confirmed.reasons[person_id] = reason if attendance == Attendance.LEAVE else ""
        return confirmed
