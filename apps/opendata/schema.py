"""The fields of the open data (公开数据): one definition for the CSV's columns, the JSON's keys and the field
table of the open data page, so that the files and their documentation (docs/open-data.md) cannot drift.

Each field names what it reads from a published reply (``apps.opendata.selectors.open_replies``' rows: the reply
with its item, category, class, unit, congress and the signers' names). Nothing of a person but a signer's name is
ever read: the people's records (ID number, phone, address) are not joined at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Field:
    key: str  # the JSON key and the CSV header
    type: str  # JSON type: integer, string, array of strings, date (ISO 8601 string)
    label: Any  # what the field holds, shown on the open data page
    value: Callable[[Any, str], Any]  # (reply row, absolute URL of the portal) → value


def _replied_on(reply, base: str) -> str:
    return timezone.localtime(reply.replied_at).date().isoformat()


FIELDS = [
    Field("id", "integer", _("Identifier of the suggestion on this portal (stable)"), lambda r, b: r.proposal_id),
    Field("year", "integer", _("Year the suggestion was raised"), lambda r, b: r.proposal.year),
    Field("congress", "string", _("People's congress the suggestion was raised at"),
          lambda r, b: r.proposal.jurisdiction.name),
    Field("number", "integer", _("Number of the suggestion in its congress and year (empty if not numbered)"),
          lambda r, b: r.proposal.number),
    Field("title", "string", _("Title of the suggestion"), lambda r, b: r.proposal.title),
    Field("category", "string", _("Subject category"), lambda r, b: r.proposal.category.name if r.proposal.category_id else ""),
    Field("signers", "array of strings", _("Deputies who raised it: the lead first, then confirmed co-signers"),
          lambda r, b: list(r.signers or [])),
    Field("unit", "string", _("Lead handling unit that replied"), lambda r, b: r.assignment.unit.name),
    Field("round", "integer", _("Handling round of the reply (2: after re-handling)"), lambda r, b: r.round),
    Field("reply_class", "string", _("Class of the reply: A solved or basically solved, B being solved or planned, "
                                     "C to be solved later, D kept for reference"), lambda r, b: r.reply_class.code),
    Field("reply_class_name", "string", _("Name of the reply's class"), lambda r, b: r.reply_class.name),
    Field("reply", "string", _("Text of the unit's reply"), lambda r, b: r.text),
    Field("replied_on", "date", _("Date of the reply (Beijing time), YYYY-MM-DD"), _replied_on),
    Field("url", "string", _("Page of the reply on this portal"), lambda r, b: f"{b}{r.proposal_id}/"),
]


def record(reply, base: str) -> dict:
    """A published reply as an open data record (the JSON object; the CSV row in the same order)."""
    return {field.key: field.value(reply, base) for field in FIELDS}
