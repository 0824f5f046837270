"""The batch's work: every deputy's PDF, the summary and the notice, the zip; a second run does nothing; a run
cut short resumes without duplicates; two workers never plan or finish one batch at once."""

import io
import zipfile
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from pypdf import PdfReader

from apps.core.models import OutboxMessage
from apps.deputies.models import Level
from apps.reports import generation, services
from apps.reports.models import ReportBatch, ReportFile
from apps.scoring.selectors.record import points_text
from tests.factories import MandateFactory, PersonFactory, TermFactory
from tests.reports.support import (
    assert_one_file_per_deputy, make_deputies, batch_dir, deputy_files_on_disk, expected_zip_names, mtimes, run_jobs, temp_files,
    work_off, zip_names,
)
from tests.scoring.factories import YEAR

Kind = ReportFile.Kind


@pytest.fixture
def batch(staff_user, city, deputies):
    return services.batch_start(user=staff_user, year=YEAR, jurisdiction=city, level=Level.MUNICIPAL)


def _pdf_text(path) -> str:
    return "".join(page.extract_text() for page in PdfReader(path).pages)


def test_a_run_makes_a_pdf_per_deputy_the_summary_the_notice_and_a_zip_of_them(batch, deputies, monkeypatch):
    monkeypatch.setattr(generation, "CHUNK_SIZE", 2)  # three chunk tasks
    assert work_off() == 1 + 3
    batch.refresh_from_db()
    assert (batch.status, batch.total, batch.done, batch.error) == (ReportBatch.Status.DONE, 5, 5, "")
    assert batch.started_at and batch.finished_at and batch.round == 1
    assert_one_file_per_deputy(batch, deputies)
    kinds = sorted(ReportFile.objects.filter(batch=batch, mandate=None).values_list("kind", flat=True))
    assert kinds == sorted([Kind.SUMMARY_XLSX, Kind.NOTICE_XLSX, Kind.NOTICE_PDF])

    # Each PDF is the deputy's record: their name and score in the text.
    mandate = deputies[0]
    text = _pdf_text(batch_dir(batch) / f"deputy-{mandate.pk}.pdf")
    score = mandate.scores.get()
    assert mandate.person.name in text and points_text(score.total) in text

    # The zip holds every file once, under the names the page shows.
    names = zip_names(batch)
    assert names == expected_zip_names(batch) and len(names) == 5 + 3
    with zipfile.ZipFile(Path(settings.MEDIA_ROOT) / batch.zip_file.name) as archive:
        pdfs = [n for n in names if n.endswith(".pdf") and "/" in n]
        assert len(pdfs) == 5
        first = archive.read(pdfs[0])
        assert first.startswith(b"%PDF") and PdfReader(io.BytesIO(first)).pages
        summary = next(n for n in names if n == ReportFile(kind=Kind.SUMMARY_XLSX).zip_name)
        assert archive.read(summary)[:2] == b"PK"  # a workbook
    assert temp_files(batch) == []


def test_a_second_run_of_a_finished_batch_does_nothing(batch, deputies):
    work_off()
    batch.refresh_from_db()
    before = (mtimes(batch), list(ReportFile.objects.order_by("pk").values_list("pk", "size")),
              batch.finished_at, batch.round)
    zip_mtime = (Path(settings.MEDIA_ROOT) / batch.zip_file.name).stat().st_mtime_ns

    assert generation.batch_run(batch.pk) == ReportBatch.Status.DONE
    assert generation.chunk_run(batch.pk, 1, [m.pk for m in deputies]) == 0  # a late duplicate of a chunk
    services.batches_resume(stalled_seconds=None)  # a finished batch is never resumed
    assert work_off() == 0

    batch.refresh_from_db()
    after = (mtimes(batch), list(ReportFile.objects.order_by("pk").values_list("pk", "size")),
             batch.finished_at, batch.round)
    assert after == before
    assert (Path(settings.MEDIA_ROOT) / batch.zip_file.name).stat().st_mtime_ns == zip_mtime


class Killed(BaseException):
    """What a worker's death looks like to the code: nothing after it runs (not an ``Exception``: no handler
    marks the batch failed)."""


def test_a_run_killed_midway_resumes_where_it_stopped_without_duplicates(batch, deputies, monkeypatch):
    monkeypatch.setattr(generation, "CHUNK_SIZE", 2)
    real = generation.deputy_pdf
    made = []

    def dies_after_three(record):
        if len(made) == 3:
            # The worker dies while writing the 4th file: a half-written temporary file stays behind.
            (batch_dir(batch) / f".deputy-x.pdf.999-deadbeef{generation.TEMP_SUFFIX}").write_bytes(b"%PDF-1.4 half")
            raise Killed
        made.append(record.person_id)
        return real(record)

    monkeypatch.setattr(generation, "deputy_pdf", dies_after_three)
    with pytest.raises(Killed):
        work_off()
    batch.refresh_from_db()
    assert batch.status == ReportBatch.Status.RUNNING
    assert ReportFile.objects.filter(batch=batch).count() == 3 and len(deputy_files_on_disk(batch)) == 3
    assert temp_files(batch)
    first_three = {name: mtime for name, mtime in mtimes(batch).items() if name.startswith("deputy-")}

    # A new worker starts: nobody holds the batch's lock, so it is planned again (a new round); only the two
    # missing PDFs are made. The old round's chunks, delivered again afterwards, do nothing.
    monkeypatch.setattr(generation, "deputy_pdf", real)
    old_chunks = list(OutboxMessage.objects.filter(task="reports.run_chunk"))
    assert generation.orphaned(batch)
    assert services.batches_resume(stalled_seconds=None) == [batch.pk]
    work_off()
    assert run_jobs(old_chunks) == [0] * len(old_chunks) == [0, 0, 0]
    batch.refresh_from_db()
    assert (batch.status, batch.done, batch.total, batch.round) == (ReportBatch.Status.DONE, 5, 5, 2)
    assert_one_file_per_deputy(batch, deputies)
    assert all(mtimes(batch)[name] == mtime for name, mtime in first_three.items())  # not made again
    assert zip_names(batch) == expected_zip_names(batch)


def test_a_file_written_but_not_yet_recorded_is_made_again_in_place(batch, deputies, monkeypatch):
    """Killed between moving the PDF into place and inserting its row: the resumed run writes it again over
    the same path, and it is recorded once."""
    monkeypatch.setattr(generation, "CHUNK_SIZE", 5)
    real_record = generation._record
    calls = []

    def dies_before_the_second_row(batch_, kind, name, size, **kwargs):
        calls.append(name)
        if len(calls) == 2:
            raise Killed
        return real_record(batch_, kind, name, size, **kwargs)

    monkeypatch.setattr(generation, "_record", dies_before_the_second_row)
    with pytest.raises(Killed):
        work_off()
    assert len(deputy_files_on_disk(batch)) == 2 and ReportFile.objects.count() == 1

    monkeypatch.setattr(generation, "_record", real_record)
    services.batches_resume(stalled_seconds=None)
    work_off()
    batch.refresh_from_db()
    assert batch.status == ReportBatch.Status.DONE
    assert_one_file_per_deputy(batch, deputies)


def test_an_error_fails_the_batch_with_its_message_and_a_restart_completes_it(batch, deputies, monkeypatch,
                                                                            staff_user):
    real = generation.deputy_pdf

    def broken(record):
        if record.person_id == deputies[2].person_id:
            raise ValueError("字体文件损坏")
        return real(record)

    monkeypatch.setattr(generation, "deputy_pdf", broken)
    with pytest.raises(ValueError):
        work_off()
    batch.refresh_from_db()
    assert batch.status == ReportBatch.Status.FAILED and "字体文件损坏" in batch.error
    assert services.batches_resume(stalled_seconds=None) == []  # a failed batch waits for staff

    monkeypatch.setattr(generation, "deputy_pdf", real)
    services.batch_restart(user=staff_user, batch=batch)
    work_off()
    batch.refresh_from_db()
    assert (batch.status, batch.error) == (ReportBatch.Status.DONE, "")
    assert_one_file_per_deputy(batch, deputies)


def _other_session():
    db = connection.settings_dict
    return psycopg.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"], autocommit=True)


def test_a_batch_another_process_works_on_is_neither_planned_nor_finished_nor_resumed_here(batch, deputies):
    with _other_session() as other:
        other.execute("SELECT pg_advisory_lock(hashtext(%s), %s)", [generation.LOCK_NAMESPACE, batch.pk])
        assert generation.batch_run(batch.pk, wait=False) == "busy"
        assert not generation.orphaned(batch)
        assert services.batches_resume(stalled_seconds=None) == []
        other.execute("SELECT pg_advisory_unlock(hashtext(%s), %s)", [generation.LOCK_NAMESPACE, batch.pk])
    batch.refresh_from_db()
    assert (batch.status, batch.round) == (ReportBatch.Status.QUEUED, 0)

    # The planning has run; a chunk is being made elsewhere (shared lock): the last chunk here does not finish.
    work_off(max_jobs=1)
    with _other_session() as other:
        other.execute("SELECT pg_advisory_lock_shared(hashtext(%s), %s)", [generation.LOCK_NAMESPACE, batch.pk])
        work_off()
        batch.refresh_from_db()
        assert batch.status == ReportBatch.Status.RUNNING and batch.done == 5
        assert not generation.finish_if_complete(batch.pk)
    # The other process let go: the next look finishes it.
    assert generation.finish_if_complete(batch.pk)
    batch.refresh_from_db()
    assert batch.status == ReportBatch.Status.DONE


def test_a_batch_covers_each_person_once_in_scope_and_in_the_year(city, county, media, staff_user):
    """Deputies of the level under the jurisdiction serving in the year, or scored for it; a person with two
    mandates in scope gets one PDF (the record covers both)."""
    import datetime

    city_term = TermFactory(jurisdiction=city, level=Level.MUNICIPAL, number=16)
    county_term = TermFactory(jurisdiction=county, level=Level.COUNTY, number=19)
    both = PersonFactory(name="两级代表")
    serving = [MandateFactory(term=city_term, person=both), MandateFactory(term=county_term, person=both),
               MandateFactory(term=county_term)]
    ended = MandateFactory(term=city_term, end_date=datetime.date(YEAR - 1, 6, 30), status="ended",
                           end_reason="resigned")
    later = MandateFactory(term=TermFactory(jurisdiction=city, level=Level.MUNICIPAL, number=17,
                                            start_date=datetime.date(YEAR + 1, 1, 1)))
    from apps.reports import selectors

    every_level = services.batch_start(user=staff_user, year=YEAR, jurisdiction=city)
    assert selectors.batch_deputies(every_level) == sorted([serving[0].pk, serving[2].pk])
    county_only = ReportBatch(year=YEAR, jurisdiction=county, level=Level.COUNTY)
    assert selectors.batch_deputies(county_only) == sorted([serving[1].pk, serving[2].pk])
    assert ended.pk not in selectors.batch_deputies(every_level)
    assert later.pk not in selectors.batch_deputies(every_level)


def test_a_batch_with_no_deputy_still_makes_the_summary_the_notice_and_the_zip(city, media, staff_user):
    batch = services.batch_start(user=staff_user, year=YEAR, jurisdiction=city, level=Level.TOWNSHIP)
    work_off()
    batch.refresh_from_db()
    assert (batch.status, batch.total, batch.done, batch.percent) == (ReportBatch.Status.DONE, 0, 0, 100)
    assert len(zip_names(batch)) == 3
    assert not OutboxMessage.objects.filter(task="reports.run_chunk").exists()


def test_a_planning_waits_for_the_chunks_running_elsewhere_then_plans_what_they_left(transactional_db, city, media,
                                                                                   monkeypatch):
    """A resumed batch whose old chunks still run in another process: its planning waits for them to let go,
    then plans only the deputies they left (no two processes make one file at once)."""
    import threading

    from apps.core import outbox

    monkeypatch.setattr(outbox, "dispatch_one", lambda pk: False)  # no broker here: the jobs stay in the outbox
    mandates = make_deputies(city, 3)
    batch = ReportBatch.objects.create(year=YEAR, jurisdiction=city, level=Level.MUNICIPAL)
    results = []

    def plan():
        try:
            results.append(generation.batch_run(batch.pk))
        finally:
            connection.close()

    with _other_session() as other:
        other.execute("SELECT pg_advisory_lock_shared(hashtext(%s), %s)", [generation.LOCK_NAMESPACE, batch.pk])
        thread = threading.Thread(target=plan)
        thread.start()
        thread.join(1.0)
        assert thread.is_alive() and results == []  # waiting
        # Meanwhile the chunk elsewhere records one deputy's PDF, then lets go.
        name = f"{batch.directory}/deputy-{mandates[0].pk}.pdf"
        generation._record(batch, Kind.DEPUTY_PDF, name, generation.write_atomically(name, b"%PDF-1.4"),
                           mandate_id=mandates[0].pk, person_name=mandates[0].person.name)
        other.execute("SELECT pg_advisory_unlock_shared(hashtext(%s), %s)", [generation.LOCK_NAMESPACE, batch.pk])
        thread.join(10)
    assert results == ["planned 2 in round 1"]
    (chunk,) = OutboxMessage.objects.filter(task="reports.run_chunk")
    assert chunk.args == [batch.pk, 1, [mandates[1].pk, mandates[2].pk]]


def test_each_file_is_recorded_once_and_deleted_deputies_keep_their_rows(batch, deputies):
    work_off()
    generation._record(batch, Kind.SUMMARY_XLSX, f"{batch.directory}/summary.xlsx", 1)  # ignored
    generation._record(batch, Kind.DEPUTY_PDF, f"{batch.directory}/deputy-{deputies[0].pk}.pdf", 1,
                       mandate_id=deputies[0].pk)  # ignored
    assert ReportFile.objects.filter(batch=batch).count() == 5 + 3
    for mandate in deputies[:2]:
        mandate.delete()
    assert ReportFile.objects.filter(batch=batch, kind=Kind.DEPUTY_PDF, mandate=None).count() == 2
    assert ReportFile.objects.filter(batch=batch).count() == 5 + 3


def test_a_batch_recomputes_the_scores_before_it_renders_a_report(batch, deputies):
    from apps.scoring.models import Commendation, Score, StaleMandate

    mandate = deputies[0]
    before = mandate.scores.get().total
    # A commendation whose refresh has not run yet (written in bulk, no mark): the stored score predates it.
    Commendation.objects.bulk_create([Commendation(mandate=mandate, date=f"{YEAR}-06-01", title="优秀人大代表",
                                                   awarded_by="市人大常委会")])
    StaleMandate.objects.all().delete()
    assert mandate.scores.get().total == before
    work_off()
    batch.refresh_from_db()
    assert batch.status == ReportBatch.Status.DONE
    after = Score.objects.get(mandate=mandate).total
    assert after == before + 5  # the typical rule set's commendation bonus
    assert points_text(after) in _pdf_text(batch_dir(batch) / f"deputy-{mandate.pk}.pdf")


def test_a_batch_whose_scores_cannot_be_recomputed_fails_with_the_reason_and_makes_no_report(batch, deputies,
                                                                                            monkeypatch):
    from apps.scoring.services import scores as score_services

    def unavailable(**kwargs):
        raise RuntimeError("数据库连接中断")

    monkeypatch.setattr(score_services, "scores_recompute_scope", unavailable)
    with pytest.raises(generation.ScoresNotRecomputed):
        work_off()
    batch.refresh_from_db()
    assert batch.status == ReportBatch.Status.FAILED
    assert f"生成报告前未能重新计算{YEAR}年度的得分" in batch.error and "数据库连接中断" in batch.error
    assert not ReportFile.objects.filter(batch=batch).exists()
