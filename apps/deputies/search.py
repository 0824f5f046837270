"""What the header's search box finds in the roster (``apps.core.registry.SearchProvider``): mandates whose
person's name, pinyin or initials match, scoped as the roster list scopes them (``visible_mandates``), so the
count equals the length of the roster list filtered by the same query."""

from urllib.parse import urlencode

from django.db.models import Count, Window
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.access import sees_roster
from apps.core.registry import SearchHit, SearchProvider
from apps.deputies.selectors import search_filter, visible_mandates


def search_people(user, q: str, limit: int):
    if not sees_roster(user):
        return None
    rows = list(visible_mandates(user).filter(search_filter(q))
                .select_related("person", "jurisdiction")
                .only("id", "level", "person__id", "person__name", "jurisdiction__name",
                      "jurisdiction__short_name")
                .annotate(total=Window(Count("*")))
                .order_by("person__name_pinyin", "person_id", "-start_date")[:limit])
    hits = [SearchHit(label=m.person.name, url=reverse("deputies:person_detail", args=[m.person_id]),
                      detail=f"{m.jurisdiction.short_name or m.jurisdiction.name} · {m.get_level_display()}")
            for m in rows]
    return (rows[0].total if rows else 0), hits


def people_list_url(user, q: str) -> str:
    return f"{reverse('deputies:roster_list')}?{urlencode({'q': q})}"


PROVIDERS = [SearchProvider("people", _("Deputies"), 100, search_people, people_list_url, areas=("roster",))]
