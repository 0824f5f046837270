"""The public portal of replies to suggestions (建议答复公开) and its open data, at /open/: no login, for anyone.

Every view here is marked ``login_not_required`` (the project's LoginRequiredMiddleware lets nothing else through
unsigned) and answers GET and HEAD only; it reads published replies through ``apps.opendata.selectors`` and never
anything of a person but a signer's name. Pages are cache-friendly: ``Cache-Control: public, max-age=300`` (the
middleware makes it private and uncached for a signed-in user), and the rendered page is kept in the shared cache
under the proposals data version, which every write to the tables it shows bumps — 20 readers at once mostly cost
a cache read.
"""

from __future__ import annotations

import functools
import hashlib

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from apps.core.excel import CSV_CONTENT_TYPE
from apps.core.selectors import data_version
from apps.core.web import attachment_disposition, page_with_query
from apps.opendata import exports, selectors
from apps.opendata.forms import OpenSearchForm
from apps.opendata.schema import FIELDS

PAGE_SIZE = 20
FEED_SIZE = 50
MAX_AGE = 300  # seconds a browser or a proxy may keep a public page or file
PAGE_CACHE_SECONDS = 300
JSON_CONTENT_TYPE = "application/json; charset=utf-8"
ATOM_CONTENT_TYPE = "application/atom+xml; charset=utf-8"


def public(view):
    """Open to anyone (no login), GET and HEAD only, and cacheable by browsers and proxies for a short while."""

    @login_not_required
    @require_safe
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            patch_cache_control(response, public=True, max_age=MAX_AGE)
        return response

    return wrapped


def page_cached(view):
    """Keep the rendered page under the proposals data version, the day, the language, the host and the full path:
    a page already rendered since the last write is served from the cache (one query, the version's). Nothing is
    cached before the first write has set a version."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        version = data_version("proposals")
        key = None
        if version:
            # the host too: the feed's links are absolute
            raw = (f"{version}:{timezone.localdate():%Y%m%d}:{get_language()}:{request.get_host()}"
                   f":{request.get_full_path()}")
            key = "opendata-page:" + hashlib.sha256(raw.encode()).hexdigest()
            cached = cache.get(key)
            if cached is not None:
                content, content_type = cached
                return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if key and response.status_code == 200 and not response.streaming:
            cache.set(key, (response.content, response["Content-Type"]), PAGE_CACHE_SECONDS)
        return response

    return wrapped


def _base(request) -> str:
    """The portal's absolute address (``https://host/open/``): a reply's page is ``<base><id>/``."""
    return request.build_absolute_uri(reverse("opendata:index"))


def _year_or_404(year: int) -> int:
    if year not in selectors.open_years():
        raise Http404
    return year


@public
@page_cached
def index(request):
    """Published replies to suggestions, searchable by year, category, unit and text; the year's figures."""
    form = OpenSearchForm(request.GET or None, years=selectors.open_years(), categories=selectors.categories(),
                          units=selectors.units())
    filters = form.filters()
    year = filters["year"]
    replies = selectors.open_replies(**filters) if year else selectors.open_replies().none()
    page, query = page_with_query(request, replies, PAGE_SIZE)
    statistics = selectors.year_statistics(year, today=timezone.localdate()) if year else None
    return render(request, "opendata/index.html", {
        "form": form, "year": year, "page": page, "query": query, "statistics": statistics})


@public
@page_cached
def reply_detail(request, pk):
    """One suggestion's published replies: its number, title, signers, the unit's replies and their class."""
    found = selectors.open_item(pk)
    if found is None:
        raise Http404
    proposal, replies, signers = found
    return render(request, "opendata/reply_detail.html", {"proposal": proposal, "replies": replies,
                                                          "signers": signers})


@public
@page_cached
def statistics(request, year):
    """The year's figures by present lead unit: items assigned, replied, 办复率, rated, satisfied, 满意率."""
    _year_or_404(year)
    figures = selectors.year_statistics(year, today=timezone.localdate())
    return render(request, "opendata/statistics.html", {"year": year, "statistics": figures,
                                                        "years": selectors.open_years()})


@public
@page_cached
def data(request):
    """The open data: the files of each year, the feed, and the fields they hold."""
    return render(request, "opendata/data.html", {"years": selectors.open_years(), "fields": FIELDS})


def _download(chunks, *, filename: str, content_type: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = attachment_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@public
def year_csv(request, year):
    """A year's published replies as CSV (UTF-8 with BOM), streamed."""
    replies = selectors.export_replies(_year_or_404(year))
    return _download(exports.csv_lines(replies, base=_base(request)), filename=f"open-replies-{year}.csv",
                     content_type=CSV_CONTENT_TYPE)


@public
def year_json(request, year):
    """A year's published replies as a JSON array, streamed."""
    replies = selectors.export_replies(_year_or_404(year))
    return _download(exports.json_chunks(replies, base=_base(request)), filename=f"open-replies-{year}.json",
                     content_type=JSON_CONTENT_TYPE)


@public
@page_cached
def feed(request):
    """The Atom feed of the latest published replies."""
    base = _base(request)
    document = exports.atom_feed(
        selectors.feed_replies(FEED_SIZE), title=_("Replies to deputies' suggestions"), link=base,
        feed_url=request.build_absolute_uri(), base=base,
        description=_("Replies of handling units to deputies' suggestions, as they are published."))
    return HttpResponse(document, content_type=ATOM_CONTENT_TYPE)
