"""Performance figures of the annual reports batch for ``manage.py bench`` (which calls these and prints them):

- ``report_pdfs_per_s``: deputies' PDFs made per second by two worker processes, as the production worker
  makes them (``celery worker --concurrency 2``, prefork): a pool of two processes forked from a fresh process
  that has set Django up and imported the tasks' code, as the worker's main process has
  (``apps.reports.bench_worker``; not from this command, whose memory every forked child would start with),
  runs the batch's chunk tasks' code (``generation.chunk_run``: the record, the PDF, the file moved into place,
  its row, the progress) over the first ``sample`` deputies of a real batch of the largest
  congress, in chunks of ``generation.CHUNK_SIZE``. Each process registers the CJK font before the clock
  starts (a worker does it once for its first of thousands of PDFs);
- ``report_worker_rss_mb``: the peak resident memory of one of those worker processes while they work (each
  sampled every 50 ms; the largest), including the finishing step's exports of the whole batch (the Excel
  summary of all its deputies and the covenant notice; the zip is streamed from disk).

Both come from one measured run (made on the first call, kept for the second), as does what explains a low rate
on a busy machine: the CPU time per PDF of the worker processes and of their PostgreSQL backends
(``Measure.cpu_bound_pdfs_per_s``: what two free cores would make). The batch, its rows and its files are
deleted afterwards.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import CommandError
from django.db import connections
from django.db.models import Count

from apps.core.registry import BenchFamily
from apps.reports import generation, selectors
from apps.reports.models import ReportBatch

PROCESSES = 2
SAMPLE = 300


@dataclass(frozen=True)
class Measure:
    sample: int
    seconds: float
    pdfs_per_s: float
    peak_rss_mb: float  # the largest of the worker processes' peaks
    peak_total_rss_mb: float  # the two together, at their highest
    # CPU time per PDF of the worker processes and of their database backends: with the machine to themselves,
    # two cores make about 2 / (python + database) PDFs per second (what the wall clock shows on a busy machine
    # is less).
    python_cpu_ms_per_pdf: float | None
    database_cpu_ms_per_pdf: float | None

    @property
    def cpu_bound_pdfs_per_s(self) -> float | None:
        if not self.python_cpu_ms_per_pdf or self.database_cpu_ms_per_pdf is None:
            return None
        return round(PROCESSES * 1000 / (self.python_cpu_ms_per_pdf + self.database_cpu_ms_per_pdf), 1)


_measured: dict[int, Measure] = {}


def _scope() -> tuple:
    """The congress with the most deputies (a jurisdiction without a parent) and the latest year scored."""
    from apps.core.models import Jurisdiction
    from apps.scoring.models import Score

    root = (Jurisdiction.objects.filter(parent=None).annotate(n=Count("mandates")).order_by("-n").first())
    if root is None or not root.n:
        raise CommandError("no deputies: seed the demo data first")
    year = Score.objects.order_by("-year").values_list("year", flat=True).first()
    if year is None:
        from django.utils import timezone

        year = timezone.localdate().year
    return root, year


def _warm_up(database_name: str, media_root: str) -> None:
    """Each pool process: the bench's database (by name: a test's is not the configured one) and media root,
    its own database connection (opened), and the CJK font registered."""
    from django.conf import settings
    from django.db import connection
    from django.test.utils import override_settings

    from apps.scoring.pdf import cjk_font

    if settings.MEDIA_ROOT != media_root:
        override_settings(MEDIA_ROOT=media_root).enable()  # resets the storages, as a test's override does
    connections.close_all()
    connection.settings_dict["NAME"] = database_name
    connection.ensure_connection()
    cjk_font()


def _backends(processes: list[psutil.Process]) -> list[psutil.Process]:
    """The PostgreSQL backends serving these processes (matched by their TCP ports; none over a socket)."""
    ports = set()
    for process in processes:
        try:
            ports |= {c.laddr.port for c in process.net_connections(kind="tcp") if c.raddr}
        except psutil.Error:
            continue
    backends = []
    for candidate in psutil.process_iter(["cmdline"]):
        command = " ".join(candidate.info["cmdline"] or [])
        if command.startswith("postgres:") and any(f"({port})" in command for port in ports):
            backends.append(candidate)
    return backends


def _cpu_seconds(processes: list[psutil.Process]) -> float:
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


def _batch_exports(batch_id: int) -> int:
    """What finishing a batch holds in memory at most: the summary of all its deputies and the notice."""
    batch = ReportBatch.objects.select_related("jurisdiction").get(pk=batch_id)
    return sum(len(export(batch)) for _kind, _name, export in generation.BATCH_EXPORTS)


def _run_chunk(args) -> int:
    batch_id, round_, mandate_ids = args
    return generation.chunk_run(batch_id, round_, mandate_ids)


def _sample_rss(workers: list[psutil.Process], stop: threading.Event, peaks: dict, totals: list) -> None:
    while not stop.is_set():
        total = 0
        for worker in workers:
            try:
                rss = worker.memory_info().rss
            except psutil.Error:
                continue
            peaks[worker.pid] = max(peaks.get(worker.pid, 0), rss)
            total += rss
        totals.append(total)
        stop.wait(0.05)


def measure(sample: int = SAMPLE, processes: int = PROCESSES) -> Measure:
    """Make the PDFs of ``sample`` deputies with ``processes`` worker processes; the rate and peak memory."""
    if sample in _measured:
        return _measured[sample]
    jurisdiction, year = _scope()
    batch = ReportBatch.objects.create(year=year, jurisdiction=jurisdiction, status=ReportBatch.Status.RUNNING,
                                       round=1)
    try:
        deputies = selectors.batch_deputies(batch)
        if len(deputies) < sample:
            raise CommandError(f"{len(deputies)} deputies in {jurisdiction}: fewer than the sample of {sample}")
        # The whole batch's total: the sample's last chunk does not finish it (no zip in this figure).
        ReportBatch.objects.filter(pk=batch.pk).update(total=len(deputies))
        chosen = deputies[:sample]
        chunks = [(batch.pk, 1, chosen[i:i + generation.CHUNK_SIZE])
                  for i in range(0, sample, generation.CHUNK_SIZE)]
        connections.close_all()  # the pool's processes must not share this connection
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["apps.reports.bench_worker"])
        warm_up = (connections["default"].settings_dict["NAME"], str(settings.MEDIA_ROOT))
        with context.Pool(processes, initializer=_warm_up, initargs=warm_up) as pool:
            # Every process started and warmed up before the clock; they are the fork server's children. (A
            # process that fails to start is replaced for ever: the timeout turns that into an error.)
            pids = set(pool.map_async(_noop, range(processes * 4)).get(timeout=300))
            workers = [psutil.Process(pid) for pid in pids]
            peaks: dict[int, int] = {}
            totals: list[int] = []
            stop = threading.Event()
            sampler = threading.Thread(target=_sample_rss, args=(workers, stop, peaks, totals), daemon=True)
            backends = _backends(workers)
            cpu_before = (_cpu_seconds(workers), _cpu_seconds(backends))
            sampler.start()
            start = time.perf_counter()
            made = sum(pool.imap_unordered(_run_chunk, chunks))
            seconds = time.perf_counter() - start
            cpu = (_cpu_seconds(workers) - cpu_before[0], _cpu_seconds(backends) - cpu_before[1])
            pool.apply(_batch_exports, (batch.pk,))  # the finishing step's exports, in the peak memory too
            stop.set()
            sampler.join()
        if made != sample:
            raise CommandError(f"the pool made {made} PDFs of {sample}")
        result = Measure(sample=sample, seconds=round(seconds, 2), pdfs_per_s=round(sample / seconds, 1),
                         peak_rss_mb=round(max(peaks.values()) / 2**20, 1),
                         peak_total_rss_mb=round(max(totals) / 2**20, 1),
                         python_cpu_ms_per_pdf=round(cpu[0] * 1000 / sample, 1),
                         database_cpu_ms_per_pdf=round(cpu[1] * 1000 / sample, 1) if backends else None)
    finally:
        directory = Path(default_storage.path(batch.directory))
        ReportBatch.objects.filter(pk=batch.pk).delete()
        shutil.rmtree(directory, ignore_errors=True)
    _measured[sample] = result
    return result


def _noop(_value) -> int:
    time.sleep(0.05)
    return os.getpid()


def pdfs_per_second(sample: int = SAMPLE) -> float:
    """``report_pdfs_per_s``: PDFs per second of two worker processes (target ≥ 15)."""
    return measure(sample).pdfs_per_s


def worker_peak_rss_mb(sample: int = SAMPLE) -> float:
    """``report_worker_rss_mb``: the peak resident memory of a worker process making them, MB (target ≤ 300)."""
    return measure(sample).peak_rss_mb


def report_figures(bench) -> None:
    result = measure()
    bench.figure("report_pdfs_per_s", result.pdfs_per_s, "files/s")
    bench.figure("report_worker_rss_mb", result.peak_rss_mb, "MB")
    if result.cpu_bound_pdfs_per_s is not None:  # tells a busy machine from slow code
        bench.note(f"report PDFs per second on two free cores (from CPU time): {result.cpu_bound_pdfs_per_s:.1f}")


FIGURES = [BenchFamily("reports", 800, report_figures)]
