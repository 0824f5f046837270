"""The workbench's scoring cards (``apps.core.registry``): the open disputes of scores waiting for the office,
and a deputy's way to their own performance record."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core import roles
from apps.core.registry import QUEUE_TEMPLATE, HomeCard, WorkItem, WorkQueue
from apps.scoring import access
from apps.scoring.models import Dispute
from apps.scoring.selectors.scores import open_disputes


def disputes_to_resolve(user) -> WorkQueue | None:
    """Open disputes (错重漏申报) of the user's scope, opening the dispute list filtered to them."""
    if not access.is_office(user):
        return None
    url = f"{reverse('scoring:dispute_list')}?status={Dispute.Status.OPEN}"
    return WorkQueue("scoring-office", _("Performance assessment"), (
        WorkItem("scoring-disputes", _("Open disputes of scores"), url,
                 queryset=open_disputes(access.office_disputes(user))),))


def own_record(user):
    """The deputy's person, when the account is a deputy's tied to one."""
    if user.has_role(roles.DEPUTY) and user.person_id:
        return user.person
    return None


CARDS = [
    HomeCard("scoring_office", 7, QUEUE_TEMPLATE, disputes_to_resolve),
    HomeCard("own_record", 20, "scoring/fragment_home_record.html", own_record),
]
