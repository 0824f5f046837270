"""The workbench's liaison cards (``apps.core.registry``): for the office, deputies' requests past their due date
and new letters to the director's mailbox (主任信箱); for a committee member, their assignments behind pace; each
counted by the selector of the list it opens."""

import datetime
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core import roles
from apps.core.access import is_office
from apps.core.registry import QUEUE_TEMPLATE, YEAR_FIGURES, HomeCard, WorkItem, WorkQueue
from apps.liaison.models import MailboxThread
from apps.liaison.selectors import contacts as selectors
from apps.liaison.selectors import participation, plans


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




def member_pace(user) -> WorkQueue | None:
    """A committee member's contacts due: their assignments of this year's plan behind pace (amber or red),
    opening "my liaison assignments" showing only those."""
    if not (user.has_role(roles.MEMBER) and user.has_perm("liaison.view_liaisonplan")):
        return None
    rows, linked = plans.member_year_rows(user, timezone.localdate(), behind_only=True)
    if not linked:
        return None
    return WorkQueue("liaison-member", _("My liaison with deputies this year"), (
        WorkItem("liaison-behind-pace", _("Assignments behind pace"), f"{reverse('liaison:member_my')}?pace=behind",
                 count=sum(len(row.assignments) for row in rows)),))


def year_figures(user) -> WorkQueue | None:
    """The office's figure of the year: the contacts committee members made with deputies this year."""
    if not (is_office(user) and user.has_perm("liaison.view_contact")):
        return None
    year = timezone.localdate().year
    dates = {"date_from": datetime.date(year, 1, 1), "date_to": datetime.date(year, 12, 31)}
    url = f"{reverse('liaison:contact_list')}?{urlencode({k: v.isoformat() for k, v in dates.items()})}"
    return WorkQueue(YEAR_FIGURES, _("This year in your jurisdiction"), (
        WorkItem("year-contacts", _("Contacts with deputies"), url,
                 queryset=selectors.filter_contacts(selectors.visible_contacts(user), dates)),))


def deputy_invitations(user) -> WorkQueue | None:
    """A deputy's coming invitations (列席, 立法论证, 征求意见), opening "my participation" showing only those."""
    if not (user.has_role(roles.DEPUTY) and user.person_id):
        return None
    coming = participation.invitations_of(user.person_id, from_date=timezone.localdate())
    return WorkQueue("liaison-deputy", _("Liaison with deputies"), (
        WorkItem("liaison-invitations", _("My coming invitations"), f"{reverse('liaison:my_participation')}?coming=1",
                 queryset=coming),))


def contact_member(user) -> dict | None:
    """A deputy's contact member(s) (联系代表的常委会组成人员) under this year's published liaison plan, each with a link
    to their contacts with the deputy. Names, not a count."""
    if not (user.has_role(roles.DEPUTY) and user.person_id):
        return None
    year = timezone.localdate().year
    assignments = plans.contact_assignments_for_person(user.person_id, year=year)
    members = list({a.member_id: a for a in assignments}.values())  # a member once, by their closest tie
    return {"year": year, "assignments": members}


CARDS = [
    HomeCard("liaison_member", 2, QUEUE_TEMPLATE, member_pace),
    HomeCard("liaison_office", 5, QUEUE_TEMPLATE, office_queue),
    HomeCard("liaison_year", 13, QUEUE_TEMPLATE, year_figures),
    HomeCard("liaison_deputy", 36, QUEUE_TEMPLATE, deputy_invitations),
    HomeCard("liaison_contact_member", 37, "liaison/fragment_home_contact_member.html", contact_member),
]
