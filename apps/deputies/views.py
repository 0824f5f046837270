"""Roster pages. Thin: check access, call a selector or a service, render."""

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language, gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from apps.core import locking, roles
from apps.core.access import permission_required, roster_required, sees_roster
from apps.core.excel import xlsx_response
from apps.core.models import AuditEvent
from apps.core.selectors import data_version
from apps.core.services import audit_event
from apps.deputies import excel, selectors, services
from apps.deputies.filters import RosterFilter
from apps.deputies.forms import MandateEndForm, MandateForm, PersonForm, RosterImportForm
from apps.deputies.models import Mandate



def _require_roster_or_deputy(user):
    """Roster roles open records in their scope, a deputy their own; other roles may not open a record page."""
    if not (sees_roster(user) or user.has_role(roles.DEPUTY)):
        raise PermissionDenied


def _roster_filter(request, options):
    """The roster's filters; ``_roster_queryset`` applies them within the user's scope."""
    return RosterFilter(request.GET or None, queryset=Mandate.objects.all(), options=options)


def _roster_queryset(request, roster, options):
    jurisdiction_ids = [pk for pk, _name in options["jurisdiction"]]
    return selectors.visible_mandates(request.user, jurisdiction_ids=jurisdiction_ids, queryset=roster.qs)


@require_safe
@never_cache
@roster_required
def roster_list(request):
    """The roster: one row per mandate, filtered, searched, sorted and paginated."""
    # What the list shows depends only on the roster data, the user's scope, the language and the query:
    # it is cached under the roster's data version, which every committed write bumps (core.DataVersion).
    version = data_version("roster")
    scope = request.user.jurisdiction.path
    # The page's body (filters and table) is cached too: on a hit, neither the options, nor the filters, nor
    # the rows are built (each is read or built only when a template part that needs it is rendered).
    options = SimpleLazyObject(lambda: cache.get_or_set(f"roster-options:{version}:{scope}",
                                                        lambda: selectors.filter_options(request.user), 600))
    roster = SimpleLazyObject(lambda: _roster_filter(request, options))
    # Built and read only on a cache miss: the cached fragment is all that needs them.
    page = SimpleLazyObject(lambda: Paginator(
        selectors.roster_rows(_roster_queryset(request, roster, options)), settings.ROSTER_PAGE_SIZE,
    ).get_page(request.GET.get("page")))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": roster,
        "page": page,
        "options": options,
        "table_cache_key": f"{version}:{scope}:{get_language()}:{request.GET.urlencode()}",
        "query": query.urlencode(),
        "can_add": request.user.has_perm("deputies.add_person"),
        "can_import": request.user.has_perm("deputies.import_roster"),
        "can_export": request.user.has_perm("deputies.export_roster"),
    }
    template = "deputies/fragment_roster_table.html" if request.htmx else "deputies/roster_list.html"
    return render(request, template, context)


@require_safe
@never_cache
def person_detail(request, pk):
    _require_roster_or_deputy(request.user)
    person = selectors.person_for_user(request.user, pk)
    # A deputy of a higher congress elected in the office's area is read-only to it: no edit, no reveal.
    managed = person.managed
    return render(request, "deputies/person_detail.html", {
        "person": person,
        "revealed": False,
        "can_reveal": managed and request.user.has_perm("deputies.view_personal_data"),
        "can_edit": managed and request.user.has_perm("deputies.change_person"),
        "can_history": managed and request.user.has_perm("deputies.view_history"),
        "read_only": sees_roster(request.user) and not managed,
    })


@require_safe
def person_photo(request, pk):
    """The photo, served only to users who may see the person (uploads are not under the web root)."""
    _require_roster_or_deputy(request.user)
    person = selectors.person_for_user(request.user, pk)
    if not person.photo:
        raise Http404
    response = FileResponse(person.photo.open("rb"))
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_POST
@never_cache
@permission_required("deputies.view_personal_data")
def person_reveal(request, pk):
    """Show the unmasked ID number and phone, and record that they were seen."""
    person = selectors.person_for_user(request.user, pk, managed=True)
    audit_event(request=request, action=AuditEvent.Action.VIEW_PERSONAL_DATA, obj=person,
                detail="id_number, phone")
    return render(request, "deputies/person_detail.html", {
        "person": person, "revealed": True, "can_reveal": True,
        "can_edit": request.user.has_perm("deputies.change_person"),
        "can_history": request.user.has_perm("deputies.view_history"),
    })


@never_cache
@permission_required("deputies.add_person")
@roster_required
def person_create(request):
    person_form = PersonForm(request.POST or None, request.FILES or None)
    mandate_form = MandateForm(request.POST or None, scope_path=request.user.jurisdiction.path, prefix="m")
    mandate_form.helper.form_tag = False
    mandate_form.helper.inputs = []
    if request.method == "POST" and person_form.is_valid() and mandate_form.is_valid():
        try:
            person = services.person_create_with_mandate(person_data=person_form.cleaned_data,
                                                             mandate_data=mandate_form.cleaned_data)
        except ValidationError as exc:
            person_form.add_error(None, exc)
        else:
            messages.success(request, _("%(name)s was added to the roster.") % {"name": person.name})
            return redirect("deputies:person_detail", pk=person.pk)
    return render(request, "deputies/person_form.html", {"form": person_form, "mandate_form": mandate_form})


@never_cache
@permission_required("deputies.change_person")
@roster_required
def person_edit(request, pk):
    person = selectors.person_for_user(request.user, pk, managed=True)
    show = request.user.has_perm("deputies.view_personal_data")
    form = PersonForm(request.POST or None, request.FILES or None, instance=person, show_personal_data=show)
    changed_since = None
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.person_update(person=person, data=data, version=form.cleaned_data.get("version"))
        except locking.StaleObjectError as exc:
            # Someone saved first: keep this input, show what the record holds now, carry its version.
            form.add_error(None, exc)
            current = selectors.person_for_user(request.user, pk, managed=True)
            locking.form_with_current_version(form, current.version)
            masked = {} if show else {"id_number": current.masked_id_number, "phone": current.masked_phone}
            changed_since = locking.current_differences(form, current, masked=masked)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("deputies:person_detail", pk=person.pk)
    elif request.method == "GET" and show:
        audit_event(request=request, action=AuditEvent.Action.VIEW_PERSONAL_DATA, obj=person,
                    detail="edit form")
    return render(request, "deputies/person_form.html",
                  {"form": form, "person": person, "changed_since": changed_since})


@never_cache
@permission_required("deputies.add_mandate")
@roster_required
def mandate_add(request, pk):
    person = selectors.person_for_user(request.user, pk, managed=True)
    form = MandateForm(request.POST or None, scope_path=request.user.jurisdiction.path)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.mandate_create(person=person, term=data.pop("term"), start_date=data.pop("start_date"), **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The mandate was added."))
            return redirect("deputies:person_detail", pk=person.pk)
    return render(request, "deputies/mandate_form.html", {"form": form, "person": person})


@never_cache
@permission_required("deputies.change_mandate")
def mandate_edit(request, pk):
    mandate = selectors.mandate_for_user(request.user, pk)
    form = MandateForm(request.POST or None, instance=mandate, scope_path=request.user.jurisdiction.path)
    if request.method == "POST" and form.is_valid():
        try:
            services.mandate_update(mandate=mandate, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("deputies:person_detail", pk=mandate.person_id)
    return render(request, "deputies/mandate_form.html", {"form": form, "person": mandate.person,
                                                          "mandate": mandate})


@never_cache
@permission_required("deputies.change_mandate")
def mandate_end(request, pk):
    mandate = selectors.mandate_for_user(request.user, pk)
    form = MandateEndForm(request.POST or None, mandate=mandate,
                          initial={"end_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.mandate_end(mandate=mandate, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The mandate has ended."))
            return redirect("deputies:person_detail", pk=mandate.person_id)
    return render(request, "deputies/mandate_end.html", {"form": form, "mandate": mandate,
                                                         "person": mandate.person})


@require_safe
@never_cache
@permission_required("deputies.view_history")
def person_history(request, pk):
    """Who changed what and when, for the person and each of their mandates."""
    person = selectors.person_for_user(request.user, pk, managed=True)
    return render(request, "deputies/person_history.html", {
        "person": person, "entries": selectors.history_for_person(person)})


@require_safe
@permission_required("deputies.export_roster")
@roster_required
def roster_export(request):
    options = selectors.filter_options(request.user)
    roster = _roster_filter(request, options)
    unmasked = request.GET.get("unmasked") == "1" and request.user.has_perm("deputies.export_personal_data")
    rows = selectors.export_rows(_roster_queryset(request, roster, options))
    content = excel.export_roster(rows, unmasked=unmasked, managed_path=request.user.jurisdiction.path)
    audit_event(request=request, action=AuditEvent.Action.EXPORT,
                detail=f"roster {'unmasked' if unmasked else 'masked'}: {request.GET.urlencode()}"[:500])
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return xlsx_response(content, filename=f"roster-{stamp}.xlsx")


@require_safe
@permission_required("deputies.import_roster")
@roster_required
def roster_template(request):
    return xlsx_response(excel.build_template(request.user), filename="roster-template.xlsx")


@never_cache
@permission_required("deputies.import_roster")
@roster_required
def roster_import(request):
    """Upload a roster workbook; if any row is bad nothing is written and every bad cell is listed."""
    form = RosterImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = excel.import_roster(file=form.cleaned_data["file"], user=request.user)
        audit_event(request=request, action=AuditEvent.Action.IMPORT, success=result.ok,
                    detail=result.summary())
        if result.ok:
            messages.success(request, result.summary())
            return redirect("deputies:roster_list")
    return render(request, "deputies/roster_import.html", {"form": form, "result": result})
