"""The home page's count of serving deputies by level, for those who work with the roster (``apps.core.registry``)."""

from django.db.models import Count

from apps.core.access import scope_queryset, sees_roster
from apps.core.registry import HomeCard
from apps.deputies.models import Level, Mandate


def serving_by_level(user) -> dict | None:
    """The serving mandates in the user's jurisdiction, counted by level (each count links to the roster)."""
    if not sees_roster(user):
        return None
    serving = scope_queryset(Mandate.objects.current(), user)
    counts = dict(serving.values_list("level").annotate(n=Count("pk")).order_by())
    return {"levels": [(lvl.value, lvl.label, counts.get(lvl.value, 0)) for lvl in Level],
            "serving_total": sum(counts.values())}


CARDS = [HomeCard("serving_by_level", 10, "deputies/fragment_home_levels.html", serving_by_level)]
