"""Suggested lead units for an item being assigned (智能交办): the three units most likely to lead it, each with
its reason, learnt from past assignments. Staff still choose.

The method is a nearest-neighbour vote, explainable item by item:

- every past item of the congress with a live lead unit of round 1 (the unit staff finally chose: a unit that
  returned the item is replaced by the one it was reassigned to) is a document of its title (the 关于 … 的建议
  frame left out, counted twice: it says what the item is about) and its text (content, or a motion's grounds and
  plan), cut into **character bigrams** — Chinese has no spaces, and two characters are a word more often than
  not, so "供热管网" and "供暖质量" still share "供", "供热" does not need a dictionary;
- each bigram weighs ``(1 + log tf) × idf`` (bigrams in more than half of the items, the frame and the
  boilerplate, weigh nothing), each document is scaled to length 1, and the item being assigned is compared with
  every past item by cosine similarity through an inverted index (only past items sharing a bigram are touched);
- the ``NEIGHBOURS`` most similar past items vote for their lead unit with their similarity; the votes, as
  shares, are added to ``PRIOR_WEIGHT`` × the share of the item's category that went to each unit (a small prior:
  it ranks the category's usual units when the text matches nothing, and breaks near ties);
- the reason of a unit is its most similar past items (number, year, title) that went to it, or, for a unit
  suggested by the category alone, how many of the category's past items it led.

The model (the idf, the inverted index, the categories' units) is built from one query, per version of the
proposals data (``core.DataVersion``, bumped in the writing transaction by every write to an item, an assignment
or a unit), by the Celery worker (``assign_suggest_rebuild``), and shared with every process through the cache;
a page that finds the data newer than its model uses the model it has while the worker builds the next (it misses
only the newest items: the neighbours vote with the lead unit they have *now*, read with them, so a
reassignment counts at once). A page builds a model only when there is none at all (``model_for``).
A page adds three queries whatever the number of items: the version, the neighbours the user may see with
their lead unit, and the suggested units among those the user may assign to. Only the first ``MAX_TEXT``
characters of an item's text are read (the problem is stated first; a long text would slow the build, not help).

``make bench`` (``--only assign``) measures the agreement of the suggestions with the choices staff made in the
last year of the data, from a model built on the years before (``evaluate``); see the README for what that figure
means and what it does not.
"""

from __future__ import annotations

import heapq
import logging
import math
import pickle
import re
import threading
import uuid
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import add
from typing import NamedTuple

from django.core.cache import cache
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from apps.core.selectors import data_version
from apps.proposals import access
from apps.proposals.models import Assignment, Proposal
from apps.proposals.selectors.similar import title_core

SUGGESTIONS = 3          # units suggested
NEIGHBOURS = 12          # past items that vote
REASONS = 3              # past items named in a unit's reason, at most
TITLE_WEIGHT = 2         # a title bigram counts as often as this many in the text
PRIOR_WEIGHT = 0.25      # the category's shares, against the neighbours' (which add up to 1)
MAX_DF_SHARE = 0.5       # bigrams in more of the past items than this share weigh nothing
MIN_DOCUMENTS_FOR_CUTOFF = 20  # ... once there are this many past items
MAX_TEXT = 600           # characters of an item's text read (a pasted essay says no more about its unit)
LIVE = (Assignment.State.PENDING, Assignment.State.ACCEPTED)

_RUN = re.compile(r"\w+")
logger = logging.getLogger(__name__)


def bigrams(text: str) -> Counter:
    """The character bigrams of ``text`` within runs of letters and digits (punctuation and spaces split runs)."""
    grams: Counter = Counter()
    for run in _RUN.findall((text or "").lower()):
        if len(run) > 1:
            grams.update(map(add, run, run[1:]))
    return grams


def item_terms(title: str, text: str) -> Counter:
    """An item's bigram counts: its title's core ``TITLE_WEIGHT`` times, and its text."""
    terms = bigrams((text or "")[:MAX_TEXT])
    for gram, n in bigrams(title_core(title)).items():
        terms[gram] += TITLE_WEIGHT * n
    return terms


def item_text(content: str, grounds: str = "", plan: str = "") -> str:
    return "\n".join(part for part in (content, grounds, plan) if part)


class PastItem(NamedTuple):
    """A past item the model learns from: what it says, its category and the lead unit staff chose."""

    pk: int
    title: str
    text: str
    category_id: int | None
    unit_id: int
    year: int = 0


@dataclass
class Model:
    """What is learnt from the past items (see the module's docstring)."""

    pks: list[int]
    units: list[int]
    idf: dict[str, float]
    postings: dict[str, list[tuple[int, float]]]
    category_units: dict[int | None, Counter]
    all_units: Counter

    @property
    def size(self) -> int:
        return len(self.pks)


def build_model(items: Iterable[PastItem]) -> Model:
    """The model of ``items`` (their order does not matter)."""
    items = list(items)
    documents = [item_terms(item.title, item.text) for item in items]
    df: Counter = Counter()
    for terms in documents:
        df.update(terms.keys())
    n = len(documents)
    limit = MAX_DF_SHARE * n if n >= MIN_DOCUMENTS_FOR_CUTOFF else n + 1
    idf = {gram: math.log((1 + n) / (1 + count)) + 1.0 for gram, count in df.items() if count <= limit}
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for index, terms in enumerate(documents):
        for gram, weight in _unit_vector(terms, idf).items():
            postings[gram].append((index, weight))
    category_units: dict[int | None, Counter] = defaultdict(Counter)
    for item in items:
        category_units[item.category_id][item.unit_id] += 1
    return Model(pks=[item.pk for item in items], units=[item.unit_id for item in items], idf=idf,
                 postings=dict(postings), category_units=dict(category_units),
                 all_units=Counter(item.unit_id for item in items))


_LOG_TF = [0.0] + [1.0 + math.log(n) for n in range(1, 64)]


def _unit_vector(terms: Counter, idf: dict[str, float]) -> dict[str, float]:
    log_tf = _LOG_TF
    weights = {gram: (log_tf[n] if n < 64 else 1.0 + math.log(n)) * idf[gram] for gram, n in terms.items()
               if gram in idf}
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {gram: w / norm for gram, w in weights.items()} if norm else {}


@dataclass
class Ranked:
    """A unit's place among the suggestions: its score (0–1+) and the past items behind it (index, similarity)."""

    unit_id: int
    score: float
    neighbours: list[tuple[int, float]] = field(default_factory=list)
    category_count: int = 0


def nearest(model: Model, title: str, text: str, *, exclude_pk: int | None = None,
            k: int = NEIGHBOURS) -> list[tuple[int, float]]:
    """The ``k`` past items most like (title, text), as (index in the model, cosine similarity), best first."""
    query = _unit_vector(item_terms(title, text), model.idf)
    scores: dict[int, float] = defaultdict(float)
    postings = model.postings
    for gram, weight in query.items():
        for index, doc_weight in postings.get(gram, ()):
            scores[index] += weight * doc_weight
    if exclude_pk is not None:
        for index, pk in enumerate(model.pks):
            if pk == exclude_pk:
                scores.pop(index, None)
    return heapq.nlargest(k, scores.items(), key=lambda pair: (pair[1], -pair[0]))


def rank_units(model: Model, title: str, text: str, category_id: int | None, *, exclude_pk: int | None = None,
               limit: int = SUGGESTIONS, present_units: dict[int, int] | None = None) -> list[Ranked]:
    """The ``limit`` likeliest lead units, best first: the neighbours' similarity-weighted votes as shares, plus
    ``PRIOR_WEIGHT`` × the unit's share of the category's past items. ``present_units`` (past item → its lead
    unit now, read when the neighbours are known): a neighbour missing from it does not vote."""
    return rank_neighbours(model, nearest(model, title, text, exclude_pk=exclude_pk), category_id, limit=limit,
                           present_units=present_units)


def rank_neighbours(model: Model, neighbours: list[tuple[int, float]], category_id: int | None, *,
                    limit: int = SUGGESTIONS, present_units: dict[int, int] | None = None) -> list[Ranked]:
    if present_units is not None:
        neighbours = [(index, similarity) for index, similarity in neighbours if model.pks[index] in present_units]
    total = sum(similarity for _index, similarity in neighbours)
    ranked: dict[int, Ranked] = {}

    def entry(unit_id: int) -> Ranked:
        if unit_id not in ranked:
            ranked[unit_id] = Ranked(unit_id=unit_id, score=0.0)
        return ranked[unit_id]

    for index, similarity in neighbours:
        unit_id = model.units[index] if present_units is None else present_units[model.pks[index]]
        found = entry(unit_id)
        found.score += similarity / total if total else 0.0
        found.neighbours.append((index, similarity))
    prior = model.category_units.get(category_id) or model.all_units
    prior_total = sum(prior.values())
    for unit_id, count in prior.items():
        found = entry(unit_id)
        found.score += PRIOR_WEIGHT * count / prior_total
        found.category_count = count if category_id in model.category_units else 0
    best = sorted(ranked.values(), key=lambda r: (-r.score, -len(r.neighbours), r.unit_id))
    return best[:limit]


# --- on the assign form ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Precedent:
    """A past item named in a reason."""

    pk: int
    number_label: str
    year: int
    title: str
    similarity: float


@dataclass(frozen=True)
class UnitSuggestion:
    """One suggested lead unit, with its reason."""

    unit_id: int
    unit_name: str
    score: float
    precedents: tuple[Precedent, ...]
    category_count: int
    category_name: str

    @property
    def percent(self) -> int:
        """The score as a share of the most a unit can get (every neighbour's vote and the whole category)."""
        return round(min(self.score / (1 + PRIOR_WEIGHT), 1.0) * 100)

    @property
    def reason(self) -> str:
        if self.precedents:
            return _("Handled the most similar past items:")
        return _("Led %(count)s past items of the category %(category)s.") % {
            "count": self.category_count, "category": self.category_name}


REQUEST_AGAIN_AFTER = 60  # seconds before a model asked of the worker is asked for again (a lost task)


@dataclass
class _Built:
    generation: str
    version: int
    model: Model


_models: dict[int, _Built] = {}
_lock = threading.Lock()
_GENERATION_KEY = "assign-suggest:generation"


def _shared_key(generation: str, jurisdiction_id: int) -> str:
    return f"assign-suggest:model:{generation}:{jurisdiction_id}"


def _generation() -> str:
    generation = cache.get(_GENERATION_KEY)
    if generation is None:
        cache.add(_GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        generation = cache.get(_GENERATION_KEY)
    return generation


def past_items(jurisdiction_id: int, *, years: Iterable[int] | None = None) -> QuerySet:
    """The rows the model learns from: the congress's items with a live lead unit of round 1, as ``PastItem``
    fields (one query)."""
    qs = Assignment.objects.filter(role=Assignment.Role.LEAD, round=1, state__in=LIVE,
                                   proposal__jurisdiction_id=jurisdiction_id)
    if years is not None:
        qs = qs.filter(proposal__year__in=list(years))
    return qs.order_by("proposal_id").values_list(
        "proposal_id", "proposal__title", "proposal__content", "proposal__grounds", "proposal__plan",
        "proposal__category_id", "unit_id", "proposal__year")


def as_past_items(rows) -> list[PastItem]:
    return [PastItem(pk, title, item_text(content, grounds, plan), category_id, unit_id, year)
            for pk, title, content, grounds, plan, category_id, unit_id, year in rows]


def model_for(jurisdiction_id: int) -> Model:
    """The model of the congress's past items, for a page: never built inside a request but once.

    In order: this process's model of the present data version; else the one the worker shared (the shared cache
    holds one model per congress, pickled: the latest built, taken whenever it is not the one this process has);
    else an older model (this process's or the shared one) while the
    worker builds the present one (``assign_suggest_rebuild``, asked for once per ``REQUEST_AGAIN_AFTER``
    seconds) — it misses only the newest items, and the neighbours vote with the lead unit they have *now*, read
    with them, so a reassignment counts at once; else, the first time after the cache was emptied, built here
    and shared. The generation in the shared cache names the database state the models belong to (an emptied
    cache — as between tests, whose data is rolled back — makes every process build again)."""
    version = data_version("proposals")
    generation = _generation()
    built = _models.get(jurisdiction_id)
    if built is not None and built.generation == generation and built.version == version:
        return built.model
    shared = cache.get(_shared_key(generation, jurisdiction_id))
    if shared is not None and (built is None or built.generation != generation or shared[0] != built.version):
        built = _Built(generation, shared[0], pickle.loads(zlib.decompress(shared[1])))
        with _lock:
            _models[jurisdiction_id] = built
        if built.version == version:
            return built.model
    if built is not None and built.generation == generation:
        _request_rebuild(generation, jurisdiction_id)
        return built.model
    return rebuild(jurisdiction_id)


def _request_rebuild(generation: str, jurisdiction_id: int) -> None:
    """Ask the worker for the present model, once per ``REQUEST_AGAIN_AFTER`` seconds (a broker that is down
    costs nothing here: the older model serves until a later page asks again)."""
    if not cache.add(f"assign-suggest:asked:{generation}:{jurisdiction_id}", 1, timeout=REQUEST_AGAIN_AFTER):
        return
    from apps.proposals.tasks import assign_suggest_rebuild

    try:
        assign_suggest_rebuild.apply_async(args=[jurisdiction_id], ignore_result=True)
    except Exception:  # noqa: BLE001 - kombu's errors vary by transport; the page must not fail for a hint
        logger.warning("could not ask the worker for the assignment model of %s", jurisdiction_id, exc_info=True)


def rebuild(jurisdiction_id: int) -> Model:
    """Build the congress's model from its past items (one query) and share it (the worker's task; a page's
    only the first time). The version is read before the rows: a write in between makes the model look older
    than it is, so it is built again, never the reverse."""
    version = data_version("proposals")
    generation = _generation()
    model = build_model(as_past_items(past_items(jurisdiction_id)))
    cache.set(_shared_key(generation, jurisdiction_id),
              (version, zlib.compress(pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL), 1)), timeout=None)
    with _lock:
        _models[jurisdiction_id] = _Built(generation, version, model)
    return model


def suggest_units(proposal: Proposal, user) -> list[UnitSuggestion]:
    """The suggested lead units for ``proposal`` as ``user`` (staff) may assign it: the nearest past items the
    user may see vote with their lead unit of today; units among the user's choices. Three queries at most: the
    version, the neighbours with their lead unit, the units."""
    from apps.proposals.selectors.office import unit_choices

    model = model_for(proposal.jurisdiction_id)
    if not model.size:
        return []
    text = item_text(proposal.content, proposal.grounds, proposal.plan)
    neighbours = nearest(model, proposal.title, text, exclude_pk=proposal.pk)
    lead_unit = (Assignment.objects.filter(proposal=OuterRef("pk"), role=Assignment.Role.LEAD, round=1,
                                           state__in=LIVE).values("unit_id")[:1])
    rows = {row["pk"]: row for row in access.office_proposals(user)
            .filter(pk__in=[model.pks[index] for index, _s in neighbours])
            .annotate(lead_unit_id=Subquery(lead_unit)).filter(lead_unit_id__isnull=False)
            .values("pk", "number", "year", "title", "lead_unit_id")} if neighbours else {}
    ranked = rank_neighbours(model, neighbours, proposal.category_id, limit=SUGGESTIONS * 3,
                             present_units={pk: row["lead_unit_id"] for pk, row in rows.items()})
    if not ranked:
        return []
    units = dict(unit_choices(user).filter(pk__in=[r.unit_id for r in ranked]).values_list("pk", "name"))
    category_name = proposal.category.name if proposal.category_id else ""
    suggestions = []
    for r in [r for r in ranked if r.unit_id in units][:SUGGESTIONS]:
        precedents = tuple(
            Precedent(pk=row["pk"], number_label=f"第{row['number']:04d}号" if row["number"] else "",
                      year=row["year"], title=row["title"], similarity=similarity)
            for row, similarity in ((rows[model.pks[index]], similarity) for index, similarity in r.neighbours[:REASONS]))
        suggestions.append(UnitSuggestion(unit_id=r.unit_id, unit_name=units[r.unit_id], score=r.score,
                                          precedents=precedents, category_count=r.category_count,
                                          category_name=category_name))
    return suggestions


# --- the bench's figure ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Evaluation:
    """How often the held-out items' lead unit was the first suggestion, among the three, and among the three
    units of its category most often chosen before (the baseline)."""

    trained: int
    tested: int
    top1: float
    top3: float
    baseline_top3: float


def evaluate(train: list[PastItem], test: list[PastItem]) -> Evaluation:
    """Build the model on ``train`` and rank units for each item of ``test`` (its lead unit hidden)."""
    model = build_model(train)
    hits1 = hits3 = base3 = 0
    usual = {category: [unit for unit, _n in sorted(counts.items(), key=lambda p: (-p[1], p[0]))[:SUGGESTIONS]]
             for category, counts in model.category_units.items()}
    overall = [unit for unit, _n in sorted(model.all_units.items(), key=lambda p: (-p[1], p[0]))[:SUGGESTIONS]]
    for item in test:
        ranked = [r.unit_id for r in rank_units(model, item.title, item.text, item.category_id)]
        hits1 += bool(ranked) and ranked[0] == item.unit_id
        hits3 += item.unit_id in ranked[:SUGGESTIONS]
        base3 += item.unit_id in usual.get(item.category_id, overall)
    n = len(test) or 1
    return Evaluation(trained=len(train), tested=len(test), top1=hits1 / n, top3=hits3 / n, baseline_top3=base3 / n)


def held_out_evaluation(jurisdiction_id: int) -> Evaluation:
    """``evaluate`` on the congress's items: trained on every year but the last, tested on the last."""
    items = as_past_items(past_items(jurisdiction_id))
    if not items:
        return Evaluation(0, 0, 0.0, 0.0, 0.0)
    last = max(item.year for item in items)
    return evaluate([i for i in items if i.year < last], [i for i in items if i.year == last])

