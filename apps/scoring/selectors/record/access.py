"""Whose record a user may see: the access helpers of the performance record's pages (anyone else's record, or a
score line that is not theirs, is a 404)."""

from __future__ import annotations

from apps.deputies.models import Mandate, Person
from apps.scoring.models import RuleItem, RuleSet, Score
from apps.scoring.selectors.record.reader import person_mandates


def own_subject(user) -> tuple[Person, list[Mandate]]:
    """The deputy's own person and mandates (one query; two for a person without a mandate)."""
    mandates = person_mandates(user.person_id)
    person = mandates[0].person if mandates else Person.objects.get(pk=user.person_id)
    return person, mandates


def office_subject(user, person_pk) -> tuple[Person, list[Mandate]]:
    """A person the office user may see (a mandate of theirs in the user's jurisdiction or below) and all their
    mandates; anyone else is a 404."""
    from django.http import Http404

    from apps.core.access import is_pk

    if not is_pk(person_pk) or getattr(user, "jurisdiction", None) is None:
        raise Http404
    mandates = person_mandates(int(person_pk))
    path = user.jurisdiction.path
    if not any(m.jurisdiction.path.startswith(path) for m in mandates):
        raise Http404
    return mandates[0].person, mandates


def score_line_of(mandates, score_pk, item_pk) -> tuple[Score, RuleItem]:
    """A published score of one of ``mandates`` and an item of its rules; else a 404."""
    from django.http import Http404

    from apps.core.access import is_pk

    if not is_pk(score_pk) or not is_pk(item_pk):
        raise Http404
    score = (Score.objects.select_related("rule_set", "mandate", "mandate__person")
             .filter(pk=score_pk, mandate_id__in=[m.pk for m in mandates],
                     rule_set__status=RuleSet.Status.PUBLISHED).first())
    item = RuleItem.objects.filter(pk=item_pk, rule_set_id=score.rule_set_id).first() if score else None
    if score is None or item is None:
        raise Http404
    item.rule_set = score.rule_set  # item_records reads the year from it
    return score, item
