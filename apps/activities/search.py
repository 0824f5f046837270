"""What the header's search box finds among activities (``apps.core.registry.SearchProvider``): titles, scoped
as the activity list scopes them (``visible_activities``), so the count equals that list filtered by the query."""

from urllib.parse import urlencode

from django.db.models import Count, Window
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from apps.activities.selectors.activities import visible_activities
from apps.core.registry import SearchHit, SearchProvider


def search_activities(user, q: str, limit: int):
    if not user.has_perm("activities.view_activity"):
        return None
    rows = list(visible_activities(user).filter(title__icontains=q).select_related("type")
                .only("id", "title", "start_date", "type__name")
                .annotate(total=Window(Count("*"))).order_by("-start_date", "-pk")[:limit])
    hits = [SearchHit(label=a.title, url=reverse("activities:activity_detail", args=[a.pk]),
                      detail=f"{a.type.name} · {formats.date_format(a.start_date, 'SHORT_DATE_FORMAT')}")
            for a in rows]
    return (rows[0].total if rows else 0), hits


def activities_list_url(user, q: str) -> str:
    return f"{reverse('activities:activity_list')}?{urlencode({'q': q})}"


PROVIDERS = [SearchProvider("activities", _("Activities"), 300, search_activities, activities_list_url,
                            areas=("activities", "roster"))]
