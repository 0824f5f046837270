"""Work stations, reception days and voter visits. Thin: check access, call a selector or a service.

Staff write and supervisors read, within their jurisdiction (a county's staff only their county's stations);
a station, day or visit outside the user's scope is a 404, a page the role does not open a 403. A deputy sees
the reception days they are on duty for. A visitor's phone is shown masked; staff may reveal it, which is
recorded in the audit log (as the roster does for a deputy's ID number).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.utils import ErrorDict
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from apps.core.excel import xlsx_response
from apps.core import roles
from apps.core.access import is_office, is_pk, office_required, permission_required
from apps.core.models import AuditEvent
from apps.core.paper import sheet_response
from apps.core.services import audit_event
from apps.deputies.models import Person
from apps.stations import exports, paper, selectors, services
from apps.stations.forms import (
    CloseForm, FollowUpForm, ReceptionDayForm, StationChoiceForm, StationFilterForm, StationForm,
    SuggestionDraftForm, VisitFilterForm, VisitForm,
)
from apps.stations.models import VoterVisit
from apps.core.web import add_service_errors as _add_errors, page_with_query, submit_form

PAGE_SIZE = 30
VISIT_FIELDS = ("date", "reception_day", "deputies", "visitor_name", "visitor_phone", "issue", "category")


def _page(request, qs):
    return page_with_query(request, qs, PAGE_SIZE)


# --- stations -----------------------------------------------------------------------------------------------

@require_safe
@never_cache
@permission_required("stations.view_station")
@office_required
def station_list(request):
    filters = StationFilterForm(request.GET or None, user=request.user)
    qs = selectors.visible_stations(request.user)
    if filters.is_valid():
        qs = selectors.filter_stations(qs, filters.cleaned_data)
    page, query = _page(request, selectors.station_rows(qs))
    return render(request, "stations/station_list.html", {"filters": filters, "page": page, "query": query})


@require_safe
@never_cache
@permission_required("stations.view_station")
@office_required
def station_detail(request, pk):
    context = selectors.station_detail(request.user, pk)
    context["today"] = timezone.localdate()
    return render(request, "stations/station_detail.html", context)


def _station_form_page(request, form, station=None, found=None, q=""):
    checked = form.checked_ids()
    chosen = list(Person.objects.filter(pk__in=checked).order_by("name_pinyin", "pk")) if checked else []
    return render(request, "stations/station_form.html", {
        "form": form, "station": station, "chosen": chosen, "checked": checked, "q": q,
        "found": [p for p in found or () if p.pk not in checked]})


def _station_form_post(request, station=None):
    """Save the station, or show the form again: with errors, or filled in with the deputies found by "search"."""
    form = StationForm(request.POST, user=request.user)
    q = request.POST.get("q", "")
    if "search" in request.POST:
        form._errors = ErrorDict()  # a refresh of the form, not a submission
        found = selectors.search_deputies(request.user, q, form.chosen_jurisdiction())
        return _station_form_page(request, form, station, found, q)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if station is None:
                station = services.station_create(user=request.user, **data)
                messages.success(request, _("The station was added."))
            else:
                services.station_update(station=station, user=request.user, **data)
                messages.success(request, _("The changes were saved."))
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return redirect("stations:station_detail", pk=station.pk)
    return _station_form_page(request, form, station, q=q)


@never_cache
@permission_required("stations.add_station")
@office_required
def station_create(request):
    if request.method == "POST":
        return _station_form_post(request)
    form = StationForm(user=request.user, initial={"jurisdiction": request.user.jurisdiction_id, "is_active": True})
    return _station_form_page(request, form)


@never_cache
@permission_required("stations.change_station")
@office_required
def station_edit(request, pk):
    station = selectors.station_for_user(request.user, pk)
    if request.method == "POST":
        return _station_form_post(request, station)
    initial = {f: getattr(station, f) for f in ("name", "community", "address", "responsible_name",
                                                 "responsible_phone", "is_active")}
    initial["jurisdiction"] = station.jurisdiction_id
    initial["deputies"] = list(station.deputies.values_list("pk", flat=True))
    return _station_form_page(request, StationForm(user=request.user, initial=initial), station)


@require_safe
@never_cache
@permission_required("stations.change_station")
@office_required
def station_deputy_search(request):
    """htmx: serving deputies in the chosen jurisdiction's subtree whose name, pinyin or initials match ``q``."""
    jurisdiction = selectors.jurisdictions_for(request.user).filter(
        pk=request.GET.get("jurisdiction") if is_pk(request.GET.get("jurisdiction", "")) else None).first()
    checked = {int(pk) for pk in request.GET.getlist("deputies") if is_pk(pk)}
    found = [p for p in selectors.search_deputies(request.user, request.GET.get("q", ""), jurisdiction)
             if p.pk not in checked]
    return render(request, "stations/fragment_station_deputies.html", {"found": found, "q": request.GET.get("q", "")})


# --- reception days -----------------------------------------------------------------------------------------

def _day_data(form):
    return {k: form.cleaned_data[k] for k in ("date", "start_time", "end_time", "deputies", "note")}


@never_cache
@permission_required("stations.add_receptionday")
@office_required
def reception_day_create(request, pk):
    station = selectors.station_for_user(request.user, pk)
    form = ReceptionDayForm(request.POST or None, station=station)
    if response := submit_form(
            request, form,
            lambda _data: services.reception_day_create(station=station, user=request.user, **_day_data(form)),
            message=_("The reception day was scheduled."),
            done=lambda _result: redirect("stations:station_detail", pk=station.pk)):
        return response
    return render(request, "stations/reception_day_form.html", {"form": form, "station": station})


@require_safe
@never_cache
@permission_required("stations.add_votervisit")
@office_required
def reception_day_form(request, pk):
    """The reception form to print (A4 PDF): the deputies on duty to sign, blank rows for the voters, and the code
    that opens the day's visit form when the filled form comes back."""
    day = selectors.reception_day_for_user(request.user, pk)
    return sheet_response(request, kind=paper.KIND, obj=day, sheet=paper.reception_form(day),
                          filename=f"reception-form-{day.pk}.pdf")


@never_cache
@permission_required("stations.change_receptionday")
@office_required
def reception_day_edit(request, pk):
    day = selectors.reception_day_for_user(request.user, pk)
    initial = {"date": day.date, "start_time": day.start_time, "end_time": day.end_time, "note": day.note,
               "deputies": [p.pk for p in day.deputies.all()]}
    form = ReceptionDayForm(request.POST or None, station=day.station, initial=initial)
    if response := submit_form(
            request, form, lambda _data: services.reception_day_update(day=day, user=request.user, **_day_data(form)),
            message=_("The changes were saved."),
            done=lambda _result: redirect("stations:station_detail", pk=day.station_id)):
        return response
    return render(request, "stations/reception_day_form.html", {"form": form, "station": day.station, "day": day})


@require_POST
@never_cache
@permission_required("stations.delete_receptionday")
@office_required
def reception_day_delete(request, pk):
    day = selectors.reception_day_for_user(request.user, pk)
    try:
        services.reception_day_delete(day=day, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The reception day was deleted."))
    return redirect("stations:station_detail", pk=day.station_id)


@require_safe
@never_cache
def my_reception_days(request):
    """A deputy's duty days at work stations, upcoming first; usable on a phone."""
    if not (request.user.has_role(roles.DEPUTY) and request.user.person_id):
        raise PermissionDenied
    return render(request, "stations/reception_day_mine.html", selectors.reception_days_of_deputy(request.user))


# --- voter visits -------------------------------------------------------------------------------------------

@require_safe
@never_cache
@permission_required("stations.view_votervisit")
@office_required
def visit_list(request):
    today = timezone.localdate()
    filters = VisitFilterForm(request.GET or None, user=request.user)
    qs = selectors.visible_visits(request.user)
    if filters.is_valid():
        qs = selectors.filter_visits(qs, filters.cleaned_data, today)
    page, query = _page(request, selectors.visit_rows(qs, today))
    return render(request, "stations/visit_list.html", {"filters": filters, "page": page, "query": query})


@require_safe
@never_cache
@permission_required("stations.view_votervisit")
@office_required
def visit_export(request):
    """The visit log as an Excel workbook: every row the list's filters select (audited as an export)."""
    today = timezone.localdate()
    filters = VisitFilterForm(request.GET or None, user=request.user)
    qs = selectors.visible_visits(request.user)
    if filters.is_valid():
        qs = selectors.filter_visits(qs, filters.cleaned_data, today)
    rows = selectors.visit_rows(qs, today)
    content = exports.visits_workbook(rows)
    audit_event(request=request, action=AuditEvent.Action.EXPORT, obj=request.user.jurisdiction,
                detail=f"voter visits: {request.GET.urlencode()}"[:500])
    return xlsx_response(content, filename=f"{_('Voter visits')}-{today:%Y%m%d}.xlsx")


def _day_initial(station, query) -> dict:
    """A reception day's visit form (``?reception_day=``, what its printed form's code opens): the day, its date and
    its deputies on duty filled in."""
    if not is_pk(query.get("reception_day", "")):
        return {}
    day = station.reception_days.filter(pk=int(query["reception_day"])).first()
    if day is None:
        return {}
    return {"reception_day": day.pk, "date": day.date, "deputies": [p.pk for p in paper.duty_deputies(day)]}


@never_cache
@permission_required("stations.add_votervisit")
@office_required
def visit_create(request):
    """Log a visit: first the station (``?station=``), then the visit with that station's deputies and days."""
    if not is_pk(request.GET.get("station", "")):
        chooser = StationChoiceForm(user=request.user)
        return render(request, "stations/visit_station_choice.html", {"chooser": chooser})
    station = selectors.station_for_user(request.user, int(request.GET["station"]))
    initial = _day_initial(station, request.GET)
    form = VisitForm(request.POST or None, station=station, initial=initial)
    if response := submit_form(
            request, form, lambda data: services.visit_create(station=station, created_by=request.user,
                                                              **{k: data[k] for k in VISIT_FIELDS}),
            message=_("The visit was logged."),
            # A reception day's paper form holds several visitors: back to that day's form for the next one.
            done=lambda visit: redirect(request.get_full_path()) if initial
            else redirect("stations:visit_detail", pk=visit.pk)):
        return response
    return render(request, "stations/visit_form.html", {"form": form, "station": station})


def _visit_page(request, visit, revealed=False):
    can_change = request.user.has_perm("stations.change_votervisit") and visit.status != VoterVisit.Status.CLOSED
    can_draft = (request.user.has_perm("stations.change_votervisit") and visit.suggestion_id is None
                 and visit.reception_day_id is not None)
    return render(request, "stations/visit_detail.html", {
        "visit": visit, "revealed": revealed, "can_change": can_change, "can_draft": can_draft,
        "can_reveal": bool(visit.visitor_phone) and request.user.has_perm("deputies.view_personal_data"),
    })


@require_safe
@never_cache
@permission_required("stations.view_votervisit")
@office_required
def visit_detail(request, pk):
    return _visit_page(request, selectors.visit_for_user(request.user, pk))


@require_POST
@never_cache
@permission_required("stations.view_votervisit")
@office_required
def visit_reveal(request, pk):
    """Show the visitor's unmasked phone, and record that it was seen."""
    if not request.user.has_perm("deputies.view_personal_data"):
        raise PermissionDenied
    visit = selectors.visit_for_user(request.user, pk)
    audit_event(request=request, action=AuditEvent.Action.VIEW_PERSONAL_DATA, obj=visit, detail="visitor_phone")
    return _visit_page(request, visit, revealed=True)


def _refuse_closed(request, visit):
    messages.error(request, _("This visit is closed and can no longer be changed."))
    return redirect("stations:visit_detail", pk=visit.pk)


@never_cache
@permission_required("stations.change_votervisit")
@office_required
def visit_edit(request, pk):
    """Correct a visit (not once closed). The form shows the phone unmasked only to those who may see it."""
    visit = selectors.visit_for_user(request.user, pk)
    if visit.status == VoterVisit.Status.CLOSED:
        return _refuse_closed(request, visit)
    show_phone = request.user.has_perm("deputies.view_personal_data")
    initial = {f: getattr(visit, f) for f in VISIT_FIELDS if f != "deputies"}
    initial["reception_day"] = visit.reception_day_id
    initial["deputies"] = [p.pk for p in visit.deputies.all()]
    form = VisitForm(request.POST or None, station=visit.station, initial=initial, show_phone=show_phone)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in VISIT_FIELDS if k in form.cleaned_data}
        data.setdefault("visitor_phone", visit.visitor_phone)
        try:
            services.visit_update(visit=visit, user=request.user, **data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("stations:visit_detail", pk=visit.pk)
    elif request.method == "GET" and show_phone and visit.visitor_phone:
        audit_event(request=request, action=AuditEvent.Action.VIEW_PERSONAL_DATA, obj=visit,
                    detail="visitor_phone, edit form")
    return render(request, "stations/visit_form.html", {"form": form, "station": visit.station, "visit": visit})


@never_cache
@permission_required("stations.change_votervisit")
@office_required
def visit_follow_up(request, pk):
    visit = selectors.visit_for_user(request.user, pk)
    if visit.status == VoterVisit.Status.CLOSED:
        return _refuse_closed(request, visit)
    initial = {"follow_up_by": visit.follow_up_by, "follow_up_action": visit.follow_up_action,
               "follow_up_due": visit.follow_up_due}
    form = FollowUpForm(request.POST or None, initial=initial)
    if response := submit_form(
            request, form, lambda data: services.visit_follow_up(visit=visit, user=request.user, **data),
            message=_("The follow-up was recorded."),
            done=lambda _result: redirect("stations:visit_detail", pk=visit.pk)):
        return response
    return render(request, "stations/visit_step_form.html", {
        "form": form, "visit": visit, "title": _("Follow-up"), "button": _("Save the follow-up")})


@never_cache
@permission_required("stations.change_votervisit")
@office_required
def visit_close(request, pk):
    visit = selectors.visit_for_user(request.user, pk)
    if visit.status == VoterVisit.Status.CLOSED:
        messages.error(request, _("This visit is already closed."))
        return redirect("stations:visit_detail", pk=visit.pk)
    form = CloseForm(request.POST or None)
    if response := submit_form(
            request, form, lambda data: services.visit_close(visit=visit, user=request.user, **data),
            message=_("The visit was closed."),
            done=lambda _result: redirect("stations:visit_detail", pk=visit.pk)):
        return response
    return render(request, "stations/visit_step_form.html", {
        "form": form, "visit": visit, "title": _("Close the visit"),
        "button": _("Close with the result told to the visitor")})


# --- a voter's issue as a suggestion draft ------------------------------------------------------------------

def _visit_for_draft(request, pk) -> tuple[VoterVisit, bool]:
    """The visit whose issue the user may turn into a suggestion draft, and whether they act as staff: staff who
    change visits (in their scope), or a deputy on duty on the visit's reception day; else 404 / 403."""
    user = request.user
    if is_office(user) and user.has_perm("stations.change_votervisit"):
        return selectors.visit_for_user(user, pk), True
    if user.has_role(roles.DEPUTY) and user.person_id:
        visit = (VoterVisit.objects.filter(pk=pk, reception_day__deputies=user.person_id)
                 .select_related("station__jurisdiction", "reception_day", "suggestion").first())
        if visit is None:
            raise Http404
        return visit, False
    raise PermissionDenied


@never_cache
def visit_suggestion(request, pk):
    """Turn the visit's issue into a suggestion draft led by a deputy on duty that day (staff choose the deputy;
    a deputy on duty makes it for themself). The draft waits among the deputy's drafts."""
    visit, as_staff = _visit_for_draft(request, pk)
    on_duty = services.deputies_on_duty(visit)
    deputies = on_duty if as_staff else [p for p in on_duty if p.pk == request.user.person_id]
    form = SuggestionDraftForm(request.POST or None, deputies=deputies, initial={
        "title": visit.issue.splitlines()[0][:60] if visit.issue else "", "content": visit.issue})
    if visit.suggestion_id is not None:
        messages.error(request, _("A suggestion draft has already been made from this issue."))
        return redirect("stations:visit_detail" if as_staff else "stations:my_reception_days", *(
            [visit.pk] if as_staff else []))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = next((p for p in deputies if p.pk == data["person"]), None)
        try:
            proposal = services.visit_suggestion_draft(visit=visit, person=person, title=data["title"],
                                                       content=data["content"], user=request.user)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            if as_staff:
                messages.success(request, _("The suggestion draft was made; %(name)s finds it among their drafts.")
                                 % {"name": person.name})
                return redirect("stations:visit_detail", pk=visit.pk)
            messages.success(request, _("The suggestion draft was made: check it and submit it."))
            return redirect("proposals:my_proposal_detail", pk=proposal.pk)
    return render(request, "stations/visit_suggestion_form.html", {
        "form": form, "visit": visit, "as_staff": as_staff, "on_duty": on_duty})
