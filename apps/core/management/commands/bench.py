"""``manage.py bench``: performance figures on the 长春-scale demo data, one line each: ``BENCH <name> <value> <unit>``.

Run by ``make bench`` against its own database (``DATABASE_NAME=deputies_bench``), so the demo database is
untouched. Figures:

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
  (``resolve_names``) for that activity; ``training_coverage_ms``: the median time of the city-wide training
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
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

ROSTER_URL = "/deputies/"
COMPLIANCE_URL = "/liaison/compliance/"
ACTIVITY_URL = "/activities/"
PARTICIPANTS = 500
ADMIN_URL = "/admin/deputies/mandate/"
BENCH_ADMIN = "bench_admin"
IMPORT_ROWS = 9000
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


class Command(BaseCommand):
    help = "Print performance figures (BENCH <name> <value> <unit>) on the Changchun-scale data set."

    def add_arguments(self, parser):
        parser.add_argument("--duration", type=int, default=20, help="seconds of load per URL (default 20)")
        parser.add_argument("--clients", type=int, default=20, help="concurrent clients (default 20)")
        parser.add_argument("--only", choices=["queries", "load", "import", "work", "security", "proposals", "scoring",
                                               "reports"],
                            action="append",
                            help="measure only these figures (repeatable)")
        parser.add_argument("--no-small", action="store_true", help="skip the small-scale query count")
        parser.add_argument("--load-tool", choices=["auto", "wrk", "python"], default="auto",
                            help="auto: wrk when /usr/bin/wrk exists, else the Python load generator")

    def handle(self, *args, duration, clients, only, no_small, load_tool, **options):
        if not os.environ.get("DATABASE_NAME"):
            # The bench seeds 9,000 mandates and adds an account: never in the demo (or a real) database.
            raise CommandError("Run `make bench`, or set DATABASE_NAME to a database of its own "
                               "(e.g. DATABASE_NAME=deputies_bench).")
        only = set(only or ["queries", "load", "import", "work", "security", "proposals", "scoring", "reports"])
        self.load_tool = load_tool
        self._small = None
        self.ensure_data()
        if "queries" in only:
            self.figure("roster_list_queries", self.roster_queries(), "queries")
            self.figure("roster_list_uncached_ms", self.roster_uncached_ms(), "ms")
            self.figure("liaison_compliance_queries", self.compliance_queries(), "queries")
            self.figure("liaison_compliance_ms", self.compliance_ms(), "ms")
            self.figure("activity_list_queries", self.page_queries(ACTIVITY_URL), "queries")
            if not no_small:
                small = self.small_scale_queries()
                self.figure("roster_list_queries_small", small["roster_list_queries"], "queries")
                self.figure("liaison_compliance_queries_small", small["liaison_compliance_queries"], "queries")
                self.figure("activity_list_queries_small", small["activity_list_queries"], "queries")
            self.proposal_query_figures(no_small=no_small)
        if "load" in only:
            self.load_figures(duration=duration, clients=clients)
        if "import" in only:
            self.import_figures()
        if "security" in only:
            self.security_figures()
        if "work" in only:
            self.figure("activity_add_500_participants_ms", self.participants_add_ms(), "ms")
            self.figure("activity_resolve_500_names_ms", self.resolve_names_ms(), "ms")
            self.figure("training_coverage_ms", self.coverage_ms(), "ms")
        if "proposals" in only:
            self.proposal_figures(duration=duration, clients=clients, no_small=no_small,
                                  with_queries="queries" not in only)

        if "scoring" in only:
            self.scoring_figures()
        if "reports" in only:
            self.report_figures()

    # --- scoring and the performance record (apps.scoring.bench) -------------------------------------
    def scoring_figures(self) -> None:
        from apps.accounts.models import User
        from apps.scoring import bench as scoring_bench

        year = scoring_bench.busiest_year()
        if year is None:
            self.note("no published rule set: no scoring figures")
            return
        seconds, mandates = scoring_bench.score_all_s(year)
        self.note(f"scored {mandates} mandates of {year}")
        self.figure("score_all_s", seconds, "s")
        first, _count = scoring_bench.score_first_s(year)
        self.figure("score_first_s", first, "s")
        floor, differ = scoring_bench.score_sql_floor_s(year)
        self.figure("score_sql_floor_s", floor, "s")
        self.figure("score_floor_ratio", seconds / floor if floor else float("nan"), "x")
        self.note(f"totals differing between the engine and the hand-written statement: {differ}")
        deputy = User.objects.filter(username="deputy").first()
        if deputy is not None:
            self.figure("me_page_queries", scoring_bench.me_page_queries(deputy, year), "queries")
        median, p95 = scoring_bench.score_one_mandate_ms(year)
        self.figure("score_one_mandate_ms", median, "ms")
        self.note(f"one mandate's recomputation: 95th percentile {p95:.1f} ms")
        try:
            lag, worst = scoring_bench.score_fresh_lag_s(year)
        except TimeoutError as exc:
            self.note(f"no score_fresh_lag_s: {exc}")
        else:
            self.figure("score_fresh_lag_s", lag, "s")
            self.note(f"a change's refresh through a real worker: at most {worst:.1f} s")

    # --- annual report batches (apps.reports.bench) --------------------------------------------------
    def report_figures(self) -> None:
        try:
            from apps.reports import bench as reports_bench
        except ImportError:  # pragma: no cover - before the reports app has its bench
            self.note("no report bench")
            return
        result = reports_bench.measure()
        self.figure("report_pdfs_per_s", result.pdfs_per_s, "files/s")
        self.figure("report_worker_rss_mb", result.peak_rss_mb, "MB")
        if result.cpu_bound_pdfs_per_s is not None:  # tells a busy machine from slow code
            self.note(f"report PDFs per second on two free cores (from CPU time): {result.cpu_bound_pdfs_per_s:.1f}")

    # --- motions and suggestions (apps.proposals.bench) ---------------------------------------------
    def supervisor_user(self):
        from apps.proposals import bench as proposals_bench

        return self.fresh_password(proposals_bench.supervisor_user())

    def proposal_query_figures(self, *, no_small: bool) -> None:
        from apps.proposals import bench as proposals_bench

        self.figure("proposal_board_queries", proposals_bench.board_queries(self.supervisor_user()), "queries")
        if not no_small:
            self.figure("proposal_board_queries_small", self.small_scale_queries()["proposal_board_queries"],
                        "queries")

    def proposal_figures(self, *, duration: int, clients: int, no_small: bool, with_queries: bool) -> None:
        from apps.proposals import bench as proposals_bench

        user = self.supervisor_user()
        if with_queries:
            self.proposal_query_figures(no_small=no_small)
        self.note(f"proposal board uncached: {proposals_bench.board_uncached_ms(user)} ms (median, in-process)")
        self.figure("similar_lookup_ms", proposals_bench.similar_lookup_ms(user.jurisdiction), "ms")
        client = Client()
        client.force_login(user)
        cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        with self.gunicorn() as (port, tool):
            result = self.page_load(port, proposals_bench.board_url(), cookie, clients=clients, duration=duration,
                                    tool=tool)
        self.figure("proposal_board_p95_ms", result["p95_ms"], "ms")
        self.figure("proposal_board_rps", result["rps"], "req/s")

    def security_figures(self) -> None:
        """``security_matrix_urls``: the routes covered by the role × URL permission matrices (of all routes
        outside the admin site); ``audit_write_overhead_pct``: the cost of change auditing on a roster edit."""
        sys.path.insert(0, str(settings.BASE_DIR))
        from tests.security.url_matrix import covered, routed

        routes = set(routed())
        self.figure("security_matrix_urls", len(routes & covered()), "urls")
        self.figure("security_routed_urls", len(routes), "urls")
        try:
            from apps.core.bench_security import audit_write_overhead_pct
        except ImportError:  # pragma: no cover - before change auditing exists
            self.note("audit_write_overhead_pct: no change auditing to measure")
        else:
            self.figure("audit_write_overhead_pct", audit_write_overhead_pct(user=self.staff_user()), "%")

    def figure(self, name: str, value, unit: str) -> None:
        text = f"{value:.2f}" if isinstance(value, float) else str(value)
        self.stdout.write(f"BENCH {name} {text} {unit}")
        self.stdout.flush()

    def note(self, message: str) -> None:
        self.stderr.write(f"bench: {message}")

    # --- data ---------------------------------------------------------------------------------------
    def ensure_data(self) -> None:
        from apps.activities.models import Activity
        from apps.deputies.models import Mandate
        from apps.committee.models import CommitteeMember
        from apps.proposals.models import Proposal
        from apps.stations.models import Station
        from apps.training.models import TrainingProgram

        if not Mandate.objects.exists():
            self.note(f"seeding the changchun-scale data set into {connection.settings_dict['NAME']}")
            call_command("seed_demo", scale="changchun", if_empty=True, verbosity=0)
        elif not all(m.objects.exists() for m in (CommitteeMember, Activity, TrainingProgram, Station, Proposal)):
            # Seeded before a later app's demo existed: seed again, at the scale it was, so every figure has data.
            scale = "changchun" if Mandate.objects.count() > 2000 else "small"
            self.note(f"reseeding {connection.settings_dict['NAME']} ({scale}) to add the later apps' demo data")
            call_command("seed_demo", scale=scale, reset=True, verbosity=0)

    def staff_user(self):
        from apps.accounts.models import User

        return self.fresh_password(User.objects.get(username="staff"))

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
        from apps.accounts.models import User

        user, _created = User.objects.get_or_create(username=BENCH_ADMIN, defaults={
            "full_name": "bench", "is_staff": True, "is_superuser": True})
        if not user.is_superuser:
            User.objects.filter(pk=user.pk).update(is_superuser=True, is_staff=True)
            user.is_superuser = user.is_staff = True
        return self.fresh_password(user)

    # --- query counts -------------------------------------------------------------------------------
    def roster_queries(self) -> int:
        client = Client()
        client.force_login(self.staff_user())
        client.get(ROSTER_URL)  # warm: content types, translations, templates
        cache.clear()  # count the queries of a request that finds no cached fragment
        with CaptureQueriesContext(connection) as captured:
            response = client.get(ROSTER_URL)
        if response.status_code != 200:
            raise CommandError(f"GET {ROSTER_URL} answered {response.status_code}")
        return len(captured.captured_queries)

    def roster_uncached_ms(self, runs: int = 20) -> float:
        client = Client()
        client.force_login(self.staff_user())
        client.get(ROSTER_URL)
        times = []
        for _ in range(runs):
            cache.clear()
            start = time.perf_counter()
            client.get(ROSTER_URL)
            times.append((time.perf_counter() - start) * 1000)
        return round(sorted(times)[runs // 2], 2)

    def compliance_queries(self) -> int:
        client = Client()
        client.force_login(self.staff_user())
        client.get(COMPLIANCE_URL)  # warm: content types, translations, templates
        with CaptureQueriesContext(connection) as captured:
            response = client.get(COMPLIANCE_URL)
        if response.status_code != 200:
            raise CommandError(f"GET {COMPLIANCE_URL} answered {response.status_code}")
        return len(captured.captured_queries)

    def page_queries(self, url: str) -> int:
        """SQL queries of GET ``url`` as the city ``staff`` user, after a warm-up request."""
        client = Client()
        client.force_login(self.staff_user())
        client.get(url)  # warm: content types, translations, templates
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        if response.status_code != 200:
            raise CommandError(f"GET {url} answered {response.status_code}")
        return len(captured.captured_queries)

    def compliance_ms(self, runs: int = 7) -> float:
        """The whole compliance page data for the city this year (every member, assignment and count)."""
        from django.utils import timezone

        from apps.liaison.selectors.plans import compliance_rows

        city = self.staff_user().jurisdiction
        today = timezone.localdate()
        if not compliance_rows(jurisdiction=city, year=today.year, on_date=today):
            raise CommandError(f"no committee members in {city}: the compliance figures would measure nothing")
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            list(compliance_rows(jurisdiction=city, year=today.year, on_date=today))
            times.append((time.perf_counter() - start) * 1000)
        return round(sorted(times)[runs // 2], 2)

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
        counts = {}
        for figure in ("roster_list_queries", "liaison_compliance_queries", "activity_list_queries",
                       "proposal_board_queries"):
            match = re.search(rf"^BENCH {figure} (\d+) ", done.stdout, re.M)
            if not match:
                raise CommandError(f"no {figure} from {name}:\n{done.stdout}\n{done.stderr[-2000:]}")
            counts[figure] = int(match.group(1))
        return counts

    def child_env(self, **extra) -> dict:
        env = {k: v for k, v in os.environ.items() if k not in ("TESTING", "DEBUG")}
        env.update({"DATABASE_NAME": connection.settings_dict["NAME"], "DEBUG": "0", **extra})
        return env

    # --- activities and training -------------------------------------------------------------------
    def activity_candidates(self, on) -> dict[int, int]:
        """500 people eligible for a municipal activity of the city on ``on``: the municipal deputies, then
        county deputies to make up the number, ``{person_id: mandate_id}``."""
        from apps.activities.participants import body_mandates
        from apps.deputies.models import Level

        city = self.staff_user().jurisdiction
        people: dict[int, int] = {}
        for level in (Level.MUNICIPAL, Level.COUNTY, Level.TOWNSHIP):
            found = body_mandates(jurisdiction=city, level=Level.MUNICIPAL, on=on, mandate_level=level)
            for person_id in sorted(found):
                if len(people) < PARTICIPANTS and person_id not in people:
                    people[person_id] = found[person_id]
        if len(people) < PARTICIPANTS:
            raise CommandError(f"only {len(people)} people serve in {city}: the bench needs {PARTICIPANTS}")
        return people

    def new_activity(self, on):
        from apps.activities.models import Activity, ActivityType
        from apps.deputies.models import Level

        user = self.staff_user()
        return Activity.objects.create(type=ActivityType.objects.get(code="inspection"), title="bench",
                                       jurisdiction=user.jurisdiction, level=Level.MUNICIPAL, start_date=on,
                                       created_by=user)

    def participants_add_ms(self, runs: int = 5) -> float:
        """``participants_add`` of 500 people to a new city activity, each run rolled back."""
        from django.utils import timezone

        from apps.activities.services.activities import participants_add

        today = timezone.localdate()
        user = self.staff_user()
        people = self.activity_candidates(today)
        times = []
        for _ in range(runs):
            with transaction.atomic():
                activity = self.new_activity(today)
                start = time.perf_counter()
                added = participants_add(activity=activity, people=people, attendance="present", user=user)
                times.append((time.perf_counter() - start) * 1000)
                transaction.set_rollback(True)
            if added != PARTICIPANTS:
                raise CommandError(f"participants_add added {added} of {PARTICIPANTS} people")
        return round(sorted(times)[runs // 2], 2)

    def resolve_names_ms(self, runs: int = 7) -> float:
        """``resolve_names`` of 500 pasted names (the eligible people's names, ambiguous ones included)."""
        from django.utils import timezone

        from apps.activities.participants import resolve_names, split_names
        from apps.deputies.models import Level, Person

        today = timezone.localdate()
        city = self.staff_user().jurisdiction
        people = self.activity_candidates(today)
        names = dict(Person.objects.filter(pk__in=list(people)).values_list("pk", "name"))
        text = "\n".join(names[pk] for pk in people)  # as pasted from a sign-in sheet, one name a line
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            result = resolve_names(split_names(text), jurisdiction=city, level=Level.MUNICIPAL, on=today)
            times.append((time.perf_counter() - start) * 1000)
        resolved = len(result.people) + len(result.ambiguous)
        self.note(f"resolve: {len(set(names.values()))} distinct names, {len(result.people)} resolved, "
                  f"{len(result.ambiguous)} ambiguous, {len(result.unknown)} unknown")
        if result.unknown or not resolved:
            raise CommandError(f"resolve_names left {len(result.unknown)} names unknown, e.g. {result.unknown[:3]}")
        return round(sorted(times)[runs // 2], 2)

    def coverage_ms(self, runs: int = 7) -> float:
        """The city-wide training coverage table of this year (every level, every county)."""
        from django.utils import timezone

        from apps.training.selectors import coverage_table

        city = self.staff_user().jurisdiction
        year = timezone.localdate().year
        table = coverage_table(jurisdiction=city, year=year)
        if not table.totals:
            raise CommandError(f"no training coverage in {city} for {year}: the figure would measure nothing")
        county = table.totals.get("county")
        if county is not None:
            self.note(f"coverage {year}: county-level deputies {county.trained}/{county.serving} trained "
                      f"({county.rate}%), {county.person_times} person-times")
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            coverage_table(jurisdiction=city, year=year)
            times.append((time.perf_counter() - start) * 1000)
        return round(sorted(times)[runs // 2], 2)

    # --- load ---------------------------------------------------------------------------------------
    def load_figures(self, *, duration: int, clients: int) -> None:
        cookie_name = settings.SESSION_COOKIE_NAME
        cookies = {}
        for key, user in (("staff", self.staff_user()), ("admin", self.admin_user())):
            client = Client()
            client.force_login(user)
            cookies[key] = f"{cookie_name}={client.cookies[cookie_name].value}"
        with self.gunicorn() as (port, tool):
            self.note(f"load: gunicorn -w 2 on 127.0.0.1:{port}, {clients} clients x {duration} s, with {tool}")
            results = {}
            for key, url, cookie in (("roster_list", ROSTER_URL, cookies["staff"]),
                                     ("admin_changelist", ADMIN_URL, cookies["admin"])):
                results[key] = self.page_load(port, url, cookie, clients=clients, duration=duration, tool=tool)
        self.figure("roster_list_p95_ms", results["roster_list"]["p95_ms"], "ms")
        self.figure("roster_list_rps", results["roster_list"]["rps"], "req/s")
        self.figure("admin_changelist_p95_ms", results["admin_changelist"]["p95_ms"], "ms")
        self.figure("admin_changelist_rps", results["admin_changelist"]["rps"], "req/s")

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

    # --- import -------------------------------------------------------------------------------------
    def import_figures(self) -> None:
        import openpyxl

        from apps.deputies import excel

        if not hasattr(excel, "import_roster") or not hasattr(excel, "export_roster"):
            raise CommandError("apps.deputies.excel has no import_roster/export_roster yet")
        user = self.staff_user()
        with tempfile.TemporaryDirectory(prefix="bench-") as folder:
            path = Path(folder) / "roster-9000.xlsx"
            self.build_import_workbook(path, user)

            started = time.perf_counter()
            with transaction.atomic():
                result = excel.import_roster(file=str(path), user=user)
                transaction.set_rollback(True)  # repeatable: the new people are never kept
            import_seconds = time.perf_counter() - started

            started = time.perf_counter()
            workbook = openpyxl.load_workbook(path, data_only=True)
            cells = sum(len(row) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True))
            read_seconds = time.perf_counter() - started

        self.figure("roster_import_9000_s", import_seconds, "s")
        self.figure("openpyxl_read_9000_s", read_seconds, "s")
        self.figure("roster_import_ok", int(result.ok), "bool")
        if not result.ok:
            first = "\n".join(f"  row {e.row}, {e.column}: {e.message}" for e in result.errors[:10])
            raise CommandError(f"the 9,000-row import failed with {len(result.errors)} errors; first:\n{first}")
        if result.people_created < IMPORT_ROWS * 0.9:
            raise CommandError(f"the import created only {result.people_created} people from {IMPORT_ROWS} rows")
        self.note(f"import: {result.rows} rows, {result.people_created} people and {result.mandates_created} "
                  f"mandates created (rolled back); openpyxl read {cells} cells")

    def build_import_workbook(self, path: Path, user) -> None:
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
        self.note(f"workbook: {count} rows, {len(new_identity)} new people")
