"""Moving an item from one state to another: checked against ``rules.TRANSITIONS``, written with a
conditional UPDATE on the state and version that were read, audited.

Two people acting on one item at once: both read the same state and version, the first UPDATE moves the row
and bumps the version, the second touches no row and is refused (``ConcurrentChangeError``) — nothing of it is
written because every service runs in one transaction and calls ``move`` before its other writes.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import AuditEvent
from apps.core.services import audit_event
from apps.core.signals import send_records_written
from apps.proposals import rules
from apps.proposals.models import Proposal


class ConcurrentChangeError(ValidationError):
    def __init__(self):
        super().__init__(_("Someone else acted on this item at the same time; nothing was changed. "
                           "Reload the page to see its present state."), code="concurrent")


def lock(proposal_pk: int) -> Proposal:
    """Read the item for a change (``SELECT ... FOR UPDATE``): the caller is inside a transaction."""
    return Proposal.objects.select_for_update(of=("self",)).select_related("jurisdiction").get(pk=proposal_pk)


@transaction.atomic
def move(proposal: Proposal, action: str, *, to: str | None = None, user=None, detail: str = "",
         **fields) -> Proposal:
    """Apply ``action`` to ``proposal`` as it was read (its ``state`` and ``version``).

    ``to`` overrides the table's target (``rate`` → closed or rehandling; ``accept`` → handling). ``fields``
    are written in the same UPDATE (e.g. ``number=12``, ``registered_at=now``). Raises ``ValidationError``
    when the action is not allowed in the state read, ``ConcurrentChangeError`` when the row changed since.
    """
    rules.check_transition(proposal, action)
    target = to or rules.TRANSITIONS[action][1] or proposal.state
    updated = Proposal.objects.filter(pk=proposal.pk, state=proposal.state, version=proposal.version).update(
        state=target, version=F("version") + 1, updated_at=timezone.now(), **fields)
    if updated != 1:
        raise ConcurrentChangeError()
    send_records_written(Proposal, pks=[proposal.pk])  # its state decides whether its signatures count
    before = proposal.state
    proposal.state = target
    proposal.version += 1
    for name, value in fields.items():
        setattr(proposal, name, value)
    audit_event(user=user, action=AuditEvent.Action.PROPOSAL_STATE, obj=proposal,
                detail=f"{action}: {before} → {target}" + (f" · {detail}" if detail else ""))
    return proposal
