"""Reads of the analysis pages beyond the charts themselves: the jurisdictions a user may filter by."""

from django.db.models import QuerySet

from apps.core.models import Jurisdiction


def scope_jurisdictions(user) -> QuerySet[Jurisdiction]:
    """The user's jurisdiction and those below it, in tree order."""
    return (Jurisdiction.objects.filter(path__startswith=user.jurisdiction.path)
            .only("id", "name", "short_name", "path", "parent_id").order_by("path"))
