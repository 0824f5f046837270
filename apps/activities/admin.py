from django.contrib import admin

from apps.activities.models import Activity, ActivityType, Attachment


@admin.register(ActivityType)
class ActivityTypeAdmin(admin.ModelAdmin):
    list_display = ["position", "name", "code", "has_outcomes", "is_active"]
    list_display_links = ["name"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "type", "start_date", "jurisdiction", "level", "source"]
    list_filter = ["type", "level", "source"]
    search_fields = ["title"]
    date_hierarchy = "start_date"
    raw_id_fields = ["jurisdiction", "created_by"]
    list_select_related = ["type", "jurisdiction"]


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "kind", "content_type", "size", "uploaded_at"]
    raw_id_fields = ["activity", "self_report", "uploaded_by"]
