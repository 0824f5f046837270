"""The home page's link to a deputy's own performance record (``apps.core.registry``)."""

from apps.core import roles
from apps.core.registry import HomeCard


def own_record(user):
    """The deputy's person, when the account is a deputy's tied to one."""
    if user.has_role(roles.DEPUTY) and user.person_id:
        return user.person
    return None


CARDS = [HomeCard("own_record", 20, "scoring/fragment_home_record.html", own_record)]
