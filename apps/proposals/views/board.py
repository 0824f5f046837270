"""The supervisors' board (督办看板): figures of the motions and suggestions of the user's congress and below,
and the items behind each figure. Read-only. Thin: check access, call a selector, render.

Supervisors and staff open it; the figures cover their jurisdiction and those below it only. A leader (a 主任会议
member leading the supervision of key items) opens it read-only too, its figures and lists covering the items
they lead only (the items they may open). 403 for any other role, and for a member who leads no item.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from apps.core import roles
from apps.core.access import role_required
from apps.core.excel import xlsx_response
from apps.core.models import AuditEvent, HandlingUnit
from apps.core.selectors import data_version
from apps.core.services import audit_event
from apps.core.web import page_with_query
from apps.proposals import access, excel
from apps.proposals.forms.board import BoardFilterForm, BoardItemsForm
from apps.proposals.models import Category, Kind
from apps.proposals.selectors import board as selectors

PAGE_SIZE = 30


def _is_board_office(user) -> bool:
    return access.is_office(user) and user.has_perm("proposals.supervise_proposal")


def _board_proposals(user):
    """The items the user's board counts: the office's scope, or the items a leader leads; else 403."""
    if _is_board_office(user):
        return access.office_proposals(user)
    if access.is_leader(user):
        return access.leader_proposals(user)
    raise PermissionDenied


def _item_url_name(user) -> str:
    return "proposals:proposal_detail" if _is_board_office(user) else "proposals:leader_detail"


def _cache_key(user, form, today) -> str | None:
    """The board's figures are cached under the "proposals" data version (``core.DataVersion``), which
    database triggers bump on every committed write to the tables they depend on. No caching while no write
    has bumped it (version 0: the triggers are not installed)."""
    version = data_version("proposals")
    if not version or not _is_board_office(user):  # a leader's few items are counted afresh
        return None
    return f"proposal-board:{version}:{today:%Y%m%d}:{user.jurisdiction.path}:{form.query()}"


@require_safe
@never_cache
@role_required(roles.SUPERVISOR, roles.STAFF, roles.MEMBER)
def board(request):
    base = _board_proposals(request.user)
    form = BoardFilterForm(request.GET or None, user=request.user)
    scope = selectors.board_scope(base, **form.filters())
    today = timezone.localdate()
    cache_key = _cache_key(request.user, form, today)
    # Built only when the template needs them: on a hit of the page's cache, not at all.
    figures = SimpleLazyObject(lambda: selectors.board(scope, today=today, cache_key=cache_key))
    return render(request, "proposals/board.html", {
        "form": form, "board": figures, "query": form.query(), "due_soon_days": selectors.DUE_SOON_DAYS,
        # What 20 supervisors opening the board at once mostly cost is rendering ~1,000 links and the filter
        # form, not counting: the rendered body is cached under the same key, the language and the query.
        "page_cache_key": f"{cache_key}:{get_language()}:{request.GET.urlencode()}" if cache_key else None})


@require_safe
@never_cache
@role_required(roles.SUPERVISOR, roles.STAFF, roles.MEMBER)
def board_export(request):
    """The board's figures as an Excel workbook, with the page's filters and scope (audited); a leader's covers
    the items they lead, as their board does."""
    base = _board_proposals(request.user)
    form = BoardFilterForm(request.GET or None, user=request.user)
    scope = selectors.board_scope(base, **form.filters())
    figures = selectors.board(scope, today=timezone.localdate())
    title = _("Supervision board · %(name)s") % {"name": request.user.jurisdiction.name}
    content = excel.board_workbook(figures, title=_titled(title, form))
    audit_event(request=request, action=AuditEvent.Action.EXPORT,
                detail=f"proposal board: {request.GET.urlencode()}"[:500])
    return xlsx_response(content, filename=f"proposal-board-{timezone.localtime():%Y%m%d-%H%M}.xlsx")


def _titled(title: str, form) -> str:
    """``title`` followed by the filters applied, as the board's filter shows them."""
    filters = form.filters()
    parts = [str(filters["session"])] if filters.get("session") else []
    if filters.get("year"):
        parts.append(str(filters["year"]))
    if filters.get("kind"):
        parts.append(str(dict(Kind.choices)[filters["kind"]]))
    return " · ".join([title, *parts])


def _board_items(request, base):
    """The drill-down's form, and the items of ``base`` it names (None when the link is not valid)."""
    form = BoardItemsForm(request.GET, user=request.user)
    if not form.is_valid():
        return form, None, None, None
    data = form.cleaned_data
    unit = category = None
    if data.get("unit"):
        unit = HandlingUnit.objects.filter(pk=data["unit"]).first()
        if unit is None:
            raise Http404
    if isinstance(data.get("category"), int):
        category = Category.objects.filter(pk=data["category"]).first()
        if category is None:
            raise Http404
    scope = selectors.board_scope(base, **form.filters())
    items = selectors.figure_items(scope, figure=data["figure"], today=timezone.localdate(),
                                   unit_id=unit.pk if unit else None, category=form.category_line())
    return form, items, unit, category


@require_safe
@never_cache
@role_required(roles.SUPERVISOR, roles.STAFF, roles.MEMBER)
def board_items_export(request):
    """The items behind one figure as an Excel workbook: the drill-down's rows, all pages (audited)."""
    form, items, unit, category = _board_items(request, _board_proposals(request.user))
    if items is None:
        return render(request, "proposals/board_items.html", {"form": form, "page": None}, status=400)
    data = form.cleaned_data
    parts = [str(selectors.FIGURES[data["figure"]].label)]
    if unit:
        parts.append(unit.name)
    if category:
        parts.append(category.name)
    elif data.get("category") == "none":
        parts.append(str(_("No category")))
    content = excel.board_items_workbook(items, title=" · ".join(parts))
    audit_event(request=request, action=AuditEvent.Action.EXPORT,
                detail=f"proposal board items: {request.GET.urlencode()}"[:500])
    return xlsx_response(content, filename=f"proposal-board-items-{timezone.localtime():%Y%m%d-%H%M}.xlsx")


@require_safe
@never_cache
@role_required(roles.SUPERVISOR, roles.STAFF, roles.MEMBER)
def board_items(request):
    """The items one figure of the board counts (of one unit's or category's line when the link says so)."""
    form, items, unit, category = _board_items(request, _board_proposals(request.user))
    if items is None:
        return render(request, "proposals/board_items.html", {"form": form, "page": None}, status=400)
    data = form.cleaned_data
    page, query = page_with_query(request, items, PAGE_SIZE)
    return render(request, "proposals/board_items.html", {"today": timezone.localdate(),
        "form": form, "page": page, "query": query, "figure": selectors.FIGURES[data["figure"]], "unit": unit,
        "category": category, "no_category": data.get("category") == "none", "board_query": form.query(),
        "item_url_name": _item_url_name(request.user)})


@require_safe
@never_cache
@role_required(roles.SUPERVISOR, roles.STAFF, roles.MEMBER)
def board_co_units(request):
    """The co-units that have not signed for an item of the board's scope (the board's figure opens it); a
    leader's board counts the items they lead, and so does this list."""
    base = _board_proposals(request.user)
    form = BoardFilterForm(request.GET or None, user=request.user)
    scope = selectors.board_scope(base, **form.filters())
    page, query = page_with_query(request, selectors.unsigned_co_rows(scope), PAGE_SIZE)
    return render(request, "proposals/board_co_units.html", {
        "form": form, "page": page, "query": query, "today": timezone.localdate(), "board_query": form.query(),
        "item_url_name": _item_url_name(request.user)})
