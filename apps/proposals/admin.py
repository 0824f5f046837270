from django.contrib import admin

from apps.proposals.models import (
    Assignment, Category, Deadline, ExtensionRequest, HandlingRule, MergeGroup, Proposal, Rating, Reply, ReplyClass,
    Signature, Supervision,
)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["position", "name", "is_active"]
    list_display_links = ["name"]


@admin.register(ReplyClass)
class ReplyClassAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "needs_follow_up", "counts_as_solved"]


@admin.register(HandlingRule)
class HandlingRuleAdmin(admin.ModelAdmin):
    list_display = ["jurisdiction", "kind", "clock_start", "base_months", "max_total_months", "return_working_days",
                    "rating_working_days", "min_signers"]
    list_select_related = ["jurisdiction"]


class SignatureInline(admin.TabularInline):
    model = Signature
    raw_id_fields = ["person", "mandate"]
    extra = 0


class AssignmentInline(admin.TabularInline):
    model = Assignment
    raw_id_fields = ["unit", "assigned_by"]
    extra = 0


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "kind", "state", "year", "jurisdiction", "is_key"]
    list_filter = ["kind", "state", "year", "is_key"]
    search_fields = ["title"]
    raw_id_fields = ["jurisdiction", "session", "category", "merge_group", "created_by"]
    list_select_related = ["jurisdiction"]
    inlines = [SignatureInline, AssignmentInline]


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    list_display = ["proposal", "kind", "round", "starts_on", "due_on", "rule_field", "rule_value", "is_open"]
    list_filter = ["kind", "is_open"]
    raw_id_fields = ["proposal", "assignment", "rule"]


@admin.register(Reply)
class ReplyAdmin(admin.ModelAdmin):
    list_display = ["proposal", "round", "reply_class", "replied_at", "is_public"]
    raw_id_fields = ["proposal", "assignment", "document", "replied_by"]


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["proposal", "round", "result", "rated_at"]
    raw_id_fields = ["proposal", "reply", "signature", "rated_by"]


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(admin.ModelAdmin):
    list_display = ["assignment", "requested_due_on", "state", "requested_at"]
    raw_id_fields = ["deadline", "assignment", "requested_by", "decided_by"]


@admin.register(Supervision)
class SupervisionAdmin(admin.ModelAdmin):
    list_display = ["proposal", "leader", "committee", "started_on"]
    raw_id_fields = ["proposal", "leader", "committee", "created_by"]


@admin.register(MergeGroup)
class MergeGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]
