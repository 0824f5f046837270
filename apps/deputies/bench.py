"""The roster's figures for ``manage.py bench`` (``FIGURES``; see that command for the shared machinery):

- ``roster_list_queries`` and ``roster_list_uncached_ms`` (``queries``): GET /deputies/ as the city ``staff``
  user with the page's fragment cache empty, and the median time of such a request, in-process;
- ``roster_list_p95_ms``, ``roster_list_rps``, ``admin_changelist_p95_ms``, ``admin_changelist_rps``
  (``load``): gunicorn under load on /deputies/ and on the admin site's Mandate changelist;
- ``roster_import_9000_s``, ``openpyxl_read_9000_s``, ``roster_import_ok`` (``import``): a 9,000-row workbook
  of new people imported inside a transaction that is rolled back, and the bare openpyxl read of it;
- ``audit_write_overhead_pct`` (``security``): what change auditing adds to a roster edit.

The audited edit is the one the person edit page makes (``deputies.services.person_update``: validation, the
UPDATE, simple-history's row), inside a request context like the page's (the user and client address are read
from it), each run in a transaction rolled back afterwards so that every run edits the same row. Median of
``runs`` edits with the audit handlers connected against the median with them disconnected; the two are
interleaved so that a slower moment of the machine weighs on both alike.
"""

import statistics
import tempfile
import time
from pathlib import Path

from django.core.cache import cache
from django.core.management.base import CommandError
from django.db import transaction
from django.test import Client, RequestFactory

from apps.core.registry import BenchFamily

ROSTER_URL = "/deputies/"
ADMIN_URL = "/admin/deputies/mandate/"
IMPORT_ROWS = 9000


# --- queries ---------------------------------------------------------------------------------------------
def query_figures(bench) -> None:
    bench.figure("roster_list_queries", bench.page_queries(ROSTER_URL, clear_cache=True), "queries")
    bench.figure("roster_list_uncached_ms", roster_uncached_ms(bench), "ms")
    bench.small_figure("roster_list_queries")


def roster_uncached_ms(bench, runs: int = 20) -> float:
    client = Client()
    client.force_login(bench.staff_user())
    client.get(ROSTER_URL)
    times = []
    for _ in range(runs):
        cache.clear()
        start = time.perf_counter()
        client.get(ROSTER_URL)
        times.append((time.perf_counter() - start) * 1000)
    return round(sorted(times)[runs // 2], 2)


# --- load ------------------------------------------------------------------------------------------------
def load_figures(bench) -> None:
    cookies = {"staff": bench.session_cookie(bench.staff_user()), "admin": bench.session_cookie(bench.admin_user())}
    duration, clients = bench.duration, bench.clients
    with bench.gunicorn() as (port, tool):
        bench.note(f"load: gunicorn -w 2 on 127.0.0.1:{port}, {clients} clients x {duration} s, with {tool}")
        results = {}
        for key, url, cookie in (("roster_list", ROSTER_URL, cookies["staff"]),
                                 ("admin_changelist", ADMIN_URL, cookies["admin"])):
            results[key] = bench.page_load(port, url, cookie, clients=clients, duration=duration, tool=tool)
    bench.figure("roster_list_p95_ms", results["roster_list"]["p95_ms"], "ms")
    bench.figure("roster_list_rps", results["roster_list"]["rps"], "req/s")
    bench.figure("admin_changelist_p95_ms", results["admin_changelist"]["p95_ms"], "ms")
    bench.figure("admin_changelist_rps", results["admin_changelist"]["rps"], "req/s")


# --- import ----------------------------------------------------------------------------------------------
def import_figures(bench) -> None:
    import openpyxl

    from apps.deputies import excel

    if not hasattr(excel, "import_roster") or not hasattr(excel, "export_roster"):
        raise CommandError("apps.deputies.excel has no import_roster/export_roster yet")
    user = bench.staff_user()
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        path = Path(folder) / "roster-9000.xlsx"
        build_import_workbook(bench, path, user)

        started = time.perf_counter()
        with transaction.atomic():
            result = excel.import_roster(file=str(path), user=user)
            transaction.set_rollback(True)  # repeatable: the new people are never kept
        import_seconds = time.perf_counter() - started

        started = time.perf_counter()
        workbook = openpyxl.load_workbook(path, data_only=True)
        cells = sum(len(row) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True))
        read_seconds = time.perf_counter() - started

    bench.figure("roster_import_9000_s", import_seconds, "s")
    bench.figure("openpyxl_read_9000_s", read_seconds, "s")
    bench.figure("roster_import_ok", int(result.ok), "bool")
    if not result.ok:
        first = "\n".join(f"  row {e.row}, {e.column}: {e.message}" for e in result.errors[:10])
        raise CommandError(f"the 9,000-row import failed with {len(result.errors)} errors; first:\n{first}")
    if result.people_created < IMPORT_ROWS * 0.9:
        raise CommandError(f"the import created only {result.people_created} people from {IMPORT_ROWS} rows")
    bench.note(f"import: {result.rows} rows, {result.people_created} people and {result.mandates_created} "
               f"mandates created (rolled back); openpyxl read {cells} cells")


def build_import_workbook(bench, path: Path, user) -> None:
    """Export 9,000 existing mandates (unmasked, the import's own format) and give their people new names
    and ID numbers, so every row is a new person in an existing term, delegation and group."""
    import io
    import random

    import openpyxl

    from apps.core.demo import person_name
    from apps.deputies import excel, selectors
    from apps.deputies.models import Person
    from apps.deputies.validators import id_birth_date, id_check_digit

    rows = selectors.export_rows(selectors.visible_mandates(user)).order_by("person_id", "pk")[:IMPORT_ROWS]
    workbook = openpyxl.load_workbook(io.BytesIO(excel.export_roster(rows, unmasked=True)))
    sheet = workbook.active
    headers = {str(c.label): index for index, c in enumerate(excel.COLUMNS, start=1)}
    header_row = next(r for r in range(1, 10) if sheet.cell(r, headers[str(excel.COLUMN_BY_KEY["name"].label)])
                      .value == str(excel.COLUMN_BY_KEY["name"].label))
    col = {key: headers[str(excel.COLUMN_BY_KEY[key].label)] for key in ("name", "id_number", "birth_date",
                                                                      "gender", "phone")}
    male = str(dict(excel.COLUMN_BY_KEY["gender"].choices.choices)["male"])
    rng = random.Random(9000)
    taken = set(Person.objects.values_list("id_number", flat=True))
    new_identity: dict[str, tuple[str, str]] = {}
    count = 0
    for r in range(header_row + 1, sheet.max_row + 1):
        old_id = sheet.cell(r, col["id_number"]).value
        if not old_id:
            continue
        count += 1
        if old_id not in new_identity:
            female = sheet.cell(r, col["gender"]).value != male
            birth = sheet.cell(r, col["birth_date"]).value or id_birth_date(old_id)
            while True:
                seq = rng.randrange(0, 1000, 2) + (0 if female else 1)
                first17 = f"{old_id[:6]}{birth:%Y%m%d}{seq % 1000:03d}"
                number = first17 + id_check_digit(first17)
                if number not in taken:
                    taken.add(number)
                    break
            new_identity[old_id] = (person_name(rng, female), number)
        name, number = new_identity[old_id]
        sheet.cell(r, col["name"]).value = name
        sheet.cell(r, col["id_number"]).value = number
    if count != IMPORT_ROWS:
        raise CommandError(f"the bench database has only {count} mandates; expected {IMPORT_ROWS}+")
    workbook.save(path)
    bench.note(f"workbook: {count} rows, {len(new_identity)} new people")


# --- security: the cost of change auditing ---------------------------------------------------------------
def security_figures(bench) -> None:
    bench.figure("audit_write_overhead_pct", audit_write_overhead_pct(user=bench.staff_user()), "%")


def _edit_ms(person_pk: int, request, edit_no: int) -> float:
    from simple_history.models import HistoricalRecords

    from apps.deputies.models import Person
    from apps.deputies.services import person_update

    HistoricalRecords.context.request = request
    try:
        with transaction.atomic():
            person = Person.objects.get(pk=person_pk)  # as the page loads it (the audit snapshot included)
            start = time.perf_counter()
            person_update(person=person, data={"post": f"bench {edit_no}", "employer": f"bench {edit_no}"})
            elapsed = time.perf_counter() - start
            transaction.set_rollback(True)
    finally:
        del HistoricalRecords.context.request
    return elapsed * 1000


def audit_write_overhead_pct(*, runs: int = 41, person=None, user=None) -> float:
    """The cost of change auditing on a roster edit, in percent of the edit without it (target ≤ 20)."""
    from apps.core import audit
    from apps.deputies.models import Person

    person = person or Person.objects.order_by("pk").first()
    if person is None:
        raise ValueError("audit_write_overhead_pct needs at least one person in the roster")
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.10")
    if user is None:
        from django.contrib.auth.models import AnonymousUser

        user = AnonymousUser()
    request.user = user

    on, off = [], []
    for i in range(3):  # warm the caches and the connection
        _edit_ms(person.pk, request, i)
    try:
        for i in range(runs):
            audit.connect()
            on.append(_edit_ms(person.pk, request, i))
            audit.disconnect()
            off.append(_edit_ms(person.pk, request, i))
    finally:
        audit.connect()
    base = statistics.median(off)
    return round((statistics.median(on) - base) / base * 100, 1)


FIGURES = [
    BenchFamily("queries", 110, query_figures),
    BenchFamily("load", 200, load_figures),
    BenchFamily("import", 300, import_figures),
    BenchFamily("security", 410, security_figures),
]
