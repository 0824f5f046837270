"""Budgets, expenditures and statements of the activity funds. Thin: check access, call a selector or service.

The office of a jurisdiction (staff and supervisors) sees the budgets of its jurisdiction and below; staff enter,
a leader (supervisor, see apps/funds/rules.py) approves or returns. Deputies, units and other roles get 403; a
budget outside the user's scope is a 404.
"""

import mimetypes

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from apps.core.access import office_required, permission_required
from apps.core.excel import xlsx_response
from apps.core.web import add_service_errors, download_response, file_download, submit_form
from apps.funds import exports, rules, selectors, services
from apps.funds.forms import BudgetForm, ExpenditureForm, ReturnForm, YearForm
from apps.funds.models import Expenditure

VIEW = "funds.view_budget"


def _year(request) -> int:
    form = YearForm(request.GET or None)
    if form.is_valid() and form.cleaned_data["year"]:
        return form.cleaned_data["year"]
    return timezone.localdate().year


@require_safe
@never_cache
@permission_required(VIEW)
@office_required
def budget_list(request):
    year = _year(request)
    rows = list(selectors.budget_rows(request.user, year))
    for row in rows:
        row.balance = selectors.balance(row)
    pending = list(selectors.pending_for_user(request.user)[:50]) if rules.is_leader(request.user) else []
    return render(request, "funds/budget_list.html", {"rows": rows, "year": year, "pending": pending})


@never_cache
@permission_required("funds.add_budget")
@office_required
def budget_create(request):
    form = BudgetForm(request.POST or None, user=request.user,
                      initial={"year": timezone.localdate().year, "jurisdiction": request.user.jurisdiction_id})
    if response := submit_form(request, form, lambda data: services.budget_create(user=request.user, **data),
                               message=_("The budget was added."),
                               done=lambda budget: redirect("funds:budget_detail", pk=budget.pk)):
        return response
    return render(request, "funds/budget_form.html", {"form": form})


@never_cache
@permission_required("funds.change_budget")
@office_required
def budget_edit(request, pk):
    budget = selectors.budget_for_user(request.user, pk)
    form = BudgetForm(request.POST or None, user=request.user, initial={
        "year": budget.year, "jurisdiction": budget.jurisdiction_id, "delegation": budget.delegation_id,
        "station": budget.station_id, "name": budget.name, "amount": budget.amount})
    if response := submit_form(
            request, form, lambda data: services.budget_update(user=request.user, budget=budget, **data),
            message=_("The budget was saved."), done=lambda budget: redirect("funds:budget_detail", pk=budget.pk)):
        return response
    return render(request, "funds/budget_form.html", {"form": form, "budget": budget})


def _refused_or(request, act, message, done):
    """Call ``act()``; its refusal (``ValidationError``) or ``message`` as the page's message; redirect."""
    try:
        act()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return done(False)
    messages.success(request, message)
    return done(True)


@require_POST
@permission_required("funds.delete_budget")
@office_required
def budget_delete(request, pk):
    budget = selectors.budget_for_user(request.user, pk)
    return _refused_or(request, lambda: services.budget_delete(user=request.user, budget=budget),
                       _("The budget “%(name)s” was deleted.") % {"name": budget.name},
                       lambda deleted: redirect(f"{reverse('funds:budget_list')}?year={budget.year}") if deleted
                       else redirect("funds:budget_detail", pk=budget.pk))


@require_safe
@never_cache
@permission_required(VIEW)
@office_required
def budget_detail(request, pk):
    budget = selectors.budget_for_user(request.user, pk)
    user = request.user
    return render(request, "funds/budget_detail.html", {
        "budget": budget, "balance": selectors.balance(budget), "is_leader": rules.is_leader(user),
        "expenditures": selectors.budget_expenditures(budget), "can_edit": user.has_perm("funds.change_budget"),
        "can_delete": user.has_perm("funds.delete_budget")})


@never_cache
@permission_required("funds.add_expenditure")
@office_required
def expenditure_create(request, pk):
    budget = selectors.budget_for_user(request.user, pk)
    leader = rules.is_leader(request.user)
    form = ExpenditureForm(request.POST or None, request.FILES or None, leader=leader)

    def act(data):
        return services.expenditure_create(user=request.user, budget=budget, **data)

    if response := submit_form(request, form, act, message=_("The expenditure was entered and awaits approval."),
                               done=lambda e: redirect("funds:budget_detail", pk=budget.pk)):
        return response
    return render(request, "funds/expenditure_form.html", {
        "form": form, "budget": budget, "balance": selectors.balance(budget)})


@never_cache
@permission_required("funds.change_expenditure")
@office_required
def expenditure_edit(request, pk):
    """Correct an expenditure that is not approved; a returned one is resubmitted for approval."""
    expenditure = selectors.expenditure_for_user(request.user, pk)
    if expenditure.status == Expenditure.Status.APPROVED:
        messages.error(request, _("An approved expenditure cannot be changed or deleted."))
        return redirect("funds:expenditure_detail", pk=expenditure.pk)
    budget = selectors.budget_for_user(request.user, expenditure.budget_id)
    form = ExpenditureForm(request.POST or None, request.FILES or None, leader=rules.is_leader(request.user),
                           initial={"date": expenditure.date, "category": expenditure.category,
                                    "payee": expenditure.payee, "amount": expenditure.amount,
                                    "purpose": expenditure.purpose, "override_reason": expenditure.override_reason})
    returned = expenditure.status == Expenditure.Status.RETURNED
    if response := submit_form(
            request, form,
            lambda data: services.expenditure_update(user=request.user, expenditure=expenditure, **data),
            message=(_("The expenditure was corrected and submitted for approval again.") if returned
                     else _("The expenditure was saved.")),
            done=lambda e: redirect("funds:expenditure_detail", pk=e.pk)):
        return response
    return render(request, "funds/expenditure_form.html", {
        "form": form, "budget": budget, "balance": selectors.balance(budget), "expenditure": expenditure})


@require_POST
@permission_required("funds.delete_expenditure")
@office_required
def expenditure_delete(request, pk):
    expenditure = selectors.expenditure_for_user(request.user, pk)
    return _refused_or(request, lambda: services.expenditure_delete(user=request.user, expenditure=expenditure),
                       _("The expenditure was deleted."),
                       lambda deleted: redirect("funds:budget_detail", pk=expenditure.budget_id) if deleted
                       else redirect("funds:expenditure_detail", pk=expenditure.pk))


@require_safe
@never_cache
@permission_required(VIEW)
@office_required
def expenditure_detail(request, pk):
    expenditure = selectors.expenditure_for_user(request.user, pk)
    user = request.user
    changeable = expenditure.status != Expenditure.Status.APPROVED
    return render(request, "funds/expenditure_detail.html", {
        "expenditure": expenditure, "is_leader": rules.is_leader(user), "return_form": ReturnForm(),
        "can_edit": changeable and user.has_perm("funds.change_expenditure"),
        "can_delete": changeable and user.has_perm("funds.delete_expenditure")})


@require_safe
@never_cache
@permission_required(VIEW)
@office_required
def expenditure_receipt(request, pk):
    expenditure = selectors.expenditure_for_user(request.user, pk)
    if not expenditure.receipt:
        raise Http404
    name = expenditure.receipt.name.rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return file_download(expenditure.receipt.open("rb"), filename=name, content_type=content_type)


def _decision(request, pk, act, message):
    if not rules.is_leader(request.user):
        raise PermissionDenied
    expenditure = selectors.expenditure_for_user(request.user, pk)
    try:
        act(expenditure)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, message)
    return redirect("funds:expenditure_detail", pk=expenditure.pk)


@require_POST
@permission_required(rules.APPROVE_PERMISSION)
@office_required
def expenditure_approve(request, pk):
    return _decision(request, pk, lambda e: services.expenditure_approve(expenditure=e, user=request.user),
                     _("The expenditure was approved."))


@never_cache
@permission_required(rules.APPROVE_PERMISSION)
@office_required
def expenditure_return(request, pk):
    if not rules.is_leader(request.user):
        raise PermissionDenied
    expenditure = selectors.expenditure_for_user(request.user, pk)
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.expenditure_return(expenditure=expenditure, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The expenditure was returned."))
            return redirect("funds:expenditure_detail", pk=expenditure.pk)
    return render(request, "funds/expenditure_detail.html", {
        "expenditure": expenditure, "is_leader": True, "return_form": form})


def _statement_title(year, budget=None):
    if budget is not None:
        return _("Activity funds statement %(year)s: %(name)s") % {"year": year, "name": budget.name}
    return _("Activity funds statement %(year)s") % {"year": year}


@require_safe
@never_cache
@permission_required(VIEW)
@office_required
def statement(request):
    year = _year(request)
    return render(request, "funds/statement.html", {
        "statement": selectors.statement(request.user, year), "year": year, "title": _statement_title(year)})


@require_safe
@permission_required(VIEW)
@office_required
def statement_xlsx(request):
    year = _year(request)
    return xlsx_response(exports.statement_xlsx(selectors.statement(request.user, year)),
                         filename=f"{_statement_title(year)}.xlsx")


@require_safe
@permission_required(VIEW)
@office_required
def statement_pdf(request):
    year = _year(request)
    title = _statement_title(year)
    return download_response(exports.statement_pdf(selectors.statement(request.user, year), title),
                             filename=f"{title}.pdf", content_type="application/pdf")


@require_safe
@permission_required(VIEW)
@office_required
def budget_statement_xlsx(request, pk):
    budget = selectors.budget_for_user(request.user, pk)
    return xlsx_response(exports.statement_xlsx(selectors.statement(request.user, budget.year, budget.pk)),
                         filename=f"{_statement_title(budget.year, budget)}.xlsx")


@require_safe
@permission_required(VIEW)
@office_required
def budget_statement_pdf(request, pk):
    budget = selectors.budget_for_user(request.user, pk)
    title = _statement_title(budget.year, budget)
    return download_response(exports.statement_pdf(selectors.statement(request.user, budget.year, budget.pk), title),
                             filename=f"{title}.pdf", content_type="application/pdf")
