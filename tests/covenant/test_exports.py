"""The notice's exports (used by the notice page and the annual reports batch): the workbook and the PDF list the
same flagged members as the page, the PDF with its CJK font embedded; a published notice exports its frozen
list."""

import datetime
import io

import openpyxl
import pytest
import time_machine
from pypdf import PdfReader

from apps.covenant import exports, services
from apps.covenant.models import MeetingAttendance
from tests.covenant import factories as f
from tests.covenant.factories import A, L, P

TZ = datetime.timezone(datetime.timedelta(hours=8))
DEC_20 = datetime.datetime(2026, 12, 20, 10, 0, tzinfo=TZ)


@pytest.fixture
def year(city, city_term, city_meeting, committee):
    """常委甲 absent both days (flagged), 委员乙 on leave one day of two (flagged: exactly half), 委员丙 clean."""
    clean = f.member(city_term, name="委员丙")
    f.attend(city_meeting, committee["own"], A, A)
    f.attend(city_meeting, committee["other"], L, P)
    f.attend(city_meeting, clean, P, P)
    for m in (committee["other"], clean):
        f.speech(city_meeting, m, day=city_meeting.dates[-1])
        f.proposal(m, year=2026)
    return {"flagged": ["常委甲", "委员乙"], "clean": "委员丙"}


def _sheet_rows(content: bytes) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def _pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_workbook_lists_the_flagged_members_with_their_figures(city, year):
    with time_machine.travel(DEC_20, tick=False):
        rows = _sheet_rows(exports.notice_xlsx(city, 2026))
    by_name = {row[0]: row for row in rows if row and row[0] in (*year["flagged"], year["clean"])}
    assert set(by_name) == set(year["flagged"])
    # name, post, meetings, missed, meeting days, leave, absent, speeches, motions, suggestions, flags
    assert by_name["常委甲"][2:10] == (1, 1, 2, 0, 2, 0, 0, 0)
    assert by_name["委员乙"][2:10] == (1, 0, 2, 1, 0, 1, 0, 1)
    assert rows[0][0] == services.default_notice_title(city, 2026)


def test_the_pdf_names_the_flagged_members_with_the_cjk_font_embedded(city, year):
    with time_machine.travel(DEC_20, tick=False):
        content = exports.notice_pdf(city, 2026)
    text = _pdf_text(content)
    for name in year["flagged"]:
        assert name in text
    assert year["clean"] not in text
    assert _embedded_truetype(content)


def _embedded_truetype(content: bytes) -> set[str]:
    """The base names of the fonts the PDF embeds as TrueType programs (``/FontFile2``)."""
    names = set()
    for page in PdfReader(io.BytesIO(content)).pages:
        fonts = page["/Resources"]["/Font"]
        for key in fonts:
            font = fonts[key].get_object()
            for candidate in [font, *[d.get_object() for d in font.get("/DescendantFonts", [])]]:
                descriptor = candidate.get("/FontDescriptor")
                if descriptor is not None and "/FontFile2" in descriptor.get_object():
                    names.add(str(candidate["/BaseFont"]))
    return names


def test_a_published_notice_exports_its_frozen_list(staff_user, city, year, committee):
    with time_machine.travel(DEC_20, tick=False):
        notice = services.notice_create(jurisdiction=city, year=2026, user=staff_user, title="2026年度通报",
                                        text="第一段。\n第二段。")
        services.notice_publish(notice=notice, user=staff_user)
        MeetingAttendance.objects.filter(member=committee["own"]).update(status=P)  # corrected after publication
        rows = _sheet_rows(exports.notice_xlsx(city, 2026))
        text = _pdf_text(exports.notice_pdf(city, 2026))
    assert rows[0][0] == "2026年度通报"
    assert "常委甲" in {row[0] for row in rows if row}
    assert "常委甲" in text and "第二段。" in text


def test_a_year_with_nobody_flagged_exports_an_empty_list(city, city_term):
    with time_machine.travel(DEC_20, tick=False):
        rows = _sheet_rows(exports.notice_xlsx(city, 2026))
        content = exports.notice_pdf(city, 2026)
    assert len([row for row in rows if row and row[0]]) >= 2  # the title and the header, no member
    assert content.startswith(b"%PDF")
