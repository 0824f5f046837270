"""Staff pages of stored scores: the list (rank within level and jurisdiction, grade, quality beside the total)
and its Excel export, a score's breakdown, the recompute button, and the disputes (错重漏申报) with their
resolution.

Staff and supervisors read the scores and disputes of the mandates of their jurisdiction and below (another
one's is a 404); staff recompute and resolve (403 for any other role).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from apps.core import roles
from apps.core.access import role_required
from apps.core.excel import xlsx_response
from apps.core.models import AuditEvent
from apps.core.services import audit_event
from apps.core.web import local_redirect, page_with_query, submit_form
from apps.scoring import access, exports
from apps.scoring.forms.rules import DisputeFilterForm, DisputeResolveForm, ScoreFilterForm
from apps.scoring.models import Dispute, RuleSet
from apps.scoring.selectors import rules as rule_selectors
from apps.scoring.selectors import scores as selectors
from apps.scoring.services import disputes as dispute_services
from apps.scoring.services import scores as services

PAGE_SIZE = 30


def _filters(request) -> tuple[ScoreFilterForm, dict]:
    base = access.office_scores(request.user)
    years = list(base.order_by().values_list("year", flat=True).distinct())
    form = ScoreFilterForm(request.GET if request.GET else None, user=request.user, years=years,
                           jurisdictions=rule_selectors.jurisdictions_for(request.user))
    return form, form.filters()


def _rule_sets_of(user, filters) -> list[RuleSet]:
    """The published sets of the user's scope for the list's year and level (when their scores were computed,
    and the recompute button)."""
    qs = access.office_rule_sets(user).filter(status=RuleSet.Status.PUBLISHED, year=filters["year"])
    if filters.get("level"):
        qs = qs.filter(level=filters["level"])
    return list(qs.select_related("jurisdiction").order_by("jurisdiction__path", "level"))


@require_safe
@never_cache
@access.office_required
def score_list(request):
    form, filters = _filters(request)
    qs = selectors.score_rows(access.office_scores(request.user), **filters)
    page, query = page_with_query(request, qs, PAGE_SIZE)
    rows = selectors.with_quality(page.object_list, filters["year"])
    rule_sets = _rule_sets_of(request.user, filters)
    pending = selectors.pending_recomputes(rule_sets)
    for rule_set in rule_sets:
        rule_set.pending = pending.get(rule_set.pk)
    return render(request, "scoring/score_list.html", {
        "filters": form, "page": page, "rows": rows, "query": query, "year": filters["year"],
        "rule_sets": rule_sets,
        "can_recompute": access.can_recompute(request.user)})


@require_safe
@never_cache
@access.office_required
def score_export(request):
    """The summary workbook of the user's jurisdiction (or the chosen one below it) for the year (audited)."""
    _form, filters = _filters(request)
    jurisdiction = filters.get("jurisdiction") or request.user.jurisdiction
    content = exports.summary_xlsx(jurisdiction, filters["year"], level=filters.get("level") or None)
    audit_event(request=request, action=AuditEvent.Action.EXPORT,
                detail=f"scores {filters['year']} {filters.get('level') or 'all'} {jurisdiction.name}"[:500])
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return xlsx_response(content, filename=f"scores-{filters['year']}-{stamp}.xlsx")


@require_safe
@never_cache
@access.office_required
def score_detail(request, pk):
    score = access.score_for_office(request.user, pk)
    breakdown = selectors.score_breakdown(score)
    quality = selectors.quality_for([score.mandate_id], score.year).get(score.mandate_id, selectors.NO_QUALITY)
    disputes = list(score.disputes.select_related("raised_by", "resolved_by").order_by("-raised_at"))
    return render(request, "scoring/score_detail.html", {
        "score": score, "breakdown": breakdown, "quality": quality, "disputes": disputes,
        "can_resolve": access.can_resolve(request.user)})


@require_POST
@role_required(roles.STAFF)
def recompute(request, pk):
    """Queue the recomputation of a published rule set's scores (nothing more while one is waiting)."""
    access.require(access.can_recompute(request.user))
    rule_set = access.rule_set_for_office(request.user, pk)
    try:
        services.scores_recompute_request(user=request.user, rule_set=rule_set)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The scores of “%(name)s” will be recomputed in a moment.")
                         % {"name": rule_set.name})
    return local_redirect(request, request.POST.get("next"), "scoring:rule_set_detail", rule_set.pk)


@require_safe
@never_cache
@access.office_required
def dispute_list(request):
    filters = DisputeFilterForm(request.GET or None)
    status = filters.cleaned_data.get("status", "") if filters.is_bound and filters.is_valid() else ""
    base = access.office_disputes(request.user)
    page, query = page_with_query(request, selectors.dispute_rows(base, status=status), PAGE_SIZE)
    return render(request, "scoring/dispute_list.html", {
        "filters": filters, "page": page, "query": query, "open_count": selectors.open_disputes_count(base),
        "can_resolve": access.can_resolve(request.user)})


@never_cache
@role_required(roles.STAFF)
def dispute_resolve(request, pk):
    access.require(access.can_resolve(request.user))
    dispute = access.dispute_for_office(request.user, pk)
    form = DisputeResolveForm(request.POST or None)
    if dispute.status == Dispute.Status.OPEN and (response := submit_form(
            request, form,
            lambda data: dispute_services.dispute_resolve(user=request.user, dispute=dispute, upheld=data["decision"],
                                                          resolution=data["resolution"]),
            message=_("The dispute was resolved and the deputy was told."),
            done=lambda _result: redirect("scoring:dispute_list"))):
        return response
    return render(request, "scoring/dispute_resolve.html", {"form": form, "dispute": dispute})
