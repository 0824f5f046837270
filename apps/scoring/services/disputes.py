"""Disputes of a score's item (错重漏申报): a deputy raises one about their own score, staff resolve it.

Upholding a dispute means the records behind the item were corrected (in the app that keeps them); the service
then recomputes the rule set at once and records the score before and after. Either way the deputy is told.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core import roles
from apps.core.services import notify
from apps.scoring import engine
from apps.scoring.models import Dispute, RuleItem, RuleSet, Score

COMMENT_MAX = 2000


def _add(errors: dict, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@transaction.atomic
def dispute_raise(*, user, score: Score, item: RuleItem | None, comment: str) -> Dispute:
    """A deputy's dispute of one item of their own score (of a published rule set); one open dispute per item."""
    score = Score.objects.select_for_update().select_related("rule_set", "mandate", "mandate__jurisdiction").get(
        pk=score.pk)
    person_id = getattr(user, "person_id", None)
    if not person_id or score.mandate.person_id != person_id:
        raise ValidationError(_("You can only dispute your own score."), code="not_own")
    if score.rule_set.status != RuleSet.Status.PUBLISHED:
        raise ValidationError(_("These scoring rules are no longer in force: dispute the current score."),
                              code="not_current")
    comment = (comment or "").strip()
    errors: dict[str, list[str]] = {}
    if item is None or item.rule_set_id != score.rule_set_id:
        _add(errors, "item", _("Choose an item of this score's rules."))
    elif Dispute.objects.filter(score=score, item=item, status=Dispute.Status.OPEN).exists():
        _add(errors, "item", _("You already disputed “%(item)s”; staff will answer it first.") % {"item": item.label})
    if not comment:
        _add(errors, "comment", _("Say what is wrong, counted twice or missing."))
    elif len(comment) > COMMENT_MAX:
        _add(errors, "comment", _("Keep the comment under %(max)s characters.") % {"max": COMMENT_MAX})
    if errors:
        raise ValidationError(errors)
    dispute = Dispute.objects.create(score=score, mandate=score.mandate, year=score.year, item=item,
                                     item_label=item.label, comment=comment, raised_by=user)
    staff = list(User.objects.filter(is_active=True, groups__name=roles.STAFF,
                                     jurisdiction_id=score.mandate.jurisdiction_id).distinct())
    if staff:
        notify(recipients=staff, title=_("A deputy disputes an item of their score"),
               body=f"{score.mandate.person.name}: {item.label}\n{comment}",
               url=_url("scoring:dispute_resolve", dispute.pk), email=False)
    return dispute


def _rule_set_to_recompute(dispute: Dispute) -> RuleSet | None:
    """The disputed score's rule set if it is still published, else the version that superseded it."""
    rule_set = dispute.score.rule_set if dispute.score_id else (dispute.item.rule_set if dispute.item_id else None)
    if rule_set is None:
        return None
    if rule_set.status == RuleSet.Status.PUBLISHED:
        return rule_set
    return RuleSet.objects.filter(jurisdiction_id=rule_set.jurisdiction_id, level=rule_set.level,
                                  year=rule_set.year, status=RuleSet.Status.PUBLISHED).first()


@transaction.atomic
def dispute_resolve(*, user, dispute: Dispute, upheld: bool, resolution: str) -> Dispute:
    """Uphold (the records were corrected: recompute now, record the score before and after) or reject (with
    the reason) an open dispute, and tell the deputy."""
    current = (Dispute.objects.select_for_update(of=("self",))
               .select_related("score", "score__rule_set", "item", "item__rule_set", "mandate",
                               "mandate__jurisdiction", "mandate__person")
               .get(pk=dispute.pk))
    own = getattr(user, "jurisdiction", None)
    if own is None or not current.mandate.jurisdiction.path.startswith(own.path):
        raise ValidationError(_("This dispute is not of your jurisdiction."), code="scope")
    if current.status != Dispute.Status.OPEN:
        raise ValidationError(_("This dispute was already resolved (%(status)s).")
                              % {"status": current.get_status_display()}, code="resolved")
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError({"resolution": [
            _("Say what was corrected in the records.") if upheld else _("Give the reason for rejecting it.")]})
    if upheld:
        current.total_before = current.score.total if current.score_id else None
        target = _rule_set_to_recompute(current)
        if target is not None:
            engine.compute(target)
            after = Score.objects.filter(rule_set=target, mandate_id=current.mandate_id).first()
            current.total_after = after.total if after else None
            if after is not None:
                current.score = after
    current.status = Dispute.Status.UPHELD if upheld else Dispute.Status.REJECTED
    current.resolution, current.resolved_by, current.resolved_at = resolution, user, timezone.now()
    current.save()
    _notify_deputy(current)
    return current


def _notify_deputy(dispute: Dispute) -> None:
    recipients = list(User.objects.filter(is_active=True, person_id=dispute.mandate.person_id))
    if not recipients:
        return
    if dispute.status == Dispute.Status.UPHELD:
        title = _("Your dispute of “%(item)s” was upheld") % {"item": dispute.item_label}
        body = dispute.resolution
        if dispute.total_after is not None:
            body += "\n" + _("Your score: %(before)s → %(after)s.") % {
                "before": dispute.total_before if dispute.total_before is not None else "—",
                "after": dispute.total_after}
    else:
        title = _("Your dispute of “%(item)s” was rejected") % {"item": dispute.item_label}
        body = dispute.resolution
    notify(recipients=recipients, title=title, body=body, url=_url("me:me"))
