"""Writes to scoring rule sets (履职考核办法): draft, copy, edit, items, grade bands, publish.

A draft is edited freely; a published or superseded set is frozen: every service here re-reads the set under a
row lock and refuses with a ``ValidationError`` (code ``frozen``) when it is no longer a draft, so an edit that
races a publish loses. Publishing supersedes the published version of the same (jurisdiction, level, year) and
asks for the scores to be computed (a task through the outbox, after the commit).

Errors name the field they are about (``ValidationError({"field": [...]})``); model saves are audited by the
signals of ``apps.core.audit``.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.activities.models import ActivityType
from apps.core import locking
from apps.core.models import Jurisdiction
from apps.deputies.models import Level
from apps.scoring.models import ACTIVITY_SOURCES, Grade, GradeBand, RuleItem, RuleSet, Source

# The grades from the best down: each band's cut-off must be below the one before it.
GRADE_ORDER = (Grade.EXCELLENT, Grade.COMPETENT, Grade.BASICALLY_COMPETENT, Grade.INCOMPETENT)
HUNDRED = Decimal("100")
ZERO = Decimal("0")


def _add(errors: dict, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _in_scope(user, jurisdiction: Jurisdiction | None) -> bool:
    own = getattr(user, "jurisdiction", None)
    return jurisdiction is not None and own is not None and jurisdiction.path.startswith(own.path)


def frozen_error(rule_set: RuleSet) -> ValidationError:
    return ValidationError(
        _("“%(name)s” is %(status)s and frozen: it can no longer be changed. Copy it as a new version to make "
          "changes.") % {"name": rule_set.name, "status": rule_set.get_status_display()}, code="frozen")


def _draft_for_update(rule_set: RuleSet) -> RuleSet:
    """The rule set re-read under a row lock; refused unless it is still a draft."""
    current = RuleSet.objects.select_for_update().select_related("jurisdiction").get(pk=rule_set.pk)
    if current.is_frozen:
        raise frozen_error(current)
    return current


def _lock_versions(jurisdiction: Jurisdiction, level: str, year: int) -> None:
    """Serialise the numbering of new versions of one (jurisdiction, level, year) until the commit."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('scoring.rule_set_version'), hashtext(%s))",
                       [f"{jurisdiction.pk}:{level}:{year}"])


def _next_version(jurisdiction: Jurisdiction, level: str, year: int) -> int:
    _lock_versions(jurisdiction, level, year)
    last = (RuleSet.objects.filter(jurisdiction=jurisdiction, level=level, year=year).order_by("-version")
            .values_list("version", flat=True).first())
    return (last or 0) + 1


def _check_header(errors: dict, *, name: str, base_points) -> None:
    if not name:
        _add(errors, "name", _("Give the rule set a name, e.g. 2024年度市人大代表履职考核办法."))
    elif len(name) > 200:
        _add(errors, "name", _("The name is too long (at most 200 characters)."))
    if base_points is None:
        _add(errors, "base_points", _("Give the base points (0 to 100)."))
    elif not ZERO <= base_points <= HUNDRED:
        _add(errors, "base_points", _("The base points must be between 0 and 100."))


def _check_year(errors: dict, year) -> None:
    if year is None or not 2000 <= year <= 2100:
        _add(errors, "year", _("Give the year the rules apply to (2000 to 2100)."))


# --- rule sets ---------------------------------------------------------------------------------------------------

@transaction.atomic
def rule_set_create(*, user, jurisdiction: Jurisdiction, level: str, year: int, name: str,
                    base_points: Decimal = Decimal("60"), notes: str = "") -> RuleSet:
    """An empty draft: the next version for its (jurisdiction, level, year)."""
    name = (name or "").strip()
    errors: dict[str, list[str]] = {}
    if not _in_scope(user, jurisdiction):
        _add(errors, "jurisdiction", _("Choose your own jurisdiction or one below it."))
    if level not in Level.values:
        _add(errors, "level", _("Choose the level of the deputies the rules are for."))
    _check_year(errors, year)
    _check_header(errors, name=name, base_points=base_points)
    if errors:
        raise ValidationError(errors)
    return RuleSet.objects.create(jurisdiction=jurisdiction, level=level, year=year,
                                  version=_next_version(jurisdiction, level, year), name=name,
                                  base_points=base_points, notes=(notes or "").strip(), created_by=user)


@transaction.atomic
def rule_set_copy(*, user, source: RuleSet, year: int | None = None, name: str = "") -> RuleSet:
    """A new draft with ``source``'s header, items and grade bands: the next version of the same jurisdiction
    and level for ``year`` (by default the source's year)."""
    year = source.year if year is None else year
    name = (name or "").strip()
    errors: dict[str, list[str]] = {}
    if not _in_scope(user, source.jurisdiction):
        _add(errors, NON_FIELD_ERRORS, _("Choose your own jurisdiction or one below it."))
    _check_year(errors, year)
    _check_header(errors, name=name, base_points=source.base_points)
    if errors:
        raise ValidationError(errors)
    copy = RuleSet.objects.create(
        jurisdiction=source.jurisdiction, level=source.level, year=year,
        version=_next_version(source.jurisdiction, source.level, year), name=name,
        base_points=source.base_points, notes=source.notes, created_by=user)
    RuleItem.objects.bulk_create([
        RuleItem(rule_set=copy, label=item.label, kind=item.kind, source=item.source,
                 activity_type_id=item.activity_type_id, points=item.points, cap=item.cap, position=item.position)
        for item in source.items.all()])
    GradeBand.objects.bulk_create([GradeBand(rule_set=copy, grade=band.grade, min_total=band.min_total)
                                   for band in source.bands.all()])
    from apps.core.audit import bulk_change_record

    bulk_change_record(obj=copy, detail=f"copied from rule set {source.pk} (version {source.version})")
    return copy


@transaction.atomic
def rule_set_update(*, user, rule_set: RuleSet, version: int | None, name: str, base_points: Decimal,
                    notes: str = "") -> RuleSet:
    """Change a draft's name, base points and notes; ``version`` is the ``lock_version`` the form was opened
    on (a save after someone else's raises ``StaleObjectError``)."""
    current = _draft_for_update(rule_set)
    name = (name or "").strip()
    errors: dict[str, list[str]] = {}
    _check_header(errors, name=name, base_points=base_points)
    if errors:
        raise ValidationError(errors)
    current.name, current.base_points, current.notes = name, base_points, (notes or "").strip()
    return locking.save_with_version(current, version=version, field="lock_version")


# --- items -------------------------------------------------------------------------------------------------------

def _check_item(*, rule_set: RuleSet, label: str, kind: str, source: str, activity_type: ActivityType | None,
                points, cap, position, item: RuleItem | None = None) -> dict:
    errors: dict[str, list[str]] = {}
    if not label:
        _add(errors, "label", _("Give the item a name, e.g. 出席人代会会议."))
    elif len(label) > 100:
        _add(errors, "label", _("The item's name is too long (at most 100 characters)."))
    else:
        others = RuleItem.objects.filter(rule_set=rule_set, label=label)
        if item is not None:
            others = others.exclude(pk=item.pk)
        if others.exists():
            _add(errors, "label", _("This rule set already has an item named “%(label)s”.") % {"label": label})
    if kind not in RuleItem.Kind.values:
        _add(errors, "kind", _("Choose whether the item adds points, is a bonus or a deduction."))
    if source not in Source.values:
        _add(errors, "source", _("Choose what the item counts."))
    elif source in ACTIVITY_SOURCES and activity_type is None:
        _add(errors, "activity_type", _("Choose the activity type: “%(source)s” counts activities of one type.")
             % {"source": Source(source).label})
    elif source not in ACTIVITY_SOURCES and activity_type is not None:
        _add(errors, "activity_type", _("Leave the activity type empty: “%(source)s” does not count activities.")
             % {"source": Source(source).label})
    if points is None:
        _add(errors, "points", _("Give the points per occurrence (0 to 100)."))
    elif not ZERO <= points <= HUNDRED:
        _add(errors, "points", _("The points per occurrence must be between 0 and 100."))
    if cap is not None and not ZERO < cap <= HUNDRED:
        _add(errors, "cap", _("The cap must be more than 0 and at most 100 (leave it empty for no cap)."))
    if position is None or not 0 <= position <= 32767:
        _add(errors, "position", _("Give a position from 0 to 32767 (items are listed by position)."))
    return errors


def _item_values(label, kind, source, activity_type, points, cap, position) -> dict:
    return {"label": (label or "").strip(), "kind": kind, "source": source, "activity_type": activity_type,
            "points": points, "cap": cap, "position": position}


@transaction.atomic
def rule_item_create(*, user, rule_set: RuleSet, label: str, kind: str, source: str,
                     activity_type: ActivityType | None = None, points: Decimal, cap: Decimal | None = None,
                     position: int | None = None) -> RuleItem:
    """Add an item to a draft (at the end unless a position is given)."""
    current = _draft_for_update(rule_set)
    if position is None:
        last = current.items.order_by("-position").values_list("position", flat=True).first()
        position = 10 if last is None else min(last + 10, 32767)
    values = _item_values(label, kind, source, activity_type, points, cap, position)
    if errors := _check_item(rule_set=current, **values):
        raise ValidationError(errors)
    return RuleItem.objects.create(rule_set=current, **values)


@transaction.atomic
def rule_item_update(*, user, item: RuleItem, label: str, kind: str, source: str,
                     activity_type: ActivityType | None = None, points: Decimal, cap: Decimal | None = None,
                     position: int = 0) -> RuleItem:
    current = _draft_for_update(item.rule_set)
    values = _item_values(label, kind, source, activity_type, points, cap, position)
    if errors := _check_item(rule_set=current, item=item, **values):
        raise ValidationError(errors)
    for field, value in values.items():
        setattr(item, field, value)
    item.save()
    return item


@transaction.atomic
def rule_item_delete(*, user, item: RuleItem) -> None:
    _draft_for_update(item.rule_set)
    item.delete()


# --- grade bands -------------------------------------------------------------------------------------------------

@transaction.atomic
def grade_bands_save(*, user, rule_set: RuleSet, cutoffs: dict[str, Decimal | None]) -> list[GradeBand]:
    """Set the four grades' least totals (优秀 > 称职 > 基本称职 > 不称职 = 0, all distinct), replacing the
    draft's bands. ``cutoffs`` maps each grade to its least total."""
    current = _draft_for_update(rule_set)
    errors: dict[str, list[str]] = {}
    higher = None
    for grade in GRADE_ORDER:
        value = cutoffs.get(grade)
        if value is None:
            _add(errors, grade, _("Give the least total for “%(grade)s”.") % {"grade": grade.label})
            continue
        if not ZERO <= value <= HUNDRED:
            _add(errors, grade, _("The least total for “%(grade)s” must be between 0 and 100.")
                 % {"grade": grade.label})
        elif higher is not None and value >= higher[1]:
            _add(errors, grade, _("The least total for “%(grade)s” must be below that for “%(higher)s” "
                                  "(%(value)s).") % {"grade": grade.label, "higher": higher[0].label,
                                                      "value": higher[1]})
        higher = (grade, value)
    lowest = cutoffs.get(GRADE_ORDER[-1])
    if lowest is not None and lowest != ZERO and GRADE_ORDER[-1] not in errors:
        _add(errors, GRADE_ORDER[-1], _("“%(grade)s” must start at 0, so that every score has a grade.")
             % {"grade": GRADE_ORDER[-1].label})
    if errors:
        raise ValidationError(errors)
    current.bands.all().delete()
    return [GradeBand.objects.create(rule_set=current, grade=grade, min_total=cutoffs[grade])
            for grade in GRADE_ORDER]


# --- publishing --------------------------------------------------------------------------------------------------

def publish_problems(rule_set: RuleSet) -> list[str]:
    """What stops a draft from being published (empty when it may be)."""
    problems = []
    if not rule_set.items.exists():
        problems.append(_("Add at least one item."))
    if set(rule_set.bands.values_list("grade", flat=True)) != set(Grade.values):
        problems.append(_("Set the least total of each of the four grades."))
    return problems


@transaction.atomic
def rule_set_publish(*, user, rule_set: RuleSet) -> RuleSet:
    """Publish a draft: it is frozen from now on, the published version of the same (jurisdiction, level,
    year) is superseded, and the scores are computed in the background."""
    current = _draft_for_update(rule_set)
    if problems := publish_problems(current):
        raise ValidationError(problems, code="incomplete")
    _lock_versions(current.jurisdiction, current.level, current.year)
    for previous in RuleSet.objects.select_for_update().filter(
            jurisdiction=current.jurisdiction, level=current.level, year=current.year,
            status=RuleSet.Status.PUBLISHED):
        previous.status = RuleSet.Status.SUPERSEDED
        previous.save(update_fields=["status"])
    current.status = RuleSet.Status.PUBLISHED
    current.published_by, current.published_at = user, timezone.now()
    current.save(update_fields=["status", "published_by", "published_at"])
    from apps.scoring.services.scores import scores_recompute_request

    scores_recompute_request(user=user, rule_set=current)
    return current
