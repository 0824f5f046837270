"""The liaison plan's allocator (联系代表安排的自动分配): whom each standing committee member is proposed to contact.

Pure: it takes plain data — the members with their quotas, the collective quotas, the candidate deputies,
delegations and groups, and what the plan already assigns — and returns the assignments to add; it reads no
database. ``services.plans.plan_propose`` loads the data and writes the result.

The rules: members are served in the order given (the council first, then by pinyin), their quotas in the
order given. A deputy is the least assigned serving deputy of the level (nobody's first), in the order given,
never the member themself nor a person the member already has at any level; one count of assignments per
person across all levels. Delegations are those of the member's own term, spread so that none gets a second
member before each has one. A collective quota (the council's groups) is dealt out one at a time to the
covered member with the fewest of that target, never a group another covered member already has.
Deterministic: the same data always gives the same proposal.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from apps.liaison.models import QuotaTarget
from apps.liaison.rules import LEVEL_TARGETS


@dataclass(frozen=True)
class Member:
    """A member as the allocator sees them: ``needs`` are their own quotas, (target, quantity), in order."""

    id: int
    person_id: int
    term_id: int
    needs: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Collective:
    """A quota that the members ``member_ids`` (in member order) cover together, e.g. the council's groups."""

    target: str
    quantity: int
    member_ids: tuple[int, ...]


@dataclass(frozen=True)
class Deputy:
    """A serving mandate that may be assigned: one person counts once, whatever their mandates."""

    mandate_id: int
    person_id: int
    level: str


@dataclass(frozen=True)
class Held:
    """An assignment the plan already has: ``key`` is the person for a deputy, else the delegation or group."""

    member_id: int
    target: str
    key: int


@dataclass(frozen=True)
class Proposed:
    """An assignment to add: ``item_id`` is the mandate for a deputy, else the delegation or group."""

    member_id: int
    target: str
    item_id: int


class _Pool:
    """Candidates for one kind of target, in a fixed order, with how many assignments each already has."""

    def __init__(self, items: list, key: Callable, load: Counter):
        self.items = items
        self.key = key
        self.load = load

    def pick(self, exclude: set):
        """The least assigned candidate not in ``exclude``, the first in order among equals; None if none."""
        best = None
        for item in self.items:
            k = self.key(item)
            if k in exclude:
                continue
            if best is None or self.load[k] < self.load[self.key(best)]:
                best = item
                if self.load[k] == 0:
                    break
        return best


def _same(value):
    return value


def allocate(*, members: Sequence[Member], collective: Iterable[Collective] = (),
             deputies: Iterable[Deputy] = (), delegations: Mapping[int, Sequence[int]] | None = None,
             groups: Sequence[int] = (), held: Iterable[Held] = ()) -> list[Proposed]:
    """The assignments that fill every gap between the quotas and ``held``, in the order they were chosen.

    ``deputies`` are the candidates of every level, in pinyin order; ``delegations`` maps a term to its
    delegations in order; ``groups`` are the jurisdiction's own groups in order.
    """
    people_load: Counter = Counter()      # one count per person across every level
    delegation_load: Counter = Counter()  # one count across terms
    deputies = list(deputies)
    pools = {level: _Pool([d for d in deputies if d.level == level], lambda d: d.person_id, people_load)
             for level in LEVEL_TARGETS}
    delegation_pools = {term_id: _Pool(list(ids), _same, delegation_load)
                        for term_id, ids in (delegations or {}).items()}
    group_pool = _Pool(list(groups), _same, Counter())

    taken: dict[tuple[int, str], set] = defaultdict(set)  # (member, target) → keys assigned
    taken_people: dict[int, set] = defaultdict(set)       # member → people assigned, at any level
    for h in held:
        taken[(h.member_id, h.target)].add(h.key)
        if h.target in LEVEL_TARGETS:
            taken_people[h.member_id].add(h.key)
            people_load[h.key] += 1
        elif h.target == QuotaTarget.DELEGATION:
            delegation_load[h.key] += 1
        else:
            group_pool.load[h.key] += 1

    proposed: list[Proposed] = []

    def assign(member: Member, target: str, item) -> int:
        if target in LEVEL_TARGETS:
            key, item_id = item.person_id, item.mandate_id
            taken_people[member.id].add(key)
            people_load[key] += 1
        else:
            key = item_id = item
            (delegation_load if target == QuotaTarget.DELEGATION else group_pool.load)[key] += 1
        taken[(member.id, target)].add(key)
        proposed.append(Proposed(member.id, target, item_id))
        return key

    def pool_for(member: Member, target: str) -> tuple[_Pool | None, set]:
        if target in LEVEL_TARGETS:
            return pools[target], taken_people[member.id] | {member.person_id}
        if target == QuotaTarget.DELEGATION:
            return delegation_pools.get(member.term_id), taken[(member.id, target)]
        return group_pool, taken[(member.id, target)]

    for member in members:
        for target, quantity in member.needs:
            for _i in range(quantity - len(taken[(member.id, target)])):
                pool, exclude = pool_for(member, target)
                item = pool.pick(exclude) if pool is not None else None
                if item is None:
                    break
                assign(member, target, item)

    by_id = {m.id: m for m in members}
    for quota in collective:
        covered = [by_id[i] for i in quota.member_ids]
        if not covered:
            continue
        covered_keys = set().union(*(taken[(m.id, quota.target)] for m in covered))
        while len(covered_keys) < quota.quantity:
            member = min(covered, key=lambda m: len(taken[(m.id, quota.target)]))  # first among equals
            pool, exclude = pool_for(member, quota.target)
            item = pool.pick(exclude | covered_keys) if pool is not None else None
            if item is None:
                break
            covered_keys.add(assign(member, quota.target, item))
    return proposed
