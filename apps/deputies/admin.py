from django.conf import settings
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from apps.deputies.models import Delegation, DeputyGroup, ElectoralUnit, Mandate, Person, Term


@admin.register(Term)
class TermAdmin(SimpleHistoryAdmin):
    list_display = ["name", "level", "jurisdiction", "start_date", "end_date"]
    list_filter = ["level"]


@admin.register(Delegation)
class DelegationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "term"]
    list_filter = ["term"]


@admin.register(DeputyGroup)
class DeputyGroupAdmin(SimpleHistoryAdmin):
    list_display = ["name", "jurisdiction"]
    search_fields = ["name"]


@admin.register(ElectoralUnit)
class ElectoralUnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "level", "jurisdiction"]
    search_fields = ["name"]


@admin.register(Mandate)
class MandateAdmin(SimpleHistoryAdmin):
    """The same rows as the roster list, used as its performance yardstick in ``make bench``."""

    list_display = ["person", "level", "term", "jurisdiction", "delegation", "group", "status"]
    list_filter = ["level", "status", "term", "delegation"]
    list_select_related = ["person", "term", "jurisdiction", "delegation", "group"]
    search_fields = ["person__name", "person__name_initials"]
    raw_id_fields = ["person", "electoral_unit", "delegation", "group"]
    list_per_page = settings.ROSTER_PAGE_SIZE


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["name", "gender", "party", "employer"]
    search_fields = ["name", "name_initials"]
    exclude = []
