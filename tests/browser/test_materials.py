"""A deputy finds a document of the materials library (知情知政) by its title on a phone and downloads it."""

import pytest
from playwright.sync_api import expect

from apps.core.models import AuditEvent
from apps.deputies.models import Level
from tests.browser.conftest import login
from tests.materials.conftest import PDF, make_document

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 390, "height": 844}, "is_mobile": True,
            "has_touch": True, "device_scale_factor": 3, "accept_downloads": True}


def test_a_deputy_finds_a_document_by_title_on_a_phone_and_downloads_it(page, deputy_user, city, settings,
                                                                       tmp_path):
    settings.MEDIA_ROOT = tmp_path
    wanted = make_document(city, title="市人民政府工作报告", level=Level.MUNICIPAL)
    make_document(city, title="道路交通安全法")
    login(page, "deputy", "Renda@2026")

    page.get_by_role("button", name="菜单").click()
    page.locator("#nav-my-materials").click()
    expect(page.locator("#document-count")).to_have_text("2 份资料")
    page.get_by_placeholder("按标题搜索").fill("工作报告")
    page.locator("#document-search").click()
    expect(page.locator("#document-count")).to_have_text("1 份资料")
    expect(page.locator("#document-table")).not_to_contain_text("道路交通安全法")

    with page.expect_download() as download:
        page.locator(f"#download-{wanted.pk}").click()
    assert download.value.suggested_filename == "市人民政府工作报告.pdf"
    assert open(download.value.path(), "rb").read() == PDF
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD, object_id=str(wanted.pk),
                                     user=deputy_user).count() == 1
