"""Reads of the public portal (建议答复公开) and the open data: published replies to suggestions and the year's
figures by handling unit.

Both are the proposals app's own definitions, read through its selectors: a reply is published when the unit did
not mark it confidential and the office did not mark its item confidential
(``apps.proposals.selectors.published``); the figures are the supervision board's (``board``: 办复率 = replied
/ assigned, 满意率 = satisfied / rated, by present lead unit), over every suggestion of the year — the board's
population, confidential items counted as numbers only.
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, QuerySet

from apps.core.access import is_pk
from apps.core.models import HandlingUnit
from apps.core.selectors import data_version
from apps.proposals.models import Category, Kind, Proposal, Reply
from apps.proposals.selectors import published
from apps.proposals.selectors.board import Board, board, board_scope

# The item's long texts are not shown on the portal: not read for its lists and files.
_UNREAD = ("proposal__content", "proposal__grounds", "proposal__plan", "proposal__draft_text",
           "proposal__return_reason", "proposal__withdraw_reason", "proposal__docket_reason")


def open_replies(*, q: str = "", year: int | None = None, category_id: int | None = None,
                 unit_id: int | None = None) -> QuerySet[Reply]:
    """The latest published reply of every suggestion, newest first, with the item, its congress, category,
    class, the unit and the signers' names (``signers``); ``q`` matches the title, keywords, unit and the reply's
    text."""
    return (published.published_replies(q=q, year=year, kind=Kind.SUGGESTION, category_id=category_id,
                                         unit_id=unit_id, reply_text=True)
            .select_related("proposal__jurisdiction").defer(*_UNREAD)
            .annotate(signers=published.signer_names()))


def export_replies(year: int) -> QuerySet[Reply]:
    """A year's published replies for the open data files, in the order of their congress and number."""
    return open_replies(year=year).order_by("proposal__jurisdiction__path", "proposal__number", "proposal_id")


def feed_replies(limit: int) -> list[Reply]:
    """The ``limit`` most recently published replies (the Atom feed)."""
    return list(open_replies()[:limit])


def open_years() -> list[int]:
    """Years with a published reply to a suggestion, newest first."""
    return published.published_years(kind=Kind.SUGGESTION)


def open_item(pk) -> tuple[Proposal, list[Reply], list[str]] | None:
    """A suggestion with its published replies by round and its signers' names; None when it has none, is
    confidential or is not a suggestion."""
    if not is_pk(pk):
        return None
    replies = list(published.published_reply_rows().filter(proposal_id=pk, proposal__kind=Kind.SUGGESTION)
                   .select_related("proposal__category", "proposal__jurisdiction", "reply_class", "assignment__unit")
                   .defer(*_UNREAD).annotate(signers=published.signer_names()).order_by("round"))
    if not replies:
        return None
    return replies[0].proposal, replies, list(replies[0].signers or [])


def categories() -> list[tuple[int, str]]:
    """The categories of published replies to suggestions (the search's choices)."""
    rows = published.published_reply_rows().filter(proposal__kind=Kind.SUGGESTION, proposal__category_id=OuterRef("pk"))
    return list(Category.objects.filter(Exists(rows)).values_list("pk", "name"))


def units() -> list[tuple[int, str]]:
    """The units that gave a published reply to a suggestion (the search's choices), by name."""
    rows = published.published_reply_rows().filter(proposal__kind=Kind.SUGGESTION, assignment__unit_id=OuterRef("pk"))
    return list(HandlingUnit.objects.filter(Exists(rows)).order_by("name").values_list("pk", "name"))


def year_statistics(year: int, *, today: datetime.date) -> Board:
    """The supervision board's figures of the year's suggestions: totals and by present lead unit. Cached under
    the proposals data version (bumped by every write to the tables they read) and the day."""
    version = data_version("proposals")
    scope = board_scope(Proposal.objects.filter(kind=Kind.SUGGESTION), year=year)
    key = f"opendata-statistics:{version}:{today:%Y%m%d}:{year}" if version else None
    return board(scope, today=today, cache_key=key)
