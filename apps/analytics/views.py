"""Data analysis (数字分析): a page per section with its charts and tables, the records behind a value, and the
Excel download of a chart's numbers. Thin: the charts are data (``apps.analytics.sections``) counted by
``apps.analytics.charts``.

Who: the office (staff and supervisors with a jurisdiction, ``apps.core.access.is_office``) holding the
section's permission; anyone else signed in gets a 403. Everything is read within the user's jurisdiction.

A section's counts are cached under the data versions of the areas it reads (``core.DataVersion``, bumped by
triggers in the writing transaction): a page never shows a number its list would not confirm.
"""

from __future__ import annotations

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from apps.analytics.charts import ChartData, Context, count, records
from apps.analytics.forms import FilterForm
from apps.analytics.sections import Section, all_sections, section_by_slug
from apps.analytics.selectors import scope_jurisdictions
from apps.core.selectors import data_versions
from apps.core.access import is_office, office_required
from apps.core.excel import simple_workbook, xlsx_response
from apps.deputies.models import Level

RECORDS_PER_PAGE = 100
CACHE_SECONDS = 600


def _sections_for(user) -> list[Section]:
    return [section for section in all_sections() if is_office(user, section.perm)]


def _section(request, slug: str) -> Section:
    section = section_by_slug(slug)
    if section is None:
        raise Http404
    if not is_office(request.user, section.perm):
        raise PermissionDenied
    return section


def _filters(request, versions: dict[str, int]) -> tuple[FilterForm, Context, str]:
    """The page's filters (a value that is not valid is reported on the form and ignored), the context the
    charts are computed for and the query string that carries the valid filters on."""
    user = request.user
    jurisdictions = cache.get_or_set(f"analytics-places:{versions['roster']}:{user.jurisdiction.path}",
                                     lambda: list(scope_jurisdictions(user)), CACHE_SECONDS)
    form = FilterForm(request.GET, jurisdictions=jurisdictions)
    form.is_valid()
    data = form.cleaned_data
    today = timezone.localdate()
    chosen = next((j for j in jurisdictions if str(j.pk) == data.get("jurisdiction")), None)
    if chosen is not None and chosen.pk == user.jurisdiction_id:
        chosen = None  # the user's own jurisdiction is the whole scope
    context = Context(user=user, year=data.get("year") or today.year, today=today, level=data.get("level") or "",
                      jurisdiction=chosen)
    query = QueryDict(mutable=True)
    query["year"] = context.year
    if context.level:
        query["level"] = context.level
    if chosen is not None:
        query["jurisdiction"] = chosen.pk
    return form, context, query.urlencode()


def _section_data(section: Section, context: Context, versions: dict[str, int]) -> dict[str, ChartData]:
    """Every chart's counts: from the cache when nothing they read has changed since (the key holds the data
    versions of the section's areas, the day, the language, the scope and the filters), else counted now."""
    scope = (context.jurisdiction or context.user.jurisdiction).path
    key = (f"analytics:{section.slug}:{scope}:{context.year}:{context.level}:{context.today}:{get_language()}:"
           + _versions_text(versions))
    blob = cache.get(key)
    if blob is None:
        data = {chart.name: count(chart, context) for chart in section.charts}
        cache.set(key, {name: one.to_cache() for name, one in data.items()}, CACHE_SECONDS)
        return data
    return {chart.name: ChartData.from_cache(chart, blob[chart.name]) for chart in section.charts}


def _versions_text(versions: dict[str, int]) -> str:
    return ",".join(f"{area}={version}" for area, version in sorted(versions.items()))


def _versions(section: Section) -> dict[str, int]:
    return data_versions({*section.areas, "roster"})


@require_safe
@office_required
def index(request):
    sections = _sections_for(request.user)
    if not sections:
        raise PermissionDenied
    return redirect("analytics:section", slug=sections[0].slug)


def _page_state(request, section: Section, versions: dict[str, int]) -> dict:
    form, context, query = _filters(request, versions)
    counted = _section_data(section, context, versions)
    records_url = reverse("analytics:records", args=[section.slug])
    export_url = reverse("analytics:export", args=[section.slug])
    charts = []
    for chart in section.charts:
        data = counted[chart.name]
        chart_query = f"{query}&chart={chart.name}"
        charts.append({"chart": chart, "data": data, "payload": data.payload(f"{records_url}?{chart_query}"),
                       "payload_id": f"payload-{chart.name}",
                       "records_url": f"{records_url}?{chart_query}", "export_url": f"{export_url}?{chart_query}"})
    scope_name = (context.jurisdiction or request.user.jurisdiction).name
    return {"form": form, "context": context, "query": query, "charts": charts, "scope_name": scope_name,
            "print_scope": _print_scope(scope_name, context)}


def _print_scope(scope_name: str, context: Context) -> str:
    """The scope a printed section names: the jurisdiction, the year and (when chosen) the level."""
    parts = [scope_name, _("Year %(year)s") % {"year": context.year}]
    if context.level:
        parts.append(str(dict(Level.choices)[context.level]))
    return " · ".join(parts)


@require_safe
@office_required
def section_page(request, slug):
    """A section: the filters, then each chart with its table. The page's body is cached under the data versions,
    the day, the language, the user's scope and sections and the query; on a hit nothing is counted or built."""
    section = _section(request, slug)
    versions = _versions(section)
    sections = _sections_for(request.user)
    state = SimpleLazyObject(lambda: _page_state(request, section, versions))
    page_key = ":".join([section.slug, request.user.jurisdiction.path, _versions_text(versions),
                         str(timezone.localdate()), get_language(), ",".join(s.slug for s in sections),
                         request.GET.urlencode()])
    return render(request, "analytics/section.html", {
        "section": section, "sections": sections, "page_key": page_key,
        **{name: SimpleLazyObject(lambda name=name: state[name])
           for name in ("form", "context", "query", "charts", "scope_name", "print_scope")},
    })


def _chart_of(request, section):
    chart = section.chart(request.GET.get("chart", ""))
    if chart is None:
        raise Http404
    return chart


@require_safe
@office_required
def section_records(request, slug):
    section = _section(request, slug)
    chart = _chart_of(request, section)
    versions = _versions(section)
    _form, context, query = _filters(request, versions)
    data = _section_data(section, context, versions)[chart.name]
    key = request.GET.get("key", "")
    qs = records(chart, context, data, key)
    if qs is None:
        raise Http404
    columns = chart.columns or section.columns
    page = Paginator((chart.rows or section.rows)(qs), RECORDS_PER_PAGE).get_page(request.GET.get("page"))
    x, _sep, s = key.partition("|")
    labels = [str(dict(data.xs)[x])]
    if chart.series is not None:
        labels.append(str(dict(data.series)[s]))
    return render(request, "analytics/records.html", {
        "section": section, "chart": chart, "context": context, "page": page, "labels": labels, "columns": columns,
        "value": data.value(x, s), "rows": [[(column.text(obj), column.link(obj) if column.link else "")
                                             for column in columns] for obj in page.object_list],
        "back_url": f"{reverse('analytics:section', args=[section.slug])}?{query}",
        "page_query": _with(query, chart=chart.name, key=key),
        "scope_name": (context.jurisdiction or request.user.jurisdiction).name,
    })


def _with(query: str, **params) -> str:
    result = QueryDict(query, mutable=True)
    for name, value in params.items():
        result[name] = value
    return result.urlencode()


@require_safe
@office_required
def section_export(request, slug):
    section = _section(request, slug)
    chart = _chart_of(request, section)
    versions = _versions(section)
    _form, context, _query = _filters(request, versions)
    data = _section_data(section, context, versions)[chart.name]
    content = simple_workbook(chart.title, [str(h) for h in data.headers()], data.sheet_rows())
    filename = _("%(title)s %(year)s.xlsx") % {"title": chart.title, "year": context.year}
    return xlsx_response(content, filename=filename)
