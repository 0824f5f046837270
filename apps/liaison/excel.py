"""Liaison workbooks: the contact list, deputies' requests and invitations, each with the rows of its page (export
only; text made safe by ``apps.core.excel``)."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.core.excel import simple_workbook
from apps.liaison.models import DeputyRequest

DATE = "yyyy-mm-dd"


def _contacted(contact) -> str:
    """Who a contact reached, as the list shows it: a delegation or group with the deputies present, else the
    deputies by name."""
    people = list(contact.participants.all())
    if contact.delegation_id or contact.group_id:
        body = contact.delegation.name if contact.delegation_id else contact.group.name
        present = ngettext("%(counter)s deputy present", "%(counter)s deputies present", len(people)) % {
            "counter": len(people)}
        return f"{body} ({present})"
    return "、".join(p.name for p in people)


def contacts_workbook(rows) -> bytes:
    """One row per contact of ``rows`` (``selectors.contacts.contact_rows``), in the list's order."""
    return simple_workbook(
        _("Contacts with deputies"),
        [_("Date"), _("Committee member"), _("Channel"), _("Deputies contacted"), _("Summary"), _("Requests")],
        ([c.date, c.member.person.name, c.get_channel_display(), _contacted(c), c.summary, c.request_count]
         for c in rows),
        widths=[12, 14, 12, 36, 60, 8], number_formats={0: DATE})


def requests_workbook(rows, *, today) -> bytes:
    """One row per request of ``rows`` (``selectors.contacts.request_rows``), in the list's order."""
    yes = _("Yes")
    closed = DeputyRequest.Status.CLOSED

    def values(r):
        overdue = r.status != closed and r.due_date < today
        return [r.person.name, r.get_category_display(), r.content, r.office.name if r.office_id else r.office_name,
                r.contact.member.person.name if r.contact_id else "", r.due_date, yes if overdue else "",
                r.get_status_display()]

    return simple_workbook(
        _("Deputies' requests"),
        [_("Deputy"), _("Category"), _("Request"), _("Office responsible"), _("Committee member"), _("Due date"),
         _("Overdue"), _("Status")],
        (values(r) for r in rows), widths=[12, 12, 60, 24, 14, 12, 8, 10], number_formats={5: DATE})


def invitations_workbook(rows) -> bytes:
    """One row per invitation of ``rows`` (``selectors.participation.invitation_rows``), in the list's order."""
    return simple_workbook(
        _("Invitations"),
        [_("Date"), _("Kind"), _("Title"), _("Jurisdiction"), _("Invited"), _("Attended"), _("Opinions")],
        ([i.date, i.get_kind_display(), i.title, i.jurisdiction.name, i.invited, i.attended, i.opinions]
         for i in rows),
        widths=[12, 16, 48, 16, 8, 8, 8], number_formats={0: DATE})
