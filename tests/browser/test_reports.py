"""The annual reports in a browser: staff start a batch on /reports/, a real Celery worker makes it while the
page polls its progress bar up to 100%, and they download the zip with every deputy's PDF."""

import io
import zipfile

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from apps.deputies.models import Level
from apps.reports.models import ReportBatch
from tests.browser.conftest import login
from tests.reports.support import make_deputies
from tests.reports.worker import report_broker, report_workers  # noqa: F401 (fixtures)
from tests.scoring.factories import YEAR

pytestmark = pytest.mark.browser

DEPUTIES = 40


def test_staff_start_a_batch_watch_it_reach_100_percent_and_download_the_zip(page, report_workers, city,
                                                                            staff_user):
    mandates = make_deputies(city, DEPUTIES)
    report_workers()
    login(page, staff_user.username)
    page.goto(reverse("reports:batch_list"))
    form = page.locator("#batch-start-form")
    form.locator("#id_year").select_option(str(YEAR))
    form.locator("#id_jurisdiction").select_option(str(city.pk))
    form.locator("#id_level").select_option(Level.MUNICIPAL)
    page.locator("#batch-start").click()

    batch = ReportBatch.objects.get()
    page.wait_for_url(f"**{reverse('reports:batch_detail', args=[batch.pk])}")
    bar = page.locator("#batch-progress [role=progressbar]")
    expect(bar).to_be_visible()
    seen = {bar.get_attribute("aria-valuenow")}
    # The page polls the fragment every 2 seconds; once done it reloads and offers the zip.
    download_link = page.locator("#batch-download")
    for _ in range(120):
        if download_link.count():
            break
        seen.add(bar.get_attribute("aria-valuenow"))
        page.wait_for_timeout(500)
    expect(download_link).to_be_visible(timeout=60_000)
    expect(bar).to_have_attribute("aria-valuenow", "100")
    expect(page.locator("#batch-progress")).to_have_attribute("data-status", "done")
    assert len(seen - {"100", None}) >= 1  # it was seen below 100% on the way
    assert page.locator("#file-table tbody tr").count() == DEPUTIES + 3

    with page.expect_download() as info:
        download_link.click()
    download = info.value
    assert download.suggested_filename.endswith(".zip")
    with open(download.path(), "rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    names = archive.namelist()
    pdfs = [n for n in names if n.endswith(".pdf") and "/" in n]
    assert len(pdfs) == DEPUTIES and len(names) == DEPUTIES + 3
    assert {n.rsplit("/", 1)[-1].rsplit("-", 1)[0] for n in pdfs} == {m.person.name for m in mandates}
    assert archive.read(pdfs[0]).startswith(b"%PDF")
