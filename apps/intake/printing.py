"""The code on paper: an A6 card and an A4 poster (PDF) with the QR code, drawn as vectors (sharp at any size),
and the owner's public facts; and the QR code as inline SVG for the screen (a deputy shows it on the phone)."""

import io

import segno
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, A6
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from apps.core.pdf import cjk_font
from apps.intake.selectors import PublicFacts

SIZES = {"card": A6, "poster": A4}


def qr_svg(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=6, dark="#000", light="#fff", svgclass="intake-qr",
                                                 title=_("QR code of the page for voters' opinions"))


def _draw_qr(pdf: canvas.Canvas, url: str, x: float, y: float, side: float) -> None:
    qr = segno.make(url, error="m")
    rows = list(qr.matrix_iter(scale=1, border=2))
    cell = side / len(rows)
    pdf.setFillColorRGB(0, 0, 0)
    for r, row in enumerate(rows):
        for c, dark in enumerate(row):
            if dark:
                pdf.rect(x + c * cell, y + side - (r + 1) * cell, cell, cell, stroke=0, fill=1)


def code_pdf(*, url: str, facts: PublicFacts, size: str) -> bytes:
    """One page: the call to scan, the QR code, the owner's name and public facts, and the URL in words."""
    width, height = SIZES[size]
    scale = width / A6[0]  # the poster is the card scaled up
    font = cjk_font()
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(width, height))
    pdf.setTitle(f"{facts.name} · {_('Deputy code')}")
    pdf.setFont(font, 13 * scale)
    pdf.drawCentredString(width / 2, height - 14 * mm * scale, _("Scan to leave your opinion"))
    side = 62 * mm * scale
    _draw_qr(pdf, url, (width - side) / 2, height - 20 * mm * scale - side, side)
    y = height - 26 * mm * scale - side
    pdf.setFont(font, 15 * scale)
    pdf.drawCentredString(width / 2, y, f"{facts.title} {facts.name}")
    pdf.setFont(font, 8 * scale)
    for line in facts.lines:
        y -= 5 * mm * scale
        pdf.drawCentredString(width / 2, y, line[:60])
    pdf.setFont(font, 6 * scale)
    pdf.drawCentredString(width / 2, 8 * mm * scale, url)
    pdf.showPage()
    pdf.save()
    return out.getvalue()
