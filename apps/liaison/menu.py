"""Liaison's entries in the main menu (``apps.core.registry``): participation under 履职, the rest under 联系."""

from django.utils.translation import gettext_lazy as _

from apps.core import roles
from apps.core.access import sees_roster
from apps.core.menu import has_deputy_record, scoped
from apps.core.registry import MenuEntry


def _roster_and(perm: str):
    return lambda user: sees_roster(user) and user.has_perm(perm)


ENTRIES = [
    MenuEntry(_("Participation"), "nav-participation", "duties", 30, scoped("liaison.view_invitation"),
              url_name="liaison:invitation_list"),
    MenuEntry(_("My participation"), "nav-my-participation", "duties", 60, has_deputy_record,
              url_name="liaison:my_participation"),
    MenuEntry(_("Liaison plan"), "nav-liaison-plan", "liaison", 10, _roster_and("liaison.view_liaisonassignment"),
              url_name="liaison:plan_current"),
    MenuEntry(_("My assignments"), "nav-member-my", "liaison", 20,
              lambda user: sees_roster(user) and user.has_role(roles.MEMBER), url_name="liaison:member_my"),
    MenuEntry(_("Contacts"), "nav-contacts", "liaison", 30, _roster_and("liaison.view_contact"),
              url_name="liaison:contact_list"),
    MenuEntry(_("Deputies' requests"), "nav-requests", "liaison", 40, _roster_and("liaison.view_deputyrequest"),
              url_name="liaison:request_list"),
    MenuEntry(_("Director's mailbox"), "nav-mailbox", "liaison", 50, scoped("liaison.view_mailboxthread"),
              url_name="liaison:mailbox_list"),
    MenuEntry(_("My requests"), "nav-my-requests", "liaison", 60, has_deputy_record,
              url_name="liaison:my_request_list"),
    MenuEntry(_("Director's mailbox"), "nav-my-mailbox", "liaison", 70, has_deputy_record,
              url_name="liaison:my_thread_list"),
]
