"""The home page's cards of motions and suggestions (``apps.core.registry``): what awaits a deputy, and a
handling unit's inbox by state."""

from apps.core import roles
from apps.core.registry import HomeCard
from apps.proposals.selectors import unit as unit_selectors
from apps.proposals.selectors.deputy import awaiting_counts


def deputy_awaiting(user) -> dict | None:
    """Invitations to co-sign, replies to rate and follow-ups to answer, for a deputy tied to a person."""
    if not (user.has_role(roles.DEPUTY) and user.person_id):
        return None
    return awaiting_counts(user) or None


def unit_inbox(user) -> list | None:
    """A unit user's inbox groups that hold items (an empty list says nothing is assigned)."""
    if not (user.has_role(roles.UNIT) and user.handling_unit_id):
        return None
    inbox = unit_selectors.inbox_assignments(user)
    return [group for group in unit_selectors.group_counts(unit_selectors.inbox_summary(inbox)) if group["count"]]


CARDS = [
    HomeCard("deputy_awaiting", 30, "proposals/fragment_home_awaiting.html", deputy_awaiting),
    HomeCard("unit_inbox", 40, "proposals/fragment_home_unit_inbox.html", unit_inbox),
]
