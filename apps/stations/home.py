"""The workbench's card for a deputy (``apps.core.registry``): their coming duty days at work stations, counted
by the selector of "my reception days" that the card opens."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core import roles
from apps.core.registry import QUEUE_TEMPLATE, HomeCard, WorkItem, WorkQueue
from apps.stations import selectors


def my_reception_days(user) -> WorkQueue | None:
    if not (user.has_role(roles.DEPUTY) and user.person_id):
        return None
    upcoming = selectors.duty_days(user).filter(selectors.upcoming_q(timezone.localdate()))
    return WorkQueue("stations-deputy", _("Work stations"), (
        WorkItem("stations-my-days", _("My coming reception days"), reverse("stations:my_reception_days"),
                 queryset=upcoming),))


CARDS = [HomeCard("stations_deputy", 35, QUEUE_TEMPLATE, my_reception_days)]
