"""The yearly flags of the members and the notice (通报) that lists them: draft, edit, publish, download.

Staff and supervisors of the jurisdiction (or above it) read; only staff draft and publish. A published notice
is frozen (an edit is refused with a message). Downloads are audited.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from apps.core.models import AuditEvent
from apps.core.services import audit_event
from apps.core.excel import XLSX_CONTENT_TYPE
from apps.core.web import download_response, page_with_query, submit_form
from apps.covenant import access, exports, rules, selectors, services
from apps.covenant.forms import NoticeCreateForm, NoticeEditForm, YearFilterForm

PAGE_SIZE = 30


@require_safe
@never_cache
@access.office_required
def flags(request):
    """Every member's year under the covenant, the flagged first marked."""
    filters = YearFilterForm(request.GET or None, user=request.user)
    jurisdiction, year = filters.chosen()
    rows = selectors.member_flags(jurisdiction, year)
    only_flagged = request.GET.get("flagged") == "1"
    shown = [r for r in rows if r.flagged] if only_flagged else rows
    return render(request, "covenant/flags.html", {
        "filters": filters, "jurisdiction": jurisdiction, "year": year, "rows": shown,
        "flagged_count": sum(1 for r in rows if r.flagged), "total": len(rows), "only_flagged": only_flagged,
        "notice": selectors.notice_for(jurisdiction, year), "rule_texts": rules.explanations(),
        "can_write": access.can_write(request.user, "covenantnotice")})


@require_safe
@never_cache
@access.office_required
def notice_list(request):
    page, query = page_with_query(request, selectors.notice_list_rows(access.office_notices(request.user)),
                                  PAGE_SIZE)
    return render(request, "covenant/notice_list.html", {
        "page": page, "query": query, "can_write": access.can_write(request.user, "covenantnotice")})


@never_cache
@access.writer_required("covenantnotice")
def notice_create(request):
    initial = {}
    if request.method == "GET":
        # "Draft the notice" from the flags page brings its year and committee.
        filters = YearFilterForm(request.GET or None, user=request.user)
        jurisdiction, year = filters.chosen()
        initial = {"jurisdiction": jurisdiction.pk if jurisdiction else None, "year": year}
    form = NoticeCreateForm(request.POST or None, user=request.user, **({"initial": initial} if initial else {}))
    if response := submit_form(
            request, form, lambda data: services.notice_create(user=request.user, **data),
            message=_("The draft notice was saved. Check the members it lists, then publish it."),
            done=lambda notice: redirect("covenant:notice_detail", pk=notice.pk)):
        return response
    return render(request, "covenant/notice_form.html", {"form": form, "notice": None})


@require_safe
@never_cache
@access.office_required
def notice_detail(request, pk):
    notice = access.notice_for_office(request.user, pk)
    return render(request, "covenant/notice_detail.html", {
        "notice": notice, "rows": selectors.notice_rows(notice, notice.jurisdiction, notice.year),
        "rule_texts": rules.explanations(), "can_write": access.can_write(request.user, "covenantnotice")})


@never_cache
@access.writer_required("covenantnotice")
def notice_edit(request, pk):
    notice = access.notice_for_office(request.user, pk)
    if notice.is_published:
        messages.error(request, _("The notice is published and can no longer be changed."))
        return redirect("covenant:notice_detail", pk=notice.pk)
    form = NoticeEditForm(request.POST or None, initial={"title": notice.title, "text": notice.text})
    if response := submit_form(
            request, form, lambda data: services.notice_update(notice=notice, user=request.user, **data),
            message=_("The draft notice was saved."),
            done=lambda _result: redirect("covenant:notice_detail", pk=notice.pk)):
        return response
    return render(request, "covenant/notice_form.html", {"form": form, "notice": notice})


@require_POST
@never_cache
@access.writer_required("covenantnotice")
def notice_publish(request, pk):
    notice = access.notice_for_office(request.user, pk)
    try:
        services.notice_publish(notice=notice, user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The notice was published; the members it lists are now fixed."))
    return redirect("covenant:notice_detail", pk=notice.pk)


def _download(request, notice, content: bytes, content_type: str, extension: str) -> HttpResponse:
    audit_event(request=request, action=AuditEvent.Action.EXPORT, obj=notice,
                detail=f"covenant notice {notice.jurisdiction.code} {notice.year} ({extension})")
    return download_response(content, filename=f"covenant-notice-{notice.year}.{extension}",
                             content_type=content_type)


@require_safe
@never_cache
@access.office_required
def notice_xlsx(request, pk):
    notice = access.notice_for_office(request.user, pk)
    return _download(request, notice, exports.notice_xlsx(notice.jurisdiction, notice.year), XLSX_CONTENT_TYPE,
                     "xlsx")


@require_safe
@never_cache
@access.office_required
def notice_pdf(request, pk):
    notice = access.notice_for_office(request.user, pk)
    return _download(request, notice, exports.notice_pdf(notice.jurisdiction, notice.year), "application/pdf",
                     "pdf")
