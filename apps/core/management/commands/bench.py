"""``manage.py bench``: performance figures on the 长春-scale demo data, one line each: ``BENCH <name> <value> <unit>``.

Run by ``make bench`` against its own database (``DATABASE_NAME=deputies_bench``), so the demo database is
untouched. Each app measures its own figures in its ``bench.py`` (``FIGURES``: families chosen with ``--only``,
see ``apps.core.registry.BenchFamily``); this command finds them, runs them in order, and offers them the shared
machinery: the demo users, query counting, the small-scale database, gunicorn and the load generators. Figures:

- ``roster_list_queries``: SQL queries of GET /deputies/ as the city ``staff`` user, with the page's
  fragment cache empty (the worst case), and ``roster_list_queries_small``, the same on a small-scale
  database (``<name>_small``, seeded once); ``roster_list_uncached_ms``: the median time of one such
  uncached request, in-process (the load figures below mostly see the version-keyed cache warm);
- ``roster_list_p95_ms``, ``roster_list_rps``, ``admin_changelist_p95_ms``: gunicorn with 2 sync workers on a
  free 127.0.0.1 port, production settings (DEBUG off), 20 concurrent clients for ``--duration`` seconds
  against /deputies/ and /admin/deputies/mandate/ (same rows, same page size), with ``wrk`` when installed,
  else a Python load generator;
- ``roster_import_9000_s`` and ``openpyxl_read_9000_s``: a 9,000-row workbook of new people (existing terms,
  delegations and groups) imported inside a transaction that is rolled back, and the bare openpyxl read of the
  same file;
- ``workbench_queries_max`` and ``workbench_cold_ms_max`` (``--only workbench``): the home page of one account of each
  role with the caches empty, the most queries and the slowest median time, in-process (``apps.core.bench``);
- ``security_matrix_urls`` (and ``security_routed_urls``): the routes covered by the role × URL permission
  matrices, of all routes outside the admin site; ``audit_write_overhead_pct``: the extra time of a roster edit
  (``person_update``) with change auditing on, median of interleaved runs, each rolled back;
- ``liaison_compliance_queries``: SQL queries of GET /liaison/compliance/ as the city ``staff`` user, and
  ``liaison_compliance_queries_small``, the same on the small-scale database; ``liaison_compliance_ms``: the
  median time of building the whole compliance page data for the city (``compliance_rows``), in-process;
- ``activity_list_queries``: SQL queries of GET /activities/ as the city ``staff`` user, and
  ``activity_list_queries_small``, the same on the small-scale database;
- ``activity_add_500_participants_ms`` (``--only work``): the median time of adding 500 eligible people to a new
  activity of the city (municipal level, today) through ``participants_add``, each run in a transaction that is
  rolled back; ``activity_resolve_500_names_ms``: the median time of resolving 500 pasted names
  (``resolve_names``) for that activity; ``activity_sign_in_sheet_500_ms``: the median time of building the
  printed sign-in sheet of those 500 (``apps.activities.bench``); ``training_coverage_ms``: the median time of the city-wide training
  coverage table of this year (``coverage_table``), in-process;
- ``proposal_board_queries`` (``--only proposals``, or with ``queries``): SQL queries of GET /proposals/board/ as the
  city ``supervisor`` with the board's cache empty, and ``proposal_board_queries_small`` on the small-scale
  database; ``proposal_board_p95_ms`` and ``proposal_board_rps``: gunicorn as above, 20 clients on the board;
  ``similar_lookup_ms``: the median time of the similar-items lookup for a new submission among the city's
  ~4,500 motions and suggestions (``apps.proposals.bench``);
- ``score_all_s``, ``score_first_s``, ``score_sql_floor_s``, ``score_floor_ratio``, ``me_page_queries``,
  ``score_one_mandate_ms``, ``score_fresh_lag_s`` (``--only scoring``): the scoring engine on every mandate of a
  year (recomputed, and computed for the first time) against a hand-written SQL floor, the queries of /me/, one
  mandate's recomputation, and the lag from a committed change to the stored score through a real worker
  (``apps.scoring.bench``);
  ``report_pdfs_per_s`` and ``report_worker_rss_mb`` (``--only reports``): the annual report batch
  (``apps.reports.bench``).
- ``search_queries`` and ``search_p95_ms`` (``--only search``): the header search's results page, its queries with
  the cache empty and its p95 under load with mixed Chinese and pinyin queries (``apps.core.bench``).
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.core.registry import bench_families

BENCH_ADMIN = "bench_admin"
WRK = "/usr/bin/wrk"
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK p95_us=%d requests=%d duration_us=%d non2xx=%d socket_errors=%d\\n",
    latency:percentile(95), summary.requests, summary.duration, e.status,
    e.connect + e.read + e.write + e.timeout))
end
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _family_names() -> list[str]:
    """The ``--only`` choices: the apps' figure families, in the order they run."""
    return list(dict.fromkeys(family.name for family in bench_families()))


class Command(BaseCommand):
    help = "Print performance figures (BENCH <name> <value> <unit>) on the Changchun-scale data set."

    def add_arguments(self, parser):
        parser.add_argument("--duration", type=int, default=20, help="seconds of load per URL (default 20)")
        parser.add_argument("--clients", type=int, default=20, help="concurrent clients (default 20)")
        parser.add_argument("--only", choices=_family_names(), action="append",
                            help="measure only these figures (repeatable)")
        parser.add_argument("--no-small", action="store_true", help="skip the small-scale query count")
        parser.add_argument("--load-tool", choices=["auto", "wrk", "python"], default="auto",
                            help="auto: wrk when /usr/bin/wrk exists, else the Python load generator")

    def handle(self, *args, duration, clients, only, no_small, load_tool, **options):
        if not os.environ.get("DATABASE_NAME"):
            # The bench seeds 9,000 mandates and adds an account: never in the demo (or a real) database.
            raise CommandError("Run `make bench`, or set DATABASE_NAME to a database of its own "
                               "(e.g. DATABASE_NAME=deputies_bench).")
        # What the apps' figures read: the families chosen, the load's length and clients, the small scale.
        self.only = set(only or _family_names())
        self.duration, self.clients, self.no_small = duration, clients, no_small
        self.load_tool = load_tool
        self._small = None
        self.ensure_data()
        for family in bench_families():
            if family.name in self.only:
                family.measure(self)

    # --- output -------------------------------------------------------------------------------------
    def figure(self, name: str, value, unit: str) -> None:
        text = f"{value:.2f}" if isinstance(value, float) else str(value)
        self.stdout.write(f"BENCH {name} {text} {unit}")
        self.stdout.flush()

    def note(self, message: str) -> None:
        self.stderr.write(f"bench: {message}")

    # --- data ---------------------------------------------------------------------------------------
    def ensure_data(self) -> None:
        from apps.core import demo
        from apps.core.management.commands.seed_demo import demo_modules

        if not demo.has_data():
            self.note(f"seeding the changchun-scale data set into {connection.settings_dict['NAME']}")
            call_command("seed_demo", scale="changchun", if_empty=True, verbosity=0)
        elif not all(m.has_data() for m in demo_modules() if hasattr(m, "has_data")):
            # Seeded before a later app's demo existed: seed again, at the scale it was, so every figure has data.
            scale = "changchun" if demo.seeded_large() else "small"
            self.note(f"reseeding {connection.settings_dict['NAME']} ({scale}) to add the later apps' demo data")
            call_command("seed_demo", scale=scale, reset=True, verbosity=0)

    def staff_user(self):
        return self.fresh_password(get_user_model().objects.get(username="staff"))

    @staticmethod
    def fresh_password(user):
        """A bench database is kept between runs: its accounts' passwords must not have aged past the limit
        (the pages would redirect to the password change instead of being measured)."""
        from django.utils import timezone

        type(user).objects.filter(pk=user.pk).update(password_changed_at=timezone.now(), must_change_password=False)
        user.password_changed_at, user.must_change_password = timezone.now(), False
        return user

    def admin_user(self):
        """A bench-only account that may open the Mandate changelist: a superuser, since the admin site is
        for superusers only (``apps.accounts.admin``)."""
        User = get_user_model()
        user, _created = User.objects.get_or_create(username=BENCH_ADMIN, defaults={
            "full_name": "bench", "is_staff": True, "is_superuser": True})
        if not user.is_superuser:
            User.objects.filter(pk=user.pk).update(is_superuser=True, is_staff=True)
            user.is_superuser = user.is_staff = True
        return self.fresh_password(user)

    # --- query counts -------------------------------------------------------------------------------
    def page_queries(self, url: str, user=None, *, clear_cache: bool = False) -> int:
        """SQL queries of GET ``url`` as ``user`` (the city ``staff`` user by default), after a warm-up request;
        with ``clear_cache``, of a request that finds no cached fragment (the worst case)."""
        client = Client()
        client.force_login(user or self.staff_user())
        client.get(url)  # warm: content types, translations, templates
        if clear_cache:
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        if response.status_code != 200:
            raise CommandError(f"GET {url} answered {response.status_code}")
        return len(captured.captured_queries)

    def small_figure(self, name: str) -> None:
        """``<name>_small``: the figure ``name`` (a query count) measured on the small-scale database, unless
        ``--no-small``."""
        if self.no_small:
            return
        counts = self.small_scale_queries()
        if name not in counts:
            raise CommandError(f"no {name} from the small-scale database (its figures: {', '.join(counts)})")
        self.figure(f"{name}_small", counts[name], "queries")

    def small_scale_queries(self) -> dict[str, int]:
        """The query counts on a small-scale database of its own (created, migrated and seeded once); measured
        once per run."""
        if self._small is None:
            self._small = self._small_scale_queries()
        return self._small

    def _small_scale_queries(self) -> dict[str, int]:
        from deputies_platform.embedded_db import ensure_database

        db = connection.settings_dict
        name = f"{db['NAME']}_small"
        auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
        ensure_database(f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{name}")
        env = self.child_env(DATABASE_NAME=name)
        manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
        for step in (["migrate", "--noinput", "-v", "0"],
                     ["seed_demo", "--scale", "small", "--if-empty", "-v", "0"],
                     ["bench", "--only", "queries", "--no-small"]):
            done = subprocess.run(manage + step, env=env, capture_output=True, text=True, timeout=600)
            if done.returncode:
                raise CommandError(f"{' '.join(step)} on {name} failed:\n{done.stderr[-2000:]}")
        counts = {figure: int(value)
                  for figure, value in re.findall(r"^BENCH (\w+) (\d+) queries$", done.stdout, re.M)}
        if not counts:
            raise CommandError(f"no query counts from {name}:\n{done.stdout}\n{done.stderr[-2000:]}")
        return counts

    def child_env(self, **extra) -> dict:
        env = {k: v for k, v in os.environ.items() if k not in ("TESTING", "DEBUG")}
        env.update({"DATABASE_NAME": connection.settings_dict["NAME"], "DEBUG": "0", **extra})
        return env

    # --- load ---------------------------------------------------------------------------------------
    def session_cookie(self, user) -> str:
        """The ``Cookie`` header of a session signed in as ``user``, for the load generators."""
        client = Client()
        client.force_login(user)
        name = settings.SESSION_COOKIE_NAME
        return f"{name}={client.cookies[name].value}"

    def page_load(self, port: int, url: str, cookie: str, *, clients: int, duration: int, tool: str) -> dict:
        """Check the page answers, warm up, then ``clients`` concurrent clients for ``duration`` seconds."""
        self.check_page(port, url, cookie)
        self.load(port, url, cookie, clients=clients, seconds=min(5, duration), tool=tool)  # warm-up
        return self.load(port, url, cookie, clients=clients, seconds=duration, tool=tool)

    @contextlib.contextmanager
    def gunicorn(self):
        """gunicorn with 2 sync workers on a free port, production settings; yields (port, load tool)."""
        port = _free_port()
        log = tempfile.NamedTemporaryFile("w+", prefix="bench-gunicorn-", suffix=".log", delete=False)
        gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
        server = subprocess.Popen(
            [gunicorn, "deputies_platform.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2", "-k", "sync",
             "--log-level", "warning", "--timeout", "60"],
            cwd=settings.BASE_DIR, env=self.child_env(), stdout=log, stderr=subprocess.STDOUT,
        )
        try:
            self.wait_until_up(port, server, log.name)
            yield port, self.load_tool if self.load_tool != "auto" else ("wrk" if os.path.exists(WRK) else "python")
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            log.close()
            os.unlink(log.name)

    def wait_until_up(self, port: int, server: subprocess.Popen, log_path: str) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise CommandError(f"gunicorn exited:\n{Path(log_path).read_text()[-3000:]}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise CommandError(f"gunicorn did not answer /healthz within 60 s:\n{Path(log_path).read_text()[-3000:]}")

    def check_page(self, port: int, url: str, cookie: str) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", url, headers={"Cookie": cookie})
        response = conn.getresponse()
        body = response.read()
        if response.status != 200 or b"<table" not in body:
            raise CommandError(f"GET {url} answered {response.status}, not the list page")

    def load(self, port: int, url: str, cookie: str, *, clients: int, seconds: int, tool: str) -> dict:
        if tool == "wrk":
            return self.load_wrk(port, url, cookie, clients=clients, seconds=seconds)
        return self.load_python(port, url, cookie, clients=clients, seconds=seconds)

    def load_wrk(self, port: int, url: str, cookie: str, *, clients: int, seconds: int) -> dict:
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_SCRIPT)
        try:
            done = subprocess.run(
                [WRK, "-t", str(min(2, clients)), "-c", str(clients), "-d", f"{seconds}s", "--timeout", "10s",
                 "-s", script.name, "-H", f"Cookie: {cookie}", f"http://127.0.0.1:{port}{url}"],
                capture_output=True, text=True, timeout=seconds + 60,
            )
        finally:
            os.unlink(script.name)
        match = re.search(r"WRK p95_us=(\d+) requests=(\d+) duration_us=(\d+) non2xx=(\d+) socket_errors=(\d+)",
                          done.stdout)
        if not match:
            raise CommandError(f"wrk failed:\n{done.stdout}\n{done.stderr}")
        p95_us, requests, duration_us, non2xx, _socket_errors = map(int, match.groups())
        if non2xx or not requests:
            raise CommandError(f"{url}: {non2xx} of {requests} responses were not 2xx")
        return {"p95_ms": p95_us / 1000, "rps": requests / (duration_us / 1e6)}

    def load_python(self, port: int, url: str, cookie: str, *, clients: int, seconds: int) -> dict:
        """``clients`` threads, each a keep-alive connection (reopened when the server closes it)."""
        latencies: list[float] = []
        failures: list[str] = []
        lock = threading.Lock()
        stop_at = time.monotonic() + seconds
        max_requests = 100_000  # per client: bounds the loop whatever the timing

        def client():
            conn = None
            mine = []
            for _ in range(max_requests):
                if time.monotonic() >= stop_at:
                    break
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                started = time.perf_counter()
                try:
                    conn.request("GET", url, headers={"Cookie": cookie})
                    response = conn.getresponse()
                    response.read()
                except (OSError, http.client.HTTPException) as exc:
                    conn.close()
                    conn = None
                    with lock:
                        failures.append(repr(exc))
                    continue
                mine.append(time.perf_counter() - started)
                if response.status != 200:
                    with lock:
                        failures.append(f"HTTP {response.status}")
                if response.will_close:
                    conn.close()
                    conn = None
            with lock:
                latencies.extend(mine)

        started = time.monotonic()
        threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=seconds + 60)
        elapsed = time.monotonic() - started
        if failures or not latencies:
            raise CommandError(f"{url}: {len(failures)} failed requests, e.g. {failures[:3]}")
        latencies.sort()
        p95 = latencies[min(len(latencies) - 1, int(round(0.95 * len(latencies))) - 1)]
        return {"p95_ms": p95 * 1000, "rps": len(latencies) / elapsed}
