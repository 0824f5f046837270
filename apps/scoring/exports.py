"""The Excel summary of all deputies' scores of a year (scores, grades, item counts, quality figures).

``summary_xlsx(jurisdiction, year, level=None)`` is used by the score list's export and by the annual report
batches. One sheet per published rule set in use (its items differ from another's), one row per deputy in the
order of the list: by jurisdiction, then rank within level and jurisdiction. A fixed number of queries whatever
the number of deputies.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from apps.core.models import Jurisdiction
from apps.deputies.models import Level
from apps.scoring.models import Grade, RuleItem, RuleSet, Score, ScoreLine
from apps.scoring.selectors.scores import NO_QUALITY, quality_for, ranked_scores

_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _columns():
    return [
        (_("Rank"), 6), (_("Name"), 12), (_("Jurisdiction"), 14), (_("Level"), 8), (_("Score"), 8),
        (_("Grade"), 10), (_("Total before clipping"), 10), (_("Items scored"), 8), (_("Occurrences"), 8),
        (_("Attendance rate (%)"), 10), (_("Suggestions led"), 8), (_("Reply A-class rate (%)"), 10),
        (_("Satisfaction rate (%)"), 10),
    ]


def _rate(value: float | None):
    return round(value, 1) if value is not None else None


def _sheet_title(rule_set: RuleSet, used: set[str]) -> str:
    base = _SHEET_CHARS.sub("", f"{rule_set.jurisdiction.name}{Level(rule_set.level).label}"
                                f" v{rule_set.version}")[:31] or "Sheet"
    title, n = base, 2
    while title in used:
        suffix = f" ({n})"
        title, n = base[:31 - len(suffix)] + suffix, n + 1
    used.add(title)
    return title


def _header(sheet, labels: list[tuple[str, int]]) -> None:
    bold = Font(bold=True)
    for index, (_label, width) in enumerate(labels, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "C2"
    cells = []
    for label, _width in labels:
        cell = WriteOnlyCell(sheet, value=str(label))
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)


def summary_xlsx(jurisdiction: Jurisdiction, year: int, level: str | None = None) -> bytes:
    """The workbook of the effective scores of the mandates of ``jurisdiction`` and below for ``year``."""
    base = Score.objects.filter(mandate__jurisdiction__path__startswith=jurisdiction.path)
    scores = list(ranked_scores(base, year=year, level=level))
    quality = quality_for({s.mandate_id for s in scores}, year)
    counts: dict[int, dict[int, int]] = defaultdict(dict)
    for score_id, item_id, count in (ScoreLine.objects.filter(score_id__in=[s.pk for s in scores])
                                     .values_list("score_id", "item_id", "count").iterator(chunk_size=5000)):
        counts[score_id][item_id] = count
    by_set: dict[int, list[Score]] = defaultdict(list)
    rule_sets: dict[int, RuleSet] = {}
    for score in scores:
        by_set[score.rule_set_id].append(score)
        rule_sets[score.rule_set_id] = score.rule_set
    items: dict[int, list[RuleItem]] = defaultdict(list)
    for item in RuleItem.objects.filter(rule_set_id__in=list(rule_sets)).order_by("rule_set_id", "position", "pk"):
        items[item.rule_set_id].append(item)

    workbook = openpyxl.Workbook(write_only=True)
    used: set[str] = set()
    columns = _columns()
    if not scores:
        sheet = workbook.create_sheet(str(_("Scores"))[:31])
        _header(sheet, columns)
    ordered = sorted(rule_sets.values(), key=lambda rs: (rs.jurisdiction.path, rs.level, rs.pk))
    for rule_set in ordered:
        sheet = workbook.create_sheet(_sheet_title(rule_set, used))
        set_items = items[rule_set.pk]
        _header(sheet, columns + [(_("%(item)s (times)") % {"item": item.label}, 10) for item in set_items])
        for score in by_set[rule_set.pk]:
            q = quality.get(score.mandate_id, NO_QUALITY)
            mine = counts.get(score.pk, {})
            sheet.append([
                score.rank, score.mandate.person.name, score.mandate.jurisdiction.name,
                str(Level(score.rule_set.level).label), score.total,
                str(Grade(score.grade).label) if score.grade else "", score.raw_total, score.items_scored,
                score.occurrences, _rate(q.attendance_rate), q.suggestions, _rate(q.solved_rate),
                _rate(q.satisfaction_rate), *[mine.get(item.pk, 0) for item in set_items],
            ])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
