"""The reports pages: the list with progress bars (a fixed number of queries), starting a batch, its progress
fragment polled by htmx, "queued" while its job waits, and the audited downloads."""

import io
import re
import zipfile

import pytest
from django.urls import reverse

from apps.core.models import AuditEvent, OutboxMessage
from apps.deputies.models import Level
from apps.reports.models import ReportBatch
from tests.reports.support import finished_batch, work_off
from tests.scoring.factories import YEAR


def _no_inline_style_or_script(html: str) -> None:
    assert "style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)


def test_the_list_shows_each_batch_with_its_progress_in_a_fixed_number_of_queries(
        client_for, staff_user, city, county, municipal_mandate, media, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(staff_user)
    client.get(reverse("reports:batch_list"))  # warm: sessions, content types
    finished_batch(jurisdiction=city, mandate=municipal_mandate)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("reports:batch_list"))
    for offset, done in enumerate((0, 7, 10)):
        ReportBatch.objects.create(year=YEAR - offset, jurisdiction=county, level=Level.COUNTY if done else "",
                                   status=ReportBatch.Status.RUNNING if done else ReportBatch.Status.QUEUED,
                                   total=10, done=done, requested_by=staff_user)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("reports:batch_list"))
    html = response.content.decode()
    assert len(response.context["page"].object_list) == 4
    with CaptureQueriesContext(connection) as four:
        client.get(reverse("reports:batch_list"))
    assert len(four) == len(one)  # no query per row
    assert html.count('role="progressbar"') == 4
    assert 'aria-valuenow="70"' in html and "report-progress-70" in html and 'aria-valuenow="100"' in html
    assert 'data-status="queued"' in html and 'id="batch-start-form"' in html
    _no_inline_style_or_script(html)


def test_supervisors_read_the_list_without_the_start_form(client_for, supervisor_user, city, municipal_mandate,
                                                          media):
    finished_batch(jurisdiction=city, mandate=municipal_mandate)
    response = client_for(supervisor_user).get(reverse("reports:batch_list"))
    assert response.status_code == 200 and response.context["form"] is None
    assert 'id="batch-start-form"' not in response.content.decode()


def test_staff_start_a_batch_and_see_it_queued_not_yet_running(client_for, staff_user, city, media):
    client = client_for(staff_user)
    response = client.post(reverse("reports:batch_start"),
                           {"year": YEAR, "jurisdiction": city.pk, "level": Level.MUNICIPAL})
    batch = ReportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:batch_detail", args=[batch.pk])
    assert (batch.year, batch.jurisdiction, batch.level, batch.status) == (YEAR, city, Level.MUNICIPAL, "queued")
    assert OutboxMessage.objects.get().task == "reports.run_batch"

    html = client.get(response["Location"]).content.decode()
    assert 'data-status="queued"' in html and 'id="batch-queued-note"' in html
    assert f'hx-get="{reverse("reports:batch_progress", args=[batch.pk])}"' in html
    assert 'hx-trigger="every 2s"' in html
    _no_inline_style_or_script(html)


def test_a_bad_start_shows_the_form_again_with_the_message_and_writes_nothing(client_for, county_staff_user,
                                                                             city, county, media):
    client = client_for(county_staff_user)
    response = client.post(reverse("reports:batch_start"), {"year": YEAR, "jurisdiction": city.pk})
    assert response.status_code == 400 and "jurisdiction" in response.context["form"].errors
    client.post(reverse("reports:batch_start"), {"year": YEAR, "jurisdiction": county.pk})
    again = client.post(reverse("reports:batch_start"), {"year": YEAR, "jurisdiction": county.pk})
    assert again.status_code == 400 and again.context["form"].non_field_errors()
    assert ReportBatch.objects.count() == 1 and OutboxMessage.objects.count() == 1


def test_the_progress_fragment_polls_while_running_and_stops_when_done(client_for, staff_user, city, media):
    batch = ReportBatch.objects.create(year=YEAR, jurisdiction=city, status=ReportBatch.Status.RUNNING,
                                       total=40, done=13)
    url = reverse("reports:batch_progress", args=[batch.pk])
    client = client_for(staff_user)
    html = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-status="running"' in html and 'aria-valuenow="32"' in html and "report-progress-30" in html
    assert 'hx-trigger="every 2s"' in html and "13" in html and "40" in html
    _no_inline_style_or_script(html)

    ReportBatch.objects.filter(pk=batch.pk).update(status=ReportBatch.Status.DONE, done=40)
    response = client.get(url, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'aria-valuenow="100"' in html and "report-progress-100" in html and "hx-trigger" not in html
    assert response["HX-Refresh"] == "true"  # the whole page then lists the files


def test_a_job_waiting_for_the_broker_is_shown_as_such(client_for, staff_user, city, media, settings,
                                                       django_capture_on_commit_callbacks):
    from tests.reliability.support import broker_down

    client = client_for(staff_user)
    with broker_down(settings), django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:batch_start"), {"year": YEAR, "jurisdiction": city.pk})
    batch = ReportBatch.objects.get()
    html = client.get(reverse("reports:batch_detail", args=[batch.pk])).content.decode()
    assert 'data-status="waiting"' in html
    assert 'data-status="waiting"' in client.get(reverse("reports:batch_list")).content.decode()


def test_a_failed_batch_shows_its_error_and_staff_start_it_again(client_for, staff_user, city, media):
    batch = ReportBatch.objects.create(year=YEAR, jurisdiction=city, status=ReportBatch.Status.FAILED,
                                       error="ValueError: 字体文件损坏")
    client = client_for(staff_user)
    html = client.get(reverse("reports:batch_detail", args=[batch.pk])).content.decode()
    assert "字体文件损坏" in html and 'id="batch-restart"' in html
    response = client.post(reverse("reports:batch_restart", args=[batch.pk]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ReportBatch.Status.QUEUED and batch.error == ""


def test_the_zip_and_each_file_download_and_are_audited(client_for, supervisor_user, city, municipal_mandate,
                                                        media):
    batch, pdf = finished_batch(jurisdiction=city, mandate=municipal_mandate)
    client = client_for(supervisor_user)
    html = client.get(reverse("reports:batch_detail", args=[batch.pk])).content.decode()
    assert reverse("reports:batch_download", args=[batch.pk]) in html
    assert reverse("reports:file_download", args=[batch.pk, pdf.pk]) in html

    response = client.get(reverse("reports:batch_download", args=[batch.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment")
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        assert pdf.zip_name in archive.namelist()
    response = client.get(reverse("reports:file_download", args=[batch.pk, pdf.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 report"

    events = AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD, user=supervisor_user).order_by("pk")
    assert [(e.object_type, e.object_id) for e in events] == [("reports.ReportBatch", str(batch.pk)),
                                                              ("reports.ReportFile", str(pdf.pk))]


def test_there_is_no_zip_before_the_batch_is_done(client_for, staff_user, city, media):
    batch = ReportBatch.objects.create(year=YEAR, jurisdiction=city, status=ReportBatch.Status.RUNNING)
    assert client_for(staff_user).get(reverse("reports:batch_download", args=[batch.pk])).status_code == 404


@pytest.mark.parametrize("pk", ["0", "99999999999999999999999"])
def test_a_missing_or_absurd_batch_is_404(client_for, staff_user, pk, db):
    assert client_for(staff_user).get(f"/reports/{pk}/").status_code == 404


def test_a_run_through_the_pages_ends_with_the_files_listed(client_for, staff_user, city, deputies):
    client = client_for(staff_user)
    client.post(reverse("reports:batch_start"), {"year": YEAR, "jurisdiction": city.pk, "level": Level.MUNICIPAL})
    work_off()
    batch = ReportBatch.objects.get()
    response = client.get(reverse("reports:batch_detail", args=[batch.pk]))
    assert len(response.context["page"].object_list) == 5 + 3
    assert 'id="batch-download"' in response.content.decode()


@pytest.mark.parametrize("data", [{"year": "二〇二四", "jurisdiction": "9" * 40, "level": "galaxy"},
                                  {"year": "1900", "jurisdiction": "-1"}, {"year": ["2024", "2025"]}, {}])
def test_nonsense_in_the_start_form_is_a_form_error_not_a_crash(client_for, staff_user, city, data):
    response = client_for(staff_user).post(reverse("reports:batch_start"), data)
    assert response.status_code == 400 and response.context["form"].errors
    assert not ReportBatch.objects.exists()


def test_a_batch_queued_for_a_while_without_a_worker_says_so(client_for, staff_user, city, media):
    import datetime

    import time_machine

    from apps.core.tasks import heartbeat

    batch = ReportBatch.objects.create(year=YEAR, jurisdiction=city)
    url = reverse("reports:batch_progress", args=[batch.pk])
    client = client_for(staff_user)
    assert 'id="batch-no-worker"' not in client.get(url).content.decode()  # just queued
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=2)):
        assert 'id="batch-no-worker"' in client.get(url).content.decode()
        heartbeat.apply()  # a worker is alive: the batch is just waiting its turn
        assert 'id="batch-no-worker"' not in client.get(url).content.decode()
