"""Training's figures for ``manage.py bench`` (``FIGURES``; see that command for the shared machinery):

- ``training_coverage_ms`` (``work``): the median time of the city-wide training coverage table of this year
  (``coverage_table``), in-process.
"""

import time

from django.core.management.base import CommandError

from apps.core.registry import BenchFamily


def work_figures(bench) -> None:
    bench.figure("training_coverage_ms", coverage_ms(bench), "ms")


def coverage_ms(bench, runs: int = 7) -> float:
    """The city-wide training coverage table of this year (every level, every county)."""
    from django.utils import timezone

    from apps.training.selectors import coverage_table

    city = bench.staff_user().jurisdiction
    year = timezone.localdate().year
    table = coverage_table(jurisdiction=city, year=year)
    if not table.totals:
        raise CommandError(f"no training coverage in {city} for {year}: the figure would measure nothing")
    county = table.totals.get("county")
    if county is not None:
        bench.note(f"coverage {year}: county-level deputies {county.trained}/{county.serving} trained "
                  f"({county.rate}%), {county.person_times} person-times")
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        coverage_table(jurisdiction=city, year=year)
        times.append((time.perf_counter() - start) * 1000)
    return round(sorted(times)[runs // 2], 2)


FIGURES = [BenchFamily("work", 510, work_figures)]
