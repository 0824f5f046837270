"""The workbench's cards of motions and suggestions (``apps.core.registry``): the office's to-dos, what awaits a
deputy, and a handling unit's inbox by state. Each count comes from the selector of the list its link opens,
filtered as the link's query string says, so a count and its list never differ."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core import roles
from apps.core.registry import QUEUE_TEMPLATE, YEAR_FIGURES, HomeCard, WorkItem, WorkQueue
from apps.proposals import access
from apps.proposals.selectors import config as config_selectors
from apps.proposals.selectors import office as office_selectors
from apps.proposals.selectors import unit as unit_selectors
from apps.proposals.selectors.deputy import awaiting_counts

OFFICE_LABELS = {
    "to_register": _("Items to register"),
    "to_review": _("Registered items to review or assign"),
    "to_assign": _("Docketed motions to assign"),
    "overdue": _("Items overdue at a unit"),
    "due_soon": _("Items due within 14 days"),
    "key_open": _("Key items being handled"),
}
# What each office role waits for: staff handle the flow, supervisors chase the deadlines and the key items.
OFFICE_QUEUES = {
    roles.STAFF: ("to_register", "to_review", "to_assign", "overdue", "due_soon"),
    roles.SUPERVISOR: ("overdue", "due_soon", "key_open"),
}


def _list_url(data: dict) -> str:
    query = {name: ("on" if value is True else value) for name, value in data.items()}
    return f"{reverse('proposals:proposal_list')}?{urlencode(query)}"


def office_queue(user) -> WorkQueue | None:
    """The office's to-dos on motions and suggestions, each opening the office list with its filter."""
    if not access.is_office(user):
        return None
    names = [name for role, queue in OFFICE_QUEUES.items() if user.has_role(role) for name in queue]
    names = list(dict.fromkeys(names))
    counts = office_selectors.office_queue_counts(user)
    items = [WorkItem(f"proposals-{name.replace('_', '-')}", OFFICE_LABELS[name],
                      _list_url(office_selectors.QUEUE_FILTERS[name]), count=counts[name]) for name in names]
    if user.has_role(roles.SUPERVISOR) and user.has_perm("core.view_handlingunit"):
        items.append(WorkItem("proposals-units-behind", _("Handling units falling behind"),
                              f"{reverse('proposals:unit_list')}?behind=on",
                              queryset=config_selectors.unit_rows(user, behind=True)))
    if access.is_handler(user):
        items.append(WorkItem("proposals-extensions", _("Extension requests to decide"),
                              reverse("proposals:extension_list"),
                              queryset=office_selectors.extension_requests(user)))
    return WorkQueue("proposals-office", _("Motions and suggestions to handle"), tuple(items))


def led_supervisions(user) -> WorkQueue | None:
    """For a leader of the council (主任会议): the key items whose supervision they lead."""
    if not access.is_member(user):
        return None
    return WorkQueue("proposals-leader", _("Supervision of key items"), (
        WorkItem("proposals-led", _("Items whose supervision I lead"), reverse("proposals:leader_list"),
                 queryset=access.leader_proposals(user)),))


def deputy_awaiting(user) -> dict | None:
    """Invitations to co-sign, replies to rate and follow-ups to answer, for a deputy tied to a person; each
    count opens "my motions and suggestions" showing exactly those items."""
    if not (user.has_role(roles.DEPUTY) and user.person_id):
        return None
    counts = awaiting_counts(user)
    mine = reverse("proposals:mine")
    return {"items": [
        WorkItem("proposals-cosign", _("Invitations to co-sign"), f"{mine}?show=cosign", count=counts["cosign"]),
        WorkItem("proposals-rating", _("Replies awaiting my rating"), f"{mine}?show=rating", count=counts["rating"]),
        WorkItem("proposals-follow-up", _("Follow-ups awaiting my answer"), f"{mine}?show=follow_up",
                 count=counts["follow_up"]),
    ]}


UNIT_DUE_LABELS = {"overdue": _("Overdue at my unit"), "soon": _("Due at my unit within 14 days")}


def unit_inbox(user) -> dict | None:
    """A unit user's inbox groups that hold items (none says nothing is assigned), and what is overdue or due
    within 14 days, each opening the inbox filtered to exactly those assignments."""
    if not (user.has_role(roles.UNIT) and user.handling_unit_id):
        return None
    inbox = unit_selectors.inbox_assignments(user)
    groups = [group for group in unit_selectors.group_counts(unit_selectors.inbox_summary(inbox)) if group["count"]]
    if not groups:
        return {"groups": [], "due": []}
    counts = unit_selectors.due_counts(inbox, timezone.localdate())
    url = reverse("proposals:unit_inbox")
    decided = unit_selectors.filter_inbox(inbox, extension=unit_selectors.EXTENSION_DECIDED).count()
    return {"groups": groups, "due": [
        *[WorkItem(f"unit-due-{due}", UNIT_DUE_LABELS[due], f"{url}?due={due}", count=counts[due])
          for due in unit_selectors.DUE_FILTERS],
        WorkItem("unit-extensions-decided", _("Extension requests decided in the last 30 days"),
                 f"{url}?extension={unit_selectors.EXTENSION_DECIDED}", count=decided)]}


def year_figures(user) -> WorkQueue | None:
    """The office's figure of the year: the motions and suggestions raised this year in its scope."""
    if not access.is_office(user):
        return None
    year = timezone.localdate().year
    items = office_selectors.filter_proposals(office_selectors.office_list(user), {"year": year})
    return WorkQueue(YEAR_FIGURES, _("This year in your jurisdiction"), (
        WorkItem("year-proposals", _("Motions and suggestions raised"), _list_url({"year": year}),
                 queryset=items),))


CARDS = [
    HomeCard("proposals_office", 4, QUEUE_TEMPLATE, office_queue),
    HomeCard("proposals_leader", 3, QUEUE_TEMPLATE, led_supervisions),
    HomeCard("deputy_awaiting", 30, "proposals/fragment_home_awaiting.html", deputy_awaiting),
    HomeCard("unit_inbox", 40, "proposals/fragment_home_unit_inbox.html", unit_inbox),
    HomeCard("proposals_year", 11, QUEUE_TEMPLATE, year_figures),
]
