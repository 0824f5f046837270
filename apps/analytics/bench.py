"""Data analysis's figures for ``manage.py bench`` (``FIGURES``; see that command for the shared machinery):

- ``analytics_queries_max`` (``queries``, and ``analytics``): the most SQL queries any section page of
  /analytics/ takes as the city ``staff`` user (every chart counted from scratch: the pages cache nothing), and
  ``analytics_queries_max_small``, the same on the small-scale database (constant in data size);
- ``analytics_cold_ms_max`` (``analytics``): the slowest section page with the caches empty, in-process: for
  each section the median of ``runs`` requests, each after ``cache.clear()``; the largest median;
- ``analytics_p95_ms`` (``analytics``): gunicorn with 2 workers, ``--clients`` clients on the slowest section,
  with ``roster_list_p95_ms`` measured in the same run for comparison (noted, with their ratio).
"""

from __future__ import annotations

import statistics
import time

from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from apps.core.registry import BenchFamily


def section_urls() -> dict[str, str]:
    from apps.analytics.sections import all_sections

    return {section.slug: reverse("analytics:section", args=[section.slug]) for section in all_sections()}


def query_figures(bench) -> None:
    counts = {slug: bench.page_queries(url, clear_cache=True) for slug, url in section_urls().items()}
    bench.note("analytics queries per section: " + ", ".join(f"{slug} {n}" for slug, n in counts.items()))
    bench.figure("analytics_queries_max", max(counts.values()), "queries")
    bench.small_figure("analytics_queries_max")


def cold_ms(bench, runs: int = 7) -> dict[str, float]:
    client = Client()
    client.force_login(bench.staff_user())
    medians = {}
    for slug, url in section_urls().items():
        client.get(url)  # warm: templates, translations, content types
        times = []
        for _ in range(runs):
            cache.clear()
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        medians[slug] = round(statistics.median(times), 2)
    return medians


def analytics_figures(bench) -> None:
    if "queries" not in bench.only:  # else the queries family measured them
        query_figures(bench)
    medians = cold_ms(bench)
    bench.note("analytics cold ms per section: " + ", ".join(f"{slug} {ms}" for slug, ms in medians.items()))
    bench.figure("analytics_cold_ms_max", max(medians.values()), "ms")
    slowest = section_urls()[max(medians, key=medians.get)]
    cookie = bench.session_cookie(bench.staff_user())
    with bench.gunicorn() as (port, tool):
        analytics = bench.page_load(port, slowest, cookie, clients=bench.clients, duration=bench.duration, tool=tool)
        roster = bench.page_load(port, "/deputies/", cookie, clients=bench.clients, duration=bench.duration,
                                 tool=tool)
    bench.note(f"analytics p95 on {slowest}: {analytics['p95_ms']} ms; roster list p95 in the same run: "
               f"{roster['p95_ms']} ms (ratio {analytics['p95_ms'] / max(roster['p95_ms'], 0.01):.2f})")
    bench.figure("analytics_p95_ms", analytics["p95_ms"], "ms")


FIGURES = [
    BenchFamily("queries", 150, query_figures),
    BenchFamily("analytics", 650, analytics_figures),
]
