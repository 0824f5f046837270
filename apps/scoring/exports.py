"""The Excel summary of all deputies' scores of a year (scores, grades, item counts, quality figures).

``summary_xlsx(jurisdiction, year, level=None)`` is used by the score list's export and by the annual report
batches. One sheet per published rule set in use (its items differ from another's), one row per deputy in the
order of the list: by jurisdiction, then rank within level and jurisdiction. A fixed number of queries whatever
the number of deputies.
"""

from __future__ import annotations

import re
from collections import defaultdict

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from apps.core.excel import header_row, safe_row, sheet_title, simple_workbook, workbook_bytes
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
    for index, (_label, width) in enumerate(labels, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "C2"
    sheet.append(header_row(sheet, [label for label, _width in labels]))


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
        sheet = workbook.create_sheet(sheet_title(_("Scores")))
        _header(sheet, columns)
    ordered = sorted(rule_sets.values(), key=lambda rs: (rs.jurisdiction.path, rs.level, rs.pk))
    for rule_set in ordered:
        sheet = workbook.create_sheet(_sheet_title(rule_set, used))
        set_items = items[rule_set.pk]
        _header(sheet, columns + [(_("%(item)s (times)") % {"item": item.label}, 10) for item in set_items])
        for score in by_set[rule_set.pk]:
            q = quality.get(score.mandate_id, NO_QUALITY)
            mine = counts.get(score.pk, {})
            sheet.append(safe_row(sheet, [
                score.rank, score.mandate.person.name, score.mandate.jurisdiction.name,
                str(Level(score.rule_set.level).label), score.total,
                str(Grade(score.grade).label) if score.grade else "", score.raw_total, score.items_scored,
                score.occurrences, _rate(q.attendance_rate), q.suggestions, _rate(q.solved_rate),
                _rate(q.satisfaction_rate), *[mine.get(item.pk, 0) for item in set_items],
            ]))
    return workbook_bytes(workbook)


def voter_reports_xlsx(rows) -> bytes:
    """One row per report to voters of ``rows`` (``selectors.voter_reports.voter_report_rows``), in the list's
    order, with the electoral unit and the report's text the list leaves out."""
    return simple_workbook(
        _("Reports to voters"),
        [_("Date"), _("Deputy"), _("Level"), _("Term"), _("Electoral unit"), _("Place"), _("Voters present"),
         _("Satisfied"), _("Basically satisfied"), _("Unsatisfied"), _("Report")],
        ([r.date, r.mandate.person.name, r.mandate.get_level_display(), r.mandate.term.name,
          r.electoral_unit.name if r.electoral_unit_id else "", r.place, r.attendance, r.satisfied,
          r.basically_satisfied, r.unsatisfied, r.text] for r in rows.iterator(chunk_size=2000)),
        widths=[12, 12, 10, 20, 20, 30, 10, 8, 10, 8, 60], number_formats={0: "yyyy-mm-dd"})
