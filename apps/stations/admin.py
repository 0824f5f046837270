from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from apps.stations.models import ReceptionDay, Station, VoterVisit


@admin.register(Station)
class StationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "jurisdiction", "community", "responsible_name", "is_active"]
    list_filter = ["is_active", "jurisdiction"]
    list_select_related = ["jurisdiction"]
    search_fields = ["name", "community"]
    filter_horizontal = ["deputies"]


@admin.register(ReceptionDay)
class ReceptionDayAdmin(SimpleHistoryAdmin):
    list_display = ["station", "date", "start_time", "end_time", "reminded_at"]
    list_select_related = ["station"]
    date_hierarchy = "date"
    raw_id_fields = ["station"]
    filter_horizontal = ["deputies"]


@admin.register(VoterVisit)
class VoterVisitAdmin(SimpleHistoryAdmin):
    """No visitor phone in the list: it is personal data, shown masked on the pages."""

    list_display = ["station", "date", "category", "status", "follow_up_due"]
    list_filter = ["status", "category"]
    list_select_related = ["station"]
    date_hierarchy = "date"
    raw_id_fields = ["station", "reception_day", "created_by"]
    filter_horizontal = ["deputies"]
