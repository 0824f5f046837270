"""The Django admin (superusers only) lists the blocked senders, so that a block made by mistake can be lifted."""

from django.contrib import admin

from apps.intake.models import IntakeBlock


@admin.register(IntakeBlock)
class IntakeBlockAdmin(admin.ModelAdmin):
    list_display = ["kind", "intake", "created_by", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["intake", "created_by"]
    readonly_fields = ["kind", "value_hash", "intake", "created_by", "created_at"]

    def has_add_permission(self, request):
        return False  # a block is made by closing an opinion as spam
