"""The annual reports pages (/reports/): the batches of the user's jurisdiction and below, starting one, its
progress (polled by htmx), and the downloads (audited). Thin: check access, call a selector or service, render.

Staff and supervisors open them (403 for any other role); only staff start or restart a batch. A batch
outside the user's jurisdiction is a 404.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from apps.core import roles
from apps.core.access import role_required
from apps.core.excel import XLSX_CONTENT_TYPE
from apps.core.models import AuditEvent
from apps.core.selectors import worker_state
from apps.core.services import audit_event
from apps.core.web import file_download as stored_file_download
from apps.core.web import page_with_query
from apps.reports import access, selectors, services
from apps.reports.forms import BatchStartForm
from apps.reports.models import ReportFile

PAGE_SIZE = 20
QUEUED_NOTE_AFTER_SECONDS = 60  # a batch queued longer, with no worker's heartbeat recently, says so
ZIP = "application/zip"
CONTENT_TYPES = {ReportFile.Kind.DEPUTY_PDF: "application/pdf", ReportFile.Kind.NOTICE_PDF: "application/pdf",
                 ReportFile.Kind.SUMMARY_XLSX: XLSX_CONTENT_TYPE, ReportFile.Kind.NOTICE_XLSX: XLSX_CONTENT_TYPE}


def _require_starter(user) -> None:
    if not access.can_start(user):
        raise PermissionDenied


def _list_page(request, form, status=200):
    shown = request.GET.get("status", "")
    shown = shown if shown in selectors.STATUS_FILTERS else ""
    batches = selectors.batch_list(access.office_batches(request.user), status=shown)
    page, query = page_with_query(request, batches, PAGE_SIZE)
    return render(request, "reports/batch_list.html", {
        "page": page, "query": query, "form": form, "can_start": access.can_start(request.user),
        "status": shown}, status=status)


@require_safe
@never_cache
@access.office_required
def batch_list(request):
    form = BatchStartForm(user=request.user) if access.can_start(request.user) else None
    return _list_page(request, form)


@require_POST
@never_cache
@role_required(roles.STAFF)
def batch_start(request):
    _require_starter(request.user)
    form = BatchStartForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            batch = services.batch_start(user=request.user, year=data["year"], jurisdiction=data["jurisdiction"],
                                         level=data["level"] or None)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, _("The batch is queued: its progress is shown below."))
            return redirect("reports:batch_detail", pk=batch.pk)
    return _list_page(request, form, status=400)


def _detail_context(request, batch) -> dict:
    queued_a_while = (batch.status == batch.Status.QUEUED
                      and timezone.now() - batch.created_at > datetime.timedelta(seconds=QUEUED_NOTE_AFTER_SECONDS))
    return {"batch": batch, "waiting_for_queue": selectors.waits_in_outbox(batch),
            "no_worker": queued_a_while and worker_state() != "ok", "can_start": access.can_start(request.user)}


@require_safe
@never_cache
@access.office_required
def batch_detail(request, pk):
    batch = access.batch_for_user(request.user, pk)
    files = selectors.batch_files(batch) if batch.is_finished else None
    page, query = page_with_query(request, files, 100) if files is not None else (None, "")
    return render(request, "reports/batch_detail.html", {**_detail_context(request, batch), "page": page,
                                                          "query": query})


@require_safe
@never_cache
@access.office_required
def batch_progress(request, pk):
    """The progress fragment the detail page polls every 2 seconds until the batch is finished."""
    batch = access.batch_for_user(request.user, pk)
    response = render(request, "reports/fragment_progress.html", _detail_context(request, batch))
    if batch.is_finished and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"  # the page then lists the files and offers the zip
    return response


@require_POST
@never_cache
@role_required(roles.STAFF)
def batch_restart(request, pk):
    _require_starter(request.user)
    batch = access.batch_for_user(request.user, pk)
    try:
        services.batch_restart(user=request.user, batch=batch)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The batch is queued again: the missing files will be made."))
    return redirect("reports:batch_detail", pk=batch.pk)


@require_safe
@never_cache
@access.office_required
def batch_download(request, pk):
    """The zip of a finished batch (audited)."""
    batch = access.batch_for_user(request.user, pk)
    if batch.status != batch.Status.DONE or not batch.zip_file:
        raise Http404
    try:
        handle = batch.zip_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    audit_event(request=request, action=AuditEvent.Action.DOWNLOAD, obj=batch,
                detail=f"reports zip: {batch.year} {batch.jurisdiction.name} {batch.level or '*'}")
    filename = _("Annual reports %(year)s %(jurisdiction)s") % {"year": batch.year,
                                                                "jurisdiction": batch.jurisdiction.name}
    return stored_file_download(handle, filename=f"{filename}.zip", content_type=ZIP)


@require_safe
@never_cache
@access.office_required
def file_download(request, pk, file_pk):
    """One file of a batch (audited)."""
    batch = access.batch_for_user(request.user, pk)
    report = access.file_for_user(request.user, batch, file_pk)
    try:
        handle = report.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    audit_event(request=request, action=AuditEvent.Action.DOWNLOAD, obj=report,
                detail=f"reports file: batch {batch.pk} {report.kind} {report.mandate_id or ''}".strip())
    return stored_file_download(handle, filename=report.zip_name.rsplit("/", 1)[-1],
                                content_type=CONTENT_TYPES[report.kind])
