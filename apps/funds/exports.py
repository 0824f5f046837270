"""The yearly statement (年度经费决算) as Excel (formula-escaped, apps.core.excel) and as PDF (CJK font)."""

import io
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from apps.core.excel import simple_workbook
from apps.funds.selectors import Statement


def _headers():
    return [_("Budget"), _("Date"), _("Category"), _("Payee"), _("Purpose"), _("Amount (yuan)")]


def statement_rows(statement: Statement) -> list[list]:
    """The lines of each budget, each budget's total line, then the grand total: what both files show."""
    rows = []
    for part in statement.parts:
        for line in part.lines:
            rows.append([part.budget.name, line.date, line.get_category_display(), line.payee, line.purpose,
                         line.amount])
        rows.append([part.budget.name, "", "", "", _("Subtotal (budget %(amount)s, balance %(balance)s)") % {
            "amount": f"{part.budget.amount:,.2f}", "balance": f"{part.balance:,.2f}"}, part.total])
    rows.append([_("Total"), "", "", "", _("Budgeted %(amount)s, balance %(balance)s") % {
        "amount": f"{statement.budgeted:,.2f}", "balance": f"{statement.balance:,.2f}"}, statement.total])
    return rows


def statement_xlsx(statement: Statement) -> bytes:
    return simple_workbook(_("Statement %(year)s") % {"year": statement.year}, _headers(), statement_rows(statement),
                           widths=(24, 12, 14, 20, 40, 16), number_formats={1: "yyyy-mm-dd", 5: "#,##0.00"})


def statement_pdf(statement: Statement, title: str) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    from apps.core.pdf import cjk_font

    font = cjk_font()
    title_style = ParagraphStyle("title", fontName=font, fontSize=16, leading=22, alignment=TA_CENTER,
                                 spaceAfter=4 * mm)
    cell = ParagraphStyle("cell", fontName=font, fontSize=8.5, leading=11, wordWrap="CJK")

    def text(value):
        if hasattr(value, "strftime"):
            value = value.strftime("%Y-%m-%d")
        elif not isinstance(value, str):
            value = f"{value:,.2f}"
        return Paragraph(escape(value), cell)

    data = [[text(str(h)) for h in _headers()]] + [[text(v) for v in row] for row in statement_rows(statement)]
    widths = [30, 20, 20, 30, 55, 25]
    page_width = A4[0] - 30 * mm
    table = Table(data, colWidths=[page_width * w / sum(widths) for w in widths], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#b8b8b8")),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f2dede"))]))
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                      bottomMargin=15 * mm, title=title).build([Paragraph(escape(title), title_style), table])
    return out.getvalue()
