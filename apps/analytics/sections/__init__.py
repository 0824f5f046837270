"""The sections of data analysis, in the order of the page's tabs: each a module declaring its charts.

A section is data too: its charts (``apps.analytics.charts``), the permission its records need, and how one
record is listed when a value is clicked (``columns``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from apps.analytics.charts import Chart


@dataclass(frozen=True)
class Column:
    """A column of the list of records: its header, its text and (optionally) a link to the record's page."""

    header: Any
    text: Callable[[Any], Any]
    link: Callable[[Any], str] | None = None


@dataclass(frozen=True)
class Section:
    slug: str
    title: Any
    perm: str
    charts: Sequence[Chart]
    rows: Callable[[QuerySet], QuerySet]  # the records ready to list: joins done, ordered
    columns: Sequence[Column]
    record_noun: Any = ""
    # The data versions (core.DataVersion keys) of every table the charts read: the cached counts are keyed on them.
    areas: tuple[str, ...] = ("roster",)

    def chart(self, name: str) -> Chart | None:
        return next((chart for chart in self.charts if chart.name == name), None)


def all_sections() -> list[Section]:
    from apps.analytics.sections import (
        activities, liaison, proposals, publicity, roster, scores, stations, training,
    )

    return [roster.SECTION, proposals.SECTION, training.SECTION, activities.SECTION, liaison.SECTION,
            scores.SECTION, stations.SECTION, publicity.SECTION]


def section_by_slug(slug: str) -> Section | None:
    return next((section for section in all_sections() if section.slug == slug), None)
