"""Where the apps above core declare what core shows or runs for them: menu entries, home cards, bench figures,
search providers, the kinds of paper forms, and the records a meeting notice may announce with the replies
that pre-fill their attendance.

Core imports no app above it. Each of our apps may instead have a ``menu.py`` (``GROUPS`` and ``ENTRIES``), a
``home.py`` (``CARDS``) and a ``bench.py`` (``FIGURES``); core finds them in ``INSTALLED_APPS`` order, as
``seed_demo`` finds ``demo.py`` and Django's admin finds ``admin.py``; likewise ``search.py`` (``PROVIDERS``),
``paper.py`` (``KINDS``) and ``meeting_targets.py`` (``TARGETS``; the notices' ``REPLY_SOURCES``). A new app's page joins the menu by
adding an entry to its own ``menu.py``; nothing in core changes.
"""

from __future__ import annotations

import datetime
import functools
import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from types import ModuleType
from typing import Any

from django.apps import apps
from django.urls import reverse


def app_modules(name: str) -> list[ModuleType]:
    """The ``name`` modules of our apps (``apps.<app>.<name>``), in ``INSTALLED_APPS`` order."""
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("apps."):
            continue
        module_name = f"{config.name}.{name}"
        if importlib.util.find_spec(module_name) is not None:
            modules.append(importlib.import_module(module_name))
    return modules


def _declared(module_name: str, attribute: str) -> list:
    return [item for module in app_modules(module_name) for item in getattr(module, attribute, ())]


# --- the main menu -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class MenuGroup:
    """A drop-down of the main menu, one per task (代表 / 履职 / 议案建议 / 联系 / 考核 / 系统)."""

    key: str
    label: Any
    html_id: str
    order: int


@dataclass(frozen=True)
class MenuEntry:
    """One entry of the main menu: in a group's drop-down (``group`` is its key), or on the bar itself
    (``group=None``). ``visible(user)`` says who sees it; it reads only what the request has already loaded (the
    user's roles and permissions), so the menu costs no query. ``header`` entries are a drop-down's heading
    (no link); ``divider_before`` draws a line above the entry."""

    label: Any
    html_id: str
    group: str | None
    order: int
    visible: Callable[[Any], bool]
    url_name: str = ""
    header: bool = False
    divider_before: bool = False

    def url(self) -> str:
        return reverse(self.url_name) if self.url_name else ""


@dataclass(frozen=True)
class MenuItem:
    """What the template draws: a link on the bar, or a drop-down with its visible entries."""

    label: Any
    html_id: str
    url: str = ""
    entries: tuple = ()
    header: bool = False
    divider_before: bool = False


@functools.cache
def menu_declarations() -> tuple[tuple[MenuGroup, ...], tuple[MenuEntry, ...]]:
    """Every app's menu groups and entries, each sorted by its order."""
    groups = tuple(sorted(_declared("menu", "GROUPS"), key=lambda g: g.order))
    entries = tuple(sorted(_declared("menu", "ENTRIES"), key=lambda e: e.order))
    keys = {g.key for g in groups}
    unknown = [e.html_id for e in entries if e.group is not None and e.group not in keys]
    if unknown:
        raise LookupError(f"menu entries name no declared group: {', '.join(unknown)}")
    return groups, entries


def menu_for(user) -> list[MenuItem]:
    """The main menu as ``user`` sees it: the bar's own links and the drop-downs, in order; a drop-down shows when
    at least one of its entries does. Built only when the cached menu (``{% cache ... nav_main %}``) is missing."""
    groups, entries = menu_declarations()
    shown = [e for e in entries if e.visible(user)]
    placed: list[tuple[int, MenuItem]] = [
        (e.order, MenuItem(label=e.label, html_id=e.html_id, url=e.url())) for e in shown if e.group is None]
    for group in groups:
        items = tuple(MenuItem(label=e.label, html_id=e.html_id, url=e.url(), header=e.header,
                               divider_before=e.divider_before)
                      for e in shown if e.group == group.key)
        if items:
            placed.append((group.order, MenuItem(label=group.label, html_id=group.html_id, entries=items)))
    return [item for _order, item in sorted(placed, key=lambda pair: pair[0])]


# --- the home page -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class HomeCard:
    """A card of the home page: ``data(user)`` gives what ``template`` shows (as ``card``), or None when the card
    is not for this user."""

    name: str
    order: int
    template: str
    data: Callable[[Any], Any]


# The queue key of the year's figures of the user's scope, which several apps fill (one card on the page).
YEAR_FIGURES = "year-figures"


@dataclass(frozen=True)
class WorkItem:
    """One to-do of the workbench (工作台): ``count`` things waiting for the user, and ``url``, the list of exactly
    those things (a list page with its filter in the query string; the count is that list's total).

    A card may give ``queryset`` (the rows of the list) instead of ``count``: the home page then counts every
    such item of every card in one query (``apps.core.selectors.home_summary``)."""

    key: str
    label: Any
    url: str
    count: int | None = None
    queryset: Any = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class WorkQueue:
    """A card of work items under a title (the data of ``core/fragment_home_queue.html``)."""

    key: str
    title: Any
    items: tuple[WorkItem, ...]

    @property
    def waiting(self) -> int:
        return sum(item.count for item in self.items)

    @property
    def is_figures(self) -> bool:
        """Figures of the scope (not to-dos): shown without the mark of things waiting."""
        return self.key == YEAR_FIGURES


QUEUE_TEMPLATE = "core/fragment_home_queue.html"


def merged(first: WorkQueue, other: WorkQueue) -> WorkQueue:
    """One card of two queues of the same key: the first's title, the items of both in order."""
    return replace(first, items=first.items + other.items)


def with_counts(queue: WorkQueue, counts: dict[str, int]) -> WorkQueue:
    """``queue`` with the counts of its items that gave a queryset filled in from ``counts`` (key → count)."""
    return replace(queue, items=tuple(replace(item, count=counts[item.key], queryset=None)
                                      if item.count is None else item for item in queue.items))


@functools.cache
def home_cards() -> tuple[HomeCard, ...]:
    return tuple(sorted(_declared("home", "CARDS"), key=lambda c: c.order))


# --- manage.py bench ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class BenchFamily:
    """A family of ``manage.py bench`` figures, chosen with ``--only <name>``: ``measure(bench)`` prints them
    through ``bench.figure(name, value, unit)`` (``bench`` is the running command, which also offers the
    shared helpers: users, query counting, gunicorn and load). ``order`` fixes the order of the output."""

    name: str
    order: int
    measure: Callable[[Any], None]


@functools.cache
def bench_families() -> tuple[BenchFamily, ...]:
    return tuple(sorted(_declared("bench", "FIGURES"), key=lambda f: f.order))


# --- the header's search box -------------------------------------------------------------------------------

@dataclass(frozen=True)
class SearchHit:
    """One record found: what the results list shows and the page it opens."""

    label: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class SearchProvider:
    """One kind of record the header's search box finds (people, motions and suggestions, activities, units).

    ``search(user, q, limit)`` returns ``(count, hits)``: how many records of this kind the user may see match
    ``q`` (scoped exactly as the kind's list page scopes them) and the first ``limit`` of them, read in one
    query; or None when the kind is not for this user. ``list_url(user, q)`` is the full list filtered by ``q``
    (its length equals ``count``). ``areas``: the areas of data (``core.DataVersion``) whose writes can change
    what it finds: what a user found is kept until one of them is written."""

    key: str
    label: Any
    order: int
    search: Callable[[Any, str, int], tuple[int, list[SearchHit]] | None]
    list_url: Callable[[Any, str], str]
    areas: tuple[str, ...] = ()


@functools.cache
def search_providers() -> tuple[SearchProvider, ...]:
    return tuple(sorted(_declared("search", "PROVIDERS"), key=lambda p: p.order))


# --- paper forms that land in the record ----------------------------------------------------------------------

@dataclass(frozen=True)
class PaperKind:
    """A kind of record whose printed form (a sign-in sheet, a reception form) carries a short code
    (``apps.core.paper``): an activity, a training session, a committee meeting, a reception day.

    ``entry_url(user, object_id)`` is the record's entry page (attendance, reception) when ``user`` may open it
    — the record exists, is in the user's scope and the role opens that page — else None (the code then opens
    nothing: a 404, which does not tell whether the record exists). The owning app declares it in its
    ``paper.py`` (``KINDS``)."""

    key: str
    label: Any
    entry_url: Callable[[Any, int], str | None]


@functools.cache
def paper_kinds() -> dict[str, PaperKind]:
    kinds = {}
    for kind in _declared("paper", "KINDS"):
        if kind.key in kinds:
            raise LookupError(f"two paper kinds are named {kind.key}")
        kinds[kind.key] = kind
    return kinds


# --- meeting notices: the records they announce and the replies that pre-fill attendance ------------------

# How many records of a kind the notice form offers: the recent and the coming ones, by date.
MEETING_TARGETS_OFFERED = 200
MEETING_TARGETS_SINCE_DAYS = 30


@dataclass(frozen=True)
class MeetingTarget:
    """A kind of record whose attendance a meeting notice may announce (会议通知所通知的会议): an activity, a
    training session, a committee meeting. Declared by the app that records its attendance, in its
    ``meeting_targets.py`` (``TARGETS``).

    ``records(user)``: every record of the kind the user may name (his scope; anything else is refused);
    ``date_field``: the record's date, to offer the recent and coming ones first; ``describe(record)``: one line
    naming it; ``attendance_url(pk)``: the record's page, from which staff record its attendance — a page every
    user who may name the record may open (a notice's reader follows it)."""

    key: str
    label: Any
    order: int
    records: Callable[[Any], Any]
    date_field: str
    describe: Callable[[Any], str]
    attendance_url: Callable[[int], str]
    select_related: tuple[str, ...] = ()

    def record_for(self, user, pk):
        """The record ``pk`` of this kind if the user may name it, else None (one query)."""
        return self.records(user).select_related(*self.select_related).filter(pk=pk).first()

    def offered(self, user, today) -> list[tuple[int, str]]:
        """(pk, description) of the records the notice form lists: from a month ago on, by date (one query)."""
        since = today - datetime.timedelta(days=MEETING_TARGETS_SINCE_DAYS)
        rows = (self.records(user).select_related(*self.select_related)
                .filter(**{f"{self.date_field}__gte": since}).order_by(self.date_field, "pk")[:MEETING_TARGETS_OFFERED])
        return [(row.pk, self.describe(row)) for row in rows]


@functools.cache
def meeting_targets() -> dict[str, MeetingTarget]:
    """The kinds of record a meeting notice may name, by key, in order."""
    targets = sorted(_declared("meeting_targets", "TARGETS"), key=lambda t: t.order)
    return {target.key: target for target in targets}


@dataclass(frozen=True)
class MeetingReply:
    """One recipient's reply to the published meeting notices that name a record (回执): ``reply`` is
    ``attend`` (参加), ``leave`` (请假, with ``reason``) or ``""`` (not replied yet). A proposal for the record's
    attendance, never attendance itself: staff confirm it at the door."""

    user_id: int
    person_id: int | None
    name: str
    reply: str
    reason: str = ""

    @property
    def attendance(self) -> str:
        """The attendance value the reply proposes (``present`` / ``leave``), or ``""``."""
        return {"attend": "present", "leave": "leave"}.get(self.reply, "")

    @property
    def label(self) -> str:
        from django.utils.translation import gettext as _

        if self.reply == "attend":
            return _("Reply: attend")
        if self.reply == "leave":
            return _("Reply: leave (%(reason)s)") % {"reason": self.reason} if self.reason else _("Reply: leave")
        return _("No reply")


@dataclass(frozen=True)
class MeetingReplies:
    """The replies about one record, at most one per recipient (the latest)."""

    rows: tuple[MeetingReply, ...] = ()

    @functools.cached_property
    def by_person(self) -> dict[int, MeetingReply]:
        return {row.person_id: row for row in self.rows if row.person_id is not None}

    @functools.cached_property
    def by_user(self) -> dict[int, MeetingReply]:
        return {row.user_id: row for row in self.rows}

    def of(self, *, person_id=None, user_id=None) -> MeetingReply | None:
        """The reply of a person (by the deputy's account), else of an account (a member without a person)."""
        return self.by_person.get(person_id) or (self.by_user.get(user_id) if user_id else None)

    @property
    def replied(self) -> list[MeetingReply]:
        return [row for row in self.rows if row.reply]

    @property
    def counts(self) -> dict[str, int]:
        """How many will attend, ask for leave, have not replied; and the recipients in all."""
        attend = sum(1 for row in self.rows if row.reply == "attend")
        leave = sum(1 for row in self.rows if row.reply == "leave")
        return {"attend": attend, "leave": leave, "none": len(self.rows) - attend - leave, "total": len(self.rows)}


@dataclass(frozen=True)
class ReplySource:
    """Where the replies come from (the notices app declares one in its ``meeting_targets.py``,
    ``REPLY_SOURCES``): ``replies(kind, pk)`` reads, in one query, the replies of the recipients of every
    published meeting notice naming the record ``pk`` of kind ``kind``."""

    name: str
    replies: Callable[[str, int], list[MeetingReply]]


@functools.cache
def reply_sources() -> tuple[ReplySource, ...]:
    return tuple(_declared("meeting_targets", "REPLY_SOURCES"))


def meeting_replies(kind: str, pk: int) -> MeetingReplies:
    """The replies that pre-fill the attendance of record ``pk`` of kind ``kind`` (one query per source)."""
    rows: list[MeetingReply] = []
    for source in reply_sources():
        rows.extend(source.replies(kind, pk))
    return MeetingReplies(tuple(rows))
