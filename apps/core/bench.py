"""Core's figures for ``manage.py bench`` (``FIGURES``; see that command for the shared machinery):

- ``security_matrix_urls`` and ``security_routed_urls`` (``security``): the routes covered by the role × URL
  permission matrices of the test suite (``tests/security/url_matrix.py``), of all routes outside the admin site;
- ``search_queries`` (``search``): SQL queries of GET /search/?q=张 as the city ``staff`` user (one a kind, plus
  the session and the user); ``search_p95_ms``: gunicorn with 2 workers, 20 clients, on the header search's
  results page with mixed Chinese and pinyin queries (names, pinyin initials, a number, words of titles and
  units), each query loaded in turn for an equal share of ``--duration``; the figure is the worst query's p95.
"""

import sys

from urllib.parse import quote

from django.conf import settings

from apps.core.registry import BenchFamily


def security_figures(bench) -> None:
    sys.path.insert(0, str(settings.BASE_DIR))
    from tests.security.url_matrix import covered, routed

    routes = set(routed())
    bench.figure("security_matrix_urls", len(routes & covered()), "urls")
    bench.figure("security_routed_urls", len(routes), "urls")


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


FIGURES = [BenchFamily("security", 400, security_figures), BenchFamily("search", 450, search_figures)]
