"""Participation pages: invitations of deputies into the committee's work, their opinions and outcomes, the
yearly counts, recommendations to outside roles, and a deputy's own page. Thin: check access, call a selector
or a service, render.

Staff (city or county) manage the records of their jurisdiction and below, supervisors read them; a deputy
sees only their own (``my_participation``). Other roles get 403; a record outside the user's scope is a 404.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from apps.core import roles
from apps.core.access import permission_required
from apps.core.excel import xlsx_response
from apps.core.models import AuditEvent
from apps.core.services import audit_event
from apps.liaison import excel
from apps.liaison.forms.participation import (
    InvitationFilterForm, InvitationForm, InviteForm, OpinionForm, OpinionOutcomeForm, RecommendationFilterForm,
    RecommendationForm,
)
from apps.liaison.models import Opinion
from apps.liaison.selectors import participation as selectors
from apps.liaison.services import participation as services

PAGE_SIZE = 50


def _require_jurisdiction(user):
    """Staff and supervisors work within their jurisdiction; without one there is nothing they may see."""
    if getattr(user, "jurisdiction_id", None) is None:
        raise PermissionDenied


def _require_deputy(user):
    if not (user.has_role(roles.DEPUTY) and user.person_id):
        raise PermissionDenied


def _posted(request):
    """The submitted data of a POST (even when empty, so that an empty form shows its errors), else None."""
    return request.POST if request.method == "POST" else None


def _filters(form) -> dict:
    return {k: v for k, v in form.cleaned_data.items() if v not in (None, "", False)} if form.is_valid() else {}


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- invitations --------------------------------------------------------------------------------------------

@require_safe
@never_cache
@permission_required("liaison.view_invitation")
def invitation_list(request):
    _require_jurisdiction(request.user)
    form = InvitationFilterForm(request.GET or None)
    rows = selectors.invitation_rows(selectors.visible_invitations(request.user), **_filters(form))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "liaison/invitation_list.html", {
        "form": form, "page": page, "query": _query_without_page(request),
        "can_add": request.user.has_perm("liaison.add_invitation"),
    })


@require_safe
@never_cache
@permission_required("liaison.view_invitation")
def invitation_export(request):
    """The invitation list as an Excel workbook: the list's filters, scope and rows (audited)."""
    _require_jurisdiction(request.user)
    form = InvitationFilterForm(request.GET or None)
    rows = selectors.invitation_rows(selectors.visible_invitations(request.user), **_filters(form))
    content = excel.invitations_workbook(rows)
    audit_event(request=request, action=AuditEvent.Action.EXPORT,
                detail=f"liaison invitations: {request.GET.urlencode()}"[:500])
    return xlsx_response(content, filename=f"invitations-{timezone.localtime():%Y%m%d-%H%M}.xlsx")


@never_cache
@permission_required("liaison.add_invitation")
def invitation_create(request):
    _require_jurisdiction(request.user)
    form = InvitationForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(jurisdiction=request.user.jurisdiction, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The invitation was created; now invite the deputies."))
            return redirect("liaison:invitation_invite", pk=invitation.pk)
    return render(request, "liaison/invitation_form.html", {"form": form})


@require_safe
@never_cache
@permission_required("liaison.view_invitation")
def invitation_detail(request, pk):
    _require_jurisdiction(request.user)
    invitation = selectors.invitation_for_user(request.user, pk)
    invitees = selectors.invitation_invitees(invitation)
    return render(request, "liaison/invitation_detail.html", {
        "invitation": invitation,
        "invitees": invitees,
        "attended": sum(1 for i in invitees if i.attended),
        "can_edit": request.user.has_perm("liaison.change_invitation"),
        "can_invite": request.user.has_perm("liaison.add_invitee"),
        "can_mark": request.user.has_perm("liaison.change_invitee"),
        "can_add_opinion": request.user.has_perm("liaison.add_opinion"),
        "can_decide": request.user.has_perm("liaison.change_opinion"),
    })


@never_cache
@permission_required("liaison.change_invitation")
def invitation_edit(request, pk):
    _require_jurisdiction(request.user)
    invitation = selectors.invitation_for_user(request.user, pk)
    form = InvitationForm(_posted(request), instance=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_update(invitation=invitation, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("liaison:invitation_detail", pk=invitation.pk)
    return render(request, "liaison/invitation_form.html", {"form": form, "invitation": invitation})


@never_cache
@permission_required("liaison.add_invitee")
def invitation_invite(request, pk):
    """Find deputies by name or pinyin initials and invite some, or invite a whole delegation or group."""
    _require_jurisdiction(request.user)
    user = request.user
    invitation = selectors.invitation_for_user(user, pk)
    q = (request.POST.get("q") if request.method == "POST" else request.GET.get("q")) or ""
    form = InviteForm(_posted(request), people=selectors.candidate_people(user),
                      delegations=selectors.scoped_delegations(user), groups=selectors.scoped_groups(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        people = list(data["people"])
        if data["delegation"] is not None:
            people += list(selectors.people_of(delegation=data["delegation"]))
        if data["group"] is not None:
            people += list(selectors.people_of(group=data["group"]))
        added = services.invitees_add(invitation=invitation, people=people)
        messages.success(request, _("%(count)d deputies were invited.") % {"count": added})
        return redirect("liaison:invitation_detail", pk=invitation.pk)
    return render(request, "liaison/invitation_invite.html", {
        "invitation": invitation, "form": form, "q": q,
        "candidates": selectors.search_candidates(user, q, exclude_invitation=invitation),
    })


@require_POST
@permission_required("liaison.change_invitee")
def invitation_attendance(request, pk):
    """Record who attended: the ticked invitees are present, the others not."""
    _require_jurisdiction(request.user)
    invitation = selectors.invitation_for_user(request.user, pk)
    try:
        ids = [int(v) for v in request.POST.getlist("attended")]
        services.attendance_record(invitation=invitation, attended_ids=ids)
    except (ValueError, ValidationError):
        messages.error(request, _("Some of the deputies marked present were not invited."))
    else:
        messages.success(request, _("Attendance was recorded."))
    return redirect("liaison:invitation_detail", pk=invitation.pk)


@never_cache
@permission_required("liaison.add_opinion")
def opinion_create(request, pk):
    _require_jurisdiction(request.user)
    invitee = selectors.invitee_for_user(request.user, pk)
    form = OpinionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.opinion_record(invitee=invitee, content=form.cleaned_data["content"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The opinion was recorded."))
            return redirect("liaison:invitation_detail", pk=invitee.invitation_id)
    return render(request, "liaison/invitation_opinion_form.html", {"form": form, "invitee": invitee,
                                                                    "invitation": invitee.invitation})


@never_cache
@permission_required("liaison.change_opinion")
def opinion_decide(request, pk):
    """Give an opinion its outcome; the deputy is told (and sees it on their own page)."""
    _require_jurisdiction(request.user)
    opinion = selectors.opinion_for_user(request.user, pk)
    initial = {"outcome": opinion.outcome, "explanation": opinion.explanation} \
        if opinion.outcome != Opinion.Outcome.PENDING else None
    form = OpinionOutcomeForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.opinion_decide(opinion=opinion, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The outcome was saved and the deputy told."))
            return redirect("liaison:invitation_detail", pk=opinion.invitee.invitation_id)
    return render(request, "liaison/invitation_outcome_form.html", {
        "form": form, "opinion": opinion, "invitee": opinion.invitee, "invitation": opinion.invitee.invitation})


@require_safe
@never_cache
@permission_required("liaison.view_invitation")
def participation_counts(request):
    """Invitations per kind and year, person-times invited and present, opinions adopted: all from records."""
    _require_jurisdiction(request.user)
    return render(request, "liaison/invitation_counts.html", {"counts": selectors.participation_counts(request.user)})


@require_safe
@never_cache
def my_participation(request):
    """A deputy's own invitations, the outcome of each of their opinions, and their recommendations."""
    _require_deputy(request.user)
    person_id = request.user.person_id
    coming = request.GET.get("coming") == "1"
    return render(request, "liaison/invitation_mine.html", {
        "coming": coming,
        "invitees": selectors.my_invitations(person_id, from_date=timezone.localdate() if coming else None),
        "recommendations": selectors.my_recommendations(person_id),
    })


# --- recommendations ----------------------------------------------------------------------------------------

@require_safe
@never_cache
@permission_required("liaison.view_recommendation")
def recommendation_list(request):
    _require_jurisdiction(request.user)
    form = RecommendationFilterForm(request.GET or None)
    rows = selectors.recommendation_rows(selectors.visible_recommendations(request.user), **_filters(form))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "liaison/recommendation_list.html", {
        "form": form, "page": page, "query": _query_without_page(request),
        "can_add": request.user.has_perm("liaison.add_recommendation"),
        "can_edit": request.user.has_perm("liaison.change_recommendation"),
    })


@never_cache
@permission_required("liaison.add_recommendation")
def recommendation_create(request):
    """First find the deputy (``?q=``), then record where they were recommended (``?person=``)."""
    _require_jurisdiction(request.user)
    user = request.user
    person = None
    if request.GET.get("person"):
        try:
            person_pk = int(request.GET["person"])
        except ValueError:
            raise Http404 from None
        person = selectors.candidate_people(user).filter(pk=person_pk).first()
        if person is None:
            raise Http404
    elif request.method == "POST":
        messages.error(request, _("Choose the deputy first."))
        return redirect("liaison:recommendation_create")
    form = RecommendationForm(_posted(request)) if person is not None else None
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_create(person=person, jurisdiction=user.jurisdiction, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The recommendation of %(name)s was recorded.") % {"name": person.name})
            return redirect("liaison:recommendation_list")
    if form is not None:
        form.helper.form_action = f"{reverse('liaison:recommendation_create')}?person={person.pk}"
    q = request.GET.get("q", "")
    return render(request, "liaison/recommendation_form.html", {
        "form": form, "person": person, "q": q,
        "candidates": selectors.search_candidates(user, q) if person is None else [],
    })


@never_cache
@permission_required("liaison.change_recommendation")
def recommendation_edit(request, pk):
    _require_jurisdiction(request.user)
    recommendation = selectors.recommendation_for_user(request.user, pk)
    form = RecommendationForm(_posted(request), instance=recommendation)
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_update(recommendation=recommendation, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("liaison:recommendation_list")
    return render(request, "liaison/recommendation_form.html", {
        "form": form, "person": recommendation.person, "recommendation": recommendation})
