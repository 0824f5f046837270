"""The public page of a code (an opinion, a lookup) and the inbox of opinions with their handling; the codes'
pages, cards and posters.

Function views with decorators. The public pages need no login: they are made for a phone, protected by CSRF, a
honeypot field, size limits and the services' rate limits, and say nothing about accounts or other opinions.
Every other page needs a role; an opinion or a code out of the user's scope is a 404 (``apps.intake.access``).
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from apps.core.services import client_ip
from apps.core.web import add_service_errors, download_response, file_download, page_with_query, submit_form
from apps.intake import access, printing, selectors, services
from apps.intake.forms import AcceptForm, CloseForm, LookupForm, OpinionForm, SuggestionForm
from apps.intake.models import Intake
from apps.stations import services as station_services
from apps.stations.forms import CloseForm as TellBackForm, FollowUpForm
from apps.stations.models import VoterVisit

PAGE_SIZE = 30


# --- the public pages ---------------------------------------------------------------------------------------

@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def submit(request, token):
    """A code's public page: the voter leaves an opinion and gets a lookup code."""
    found = selectors.public_code(token)
    if found is None:
        raise Http404
    code, facts = found
    form = OpinionForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_robot():
            form.add_error(None, _("Your opinion could not be accepted."))
        elif form.is_valid():
            data = form.cleaned_data
            try:
                intake = services.intake_submit(
                    code=code, category=data["category"], text=data["text"], name=data["name"],
                    phone=data["phone"], photo=data["photo"] or None, sender_address=client_ip(request))
            except services.Refused as exc:
                form.add_error(None, exc)
                status = 429
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return render(request, "intake/thanks.html", {"intake": intake, "facts": facts})
    return render(request, "intake/submit.html", {"form": form, "facts": facts}, status=status)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def lookup(request):
    """在线查询: the public state and answer of the opinion with a lookup code (the same page for a code that
    does not exist as for one still waiting)."""
    form = LookupForm(request.POST or None, initial={"code": request.GET.get("code", "")[:20]})
    answer, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.lookup_attempt_record(sender_address=client_ip(request))
            except services.Refused as exc:
                form.add_error(None, exc)
                status = 429
            else:
                answer = selectors.public_answer(form.cleaned_data["code"])
        else:
            status = 400
    return render(request, "intake/lookup.html", {"form": form, "answer": answer}, status=status)


# --- the inbox ----------------------------------------------------------------------------------------------

def _inbox_required(view):
    def wrapped(request, *args, **kwargs):
        if not access.opens_inbox(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wraps(view)(wrapped)


@require_safe
@never_cache
@_inbox_required
def inbox(request):
    status = request.GET.get("status", "")
    status = status if status in selectors.STATUS_FILTERS else ""
    page, query = page_with_query(request, selectors.inbox_rows(access.visible_intakes(request.user), status),
                                  PAGE_SIZE)
    return render(request, "intake/inbox.html", {
        "page": page, "query": query, "status": status, "statuses": Intake.Status.choices})


def _detail(request, intake, *, phone=None, status=200):
    visit = intake.visit
    can_handle = access.may_handle(request.user, intake)
    return render(request, "intake/intake_detail.html", {
        "intake": intake, "visit": visit, "can_handle": can_handle, "phone": phone,
        "waiting": intake.status == Intake.Status.NEW,
        "visit_open": visit is not None and visit.status != VoterVisit.Status.CLOSED,
        "accept_form": AcceptForm(stations=services.stations_for(intake)),
        "can_reveal": bool(intake.phone) and can_handle,
    }, status=status)


@require_safe
@never_cache
@_inbox_required
def intake_detail(request, pk):
    return _detail(request, access.intake_for_user(request.user, pk))


@require_safe
@never_cache
@_inbox_required
def intake_photo(request, pk):
    intake = access.intake_for_user(request.user, pk)
    if not intake.photo:
        raise Http404
    return file_download(intake.photo.open("rb"), filename=f"{intake.lookup_code}.jpg", content_type="image/jpeg")


def _handled_intake(request, pk) -> Intake:
    intake = access.intake_for_user(request.user, pk)
    if not access.may_handle(request.user, intake):
        raise PermissionDenied
    return intake


@require_POST
@_inbox_required
def intake_reveal(request, pk):
    intake = _handled_intake(request, pk)
    phone = services.intake_phone_reveal(intake=intake, user=request.user, request=request)
    return _detail(request, intake, phone=phone)


@require_POST
@_inbox_required
def intake_accept(request, pk):
    intake = _handled_intake(request, pk)
    form = AcceptForm(request.POST, stations=services.stations_for(intake))
    if form.is_valid():
        try:
            services.intake_accept(intake=intake, user=request.user, station=form.cleaned_data["station"])
        except ValidationError as exc:
            for error in (exc.message_dict.values() if hasattr(exc, "error_dict") else [exc.messages]):
                for message in error:
                    messages.error(request, message)
        else:
            messages.success(request, _("The opinion was accepted into a voter visit."))
    else:
        messages.error(request, _("Choose one of the deputy's work stations."))
    return redirect("intake:intake_detail", pk=intake.pk)


def _step(request, intake, form, act, *, title, button, message):
    if response := submit_form(request, form, act, message=message,
                               done=lambda _result: redirect("intake:intake_detail", pk=intake.pk)):
        return response
    return render(request, "intake/step_form.html", {"intake": intake, "form": form, "title": title,
                                                     "button": button})


def _refuse(request, intake, message):
    messages.error(request, message)
    return redirect("intake:intake_detail", pk=intake.pk)


@never_cache
@_inbox_required
def intake_close(request, pk):
    intake = _handled_intake(request, pk)
    if intake.status != Intake.Status.NEW:
        return _refuse(request, intake, _("This opinion has already been handled."))
    return _step(request, intake, CloseForm(request.POST or None),
                 lambda data: services.intake_close(intake=intake, user=request.user, **data),
                 title=_("Close the opinion"), button=_("Close"), message=_("The opinion was closed."))


@never_cache
@_inbox_required
def intake_suggestion(request, pk):
    intake = _handled_intake(request, pk)
    if intake.status != Intake.Status.NEW:
        return _refuse(request, intake, _("This opinion has already been handled."))
    form = SuggestionForm(request.POST or None, people=services.draft_deputies(intake),
                          initial={"content": intake.text})
    if intake.person_id:
        form.fields.pop("person")
    return _step(request, intake, form,
                 lambda data: services.intake_suggestion_draft(intake=intake, user=request.user, **data),
                 title=_("Turn into a suggestion draft"), button=_("Make the draft"),
                 message=_("The suggestion draft was made: the deputy finds it among their drafts."))


def _open_visit(request, pk):
    intake = _handled_intake(request, pk)
    if intake.visit is None or intake.visit.status == VoterVisit.Status.CLOSED:
        return intake, _refuse(request, intake, _("This opinion has no open voter visit."))
    return intake, None


@never_cache
@_inbox_required
def intake_follow_up(request, pk):
    intake, refused = _open_visit(request, pk)
    if refused:
        return refused
    visit = intake.visit
    form = FollowUpForm(request.POST or None, initial={
        "follow_up_by": visit.follow_up_by or str(request.user), "follow_up_action": visit.follow_up_action,
        "follow_up_due": visit.follow_up_due})
    return _step(request, intake, form,
                 lambda data: station_services.visit_follow_up(visit=visit, user=request.user, **data),
                 title=_("Follow-up"), button=_("Save the follow-up"), message=_("The follow-up was recorded."))


@never_cache
@_inbox_required
def intake_tell_back(request, pk):
    intake, refused = _open_visit(request, pk)
    if refused:
        return refused
    return _step(request, intake, TellBackForm(request.POST or None),
                 lambda data: station_services.visit_close(visit=intake.visit, user=request.user, **data),
                 title=_("Tell the voter the result"), button=_("Close with the result told to the voter"),
                 message=_("The result was recorded: the voter's lookup shows it."))


# --- codes --------------------------------------------------------------------------------------------------

def _codes_required(view):
    def wrapped(request, *args, **kwargs):
        if not access.opens_codes(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wraps(view)(wrapped)


@require_safe
@never_cache
@_codes_required
def code_list(request):
    """The office's codes: the stations of its scope, and the serving deputies found by name."""
    from apps.stations.selectors import search_deputies, visible_stations

    if not access.is_office(request.user, access.VIEW_CODES):
        return redirect("intake:my_code")
    q = request.GET.get("q", "")[:50].strip()
    return render(request, "intake/code_list.html", {
        "stations": visible_stations(request.user).filter(is_active=True).order_by("jurisdiction__path", "name"),
        "q": q, "people": search_deputies(request.user, q) if q else []})


@require_safe
@never_cache
def my_code(request):
    if not access.is_deputy(request.user):
        raise PermissionDenied
    return redirect("intake:code_detail", kind="deputy", pk=request.user.person_id)


def _code_of(request, kind, pk):
    owner = access.code_owner(request.user, kind, pk)
    facts = selectors.public_facts(owner)
    if facts is None:
        raise Http404
    code = services.intake_code_get_or_create(**({"station": owner} if kind == "station" else {"person": owner}))
    return owner, facts, code, request.build_absolute_uri(reverse("intake:submit", args=[code.token]))


@require_safe
@never_cache
@_codes_required
def code_detail(request, kind, pk):
    _owner_, facts, code, url = _code_of(request, kind, pk)
    return render(request, "intake/code_detail.html", {
        "kind": kind, "pk": pk, "facts": facts, "code": code, "url": url, "qr": printing.qr_svg(url),
        "can_rotate": access.may_rotate(request.user)})


@require_safe
@never_cache
@_codes_required
def code_print(request, kind, pk):
    size = request.GET.get("size", "card")
    if size not in printing.SIZES:
        raise Http404
    _owner_, facts, code, url = _code_of(request, kind, pk)
    return download_response(printing.code_pdf(url=url, facts=facts, size=size),
                             filename=f"{facts.name}-{size}.pdf", content_type="application/pdf")


@require_POST
@_codes_required
def code_rotate(request, kind, pk):
    if not access.may_rotate(request.user):
        raise PermissionDenied
    _owner_, _facts, code, _url = _code_of(request, kind, pk)
    services.intake_code_rotate(code=code, user=request.user, request=request)
    messages.success(request, _("The code was renewed: print the new cards and posters; the old ones no longer "
                                "work."))
    return redirect("intake:code_detail", kind=kind, pk=pk)
