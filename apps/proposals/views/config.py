"""The reference data of motions and suggestions that staff maintain: handling rules, the working-day
calendar, handling units, categories and congress sessions.

Staff edit, supervisors read; other roles get a 403. Rows with a jurisdiction (rules, units, sessions
through their term) are those of the user's jurisdiction and below: another one's is a 404.
"""

import datetime
import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from apps.core import locking, roles
from apps.core.access import office_required, role_required
from apps.core.web import add_service_errors, page_with_query, submit_form
from apps.proposals.forms.config import (
    CalendarDayForm, CalendarSyncForm, CategoryForm, RuleForm, SessionForm, UnitFilterForm, UnitForm,
)
from apps.proposals.selectors import config as selectors
from apps.proposals.services import config as services

PAGE_SIZE = 50
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _stale(form, exc: locking.StaleObjectError, current) -> list[dict]:
    """After a stale save: keep the input, show what the record holds now, carry its version."""
    form.add_error(None, exc)
    locking.form_with_current_version(form, current.version)
    return locking.current_differences(form, current)


# --- handling rules -------------------------------------------------------------------------------------------

@require_safe
@never_cache
@office_required(perm="proposals.view_handlingrule")
def rule_list(request):
    return render(request, "proposals/config_rule_list.html", {
        "rules": selectors.rule_rows(request.user),
        "can_edit": request.user.has_role(roles.STAFF) and request.user.has_perm("proposals.change_handlingrule"),
        "tab": "rules"})


@never_cache
@role_required(roles.STAFF)
@office_required(perm="proposals.add_handlingrule")
def rule_create(request):
    form = RuleForm(request.POST or None, user=request.user)
    if response := submit_form(
            request, form, lambda data: services.rule_create(user=request.user, **data),
            message=_("The handling rule was added."),
            done=lambda _result: redirect("proposals:rule_list")):
        return response
    return render(request, "proposals/config_rule_form.html", {"form": form, "tab": "rules"})


@never_cache
@role_required(roles.STAFF)
@office_required(perm="proposals.change_handlingrule")
def rule_edit(request, pk):
    rule = selectors.rule_for_office(request.user, pk)
    form = RuleForm(request.POST or None, user=request.user, rule=rule)
    changed_since = None
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.rule_update(rule=rule, user=request.user, version=form.cleaned_data.get("version"), **data)
        except locking.StaleObjectError as exc:
            changed_since = _stale(form, exc, selectors.rule_for_office(request.user, pk))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The handling rule was saved. Deadlines already set keep the values "
                                        "they were computed with."))
            return redirect("proposals:rule_list")
    return render(request, "proposals/config_rule_form.html", {
        "form": form, "rule": rule, "open_deadlines": selectors.open_deadlines_of(rule),
        "changed_since": changed_since, "tab": "rules"})


# --- the working-day calendar ------------------------------------------------------------------------------------

def _year(value: str | None) -> int:
    today = timezone.localdate()
    if value and value.isdigit() and 1990 <= int(value) <= 2100:
        return int(value)
    return today.year


@require_safe
@never_cache
@office_required(perm="core.view_calendarday")
def calendar(request):
    day = request.GET.get("day", "")
    if _DATE.fullmatch(day) and request.user.has_role(roles.STAFF):  # the "add or edit a day" box
        return redirect("proposals:calendar_day_edit", date=day)
    year = _year(request.GET.get("year"))
    days = selectors.year_days(year)
    next_year = timezone.localdate().year + 1
    return render(request, "proposals/config_calendar.html", {
        "year": year, "months": selectors.year_months(year, days),
        "entries": sorted(days.values(), key=lambda d: d.date),
        "package_last_year": selectors.package_last_year(),
        "next_year": next_year, "next_year_missing": not selectors.year_has_entries(next_year),
        "can_edit": request.user.has_role(roles.STAFF) and request.user.has_perm("core.change_calendarday"),
        "sync_form": CalendarSyncForm(), "tab": "calendar"})


def _date(value: str) -> datetime.date:
    if not _DATE.fullmatch(value or ""):
        raise Http404
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise Http404 from None


def _long(date: datetime.date) -> str:
    return date_format(date)  # 2026年10月10日


def _calendar_url(date: datetime.date) -> str:
    return f"{reverse('proposals:calendar')}?year={date.year}#month-{date.month}"


@never_cache
@role_required(roles.STAFF)
@office_required(perm="core.change_calendarday")
def calendar_day_edit(request, date):
    date = _date(date)
    day = selectors.calendar_day(date)
    if request.method == "POST" and "delete" in request.POST:
        if day is None:
            raise Http404
        services.calendar_day_delete(user=request.user, day=day)
        messages.success(request, _("%(date)s follows the weekly rule again.") % {"date": _long(date)})
        return redirect(_calendar_url(date))
    if day is not None:
        initial = {"is_working_day": "1" if day.is_working_day else "0", "name": day.name}
    else:  # what an entry for this date usually is: a weekday off, or a weekend worked
        initial = {"is_working_day": "1" if date.weekday() >= 5 else "0"}
    form = CalendarDayForm(request.POST or None, initial=initial)
    if response := submit_form(
            request, form, lambda data: services.calendar_day_save(user=request.user, date=date, **data),
            message=lambda _result: _("%(date)s was saved in the calendar.") % {"date": _long(date)},
            done=lambda _result: redirect(_calendar_url(date))):
        return response
    return render(request, "proposals/config_calendar_day.html", {
        "form": form, "date": date, "day": day, "is_weekend": date.weekday() >= 5, "tab": "calendar"})


@require_POST
@role_required(roles.STAFF)
@office_required(perm="core.change_calendarday")
def calendar_sync(request):
    form = CalendarSyncForm(request.POST)
    overwrite = form.is_valid() and form.cleaned_data["overwrite_staff"]
    written = services.calendar_sync(user=request.user, overwrite_staff=overwrite)
    messages.success(request, _("%(count)s days were written from the chinese-calendar package (it covers the "
                                "years up to %(year)s).") % {"count": written,
                                                              "year": selectors.package_last_year()})
    return redirect("proposals:calendar")


# --- handling units ---------------------------------------------------------------------------------------------

@require_safe
@never_cache
@office_required(perm="core.view_handlingunit")
def unit_list(request):
    filters = UnitFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    page, query = page_with_query(request, selectors.unit_rows(request.user, **criteria), PAGE_SIZE)
    return render(request, "proposals/config_unit_list.html", {
        "filters": filters, "page": page, "query": query,
        "can_edit": request.user.has_role(roles.STAFF) and request.user.has_perm("core.change_handlingunit"),
        "tab": "units"})


@never_cache
@role_required(roles.STAFF)
@office_required(perm="core.add_handlingunit")
def unit_create(request):
    form = UnitForm(request.POST or None, user=request.user)
    if response := submit_form(
            request, form, lambda data: services.unit_create(user=request.user, **data),
            message=lambda unit: _("%(name)s was registered.") % {"name": unit.name},
            done=lambda unit: redirect("proposals:unit_list")):
        return response
    return render(request, "proposals/config_unit_form.html", {"form": form, "tab": "units"})


@never_cache
@role_required(roles.STAFF)
@office_required(perm="core.change_handlingunit")
def unit_edit(request, pk):
    unit = selectors.unit_for_office(request.user, pk)
    initial = {"name": unit.name, "kind": unit.kind, "jurisdiction": unit.jurisdiction_id,
               "contact_name": unit.contact_name, "contact_phone": unit.contact_phone, "is_active": unit.is_active}
    form = UnitForm(request.POST or None, user=request.user, initial=initial)
    open_assignments = selectors.open_assignments_of(unit)
    if request.method == "POST" and form.is_valid():
        was_active = unit.is_active
        try:
            services.unit_update(unit=unit, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            if was_active and not unit.is_active and open_assignments:
                messages.warning(request, _("%(name)s still has %(count)s open assignments: reassign them if it "
                                            "no longer handles them.") % {"name": unit.name,
                                                                          "count": open_assignments})
            return redirect("proposals:unit_list")
    return render(request, "proposals/config_unit_form.html", {
        "form": form, "unit": unit, "open_assignments": open_assignments,
        "accounts": unit.users.filter(is_active=True).order_by("full_name", "username"), "tab": "units"})


# --- categories -------------------------------------------------------------------------------------------------

@require_safe
@never_cache
@office_required(perm="proposals.view_category")
def category_list(request):
    return render(request, "proposals/config_category_list.html", {
        "categories": selectors.category_rows(),
        "can_edit": request.user.has_role(roles.STAFF) and request.user.has_perm("proposals.change_category"),
        "tab": "categories"})


@never_cache
@role_required(roles.STAFF)
@office_required(perm="proposals.add_category")
def category_create(request):
    form = CategoryForm(request.POST or None)
    if response := submit_form(
            request, form, lambda data: services.category_create(user=request.user, **data),
            message=_("The category was added."),
            done=lambda _result: redirect("proposals:category_list")):
        return response
    return render(request, "proposals/config_category_form.html", {"form": form, "tab": "categories"})


@never_cache
@role_required(roles.STAFF)
@office_required(perm="proposals.change_category")
def category_edit(request, pk):
    category = selectors.category_by_pk(pk)
    initial = {"name": category.name, "position": category.position, "is_active": category.is_active}
    form = CategoryForm(request.POST or None, initial=initial)
    if response := submit_form(
            request, form, lambda data: services.category_update(category=category, user=request.user, **data),
            message=_("The changes were saved."),
            done=lambda _result: redirect("proposals:category_list")):
        return response
    return render(request, "proposals/config_category_form.html",
                  {"form": form, "category": category, "tab": "categories"})


# --- congress sessions ------------------------------------------------------------------------------------------

@require_safe
@never_cache
@office_required
def session_list(request):
    return render(request, "proposals/config_session_list.html", {
        "sessions": selectors.session_rows(request.user), "can_edit": request.user.has_role(roles.STAFF),
        "tab": "sessions"})


@never_cache
@role_required(roles.STAFF)
@office_required
def session_create(request):
    form = SessionForm(request.POST or None, user=request.user)
    if response := submit_form(
            request, form, lambda data: services.session_create(user=request.user, **data),
            message=lambda session: _("%(name)s was added.") % {"name": session.name},
            done=lambda session: redirect("proposals:session_list")):
        return response
    return render(request, "proposals/config_session_form.html", {"form": form, "tab": "sessions"})


@never_cache
@role_required(roles.STAFF)
@office_required
def session_edit(request, pk):
    session = selectors.session_for_office(request.user, pk)
    initial = {"number": session.number, "name": session.name, "opens_on": session.opens_on,
               "closes_on": session.closes_on}
    form = SessionForm(request.POST or None, user=request.user, session=session, initial=initial)
    if response := submit_form(
            request, form, lambda data: services.session_update(session=session, user=request.user, **data),
            message=_("The changes were saved."),
            done=lambda _result: redirect("proposals:session_list")):
        return response
    return render(request, "proposals/config_session_form.html",
                  {"form": form, "session": session, "tab": "sessions"})
