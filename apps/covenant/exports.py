"""The yearly notice (通报) of a jurisdiction's committee as an Excel workbook and as a PDF, for the notice page's
downloads and the annual reports batch.

Both list the same rows as the notice page: the published notice's frozen list, or, before it is published (or
when no notice was drafted), the members the records flag now (``selectors.notice_rows``).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from apps.core.excel import safe_row, sheet_title, workbook_bytes
from apps.core.models import Jurisdiction
from apps.covenant import rules, selectors
from apps.covenant.services import default_notice_title


@dataclass(frozen=True)
class NoticeContent:
    title: str
    text: str
    status: str  # "draft" (also: no notice drafted) or "published"
    rows: list


def notice_content(jurisdiction: Jurisdiction, year: int) -> NoticeContent:
    notice = selectors.notice_for(jurisdiction, year)
    rows = selectors.notice_rows(notice, jurisdiction, year)
    if notice is None:
        return NoticeContent(title=default_notice_title(jurisdiction, year), text="", status="draft", rows=rows)
    return NoticeContent(title=notice.title, text=notice.text, status=notice.status, rows=rows)


def _columns():
    return [(_("Name"), 12), (_("Post"), 12), (_("Meetings"), 8), (_("Meetings missed"), 10),
            (_("Meeting days"), 10), (_("Days on leave"), 10), (_("Days absent"), 10), (_("Speeches"), 8),
            (_("Motions"), 8), (_("Suggestions"), 8), (_("Flags"), 48)]


def _values(row: dict) -> list:
    return [row["name"], row["post_label"], row["meetings"], row["missed_meetings"], row["meeting_days"],
            row["leave_days"], row["absent_days"], row["speeches"], row["motions"], row["suggestions"],
            "；".join(row["flag_labels"])]


def notice_xlsx(jurisdiction: Jurisdiction, year: int) -> bytes:
    """The notice as a workbook: its title and text above one row per flagged member."""
    content = notice_content(jurisdiction, year)
    columns = _columns()
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(_("Notice"))
    sheet.append(safe_row(sheet, [content.title]))
    sheet["A1"].font = Font(bold=True, size=14)
    if content.status != "published":
        sheet.append([str(_("Draft: the list shows the records as they are now."))])
    if content.text:
        sheet.append(safe_row(sheet, [content.text]))
        sheet.cell(row=sheet.max_row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.append([])
    header_row = sheet.max_row + 1
    sheet.append([str(label) for label, _width in columns])
    for index, (_label, width) in enumerate(columns, start=1):
        sheet.cell(row=header_row, column=index).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in content.rows:
        sheet.append(safe_row(sheet, _values(row)))
    if not content.rows:
        sheet.append([str(_("No member is flagged."))])
    sheet.append([])
    for text in rules.explanations():
        sheet.append(safe_row(sheet, [text]))
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    return workbook_bytes(workbook)


def notice_pdf(jurisdiction: Jurisdiction, year: int) -> bytes:
    """The notice as an A4 PDF with the CJK font embedded (``apps.core.pdf.cjk_font``)."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
    from xml.sax.saxutils import escape

    from apps.core.pdf import cjk_font

    content = notice_content(jurisdiction, year)
    font = cjk_font()
    title_style = ParagraphStyle("title", fontName=font, fontSize=16, leading=22, alignment=TA_CENTER,
                                 spaceAfter=4 * mm)
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=15, wordWrap="CJK", spaceAfter=2 * mm)
    cell = ParagraphStyle("cell", fontName=font, fontSize=8.5, leading=11, wordWrap="CJK")
    story = [Paragraph(escape(content.title), title_style)]
    if content.status != "published":
        story.append(Paragraph(escape(_("Draft: the list shows the records as they are now.")), body))
    for paragraph in (content.text or "").splitlines():
        if paragraph.strip():
            story.append(Paragraph(escape(paragraph.strip()), body))
    story.append(Spacer(1, 3 * mm))
    columns = _columns()
    data = [[Paragraph(escape(str(label)), cell) for label, _width in columns]]
    for row in content.rows:
        data.append([Paragraph(escape(str(value)), cell) for value in _values(row)])
    if not content.rows:
        story.append(Paragraph(escape(_("No member is flagged.")), body))
    else:
        page_width = landscape(A4)[0] - 30 * mm
        total = sum(width for _label, width in columns)
        table = Table(data, colWidths=[page_width * width / total for _label, width in columns], repeatRows=1)
        table.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#b8b8b8")),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f2dede")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]))
        story.append(table)
    story.append(Spacer(1, 4 * mm))
    note = ParagraphStyle("note", parent=cell, textColor=colors.HexColor("#555555"))
    for text in rules.explanations():
        story.append(Paragraph(escape(text), note))
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=landscape(A4), leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=15 * mm, bottomMargin=15 * mm, title=content.title)
    doc.build(story)
    return out.getvalue()
