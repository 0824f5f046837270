"""The Django admin: superusers only.

The three administrators (三员分立) work through their own pages (apps/accounts/views_admin.py), which keep the
duties apart: the system administrator has no roles field, the security administrator cannot create accounts,
the auditor only reads the log. The Django admin cannot keep them apart — a user with ``change_user`` edits
groups, permissions and ``is_superuser`` on the same form, and ``is_staff`` alone opens every model the user
has a permission on, business data included. So it is closed to everyone but superusers, a break-glass
account for the maintainers (created with ``createsuperuser``); what a superuser changes to roles or
permissions there is audited like any other change (apps/accounts/services_admin.py).
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from apps.core.models import AuditEvent, HandlingUnit, Jurisdiction, Notification


def _superusers_only(request) -> bool:
    return bool(request.user.is_active and request.user.is_superuser)


admin.site.has_permission = _superusers_only


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
