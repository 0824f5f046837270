"""Writes of supervision (督办) and merged handling (并案).

A key item gets a leading supervisor (a 主任会议 member of the congress's standing committee), who is notified
(``services.leaders``), and a tracking special committee; what they do is recorded on the item. Items alike may
be handled together: they are assigned together and answered once, each keeping its own reply and ratings.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.committee.models import COUNCIL_POSTS
from apps.proposals.models import MergeGroup, Proposal, Supervision, SupervisionRecord
from apps.proposals.services import leaders, transitions
from apps.proposals.services._common import check_handler, lock_with_group

S = Proposal.State
SUPERVISABLE = (S.REGISTERED, S.DOCKETED, S.ASSIGNED, S.HANDLING, S.REPLIED, S.REHANDLING)
MERGEABLE = (S.REGISTERED, S.DOCKETED)


@transaction.atomic
def supervision_start(*, proposal: Proposal, user, leader, committee=None) -> Supervision:
    """Make the item a key item under a leading supervisor and a tracking special committee."""
    current = transitions.lock(proposal.pk)
    check_handler(user, current)
    if current.state not in SUPERVISABLE:
        raise ValidationError(_("“%(title)s” is %(state)s: it cannot be put under supervision now.")
                              % {"title": current.title, "state": current.get_state_display()}, code="state")
    if Supervision.objects.filter(proposal=current).exists():
        raise ValidationError(_("“%(title)s” is already under supervision.") % {"title": current.title},
                              code="done")
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    if leader is None:
        errors.setdefault("leader", []).append(_("Choose the leading supervisor."))
    elif (leader.jurisdiction_id != current.jurisdiction_id or leader.post not in COUNCIL_POSTS
          or not leader.serves_on(today)):
        errors.setdefault("leader", []).append(
            _("%(person)s is not a serving member of the council (主任会议) of %(congress)s.")
            % {"person": leader.person, "congress": current.jurisdiction})
    if committee is not None and committee.jurisdiction_id != current.jurisdiction_id:
        errors.setdefault("committee", []).append(_("%(committee)s is not a special committee of %(congress)s.")
                                                  % {"committee": committee, "congress": current.jurisdiction})
    if errors:
        raise ValidationError(errors)
    supervision = Supervision.objects.create(proposal=current, leader=leader, committee=committee,
                                             started_on=today, created_by=user)
    leaders.leader_named_notify(supervision=supervision)
    if not current.is_key:
        current.is_key = True
        current.version += 1
        current.save(update_fields=["is_key", "version", "updated_at"])
    if proposal is not current:
        proposal.refresh_from_db()
    return supervision


@transaction.atomic
def supervision_record_add(*, supervision: Supervision, user, kind: str, date: datetime.date,
                           content: str) -> SupervisionRecord:
    """A meeting, an inspection of the unit by deputies, an instruction ... on a supervised item."""
    errors: dict[str, list[str]] = {}
    if kind not in SupervisionRecord.Kind.values:
        errors.setdefault("kind", []).append(_("Choose what was done."))
    if date is None:
        errors.setdefault("date", []).append(_("Give the date."))
    elif date > timezone.localdate():
        errors.setdefault("date", []).append(_("The date cannot be in the future."))
    if not (content or "").strip():
        errors.setdefault("content", []).append(_("Write what was done."))
    if errors:
        raise ValidationError(errors)
    return SupervisionRecord.objects.create(supervision=supervision, kind=kind, date=date, content=content.strip(),
                                            recorded_by=user)


@transaction.atomic
def merge_group_create(*, proposals, user, name: str) -> MergeGroup:
    """Handle items together (并案): registered (or docketed) items of one congress, not yet assigned."""
    pks = sorted({p.pk for p in proposals})
    if len(pks) < 2:
        raise ValidationError({"proposals": _("Choose at least two items to handle together.")})
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the merged handling a name.")})
    items = [transitions.lock(pk) for pk in pks]
    errors = []
    for item in items:
        check_handler(user, item)
        if item.state not in MERGEABLE:
            errors.append(_("“%(title)s” is %(state)s: only registered items not yet assigned can be handled "
                            "together.") % {"title": item.title, "state": item.get_state_display()})
        elif item.merge_group_id is not None:
            errors.append(_("“%(title)s” is already handled together with other items.") % {"title": item.title})
        elif item.jurisdiction_id != items[0].jurisdiction_id:
            errors.append(_("“%(title)s” belongs to another congress.") % {"title": item.title})
    if errors:
        raise ValidationError({"proposals": errors})
    group = MergeGroup.objects.create(name=name, created_by=user)
    for item in items:
        item.merge_group = group
        item.version += 1
        item.save(update_fields=["merge_group", "version", "updated_at"])
    return group


@transaction.atomic
def merge_group_leave(*, proposal: Proposal, user) -> None:
    """Take an item out of its merge group before it is assigned; a group left with one item is dissolved."""
    current, _group = lock_with_group(proposal.pk)
    check_handler(user, current)
    if current.merge_group_id is None:
        raise ValidationError(_("“%(title)s” is not handled together with other items.") % {"title": current.title},
                              code="none")
    if current.state not in MERGEABLE:
        raise ValidationError(_("“%(title)s” is %(state)s: it can leave the merged handling only before it is "
                                "assigned.") % {"title": current.title, "state": current.get_state_display()},
                              code="state")
    group_id = current.merge_group_id
    current.merge_group = None
    current.version += 1
    current.save(update_fields=["merge_group", "version", "updated_at"])
    dissolve_if_single(group_id)
    if proposal is not current:
        proposal.refresh_from_db()


def dissolve_if_single(group_id: int) -> None:
    """A group of one is no group: its last item leaves and the group is deleted."""
    rest = list(Proposal.objects.filter(merge_group_id=group_id).values_list("pk", flat=True))
    if len(rest) > 1:
        return
    for pk in rest:
        item = transitions.lock(pk)
        item.merge_group = None
        item.version += 1
        item.save(update_fields=["merge_group", "version", "updated_at"])
    MergeGroup.objects.filter(pk=group_id).delete()
