"""Materials pages (知情知政). Thin: check access, call a selector or a service, render.

Deputies read what their serving mandates' level and jurisdiction may; the office (staff and supervisors with
``materials.view_document``) reads its jurisdiction and below; staff add, change and delete there. A document
outside the user's scope is a 404; a page the role does not open is a 403.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from apps.core.access import office_required, permission_required
from apps.core.excel import simple_workbook, xlsx_response
from apps.core.models import AuditEvent
from apps.core.services import audit_event
from apps.core.web import file_download, page_with_query, submit_form
from apps.materials import selectors, services
from apps.materials.forms import DocumentFilterForm, DocumentForm, PackForm

PAGE_SIZE = 30


def _reader_required(view):
    def wrapped(request, *args, **kwargs):
        if not selectors.may_read(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__, wrapped.__doc__ = view.__name__, view.__doc__
    return wrapped


def _filtered(request):
    filters = DocumentFilterForm(request.GET or None, packs=selectors.visible_packs(request.user))
    data = filters.cleaned_data if filters.is_valid() else {}
    qs = selectors.document_rows(selectors.visible_documents(request.user), q=data.get("q", ""),
                                 category=data.get("category", ""), pack=data.get("pack"))
    return filters, qs


@require_safe
@never_cache
@_reader_required
def document_list(request):
    filters, qs = _filtered(request)
    page, query = page_with_query(request, qs, PAGE_SIZE)
    return render(request, "materials/document_list.html", {
        "filters": filters, "page": page, "query": query,
        "is_office": selectors.is_materials_office(request.user)})


@require_safe
@never_cache
@permission_required("materials.view_document")
@office_required
def document_export(request):
    _filters, qs = _filtered(request)
    rows = [(d.title, d.get_category_display(), "、".join(d.tags), d.get_level_display() or _("All levels"),
             d.jurisdiction.name, d.pack.title if d.pack else "", d.original_name, d.uploaded_at.date())
            for d in qs]
    content = simple_workbook(_("Materials library"), [_("Title"), _("Category"), _("Tags"), _("Level"), _("Jurisdiction"),
                                               _("Document pack"), _("File name"), _("Uploaded at")], rows)
    audit_event(request=request, action=AuditEvent.Action.EXPORT, detail=f"materials: {len(rows)}")
    return xlsx_response(content, filename="materials.xlsx")


@never_cache
@permission_required("materials.add_document")
@office_required
def document_create(request):
    form = DocumentForm(request.POST or None, request.FILES or None, user=request.user)
    if response := submit_form(
            request, form, lambda data: services.document_create(user=request.user, **data),
            message=_("The document was saved."), done=lambda _doc: redirect("materials:document_list")):
        return response
    return render(request, "materials/document_form.html", {"form": form})


@never_cache
@permission_required("materials.change_document")
@office_required
def document_edit(request, pk):
    document = selectors.editable_document(request.user, pk)
    form = DocumentForm(request.POST or None, request.FILES or None, user=request.user, document=document)
    if response := submit_form(
            request, form, lambda data: services.document_update(user=request.user, document=document, **data),
            message=_("The changes were saved."), done=lambda _doc: redirect("materials:document_list")):
        return response
    return render(request, "materials/document_form.html", {"form": form, "document": document})


@require_POST
@permission_required("materials.delete_document")
@office_required
def document_delete(request, pk):
    document = selectors.editable_document(request.user, pk)
    services.document_delete(document=document)
    messages.success(request, _("The document was deleted."))
    return redirect("materials:document_list")


@require_safe
@_reader_required
def document_download(request, pk):
    document = selectors.document_for_user(request.user, pk)
    services.document_download_record(request=request, document=document)
    return file_download(document.file.open("rb"), filename=document.original_name,
                         content_type=document.content_type)


@never_cache
@permission_required("materials.add_documentpack")
@office_required
def pack_create(request):
    form = PackForm(request.POST or None, user=request.user)
    if response := submit_form(
            request, form, lambda data: services.pack_create(user=request.user, **data),
            message=_("The document pack was saved."),
            done=lambda pack: redirect(f"{_list_url()}?pack={pack.pk}")):
        return response
    return render(request, "materials/pack_form.html", {"form": form})


def _list_url():
    from django.urls import reverse

    return reverse("materials:document_list")
