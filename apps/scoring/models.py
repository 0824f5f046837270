"""Scoring (履职考核百分制): rule sets per year and level, the scores computed from them, and the records that
score items read besides the other apps' (reports to voters 述职, commendations).

A rule set is drafted, previewed ("what-if") and published; a published set is frozen. Publishing a new
version of the same (jurisdiction, level, year) supersedes the older one. A ``Score`` is one mandate's result
under one rule set and keeps a ``ScoreLine`` per item it scored on, so every point can be explained.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.deputies.models import Level


class Grade(models.TextChoices):
    """等次 (cut-offs are data: ``GradeBand``)."""

    EXCELLENT = "excellent", _("Excellent")
    COMPETENT = "competent", _("Competent")
    BASICALLY_COMPETENT = "basically_competent", _("Basically competent")
    INCOMPETENT = "incompetent", _("Incompetent")


class Source(models.TextChoices):
    """What a rule item counts (per mandate, in the rule set's year).

    Activity sources take ``RuleItem.activity_type``; the others ignore it. "Once per person" sources (receptions,
    opinions) count each event once however many mandates the person holds. What each one counts, lists and
    links: its entry in ``apps.scoring.sources`` (one per choice, checked when that module loads).
    """

    ACTIVITY_PRESENT = "activity_present", _("Activities attended (of a type)")
    ACTIVITY_LEAVE = "activity_leave", _("Activities missed with leave (of a type)")
    ACTIVITY_ABSENT = "activity_absent", _("Activities missed without leave (of a type)")
    TRAINING = "training", _("Training sessions attended")
    RECEPTION = "reception", _("Reception days at a station")
    SUGGESTION_LEAD = "suggestion_lead", _("Suggestions as lead deputy")
    SUGGESTION_COSIGN = "suggestion_cosign", _("Suggestions co-signed")
    MOTION_LEAD = "motion_lead", _("Motions as lead deputy")
    MOTION_COSIGN = "motion_cosign", _("Motions co-signed")
    KEY_SUGGESTION = "key_suggestion", _("Key suggestions as lead deputy")
    VOTER_REPORT = "voter_report", _("Reports to voters")
    ADOPTED_OPINION = "adopted_opinion", _("Opinions adopted")
    COMMENDATION = "commendation", _("Commendations")


ACTIVITY_SOURCES = (Source.ACTIVITY_PRESENT, Source.ACTIVITY_LEAVE, Source.ACTIVITY_ABSENT)


class RuleSet(models.Model):
    """A year's scoring rules for the deputies of one level in a jurisdiction (and below), versioned."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        SUPERSEDED = "superseded", _("Superseded")

    jurisdiction = models.ForeignKey("core.Jurisdiction", models.PROTECT, related_name="rule_sets",
                                     verbose_name=_("jurisdiction"))
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    base_points = models.DecimalField(_("base points"), max_digits=5, decimal_places=1, default=Decimal("60"),
                                      validators=[MinValueValidator(0), MaxValueValidator(100)])
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("published by"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    computed_at = models.DateTimeField(_("scores computed at"), null=True, blank=True)
    lock_version = models.PositiveIntegerField(default=1, editable=False)  # optimistic locking

    class Meta:
        ordering = ["-year", "jurisdiction__path", "level", "-version"]
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "level", "year", "version"], name="rule_set_version"),
            models.UniqueConstraint(fields=["jurisdiction", "level", "year"], condition=Q(status="published"),
                                    name="rule_set_one_published"),
        ]
        permissions = [("publish_ruleset", "Can publish scoring rule sets")]

    def __str__(self):
        return self.name

    @property
    def is_frozen(self) -> bool:
        return self.status != self.Status.DRAFT


class RuleItem(models.Model):
    """One scored item: points per occurrence of what ``source`` counts, capped; a deduction subtracts."""

    class Kind(models.TextChoices):
        ITEM = "item", pgettext_lazy("scoring", "Item")
        BONUS = "bonus", _("Bonus")
        DEDUCTION = "deduction", _("Deduction")

    rule_set = models.ForeignKey(RuleSet, models.CASCADE, related_name="items", verbose_name=_("rule set"))
    label = models.CharField(pgettext_lazy("scoring", "item"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ITEM)
    source = models.CharField(_("counts"), max_length=20, choices=Source.choices)
    activity_type = models.ForeignKey("activities.ActivityType", models.PROTECT, null=True, blank=True,
                                      related_name="+", verbose_name=_("activity type"))
    points = models.DecimalField(_("points per occurrence"), max_digits=5, decimal_places=2,
                                 validators=[MinValueValidator(0), MaxValueValidator(100)])
    cap = models.DecimalField(_("cap (most points from this item)"), max_digits=5, decimal_places=2, null=True,
                              blank=True, validators=[MinValueValidator(0), MaxValueValidator(100)])
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["rule_set", "position", "pk"]
        verbose_name = _("rule item")
        verbose_name_plural = _("rule items")
        constraints = [
            models.CheckConstraint(
                condition=Q(source__in=[s.value for s in ACTIVITY_SOURCES], activity_type__isnull=False)
                | (~Q(source__in=[s.value for s in ACTIVITY_SOURCES]) & Q(activity_type__isnull=True)),
                name="rule_item_activity_type_iff_activity_source"),
        ]

    def __str__(self):
        return self.label

    @property
    def sign(self) -> int:
        return -1 if self.kind == self.Kind.DEDUCTION else 1


class GradeBand(models.Model):
    """A grade and the least total that earns it (the highest band reached applies)."""

    rule_set = models.ForeignKey(RuleSet, models.CASCADE, related_name="bands", verbose_name=_("rule set"))
    grade = models.CharField(_("grade"), max_length=20, choices=Grade.choices)
    min_total = models.DecimalField(_("from (points)"), max_digits=5, decimal_places=1,
                                    validators=[MinValueValidator(0), MaxValueValidator(100)])

    class Meta:
        ordering = ["rule_set", "-min_total"]
        verbose_name = _("grade band")
        verbose_name_plural = _("grade bands")
        constraints = [
            models.UniqueConstraint(fields=["rule_set", "grade"], name="grade_band_once"),
            models.UniqueConstraint(fields=["rule_set", "min_total"], name="grade_band_distinct_cutoff"),
        ]

    def __str__(self):
        return f"{self.get_grade_display()} ≥ {self.min_total}"


class Score(models.Model):
    """A mandate's score under a rule set (stored with that version); ``total`` is clipped to 0–100."""

    # Indexes: (rule_set, mandate) unique and (mandate, year) cover the foreign keys (each index costs on every
    # recomputation of thousands of scores).
    rule_set = models.ForeignKey(RuleSet, models.CASCADE, related_name="scores", verbose_name=_("rule set"),
                                 db_index=False)
    mandate = models.ForeignKey("deputies.Mandate", models.CASCADE, related_name="scores",
                                verbose_name=_("mandate"), db_index=False)
    year = models.PositiveSmallIntegerField(_("year"))
    raw_total = models.DecimalField(_("total before clipping"), max_digits=7, decimal_places=2)
    total = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    grade = models.CharField(_("grade"), max_length=20, choices=Grade.choices, blank=True)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        ordering = ["-total", "mandate_id"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [models.UniqueConstraint(fields=["rule_set", "mandate"], name="score_once_per_rule_set")]
        indexes = [models.Index(fields=["mandate", "year"], name="score_mandate_year")]

    def __str__(self):
        return f"{self.mandate_id}: {self.total}"


class ScoreLine(models.Model):
    """What one item gave a score: the count, the points before and after the cap (signed for deductions)."""

    # Lines are derived rows, written only by the scoring engine (joined to existing scores and items in the same
    # statement, and deleted before their scores); Django cascades deletes. No database foreign keys: their
    # per-row checks were two thirds of a whole year's recomputation (35,000 lines). (score, item) unique covers
    # the lookups by score; lines are never looked up by item (an item with lines belongs to a published set,
    # which cannot be edited).
    score = models.ForeignKey(Score, models.CASCADE, related_name="lines", verbose_name=_("score"), db_index=False,
                              db_constraint=False)
    item = models.ForeignKey(RuleItem, models.CASCADE, related_name="lines", verbose_name=pgettext_lazy("scoring", "item"), db_index=False,
                             db_constraint=False)
    count = models.PositiveIntegerField(_("occurrences"))
    uncapped_points = models.DecimalField(_("points before the cap"), max_digits=7, decimal_places=2)
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=2)

    class Meta:
        ordering = ["score", "item__position", "item_id"]
        verbose_name = _("score line")
        verbose_name_plural = _("score lines")
        constraints = [models.UniqueConstraint(fields=["score", "item"], name="score_line_once")]

    @property
    def capped(self) -> bool:
        return self.points != self.uncapped_points


class Dispute(models.Model):
    """A deputy's challenge to an item of their score (错重漏申报), resolved by staff."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        UPHELD = "upheld", _("Upheld (records corrected)")
        REJECTED = "rejected", _("Rejected")

    score = models.ForeignKey(Score, models.SET_NULL, null=True, blank=True, related_name="disputes",
                              verbose_name=_("score"))
    mandate = models.ForeignKey("deputies.Mandate", models.CASCADE, related_name="score_disputes",
                                verbose_name=_("mandate"))
    year = models.PositiveSmallIntegerField(_("year"))
    item = models.ForeignKey(RuleItem, models.SET_NULL, null=True, blank=True, related_name="disputes",
                             verbose_name=pgettext_lazy("scoring", "item"))
    item_label = models.CharField(pgettext_lazy("scoring", "item"), max_length=100)
    comment = models.TextField(_("what is wrong, duplicated or missing"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN,
                              db_index=True)
    resolution = models.TextField(_("resolution"), blank=True)
    total_before = models.DecimalField(_("score before"), max_digits=5, decimal_places=2, null=True, blank=True)
    total_after = models.DecimalField(_("score after recomputation"), max_digits=5, decimal_places=2, null=True,
                                      blank=True)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("raised by"))
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("resolved by"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-pk"]
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")

    def __str__(self):
        return f"{self.item_label} ({self.get_status_display()})"


class VoterReport(models.Model):
    """A deputy's report to their electoral unit and voters (述职), with the voters' evaluation."""

    mandate = models.ForeignKey("deputies.Mandate", models.PROTECT, related_name="voter_reports",
                                verbose_name=_("mandate"))
    electoral_unit = models.ForeignKey("deputies.ElectoralUnit", models.PROTECT, null=True, blank=True,
                                       related_name="voter_reports", verbose_name=_("electoral unit"))
    date = models.DateField(_("date"), db_index=True)
    place = models.CharField(_("place"), max_length=200)
    attendance = models.PositiveIntegerField(_("voters present"))
    satisfied = models.PositiveIntegerField(_("satisfied"), default=0)
    basically_satisfied = models.PositiveIntegerField(_("basically satisfied"), default=0)
    unsatisfied = models.PositiveIntegerField(_("unsatisfied"), default=0)
    text = models.TextField(_("report"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("entered by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("report to voters")
        verbose_name_plural = _("reports to voters")
        constraints = [
            models.CheckConstraint(
                condition=Q(attendance__gte=models.F("satisfied") + models.F("basically_satisfied")
                            + models.F("unsatisfied")),
                name="voter_report_evaluations_within_attendance"),
        ]

    def __str__(self):
        return f"{self.mandate_id} {self.date}"

    @property
    def evaluations(self) -> int:
        return self.satisfied + self.basically_satisfied + self.unsatisfied


class Commendation(models.Model):
    """A commendation of a deputy (表彰), e.g. 优秀人大代表; a scoring bonus and part of the record."""

    mandate = models.ForeignKey("deputies.Mandate", models.PROTECT, related_name="commendations",
                                verbose_name=_("mandate"))
    date = models.DateField(_("date"), db_index=True)
    title = models.CharField(_("commendation"), max_length=200)
    awarded_by = models.CharField(_("awarded by"), max_length=100)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("commendation")
        verbose_name_plural = _("commendations")

    def __str__(self):
        return self.title


class StaleMandate(models.Model):
    """A mandate whose stored scores may no longer agree with its records: a record that feeds a score changed
    since they were computed. The refresh task recomputes the scores of every mandate listed and deletes the
    rows (``apps.scoring.services.freshness``); a burst of changes adds each mandate once.

    Only the mandate's id, no foreign key: a mandate deleted meanwhile is simply skipped.
    """

    mandate_id = models.BigIntegerField(_("mandate"), primary_key=True)
    marked_at = models.DateTimeField(_("marked at"), db_index=True)

    class Meta:
        verbose_name = _("mandate with scores to refresh")
        verbose_name_plural = _("mandates with scores to refresh")

    def __str__(self):
        return f"{self.mandate_id} ({self.marked_at:%Y-%m-%d %H:%M:%S})"
