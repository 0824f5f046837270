"""The annual performance report (年度履职报告) of one deputy as a PDF, from the same
:class:`~apps.scoring.selectors.record.PerformanceRecord` the page shows, so both give the same items and numbers.

Chinese text needs a CJK font embedded in the file: :func:`apps.core.pdf.cjk_font` registers the first TrueType
font of ``settings.REPORT_FONT_PATHS`` that exists, once per process (ReportLab embeds the subset of glyphs each
document uses). The report is plain text, tables and one vector bar chart: no images, so that a worker makes many per
second (the annual batch renders every deputy's).
"""

from __future__ import annotations

import io

from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from apps.core.pdf import cjk_font
from apps.publicity.selectors import person_publicity
from apps.scoring.selectors.record import PerformanceRecord, ScoreCard

PAGE_WIDTH = A4[0] - 36 * mm
GRID = colors.HexColor("#b8b8b8")
HEAD = colors.HexColor("#f2dede")
BAR = colors.HexColor("#c0392b")
DEDUCTION = colors.HexColor("#7f8c8d")


class _Styles:
    def __init__(self, font: str):
        self.title = ParagraphStyle("title", fontName=font, fontSize=18, leading=24, alignment=TA_CENTER,
                                    spaceAfter=4 * mm)
        self.h2 = ParagraphStyle("h2", fontName=font, fontSize=12.5, leading=17, spaceBefore=4 * mm,
                                 spaceAfter=2 * mm, textColor=colors.HexColor("#7b1d1d"), keepWithNext=1)
        self.body = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=13, wordWrap="CJK")
        self.cell = ParagraphStyle("cell", fontName=font, fontSize=8.5, leading=11, wordWrap="CJK")
        self.score = ParagraphStyle("score", fontName=font, fontSize=13, leading=18, spaceAfter=2 * mm)


def _date(value) -> str:
    return formats.date_format(value, "Y-m-d") if value else ""


def _table(rows, widths, font, *, header=True, numeric_from: int | None = None, style=None) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    commands = [
        ("FONT", (0, 0), (-1, -1), font, 8.5),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), HEAD))
    if numeric_from is not None:
        commands.append(("ALIGN", (numeric_from, 0), (-1, -1), "RIGHT"))
    table.setStyle(TableStyle(commands + list(style or [])))
    return table


def _breakdown(card: ScoreCard, font: str, styles: _Styles) -> Table:
    rows = [[_("Scoring item"), _("Kind of item"), _("Count"), _("Points each"), _("Cap"), _("Points")]]
    rows.append([_("Base points"), "", "", "", "", card.base_points_text])
    for line in card.lines:
        points = line.points_text + (" " + _("(capped)") if line.capped else "")
        rows.append([Paragraph(line.label, styles.cell), line.kind_label, str(line.count), line.rule_points_text,
                     line.cap_text, points])
    rows.append([_("Total"), "", "", "", "", card.raw_total_text])
    if card.clipped:
        rows.append([_("Score (clipped to 0–100)"), "", "", "", "", card.total_text])
    widths = [PAGE_WIDTH * f for f in (0.36, 0.12, 0.1, 0.13, 0.1, 0.19)]
    return _table(rows, widths, font, numeric_from=2, style=[("BACKGROUND", (0, len(rows) - 1), (-1, -1), HEAD)])


def _chart(card: ScoreCard, font: str) -> Drawing:
    """Points per item, one horizontal bar each (deductions grey, left of the zero line), drawn with plain
    shapes: the chart widgets validate every attribute and would cost more than the rest of the report."""
    lines = list(card.lines)
    row, label_width, right = 13, 130, 30
    height = row * len(lines) + 6
    drawing = Drawing(PAGE_WIDTH, height)
    values = [float(line.points) for line in lines]
    low, high = min([0.0, *values]), max([1.0, *values])
    scale = (PAGE_WIDTH - label_width - right) / (high - low)
    zero = label_width + (-low) * scale
    for index, (line, value) in enumerate(zip(lines, values)):
        y = height - (index + 1) * row
        drawing.add(String(label_width - 4, y + 3, line.label[:16], fontName=font, fontSize=7.5, textAnchor="end"))
        width = value * scale
        if width:
            drawing.add(Rect(min(zero, zero + width), y + 2, abs(width), row - 4, strokeColor=None,
                             fillColor=DEDUCTION if value < 0 else BAR))
        if value >= 0:
            drawing.add(String(zero + width + 3, y + 3, line.points_text, fontName=font, fontSize=7))
        else:
            drawing.add(String(zero + width - 3, y + 3, line.points_text, fontName=font, fontSize=7,
                               textAnchor="end"))
    drawing.add(Line(zero, 0, zero, height, strokeColor=GRID, strokeWidth=0.5))
    return drawing


def _section_tables(record: PerformanceRecord, font: str, styles: _Styles) -> list:
    """Each section's heading with its count and a compact list."""
    cell = styles.cell
    p = lambda text: Paragraph(str(text), cell)  # noqa: E731 - a one-word helper keeps the rows readable
    activity_head = [_("Date"), _("Activity"), _("Type"), _("Attendance")]
    activity_widths = [PAGE_WIDTH * f for f in (0.15, 0.53, 0.18, 0.14)]

    def activities(rows):
        return [activity_head] + [[_date(r.date), p(r.title), r.type_name, r.attendance_label] for r in rows], \
            activity_widths

    sections = [
        (_("Meetings attended"), record.meetings, activities),
        (_("Inspections and surveys"), record.inspections, activities),
        (_("Training"), record.training, lambda rows: (
            [[_("Date"), _("Programme"), _("Training session"), _("Attendance")]]
            + [[_date(r.date), p(r.program), p(r.session), r.attendance_label] for r in rows],
            [PAGE_WIDTH * f for f in (0.15, 0.37, 0.34, 0.14)])),
        (_("Group activities"), record.group_activities, activities),
        (_("Other activities"), record.other_activities, activities),
        (_("Motions and suggestions"), record.proposals, lambda rows: (
            [[_("Number"), _("Title"), _("Signed as"), _("State"), _("Reply class"), _("My rating")]]
            + [[str(r.number or ""), p(r.title), r.role_label, r.state_label, r.reply_class, r.rating_label]
               for r in rows],
            [PAGE_WIDTH * f for f in (0.09, 0.41, 0.1, 0.14, 0.09, 0.17)])),
        (_("Contacts with committee members"), record.contacts, lambda rows: (
            [[_("Date"), _("Committee member"), _("Channel"), _("Summary")]]
            + [[_date(r.date), r.member, r.channel_label, p(r.summary[:120])] for r in rows],
            [PAGE_WIDTH * f for f in (0.15, 0.17, 0.18, 0.5)])),
        (_("Voter receptions"), record.receptions, lambda rows: (
            [[_("Date"), _("Station"), _("Voters received")]]
            + [[_date(r.date), p(r.station), str(r.visits)] for r in rows],
            [PAGE_WIDTH * f for f in (0.2, 0.55, 0.25)])),
        (_("Reports to voters"), record.voter_reports, lambda rows: (
            [[_("Date"), _("Place"), _("Voters present"), _("Satisfied"), _("Basically satisfied"),
              _("Unsatisfied")]]
            + [[_date(r.date), p(r.place), str(r.attendance), str(r.satisfied), str(r.basically_satisfied),
                str(r.unsatisfied)] for r in rows],
            [PAGE_WIDTH * f for f in (0.14, 0.34, 0.13, 0.13, 0.13, 0.13)])),
        (_("Commendations"), record.commendations, lambda rows: (
            [[_("Date"), _("Commendation"), _("Awarded by")]]
            + [[_date(r.date), p(r.title), p(r.awarded_by)] for r in rows],
            [PAGE_WIDTH * f for f in (0.2, 0.5, 0.3)])),
    ]
    flow = []
    for title, rows, build in sections:
        flow.append(Paragraph(_("%(section)s (%(count)s)") % {"section": title, "count": len(rows)}, styles.h2))
        if rows:
            data, widths = build(rows)
            flow.append(_table(data, widths, font))
        else:
            flow.append(Paragraph(_("None this year."), styles.body))
    if record.visits:
        flow.append(Paragraph(_("%(section)s (%(count)s)") % {"section": _("Issues raised by voters"),
                                                              "count": len(record.visits)}, styles.h2))
        flow.append(_table([[_("Date"), _("Station"), _("Category"), _("Status"), _("Issue")]]
                           + [[_date(v.date), p(v.station), v.category_label, v.status_label, p(v.issue[:120])]
                              for v in record.visits],
                           [PAGE_WIDTH * f for f in (0.13, 0.2, 0.14, 0.13, 0.4)], font))
    return flow


def _publicity(publicity: dict, font: str, styles: _Styles) -> list:
    """The publicity featuring the deputy in the year (``apps.publicity.selectors.person_publicity``, as on the
    page): its yearly counts by kind, then the items."""
    items = publicity["items"]
    flow = [Paragraph(_("%(section)s (%(count)s)") % {"section": _("Publicity"), "count": len(items)}, styles.h2)]
    if not items:
        flow.append(Paragraph(_("None this year."), styles.body))
        return flow
    flow.append(Paragraph(publicity["text"], styles.body))
    flow.append(Spacer(1, 1.5 * mm))
    p = lambda text: Paragraph(str(text), styles.cell)  # noqa: E731
    flow.append(_table([[_("Date"), _("Kind"), _("Outlet"), _("Title")]]
                       + [[_date(i.date), p(" ".join(filter(None, (i.get_kind_display(), i.issue_number)))),
                           p(i.outlet), p(i.title)] for i in items],
                       [PAGE_WIDTH * f for f in (0.14, 0.2, 0.2, 0.46)], font))
    return flow


def render_record_pdf(record: PerformanceRecord, publicity: dict | None = None) -> bytes:
    """The annual performance report of ``record`` as PDF bytes; ``publicity`` is the section the page shows
    (read here when not given, for the annual batch)."""
    if publicity is None:
        publicity = person_publicity(record.person_id, record.year)
    font = cjk_font()
    styles = _Styles(font)
    facts = record.facts
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                            bottomMargin=16 * mm, title=_("%(year)s annual performance report of %(name)s")
                            % {"year": record.year, "name": facts.name}, author=facts.name)
    flow = [Paragraph(_("%(year)s annual performance report") % {"year": record.year}, styles.title),
            Paragraph(facts.name, ParagraphStyle("name", parent=styles.title, fontSize=14, leading=18))]
    employer = " ".join(part for part in (facts.employer, facts.post) if part)
    flow.append(_table([[_("Name"), facts.name, _("Gender"), facts.gender, _("Ethnicity"), facts.ethnicity],
                        [_("Party"), facts.party, _("Employer and post"), Paragraph(employer, styles.cell), "", ""]],
                       [PAGE_WIDTH * f for f in (0.1, 0.17, 0.14, 0.29, 0.1, 0.2)], font, header=False,
                       style=[("SPAN", (3, 1), (5, 1)), ("BACKGROUND", (0, 0), (0, -1), HEAD),
                              ("BACKGROUND", (2, 0), (2, -1), HEAD), ("BACKGROUND", (4, 0), (4, 0), HEAD)]))
    if record.mandates:
        flow.append(Paragraph(_("Mandates"), styles.h2))
        flow.append(_table([[_("Level"), _("Term"), _("Electoral unit"), _("Delegation"), _("Deputy group"),
                             _("Status")]]
                           + [[m.level_label, Paragraph(m.term, styles.cell), Paragraph(m.electoral_unit, styles.cell),
                               Paragraph(m.delegation, styles.cell), Paragraph(m.group, styles.cell), m.status_label]
                              for m in record.mandates],
                           [PAGE_WIDTH * f for f in (0.1, 0.24, 0.2, 0.18, 0.16, 0.12)], font))
    flow.append(Paragraph(_("Score"), styles.h2))
    if not record.scores:
        flow.append(Paragraph(_("No published score for this year yet."), styles.body))
    for card in record.scores:
        flow.append(Paragraph(f"{card.level_label} · {card.term} · {card.rule_set_name}"
                              f" ({_('version %(version)s') % {'version': card.rule_set_version}})", styles.body))
        flow.append(Paragraph(_("Score %(total)s, grade %(grade)s")
                              % {"total": card.total_text, "grade": card.grade_label or "—"}, styles.score))
        flow.append(_breakdown(card, font, styles))
        if card.lines:
            flow.append(Spacer(1, 3 * mm))
            flow.append(_chart(card, font))
    quality = record.quality
    flow.append(Paragraph(_("Quality"), styles.h2))
    flow.append(_table(
        [[_("Attendance rate"), _("A-class reply rate"), _("Satisfaction with replies")],
         [f"{quality.attendance_text} ({quality.attended}/{quality.recorded})",
          f"{quality.a_class_text} ({quality.solved}/{quality.replied})",
          f"{quality.satisfaction_text} ({quality.satisfied}/{quality.rated})"]],
        [PAGE_WIDTH / 3] * 3, font))
    flow.extend(_section_tables(record, font, styles))
    flow.extend(_publicity(publicity, font, styles))
    doc.build(flow)
    return buffer.getvalue()

