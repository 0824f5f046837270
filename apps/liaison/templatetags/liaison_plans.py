"""Liaison pieces shown on other apps' pages: a deputy's contact member on their record page."""

from django import template
from django.utils import timezone

from apps.core.access import sees_roster

register = template.Library()


@register.inclusion_tag("liaison/member_contact_card.html", takes_context=True)
def contact_member_card(context, person):
    """Who contacts ``person`` under this year's published plan (one query). Shown to the deputy themself and
    to staff and supervisors (plans of their jurisdiction and below); to no one else."""
    from apps.liaison.selectors.plans import contact_assignments_for_person

    user = context["request"].user
    if user.is_authenticated and user.person_id == person.pk:
        scope = None
    elif sees_roster(user, "liaison.view_liaisonassignment"):
        scope = user.jurisdiction.path
    else:
        return {"show": False}
    year = timezone.localdate().year
    return {"show": True, "year": year,
            "assignments": contact_assignments_for_person(person, year=year, scope_path=scope)}
