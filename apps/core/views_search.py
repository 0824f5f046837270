"""The header's search box: ``/search/?q=`` lists what each app's search provider finds for the user (people,
motions and suggestions, activities, units), grouped by kind with a count per kind and a link to the kind's
full list filtered by the query; ``/search/suggest/?q=`` is the same, shorter, as the box's drop-down.

Core imports no app: the kinds are declared in the apps' ``search.py`` (``apps.core.registry.SearchProvider``).
Each kind costs one query (its rows and their count, through a window function).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from apps.core import roles
from apps.core.access import role_required
from apps.core.registry import SearchHit, search_providers

MAX_QUERY = 50
PAGE_HITS = 10
SUGGEST_HITS = 5
# NUL (which PostgreSQL refuses in a string) and other control characters are dropped; runs of spaces, full-
# width ones included, become one.
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
_SPACES_RE = re.compile(r"\s+")


@dataclass(frozen=True)
class SearchGroup:
    key: str
    label: str
    count: int
    hits: list[SearchHit]
    list_url: str


def clean_query(raw: str | None) -> tuple[str, bool]:
    """The query as searched, and whether it was cut to ``MAX_QUERY`` characters."""
    text = _SPACES_RE.sub(" ", _CONTROL_RE.sub("", raw or "")).strip()
    return text[:MAX_QUERY].strip(), len(text) > MAX_QUERY


def search_groups(user, q: str, limit: int) -> list[SearchGroup]:
    """Each kind the user may search, with its count and first ``limit`` hits (one query a kind)."""
    groups = []
    if not q:
        return groups
    for provider in search_providers():
        found = provider.search(user, q, limit)
        if found is not None:
            count, hits = found
            groups.append(SearchGroup(provider.key, provider.label, count, hits, provider.list_url(user, q)))
    return groups


@require_safe
@never_cache
@role_required(*roles.ALL_ROLES)
def search(request):
    q, cut = clean_query(request.GET.get("q"))
    groups = search_groups(request.user, q, PAGE_HITS)
    return render(request, "core/search.html", {
        "q": q, "cut": cut, "max_query": MAX_QUERY, "groups": groups,
        "total": sum(g.count for g in groups)})


@require_safe
@never_cache
@role_required(*roles.ALL_ROLES)
def search_suggest(request):
    q, _cut = clean_query(request.GET.get("q"))
    groups = search_groups(request.user, q, SUGGEST_HITS)
    return render(request, "core/fragment_search_suggestions.html", {"q": q, "groups": groups})
