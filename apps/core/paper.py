"""Paper that lands in the record: printed forms of a record (an activity's or a meeting's sign-in sheet 签到表, a
reception day's form 接待登记表) carry a QR code and a short code; scanned by any phone or typed (``/p/``, the
header's search box), the code opens that record's entry page for staff, so the filled paper is entered against
the right record in one step.

Core knows no record: each owning app declares its kind (``apps.core.registry.PaperKind`` in its ``paper.py``),
which turns a record's id into its entry page for a user, or None outside the user's scope. The codes are stored
(``core.PaperCode``, one per record, issued on the first print by ``services.paper_code_issue``); the A4 sheet is
built here with reportlab, the CJK font of every PDF of ours and a vector QR code (segno).
"""

from __future__ import annotations

import io
import re
import secrets
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from apps.core.models import PaperCode
from apps.core.registry import paper_kinds

# No 0/O, 1/I/L: what is read off paper and typed must not be mistaken for another character.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 6  # 31**6 ≈ 8.9e8 codes: not worth guessing (a code only opens a page that needs login and scope)
_CODE_RE = re.compile(f"[{ALPHABET}]{{{CODE_LENGTH}}}")
_SEPARATORS_RE = re.compile(r"[\s\-_.·—]+")
MAX_INPUT = 40  # longer input is not a code (and is not looked up)


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _i in range(CODE_LENGTH))


def normalise(raw) -> str | None:
    """The code in ``raw`` as stored ("K7M3QX"), or None when ``raw`` is not one. Full-width characters, lower
    case, spaces and dashes are forgiven ("ｋ７ｍ－３ｑｘ", "k7m 3qx"); nothing else is guessed."""
    if not raw or len(raw) > MAX_INPUT:
        return None
    text = _SEPARATORS_RE.sub("", unicodedata.normalize("NFKC", str(raw))).upper()
    return text if _CODE_RE.fullmatch(text) else None


def display(code: str) -> str:
    """The code as printed and shown: "K7M-3QX"."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def dates_text(start, end=None) -> str:
    """A date, or a span of dates, as the sheet prints it (2026年11月26日 in Chinese)."""
    from django.utils import formats

    text = formats.date_format(start, "DATE_FORMAT")
    if end and end != start:
        text += " – " + formats.date_format(end, "DATE_FORMAT")
    return text


def open_path(code: str) -> str:
    """The path the QR code encodes (made absolute with the request's host)."""
    return reverse("core:paper_open", args=[code])


def resolve(user, raw) -> str | None:
    """The entry page the code in ``raw`` opens for ``user``, or None: not a code, no such code, a kind no app
    declares (any longer) or a record the user may not open (all alike, so that nothing leaks)."""
    code = normalise(raw)
    if code is None:
        return None
    paper = PaperCode.objects.filter(code=code).only("kind", "object_id").first()
    if paper is None:
        return None
    kind = paper_kinds().get(paper.kind)
    return kind.entry_url(user, paper.object_id) if kind is not None else None


# --- the printed sheet ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SheetTable:
    """A table of the sheet: ``rows`` (the expected people, in the entry grid's order) then ``blank_rows`` empty
    rows to fill in by hand; ``columns`` are (label, relative width); ``row_height`` in millimetres."""

    heading: str
    columns: Sequence[tuple[str, float]]
    rows: Sequence[Sequence[str]] = ()
    blank_rows: int = 0
    row_height: float = 9
    empty_note: str = ""


@dataclass(frozen=True)
class Heads:
    """The column heads every sign-in sheet shares (translated when asked for)."""

    number: str
    name: str
    signature: str
    leave: str


def heads() -> Heads:
    return Heads(number=pgettext("paper form", "No."), name=pgettext("paper form", "Name"),
                 signature=pgettext("paper form", "Signature"), leave=_("Reason for leave"))


@dataclass(frozen=True)
class Sheet:
    title: str
    facts: Sequence[tuple[str, str]]
    tables: Sequence[SheetTable]
    notes: Sequence[str] = field(default_factory=tuple)
    landscape: bool = False


def _qr_flowable(url: str, size: float):
    """The QR code of ``url`` drawn as vector squares ``size`` points wide (sharp at any printer's resolution)."""
    import segno
    from reportlab.platypus import Flowable

    qr = segno.make(url, error="m")
    rows = [list(row) for row in qr.matrix_iter(border=2)]

    class QrCode(Flowable):
        def wrap(self, available_width, available_height):
            return size, size

        def draw(self):
            module = size / len(rows)
            canvas = self.canv
            canvas.setFillColorRGB(0, 0, 0)
            for y, row in enumerate(rows):
                x = 0
                while x < len(row):  # one rectangle per run of dark modules
                    if not row[x]:
                        x += 1
                        continue
                    start = x
                    while x < len(row) and row[x]:
                        x += 1
                    canvas.rect(start * module, size - (y + 1) * module, (x - start) * module, module,
                                stroke=0, fill=1)

    return QrCode()


def sheet_pdf(sheet: Sheet, *, code: str, url: str) -> bytes:
    """The sheet as an A4 PDF: the title and facts beside the QR code of ``url`` and the short code printed large,
    then the tables; every page's foot repeats the code and numbers the page."""
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Table, TableStyle

    from apps.core.pdf import cjk_font

    font = cjk_font()
    page_size = landscape(A4) if sheet.landscape else A4
    margin = 14 * mm
    width = page_size[0] - 2 * margin
    title_style = ParagraphStyle("title", fontName=font, fontSize=17, leading=23, wordWrap="CJK", spaceAfter=3 * mm)
    fact_style = ParagraphStyle("fact", fontName=font, fontSize=10.5, leading=15, wordWrap="CJK")
    code_style = ParagraphStyle("code", fontName=font, fontSize=22, leading=26, alignment=TA_CENTER)
    hint_style = ParagraphStyle("hint", fontName=font, fontSize=7.5, leading=10, alignment=TA_CENTER,
                                wordWrap="CJK", textColor=colors.HexColor("#444444"))
    heading_style = ParagraphStyle("heading", fontName=font, fontSize=12, leading=16, spaceBefore=4 * mm,
                                   spaceAfter=2 * mm)
    cell_style = ParagraphStyle("cell", fontName=font, fontSize=10, leading=13, wordWrap="CJK")
    head_style = ParagraphStyle("head", parent=cell_style, alignment=TA_CENTER)
    note_style = ParagraphStyle("note", fontName=font, fontSize=8.5, leading=12, wordWrap="CJK",
                                textColor=colors.HexColor("#444444"), spaceBefore=2 * mm)

    def text(value, style=cell_style):
        return Paragraph(escape(str(value)), style)

    shown = display(code)
    qr_size = 34 * mm
    left = [text(sheet.title, title_style)] + [text(f"{label}：{value}", fact_style) for label, value in sheet.facts]
    right = [_qr_flowable(url, qr_size), text(shown, code_style),
             text(_("Scan, or type the code at %(path)s, to enter this form") % {"path": "/p/"}, hint_style)]
    top = Table([[left, right]], colWidths=[width - qr_size - 8 * mm, qr_size + 8 * mm])
    top.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (1, 0), (1, 0), "CENTER"),
                             ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    story = [top]
    for table in sheet.tables:
        total = sum(w for _label, w in table.columns)
        data = [[text(label, head_style) for label, _w in table.columns]]
        # Plain strings, not paragraphs, in the rows (names, posts, places: short): a sheet of 500 builds in a
        # fraction of the time.
        data += [[str(value) for value in row] for row in table.rows]
        data += [[""] * len(table.columns) for _i in range(table.blank_rows)]
        heading = text(table.heading, heading_style)
        if len(data) == 1:
            story.append(KeepTogether([heading, text(table.empty_note or _("Nobody is listed."), cell_style)]))
            continue
        grid = Table(data, colWidths=[width * w / total for _label, w in table.columns], repeatRows=1,
                     rowHeights=[None] + [table.row_height * mm] * (len(data) - 1))
        grid.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#777777")),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("FONTNAME", (0, 1), (-1, -1), font),
            ("FONTSIZE", (0, 1), (-1, -1), 10),
        ]))
        story += [heading, grid]
    story += [text(note, note_style) for note in sheet.notes]

    def foot(canvas, doc):
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.setFillColorRGB(0.3, 0.3, 0.3)
        canvas.drawString(margin, 8 * mm, f"{sheet.title[:60]} · {shown}")
        canvas.drawRightString(page_size[0] - margin, 8 * mm, _("Page %(page)s") % {"page": doc.page})
        canvas.restoreState()

    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=page_size, leftMargin=margin, rightMargin=margin, topMargin=margin,
                            bottomMargin=16 * mm, title=f"{sheet.title} {shown}")
    doc.build(story, onFirstPage=foot, onLaterPages=foot)
    return out.getvalue()


def sheet_response(request, *, kind: str, obj, sheet: Sheet, filename: str):
    """The sheet of record ``obj`` (of paper kind ``kind``) as a PDF to download and print: its code is
    issued on the first print and kept; the print is recorded in the audit log (the sheet lists people)."""
    from apps.core.models import AuditEvent
    from apps.core.services import audit_event, paper_code_issue
    from apps.core.web import download_response

    paper = paper_code_issue(kind=kind, object_id=obj.pk)
    url = request.build_absolute_uri(open_path(paper.code))
    content = sheet_pdf(sheet, code=paper.code, url=url)
    audit_event(request=request, action=AuditEvent.Action.EXPORT, obj=obj,
                detail=f"paper form {kind} {display(paper.code)}")
    # A download, as every PDF of ours (the pages' Content-Security-Policy, object-src 'none', would keep a
    # browser's PDF viewer from showing it inline); staff open it and print.
    return download_response(content, filename=filename, content_type="application/pdf")
