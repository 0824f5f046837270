"""Contacts, deputies' requests and the director's mailbox. Thin: check access, call a selector or a service.

Staff and supervisors work within their jurisdiction, a committee member with their own contacts, a deputy
with their own requests and letters. A record outside the user's scope is a 404; a page the role does not
open is a 403.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.utils import ErrorDict, ErrorList
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from apps.core import roles
from apps.core.access import is_office, is_pk, office_required, permission_required
from apps.core.excel import xlsx_response
from apps.core.models import AuditEvent
from apps.core.services import audit_event
from apps.liaison import excel
from apps.liaison.forms.contacts import (
    ContactFilterForm, ContactForm, MailboxAssignForm, MailboxFilterForm, MailboxMessageForm, MailboxThreadForm,
    RequestCloseForm, RequestFilterForm, RequestForm, RequestFormSet, RequestNoteForm,
)
from apps.liaison.models import DeputyRequest, MailboxThread
from apps.liaison.selectors import contacts as selectors
from apps.liaison.services import contacts as services
from apps.core.web import add_service_errors as _add_errors, page_with_query, submit_form

PAGE_SIZE = 30


def _require_deputy(user):
    if not (user.has_role(roles.DEPUTY) and user.person_id):
        raise PermissionDenied


def _page(request, qs):
    return page_with_query(request, qs, PAGE_SIZE)


def _quiet(*forms):
    """Show bound forms again without their errors (a refresh of the form, not a submission)."""
    for form in forms:
        if hasattr(form, "forms"):
            form._errors, form._non_form_errors = [ErrorDict() for _f in form.forms], ErrorList()
            _quiet(*form.forms)
        else:
            form._errors = ErrorDict()


# --- contacts ---------------------------------------------------------------------------------------------

def _filtered_contacts(request):
    """The list's filter form and the contacts the user sees through it (the page and its export share it)."""
    filters = ContactFilterForm(request.GET or None, user=request.user)
    qs = selectors.visible_contacts(request.user)
    if filters.is_valid():
        qs = selectors.filter_contacts(qs, filters.cleaned_data)
    return filters, qs


def _filtered_requests(request):
    """The list's filter form and the deputies' requests the user sees through it (page and export)."""
    filters = RequestFilterForm(request.GET or None, user=request.user)
    qs = selectors.visible_requests(request.user)
    if filters.is_valid():
        qs = selectors.filter_requests(qs, filters.cleaned_data)
    return filters, qs


@require_safe
@never_cache
@permission_required("liaison.view_contact")
def contact_list(request):
    """Staff and supervisors see their jurisdiction's contacts; a member sees their own."""
    filters, qs = _filtered_contacts(request)
    page, query = _page(request, selectors.contact_rows(qs))
    return render(request, "liaison/contact_list.html", {"filters": filters, "page": page, "query": query})


@require_safe
@never_cache
@permission_required("liaison.view_contact")
def contact_export(request):
    """The contact list as an Excel workbook: the list's filters, scope and rows (audited)."""
    filters, qs = _filtered_contacts(request)
    content = excel.contacts_workbook(selectors.contact_rows(qs))
    audit_event(request=request, action=AuditEvent.Action.EXPORT,
                detail=f"liaison contacts: {request.GET.urlencode()}"[:500])
    return xlsx_response(content, filename=f"contacts-{timezone.localtime():%Y%m%d-%H%M}.xlsx")


def _contact_form_context(request, form, formset, found=None):
    delegation, group = form.chosen_body()
    if form.is_bound:
        checked = {int(pk) for pk in form.data.getlist("participants") if is_pk(pk)}
    else:
        checked = {getattr(p, "pk", p) for p in form.initial.get("participants", ())}
    return {
        "form": form, "formset": formset, "found": found, "chosen_person": form.chosen_person(),
        "attendees": list(form.fields["participants"].queryset) if (delegation or group) else None,
        "checked": checked, "q": request.POST.get("q", "") if request.method == "POST" else "",
    }


@never_cache
@permission_required("liaison.add_contact")
def contact_create(request):
    """Log a contact (a member their own, staff for a member of their jurisdiction), with any requests raised.

    The buttons "search", "load" (the members of the chosen meeting) and "add_request" show the form again,
    filled in, without saving: the page works without JavaScript, and htmx only saves the round trips.
    """
    user = request.user
    if request.method != "POST":
        form = ContactForm(user=user, initial={"member": selectors.members_for_contacts(user).first()}
                           if user.has_role(roles.MEMBER) else {})
        return render(request, "liaison/contact_form.html",
                      _contact_form_context(request, form, RequestFormSet(prefix="r", form_kwargs={"user": user})))

    data = request.POST.copy()
    found = None
    refresh = {"search", "load", "add_request"}.intersection(data)
    if "load" in data:
        probe = ContactForm(data, user=user)
        data.setlist("participants", [str(p.pk) for p in probe.fields["participants"].queryset])
    if "add_request" in data and is_pk(data.get("r-TOTAL_FORMS", "")):
        data["r-TOTAL_FORMS"] = str(min(int(data["r-TOTAL_FORMS"]) + 1, 10))
    form = ContactForm(data, user=user)
    formset = RequestFormSet(data, prefix="r", form_kwargs={"user": user})
    if "search" in data:
        found = selectors.search_deputies(user, data.get("q", ""))
    if refresh:
        _quiet(form, formset)
        return render(request, "liaison/contact_form.html", _contact_form_context(request, form, formset, found))

    if form.is_valid() and formset.is_valid():
        meeting = form.cleaned_data.get("delegation") or form.cleaned_data.get("group")
        rows = formset.requests()
        if meeting and rows:
            form.add_error(None, _("For a meeting, save the contact first, then add each request on its page "
                                   "with the deputy who raised it."))
        else:
            data = form.cleaned_data
            try:
                contact = services.contact_create(
                    member=data["member"], date=data["date"], channel=data["channel"], summary=data["summary"],
                    participants=form.people(), delegation=data.get("delegation"), group=data.get("group"),
                    created_by=user, requests=rows)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("The contact was saved."))
                return redirect("liaison:contact_detail", pk=contact.pk)
    return render(request, "liaison/contact_form.html", _contact_form_context(request, form, formset))


@require_safe
@never_cache
@permission_required("liaison.add_contact")
def contact_deputy_search(request):
    """htmx: the serving deputies in scope whose name, pinyin or initials match ``q``, as radio buttons."""
    found = selectors.search_deputies(request.user, request.GET.get("q", ""))
    return render(request, "liaison/fragment_contact_deputies.html", {"found": found, "chosen_person": None,
                                                                      "q": request.GET.get("q", "")})


@require_safe
@never_cache
@permission_required("liaison.add_contact")
def contact_attendees(request):
    """htmx: the deputies serving in the chosen delegation or group, all ticked (untick the absent)."""
    form = ContactForm(user=request.user, initial={"delegation": request.GET.get("delegation"),
                                                   "group": request.GET.get("group")})
    delegation, group = form.chosen_body()
    attendees = list(form.fields["participants"].queryset) if (delegation or group) else None
    return render(request, "liaison/fragment_contact_attendees.html", {
        "attendees": attendees, "checked": {p.pk for p in attendees or ()}})


@require_safe
@never_cache
@permission_required("liaison.view_contact")
def contact_detail(request, pk):
    contact = selectors.contact_for_user(request.user, pk)
    return render(request, "liaison/contact_detail.html", {
        "contact": contact,
        "can_add_request": request.user.has_perm("liaison.add_deputyrequest"),
    })


# --- deputies' requests -------------------------------------------------------------------------------------

@never_cache
@permission_required("liaison.add_deputyrequest")
def request_create(request, pk):
    """Add a request raised in a contact (the second step for a meeting: who raised it is asked)."""
    contact = selectors.contact_for_user(request.user, pk)
    participants = contact.participants.all().order_by("name_pinyin", "pk")
    form = RequestForm(request.POST or None, user=request.user, participants=participants)
    if response := submit_form(
            request, form,
            lambda data: services.deputy_request_create(contact=contact, created_by=request.user, **data),
            message=_("The request was added."),
            done=lambda _result: redirect("liaison:contact_detail", pk=contact.pk)):
        return response
    return render(request, "liaison/request_form.html", {"form": form, "contact": contact})


@require_safe
@never_cache
@permission_required("liaison.view_deputyrequest")
def request_list(request):
    filters, qs = _filtered_requests(request)
    page, query = _page(request, selectors.request_rows(qs).order_by("status", "due_date", "pk"))
    return render(request, "liaison/request_list.html", {
        "filters": filters, "page": page, "query": query, "today": timezone.localdate(),
        "can_see_overdue": is_office(request.user)})


@require_safe
@never_cache
@permission_required("liaison.view_deputyrequest")
def request_export(request):
    """The request list as an Excel workbook: the list's filters, scope, order and rows (audited)."""
    filters, qs = _filtered_requests(request)
    content = excel.requests_workbook(selectors.request_rows(qs).order_by("status", "due_date", "pk"),
                                      today=timezone.localdate())
    audit_event(request=request, action=AuditEvent.Action.EXPORT,
                detail=f"liaison requests: {request.GET.urlencode()}"[:500])
    return xlsx_response(content, filename=f"deputy-requests-{timezone.localtime():%Y%m%d-%H%M}.xlsx")


@require_safe
@never_cache
@permission_required("liaison.view_deputyrequest")
@office_required
def request_overdue(request):
    """The supervisor's page: requests past their due date and not closed, in the user's jurisdiction."""
    page, query = _page(request, selectors.overdue_requests(request.user))
    return render(request, "liaison/request_overdue.html", {"page": page, "query": query,
                                                            "today": timezone.localdate()})


@require_safe
@never_cache
@permission_required("liaison.view_deputyrequest")
def request_detail(request, pk):
    deputy_request = selectors.request_for_user(request.user, pk)
    can_change = (request.user.has_perm("liaison.change_deputyrequest")
                  and deputy_request.status != DeputyRequest.Status.CLOSED)
    return render(request, "liaison/request_detail.html", {
        "deputy_request": deputy_request, "can_change": can_change, "note_form": RequestNoteForm(),
        "today": timezone.localdate()})


@never_cache
@permission_required("liaison.change_deputyrequest")
def request_edit(request, pk):
    deputy_request = selectors.request_for_user(request.user, pk)
    initial = {f: getattr(deputy_request, f) for f in ("category", "content", "office", "office_name", "due_date")}
    form = RequestForm(request.POST or None, user=request.user, initial=initial)
    if response := submit_form(
            request, form, lambda data: services.deputy_request_update(request=deputy_request, **data),
            message=_("The changes were saved."),
            done=lambda _result: redirect("liaison:request_detail", pk=deputy_request.pk)):
        return response
    return render(request, "liaison/request_form.html", {"form": form, "deputy_request": deputy_request,
                                                         "contact": deputy_request.contact})


@require_POST
@never_cache
@permission_required("liaison.change_deputyrequest")
def request_note_add(request, pk):
    deputy_request = selectors.request_for_user(request.user, pk)
    form = RequestNoteForm(request.POST)
    if response := submit_form(
            request, form,
            lambda data: services.request_note_add(request=deputy_request, author=request.user, text=data["text"]),
            message=_("The note was added."),
            done=lambda _result: redirect("liaison:request_detail", pk=deputy_request.pk)):
        return response
    return render(request, "liaison/request_detail.html", {
        "deputy_request": deputy_request, "note_form": form, "today": timezone.localdate(),
        "can_change": deputy_request.status != DeputyRequest.Status.CLOSED}, status=200)


@never_cache
@permission_required("liaison.change_deputyrequest")
def request_close(request, pk):
    """Close with the answer given to the deputy; the deputy is told the answer."""
    deputy_request = selectors.request_for_user(request.user, pk)
    form = RequestCloseForm(request.POST or None)
    if response := submit_form(
            request, form, lambda data: services.deputy_request_close(request=deputy_request, answer=data["answer"],
                                                                      closed_by=request.user),
            message=_("The request was closed and the deputy was told the answer."),
            done=lambda _result: redirect("liaison:request_detail", pk=deputy_request.pk)):
        return response
    return render(request, "liaison/request_close.html", {"form": form, "deputy_request": deputy_request})


@require_safe
@never_cache
def my_request_list(request):
    """A deputy's own requests and the answers given."""
    _require_deputy(request.user)
    page, query = _page(request, selectors.requests_of_deputy(request.user))
    return render(request, "liaison/request_mine.html", {"page": page, "query": query})


@require_safe
@never_cache
def my_contact_list(request):
    """The contacts a deputy took part in; ``?member=<id>`` keeps one committee member's (their contact member's,
    from the workbench)."""
    _require_deputy(request.user)
    page, query = _page(request, selectors.contacts_of_deputy(request.user, member=request.GET.get("member")))
    return render(request, "liaison/contact_mine.html", {"page": page, "query": query})


@require_safe
@never_cache
def my_request_detail(request, pk):
    _require_deputy(request.user)
    deputy_request = selectors.deputy_request_for_user(request.user, pk)
    return render(request, "liaison/request_mine_detail.html", {"deputy_request": deputy_request})


# --- the director's mailbox: the office's side --------------------------------------------------------------

@require_safe
@never_cache
@permission_required("liaison.view_mailboxthread")
@office_required
def mailbox_list(request):
    """Triage: the letters written to the user's jurisdiction, new ones first."""
    filters = MailboxFilterForm(request.GET or None)
    qs = selectors.visible_threads(request.user)
    if filters.is_valid() and filters.cleaned_data.get("status"):
        qs = qs.filter(status=filters.cleaned_data["status"])
    page, query = _page(request, selectors.triage_rows(qs))
    return render(request, "liaison/mailbox_list.html", {"filters": filters, "page": page, "query": query})


def _thread_page(request, thread, **forms):
    can_change = (request.user.has_perm("liaison.change_mailboxthread")
                  and thread.status != MailboxThread.Status.CLOSED)
    # A refusal by the service (the thread was closed meanwhile) shows above the page, forms or not.
    errors = [e for form in forms.values() for e in form.non_field_errors()]
    context = {"thread": thread, "can_change": can_change, "errors": errors}
    if can_change:
        context["assign_form"] = forms.get("assign_form") or MailboxAssignForm(thread=thread)
        context["answer_form"] = forms.get("answer_form") or MailboxMessageForm(prefix="answer")
    return render(request, "liaison/mailbox_detail.html", context)


@require_safe
@never_cache
@permission_required("liaison.view_mailboxthread")
@office_required
def mailbox_detail(request, pk):
    return _thread_page(request, selectors.thread_for_user(request.user, pk))


@require_POST
@never_cache
@permission_required("liaison.change_mailboxthread")
@office_required
def mailbox_assign(request, pk):
    thread = selectors.thread_for_user(request.user, pk)
    form = MailboxAssignForm(request.POST, thread=thread)
    if response := submit_form(
            request, form,
            lambda data: services.mailbox_thread_assign(thread=thread, assignee=data["assignee"], user=request.user),
            message=_("The thread was assigned."),
            done=lambda _result: redirect("liaison:mailbox_detail", pk=thread.pk)):
        return response
    return _thread_page(request, thread, assign_form=form)


@require_POST
@never_cache
@permission_required("liaison.change_mailboxthread")
@office_required
def mailbox_answer(request, pk):
    thread = selectors.thread_for_user(request.user, pk)
    form = MailboxMessageForm(request.POST, prefix="answer")
    if response := submit_form(
            request, form,
            lambda data: services.mailbox_thread_answer(thread=thread, author=request.user, body=data["body"]),
            message=_("The answer was sent to the deputy."),
            done=lambda _result: redirect("liaison:mailbox_detail", pk=thread.pk)):
        return response
    return _thread_page(request, thread, answer_form=form)


@require_POST
@never_cache
@permission_required("liaison.change_mailboxthread")
@office_required
def mailbox_close(request, pk):
    thread = selectors.thread_for_user(request.user, pk)
    try:
        services.mailbox_thread_close(thread=thread, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The thread was closed."))
    return redirect("liaison:mailbox_detail", pk=thread.pk)


# --- the director's mailbox: the deputy's side -------------------------------------------------------------

@require_safe
@never_cache
def my_thread_list(request):
    _require_deputy(request.user)
    page, query = _page(request, selectors.threads_of_deputy(request.user))
    return render(request, "liaison/mailbox_mine.html", {"page": page, "query": query})


@never_cache
def my_thread_create(request):
    _require_deputy(request.user)
    form = MailboxThreadForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            thread = services.mailbox_thread_create(person=request.user.person, author=request.user,
                                                    jurisdiction=data["jurisdiction"], subject=data["subject"],
                                                    body=data["body"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Your letter was sent to the director's mailbox."))
            return redirect("liaison:my_thread_detail", pk=thread.pk)
    return render(request, "liaison/mailbox_form.html", {"form": form})


@never_cache
def my_thread_detail(request, pk):
    """The deputy's thread with the answers; they may add a follow-up while it is open."""
    _require_deputy(request.user)
    thread = selectors.deputy_thread_for_user(request.user, pk)
    form = MailboxMessageForm(request.POST or None)
    if response := submit_form(
            request, form,
            lambda data: services.mailbox_followup_add(thread=thread, author=request.user, body=data["body"]),
            message=_("Your message was added."),
            done=lambda _result: redirect("liaison:my_thread_detail", pk=thread.pk)):
        return response
    return render(request, "liaison/mailbox_mine_detail.html", {"thread": thread, "form": form})
