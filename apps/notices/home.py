"""The workbench's notices card (``apps.core.registry``): the user's unread notices and the meeting notices
awaiting his reply; each count is the total of the inbox list it opens."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.registry import QUEUE_TEMPLATE, HomeCard, WorkItem, WorkQueue
from apps.notices import access, selectors


def my_notices(user) -> WorkQueue | None:
    if not user.is_authenticated or not user.roles:
        return None
    receipts = access.own_receipts(user)
    inbox = reverse("notices:inbox")
    return WorkQueue("notices", pgettext_lazy("menu", "Notices"), (
        WorkItem("notices-unread", _("Unread notices"), f"{inbox}?only=unread",
                 queryset=selectors.inbox(receipts, only="unread")),
        WorkItem("notices-awaiting", _("Meeting notices awaiting my reply"), f"{inbox}?only=awaiting",
                 queryset=selectors.inbox(receipts, only="awaiting")),
    ))


CARDS = [HomeCard("notices", 25, QUEUE_TEMPLATE, my_notices)]
