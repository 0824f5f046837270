"""Items similar to one being written or handled (并案 hint), by trigram similarity of title and content.

Candidates come through the GIN trigram index ``proposal_title_trgm`` on ``UPPER(title)``: titles sharing a
four-character stretch with what the typed title is about (``UPPER(title) LIKE ANY ('{%老旧小区%, ...}')``; the
core is the title without its 关于 … 的建议 frame). Chinese has no spaces: two titles on one matter worded
differently ("加快老旧小区供暖管网改造" and "推进老旧小区改造工作") share too few trigrams to pass pg_trgm's
similarity threshold (the ``%`` operator), but they share their words, and four characters are two words; a
near-duplicate shares them all. The candidates are then ranked by ``similarity`` of the upper-case titles (as a
whole, or of the best-matching stretch of the title: ``word_similarity``) and, when content is given, by the
similarity of their content. Trigram similarity is computed for the candidates only (on Chinese text it is the
costly part), in one query whatever the number of items.
"""

import re

from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
from django.db.models import BooleanField, F, FloatField, Func, QuerySet, Value
from django.db.models.functions import Cast, Greatest, Upper

from apps.proposals.models import Proposal

# Drafts are the deputy's own until submitted; withdrawn items are no longer pursued.
_HIDDEN_STATES = (Proposal.State.DRAFT, Proposal.State.WITHDRAWN)
# The frame almost every title has: "关于 … 的建议 / 的议案"; it says nothing about the matter.
_FRAME = re.compile(r"^\s*关于|(的)?(建议|议案|意见|提案)\s*$")
MIN_LENGTH = 2  # characters of substance before anything is looked up
STRETCH = 4  # characters of the core a candidate's title must contain (two Chinese words)
MAX_STRETCHES = 24  # of a long title, stretches spread over its length
TITLE_WEIGHT = 0.7  # of the score, when content is given too; the rest is content similarity


class LikeAny(Func):
    """``expression LIKE ANY (patterns)``: one test per row for several patterns, served by a trigram index on
    ``expression``. The patterns are matched as substrings (LIKE wildcards in them are escaped)."""

    output_field = BooleanField()

    def __init__(self, expression, substrings):
        super().__init__(expression)
        self.substrings = list(substrings)

    def as_sql(self, compiler, connection, **extra):
        lhs, params = compiler.compile(self.source_expressions[0])
        patterns = [f"%{connection.ops.prep_for_like_query(s)}%" for s in self.substrings]
        return f"{lhs} LIKE ANY (%s)", (*params, patterns)


def title_core(title: str) -> str:
    """What the title is about: without the 关于 … 的建议 frame and surrounding spaces."""
    return _FRAME.sub("", (title or "").strip()).strip()


def stretches(core: str) -> list[str]:
    """The overlapping four-character stretches of ``core`` (the core itself when shorter), at most
    ``MAX_STRETCHES`` of them spread over its length."""
    if len(core) <= STRETCH:
        return [core]
    all_ = list(dict.fromkeys(core[i:i + STRETCH] for i in range(len(core) - STRETCH + 1)))
    if len(all_) <= MAX_STRETCHES:
        return all_
    step = len(all_) / MAX_STRETCHES
    return [all_[int(i * step)] for i in range(MAX_STRETCHES)]


def similar_proposals(*, title: str, content: str = "", jurisdiction=None, exclude_pk=None,
                      limit: int = 10) -> list[Proposal]:
    """Submitted items (any state but draft and withdrawn) whose title is similar to ``title``, best first.

    Each item carries ``score`` (0–1), ``title_score`` and ``content_score`` (0 when no ``content`` is given).
    ``jurisdiction`` keeps to one congress; ``exclude_pk`` leaves out the item being edited. No query when the
    title has nothing of substance yet (only its 关于 … 的建议 frame).
    """
    return list(similar_queryset(title=title, content=content, jurisdiction=jurisdiction,
                                 exclude_pk=exclude_pk)[:limit])


def similar_queryset(*, title: str, content: str = "", jurisdiction=None, exclude_pk=None) -> QuerySet[Proposal]:
    """The ranked queryset behind ``similar_proposals`` (for a page that filters or pages it further)."""
    title = (title or "").strip()
    core = title_core(title)
    if len(core) < MIN_LENGTH:
        return Proposal.objects.none()
    whole, core = title.upper(), core.upper()
    qs = Proposal.objects.exclude(state__in=_HIDDEN_STATES).filter(LikeAny(Upper("title"), stretches(core)))
    if jurisdiction is not None:
        qs = qs.filter(jurisdiction=jurisdiction)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    # Title: alike as a whole, or holding what the typed title is about.
    title_score = Greatest(TrigramSimilarity(Upper("title"), Value(whole)),
                           TrigramWordSimilarity(Value(core), Upper("title")))
    content = (content or "").strip()
    if content:
        content_score = TrigramSimilarity("content", Value(content))
        score = F("title_score") * Value(TITLE_WEIGHT) + F("content_score") * Value(1 - TITLE_WEIGHT)
    else:
        content_score = Value(0.0)
        score = F("title_score")
    qs = (qs.annotate(title_score=Cast(title_score, FloatField()), content_score=Cast(content_score, FloatField()))
          .annotate(score=Cast(score, FloatField()))
          .select_related("jurisdiction", "session")
          .order_by("-score", "-year", "pk"))
    return qs
