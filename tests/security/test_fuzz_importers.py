"""Property-based fuzzing of the importers: the roster workbook (deputies:roster_import) and the sign-in
workbooks (activities:participants_import, training:attendance_import).

Hypothesis uploads random bytes, a zip that is not a workbook, and real .xlsx workbooks with a plausible header
row over random cells (text with CJK and control characters, numbers, dates, known names and choices). The page
must never answer 500, and unless the import succeeded (a redirect) no row may be written.
"""

from __future__ import annotations

import datetime
import io
import traceback
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hypothesis_budget import IMPORT_FUZZ_EXAMPLES
from tests.security.test_fuzz_forms import CJK, CONTROL, fuzz_text, row_counts

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SIGN_IN_HEADERS = [["序号", "姓名", "签到", "请假原因"], ["姓名"], ["代表姓名", "出席情况", "备注"], ["name", "attendance", "reason"]]
KNOWN = ["张三丰", "李四", "王五", "男", "女", "汉族", "中共党员", "群众", "签到", "请假", "缺席", "√", "1975-03-12",
         "220102197503120011", "13912345678", "市第十六届", "2022-01-01"]


def roster_headers() -> list[str]:
    from apps.deputies.excel import COLUMNS

    with translation.override("zh-hans"):
        return [str(c.label) for c in COLUMNS]


cell = st.one_of(
    fuzz_text.map(lambda s: s[:2000]),
    st.text(alphabet=st.one_of(CJK, CONTROL), max_size=10),
    st.integers(min_value=-(10 ** 15), max_value=10 ** 15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=datetime.date(1900, 1, 1)),
    st.datetimes(min_value=datetime.datetime(1900, 1, 1)),
    st.booleans(),
    st.sampled_from(KNOWN),
    st.none(),
)


def _clean(value):
    """openpyxl refuses control characters in cells: drop them (the bytes strategy covers raw garbage)."""
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _workbook(title_row: bool, header: list[str], rows: list[list]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    if title_row:
        sheet.append(["签到表"])
    sheet.append(header)
    for row in rows:
        sheet.append([_clean(v) for v in row])
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def _not_a_workbook_zip(names: list[str], payload: bytes) -> bytes:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        for name in names or ["readme.txt"]:
            archive.writestr(name, payload)
    return data.getvalue()


def files(headers: st.SearchStrategy) -> st.SearchStrategy:
    random_bytes = st.binary(max_size=4000)
    zips = st.builds(_not_a_workbook_zip,
                     st.lists(st.sampled_from(["[Content_Types].xml", "xl/workbook.xml", "a.txt", "xl/worksheets/sheet1.xml"]),
                              max_size=3, unique=True),
                     st.binary(max_size=500))
    workbooks = headers.flatmap(lambda header: st.builds(
        _workbook, st.booleans(), st.just(header), st.lists(st.lists(cell, min_size=1, max_size=len(header) + 1),
                                                            max_size=8)))
    return st.one_of(random_bytes, zips, workbooks)


SETTINGS = settings(max_examples=IMPORT_FUZZ_EXAMPLES, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large, HealthCheck.large_base_example])


def _post_file(client, url, content: bytes, name: str):
    before = row_counts()
    upload = SimpleUploadedFile(name, content, content_type=XLSX)
    try:
        response = client.post(url, {"file": upload})
    except Exception:  # the test client re-raises what the view raised: that would be a 500
        pytest.fail(f"500 on POST {url} with file {name} of {len(content)} bytes starting {content[:64]!r}\n"
                    f"{traceback.format_exc()}")
    assert response.status_code < 500, f"{response.status_code} on POST {url} ({len(content)} bytes)"
    if response.status_code not in (301, 302, 303):
        assert row_counts() == before, f"partial write: import at {url} refused but rows changed"
    return response


@pytest.fixture
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def staff(client_for, staff_user, municipal_mandate, county_mandate, _media):
    return client_for(staff_user)


def test_the_roster_import_never_answers_500_nor_writes_part_of_a_bad_file(staff):
    url = reverse("deputies:roster_import")
    header = roster_headers()
    headers = st.one_of(st.just(header), st.lists(st.sampled_from(header), min_size=1, max_size=len(header)))

    @SETTINGS
    @given(content=files(headers), name=st.sampled_from(["名册.xlsx", "roster.xls", "x", "名册.xlsx.exe"]))
    def check(content, name):
        _post_file(staff, url, content, name)

    check()


def test_the_activity_sign_in_import_never_answers_500_nor_writes_part_of_a_bad_file(staff, staff_user,
                                                                                      municipal_mandate):
    from tests.activities.staff_support import make_activity

    activity = make_activity(staff_user.jurisdiction, user=staff_user)
    url = reverse("activities:participants_import", kwargs={"pk": activity.pk})

    @SETTINGS
    @given(content=files(st.sampled_from(SIGN_IN_HEADERS)), name=st.sampled_from(["签到表.xlsx", "a.bin"]))
    def check(content, name):
        _post_file(staff, url, content, name)

    check()


def test_the_training_sign_in_import_never_answers_500_nor_writes_part_of_a_bad_file(staff, staff_user):
    from tests.training.conftest import make_program, make_session

    session = make_session(make_program(staff_user.jurisdiction))
    url = reverse("training:attendance_import", kwargs={"pk": session.pk})

    @SETTINGS
    @given(content=files(st.sampled_from(SIGN_IN_HEADERS)), name=st.sampled_from(["签到表.xlsx", "a.bin"]))
    def check(content, name):
        _post_file(staff, url, content, name)

    check()


def test_a_good_sign_in_workbook_is_imported(staff, staff_user, municipal_mandate):
    """The positive control: the fuzz above does reach the writing path when the file is good."""
    from apps.activities.models import Participation
    from tests.activities.staff_support import make_activity

    activity = make_activity(staff_user.jurisdiction, user=staff_user)
    content = _workbook(True, ["序号", "姓名", "签到"], [[1, municipal_mandate.person.name, "签到"]])
    response = _post_file(staff, reverse("activities:participants_import", kwargs={"pk": activity.pk}), content,
                          "签到表.xlsx")
    assert response.status_code == 302
    assert Participation.objects.filter(activity=activity, person=municipal_mandate.person).exists()
