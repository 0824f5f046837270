"""The three administrators' pages (三员分立), each open to one role only:

- system administrator (sysadmin): accounts — list, create with a temporary password, edit, deactivate;
- security administrator (secadmin): roles of each account, the security policy in force (and the login locks,
  in views.py);
- audit administrator (auditor): the audit log, searched and exported.

None of these pages shows business data, and no administrator reaches another's page.
"""

import csv
import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from apps.accounts import selectors_admin, services_admin
from apps.accounts.forms_admin import AccountFilterForm, AccountForm, AuditFilterForm, RolesForm, action_label
from apps.accounts.models import User
from apps.core import roles
from apps.core.access import role_required
from apps.core.audit import detail_label, object_type_label
from apps.core.excel import CSV_CONTENT_TYPE, escape_text, simple_workbook, xlsx_response
from apps.core.models import AuditEvent
from apps.core.services import audit_event
from apps.core.web import download_response

PAGE_SIZE = 50
EXPORT_LIMIT = 100_000


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- system administrator: accounts -----------------------------------------------------------------------------

@require_safe
@role_required(roles.SYSADMIN)
def account_list(request):
    form = AccountFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = _page(request, selectors_admin.accounts(**filters))
    rows = [(account, selectors_admin.role_names(account)) for account in page.object_list]
    return render(request, "accounts/admin_account_list.html", {
        "form": form, "page": page, "rows": rows, "query": _query_without_page(request),
        "role_labels": roles.ROLE_LABELS})


@never_cache
@require_http_methods(["GET", "POST"])
@role_required(roles.SYSADMIN)
def account_create(request):
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = services_admin.account_create(
                user=request.user, request=request, username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"], **form.account_fields())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The account %(username)s was created. Its password must be changed at "
                                        "the first login.") % {"username": account.username})
            return redirect("accounts:account_list")
    return render(request, "accounts/admin_account_form.html", {"form": form, "account": None})


@never_cache
@require_http_methods(["GET", "POST"])
@role_required(roles.SYSADMIN)
def account_edit(request, pk: int):
    account = get_object_or_404(User, pk=pk)
    form = AccountForm(request.POST or None, instance=account)
    if request.method == "POST" and form.is_valid():
        try:
            account = services_admin.account_update(
                user=request.user, account=account, request=request,
                password=form.cleaned_data.get("password1") or "", **form.account_fields())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The account %(username)s was saved.") % {"username": account.username})
            return redirect("accounts:account_list")
    return render(request, "accounts/admin_account_form.html", {"form": form, "account": account})


def _set_active(request, pk: int, active: bool):
    account = get_object_or_404(User, pk=pk)
    try:
        services_admin.account_set_active(user=request.user, account=account, active=active, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, (_("The account %(username)s was reactivated.") if active else
                                   _("The account %(username)s was deactivated.")) % {"username": account.username})
    return redirect("accounts:account_list")


@require_POST
@role_required(roles.SYSADMIN)
def account_deactivate(request, pk: int):
    return _set_active(request, pk, False)


@require_POST
@role_required(roles.SYSADMIN)
def account_reactivate(request, pk: int):
    return _set_active(request, pk, True)


# --- security administrator: roles and policy -------------------------------------------------------------------

@require_safe
@role_required(roles.SECADMIN)
def role_list(request):
    form = AccountFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = _page(request, selectors_admin.accounts(**filters))
    rows = [(account, selectors_admin.role_names(account)) for account in page.object_list]
    return render(request, "accounts/admin_role_list.html", {
        "form": form, "page": page, "rows": rows, "query": _query_without_page(request),
        "role_labels": roles.ROLE_LABELS})


@never_cache
@require_http_methods(["GET", "POST"])
@role_required(roles.SECADMIN)
def role_edit(request, pk: int):
    account = get_object_or_404(User, pk=pk)
    current = selectors_admin.role_names(account)
    form = RolesForm(request.POST or None, initial={"roles": current})
    if request.method == "POST" and form.is_valid():
        try:
            added, removed = services_admin.account_roles_set(
                user=request.user, account=account, role_names=form.cleaned_data["roles"], request=request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if added or removed:
                messages.success(request, _("The roles of %(username)s were changed.") % {"username": account.username})
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("accounts:role_list")
    return render(request, "accounts/admin_role_form.html", {
        "form": form, "account": account, "current": [roles.ROLE_LABELS[r] for r in current]})


@require_safe
@role_required(roles.SECADMIN)
def security_policy(request):
    return render(request, "accounts/admin_security_policy.html", {"policy": dict(selectors_admin.security_policy())})


# --- audit administrator: the audit log -------------------------------------------------------------------------

def _audit_queryset(request):
    form = AuditFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return form, selectors_admin.audit_events().none()
    return form, selectors_admin.audit_events(**(form.filters() if request.GET else {}))


@require_safe
@role_required(roles.AUDITOR)
def audit_list(request):
    """The audit log, newest first, searched by time, user, action, object, outcome and client address."""
    form, events = _audit_queryset(request)
    page = _page(request, events.only("id", "created_at", "username", "ip_address", "action", "object_type",
                                      "object_id", "detail", "success"))
    rows = [(event, action_label(event.action), object_type_label(event.object_type),
             detail_label(event.object_type, event.detail)) for event in page.object_list]
    return render(request, "accounts/audit_list.html", {
        "form": form, "page": page, "rows": rows, "query": _query_without_page(request)})


EXPORT_COLUMNS = [gettext_lazy("Time"), gettext_lazy("User"), gettext_lazy("Client address"), gettext_lazy("Action"),
                  gettext_lazy("Object type"), gettext_lazy("Object id"), gettext_lazy("Outcome"),
                  gettext_lazy("Detail")]


def _export_rows(events):
    for event in events.iterator(chunk_size=2000):
        yield [timezone.localtime(event.created_at).strftime("%Y-%m-%d %H:%M:%S"), event.username,
               event.ip_address or "", action_label(event.action), event.object_type, event.object_id,
               _("Succeeded") if event.success else _("Failed"), detail_label(event.object_type, event.detail)]


@require_safe
@role_required(roles.AUDITOR)
def audit_export(request):
    """The filtered log as Excel (``?format=xlsx``, the default) or CSV; the export itself is audited."""
    form, events = _audit_queryset(request)
    kind = "csv" if request.GET.get("format") == "csv" else "xlsx"
    events = events[:EXPORT_LIMIT]
    header = [str(label) for label in EXPORT_COLUMNS]
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    filename = f"audit-log-{stamp}.{kind}"
    if kind == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")  # Excel opens a UTF-8 CSV with Chinese text correctly only with the BOM
        writer = csv.writer(buffer)
        writer.writerow(header)
        for row in _export_rows(events):
            writer.writerow([escape_text(v) for v in row])
        response = download_response(buffer.getvalue(), filename=filename, content_type=CSV_CONTENT_TYPE)
    else:
        response = xlsx_response(simple_workbook(_("Audit log"), header, _export_rows(events)),
                                 filename=filename)
    audit_event(request=request, action=AuditEvent.Action.EXPORT,
                detail=f"audit log {kind}: {_query_without_page(request)}"[:500])
    return response
