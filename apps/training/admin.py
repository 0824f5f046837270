from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from apps.training.models import TrainingAttendance, TrainingMaterial, TrainingProgram, TrainingSession


class SessionInline(admin.TabularInline):
    model = TrainingSession
    extra = 0


@admin.register(TrainingProgram)
class TrainingProgramAdmin(SimpleHistoryAdmin):
    list_display = ["title", "form", "topic", "level", "jurisdiction", "start_date"]
    list_filter = ["form", "topic", "level"]
    search_fields = ["title", "organiser"]
    list_select_related = ["jurisdiction"]
    raw_id_fields = ["created_by"]
    inlines = [SessionInline]


@admin.register(TrainingSession)
class TrainingSessionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "program", "date", "hours", "lecturer"]
    search_fields = ["title", "lecturer", "program__title"]
    list_select_related = ["program"]
    date_hierarchy = "date"


@admin.register(TrainingAttendance)
class TrainingAttendanceAdmin(admin.ModelAdmin):
    list_display = ["person", "session", "attendance"]
    list_filter = ["attendance"]
    search_fields = ["person__name", "session__title"]
    list_select_related = ["person", "session"]
    raw_id_fields = ["session", "person", "mandate"]


@admin.register(TrainingMaterial)
class TrainingMaterialAdmin(admin.ModelAdmin):
    list_display = ["original_name", "program", "content_type", "size", "uploaded_at"]
    list_select_related = ["program"]
    raw_id_fields = ["program", "uploaded_by"]
