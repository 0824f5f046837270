"""Computing stored scores: the recompute button, the task it queues, the nightly run.

Scores are computed by ``apps.scoring.engine.compute`` (a few set-based statements for every mandate of a rule
set). Staff ask for a recomputation with a button; the request is a job in the outbox (sent after the commit)
and a second click while one is waiting queues nothing more. The job is idempotent: it carries the time it was
asked for and does nothing when the scores were computed since.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import outbox
from apps.core.models import OutboxMessage
from apps.scoring import engine
from apps.scoring.models import RuleSet
from apps.scoring.selectors.scores import RECOMPUTE_TASK, pending_recompute


@transaction.atomic
def scores_recompute_request(*, user, rule_set: RuleSet) -> OutboxMessage:
    """Queue the recomputation of a published set's scores (the one already waiting, if any)."""
    current = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
    if current.status != RuleSet.Status.PUBLISHED:
        raise ValidationError(_("Only the scores of a published rule set are computed; “%(name)s” is %(status)s.")
                              % {"name": current.name, "status": current.get_status_display()},
                              code="not_published")
    waiting = pending_recompute(current)
    if waiting is not None:
        return waiting
    return outbox.enqueue(RECOMPUTE_TASK, rule_set_id=current.pk, requested_at=timezone.now().isoformat())


def rule_set_recompute(*, rule_set_id: int, requested_at: datetime.datetime | None = None) -> int | None:
    """Compute a published set's scores; None (nothing done) when the set is gone or no longer published, or
    its scores were computed after ``requested_at``. Returns the number of scores otherwise."""
    with transaction.atomic():
        rule_set = (RuleSet.objects.select_for_update().select_related("jurisdiction")
                    .filter(pk=rule_set_id).first())
        if rule_set is None or rule_set.status != RuleSet.Status.PUBLISHED:
            return None
        if requested_at is not None and rule_set.computed_at is not None and rule_set.computed_at >= requested_at:
            return None
        return engine.compute(rule_set)


def scores_recompute_year(*, year: int) -> dict[str, int]:
    """Recompute every published rule set of ``year`` together (one pass over the year's records, one
    transaction; the sets are locked so that none is superseded meanwhile)."""
    with transaction.atomic():
        rule_sets = list(RuleSet.objects.select_for_update().select_related("jurisdiction")
                         .filter(status=RuleSet.Status.PUBLISHED, year=year).order_by("pk"))
        scores = engine.compute_many(rule_sets)
    return {"rule_sets": len(rule_sets), "scores": scores}


def scores_recompute_scope(*, year: int, jurisdiction, level: str | None = None) -> dict[str, int]:
    """Recompute, now and together, every published rule set of ``year`` that scores deputies of ``jurisdiction``
    or below (its own, those of its ancestors, those below it), of ``level`` if given: what a report batch does
    before it renders, so that its reports show scores that agree with their records."""
    path = jurisdiction.path
    ancestors = [path[:cut] for cut in range(1, len(path) + 1) if cut == len(path) or path[cut - 1] == "/"]
    with transaction.atomic():
        rule_sets = RuleSet.objects.select_for_update().select_related("jurisdiction").filter(
            Q(jurisdiction__path__in=ancestors) | Q(jurisdiction__path__startswith=path),
            status=RuleSet.Status.PUBLISHED, year=year)
        if level:
            rule_sets = rule_sets.filter(level=level)
        rule_sets = list(rule_sets.order_by("pk"))
        scores = engine.compute_many(rule_sets)
    return {"rule_sets": len(rule_sets), "scores": scores}
