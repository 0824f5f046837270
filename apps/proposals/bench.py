"""Performance figures of motions and suggestions for ``manage.py bench`` (``FIGURES``, run by that command):

- ``proposal_board_queries``: SQL queries of GET /proposals/board/ as the city ``supervisor``, with the board's
  cached figures cleared (the worst case); the bench runs it on both scales;
- ``proposal_board_p95_ms``: the bench's load machinery (gunicorn, 20 clients) against that page, with the
  ``supervisor``'s session cookie (``board_url`` and ``supervisor_user`` here);
- ``similar_lookup_ms``: the median time of ``similar_proposals`` for a new submission's title and content
  among the city congress's ~4,500 items (what the deputy's form asks while they type);
- ``assign_top1_accuracy``, ``assign_top3_accuracy`` (``--only assign``): how often the suggested assignment
  (智能交办) ranks first, or among its three, the lead unit staff chose for an item of the last year, from a model
  built on the years before; ``assign_top3_baseline``: the same for the three units most often chosen before for
  the item's category (what a rule of thumb would suggest).
"""

from __future__ import annotations

import random
import statistics
import time

from django.core.cache import cache
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.registry import BenchFamily
from apps.proposals.models import Proposal

SUPERVISOR = "supervisor"
SIMILAR_RUNS = 15


def has_data() -> bool:
    return Proposal.objects.exists()


def board_url() -> str:
    return reverse("proposals:board")


def supervisor_user():
    from apps.accounts.models import User

    try:
        return User.objects.get(username=SUPERVISOR)
    except User.DoesNotExist as exc:
        raise CommandError(f"no `{SUPERVISOR}` account: seed the demo data first") from exc


def board_queries(user) -> int:
    """Queries of one board request with the figures' cache empty, after a warm-up request."""
    client = Client()
    client.force_login(user)
    url = board_url()
    client.get(url)  # warm: content types, translations, templates
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    if response.status_code != 200:
        raise CommandError(f"GET {url} as {user.username} answered {response.status_code}")
    return len(captured.captured_queries)


def board_uncached_ms(user, runs: int = 7) -> float:
    """The median time of one board request with the figures' cache empty, in-process."""
    client = Client()
    client.force_login(user)
    url = board_url()
    client.get(url)
    times = []
    for _ in range(runs):
        cache.clear()
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 2)


def new_submissions(count: int = SIMILAR_RUNS, seed: int = 4500) -> list[tuple[str, str]]:
    """Titles and contents a deputy might be typing: the demo's matters, in other words and other places."""
    from apps.core.demo import COUNTIES
    from apps.proposals.demo.texts import TOPICS

    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        topic = rng.choice(rng.choice(list(TOPICS.values())))
        phrase, problem, ask = rng.choice(topic.phrases), rng.choice(topic.problems), rng.choice(topic.asks)
        county, _code, _region, _townships, streets = rng.choice(COUNTIES)
        place = county + rng.choice(streets)
        what = phrase.format(p=place, c=county)
        texts.append((f"关于进一步{what}的建议",
                      f"据群众反映，{place}{problem}，影响群众生活。为此建议：{ask}，并明确责任单位和完成时限。"))
    return texts


def similar_lookup_ms(jurisdiction) -> float:
    """The median time of ``similar_proposals`` for new submissions among the congress's items."""
    from apps.proposals.selectors.similar import similar_proposals

    items = Proposal.objects.filter(jurisdiction=jurisdiction).count()
    if not items:
        raise CommandError(f"no motions or suggestions in {jurisdiction}: the lookup would measure nothing")
    texts = new_submissions()
    similar_proposals(title=texts[0][0], content=texts[0][1], jurisdiction=jurisdiction)  # warm
    times, found = [], 0
    for title, content in texts:
        start = time.perf_counter()
        result = similar_proposals(title=title, content=content, jurisdiction=jurisdiction)
        times.append((time.perf_counter() - start) * 1000)
        found += bool(result)
    if not found:
        raise CommandError("similar_proposals found nothing similar to any new submission: check the demo data")
    return round(statistics.median(times), 2)


# --- the figures (FIGURES) ------------------------------------------------------------------------------
def fresh_supervisor(bench):
    """The demo ``supervisor``, with a password that has not aged past the limit (``bench.fresh_password``)."""
    return bench.fresh_password(supervisor_user())


def query_figures(bench) -> None:
    bench.figure("proposal_board_queries", board_queries(fresh_supervisor(bench)), "queries")
    bench.small_figure("proposal_board_queries")


def proposal_figures(bench) -> None:
    user = fresh_supervisor(bench)
    if "queries" not in bench.only:  # else the queries family measured them
        query_figures(bench)
    bench.note(f"proposal board uncached: {board_uncached_ms(user)} ms (median, in-process)")
    bench.figure("similar_lookup_ms", similar_lookup_ms(user.jurisdiction), "ms")
    cookie = bench.session_cookie(user)
    with bench.gunicorn() as (port, tool):
        result = bench.page_load(port, board_url(), cookie, clients=bench.clients, duration=bench.duration,
                                 tool=tool)
    bench.figure("proposal_board_p95_ms", result["p95_ms"], "ms")
    bench.figure("proposal_board_rps", result["rps"], "req/s")


def assign_figures(bench) -> None:
    """The suggested assignment (智能交办) against the choices staff made: trained on every year of the city
    congress's items but the last, measured on the last (``assign_suggest.held_out_evaluation``)."""
    from apps.proposals.selectors import assign_suggest

    user = bench.staff_user()
    jurisdiction = user.jurisdiction
    start = time.perf_counter()
    result = assign_suggest.held_out_evaluation(jurisdiction.pk)
    seconds = time.perf_counter() - start
    if not result.tested:
        raise CommandError("no assigned item in the last year: the suggested assignment would measure nothing")
    bench.note(f"assign: trained on {result.trained} items, tested on {result.tested} of the last year "
               f"({seconds:.1f} s)")
    bench.figure("assign_top1_accuracy", round(result.top1, 3), "share")
    bench.figure("assign_top3_accuracy", round(result.top3, 3), "share")
    bench.figure("assign_top3_baseline", round(result.baseline_top3, 3), "share")
    bench.note(f"assign: model of all {jurisdiction} items built in {assign_model_ms(jurisdiction.pk)} ms; "
               f"suggestions for an item in {assign_suggest_ms(user)} ms (median, model built)")


def assign_model_ms(jurisdiction_id: int) -> float:
    """The time of building the model of the congress's items (once per data version and process)."""
    from apps.proposals.selectors import assign_suggest

    start = time.perf_counter()
    assign_suggest.build_model(assign_suggest.as_past_items(assign_suggest.past_items(jurisdiction_id)))
    return round((time.perf_counter() - start) * 1000, 1)


def assign_suggest_ms(user, runs: int = 15) -> float:
    """The median time of ``suggest_units`` for registered items (the assign form's part), the model built."""
    from apps.proposals.selectors import assign_suggest

    items = list(Proposal.objects.filter(jurisdiction=user.jurisdiction).select_related("category")
                 .order_by("-pk")[:runs])
    if not items:
        raise CommandError("no item to suggest units for")
    assign_suggest.suggest_units(items[0], user)  # builds the model
    times = []
    for item in items:
        start = time.perf_counter()
        assign_suggest.suggest_units(item, user)
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 2)


FIGURES = [
    BenchFamily("queries", 140, query_figures),
    BenchFamily("proposals", 600, proposal_figures),
    BenchFamily("assign", 610, assign_figures),
]
