"""The materials library: who sees which document, search by title, the audited download, staff's writes within
their scope, bad input (a Chinese message, nothing written), the Excel export."""

import datetime
import io
from pathlib import Path

import openpyxl
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.deputies.models import Level
from apps.materials.models import Category, Document, DocumentPack
from apps.materials.selectors import visible_documents
from tests.factories import TermFactory, UserFactory
from tests.materials.conftest import PDF, make_document, make_session

pytestmark = pytest.mark.usefixtures("_frozen")
NOW = datetime.datetime(2026, 11, 26, 10, 0, tzinfo=datetime.timezone.utc)


@pytest.fixture
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _titles(qs):
    return sorted(qs.values_list("title", flat=True))


def test_a_deputy_sees_the_documents_of_their_level_from_their_jurisdiction_or_above(
        city, county, other_county, deputy_user, county_mandate):
    make_document(city, title="全市各级代表须知")  # no level: every deputy of the city and below
    make_document(city, title="市人大会议文件", level=Level.MUNICIPAL)
    make_document(city, title="县级代表专题资料", level=Level.COUNTY)
    make_document(county, title="南关区会议文件", level=Level.COUNTY)
    make_document(other_county, title="朝阳区会议文件", level=Level.COUNTY)
    county_deputy = UserFactory(roles=["deputy"], person=county_mandate.person)

    assert _titles(visible_documents(deputy_user)) == ["全市各级代表须知", "市人大会议文件"]
    assert _titles(visible_documents(county_deputy)) == sorted(["南关区会议文件", "全市各级代表须知", "县级代表专题资料"])


def test_a_deputy_whose_mandate_ended_sees_nothing(city, deputy_user, municipal_mandate):
    make_document(city, title="全市各级代表须知")
    municipal_mandate.end_date = datetime.date(2026, 6, 30)
    municipal_mandate.save()
    assert not visible_documents(deputy_user).exists()


def test_the_list_searches_by_title_without_a_query_per_row(client_for, staff_user, city, other_county,
                                                          django_assert_max_num_queries):
    pack = DocumentPack.objects.create(title="第三次会议材料", session=make_session(TermFactory(jurisdiction=city)),
                                       jurisdiction=city)
    for n in range(6):
        make_document(city if n % 2 else other_county, title=f"政府工作报告{n}", pack=pack, tags=["报告"])
    make_document(city, title="道路交通安全法")
    client = client_for(staff_user)

    with django_assert_max_num_queries(12):
        page = client.get(reverse("materials:document_list"), {"q": "工作报告"}).content.decode()
    assert page.count('id="download-') == 6 and "道路交通安全法" not in page
    assert "6 份资料" in page or "6 documents" in page


def test_a_deputy_downloads_a_document_and_the_download_is_audited(client_for, deputy_user, city_document,
                                                                 other_document):
    client = client_for(deputy_user)
    response = client.get(reverse("materials:document_download", args=[city_document.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["X-Content-Type-Options"] == "nosniff"
    event = AuditEvent.objects.get(action=AuditEvent.Action.DOWNLOAD)
    assert (event.user, event.object_type, event.object_id) == (deputy_user, "materials.Document",
                                                                str(city_document.pk))

    assert client.get(reverse("materials:document_download", args=[other_document.pk])).status_code == 404
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD).count() == 1


def _post(client, **data):
    return client.post(reverse("materials:document_create"), {
        "title": "市人民政府工作报告", "category": Category.GOVERNMENT, "tags": "报告，政府", "level": "",
        "jurisdiction": data.pop("jurisdiction"), **data})


def test_staff_upload_a_document_checked_by_content(client_for, staff_user, city, settings):
    response = _post(client_for(staff_user), jurisdiction=city.pk,
                     file=SimpleUploadedFile("报告.pdf", PDF, content_type="application/pdf"))
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.tags, document.content_type, document.uploaded_by) == (["报告", "政府"], "application/pdf",
                                                                             staff_user)
    assert Path(document.file.path).read_bytes() == PDF


@pytest.mark.parametrize("upload, message", [
    (SimpleUploadedFile("报告.pdf", b"<script>alert(1)</script>", content_type="application/pdf"), "类型不被接受"),
    (SimpleUploadedFile("空.pdf", b"", content_type="application/pdf"), "空文件"),
    (SimpleUploadedFile("大.pdf", PDF + b"0" * 2048, content_type="application/pdf"), "过大"),
])
def test_a_hostile_empty_or_huge_file_is_refused_in_chinese_and_nothing_is_written(
        client_for, staff_user, city, settings, tmp_path, upload, message):
    settings.UPLOAD_MAX_BYTES = 1024
    response = _post(client_for(staff_user), jurisdiction=city.pk, file=upload)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Document.objects.exists() and not list(Path(tmp_path).rglob("*.*"))


def test_a_nul_in_the_title_or_a_huge_title_is_refused(client_for, staff_user, city):
    client = client_for(staff_user)
    def upload():
        return SimpleUploadedFile("报告.pdf", PDF, content_type="application/pdf")

    assert _post(client, jurisdiction=city.pk, file=upload(), title="报告\x00").status_code == 400
    response = _post(client, jurisdiction=city.pk, file=upload(), title="长" * 5000)
    assert response.status_code == 200 and "不超过 200 字符" in response.content.decode()
    assert not Document.objects.exists()


def test_county_staff_cannot_file_a_document_under_another_county(client_for, county_staff_user, other_county):
    response = _post(client_for(county_staff_user), jurisdiction=other_county.pk,
                     file=SimpleUploadedFile("报告.pdf", PDF, content_type="application/pdf"))
    assert response.status_code == 200 and "请选择有效的选项" in response.content.decode()
    assert not Document.objects.exists()


def test_staff_edit_and_delete_a_document(client_for, staff_user, city_document):
    client = client_for(staff_user)
    response = client.post(reverse("materials:document_edit", args=[city_document.pk]), {
        "title": "新标题", "category": Category.LAW, "tags": "法规", "level": Level.MUNICIPAL,
        "jurisdiction": city_document.jurisdiction_id})
    assert response.status_code == 302
    city_document.refresh_from_db()
    assert (city_document.title, city_document.category, city_document.tags) == ("新标题", Category.LAW, ["法规"])

    assert client.post(reverse("materials:document_delete", args=[city_document.pk])).status_code == 302
    assert not Document.objects.exists()


def test_staff_make_a_pack_for_a_session(client_for, staff_user, city, city_term):
    session = make_session(city_term)
    response = client_for(staff_user).post(reverse("materials:pack_create"), {
        "title": "第三次会议材料", "session": session.pk, "jurisdiction": city.pk})
    pack = DocumentPack.objects.get()
    assert response["Location"] == reverse("materials:document_list") + f"?pack={pack.pk}"
    assert pack.session == session


def test_the_export_lists_the_filtered_documents_with_formulas_escaped(client_for, staff_user, city):
    make_document(city, title="=HYPERLINK(\"http://x\")")
    make_document(city, title="道路交通安全法", category=Category.LAW)
    response = client_for(staff_user).get(reverse("materials:document_export"), {"category": Category.GOVERNMENT})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1 and rows[0][0] == "=HYPERLINK(\"http://x\")"
    assert sheet["A2"].data_type == "s"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).count() == 1
