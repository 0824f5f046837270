"""The workbench's card of voters' opinions waiting (待处理的选民意见, ``apps.core.registry``): the office's of its
scope, a deputy's own; the count is the total of the inbox list it opens (``?status=new``)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.registry import QUEUE_TEMPLATE, HomeCard, WorkItem, WorkQueue
from apps.intake import access, selectors
from apps.intake.models import Intake


def waiting_opinions(user) -> WorkQueue | None:
    if not user.is_authenticated or not access.opens_inbox(user):
        return None
    return WorkQueue("intake", _("Voters' opinions"), (
        WorkItem("intake-waiting", _("Voters' opinions waiting"), f"{reverse('intake:inbox')}?status={Intake.Status.NEW}",
                 queryset=selectors.waiting(access.visible_intakes(user))),))


CARDS = [HomeCard("intake", 38, QUEUE_TEMPLATE, waiting_opinions)]
