"""Motions and suggestions' entries in the main menu (``apps.core.registry``): the deputy's, the unit's and the
leaders' own lists, and the office's pages (an office user holds ``proposals.view_proposal`` in a
jurisdiction); everyone else who has the group sees the published replies."""

from django.utils.translation import gettext_lazy as _

from apps.core import roles
from apps.core.menu import has_deputy_record, holds_role, scoped
from apps.core.registry import MenuEntry

office = scoped("proposals.view_proposal")


def _office_and(perm: str):
    return lambda user: office(user) and user.has_perm(perm)


def _not_office(user) -> bool:
    return not office(user) and (has_deputy_record(user) or user.has_role(roles.UNIT, roles.MEMBER))


ENTRIES = [
    MenuEntry(_("My motions and suggestions"), "nav-my-proposals", "proposals", 10, has_deputy_record,
              url_name="proposals:mine"),
    MenuEntry(_("Assigned items"), "nav-unit-inbox", "proposals", 20,
              lambda user: user.has_role(roles.UNIT) and bool(user.handling_unit_id), url_name="proposals:unit_inbox"),
    # leaders of the 主任会议: 我督办的建议
    MenuEntry(_("Items I lead the supervision of"), "nav-leader-items", "proposals", 30, holds_role(roles.MEMBER),
              url_name="proposals:leader_list"),
    MenuEntry(_("All items"), "nav-proposal-list", "proposals", 40, office, url_name="proposals:proposal_list"),
    MenuEntry(_("Published replies"), "nav-published", "proposals", 50, office, url_name="proposals:published_list"),
    MenuEntry(_("Supervision board"), "nav-proposal-board", "proposals", 60,
              _office_and("proposals.supervise_proposal"), url_name="proposals:board"),
    MenuEntry(_("Enter a paper submission"), "nav-proposal-enter", "proposals", 70,
              _office_and("proposals.handle_proposal"), url_name="proposals:proposal_enter"),
    MenuEntry(_("Extension requests"), "nav-extensions", "proposals", 80, _office_and("proposals.handle_proposal"),
              url_name="proposals:extension_list"),
    MenuEntry(_("Handling units"), "nav-units", "proposals", 90, office, url_name="proposals:unit_list",
              divider_before=True),
    MenuEntry(_("Handling rules"), "nav-rules", "proposals", 100, office, url_name="proposals:rule_list"),
    MenuEntry(_("Working-day calendar"), "nav-calendar", "proposals", 110, office, url_name="proposals:calendar"),
    MenuEntry(_("Published replies"), "nav-published-replies", "proposals", 120, _not_office,
              url_name="proposals:published_list"),
]
