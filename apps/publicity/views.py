"""The publicity records: the office's list with the year's counts by kind, the entry form, a record's page, the
list as Excel. Staff write, supervisors read, within their jurisdiction; other roles get 403."""

import mimetypes

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from apps.core.access import office_required, permission_required
from apps.core.excel import simple_workbook, xlsx_response
from apps.core.web import file_download, page_with_query, submit_form
from apps.publicity import selectors, services
from apps.publicity.forms import PublicityItemForm, YearForm

VIEW = "publicity.view_publicityitem"


def _filters(request) -> tuple[int, str]:
    form = YearForm(request.GET or None)
    year, kind = timezone.localdate().year, ""
    if form.is_valid():
        year = form.cleaned_data["year"] or year
        kind = form.cleaned_data["kind"] or ""
    return year, kind


def _year_items(request):
    year, kind = _filters(request)
    qs = selectors.items_of_year(selectors.visible_items(request.user), year)
    if kind:
        qs = qs.filter(kind=kind)
    return year, kind, selectors.item_rows(qs)


@require_safe
@never_cache
@permission_required(VIEW)
@office_required
def item_list(request):
    year, kind, qs = _year_items(request)
    counts = selectors.yearly_counts(selectors.visible_items(request.user), year)
    page, query = page_with_query(request, qs, 30)
    return render(request, "publicity/item_list.html", {
        "page": page, "query": query, "year": year, "kind": kind, "counts": counts,
        "counts_text": selectors.counts_text(counts)})


@never_cache
@permission_required("publicity.add_publicityitem")
@office_required
def item_create(request):
    form = PublicityItemForm(request.POST or None, request.FILES or None, user=request.user,
                             initial={"jurisdiction": request.user.jurisdiction_id})
    if response := submit_form(request, form,
                               lambda data: services.item_create(user=request.user, **form.service_data()),
                               message=_("The publicity record was added."),
                               done=lambda item: redirect("publicity:item_detail", pk=item.pk)):
        return response
    return render(request, "publicity/item_form.html", {"form": form})


@require_safe
@never_cache
@permission_required(VIEW)
@office_required
def item_detail(request, pk):
    user = request.user
    return render(request, "publicity/item_detail.html", {
        "item": selectors.item_for_user(user, pk), "can_edit": user.has_perm("publicity.change_publicityitem"),
        "can_delete": user.has_perm("publicity.delete_publicityitem")})


@never_cache
@permission_required("publicity.change_publicityitem")
@office_required
def item_edit(request, pk):
    item = selectors.item_for_user(request.user, pk)
    form = PublicityItemForm(request.POST or None, request.FILES or None, user=request.user,
                             initial=PublicityItemForm.initial_of(item))
    if response := submit_form(request, form,
                               lambda data: services.item_update(user=request.user, item=item,
                                                                 **form.service_data()),
                               message=_("The publicity record was saved."),
                               done=lambda item: redirect("publicity:item_detail", pk=item.pk)):
        return response
    return render(request, "publicity/item_form.html", {"form": form, "item": item})


@require_POST
@permission_required("publicity.delete_publicityitem")
@office_required
def item_delete(request, pk):
    item = selectors.item_for_user(request.user, pk)
    services.item_delete(user=request.user, item=item)
    messages.success(request, _("The publicity record “%(title)s” was deleted.") % {"title": item.title})
    return redirect(f"{reverse('publicity:item_list')}?year={item.date.year}")


@require_safe
@never_cache
@permission_required(VIEW)
@office_required
def item_attachment(request, pk):
    item = selectors.item_for_user(request.user, pk)
    if not item.attachment:
        raise Http404
    name = item.attachment.name.rsplit("/", 1)[-1]
    return file_download(item.attachment.open("rb"), filename=name,
                         content_type=mimetypes.guess_type(name)[0] or "application/octet-stream")


@require_safe
@permission_required(VIEW)
@office_required
def item_export(request):
    year, kind, qs = _year_items(request)
    headers = [_("Kind"), _("Date"), _("Outlet"), _("Title"), _("Issue number"), _("Link"), _("Featured deputies"),
               _("Featured activities")]
    rows = ([item.get_kind_display(), item.date, item.outlet, item.title, item.issue_number, item.url,
             "、".join(p.name for p in item.deputies.all()), "、".join(a.title for a in item.activities.all())]
            for item in qs)
    content = simple_workbook(_("Publicity %(year)s") % {"year": year}, headers, rows,
                              widths=(14, 12, 20, 40, 10, 30, 30, 30), number_formats={1: "yyyy-mm-dd"})
    return xlsx_response(content, filename=_("Publicity %(year)s") % {"year": year} + ".xlsx")
