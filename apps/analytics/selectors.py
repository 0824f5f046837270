"""Reads of the analysis pages beyond the charts themselves: the jurisdictions a user may filter by."""

from django.db import connection
from django.db.models import QuerySet

from apps.core.models import Jurisdiction


def scope_jurisdictions(user) -> QuerySet[Jurisdiction]:
    """The user's jurisdiction and those below it, in tree order."""
    return (Jurisdiction.objects.filter(path__startswith=user.jurisdiction.path)
            .only("id", "name", "short_name", "path", "parent_id").order_by("path"))


def data_versions(keys) -> dict[str, int]:
    """The current versions of several areas of data (``core.DataVersion``) in one query; 0 before a first write."""
    keys = sorted(set(keys))
    with connection.cursor() as cursor:
        cursor.execute("SELECT key, version FROM core_dataversion WHERE key = ANY(%s)", [keys])
        found = dict(cursor.fetchall())
    return {key: found.get(key, 0) for key in keys}
