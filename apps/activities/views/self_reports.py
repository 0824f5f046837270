"""Self-reports (履职登记) and the deputy's "my activities". Thin: check access, call a selector or a service.

A deputy reports their activities and sees their own; staff verify or reject the self-reports of deputies in
their jurisdiction, supervisors see them. A record outside the user's scope is a 404; a page the role does
not open is a 403.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from apps.activities.forms.self_reports import (
    SelfReportFilterForm, SelfReportForm, SelfReportRejectForm, SelfReportUnverifyForm, SelfReportVerifyForm,
    YearForm,
)
from apps.activities.models import SelfReport
from apps.activities.selectors import self_reports as selectors
from apps.activities.services import self_reports as services
from apps.core.access import is_office, office_required, permission_required
from apps.core.web import add_service_errors as _add_errors, file_download

PAGE_SIZE = 30


def _require_deputy(user):
    if not selectors.is_deputy(user):
        raise PermissionDenied


# --- the deputy's side ------------------------------------------------------------------------------------------

@require_safe
@never_cache
def my_activities(request):
    """The deputy's timeline: verified participations and pending or rejected self-reports, newest first."""
    _require_deputy(request.user)
    person_id = request.user.person_id
    years = selectors.timeline_years(person_id)
    filters = YearForm(request.GET or None, years=years)
    year = filters.cleaned_data["year"] if filters.is_valid() else None
    return render(request, "activities/my_activities.html", {
        "filters": filters, "year": year, "months": selectors.timeline(person_id, year=year)})


@never_cache
def self_report_create(request):
    _require_deputy(request.user)
    form = SelfReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.self_report_create(
                person=request.user.person, submitted_by=request.user, type=data["type"], title=data["title"],
                start_date=data["start_date"], end_date=data.get("end_date"), place=data.get("place", ""),
                description=data["description"], files=data.get("evidence") or [])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Your self-report was sent; staff will verify it."))
            return redirect("activities:self_report_detail", pk=report.pk)
    return render(request, "activities/self_report_form.html", {"form": form})


@require_POST
@never_cache
def self_report_withdraw(request, pk):
    _require_deputy(request.user)
    report = selectors.own_self_report(request.user, pk)
    try:
        services.self_report_withdraw(report=report, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("activities:self_report_detail", pk=report.pk)
    messages.success(request, _("The self-report was withdrawn."))
    return redirect("activities:my_activities")


# --- both sides ---------------------------------------------------------------------------------------------------

def _require_reader(user):
    """The deputy (their own) or staff and supervisors (their scope) open a self-report."""
    if not (selectors.is_deputy(user) or (is_office(user)
                                           and user.has_perm("activities.view_selfreport"))):
        raise PermissionDenied


def _detail(request, report, *, verify_form=None, reject_form=None, unverify_form=None, status=200):
    can_decide = (report.status == SelfReport.Status.PENDING and is_office(request.user)
                  and request.user.has_perm("activities.verify_selfreport"))
    can_unverify = is_office(request.user) and services.can_unverify(request.user, report)
    if can_decide and verify_form is None:
        verify_form = SelfReportVerifyForm(activities=selectors.matching_activities(request.user, report))
    return render(request, "activities/self_report_detail.html", {
        "report": report, "can_decide": can_decide,
        "verify_form": verify_form, "reject_form": reject_form or SelfReportRejectForm(),
        "can_unverify": can_unverify, "unverify_form": unverify_form or SelfReportUnverifyForm(),
        "is_own": report.person_id == request.user.person_id,
        "can_withdraw": report.person_id == request.user.person_id and report.status == SelfReport.Status.PENDING,
    }, status=status)


@require_safe
@never_cache
def self_report_detail(request, pk):
    _require_reader(request.user)
    return _detail(request, selectors.self_report_for_user(request.user, pk))


@require_safe
@never_cache
def self_report_evidence(request, pk):
    """An evidence file, served only to those who may see its self-report."""
    _require_reader(request.user)
    attachment = selectors.evidence_for_user(request.user, pk)
    response = file_download(attachment.file.open("rb"), filename=attachment.original_name,
                             content_type=attachment.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- staff and supervisors -----------------------------------------------------------------------------------------

@require_safe
@never_cache
@permission_required("activities.view_selfreport")
@office_required
def self_report_queue(request):
    """The verification queue of the user's jurisdiction: pending first."""
    filters = SelfReportFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    page = Paginator(selectors.self_report_queue(request.user, data), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "activities/self_report_queue.html", {
        "filters": filters, "page": page, "query": query.urlencode(),
        "can_decide": request.user.has_perm("activities.verify_selfreport")})


def _already_decided(request, report, exc: ValidationError | None = None):
    """A decision on a self-report already decided (by someone else, a moment ago) is refused with a message."""
    if exc is not None:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("This self-report has already been decided (%(status)s): it cannot be "
                                   "decided again.")
                       % {"status": report.get_status_display()})
    return redirect("activities:self_report_detail", pk=report.pk)


@require_POST
@never_cache
@permission_required("activities.verify_selfreport")
@office_required
def self_report_verify(request, pk):
    report = selectors.self_report_for_user(request.user, pk)
    if report.status != SelfReport.Status.PENDING:
        return _already_decided(request, report)
    form = SelfReportVerifyForm(request.POST, activities=selectors.matching_activities(request.user, report))
    if form.is_valid():
        try:
            services.self_report_verify(report=report, user=request.user, activity=form.chosen_activity())
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                return _already_decided(request, report, exc)
            _add_errors(form, exc)
        else:
            messages.success(request, _("The self-report was verified and now counts for the deputy."))
            return redirect("activities:self_report_queue")
    return _detail(request, report, verify_form=form)


@require_POST
@never_cache
@permission_required("activities.verify_selfreport")
@office_required
def self_report_reject(request, pk):
    report = selectors.self_report_for_user(request.user, pk)
    if report.status != SelfReport.Status.PENDING:
        return _already_decided(request, report)
    form = SelfReportRejectForm(request.POST)
    if form.is_valid():
        try:
            services.self_report_reject(report=report, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                return _already_decided(request, report, exc)
            _add_errors(form, exc)
        else:
            messages.success(request, _("The self-report was rejected; the deputy was told the reason."))
            return redirect("activities:self_report_queue")
    return _detail(request, report, reject_form=form)


@require_POST
@never_cache
@permission_required("activities.verify_selfreport")
@office_required
def self_report_unverify(request, pk):
    """Reverse a verification (with a reason): the self-report is pending again and what it added is removed."""
    report = selectors.self_report_for_user(request.user, pk)
    form = SelfReportUnverifyForm(request.POST)
    if form.is_valid():
        try:
            services.self_report_unverify(report=report, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                messages.error(request, " ".join(exc.messages))
                return redirect("activities:self_report_detail", pk=report.pk)
            _add_errors(form, exc)
        else:
            messages.success(request, _("The verification was reversed: the self-report is pending again."))
            return redirect("activities:self_report_detail", pk=report.pk)
    return _detail(request, report, unverify_form=form)
