"""The workbench's scoring cards (``apps.core.registry``): the open disputes of scores waiting for the office,
and a deputy's way to their own performance record."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core import roles
from apps.core.registry import QUEUE_TEMPLATE, HomeCard, WorkItem, WorkQueue
from apps.scoring import access
from apps.scoring.models import Dispute
from apps.scoring.selectors.scores import open_disputes, stale_scores


def disputes_to_resolve(user) -> WorkQueue | None:
    """Open disputes (错重漏申报) of the user's scope, opening the dispute list filtered to them; for staff, this
    year's stale scores too (a record changed since they were computed), opening the score list filtered to them."""
    if not access.is_office(user):
        return None
    url = f"{reverse('scoring:dispute_list')}?status={Dispute.Status.OPEN}"
    items = [WorkItem("scoring-disputes", _("Open disputes of scores"), url,
                      queryset=open_disputes(access.office_disputes(user)))]
    if user.has_role(roles.STAFF):
        # This year's scores of every level (``level=`` overrides the list's default level of the user).
        year = timezone.localdate().year
        stale_url = f"{reverse('scoring:score_list')}?{urlencode({'year': year, 'level': '', 'stale': 'on'})}"
        items.append(WorkItem("scoring-stale", _("Scores waiting to be recomputed"), stale_url,
                              queryset=stale_scores(access.office_scores(user), year=year)))
    return WorkQueue("scoring-office", _("Performance assessment"), tuple(items))


def own_record(user):
    """The deputy's person, when the account is a deputy's tied to one."""
    if user.has_role(roles.DEPUTY) and user.person_id:
        return user.person
    return None


CARDS = [
    HomeCard("scoring_office", 7, QUEUE_TEMPLATE, disputes_to_resolve),
    HomeCard("own_record", 20, "scoring/fragment_home_record.html", own_record),
]
