"""The workbench's liaison card (``apps.core.registry``): deputies' requests past their due date and new letters
to the leaders' mailbox (主任信箱), each counted by the selector of the list it opens."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.access import is_office
from apps.core.registry import QUEUE_TEMPLATE, HomeCard, WorkItem, WorkQueue
from apps.liaison.models import MailboxThread
from apps.liaison.selectors import contacts as selectors


def office_queue(user) -> WorkQueue | None:
    """What waits for the office in liaison with deputies."""
    if not is_office(user):
        return None
    items = []
    if user.has_perm("liaison.view_deputyrequest"):
        items.append(WorkItem("liaison-requests-overdue", _("Deputies' requests overdue"),
                              reverse("liaison:request_overdue"),
                              queryset=selectors.visible_requests(user).filter(selectors.overdue_q())))
    if user.has_perm("liaison.view_mailboxthread"):
        new = MailboxThread.Status.NEW
        items.append(WorkItem("liaison-mailbox-new", _("New letters to the director's mailbox"),
                              f"{reverse('liaison:mailbox_list')}?status={new}",
                              queryset=selectors.visible_threads(user).filter(status=new)))
    return WorkQueue("liaison-office", _("Liaison with deputies"), tuple(items)) if items else None


CARDS = [HomeCard("liaison_office", 5, QUEUE_TEMPLATE, office_queue)]
