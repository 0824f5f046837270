"""The performance record (履职档案): the deputy's own at ``/me/`` (with the PDF and disputes of score lines), the
same page of any deputy of the jurisdiction for staff and supervisors, and the staff's pages of reports to voters
(述职) and commendations. Thin: check access, call a selector or a service, render.

- Deputies (role ``deputy`` with a person): their own record only; a score or item that is not theirs is a 404.
- Staff and supervisors (``apps.scoring.access.is_office``): the record of a person holding a mandate in their
  jurisdiction or below (anyone else is a 404); lists and counts of reports to voters and commendations. Staff
  with the model permissions add, edit and delete those records; supervisors only read (403).
"""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from apps.publicity.selectors import person_publicity
from apps.core import roles
from apps.core.access import role_required
from apps.core.excel import xlsx_response
from apps.core.models import AuditEvent
from apps.core.services import audit_event
from apps.core.web import download_response, page_with_query, submit_form
from apps.scoring import access, engine
from apps.scoring.forms.record import (
    CommendationEditForm, CommendationForm, DisputeForm, RecordFilterForm, VoterReportEditForm, VoterReportForm,
    YearForm,
)
from apps.scoring.models import Commendation, VoterReport
from apps.scoring.exports import voter_reports_xlsx
from apps.scoring.pdf import render_record_pdf
from apps.scoring.selectors import record as selectors
from apps.scoring.selectors import voter_reports as record_lists
from apps.scoring.selectors.scores import record_label
from apps.scoring.services import records as services
from apps.scoring.services.disputes import dispute_raise

PAGE_SIZE = 30
LINE_RECORDS_SHOWN = 50


# --- access -------------------------------------------------------------------------------------------------------

def _require_deputy(user) -> None:
    if not (user.has_role(roles.DEPUTY) and user.person_id is not None):
        raise PermissionDenied


def _can_edit(user, model: str) -> bool:
    return bool(access.is_office(user) and user.has_role(roles.STAFF) and user.has_perm(f"scoring.change_{model}"))


def editor_required(model: str):
    """Staff allowed to enter ``model`` records (``scoring.add_<model>`` and ``change_<model>``)."""

    def decorator(view):
        @role_required(roles.STAFF)
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            access.require(_can_edit(request.user, model) and request.user.has_perm(f"scoring.add_{model}"))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _year(request, mandates) -> int:
    form = YearForm(request.GET)
    if form.is_valid() and form.cleaned_data.get("year"):
        return form.cleaned_data["year"]
    return selectors.default_year(mandates)


def _can_delete(user, model: str) -> bool:
    return _can_edit(user, model) and user.has_perm(f"scoring.delete_{model}")


def deleter_required(model: str):
    """Staff allowed to delete ``model`` records (``scoring.delete_<model>`` besides ``change_<model>``)."""

    def decorator(view):
        @role_required(roles.STAFF)
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            access.require(_can_delete(request.user, model))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# --- the record page, its PDF and its lines -----------------------------------------------------------------------

def _scored_in(request, own: bool) -> str | None:
    """Whose scores the page shows: the deputy all their own; the office those its congress (or one below) gives."""
    return None if own else request.user.jurisdiction.path


def _record_page(request, person, mandates, *, own: bool):
    year = _year(request, mandates)
    record = selectors.performance_record(person, year, mandates=mandates, for_deputy=own,
                                          scored_in=_scored_in(request, own))
    user = request.user
    return render(request, "scoring/record.html", {
        "record": record, "own": own, "person": person,
        "can_add_report": not own and _can_edit(user, "voterreport") and user.has_perm("scoring.add_voterreport"),
        "can_add_commendation": (not own and _can_edit(user, "commendation")
                                 and user.has_perm("scoring.add_commendation")),
        "publicity": person_publicity(person.pk, year),
    })


def _pdf_response(request, person, mandates, *, own: bool) -> HttpResponse:
    year = _year(request, mandates)
    record = selectors.performance_record(person, year, mandates=mandates, for_deputy=own,
                                          scored_in=_scored_in(request, own))
    content = render_record_pdf(record, publicity=person_publicity(person.pk, year))
    audit_event(request=request, action=AuditEvent.Action.DOWNLOAD, obj=person,
                detail=f"performance record {year}")
    return download_response(content, filename=f"{year}年度履职报告-{person.name}.pdf",
                             content_type="application/pdf")


def _line_page(request, mandates, score_pk, item_pk, *, own: bool):
    """The records one line of a score counted (an htmx fragment under the line, or a page of its own)."""
    score, item = selectors.score_line_of(mandates, score_pk, item_pk)
    # Reports to voters and commendations link to their edit pages: only for the staff who may edit them.
    editable = {VoterReport: _can_edit(request.user, "voterreport"),
                Commendation: _can_edit(request.user, "commendation")}
    records = []
    for obj in engine.item_records(item, score.mandate)[:LINE_RECORDS_SHOWN]:
        date, text = record_label(obj)
        url = engine.record_url(obj, for_deputy=own) if editable.get(type(obj), True) else ""
        records.append({"date": date, "text": text, "url": url})
    template = "scoring/record_fragment_line.html" if request.htmx else "scoring/record_line.html"
    return render(request, template, {"score": score, "item": item, "records": records, "own": own,
                                      "limit": LINE_RECORDS_SHOWN})


@require_safe
@never_cache
@role_required(roles.DEPUTY)
def me(request):
    """My performance record (我的履职档案) for a year."""
    _require_deputy(request.user)
    person, mandates = selectors.own_subject(request.user)
    return _record_page(request, person, mandates, own=True)


@require_safe
@never_cache
@role_required(roles.DEPUTY)
def me_pdf(request):
    """My annual performance report as a PDF (audited)."""
    _require_deputy(request.user)
    person, mandates = selectors.own_subject(request.user)
    return _pdf_response(request, person, mandates, own=True)


@require_safe
@never_cache
@role_required(roles.DEPUTY)
def me_line(request, score_pk, item_pk):
    _require_deputy(request.user)
    _person, mandates = selectors.own_subject(request.user)
    return _line_page(request, mandates, score_pk, item_pk, own=True)


@require_POST
@never_cache
@role_required(roles.DEPUTY)
def me_dispute(request):
    """Dispute one line of my score (错重漏申报): staff answer it; the list on my record shows the outcome."""
    _require_deputy(request.user)
    _person, mandates = selectors.own_subject(request.user)
    form = DisputeForm(request.POST)
    if not form.is_valid():
        if form.has_error("score") or form.has_error("item"):
            messages.error(request, _("Choose the line of your score you dispute."))
        else:
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(reverse("me:me") + "#disputes")
    score, item = selectors.score_line_of(mandates, form.cleaned_data["score"], form.cleaned_data["item"])
    target = f"{reverse('me:me')}?year={score.year}#disputes"
    try:
        dispute_raise(user=request.user, score=score, item=item, comment=form.cleaned_data["comment"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your dispute of “%(item)s” was sent to the staff; the answer will show "
                                    "below.") % {"item": item.label})
    return redirect(target)


@require_safe
@never_cache
@access.office_required
def deputy_record(request, person_pk):
    """A deputy's performance record, for the office of their jurisdiction."""
    person, mandates = selectors.office_subject(request.user, person_pk)
    return _record_page(request, person, mandates, own=False)


@require_safe
@never_cache
@access.office_required
def deputy_record_pdf(request, person_pk):
    person, mandates = selectors.office_subject(request.user, person_pk)
    return _pdf_response(request, person, mandates, own=False)


@require_safe
@never_cache
@access.office_required
def deputy_record_line(request, person_pk, score_pk, item_pk):
    _person, mandates = selectors.office_subject(request.user, person_pk)
    path = _scored_in(request, own=False)
    return _line_page(request, [m for m in mandates if m.jurisdiction.path.startswith(path)], score_pk, item_pk,
                      own=False)


# --- reports to voters (述职) ------------------------------------------------------------------------------------------

def _list_context(request, rows_for):
    filters = RecordFilterForm(request.GET or None)
    page, query = page_with_query(request, rows_for(request.user, **filters.filters()), PAGE_SIZE)
    q = filters.filters()["q"]
    return {"filters": filters, "page": page, "query": query,
            "people": record_lists.people_in_scope(request.user, q) if q else []}


@require_safe
@never_cache
@access.office_required
def voter_report_list(request):
    context = _list_context(request, record_lists.voter_report_rows)
    context["can_edit"] = _can_edit(request.user, "voterreport") and request.user.has_perm("scoring.add_voterreport")
    return render(request, "scoring/voter_report_list.html", context)


@require_safe
@never_cache
@access.office_required
def voter_report_export(request):
    """The list of reports to voters as an Excel workbook: the list's filters, scope and rows (audited)."""
    filters = RecordFilterForm(request.GET or None)
    rows = record_lists.voter_report_rows(request.user, **filters.filters())
    content = voter_reports_xlsx(rows)
    audit_event(request=request, action=AuditEvent.Action.EXPORT,
                detail=f"voter reports: {request.GET.urlencode()}"[:500])
    return xlsx_response(content, filename=f"voter-reports-{timezone.localtime():%Y%m%d-%H%M}.xlsx")


@require_safe
@never_cache
@access.office_required
def voter_report_counts(request):
    """Per year and level: how many deputies reported to their voters, the voters who took part and their
    satisfaction, computed from the records."""
    return render(request, "scoring/voter_report_counts.html", {
        "counts": record_lists.yearly_counts(request.user)})


def _to_record(person_pk, anchor: str):
    return redirect(reverse("scoring:deputy_record", args=[person_pk]) + f"#section-{anchor}")


def _record_year(response, year: int):
    """The record's redirect, at the year of the record just written."""
    location, _sep, anchor = response["Location"].partition("#")
    response["Location"] = f"{location}?year={year}#{anchor}"
    return response


@never_cache
@editor_required("voterreport")
def voter_report_create(request, person_pk):
    person, _all = selectors.office_subject(request.user, person_pk)
    mandates = record_lists.office_mandates(request.user).filter(person=person).order_by("-start_date")
    form = VoterReportForm(request.POST or None, mandates=mandates)
    if response := submit_form(
            request, form, lambda data: services.voter_report_create(user=request.user, mandate=data["mandate"],
                                                                     **form.service_fields()),
            message=lambda report: _("The report to voters of %(name)s was recorded.") % {"name": person.name},
            done=lambda report: _record_year(_to_record(person.pk, selectors.SECTION_VOTER_REPORTS),
                                             report.date.year)):
        return response
    return render(request, "scoring/voter_report_form.html", {"form": form, "person": person, "report": None})


@never_cache
@editor_required("voterreport")
def voter_report_edit(request, pk):
    report = record_lists.voter_report_for_office(request.user, pk)
    person = report.mandate.person
    initial = {name: getattr(report, name) for name in ("date", "place", "attendance", "satisfied",
                                                        "basically_satisfied", "unsatisfied", "text")}
    form = VoterReportEditForm(request.POST or None, initial=initial)
    if response := submit_form(
            request, form,
            lambda _data: services.voter_report_update(user=request.user, report=report, **form.service_fields()),
            message=_("The report to voters was saved."),
            done=lambda _result: _record_year(_to_record(person.pk, selectors.SECTION_VOTER_REPORTS),
                                              form.cleaned_data["date"].year)):
        return response
    return render(request, "scoring/voter_report_form.html", {
        "form": form, "person": person, "report": report, "can_delete": _can_delete(request.user, "voterreport")})


@require_POST
@never_cache
@deleter_required("voterreport")
def voter_report_delete(request, pk):
    report = record_lists.voter_report_for_office(request.user, pk)
    person, year = report.mandate.person, report.date.year
    services.voter_report_delete(user=request.user, report=report)
    messages.success(request, _("The report to voters was deleted."))
    return _record_year(_to_record(person.pk, selectors.SECTION_VOTER_REPORTS), year)


# --- commendations -----------------------------------------------------------------------------------------------

@require_safe
@never_cache
@access.office_required
def commendation_list(request):
    context = _list_context(request, record_lists.commendation_rows)
    context["can_edit"] = (_can_edit(request.user, "commendation")
                           and request.user.has_perm("scoring.add_commendation"))
    return render(request, "scoring/commendation_list.html", context)


@never_cache
@editor_required("commendation")
def commendation_create(request, person_pk):
    person, _all = selectors.office_subject(request.user, person_pk)
    mandates = record_lists.office_mandates(request.user).filter(person=person).order_by("-start_date")
    form = CommendationForm(request.POST or None, mandates=mandates)
    if response := submit_form(
            request, form, lambda data: services.commendation_create(user=request.user, mandate=data["mandate"],
                                                                     **form.service_fields()),
            message=lambda commendation: _("The commendation of %(name)s was recorded.") % {"name": person.name},
            done=lambda commendation: _record_year(_to_record(person.pk, selectors.SECTION_COMMENDATIONS),
                                                   commendation.date.year)):
        return response
    return render(request, "scoring/commendation_form.html", {"form": form, "person": person,
                                                               "commendation": None})


@never_cache
@editor_required("commendation")
def commendation_edit(request, pk):
    commendation = record_lists.commendation_for_office(request.user, pk)
    person = commendation.mandate.person
    initial = {name: getattr(commendation, name) for name in ("date", "title", "awarded_by")}
    form = CommendationEditForm(request.POST or None, initial=initial)
    if response := submit_form(
            request, form,
            lambda _data: services.commendation_update(user=request.user, commendation=commendation,
                                                       **form.service_fields()),
            message=_("The commendation was saved."),
            done=lambda _result: _record_year(_to_record(person.pk, selectors.SECTION_COMMENDATIONS),
                                              form.cleaned_data["date"].year)):
        return response
    return render(request, "scoring/commendation_form.html", {
        "form": form, "person": person, "commendation": commendation,
        "can_delete": _can_delete(request.user, "commendation")})


@require_POST
@never_cache
@deleter_required("commendation")
def commendation_delete(request, pk):
    commendation = record_lists.commendation_for_office(request.user, pk)
    person, year = commendation.mandate.person, commendation.date.year
    services.commendation_delete(user=request.user, commendation=commendation)
    messages.success(request, _("The commendation was deleted."))
    return _record_year(_to_record(person.pk, selectors.SECTION_COMMENDATIONS), year)

