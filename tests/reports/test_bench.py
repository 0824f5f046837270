"""The bench's figures come from a real run of the chunk tasks' code in two forked worker processes, which
leaves nothing behind."""

from pathlib import Path

from django.conf import settings

from apps.reports import bench, generation
from apps.reports.models import ReportBatch, ReportFile
from tests.reports.support import make_deputies


def test_the_bench_measures_a_real_run_in_two_processes_and_cleans_up(transactional_db, city, media,
                                                                      monkeypatch):
    make_deputies(city, 6)
    monkeypatch.setattr(generation, "CHUNK_SIZE", 2)
    bench._measured.clear()
    measure = bench.measure(sample=4)
    assert measure.sample == 4 and measure.seconds > 0 and measure.pdfs_per_s > 0
    assert bench.pdfs_per_second(sample=4) == measure.pdfs_per_s  # one run for both figures
    assert 50 < bench.worker_peak_rss_mb(sample=4) == measure.peak_rss_mb <= measure.peak_total_rss_mb
    assert measure.python_cpu_ms_per_pdf > 0
    assert not ReportBatch.objects.exists() and not ReportFile.objects.exists()
    assert not list((Path(settings.MEDIA_ROOT) / "reports").glob("batch-*"))
    bench._measured.clear()
