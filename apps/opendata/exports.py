"""The open data files: a year's published replies as CSV and as JSON, streamed row by row from a server-side
cursor (constant memory whatever the year's size), and the Atom feed of the latest published replies.

CSV: UTF-8 with a byte order mark (Excel reads Chinese correctly only with it), a header row of the field keys,
text that a spreadsheet would run as a formula escaped with a leading apostrophe (``apps.core.excel.escape_text``,
the platform's one rule), the signers joined by "、". JSON: one array of objects, the same fields with their
types (``apps.opendata.schema``).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator

from django.utils.feedgenerator import Atom1Feed

from apps.core.excel import escape_text
from apps.opendata.schema import FIELDS, record

CHUNK_SIZE = 500
SIGNER_SEPARATOR = "、"


class _Echo:
    """A file whose ``write`` returns what it is given: ``csv.writer`` then formats one row at a time."""

    def write(self, value: str) -> str:
        return value


def _csv_cell(value):
    if isinstance(value, list):
        value = SIGNER_SEPARATOR.join(value)
    return "" if value is None else escape_text(value)


def csv_lines(replies, *, base: str) -> Iterator[str]:
    """The CSV file of ``replies`` (a queryset, read in chunks) line by line, the BOM and the header first."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([field.key for field in FIELDS])
    for reply in replies.iterator(chunk_size=CHUNK_SIZE):
        yield writer.writerow([_csv_cell(value) for value in record(reply, base).values()])


def json_chunks(replies, *, base: str) -> Iterator[str]:
    """The JSON array of ``replies`` (a queryset, read in chunks), one object per line."""
    yield "["
    separator = "\n"
    for reply in replies.iterator(chunk_size=CHUNK_SIZE):
        yield separator + json.dumps(record(reply, base), ensure_ascii=False)
        separator = ",\n"
    yield "\n]\n"


def atom_feed(replies: Iterable, *, title: str, link: str, feed_url: str, description: str, base: str) -> str:
    """The Atom 1.0 document of ``replies`` (newest first): one entry per reply, its page as the link."""
    feed = Atom1Feed(title=title, link=link, feed_url=feed_url, description=description, language="zh-hans")
    for reply in replies:
        url = f"{base}{reply.proposal_id}/"
        proposal = reply.proposal
        feed.add_item(
            title=proposal.title, link=url, unique_id=f"{url}#reply-{reply.round}",
            description=f"{reply.assignment.unit.name} · {reply.reply_class}\n\n{reply.text}",
            pubdate=reply.replied_at, updateddate=reply.replied_at, author_name=reply.assignment.unit.name,
            categories=[proposal.category.name] if proposal.category_id else None)
    return feed.writeString("utf-8")
