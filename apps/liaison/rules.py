"""The liaison rules in one place: which quota a member must cover, and the pace of contacts expected by a date.

Quota rules are data (``QuotaRule``); this module only says how they combine:

- A rule with no jurisdiction is a default. A jurisdiction's own rule replaces the default with the same
  (post, target, collective); a rule with quantity 0 switches a default off.
- ``council`` rules apply to each of the three council posts (director, vice director, secretary-general).
  A rule for one of those posts itself wins over the ``council`` rule for the same target.
- A ``collective`` rule is a quota of the members of its post(s) together: the 主任会议 together covers 12
  deputy groups; it is not asked of each of them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.committee.models import COUNCIL_POSTS, CommitteeMember, Post
from apps.deputies.models import Level
from apps.liaison.models import QuotaRule, QuotaTarget

DEFAULT_CONTACTS_PER_YEAR = 4
LEVEL_TARGETS = tuple(level.value for level in Level)
POST_ORDER = {post.value: i for i, post in enumerate(Post)}
TARGET_ORDER = {target.value: i for i, target in enumerate(QuotaTarget)}

GREEN, AMBER, RED = "green", "amber", "red"
STATUS_CHOICES = [(GREEN, _("On pace")), (AMBER, _("Behind by one")), (RED, _("Behind"))]
STATUS_LABELS = dict(STATUS_CHOICES)
_SEVERITY = {GREEN: 0, AMBER: 1, RED: 2}


@dataclass(frozen=True)
class Requirement:
    """What a member (or, when ``collective``, the members of a post together) must cover."""

    target: str
    quantity: int
    contacts_per_year: int
    collective: bool = False
    post: str = ""

    @property
    def target_label(self) -> str:
        return QuotaTarget(self.target).label

    @property
    def post_label(self) -> str:
        return dict(QuotaRule.POST_CHOICES).get(self.post, self.post)


# --- which rules apply -------------------------------------------------------------------------------------

def effective_rules(jurisdiction) -> list[QuotaRule]:
    """The rules in force for ``jurisdiction``: the defaults, each replaced by the jurisdiction's own rule for the
    same (post, target, collective). One query; ordered by post, target."""
    rules = QuotaRule.objects.filter(Q(jurisdiction__isnull=True) | Q(jurisdiction=jurisdiction))
    return merge_rules(rules)


def merge_rules(rules: Iterable[QuotaRule]) -> list[QuotaRule]:
    chosen: dict[tuple, QuotaRule] = {}
    for rule in rules:
        key = (rule.post, rule.target, rule.collective)
        if key not in chosen or rule.jurisdiction_id is not None:
            chosen[key] = rule
    return sorted(chosen.values(), key=lambda r: (r.post != QuotaRule.COUNCIL, POST_ORDER.get(r.post, -1),
                                                   r.collective, TARGET_ORDER[r.target]))


def rule_posts(rule_post: str) -> tuple[str, ...]:
    """The posts a rule's ``post`` stands for (``council`` is the three council posts)."""
    return tuple(COUNCIL_POSTS) if rule_post == QuotaRule.COUNCIL else (rule_post,)


def _rules_for_post(post: str, rules: Iterable[QuotaRule], *, collective: bool) -> dict[str, QuotaRule]:
    """{target: rule} for one post; the post's own rule wins over the ``council`` rule for the same target."""
    found: dict[str, QuotaRule] = {}
    for rule in rules:
        if rule.collective != collective or post not in rule_posts(rule.post):
            continue
        if rule.target not in found or rule.post == post:
            found[rule.target] = rule
    return found


def requirements_for_post(post: str, rules: Iterable[QuotaRule]) -> list[Requirement]:
    """What each member of ``post`` must cover on their own (targets with a quantity of 0 are left out)."""
    found = _rules_for_post(post, list(rules), collective=False)
    return [Requirement(target=t, quantity=r.quantity, contacts_per_year=r.contacts_per_year, post=r.post)
            for t, r in sorted(found.items(), key=lambda item: TARGET_ORDER[item[0]]) if r.quantity]


def required_for(member: CommitteeMember, *, rules: Iterable[QuotaRule] | None = None) -> list[Requirement]:
    """What ``member`` must cover: one ``Requirement`` per target (e.g. 2 municipal deputies, 4 contacts each).

    ``rules`` are the effective rules of the member's jurisdiction; read them once and pass them in when
    looking at many members.
    """
    if rules is None:
        rules = effective_rules(member.jurisdiction_id)
    return requirements_for_post(member.post, rules)


def collective_requirements(rules: Iterable[QuotaRule]) -> list[Requirement]:
    """The quotas of a body as a whole (the council's 12 deputy groups), quantity 0 left out."""
    return [Requirement(target=r.target, quantity=r.quantity, contacts_per_year=r.contacts_per_year,
                        collective=True, post=r.post)
            for r in rules if r.collective and r.quantity]


def contacts_per_year_for(post: str, target: str, rules: Iterable[QuotaRule]) -> int:
    """How often a member of ``post`` contacts one assigned ``target``: the member's own rule for the target,
    else a collective rule covering them, else the default of 4 a year."""
    rules = list(rules)
    for collective in (False, True):
        rule = _rules_for_post(post, rules, collective=collective).get(target)
        if rule is not None:
            return rule.contacts_per_year
    return DEFAULT_CONTACTS_PER_YEAR


def target_of(assignment) -> str:
    """The quota target an assignment counts towards: its deputy's level, ``delegation`` or ``group``."""
    if assignment.mandate_id:
        return assignment.mandate.level
    return QuotaTarget.DELEGATION if assignment.delegation_id else QuotaTarget.GROUP


# --- pace ------------------------------------------------------------------------------------------------------

def expected_contacts(quota: int, on_date: datetime.date, *, year: int | None = None) -> int:
    """How many of ``quota`` contacts a year should have been made by ``on_date``: the share of the year elapsed.

    The share is counted in whole months gone before ``on_date``: ``floor(quota × (month − 1) / 12)``. So
    with 4 a year, 1 is due from 1 April (a quarter gone), 2 from 1 July, 3 from 1 October; with 2 a year, 1
    from 1 July. Whole months rather than days, because a day count puts 1 April at 90/365 of the year and
    would expect nothing until 2 April, and the reminders run on the first of each month.

    ``year`` is the plan's year (default: ``on_date``'s): a year already over expects the whole quota, a year
    not yet begun expects nothing.
    """
    year = on_date.year if year is None else year
    if on_date.year > year:
        return quota
    if on_date.year < year:
        return 0
    return quota * (on_date.month - 1) // 12


def pace_status(contacts: int, expected: int) -> str:
    """Green, amber or red for ``contacts`` made against ``expected`` by now.

    - green: at least as many as expected. The rest of the quota is then due evenly over the months left,
      so the member is on track for the year;
    - amber: one short of what is expected, with at least one contact made;
    - red: two or more short, or none made at all while at least one is expected (1 April, 4 a year,
      no contact yet: red; one contact: green).
    """
    shortfall = expected - contacts
    if shortfall <= 0:
        return GREEN
    if contacts == 0 or shortfall > 1:
        return RED
    return AMBER


def worst(statuses: Iterable[str]) -> str | None:
    """The most severe of ``statuses`` (None when there are none)."""
    return max(statuses, key=_SEVERITY.__getitem__, default=None)


def is_behind(status: str | None) -> bool:
    return status in (AMBER, RED)
