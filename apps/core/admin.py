from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from apps.core.models import AuditEvent, HandlingUnit, Jurisdiction, Notification


@admin.register(Jurisdiction)
class JurisdictionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]


@admin.register(HandlingUnit)
class HandlingUnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "jurisdiction", "contact_name", "is_active"]
    list_filter = ["is_active", "jurisdiction"]
    search_fields = ["name"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is never edited through the application."""

    list_display = ["created_at", "username", "ip_address", "action", "object_type", "object_id", "success"]
    list_filter = ["action", "success"]
    search_fields = ["username", "object_id", "detail"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "title", "read_at", "emailed_at"]
    raw_id_fields = ["recipient"]
