"""The staff side of activities (履职活动): types, the list, calendar and totals, an activity's page with its
participants and attachments. Thin: check access, call a selector or a service, render.

Staff and supervisors see the activities of their jurisdiction and below (another county's is a 404);
supervisors only read (the write permissions are the staff's: 403 for anyone else).
"""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from apps.core.excel import xlsx_response
from apps.activities import exports, paper
from apps.activities.forms.activities import (
    ActivityFilterForm, ActivityForm, ActivityTypeForm, AddBodyForm, AddPeopleForm, AttachmentForm, BulkLeaveForm,
    ParticipantsGrid, ParticipationForm, PasteForm, SignInImportForm, TotalsForm,
)
from apps.activities.models import ActivityType
from apps.activities.selectors import activities as selectors
from apps.activities.services import activities as services
from apps.activities.meeting_targets import KIND as REPLY_KIND
from apps.core.access import permission_required
from apps.core.registry import MeetingReplies, meeting_replies
from apps.core.models import AuditEvent
from apps.core.paper import sheet_response
from apps.core.services import audit_event
from apps.deputies import participants as people_lookup
from apps.deputies.attendance import Attendance
from apps.deputies.models import Level
from apps.deputies.replies import ConfirmedReplies, proposals
from apps.core.web import add_service_errors as _add_errors, file_download, submit_form
from apps.deputies.signin import read_sign_in

PAGE_SIZE = 30


def _error_messages(request, exc: ValidationError):
    for message in exc.messages:
        messages.error(request, message)


def _detail(activity, anchor: str = ""):
    return redirect(reverse("activities:activity_detail", args=[activity.pk]) + (f"#{anchor}" if anchor else ""))


# --- activity types ---------------------------------------------------------------------------------------

@require_safe
@never_cache
@permission_required("activities.view_activitytype")
def activity_type_list(request):
    return render(request, "activities/activity_type_list.html", {"types": ActivityType.objects.all()})


def _type_form_page(request, form, activity_type=None):
    return render(request, "activities/activity_type_form.html", {"form": form, "activity_type": activity_type})


@never_cache
@permission_required("activities.add_activitytype")
def activity_type_create(request):
    form = ActivityTypeForm(request.POST or None)
    if response := submit_form(
            request, form, lambda data: services.activity_type_create(**data),
            message=_("The activity type was added."),
            done=lambda _result: redirect("activities:activity_type_list")):
        return response
    return _type_form_page(request, form)


@never_cache
@permission_required("activities.change_activitytype")
def activity_type_edit(request, pk):
    activity_type = ActivityType.objects.filter(pk=pk).first()
    if activity_type is None:
        from django.http import Http404
        raise Http404
    initial = {f: getattr(activity_type, f) for f in ("name", "code", "has_outcomes", "is_active", "position")}
    form = ActivityTypeForm(request.POST or None, initial=initial)
    if response := submit_form(
            request, form, lambda data: services.activity_type_update(activity_type=activity_type, **data),
            message=_("The changes were saved."),
            done=lambda _result: redirect("activities:activity_type_list")):
        return response
    return _type_form_page(request, form, activity_type)


# --- list, calendar, totals ---------------------------------------------------------------------------------

@require_safe
@never_cache
@permission_required("activities.view_activity")
def activity_list(request):
    filters = ActivityFilterForm(request.GET or None, user=request.user)
    qs = selectors.visible_activities(request.user)
    if filters.is_valid():
        qs = selectors.filter_activities(qs, filters.cleaned_data)
    page = Paginator(selectors.activity_rows(qs), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "activities/activity_list.html", {
        "filters": filters, "page": page, "query": query.urlencode()})


def _month(value: str | None) -> datetime.date:
    try:
        return datetime.datetime.strptime(value or "", "%Y-%m").date()
    except ValueError:
        return timezone.localdate().replace(day=1)


@require_safe
@never_cache
@permission_required("activities.view_activity")
def activity_calendar(request):
    month = _month(request.GET.get("month"))
    previous = (month - datetime.timedelta(days=1)).replace(day=1)
    following = (month + datetime.timedelta(days=32)).replace(day=1)
    return render(request, "activities/activity_calendar.html", {
        "month": month, "weeks": selectors.month_calendar(request.user, month),
        "previous": previous, "following": following, "today": timezone.localdate()})


def _totals(request):
    """The totals form and the totals it asks for (this year so far when nothing is asked; None when the form is
    wrong), with the period and organiser they cover."""
    today = timezone.localdate()
    data = request.GET if "date_from" in request.GET else None
    form = TotalsForm(data, user=request.user,
                      initial={"date_from": today.replace(month=1, day=1), "date_to": today})
    chosen = None
    if form.is_bound and form.is_valid():
        chosen = form.cleaned_data
    elif not form.is_bound:
        chosen = {"date_from": today.replace(month=1, day=1), "date_to": today, "jurisdiction": None}
    totals = selectors.period_totals(request.user, **chosen) if chosen is not None else None
    return form, totals, chosen


@require_safe
@never_cache
@permission_required("activities.view_activity")
def activity_totals(request):
    form, totals, _chosen = _totals(request)
    export_query = request.GET.urlencode()
    return render(request, "activities/activity_totals.html", {"form": form, "totals": totals,
                                                                "export_query": export_query})


@require_safe
@never_cache
@permission_required("activities.view_activity")
def activity_totals_export(request):
    """The totals page as an Excel workbook, for the same filters (audited as an export)."""
    form, totals, chosen = _totals(request)
    if totals is None:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(reverse("activities:activity_totals") + "?" + request.GET.urlencode())
    content = exports.totals_workbook(totals, **chosen)
    audit_event(request=request, action=AuditEvent.Action.EXPORT,
                obj=chosen.get("jurisdiction") or request.user.jurisdiction,
                detail=f"activity totals {chosen['date_from']}–{chosen['date_to']}")
    return xlsx_response(
        content, filename=f"{_('Activity totals')}-{chosen['date_from']:%Y%m%d}-{chosen['date_to']:%Y%m%d}.xlsx")


# --- create, edit, delete -----------------------------------------------------------------------------------

@never_cache
@permission_required("activities.add_activity")
def activity_create(request):
    form = ActivityForm(request.POST or None, user=request.user)
    if response := submit_form(
            request, form, lambda data: services.activity_create(user=request.user, **data),
            message=_("The activity was saved: now add its participants."),
            done=lambda activity: redirect("activities:activity_detail", pk=activity.pk)):
        return response
    return render(request, "activities/activity_form.html", {"form": form})


@never_cache
@permission_required("activities.change_activity")
def activity_edit(request, pk):
    activity = selectors.activity_for_user(request.user, pk)
    fields = ("type", "title", "jurisdiction", "level", "organiser", "start_date", "end_date", "place",
              "description")
    form = ActivityForm(request.POST or None, user=request.user, activity=activity,
                        initial={f: getattr(activity, f) for f in fields})
    if response := submit_form(
            request, form, lambda data: services.activity_update(activity=activity, user=request.user, **data),
            message=_("The changes were saved."),
            done=lambda _result: redirect("activities:activity_detail", pk=activity.pk)):
        return response
    return render(request, "activities/activity_form.html", {"form": form, "activity": activity})


@require_POST
@never_cache
@permission_required("activities.delete_activity")
def activity_delete(request, pk):
    activity = selectors.activity_for_user(request.user, pk)
    try:
        services.activity_delete(activity=activity, user=request.user)
    except ValidationError as exc:
        _error_messages(request, exc)
        return _detail(activity)
    messages.success(request, _("The activity was deleted."))
    return redirect("activities:activity_list")


# --- the activity's page --------------------------------------------------------------------------------------

def _grid_rows(participants, *, posted: ParticipantsGrid | None = None, errors: dict | None = None,
               replies: MeetingReplies | None = None) -> list[dict]:
    """The participants grid as the template shows it: each row's values (posted, else recorded), errors and the
    participant's reply to the meeting notice (shown beside what is recorded, which wins)."""
    errors = errors or {}
    by_person = replies.by_person if replies else {}
    rows = []
    for p in participants:
        reply = by_person.get(p.person_id)
        values = {f: getattr(p, f) for f in ParticipantsGrid.FIELDS}
        if posted is not None:
            values.update({f: posted.value(p.pk, f) for f in ParticipantsGrid.FIELDS
                           if posted.value(p.pk, f) is not None})
        rows.append({"p": p, "values": values, "errors": errors.get(f"p-{p.pk}", []),
                     "reply": reply if reply is not None and reply.reply else None})
    return rows


def _detail_context(request, activity, *, posted: ParticipantsGrid | None = None, errors: dict | None = None,
                    **extra):
    user = request.user
    participants = list(selectors.participants_of(activity))
    known = {f"p-{p.pk}" for p in participants}
    errors = errors or {}
    replies = meeting_replies(REPLY_KIND, activity.pk)
    context = {
        "activity": activity,
        "participants": participants,
        "grid_rows": _grid_rows(participants, posted=posted, errors=errors, replies=replies),
        "reply_counts": replies.counts,
        "grid_errors": [m for key, msgs in errors.items() if key not in known for m in msgs],
        "grid_error_count": len(errors),
        "totals": selectors.activity_totals_of(activity),
        "attendance_choices": Attendance.choices,
        "levels": Level.choices,
        "can_add": user.has_perm("activities.add_participation"),
        "can_change": user.has_perm("activities.change_participation"),
        "can_remove": user.has_perm("activities.delete_participation"),
        "can_edit": user.has_perm("activities.change_activity"),
        "can_delete": user.has_perm("activities.delete_activity"),
        "can_attach": user.has_perm("activities.add_attachment"),
        "can_detach": user.has_perm("activities.delete_attachment"),
        "paste_form": PasteForm(),
        "import_form": SignInImportForm(),
        "attachment_form": AttachmentForm(),
    }
    if context["can_add"]:
        context.update(selectors.bodies_for(activity))
        context["reply_proposals"] = proposals(
            replies, recorded={p.person_id for p in participants},
            candidates=lambda ids: people_lookup.mandates_for_people(
                ids, jurisdiction=activity.jurisdiction, level=activity.level, on=activity.start_date))
    context.update(extra)
    return context


@require_safe
@never_cache
@permission_required("activities.view_activity")
def activity_detail(request, pk):
    activity = selectors.activity_for_user(request.user, pk)
    return render(request, "activities/activity_detail.html", _detail_context(request, activity))


@require_safe
@never_cache
@permission_required("activities.change_participation")
def activity_sign_in_sheet(request, pk):
    """The sign-in sheet to print (A4 PDF): the participants in the grid's order, and the code that opens the grid
    again when the filled sheet comes back."""
    activity = selectors.activity_for_user(request.user, pk)
    return sheet_response(request, kind=paper.KIND, obj=activity, sheet=paper.sign_in_sheet(activity),
                          filename=f"sign-in-sheet-{activity.pk}.pdf")


# --- participants -------------------------------------------------------------------------------------------

@require_safe
@never_cache
@permission_required("activities.add_participation")
def participant_search(request, pk):
    """JSON for the search box: people eligible for the activity matching a name, pinyin or initials."""
    activity = selectors.activity_for_user(request.user, pk)
    return JsonResponse({"results": selectors.search_candidates(activity, request.GET.get("q", ""))})


def _added(request, count: int, asked: int):
    if count == asked:
        messages.success(request, _("%(count)s participants were added.") % {"count": count})
    else:
        messages.success(request, _("%(count)s participants were added; %(skipped)s were already recorded.")
                         % {"count": count, "skipped": asked - count})


@require_POST
@never_cache
@permission_required("activities.add_participation")
def participants_add(request, pk):
    """Add the people chosen in the search box."""
    activity = selectors.activity_for_user(request.user, pk)
    form = AddPeopleForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _detail(activity, "add-people")
    data = form.cleaned_data
    people = people_lookup.mandates_for_people(data["person"], jurisdiction=activity.jurisdiction,
                                               level=activity.level, on=activity.start_date)
    if len(people) != len(set(data["person"])):
        messages.error(request, _("Some of the people chosen hold no mandate eligible for this activity; "
                                  "nothing was added."))
        return _detail(activity, "add-people")
    try:
        count = services.participants_add(
            activity=activity, people=people, attendance=data["attendance"],
            leave_reasons={p: data["leave_reason"] for p in people}, user=request.user)
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        _added(request, count, len(people))
    return _detail(activity, "participants")


@require_POST
@never_cache
@permission_required("activities.add_participation")
def participants_add_body(request, pk):
    """Add everyone of a delegation, a deputy group or a level."""
    activity = selectors.activity_for_user(request.user, pk)
    form = AddBodyForm(request.POST)
    if not form.is_valid():
        for error in form.non_field_errors():
            messages.error(request, error)
        return _detail(activity, "add-body")
    data = form.cleaned_data
    people = people_lookup.body_mandates(
        jurisdiction=activity.jurisdiction, level=activity.level, on=activity.start_date,
        delegation_id=data.get("delegation"), group_id=data.get("group"),
        mandate_level=data.get("mandate_level") or None)
    if not people:
        messages.error(request, _("Nobody eligible for this activity belongs to what you chose."))
        return _detail(activity, "add-body")
    try:
        count = services.participants_add(activity=activity, people=people, user=request.user)
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        _added(request, count, len(people))
    return _detail(activity, "participants")


def _choices(post) -> dict[str, int]:
    """The candidates picked for ambiguous names: fields ``choice-<name>`` holding a person id."""
    return {key[len("choice-"):]: int(value) for key, value in post.items()
            if key.startswith("choice-") and str(value).isdigit()}


@never_cache
@permission_required("activities.add_participation")
def participants_paste(request, pk):
    """Paste a list of names. Ambiguous names come back with their candidates to pick from, unknown names are
    listed, the text is kept; nothing is saved until every name resolves."""
    activity = selectors.activity_for_user(request.user, pk)
    form = PasteForm(request.POST or None)
    resolution = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        names = people_lookup.split_names(data["text"])
        resolution = people_lookup.resolve_names(names, jurisdiction=activity.jurisdiction, level=activity.level,
                                                 on=activity.start_date, choices=_choices(request.POST))
        if not names:
            form.add_error("text", _("Paste at least one name."))
        elif resolution.ok:
            try:
                count = services.participants_add(
                    activity=activity, people=resolution.people, attendance=data["attendance"],
                    leave_reasons={p: data["leave_reason"] for p in resolution.people}, user=request.user)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                _added(request, count, len(resolution.people))
                return _detail(activity, "participants")
    return render(request, "activities/activity_paste.html", {
        "activity": activity, "form": form, "resolution": resolution, "chosen": _choices(request.POST)})


@never_cache
@permission_required("activities.add_participation")
def participants_import(request, pk):
    """Import a sign-in workbook: attendance and leave reasons from the sheet. A bad row, an unknown or an
    ambiguous name saves nothing; ambiguous names may be settled by choosing and uploading again."""
    activity = selectors.activity_for_user(request.user, pk)
    form = SignInImportForm(request.POST or None, request.FILES or None)
    sheet = resolution = None
    if request.method == "POST" and form.is_valid():
        sheet = read_sign_in(form.cleaned_data["file"])
        if sheet.ok:
            names = [row.name for row in sheet.rows]
            resolution = people_lookup.resolve_names(names, jurisdiction=activity.jurisdiction,
                                                     level=activity.level, on=activity.start_date,
                                                     choices=_choices(request.POST))
            if resolution.ok:
                by_name = {row.name: row for row in sheet.rows}
                person_rows = {p: by_name[name] for p, name in resolution.names.items()}
                try:
                    count = services.participants_add(
                        activity=activity, people=resolution.people,
                        attendances={p: r.attendance for p, r in person_rows.items()},
                        leave_reasons={p: r.leave_reason or _("(no reason given)") for p, r in person_rows.items()},
                        user=request.user)
                except ValidationError as exc:
                    _add_errors(form, exc)
                else:
                    audit_event(request=request, action=AuditEvent.Action.IMPORT, obj=activity,
                                detail=f"sign-in workbook: {len(sheet.rows)} rows")
                    _added(request, count, len(resolution.people))
                    return _detail(activity, "participants")
    return render(request, "activities/activity_import.html", {
        "activity": activity, "form": form, "sheet": sheet, "resolution": resolution,
        "chosen": _choices(request.POST)})


@require_POST
@never_cache
@permission_required("activities.add_participation")
def participants_from_replies(request, pk):
    """Confirm the ticked replies to the meeting notice naming the activity (at the door): add those deputies with
    the attendance confirmed. Until then a reply is only a proposal and counts nowhere."""
    activity = selectors.activity_for_user(request.user, pk)
    confirmed = ConfirmedReplies.from_post(request.POST)
    errors = confirmed.errors
    if not errors:
        people = people_lookup.mandates_for_people(confirmed.person_ids, jurisdiction=activity.jurisdiction,
                                                   level=activity.level, on=activity.start_date)
        if len(people) != len(confirmed.person_ids):
            errors = [_("Some of the people chosen hold no mandate eligible for this activity; nothing was added.")]
        else:
            try:
                count = services.participants_add(activity=activity, people=people,
                                                  attendances=confirmed.attendances,
                                                  leave_reasons=confirmed.reasons, user=request.user)
            except ValidationError as exc:
                errors = exc.messages
            else:
                messages.success(request, _("%(count)s replies were confirmed and recorded.") % {"count": count})
    for message in errors:
        messages.error(request, message)
    return _detail(activity, "participants")


@require_POST
@never_cache
@permission_required("activities.change_participation")
def participation_update(request, pk, participation_pk):
    activity = selectors.activity_for_user(request.user, pk)
    participation = selectors.participation_for_activity(activity, participation_pk)
    form = ParticipationForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"{participation.person.name}: {error}")
        return _detail(activity, f"p-{participation.person_id}")
    data = form.cleaned_data
    outcomes = ({f: data.get(f) for f in services.OUTCOME_FIELDS} if activity.type.has_outcomes else None)
    try:
        services.participation_update(participation=participation, attendance=data["attendance"],
                                      leave_reason=data["leave_reason"], outcomes=outcomes, user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, f"{participation.person.name}: {message}")
    else:
        messages.success(request, _("%(name)s: saved.") % {"name": participation.person.name})
    return _detail(activity, f"p-{participation.person_id}")


@require_POST
@never_cache
@permission_required("activities.change_participation")
def participants_save(request, pk):
    """Save the whole participants grid at once (attendance, leave reasons and, for a type recording outcomes,
    the outcomes): one bad row and nothing is written, each bad row says what is wrong."""
    activity = selectors.activity_for_user(request.user, pk)
    posted = ParticipantsGrid(request.POST)
    rows = posted.rows()
    errors = dict(posted.errors)
    if not errors:
        try:
            count = services.participations_save(activity=activity, rows=rows, user=request.user)
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(request, _("Attendance saved: %(count)s rows changed.") % {"count": count})
            return _detail(activity, "participants")
    return render(request, "activities/activity_detail.html",
                  _detail_context(request, activity, posted=posted, errors=errors))


@require_POST
@never_cache
@permission_required("activities.delete_participation")
def participation_remove(request, pk, participation_pk):
    activity = selectors.activity_for_user(request.user, pk)
    participation = selectors.participation_for_activity(activity, participation_pk)
    services.participation_remove(participation=participation, user=request.user)
    messages.success(request, _("%(name)s was removed from the participants.") % {"name": participation.person.name})
    return _detail(activity, "participants")


@require_POST
@never_cache
@permission_required("activities.change_participation")
def participants_mark_leave(request, pk):
    activity = selectors.activity_for_user(request.user, pk)
    form = BulkLeaveForm(request.POST)
    if form.is_valid():
        try:
            count = services.participations_mark_leave(activity=activity, person_ids=form.cleaned_data["person"],
                                                       leave_reason=form.cleaned_data["leave_reason"],
                                                       user=request.user)
        except ValidationError as exc:
            _error_messages(request, exc)
        else:
            messages.success(request, _("%(count)s participants were marked as on leave.") % {"count": count})
    else:
        messages.error(request, _("Tick the participants to mark as on leave."))
    return _detail(activity, "participants")


# --- attachments --------------------------------------------------------------------------------------------

@require_POST
@never_cache
@permission_required("activities.add_attachment")
def attachment_upload(request, pk):
    activity = selectors.activity_for_user(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if response := submit_form(
            request, form, lambda data: services.attachment_add(activity=activity, user=request.user, **data),
            message=_("The file was attached."),
            done=lambda _result: _detail(activity, "attachments")):
        return response
    return render(request, "activities/activity_detail.html",
                  _detail_context(request, activity, attachment_form=form), status=200)


@require_safe
@never_cache
@permission_required("activities.view_attachment")
def attachment_download(request, pk, attachment_pk):
    attachment = selectors.attachment_for_user(request.user, pk, attachment_pk)
    audit_event(request=request, action=AuditEvent.Action.DOWNLOAD, obj=attachment,
                detail=attachment.original_name)
    return file_download(attachment.file.open("rb"), filename=attachment.original_name,
                         content_type=attachment.content_type)


@require_POST
@never_cache
@permission_required("activities.delete_attachment")
def attachment_delete(request, pk, attachment_pk):
    attachment = selectors.attachment_for_user(request.user, pk, attachment_pk)
    services.attachment_delete(attachment=attachment, user=request.user)
    messages.success(request, _("The file was deleted."))
    return redirect(reverse("activities:activity_detail", args=[pk]) + "#attachments")
