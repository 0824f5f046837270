"""The header's search box: ``/search/?q=`` lists what each app's search provider finds for the user (people,
motions and suggestions, activities, units), grouped by kind with a count per kind and a link to the kind's
full list filtered by the query; ``/search/suggest/?q=`` is the same, shorter, as the box's drop-down.

Core imports no app: the kinds are declared in the apps' ``search.py`` (``apps.core.registry.SearchProvider``).
Each kind costs one query (its rows and their count, through a window function). What a user found for a query
is kept under that user and their scope (nothing is shared between users) and under the versions of the areas
of data the kinds read (``core.DataVersion``, bumped by every write to their tables in the writing transaction),
so a query typed again, or the results page opened from the drop-down, costs one query, and a record written
meanwhile shows at once.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from django.core.cache import cache
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from apps.core import paper, roles
from apps.core.access import role_required
from apps.core.registry import SearchHit, search_providers
from apps.core.selectors import data_versions

MAX_QUERY = 50
PAGE_HITS = 10
SUGGEST_HITS = 5
CACHE_SECONDS = 600  # exact whatever its length (the key names the data versions); bounds the cache's size
# NUL (which PostgreSQL refuses in a string) and other control characters are dropped; runs of spaces, full-
# width ones included, become one.
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
_SPACES_RE = re.compile(r"\s+")


@dataclass(frozen=True)
class SearchGroup:
    """One kind's results: its count, its first hits and its full list filtered by the query."""

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
            groups.append(SearchGroup(provider.key, str(provider.label), count, hits, provider.list_url(user, q)))
    return groups


def cache_key(user, q: str, limit: int) -> str:
    """What a user found for a query is theirs alone, and holds until a kind's data is written: the key names the
    user and their scope (roles, jurisdiction, unit, person), the language, the query and the versions of the areas
    of data the kinds read (one query)."""
    areas = {area for provider in search_providers() for area in provider.areas}
    versions = ",".join(f"{area}={version}" for area, version in data_versions(areas).items())
    scope = f"{sorted(user.roles)}:{user.jurisdiction_id}:{user.handling_unit_id}:{user.person_id}"
    digest = hashlib.sha256(f"{scope}|{versions}|{q}".encode()).hexdigest()[:32]
    return f"{user.pk}:{get_language()}:{limit}:{digest}"


def cached_search_groups(user, q: str, limit: int, key: str | None = None) -> list[SearchGroup]:
    """``search_groups``, kept for this user, scope, language and query until a kind's data is written."""
    if not q:
        return []
    key = key or cache_key(user, q, limit)
    return cache.get_or_set(f"search:{key}", lambda: search_groups(user, q, limit), CACHE_SECONDS)


@require_safe
@never_cache
@role_required(*roles.ALL_ROLES)
def search(request):
    q, cut = clean_query(request.GET.get("q"))
    # A printed form's code (K7M-3QX) typed into the box opens the form's record (no query unless it is shaped
    # like a code).
    if q and (target := paper.resolve(request.user, q)) is not None:
        return redirect(target)
    key = cache_key(request.user, q, PAGE_HITS) if q else ""
    # Read only when the page's cached results fragment ({% cache %}, the same key and time) is missing.
    groups = SimpleLazyObject(lambda: cached_search_groups(request.user, q, PAGE_HITS, key))
    return render(request, "core/search.html", {
        "q": q, "cut": cut, "max_query": MAX_QUERY, "groups": groups, "cache_seconds": CACHE_SECONDS,
        "results_key": key, "total": lambda: sum(g.count for g in groups)})


@require_safe
@never_cache
@role_required(*roles.ALL_ROLES)
def search_suggest(request):
    q, _cut = clean_query(request.GET.get("q"))
    groups = cached_search_groups(request.user, q, SUGGEST_HITS)
    return render(request, "core/fragment_search_suggestions.html", {"q": q, "groups": groups})
