"""Training pages. Thin: check access, call a selector or a service, render.

Staff and supervisors work within their jurisdiction (a county's staff see their county's programs only);
supervisors read only. A record outside the user's scope is a 404; a page the role does not open is a 403.
"""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from apps.core.access import office_required, permission_required
from apps.core.registry import meeting_replies
from apps.core.models import AuditEvent
from apps.core.paper import sheet_response
from apps.core.services import audit_event
from apps.core.excel import xlsx_response
from apps.core.web import add_service_errors as _add_errors, file_download, page_with_query, submit_form
from apps.deputies.attendance import Attendance
from apps.deputies.models import Level
from apps.deputies.replies import ConfirmedReplies, proposals
from apps.deputies.participants import body_mandates, mandates_for_people, resolve_names, split_names
from apps.deputies.signin import read_sign_in
from apps.training import excel, paper, selectors, services
from apps.training.meeting_targets import KIND as REPLY_KIND
from apps.training.forms import (
    AttendanceForm, CoverageForm, MaterialForm, PasteForm, PeopleForm, ProgramFilterForm, ProgramForm,
    SessionForm, SignInImportForm, UntrainedForm, choices_from,
)

PAGE_SIZE = 30


def _page(request, qs):
    return page_with_query(request, qs, PAGE_SIZE)


# --- programs -----------------------------------------------------------------------------------------------

@require_safe
@never_cache
@permission_required("training.view_trainingprogram")
@office_required
def program_list(request):
    filters = ProgramFilterForm(request.GET or None, user=request.user)
    qs = selectors.visible_programs(request.user)
    if filters.is_valid():
        qs = selectors.filter_programs(qs, filters.cleaned_data)
    page, query = _page(request, selectors.program_rows(qs))
    return render(request, "training/program_list.html", {"filters": filters, "page": page, "query": query})


@never_cache
@permission_required("training.add_trainingprogram")
@office_required
def program_create(request):
    form = ProgramForm(request.POST or None, user=request.user)
    if response := submit_form(
            request, form, lambda data: services.program_create(user=request.user, **data),
            message=_("The program was saved."),
            done=lambda program: redirect("training:program_detail", pk=program.pk)):
        return response
    return render(request, "training/program_form.html", {"form": form})


@never_cache
@permission_required("training.change_trainingprogram")
def program_edit(request, pk):
    program = selectors.program_for_user(request.user, pk)
    form = ProgramForm(request.POST or None, user=request.user, instance=program)
    if response := submit_form(
            request, form, lambda data: services.program_update(program=program, user=request.user, **data),
            message=_("The changes were saved."),
            done=lambda _result: redirect("training:program_detail", pk=program.pk)):
        return response
    return render(request, "training/program_form.html", {"form": form, "program": program})


@require_safe
@never_cache
@permission_required("training.view_trainingprogram")
def program_detail(request, pk):
    program = selectors.program_for_user(request.user, pk)
    return render(request, "training/program_detail.html", {"program": program, "material_form": MaterialForm()})


# --- sessions -----------------------------------------------------------------------------------------------

@never_cache
@permission_required("training.add_trainingsession")
def session_create(request, pk):
    program = selectors.program_for_user(request.user, pk)
    form = SessionForm(request.POST or None, initial={"date": program.start_date})
    if response := submit_form(
            request, form, lambda data: services.session_create(program=program, **data),
            message=_("The session was saved."),
            done=lambda session: redirect("training:session_detail", pk=session.pk)):
        return response
    return render(request, "training/session_form.html", {"form": form, "program": program})


@never_cache
@permission_required("training.change_trainingsession")
def session_edit(request, pk):
    session = selectors.session_for_user(request.user, pk)
    form = SessionForm(request.POST or None, instance=session)
    if response := submit_form(
            request, form, lambda data: services.session_update(session=session, **data),
            message=_("The changes were saved."),
            done=lambda _result: redirect("training:session_detail", pk=session.pk)):
        return response
    return render(request, "training/session_form.html", {"form": form, "program": session.program,
                                                          "session": session})


@require_POST
@never_cache
@permission_required("training.delete_trainingsession")
def session_delete(request, pk):
    session = selectors.session_for_user(request.user, pk)
    program_pk = session.program_id
    services.session_delete(session=session)
    messages.success(request, _("The session was deleted."))
    return redirect("training:program_detail", pk=program_pk)


# --- materials ----------------------------------------------------------------------------------------------

@require_POST
@never_cache
@permission_required("training.add_trainingmaterial")
def material_upload(request, pk):
    program = selectors.program_for_user(request.user, pk)
    form = MaterialForm(request.POST, request.FILES)
    if response := submit_form(
            request, form, lambda data: services.material_add(program=program, file=data["file"], user=request.user),
            message=_("The file was uploaded."),
            done=lambda _result: redirect("training:program_detail", pk=program.pk)):
        return response
    return render(request, "training/program_detail.html", {"program": program, "material_form": form})


@require_safe
@never_cache
@permission_required("training.view_trainingmaterial")
def material_download(request, pk):
    material = selectors.material_for_user(request.user, pk)
    return file_download(material.file.open("rb"), filename=material.original_name,
                         content_type=material.content_type)


@require_POST
@never_cache
@permission_required("training.delete_trainingmaterial")
def material_delete(request, pk):
    material = selectors.material_for_user(request.user, pk)
    program_pk = material.program_id
    services.material_delete(material=material)
    messages.success(request, _("The file was deleted."))
    return redirect("training:program_detail", pk=program_pk)


# --- attendance -----------------------------------------------------------------------------------------------

def _session_page(request, session, *, status=200, **extra):
    q = request.GET.get("q", "") if request.method == "GET" else request.POST.get("q", "")
    rows = list(selectors.attendance_rows(session))
    replies = meeting_replies(REPLY_KIND, session.pk)
    for row in rows:  # the recorded row wins; the reply is shown beside it
        reply = replies.by_person.get(row.person_id)
        row.reply = reply if reply is not None and reply.reply else None
    context = {
        "session": session, "program": session.program, "rows": rows, "reply_counts": replies.counts,
        "attendance_choices": Attendance.choices,
        "q": q, "found": selectors.search_candidates(session, q) if q else [],
        "people_form": PeopleForm(), "paste_form": PasteForm(), "import_form": SignInImportForm(),
        "levels": Level.choices, **selectors.session_bodies(session),
        "can_add": request.user.has_perm("training.add_trainingattendance"),
        "can_change": request.user.has_perm("training.change_trainingattendance"),
        "can_delete": request.user.has_perm("training.delete_trainingattendance"),
        **extra,
    }
    if context["can_add"]:
        program = session.program
        context["reply_proposals"] = proposals(
            replies, recorded={row.person_id for row in rows},
            candidates=lambda ids: mandates_for_people(ids, jurisdiction=program.jurisdiction, level=program.level,
                                                       on=session.date))
    context["present"] = sum(1 for r in context["rows"] if r.attendance == "present")
    return render(request, "training/session_detail.html", context, status=status)


@require_safe
@never_cache
@permission_required("training.view_trainingsession")
def session_detail(request, pk):
    """The session with its attendance, and (staff) the fast entry: search, bodies, paste, sign-in sheet."""
    session = selectors.session_for_user(request.user, pk)
    return _session_page(request, session)


@require_safe
@never_cache
@permission_required("training.change_trainingattendance")
def session_sign_in_sheet(request, pk):
    """The sign-in sheet to print (A4 PDF): the recorded people in the attendance table's order, and the code that
    opens the session again when the filled sheet comes back."""
    session = selectors.session_for_user(request.user, pk)
    return sheet_response(request, kind=paper.KIND, obj=session, sheet=paper.sign_in_sheet(session),
                          filename=f"training-sign-in-sheet-{session.pk}.pdf")


@require_safe
@never_cache
@permission_required("training.add_trainingattendance")
def attendance_search(request, pk):
    """htmx: candidates matching ``q`` (name, pinyin, initials) as checkboxes."""
    session = selectors.session_for_user(request.user, pk)
    q = request.GET.get("q", "")
    return render(request, "training/fragment_candidates.html",
                  {"found": selectors.search_candidates(session, q), "q": q})


def _added(request, session, count):
    messages.success(request, _("%(count)s attendance rows were added.") % {"count": count})
    return redirect("training:session_detail", pk=session.pk)


@require_POST
@never_cache
@permission_required("training.add_trainingattendance")
def attendance_add(request, pk):
    """Add the ticked deputies, or a whole delegation / group / level, with one attendance."""
    session = selectors.session_for_user(request.user, pk)
    program = session.program
    form = PeopleForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        where = {"jurisdiction": program.jurisdiction, "level": program.level, "on": session.date}
        if data["body"]:
            kind, value = data["body"]
            argument = {"delegation": "delegation_id", "group": "group_id", "level": "mandate_level"}[kind]
            people = body_mandates(**where, **{argument: value})
        else:
            people = mandates_for_people(data["people"], **where)
        reasons = {pid: data["leave_reason"] for pid in people}
        try:
            count = services.attendance_add(session=session, people=people, attendance=data["attendance"],
                                            leave_reasons=reasons, user=request.user)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return _added(request, session, count)
    return _session_page(request, session, people_form=form, status=200)


@require_POST
@never_cache
@permission_required("training.add_trainingattendance")
def attendance_paste(request, pk):
    """Add a pasted list of names: all must resolve (ambiguous ones chosen) before anything is saved."""
    session = selectors.session_for_user(request.user, pk)
    program = session.program
    form = PasteForm(request.POST)
    resolution = None
    if form.is_valid():
        data = form.cleaned_data
        names = split_names(data["names"])
        resolution = resolve_names(names, jurisdiction=program.jurisdiction, level=program.level,
                                   on=session.date, choices=choices_from(request.POST))
        if not names:
            form.add_error("names", _("Paste at least one name."))
        elif resolution.ok:
            try:
                count = services.attendance_add(
                    session=session, people=resolution.people, attendance=data["attendance"],
                    leave_reasons={pid: data["leave_reason"] for pid in resolution.people}, user=request.user)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                return _added(request, session, count)
    return _session_page(request, session, paste_form=form, paste_resolution=resolution)


@require_POST
@never_cache
@permission_required("training.add_trainingattendance")
def attendance_from_replies(request, pk):
    """Confirm the ticked replies to the meeting notice naming the session (at the door): record those deputies
    with the attendance confirmed. Until then a reply is only a proposal and counts nowhere."""
    session = selectors.session_for_user(request.user, pk)
    program = session.program
    confirmed = ConfirmedReplies.from_post(request.POST)
    errors = confirmed.errors
    if not errors:
        people = mandates_for_people(confirmed.person_ids, jurisdiction=program.jurisdiction, level=program.level,
                                     on=session.date)
        if len(people) != len(confirmed.person_ids):
            errors = [_("Some of the people chosen hold no mandate eligible for this activity; nothing was added.")]
        else:
            try:
                count = services.attendance_add(session=session, people=people, attendances=confirmed.attendances,
                                                leave_reasons=confirmed.reasons, user=request.user)
            except ValidationError as exc:
                errors = exc.messages
            else:
                messages.success(request, _("%(count)s replies were confirmed and recorded.") % {"count": count})
    for message in errors:
        messages.error(request, message)
    return redirect(reverse("training:session_detail", args=[session.pk]) + "#attendance")


@require_POST
@never_cache
@permission_required("training.add_trainingattendance")
def attendance_import(request, pk):
    """Import a sign-in workbook: every row must read and every name resolve, else nothing is saved and the
    problems are listed (ambiguous names can be chosen and the import sent again without the file)."""
    session = selectors.session_for_user(request.user, pk)
    program = session.program
    form = SignInImportForm(request.POST, request.FILES)
    context = {"import_form": form}
    if form.is_valid():
        if form.cleaned_data.get("file"):
            sheet = read_sign_in(form.cleaned_data["file"])
            if not sheet.ok:
                return _session_page(request, session, import_errors=sheet.errors, **context)
            rows = [{"row": r.row, "name": r.name, "attendance": r.attendance, "reason": r.leave_reason}
                    for r in sheet.rows]
        else:
            try:
                rows = json.loads(form.cleaned_data["rows"])
                rows = [{"row": int(r["row"]), "name": str(r["name"]), "attendance": str(r["attendance"]),
                         "reason": str(r.get("reason", ""))} for r in rows]
            except (ValueError, TypeError, KeyError):
                form.add_error(None, _("Choose the sign-in workbook."))
                return _session_page(request, session, **context)
        resolution = resolve_names([r["name"] for r in rows], jurisdiction=program.jurisdiction,
                                   level=program.level, on=session.date, choices=choices_from(request.POST))
        context.update(import_resolution=resolution, import_rows=json.dumps(rows, ensure_ascii=False))
        if resolution.ok:
            by_name = {r["name"]: r for r in rows}
            attendances = {pid: by_name[name]["attendance"] for pid, name in resolution.names.items()}
            reasons = {pid: by_name[name]["reason"] for pid, name in resolution.names.items()}
            missing = [f'{_("Row %(row)s") % {"row": by_name[name]["row"]}}: {name}'
                       for pid, name in resolution.names.items()
                       if attendances[pid] == "leave" and not reasons[pid]]
            if missing:
                form.add_error(None, _("Enter the reason for the leave in the sheet for: %(rows)s.")
                               % {"rows": "; ".join(missing)})
            else:
                try:
                    count = services.attendance_add(session=session, people=resolution.people,
                                                    attendances=attendances, leave_reasons=reasons,
                                                    user=request.user)
                except ValidationError as exc:
                    _add_errors(form, exc)
                else:
                    return _added(request, session, count)
    return _session_page(request, session, **context)


@require_POST
@never_cache
@permission_required("training.change_trainingattendance")
def attendance_edit(request, pk):
    row = selectors.attendance_for_user(request.user, pk)
    form = AttendanceForm(request.POST)
    if response := submit_form(
            request, form, lambda data: services.attendance_set(row=row, **data),
            message=lambda _result: _("The attendance of %(name)s was saved.") % {"name": row.person.name},
            done=lambda _result: redirect("training:session_detail", pk=row.session_id)):
        return response
    errors = [e for errs in form.errors.values() for e in errs]
    return _session_page(request, row.session, edit_errors={row.pk: errors})


@require_POST
@never_cache
@permission_required("training.delete_trainingattendance")
def attendance_remove(request, pk):
    row = selectors.attendance_for_user(request.user, pk)
    services.attendance_remove(row=row)
    messages.success(request, _("%(name)s was removed.") % {"name": row.person.name})
    return redirect("training:session_detail", pk=row.session_id)


# --- coverage -------------------------------------------------------------------------------------------------

@require_safe
@never_cache
@permission_required("training.view_trainingattendance")
@office_required
def coverage(request):
    """Coverage of the user's jurisdiction in a year, by level and by jurisdiction."""
    form = CoverageForm(request.GET or None)
    year = form.chosen_year()
    table = selectors.coverage_table(jurisdiction=request.user.jurisdiction, year=year)
    labels = dict(Level.choices)
    groups = [{"label": labels[level], "rows": table.rows_of(level), "total": table.totals[level]}
              for level in table.levels]
    return render(request, "training/coverage.html", {"form": form, "table": table, "year": year,
                                                      "groups": groups})


def _untrained(request):
    form = UntrainedForm(request.GET)
    if not form.is_valid():
        raise Http404
    year = form.chosen_year()
    unit, own = selectors.coverage_unit(request.user, form.cleaned_data.get("jurisdiction"))
    qs = selectors.untrained_mandates(jurisdiction=request.user.jurisdiction, year=year,
                                      level=form.cleaned_data["level"], unit=unit, own=own)
    return form, year, unit, own, qs


@require_safe
@never_cache
@permission_required("training.view_trainingattendance")
@office_required
def coverage_untrained(request):
    """The drill-down: the serving deputies of a coverage row not trained in the year."""
    form, year, unit, own, qs = _untrained(request)
    page, query = _page(request, qs)
    return render(request, "training/coverage_untrained.html", {
        "form": form, "year": year, "unit": unit or request.user.jurisdiction, "own": own, "page": page,
        "query": query, "level": form.cleaned_data["level"],
        "level_label": dict(Level.choices)[form.cleaned_data["level"]]})


@require_safe
@never_cache
@permission_required("training.view_trainingattendance")
@office_required
def coverage_export(request):
    """Excel: the coverage table, or (with ``level``) the untrained deputies of a row. Audited."""
    if request.GET.get("level"):
        form, year, unit, own, qs = _untrained(request)
        content = excel.untrained_workbook(qs, year=year)
        filename = f"training-untrained-{year}.xlsx"
        detail = f"training untrained {year} {form.cleaned_data['level']} {unit.pk if unit else ''}"
    else:
        year = CoverageForm(request.GET or None).chosen_year()
        table = selectors.coverage_table(jurisdiction=request.user.jurisdiction, year=year)
        content = excel.coverage_workbook(table)
        filename = f"training-coverage-{year}.xlsx"
        detail = f"training coverage {year}"
    audit_event(request=request, action=AuditEvent.Action.EXPORT, obj=request.user.jurisdiction, detail=detail)
    return xlsx_response(content, filename=filename)
