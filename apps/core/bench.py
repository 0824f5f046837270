"""Core's figures for ``manage.py bench`` (``FIGURES``; see that command for the shared machinery):

- ``security_matrix_urls`` and ``security_routed_urls`` (``security``): the routes covered by the role × URL
  permission matrices of the test suite (``tests/security/url_matrix.py``), of all routes outside the admin site;
- ``search_queries`` (``search``): SQL queries of GET /search/?q=张 as the city ``staff`` user (one a kind, plus
  the session and the user); ``search_p95_ms``: gunicorn with 2 workers, 20 clients, on the header search's
  results page with mixed Chinese and pinyin queries (names, pinyin initials, a number, words of titles and
  units), each query loaded in turn for an equal share of ``--duration``; the figure is the worst query's p95;
- ``workbench_queries_max`` and ``workbench_cold_ms_max`` (``workbench``): the home page (工作台) of one account
  of each role (the demo account named after the role when there is one): the most SQL queries any role's home
  needs with the caches empty, and the slowest role's median time of such a request, in-process through the test
  client (targets: ≤ 10 queries, ≤ 150 ms).
"""

import sys
import time

from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.db.models import Case, IntegerField, Value, When
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.core import roles
from apps.core.registry import BenchFamily

HOME_URL = "/"


def security_figures(bench) -> None:
    sys.path.insert(0, str(settings.BASE_DIR))
    from tests.security.url_matrix import covered, routed

    routes = set(routed())
    bench.figure("security_matrix_urls", len(routes & covered()), "urls")
    bench.figure("security_routed_urls", len(routes), "urls")


def role_accounts() -> dict[str, object]:
    """One active account of each role that has one: the one named after the role first (the demo's)."""
    User = get_user_model()
    accounts = {}
    for role in roles.ALL_ROLES:
        user = (User.objects.filter(groups__name=role, is_active=True)
                .order_by(Case(When(username=role, then=Value(0)), default=Value(1), output_field=IntegerField()),
                          "pk").first())
        if user is not None:
            accounts[role] = user
    return accounts


def home_cold(user, runs: int = 7) -> tuple[int, float]:
    """(queries, median ms) of GET / as ``user`` with the caches emptied before each request."""
    client = Client()
    client.force_login(user)
    client.get(HOME_URL)  # warm: templates, translations, content types
    queries, times = 0, []
    for _ in range(runs):
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(HOME_URL)
            times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"GET {HOME_URL} as {user.username} answered {response.status_code}")
        queries = max(queries, len(captured.captured_queries))
    return queries, sorted(times)[runs // 2]


def workbench_figures(bench) -> None:
    measured = {role: home_cold(bench.fresh_password(user)) for role, user in role_accounts().items()}
    if not measured:
        raise RuntimeError("no account of any role to measure the workbench with")
    for role, (queries, ms) in measured.items():
        bench.note(f"workbench: {role}: {queries} queries, {ms:.1f} ms")
    bench.figure("workbench_queries_max", max(q for q, _ms in measured.values()), "queries")
    bench.figure("workbench_cold_ms_max", round(max(ms for _q, ms in measured.values()), 2), "ms")


# Mixed Chinese and pinyin: a surname, full pinyin, pinyin initials, a number, words of titles and of units.
SEARCH_QUERIES = ("张", "wang", "zh", "李", "12", "建议", "调研", "局")


def search_figures(bench) -> None:
    bench.figure("search_queries", bench.page_queries(f"/search/?q={quote('张')}", clear_cache=True), "queries")
    cookie = bench.session_cookie(bench.staff_user())
    share = max(2, bench.duration // len(SEARCH_QUERIES))
    with bench.gunicorn() as (port, tool):
        bench.note(f"search: gunicorn -w 2 on 127.0.0.1:{port}, {bench.clients} clients, {len(SEARCH_QUERIES)} "
                   f"queries x {share} s, with {tool}")
        p95s = [bench.page_load(port, f"/search/?q={quote(q)}", cookie, clients=bench.clients, duration=share,
                                tool=tool)["p95_ms"] for q in SEARCH_QUERIES]
    bench.figure("search_p95_ms", max(p95s), "ms")


FIGURES = [
    BenchFamily("workbench", 150, workbench_figures),
    BenchFamily("security", 400, security_figures),
    BenchFamily("search", 450, search_figures),
]
