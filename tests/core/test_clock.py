"""Guards against dates taken without Beijing's time zone (the server's day is not the office's)."""

import datetime
import re
import subprocess
from pathlib import Path

from django.utils import timezone

ROOT = Path(__file__).resolve().parents[2]
# date.today() and naive now() read the process's zone; timezone.now().date() is UTC's day. Use
# timezone.localdate() / timezone.localtime() (or an aware datetime, e.g. datetime.now(datetime.UTC)).
NAIVE_CLOCK = re.compile(r"\bdate\.today\(\)|\bdatetime\.now\(\)|\butcnow\(\)|\bnow\(\)\.date\(\)"
                         r"|\bnow\(\)\.year\b|\bdate\.fromtimestamp\(")


def _python_files():
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "*.py"], cwd=ROOT, capture_output=True,
                            text=True, check=True).stdout.split()
    return [ROOT / name for name in listed if name.startswith(("apps/", "deputies_platform/", "tests/"))
            and "/migrations/" not in name and not name.endswith("tests/core/test_clock.py")]


def test_no_code_or_test_reads_the_day_without_beijings_time_zone():
    found = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}" for path in _python_files()
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if NAIVE_CLOCK.search(line)]
    assert found == [], "dates taken without the time zone:\n" + "\n".join(found)


def test_the_scan_finds_each_naive_form():
    for line in ["d = date.today()", "x = datetime.datetime.now()", "datetime.utcnow()", "timezone.now().date()",
                 "year = timezone.now().year", "date.fromtimestamp(t)"]:
        assert NAIVE_CLOCK.search(line), line
    for line in ["timezone.localdate()", "datetime.datetime.now(datetime.UTC)", "timezone.localtime().date()"]:
        assert not NAIVE_CLOCK.search(line), line


def test_beijings_day_is_the_localdate_when_utcs_is_still_yesterday():
    import time_machine

    beijing = datetime.timezone(datetime.timedelta(hours=8))
    with time_machine.travel(datetime.datetime(2026, 12, 4, 7, 30, tzinfo=beijing), tick=False):
        assert timezone.now().date() == datetime.date(2026, 12, 3)
        assert timezone.localdate() == datetime.date(2026, 12, 4)
