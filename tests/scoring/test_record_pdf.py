"""The annual performance report PDF: its extracted text holds the deputy's name, the score and every item with
the same numbers as the page; the CJK font is embedded; the font is registered once per process, from the first
path that exists (a TrueType collection's first face)."""

import io
import re
import subprocess

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from pypdf import PdfReader

from apps.core import pdf  # the CJK font (cjk_font) and its registration are core's
from apps.scoring.pdf import cjk_font, render_record_pdf
from apps.scoring.selectors.record import SECTIONS, performance_record
from tests.proposals.factories import deputy_for
from tests.scoring.factories import YEAR
from tests.scoring.record_support import record_world

WQY = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"  # Debian's fonts-wqy-microhei (.ci/run installs it)


@pytest.fixture
def world(municipal_mandate, city):
    return record_world(mandate=municipal_mandate, city=city)


@pytest.fixture
def record(world):
    return performance_record(world["person"], YEAR)


@pytest.fixture
def content(record):
    return render_record_pdf(record)


def pdftotext(content: bytes) -> str:
    """The PDF's text in its layout (poppler's pdftotext), one line of a table per line."""
    result = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"], input=content,
                            capture_output=True, check=True)
    return result.stdout.decode()


def test_it_is_a_pdf_with_pages(content):
    assert content.startswith(b"%PDF")
    assert len(PdfReader(io.BytesIO(content)).pages) >= 1


def test_the_text_holds_the_name_the_score_and_every_item(record, content, world):
    text = pdftotext(content)
    (card,) = record.scores
    assert world["person"].name in text
    assert str(YEAR) in text
    assert card.total_text in text and card.total_text == "93.5"
    assert card.grade_label in text
    assert card.rule_set_name in text
    for label in world["rule_set"].items.values_list("label", flat=True):
        assert label in text


def test_pypdf_extracts_the_same_chinese_text(record, content):
    """The embedded font maps its glyphs back to Unicode (copy and search work in a viewer)."""
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert record.name in text
    assert "出席人代会会议" in text


def test_the_pdf_and_the_page_agree_line_by_line(world, client_for, content):
    """Each breakdown line of the PDF (label, count, points each, cap, points) is the page's."""
    html = client_for(deputy_for(world["person"])).get(f"{reverse('me:me')}?year={YEAR}").content.decode()
    record = performance_record(world["person"], YEAR)
    (card,) = record.scores
    page_points = dict(re.findall(r'data-label="([^"]+)" data-points="([^"]+)"', html))
    assert page_points == {line.label: line.points_text for line in card.lines}
    text_lines = pdftotext(content).splitlines()
    for line in card.lines:
        row = next(t.split() for t in text_lines if t.split() and t.split()[0] == line.label)
        numbers = [token for token in row[1:] if re.fullmatch(r"-?[\d.]+|—", token)]
        assert numbers[:4] == [str(line.count), line.rule_points_text, line.cap_text, line.points_text], row
    assert f'id="score-{card.score_id}-total">{card.total_text}<' in html
    assert f'data-points="{card.base_points_text}"' in html


def test_the_sections_are_in_the_pdf_with_their_records(record, content):
    text = pdftotext(content)
    for _anchor, attribute in SECTIONS:
        count = len(getattr(record, attribute))
        assert re.search(rf"[(（]{count}[)）]", text), (attribute, count)  # "会议（3）" in Chinese
    for title in ("市十六届人大三次会议", "视察城市供热保障工作", "代表小组学习活动", "关于加快老旧小区改造的建议", "南关区代表联络站",
                  "优秀人大代表", "南湖社区代表工作站"):
        assert title in text


def test_the_cjk_font_is_embedded(content):
    fonts = subprocess.run(["pdffonts", "-"], input=content, capture_output=True, check=True).stdout.decode()
    cjk = [line for line in fonts.splitlines()[2:] if "TrueType" in line]
    assert cjk, fonts
    for line in cjk:
        columns = line.split()
        assert columns[-5] == "yes", line  # emb
    # The same in the file's structure: every TrueType font has its program (FontFile2).
    reader = PdfReader(io.BytesIO(content))
    embedded = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if font["/Subtype"] == "/TrueType":
                assert "/FontFile2" in font["/FontDescriptor"].get_object()
                embedded.add(font["/BaseFont"])
    assert embedded


def test_a_record_without_a_score_still_renders(world, db):
    from tests.factories import PersonFactory

    record = performance_record(PersonFactory(name="无任代表"), YEAR)
    text = pdftotext(render_record_pdf(record))
    assert "无任代表" in text


def test_the_font_is_registered_once_per_process(monkeypatch):
    calls = []
    real = pdf.pdfmetrics.registerFont
    monkeypatch.setattr(pdf, "_font", None)
    monkeypatch.setattr(pdf, "FONT_NAME", "ReportCJKOnce")
    monkeypatch.setattr(pdf.pdfmetrics, "registerFont", lambda font: calls.append(font) or real(font))
    assert cjk_font() == "ReportCJKOnce"
    assert cjk_font() == "ReportCJKOnce"
    assert len(calls) == 1


def test_the_first_existing_path_is_used_and_a_collection_gives_its_first_face(monkeypatch, settings, record):
    settings.REPORT_FONT_PATHS = ["/nonexistent/font.ttf", WQY]
    monkeypatch.setattr(pdf, "_font", None)
    monkeypatch.setattr(pdf, "FONT_NAME", "ReportCJKCollection")
    assert cjk_font() == "ReportCJKCollection"
    name = pdf.pdfmetrics.getFont("ReportCJKCollection").face.name
    assert b"WenQuanYi" in (name if isinstance(name, bytes) else name.encode())
    assert record.name in pdftotext(render_record_pdf(record))


def test_no_font_is_a_configuration_error(monkeypatch, settings):
    settings.REPORT_FONT_PATHS = ["/nonexistent/font.ttf"]
    monkeypatch.setattr(pdf, "_font", None)
    with pytest.raises(ImproperlyConfigured):
        cjk_font()
