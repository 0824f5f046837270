"""The declarative core of data analysis (数字分析): a chart is data, not code.

A :class:`Chart` names a base queryset (from the selector the app's own pages use, scoped to the user and
narrowed by the page's filters) and one or two dimensions. A dimension is either a :class:`Field` (a column or an
expression: one group per value, ``GROUP BY``) or :class:`Buckets` (named conditions, e.g. age bands or the
board's figures: one ``COUNT(*) FILTER (WHERE ...)`` each). A chart's values are the counts of its base
queryset in each cell, or with a :class:`Total` measure the sums of one of its fields (a practice activity's
households helped), computed in one query (:func:`count`); the records behind a cell are the same queryset
filtered by the same expression or condition (:func:`records`), and :func:`measure_of` applies the chart's
measure to them, so a value and its list cannot disagree.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

NONE_KEY = "none"
KEY_SEPARATOR = "|"


@dataclass(frozen=True)
class Context:
    """What every chart of a page is computed for: the user (the scope) and the page's filters."""

    user: Any
    year: int
    today: datetime.date
    level: str = ""
    jurisdiction: Any = None  # the chosen jurisdiction in the user's scope; None: the user's whole scope

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, 1, 1)

    @property
    def last_day(self) -> datetime.date:
        return datetime.date(self.year, 12, 31)

    @property
    def reference_day(self) -> datetime.date:
        """The day a state is read on: today in the present year, 31 December in a past one."""
        return min(self.today, self.last_day)


@dataclass(frozen=True)
class Field:
    """A dimension whose groups are the values of ``expression`` (a field path or an expression).

    The label of a group comes from ``choices`` (which also fix the order and show empty groups), from
    ``label`` (a field path or expression read with the group) or from ``label_fn(value)``; groups without
    ``choices`` are sorted by ``order`` (an expression read with the group) or by their value."""

    expression: Any
    label: Any = None
    choices: Sequence[tuple[Any, Any]] = ()
    label_fn: Callable[[Any], Any] | None = None
    order: Any = None
    none_label: Any = "—"


@dataclass(frozen=True)
class Bucket:
    key: str
    label: Any
    condition: Q
    # The number of the base's records meeting ``condition``, when ``make`` knows it already: the bucket was made
    # from those records themselves (a list of their keys), or ``make`` counted all its buckets in one pass. A chart
    # of such buckets alone needs no counting query. The tests hold every such count to its records' number.
    known_count: int | None = None


@dataclass(frozen=True)
class Buckets:
    """A dimension of named conditions (a record may fall into several, or none): ``make(context)`` gives them."""

    make: Callable[[Context], list[Bucket]]


@dataclass(frozen=True)
class Rate:
    """A derived column of a chart's table: one series as a share of another, in per cent (not a count, so it
    opens no list; its two counts do)."""

    label: Any
    numerator: str
    denominator: str


@dataclass(frozen=True)
class Total:
    """A chart's measure when its value is not a count: the sum of ``field`` over the records of a cell (0 when
    there are none)."""

    field: str


@dataclass(frozen=True)
class Chart:
    """One chart: ``base(context)`` counted by ``x`` (and ``series``); ``kind`` says how it is drawn
    (``bar``, ``stacked``, ``pie``, ``line``, ``funnel``, ``heatmap``)."""

    name: str
    title: Any
    kind: str
    base: Callable[[Context], QuerySet]
    x: Field | Buckets
    x_title: Any
    series: Field | Buckets | None = None
    value_title: Any = ""
    rates: tuple[Rate, ...] = ()
    help: Any = ""
    measure: Total | None = None  # None: the value of a cell is the number of its records
    # How the records of a chart whose base is not the section's are listed (None: the section's rows/columns).
    rows: Callable[[QuerySet], QuerySet] | None = None
    columns: Sequence[Any] | None = None
    # A status of each series read by a rule of its own (e.g. a member's liaison pace): ``notes(context)`` gives
    # series key → (status, label); the table shows it as a last row titled ``notes_title``, the chart marks it.
    notes: Callable[[Context], dict[str, tuple[str, Any]]] | None = None
    notes_title: Any = ""


@dataclass
class ChartData:
    """A chart's counts: ``xs`` and ``series`` are ``(key, label)`` pairs in order, ``values[(x, s)]`` the count
    of a cell (keys are text; ``""`` is the one series of a chart without ``series``)."""

    chart: Chart
    xs: list[tuple[str, Any]]
    series: list[tuple[str, Any]]
    values: dict[tuple[str, str], int]
    raw: dict[tuple[int, str], Any] = field(default_factory=dict)  # (dimension, key) → the value to filter by
    notes: dict[str, tuple[str, Any]] = field(default_factory=dict)  # series key → (status, label)

    def value(self, x: str, s: str = "") -> int:
        return self.values.get((x, s), 0)

    @property
    def total(self) -> int:
        return sum(self.values.values())

    def rate(self, x: str, rate: Rate) -> float | None:
        denominator = self.value(x, rate.denominator)
        return round(100.0 * self.value(x, rate.numerator) / denominator, 1) if denominator else None

    def headers(self) -> list:
        series = [label for _key, label in self.series] if self.chart.series else [self.chart.value_title]
        return [self.chart.x_title, *series, *(rate.label for rate in self.chart.rates)]

    def rows(self) -> list[dict]:
        """The table: per x, its label and its cells (count and drill-down key), then the rates."""
        return [{
            "key": x, "label": label,
            "cells": [{"value": self.value(x, s), "key": cell_key(x, s)} for s, _label in self.series],
            "rates": [self.rate(x, rate) for rate in self.chart.rates],
        } for x, label in self.xs]

    def note_cells(self) -> list[dict]:
        """The notes' row of the table, one cell per series (empty when the chart has no notes)."""
        if self.chart.notes is None:
            return []
        return [{"status": self.notes.get(s, ("", ""))[0], "label": self.notes.get(s, ("", "—"))[1]}
                for s, _label in self.series]

    def sheet_rows(self) -> list[list]:
        """The table as plain rows, for the workbook."""
        rows = [[str(row["label"]), *(cell["value"] for cell in row["cells"]),
                 *("" if rate is None else rate for rate in row["rates"])] for row in self.rows()]
        if self.chart.notes is not None:
            rows.append([str(self.chart.notes_title), *(str(cell["label"]) for cell in self.note_cells())])
        return rows

    def to_cache(self) -> tuple:
        """The counts as plain data (labels as text in the present language), for the cache."""
        return ([(k, str(label)) for k, label in self.xs], [(k, str(label)) for k, label in self.series],
                self.values, self.raw, {k: (status, str(label)) for k, (status, label) in self.notes.items()})

    @classmethod
    def from_cache(cls, chart: Chart, blob: tuple) -> ChartData:
        xs, series, values, raw, *rest = blob
        return cls(chart=chart, xs=xs, series=series, values=values, raw=raw, notes=rest[0] if rest else {})

    def payload(self, records_url: str) -> dict:
        """What ``analytics.js`` draws: labels, one list of counts per series, and where a click leads."""
        return {
            "name": self.chart.name, "title": str(self.chart.title), "kind": self.chart.kind,
            "x": [str(label) for _key, label in self.xs], "xKeys": [key for key, _label in self.xs],
            "series": [{"key": s, "name": str(label), "data": [_number(self.value(x, s)) for x, _l in self.xs]}
                       for s, label in self.series],
            "recordsUrl": records_url,
            "notes": [{"status": cell["status"], "label": str(cell["label"])} for cell in self.note_cells()],
        }


def _number(value):
    return float(value) if isinstance(value, Decimal) else value


def _aggregate(chart: Chart, condition: Q | None = None):
    """The chart's measure over the rows of a group (those meeting ``condition``)."""
    if chart.measure is None:
        return Count("pk", filter=condition)
    return Sum(chart.measure.field, filter=condition, default=0)


def measure_of(chart: Chart, qs: QuerySet):
    """The chart's measure over ``qs`` (the records of a cell): their number, or the sum of the measured field."""
    if chart.measure is None:
        return qs.count()
    return qs.aggregate(total=_aggregate(chart))["total"]


def cell_key(x: str, s: str = "") -> str:
    return f"{x}{KEY_SEPARATOR}{s}" if s else x


def split_key(key: str) -> tuple[str, str]:
    x, _sep, s = (key or "").partition(KEY_SEPARATOR)
    return x, s


def _text(value) -> str:
    return NONE_KEY if value is None else str(value)


def _dimensions(chart: Chart) -> list[Field | Buckets]:
    return [d for d in (chart.x, chart.series) if d is not None]


def count(chart: Chart, context: Context) -> ChartData:
    """The chart's values (counts, or sums with a :class:`Total` measure) in one query."""
    qs = chart.base(context).order_by()
    dims = _dimensions(chart)
    annotations, group_by = {}, []
    buckets: dict[int, list[Bucket]] = {}
    for i, dim in enumerate(dims):
        if isinstance(dim, Field):
            annotations[f"k{i}"] = _expression(dim.expression)
            group_by.append(f"k{i}")
            if dim.label is not None:
                annotations[f"l{i}"] = _expression(dim.label)
                group_by.append(f"l{i}")
            if dim.order is not None:
                annotations[f"o{i}"] = _expression(dim.order)
                group_by.append(f"o{i}")
        else:
            buckets[i] = dim.make(context)
    combos = list(itertools.product(*(list(enumerate(buckets[i])) for i in sorted(buckets))))
    if not group_by and len(buckets) == 1 and all(b.known_count is not None for b in buckets[0]):
        known = {bucket.key: bucket.known_count for bucket in buckets[0]}
        return ChartData(chart=chart, xs=[(b.key, b.label) for b in buckets[0]],
                         series=[("", chart.value_title)], values={(k, ""): n for k, n in known.items()},
                         raw={}, notes=_notes(chart, context, [("", chart.value_title)]))
    counts = {}
    for j, combo in enumerate(combos):
        condition = Q()
        for _index, bucket in combo:
            condition &= bucket.condition
        counts[f"n{j}"] = _aggregate(chart, condition if combo else None)
    if group_by:
        rows = list(qs.annotate(**annotations).values(*group_by).annotate(**counts))
    else:
        rows = [qs.aggregate(**counts)]

    labels: list[dict[str, Any]] = [{} for _ in dims]
    orders: list[dict[str, Any]] = [{} for _ in dims]
    raw: dict[tuple[int, str], Any] = {}
    values: dict[tuple[str, str], int] = {}
    bucket_dims = sorted(buckets)
    for row in rows:
        field_keys = {}
        for i, dim in enumerate(dims):
            if isinstance(dim, Field):
                value = row[f"k{i}"]
                key = _text(value)
                field_keys[i] = key
                raw[(i, key)] = value
                labels[i][key] = _label(dim, value, row.get(f"l{i}"))
                orders[i][key] = row.get(f"o{i}", value)
        for j, combo in enumerate(combos):
            keys = dict(field_keys)
            for position, (_index, bucket) in zip(bucket_dims, combo):
                keys[position] = bucket.key
            cell = (keys[0], keys.get(1, ""))
            values[cell] = values.get(cell, 0) + row[f"n{j}"]

    ordered = []
    for i, dim in enumerate(dims):
        if isinstance(dim, Buckets):
            ordered.append([(b.key, b.label) for b in buckets[i]])
        elif dim.choices:
            known = [(_text(value), label) for value, label in dim.choices]
            for value, label in dim.choices:
                raw.setdefault((i, _text(value)), value)
            extra = sorted((k for k in labels[i] if k not in dict(known)), key=lambda k: (k == NONE_KEY, k))
            ordered.append(known + [(k, labels[i][k]) for k in extra])
        else:
            keys = sorted(labels[i], key=lambda k, i=i: (k == NONE_KEY, _sortable(orders[i][k]), k))
            ordered.append([(k, labels[i][k]) for k in keys])
    series = ordered[1] if len(ordered) > 1 else [("", chart.value_title)]
    return ChartData(chart=chart, xs=ordered[0], series=series, values=values, raw=raw,
                     notes=_notes(chart, context, series))


def _notes(chart: Chart, context: Context, series: list) -> dict:
    if chart.notes is None:
        return {}
    keys = {key for key, _label in series}
    return {key: note for key, note in chart.notes(context).items() if key in keys}


def records(chart: Chart, context: Context, data: ChartData, key: str) -> QuerySet | None:
    """The records behind the cell ``key`` (``x`` or ``x|series``) of ``data``: the chart's base queryset
    filtered by the cell's value or condition. None when ``key`` names no cell of the chart."""
    x, s = split_key(key)
    if x not in dict(data.xs) or (chart.series is not None and s not in dict(data.series)) \
            or (chart.series is None and s):
        return None
    qs = chart.base(context)
    for i, (dim, dim_key) in enumerate(zip(_dimensions(chart), (x, s))):
        if isinstance(dim, Buckets):
            qs = qs.filter(next(b for b in dim.make(context) if b.key == dim_key).condition)
            continue
        value = data.raw.get((i, dim_key))
        qs = qs.alias(**{f"drill{i}": _expression(dim.expression)})
        qs = qs.filter(**({f"drill{i}__isnull": True} if value is None else {f"drill{i}": value}))
    return qs


def _expression(expression):
    from django.db.models import F

    return F(expression) if isinstance(expression, str) else expression


def _label(dim: Field, value, label):
    if value is None:
        return dim.none_label
    if dim.label_fn is not None:
        return dim.label_fn(value)
    if label is not None:
        return label
    return str(value)


def _sortable(value):
    return (0, value) if isinstance(value, int | float) else (1, str(value) if value is not None else "")
