"""Liaison's figures for ``manage.py bench`` (``FIGURES``; see that command for the shared machinery):

- ``liaison_compliance_queries`` (``queries``): SQL queries of GET /liaison/compliance/ as the city ``staff``
  user, and ``liaison_compliance_queries_small``, the same on the small-scale database;
- ``liaison_compliance_ms``: the median time of building the whole compliance page data for the city
  (``compliance_rows``), in-process.
"""

import time

from django.core.management.base import CommandError

from apps.core.registry import BenchFamily

COMPLIANCE_URL = "/liaison/compliance/"


def query_figures(bench) -> None:
    bench.figure("liaison_compliance_queries", bench.page_queries(COMPLIANCE_URL), "queries")
    bench.figure("liaison_compliance_ms", compliance_ms(bench), "ms")
    bench.small_figure("liaison_compliance_queries")


def compliance_ms(bench, runs: int = 7) -> float:
    """The whole compliance page data for the city this year (every member, assignment and count)."""
    from django.utils import timezone

    from apps.liaison.selectors.plans import compliance_rows

    city = bench.staff_user().jurisdiction
    today = timezone.localdate()
    if not compliance_rows(jurisdiction=city, year=today.year, on_date=today):
        raise CommandError(f"no committee members in {city}: the compliance figures would measure nothing")
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        list(compliance_rows(jurisdiction=city, year=today.year, on_date=today))
        times.append((time.perf_counter() - start) * 1000)
    return round(sorted(times)[runs // 2], 2)


FIGURES = [BenchFamily("queries", 120, query_figures)]
