"""Administrators' view of scoring data. Rule sets are drafted and published on the staff pages (which enforce
the freeze); here a published or superseded set and its items and bands are read-only."""

from django.contrib import admin

from apps.scoring.models import Commendation, Dispute, GradeBand, RuleItem, RuleSet, Score, ScoreLine, VoterReport


class _FrozenInline(admin.TabularInline):
    extra = 0

    def has_add_permission(self, request, obj=None):
        return obj is None or not obj.is_frozen

    def has_change_permission(self, request, obj=None):
        return obj is None or not obj.is_frozen

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.is_frozen


class RuleItemInline(_FrozenInline):
    model = RuleItem


class GradeBandInline(_FrozenInline):
    model = GradeBand


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    list_display = ["name", "jurisdiction", "level", "year", "version", "status", "published_at", "computed_at"]
    list_filter = ["status", "level", "year"]
    list_select_related = ["jurisdiction"]
    readonly_fields = ["status", "published_by", "published_at", "computed_at", "created_by", "created_at"]
    inlines = [RuleItemInline, GradeBandInline]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or not obj.is_frozen)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or not obj.is_frozen)


class ScoreLineInline(admin.TabularInline):
    model = ScoreLine
    extra = 0
    can_delete = False
    readonly_fields = ["item", "count", "uncapped_points", "points"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Score)
class ScoreAdmin(admin.ModelAdmin):
    """Scores are computed, never typed in."""

    list_display = ["mandate", "rule_set", "year", "total", "grade", "computed_at"]
    list_filter = ["year", "grade"]
    list_select_related = ["mandate__person", "rule_set"]
    raw_id_fields = ["mandate", "rule_set"]
    inlines = [ScoreLineInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Dispute)
class DisputeAdmin(admin.ModelAdmin):
    list_display = ["item_label", "mandate", "year", "status", "raised_at", "resolved_at"]
    list_filter = ["status", "year"]
    raw_id_fields = ["score", "mandate", "item", "raised_by", "resolved_by"]


@admin.register(VoterReport)
class VoterReportAdmin(admin.ModelAdmin):
    list_display = ["mandate", "date", "place", "attendance", "satisfied", "basically_satisfied", "unsatisfied"]
    raw_id_fields = ["mandate", "electoral_unit", "created_by"]


@admin.register(Commendation)
class CommendationAdmin(admin.ModelAdmin):
    list_display = ["title", "mandate", "date", "awarded_by"]
    raw_id_fields = ["mandate"]
