"""Standing committee meetings: the list, a meeting's page, entering and editing it, its attendance grid and its
speeches. Thin: check access, call a selector or a service, render.

Staff and supervisors see the meetings of their jurisdiction and below (another county's is a 404); only staff
write (403 for supervisors and everyone else).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from apps.core.registry import MeetingReplies, meeting_replies
from apps.core.web import page_with_query, submit_form
from apps.core.paper import sheet_response
from apps.covenant import access, paper, selectors, services
from apps.covenant.meeting_targets import KIND as REPLY_KIND
from apps.covenant.forms import AttendanceGrid, MeetingForm, SpeechForm, YearFilterForm
from apps.covenant.models import Speech
from apps.covenant.services import cell_key
from apps.deputies.attendance import Attendance

PAGE_SIZE = 30


def _meeting_data(form) -> dict:
    data = dict(form.cleaned_data)
    data["notes"] = data.get("notes") or ""
    return data


@require_safe
@never_cache
@access.office_required
def meeting_list(request):
    filters = YearFilterForm(request.GET or None, user=request.user)
    qs = access.office_meetings(request.user)
    year = None
    if filters.is_bound and filters.is_valid() and filters.cleaned_data.get("year"):
        year = filters.cleaned_data["year"]
        qs = qs.filter(start_date__year=year)
    if filters.is_bound and filters.is_valid() and filters.cleaned_data.get("jurisdiction"):
        qs = qs.filter(jurisdiction=filters.cleaned_data["jurisdiction"])
    missing = request.GET.get("attendance") == "missing"
    if missing:
        qs = selectors.unrecorded_meetings(qs, timezone.localdate())
    page, query = page_with_query(request, selectors.meeting_rows(qs), PAGE_SIZE)
    return render(request, "covenant/meeting_list.html", {
        "filters": filters, "page": page, "query": query, "year": year, "missing": missing,
        "can_write": access.can_write(request.user)})


@never_cache
@access.writer_required()
def meeting_create(request):
    form = MeetingForm(request.POST or None, user=request.user)
    if response := submit_form(
            request, form, lambda _data: services.meeting_create(user=request.user, **_meeting_data(form)),
            message=_("The meeting was entered. Record its attendance next."),
            done=lambda meeting: redirect("covenant:meeting_detail", pk=meeting.pk)):
        return response
    return render(request, "covenant/meeting_form.html", {"form": form, "meeting": None})


@never_cache
@access.writer_required()
def meeting_edit(request, pk):
    meeting = access.meeting_for_office(request.user, pk)
    form = MeetingForm(request.POST or None, user=request.user, meeting=meeting)
    if response := submit_form(
            request, form,
            lambda _data: services.meeting_update(meeting=meeting, user=request.user, **_meeting_data(form)),
            message=_("The meeting was saved."),
            done=lambda _result: redirect("covenant:meeting_detail", pk=meeting.pk)):
        return response
    return render(request, "covenant/meeting_form.html", {"form": form, "meeting": meeting})


@require_safe
@never_cache
@access.office_required
def meeting_detail(request, pk):
    meeting = access.meeting_for_office(request.user, pk)
    grid = selectors.attendance_grid(meeting)
    return render(request, "covenant/meeting_detail.html", {
        "meeting": meeting, "grid": grid, "speeches": list(selectors.meeting_speeches(meeting)),
        "can_write": access.can_write(request.user), "can_speak": access.can_write(request.user, "speech"),
        "can_record": access.can_write(request.user, "meetingattendance"), "statuses": Attendance,
        "reply_counts": meeting_replies(REPLY_KIND, meeting.pk).counts})


def _grid_rows(grid, *, posted: AttendanceGrid | None = None, errors: dict | None = None,
               replies: MeetingReplies | None = None) -> list[dict]:
    """The grid's rows as the template shows them: each cell's key, value (posted, else recorded, else what the
    member's reply to the meeting notice proposes) and error. A proposed cell carries the reply's label
    (回执：参加 / 回执：请假（理由）): it is saved only when staff save the grid."""
    errors = errors or {}
    rows = []
    for row in grid:
        reply = replies.of(person_id=row.member.person_id, user_id=row.member.user_id) if replies else None
        reply = reply if reply is not None and reply.reply else None
        cells = []
        for day, record, served in row.cells:
            key = cell_key(row.member.pk, day)
            proposed = reply.label if reply and record is None and served else ""
            if posted is not None:
                status, reason = posted.value(key)
            elif record:
                status, reason = record.status, record.leave_reason
            elif proposed:
                status, reason = reply.attendance, reply.reason[:services.REASON_MAX]
            else:
                status, reason = "", ""
            cells.append({"key": key, "day": day, "status": status, "reason": reason, "served": served,
                          "errors": errors.get(key, []), "proposed": proposed})
        rows.append({"member": row.member, "cells": cells})
    return rows


@never_cache
@access.writer_required("meetingattendance")
def meeting_attendance(request, pk):
    """The attendance grid: members × days, a status and a leave reason per cell, saved in one go (one bad cell
    and nothing is written; each bad cell says what is wrong)."""
    meeting = access.meeting_for_office(request.user, pk)
    grid = selectors.attendance_grid(meeting)
    replies = meeting_replies(REPLY_KIND, meeting.pk)
    if request.method == "POST":
        posted = AttendanceGrid(request.POST, grid=grid)
        entries = posted.entries()
        errors = dict(posted.errors)
        if not errors:
            try:
                recorded, cleared = services.attendance_save(meeting=meeting, user=request.user, entries=entries)
            except ValidationError as exc:
                errors = exc.message_dict
            else:
                messages.success(request, _("Attendance saved: %(recorded)s cells recorded or changed, %(cleared)s "
                                            "cleared.") % {"recorded": recorded, "cleared": cleared})
                return redirect("covenant:meeting_detail", pk=meeting.pk)
        known = {cell["key"] for row in _grid_rows(grid) for cell in row["cells"]}
        return render(request, "covenant/meeting_attendance.html", {
            "meeting": meeting, "rows": _grid_rows(grid, posted=posted, errors=errors, replies=replies),
            "other_errors": [m for key, msgs in errors.items() if key not in known for m in msgs],
            "error_count": len(errors), "fill_present": posted.fill_present, "statuses": Attendance.choices})
    return render(request, "covenant/meeting_attendance.html", {
        "meeting": meeting, "rows": _grid_rows(grid, replies=replies), "statuses": Attendance.choices,
        "error_count": 0, "reply_counts": replies.counts})


@require_safe
@never_cache
@access.writer_required("meetingattendance")
def meeting_sign_in_sheet(request, pk):
    """The sign-in sheet to print (A4 PDF): the members in the attendance grid's order, a signature column a day,
    and the code that opens the grid again when the filled sheet comes back."""
    meeting = access.meeting_for_office(request.user, pk)
    return sheet_response(request, kind=paper.KIND, obj=meeting, sheet=paper.sign_in_sheet(meeting),
                          filename=f"meeting-sign-in-sheet-{meeting.pk}.pdf")


# --- speeches ---------------------------------------------------------------------------------------------------

@never_cache
@access.writer_required("speech")
def speech_create(request, pk):
    meeting = access.meeting_for_office(request.user, pk)
    form = SpeechForm(request.POST or None, meeting=meeting)
    if response := submit_form(
            request, form, lambda data: services.speech_create(meeting=meeting, user=request.user, **data),
            message=_("The speech was recorded."),
            done=lambda _result: redirect(f"{meeting_url(meeting)}#speeches")):
        return response
    return render(request, "covenant/speech_form.html", {"form": form, "meeting": meeting})


def meeting_url(meeting) -> str:
    return reverse("covenant:meeting_detail", args=[meeting.pk])


@require_POST
@never_cache
@access.writer_required("speech")
def speech_delete(request, pk):
    speech = access.speech_for_office(request.user, pk)
    meeting = speech.meeting
    services.speech_delete(speech=speech, user=request.user)
    messages.success(request, _("The speech was removed."))
    return redirect(f"{meeting_url(meeting)}#speeches")


@require_safe
@never_cache
@access.office_required
def speech_list(request):
    """The year's speeches of the committees in scope."""
    filters = YearFilterForm(request.GET or None, user=request.user)
    jurisdiction, year = filters.chosen()
    qs = Speech.objects.filter(meeting__jurisdiction=jurisdiction, meeting__start_date__year=year)
    page, query = page_with_query(request, selectors.speech_rows(qs), PAGE_SIZE)
    return render(request, "covenant/speech_list.html", {
        "filters": filters, "page": page, "query": query, "year": year, "jurisdiction": jurisdiction})
