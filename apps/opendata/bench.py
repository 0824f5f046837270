"""The public portal's figures for ``manage.py bench`` (``FIGURES``, ``--only opendata``; see that command for the
shared machinery):

- ``open_data_year_s``: the time to stream the last complete year's published replies as CSV
  (GET /open/data/<year>.csv, in-process, every chunk read), the rows and bytes noted; target ≤ 2 s;
- ``open_page_p95_ms``: gunicorn with 2 workers, ``--clients`` anonymous clients (no cookie) on /open/ and then on
  a search of it (the larger p95 of the two); target ≤ 150 ms.
"""

from __future__ import annotations

import time
from urllib.parse import quote

from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.core.registry import BenchFamily

SEARCH = "供热"


def last_complete_year() -> int:
    from apps.opendata.selectors import open_years

    years = [year for year in open_years() if year < timezone.localdate().year]
    if not years:
        raise CommandError("no published reply of a past year: the open data figure would measure nothing")
    return years[0]


def year_csv_seconds(bench) -> None:
    year = last_complete_year()
    url = reverse("opendata:year_csv", args=[year])
    client = Client()
    start = time.perf_counter()
    response = client.get(url)
    size = rows = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        rows += chunk.count(b"\n")
    seconds = time.perf_counter() - start
    if response.status_code != 200:
        raise CommandError(f"GET {url} answered {response.status_code}")
    bench.note(f"opendata: {year}'s CSV, {rows - 1} replies, {size:,} bytes in {seconds:.2f} s")
    bench.figure("open_data_year_s", round(seconds, 2), "s")


def page_p95(bench) -> None:
    urls = [reverse("opendata:index"), f"{reverse('opendata:index')}?q={quote(SEARCH)}"]
    with bench.gunicorn() as (port, tool):
        bench.note(f"opendata: gunicorn -w 2 on 127.0.0.1:{port}, {bench.clients} anonymous clients, with {tool}")
        p95s = {url: bench.page_load(port, url, "", clients=bench.clients, duration=bench.duration,
                                     tool=tool)["p95_ms"] for url in urls}
    bench.note("opendata p95: " + ", ".join(f"{url} {ms:.1f} ms" for url, ms in p95s.items()))
    bench.figure("open_page_p95_ms", max(p95s.values()), "ms")


def opendata_figures(bench) -> None:
    year_csv_seconds(bench)
    page_p95(bench)


FIGURES = [BenchFamily("opendata", 620, opendata_figures)]
