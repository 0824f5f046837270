"""Who may see and change what in scoring's staff pages (rule sets, scores, disputes).

- Office (staff and supervisors with a jurisdiction and ``scoring.view_ruleset``): rule sets of their
  jurisdiction and below; scores and disputes of the mandates of their jurisdiction and below.
- Editors (staff with ``scoring.change_ruleset``) draft and edit rule sets; publishing also needs
  ``scoring.publish_ruleset``; recomputing needs ``scoring.change_score``; resolving a dispute
  ``scoring.change_dispute``.

A row outside the user's scope is a 404; a page the role does not open is a 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from apps.core import access, roles
from apps.core.access import is_pk, jurisdiction_scope
from apps.scoring.models import Dispute, RuleItem, RuleSet, Score

OFFICE_PERM = "scoring.view_ruleset"
# Staff and supervisors of a jurisdiction (``apps.core.access.is_office``) who see rule sets; 403 for anyone else.
office_required = access.office_required(perm=OFFICE_PERM)


def is_office(user) -> bool:
    return access.is_office(user, OFFICE_PERM)


def _staff_with(user, perm: str) -> bool:
    return bool(is_office(user) and user.has_role(roles.STAFF) and user.has_perm(perm))


def can_edit_rules(user) -> bool:
    return _staff_with(user, "scoring.change_ruleset")


def can_publish(user) -> bool:
    return can_edit_rules(user) and user.has_perm("scoring.publish_ruleset")


def can_recompute(user) -> bool:
    return _staff_with(user, "scoring.change_score")


def can_resolve(user) -> bool:
    return _staff_with(user, "scoring.change_dispute")


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _get(qs: QuerySet, pk):
    if not is_pk(pk):
        raise Http404
    return get_object_or_404(qs, pk=pk)


def office_rule_sets(user) -> QuerySet[RuleSet]:
    if not is_office(user):
        return RuleSet.objects.none()
    return RuleSet.objects.filter(jurisdiction_scope(user))


def office_scores(user) -> QuerySet[Score]:
    if not is_office(user):
        return Score.objects.none()
    return Score.objects.filter(jurisdiction_scope(user, "mandate__jurisdiction"))


def office_disputes(user) -> QuerySet[Dispute]:
    if not is_office(user):
        return Dispute.objects.none()
    return Dispute.objects.filter(jurisdiction_scope(user, "mandate__jurisdiction"))


def rule_set_for_office(user, pk) -> RuleSet:
    return _get(office_rule_sets(user).select_related("jurisdiction", "created_by", "published_by"), pk)


def rule_item_for_office(user, pk) -> RuleItem:
    return _get(RuleItem.objects.filter(rule_set__in=office_rule_sets(user))
                .select_related("rule_set", "rule_set__jurisdiction", "activity_type"), pk)


def score_for_office(user, pk) -> Score:
    return _get(office_scores(user).select_related(
        "rule_set", "rule_set__jurisdiction", "mandate", "mandate__person", "mandate__jurisdiction",
        "mandate__term"), pk)


def dispute_for_office(user, pk) -> Dispute:
    return _get(office_disputes(user).select_related(
        "score", "score__rule_set", "item", "mandate", "mandate__person", "mandate__jurisdiction", "raised_by",
        "resolved_by"), pk)
