"""The committee's composition, quota rules, yearly liaison plans, compliance and a member's own page.

Thin: check access, call a selector or a service, render. Staff build and publish plans for their jurisdiction
(or one below it, ``?jurisdiction=``); supervisors see the same pages read-only; a committee member sees only
their own assignments. A record outside the user's scope is a 404; a page the role does not open is a 403.
"""

from itertools import groupby

import openpyxl
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from apps.committee import selectors as committee_selectors, services as committee_services
from apps.committee.forms import CommitteeMemberForm, SpecialCommitteeForm
from apps.committee.models import CommitteeMember, Post
from apps.core import roles
from apps.core.access import permission_required, roster_required, sees_roster
from apps.core.excel import safe_row, sheet_title, workbook_bytes, xlsx_response
from apps.core.models import AuditEvent
from apps.core.services import audit_event
from apps.deputies.selectors import search_filter
from apps.liaison import rules
from apps.liaison.forms.plans import AssignmentForm, ComplianceFilterForm, QuotaRuleForm
from apps.liaison.models import LiaisonAssignment, QuotaRule, QuotaTarget
from apps.liaison.selectors import plans as selectors
from apps.liaison.services import plans as services
from apps.core.web import add_service_errors as _add_errors, submit_form

STATUS_FILLS = {rules.GREEN: "C6EFCE", rules.AMBER: "FFEB9C", rules.RED: "FFC7CE"}


def _require_member(user):
    if not user.has_role(roles.MEMBER):
        raise PermissionDenied


def _check_year(year: int) -> int:
    if not 2000 <= year <= 2100:
        raise Http404
    return year


def _plan_url(year: int, jurisdiction, user) -> str:
    url = reverse("liaison:plan_detail", args=[year])
    return url if jurisdiction.pk == user.jurisdiction_id else f"{url}?jurisdiction={jurisdiction.pk}"


def _jurisdiction(request):
    return selectors.jurisdiction_for_user(request.user, request.GET.get("jurisdiction")
                                           or request.POST.get("jurisdiction"))


# --- plans ---------------------------------------------------------------------------------------------------

@require_safe
@permission_required("liaison.view_liaisonassignment")
@roster_required(perm="liaison.view_liaisonassignment")
def plan_current(request):
    jurisdiction = _jurisdiction(request)
    return redirect(_plan_url(timezone.localdate().year, jurisdiction, request.user))


def _render_plan(request, year, jurisdiction, *, form=None):
    plan = selectors.plan_for(jurisdiction, year)
    can_edit = request.user.has_perm("liaison.change_liaisonplan")
    context = {"year": year, "jurisdiction": jurisdiction, "plan": plan, "can_edit": can_edit,
               "jurisdictions": selectors.scope_jurisdictions(request.user), "tab": "plan",
               "can_create": request.user.has_perm("liaison.add_liaisonplan"),
               "can_remove": request.user.has_perm("liaison.delete_liaisonassignment"),
               "years": [year - 1, year + 1]}
    if plan is not None:
        overview = selectors.plan_overview(plan=plan)
        context["overview"] = overview
        if can_edit and request.user.has_perm("liaison.add_liaisonassignment"):
            q = (request.GET.get("q") or request.POST.get("q") or "").strip()
            members = [row.member for row in overview.rows]
            if form is None:
                form = AssignmentForm(
                    plan=plan, members=members, deputies=selectors.deputy_choices(jurisdiction=jurisdiction, q=q),
                    delegations=selectors.delegation_choices(jurisdiction),
                    groups=selectors.group_choices(jurisdiction),
                    initial={"member": request.GET.get("member")})
            context.update({"form": form, "q": q})
    return render(request, "liaison/plan_detail.html", context)


@require_safe
@never_cache
@permission_required("liaison.view_liaisonassignment")
@roster_required(perm="liaison.view_liaisonassignment")
def plan_detail(request, year):
    """The year's plan: each member's assignments and shortfall, the collective quotas; staff edit it here."""
    return _render_plan(request, _check_year(year), _jurisdiction(request))


@require_POST
@permission_required("liaison.add_liaisonplan")
@roster_required(perm="liaison.view_liaisonassignment")
def plan_create(request, year):
    jurisdiction = _jurisdiction(request)
    services.plan_create(jurisdiction=jurisdiction, year=_check_year(year))
    messages.success(request, _("The plan for %(year)s was created.") % {"year": year})
    return redirect(_plan_url(year, jurisdiction, request.user))


def _existing_plan(request, year):
    jurisdiction = _jurisdiction(request)
    plan = selectors.plan_for(jurisdiction, _check_year(year))
    if plan is None:
        raise Http404
    return plan


@require_POST
@permission_required("liaison.change_liaisonplan")
@roster_required(perm="liaison.view_liaisonassignment")
def plan_propose(request, year):
    """Fill every gap between the plan and the quotas (see ``services.plans.plan_propose``)."""
    if not request.user.has_perm("liaison.add_liaisonassignment"):
        raise PermissionDenied
    plan = _existing_plan(request, year)
    created = services.plan_propose(plan=plan)
    messages.success(request, _("%(count)s assignments were proposed. Check them, adjust and publish.")
                     % {"count": len(created)})
    shortfall = selectors.plan_overview(plan=plan).shortfall
    if shortfall:
        messages.warning(request, _("%(count)s places could not be filled: there are not enough deputies, "
                                    "delegations or groups to choose from.") % {"count": shortfall})
    return redirect(_plan_url(plan.year, plan.jurisdiction, request.user))


@require_POST
@permission_required("liaison.change_liaisonplan")
@roster_required(perm="liaison.view_liaisonassignment")
def plan_publish(request, year):
    plan = _existing_plan(request, year)
    try:
        services.plan_publish(plan=plan, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The plan was published and each member was notified of their assignments."))
    return redirect(_plan_url(plan.year, plan.jurisdiction, request.user))


@require_POST
@permission_required("liaison.add_liaisonassignment")
@roster_required(perm="liaison.view_liaisonassignment")
def assignment_add(request, year):
    plan = _existing_plan(request, year)
    jurisdiction = plan.jurisdiction
    members = [row.member for row in selectors.plan_overview(plan=plan).rows]
    deputies = selectors.deputy_choices(jurisdiction=jurisdiction, q=request.POST.get("q", ""))
    form = AssignmentForm(request.POST, plan=plan, members=members, deputies=deputies,
                          delegations=selectors.delegation_choices(jurisdiction),
                          groups=selectors.group_choices(jurisdiction))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.assignment_add(plan=plan, member=data["member"], mandate=data["mandate"],
                                    delegation=data["delegation"], group=data["group"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The assignment was added."))
            return redirect(_plan_url(plan.year, jurisdiction, request.user))
    return _render_plan(request, plan.year, jurisdiction, form=form)


@require_POST
@permission_required("liaison.delete_liaisonassignment")
@roster_required(perm="liaison.view_liaisonassignment")
def assignment_remove(request, pk):
    assignment = (LiaisonAssignment.objects.select_related("plan__jurisdiction", "member__user", "mandate__person",
                                                           "delegation", "group")
                  .filter(pk=pk, plan__jurisdiction__path__startswith=request.user.jurisdiction.path).first())
    if assignment is None:
        raise Http404
    plan = assignment.plan
    services.assignment_remove(assignment=assignment)
    messages.success(request, _("The assignment was removed."))
    return redirect(_plan_url(plan.year, plan.jurisdiction, request.user))


# --- compliance ------------------------------------------------------------------------------------------------

def _compliance(request):
    """The rows the user may see, filtered: staff and supervisors their jurisdiction's, a member their own."""
    user = request.user
    if not sees_roster(user):
        raise PermissionDenied
    office = user.has_perm("liaison.view_liaisonassignment")
    filters = ComplianceFilterForm(request.GET or None, jurisdictions=selectors.scope_jurisdictions(user),
                                   initial={"jurisdiction": user.jurisdiction_id,
                                            "year": timezone.localdate().year})
    data = filters.cleaned_data if filters.is_valid() else {}
    today = timezone.localdate()
    year = data.get("year") or today.year
    if office:
        jurisdiction = data.get("jurisdiction") or user.jurisdiction
        members = None
        if data.get("q"):
            members = CommitteeMember.objects.filter(search_filter(data["q"]))
    else:
        own = list(committee_selectors.own_members(user))
        jurisdiction = own[0].jurisdiction if own else user.jurisdiction
        members = committee_selectors.own_members(user)
    rows = selectors.compliance_rows(jurisdiction=jurisdiction, year=year, on_date=today, members=members,
                                     published_only=not office)
    if data.get("post"):
        rows = [r for r in rows if r.member.post == data["post"]]
    if data.get("status"):
        rows = [r for r in rows if r.status == data["status"]]
    return filters, jurisdiction, year, today, rows, office


@require_safe
@never_cache
@permission_required("liaison.view_liaisonplan")
def compliance(request):
    """Contacts this year against the quota and the pace expected by today, per member and assignment."""
    filters, jurisdiction, year, today, rows, office = _compliance(request)
    groups = [(Post(post).label, list(items)) for post, items in groupby(rows, key=lambda r: r.member.post)]
    counts = {status: sum(1 for r in rows if r.status == status) for status in (rules.GREEN, rules.AMBER, rules.RED)}
    return render(request, "liaison/compliance.html", {
        "filters": filters, "jurisdiction": jurisdiction, "year": year, "today": today, "groups": groups,
        "rows": rows, "counts": counts, "office": office, "tab": "compliance",
        "query": request.GET.urlencode(),
    })


@require_safe
@permission_required("liaison.view_liaisonassignment")
@roster_required(perm="liaison.view_liaisonassignment")
def compliance_export(request):
    filters, jurisdiction, year, today, rows, _office = _compliance(request)
    content = _compliance_workbook(rows, jurisdiction=jurisdiction, year=year, today=today)
    audit_event(request=request, action=AuditEvent.Action.EXPORT,
                detail=f"liaison compliance {jurisdiction.pk} {year}: {request.GET.urlencode()}"[:500])
    return xlsx_response(content, filename=f"liaison-compliance-{year}.xlsx")


def _compliance_workbook(rows, *, jurisdiction, year, today) -> bytes:
    """One row per assignment (a member without assignments gets one row), coloured by status."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(_("Compliance"))
    sheet.append(safe_row(sheet, [_("%(jurisdiction)s liaison compliance %(year)s (as of %(date)s)") % {
        "jurisdiction": jurisdiction.name, "year": year, "date": today.strftime("%Y-%m-%d")}]))
    sheet.cell(1, 1).font = Font(bold=True, size=13)
    headers = [_("Post"), _("Committee member"), _("Contacts made"), _("Kind"), _("Deputy, delegation or group"),
               _("Contacts per year"), _("Contacts so far"), _("Expected by now"), _("Status")]
    sheet.append([str(h) for h in headers])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        lead = [row.member.get_post_display(), row.member.person.name, row.contacts_made]
        if not row.assignments:
            sheet.append(safe_row(sheet, [*lead, "", str(_("No assignments")), "", "", "", ""]))
        for a in row.assignments:
            sheet.append(safe_row(sheet, [*lead, str(a.target_label), a.name, a.quota, a.contacts, a.expected,
                                          str(a.status_label)]))
            sheet.cell(sheet.max_row, len(headers)).fill = PatternFill("solid", fgColor=STATUS_FILLS[a.status])
    for index, width in enumerate([12, 14, 10, 14, 24, 10, 10, 12, 12], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "C3"
    return workbook_bytes(workbook)


@require_safe
@never_cache
@permission_required("liaison.view_liaisonplan")
def member_my(request):
    """A member's own page: their assignments in this year's published plan, with contacts and pace."""
    _require_member(request.user)
    today = timezone.localdate()
    behind = request.GET.get("pace") == "behind"
    rows, linked = selectors.member_year_rows(request.user, today, behind_only=behind)
    return render(request, "liaison/member_my.html", {"rows": rows, "today": today, "linked": linked,
                                                      "behind": behind})


# --- composition ----------------------------------------------------------------------------------------------

@require_safe
@never_cache
@permission_required("committee.view_committeemember")
@roster_required(perm="liaison.view_liaisonassignment")
def member_list(request):
    jurisdiction = _jurisdiction(request)
    members = selectors.sort_members(
        committee_selectors.visible_members(request.user).filter(jurisdiction=jurisdiction))
    year = timezone.localdate().year
    return render(request, "liaison/member_list.html", {
        "members": members, "jurisdiction": jurisdiction, "tab": "members", "year": year,
        "jurisdictions": selectors.scope_jurisdictions(request.user),
    })


def _member_form(request, member=None):
    q = request.GET.get("q", "")
    return CommitteeMemberForm(request.POST or None, instance=member, q=q,
                               scope_path=request.user.jurisdiction.path)


@never_cache
@permission_required("committee.add_committeemember")
@roster_required(perm="liaison.view_liaisonassignment")
def member_create(request):
    form = _member_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            member = committee_services.committee_member_create(
                term=data["term"], person=data["person"], post=data["post"], start_date=data["start_date"],
                end_date=data["end_date"], user=data["user"], special_committees=data["special_committees"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("%(name)s was added to the standing committee.") % {
                "name": member.person.name})
            return redirect(f"{reverse('liaison:member_list')}?jurisdiction={member.jurisdiction_id}")
    return render(request, "liaison/member_form.html", {"form": form, "tab": "members",
                                                        "q": request.GET.get("q", "")})


@never_cache
@permission_required("committee.change_committeemember")
@roster_required(perm="liaison.view_liaisonassignment")
def member_edit(request, pk):
    member = committee_selectors.member_for_user(request.user, pk)
    form = _member_form(request, member)
    if response := submit_form(
            request, form, lambda data: committee_services.committee_member_update(member=member, data=data),
            message=_("The changes were saved."),
            done=lambda _result: redirect(f"{reverse('liaison:member_list')}?jurisdiction={member.jurisdiction_id}")):
        return response
    return render(request, "liaison/member_form.html", {"form": form, "member": member, "tab": "members",
                                                        "q": request.GET.get("q", "")})


@require_safe
@never_cache
@permission_required("committee.view_specialcommittee")
@roster_required(perm="liaison.view_liaisonassignment")
def special_committee_list(request):
    committees = committee_selectors.visible_special_committees(request.user).order_by("jurisdiction__path", "name")
    return render(request, "liaison/member_special_committees.html", {"committees": committees,
                                                                     "tab": "special_committees"})


@never_cache
@permission_required("committee.add_specialcommittee")
@roster_required(perm="liaison.view_liaisonassignment")
def special_committee_create(request):
    form = SpecialCommitteeForm(request.POST or None, jurisdictions=selectors.scope_jurisdictions(request.user),
                                initial={"jurisdiction": request.user.jurisdiction_id})
    if response := submit_form(
            request, form, lambda data: committee_services.special_committee_create(jurisdiction=data["jurisdiction"],
                                                                          name=data["name"]),
            message=_("The special committee was added."),
            done=lambda _result: redirect("liaison:special_committee_list")):
        return response
    return render(request, "liaison/member_special_committee_form.html", {"form": form,
                                                                         "tab": "special_committees"})


# --- quota rules -----------------------------------------------------------------------------------------------

@require_safe
@never_cache
@permission_required("liaison.view_quotarule")
@roster_required(perm="liaison.view_liaisonassignment")
def quota_rules(request):
    """The rules in force for the jurisdiction: the defaults and the jurisdiction's own overrides."""
    jurisdiction = _jurisdiction(request)
    effective = rules.effective_rules(jurisdiction)
    per_post = [(Post(post).label, rules.requirements_for_post(post, effective)) for post in Post.values]
    return render(request, "liaison/plan_quota_rules.html", {
        "rules": effective, "jurisdiction": jurisdiction, "per_post": per_post,
        "collective": rules.collective_requirements(effective), "tab": "quota_rules",
        "jurisdictions": selectors.scope_jurisdictions(request.user),
        "can_edit": request.user.has_perm("liaison.change_quotarule")
        and request.user.has_perm("liaison.add_quotarule"),
    })


@never_cache
@permission_required("liaison.change_quotarule")
@roster_required(perm="liaison.view_liaisonassignment")
def quota_rule_edit(request):
    """Set the jurisdiction's own rule for a (post, target, collective); prefilled from the rule in force."""
    if not request.user.has_perm("liaison.add_quotarule"):
        raise PermissionDenied
    jurisdiction = _jurisdiction(request)
    initial = {"post": request.GET.get("post", QuotaRule.COUNCIL), "target": request.GET.get("target",
               QuotaTarget.MUNICIPAL), "collective": request.GET.get("collective") == "1",
               "contacts_per_year": rules.DEFAULT_CONTACTS_PER_YEAR}
    for rule in rules.effective_rules(jurisdiction):
        if (rule.post, rule.target, rule.collective) == (initial["post"], initial["target"], initial["collective"]):
            initial.update(quantity=rule.quantity, contacts_per_year=rule.contacts_per_year)
    form = QuotaRuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.quota_rule_set(jurisdiction=jurisdiction, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The rule was saved; plans' shortfalls follow it."))
            url = reverse("liaison:quota_rules")
            if jurisdiction.pk != request.user.jurisdiction_id:
                url += f"?jurisdiction={jurisdiction.pk}"
            return redirect(url)
    return render(request, "liaison/plan_quota_rule_form.html", {"form": form, "jurisdiction": jurisdiction,
                                                                 "tab": "quota_rules"})
