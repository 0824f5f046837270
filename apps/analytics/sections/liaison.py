"""Liaison (联系代表): the year's contacts by committee member and month (a heat map) and by channel.

The base is the contact list's own selector, ``visible_contacts``, narrowed to contacts dated in the year, to
members of the chosen jurisdiction and to members of the chosen level's term.

The heat map marks each member's pace against the plan's quota by the compliance page's own rows
(``compliance_rows`` of the chosen jurisdiction's plan and year, as of today: on pace, behind by one, behind).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.db.models.functions import ExtractMonth
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.analytics.charts import Chart, Context, Field
from apps.analytics.sections import Column, Section
from apps.analytics.sections.activities import MONTHS
from apps.liaison.models import Channel, Contact
from apps.liaison.selectors.plans import compliance_rows
from apps.liaison.selectors.contacts import visible_contacts


def contacts_of_year(context: Context) -> QuerySet[Contact]:
    qs = visible_contacts(context.user).filter(date__range=(context.first_day, context.last_day))
    if context.jurisdiction is not None:
        qs = qs.filter(member__jurisdiction__path__startswith=context.jurisdiction.path)
    if context.level:
        qs = qs.filter(member__term__level=context.level)
    return qs


def member_pace(context: Context) -> dict[str, tuple[str, str]]:
    """Each member's pace in the chosen jurisdiction's plan (the compliance page's status of the member)."""
    rows = compliance_rows(jurisdiction=context.jurisdiction or context.user.jurisdiction, year=context.year,
                           on_date=context.today)
    return {str(row.member.pk): (row.status or "", row.status_label or _("No assignments")) for row in rows}


CHARTS = [
    Chart("heatmap", _("Contacts by member and month"), "heatmap", contacts_of_year,
          Field(ExtractMonth("date"), choices=MONTHS), _("Month"),
          series=Field("member_id", label="member__person__name", order="member__person__name_pinyin"),
          value_title=_("Contacts"), notes=member_pace, notes_title=pgettext_lazy("liaison pace", "Pace"),
          help=_("Each cell: the contacts a member made in a month (the plan's quota is spread evenly over the "
                 "year: a member on pace has about a twelfth of it each month). The pace of each member of the "
                 "chosen jurisdiction's plan is the compliance page's: members behind are marked.")),
    Chart("channel", _("Contacts by channel"), "pie", contacts_of_year, Field("channel", choices=Channel.choices),
          _("Channel"), value_title=_("Contacts")),
]


def rows(qs: QuerySet[Contact]) -> QuerySet[Contact]:
    return qs.select_related("member__person").order_by("-date", "-pk")


SECTION = Section(
    slug="liaison", title=_("Liaison with deputies"), perm="liaison.view_contact", charts=CHARTS, areas=("liaison", "roster"), rows=rows,
    record_noun=_("contacts"),
    columns=[
        Column(_("Date"), lambda c: c.date, lambda c: reverse("liaison:contact_detail", args=[c.pk])),
        Column(_("Committee member"), lambda c: c.member.person.name),
        Column(_("Channel"), lambda c: c.get_channel_display()),
    ],
)
