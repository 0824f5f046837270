"""What the header's search box finds among motions and suggestions and handling units
(``apps.core.registry.SearchProvider``), each scoped as its list page scopes it, so that a kind's count equals
the length of the list it links to:

- the office: the office list (its jurisdiction and below, no drafts), by number, title or signer;
- a deputy: the items of "mine" (signed or invited to), by number or title;
- a handling unit: its inbox (its assignments), by the item's number or title;
- handling units: the office's units list, by name.
"""

from urllib.parse import urlencode

from django.db.models import Count, Window
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core import access as core_access
from apps.core.access import jurisdiction_scope
from apps.core.models import HandlingUnit
from apps.core.registry import SearchHit, SearchProvider
from apps.proposals import access
from apps.proposals.models import Proposal
from apps.proposals.selectors import deputy, office, unit

FIELDS = ("id", "kind", "number", "title", "year")


def _counted(qs, limit: int) -> tuple[int, list]:
    rows = list(qs.annotate(total=Window(Count("*")))[:limit])
    return (rows[0].total if rows else 0), rows


def _hit(proposal: Proposal, url: str) -> SearchHit:
    return SearchHit(label=proposal.title, url=url,
                     detail=" · ".join(p for p in (proposal.get_kind_display(), proposal.number_label,
                                                   str(proposal.year)) if p))


def search_proposals(user, q: str, limit: int):
    if access.is_office(user):
        total, rows = _counted(office.office_list(user).filter(office.search_filter(q)).only(*FIELDS)
                               .order_by("-year", "kind", "number", "-pk"), limit)
        return total, [_hit(p, reverse("proposals:proposal_detail", args=[p.pk])) for p in rows]
    if access.is_deputy(user):
        total, rows = _counted(deputy.my_items(user).filter(office.number_or_title_filter(q)).only(*FIELDS)
                               .order_by("-year", "kind", "number", "-pk"), limit)
        return total, [_hit(p, reverse("proposals:my_proposal_detail", args=[p.pk])) for p in rows]
    if access.is_unit(user):
        qs = unit.filter_inbox(unit.inbox_assignments(user), q=q).select_related(None).select_related("proposal").only(
            "id", *(f"proposal__{f}" for f in FIELDS))
        total, rows = _counted(qs.order_by("-proposal__year", "proposal__number", "-pk"), limit)
        return total, [_hit(a.proposal, reverse("proposals:unit_assignment", args=[a.pk])) for a in rows]
    return None


def proposals_list_url(user, q: str) -> str:
    if access.is_office(user):
        name = "proposals:proposal_list"
    elif access.is_deputy(user):
        name = "proposals:mine"
    else:
        name = "proposals:unit_inbox"
    return f"{reverse(name)}?{urlencode({'q': q})}"


def search_units(user, q: str, limit: int):
    if not core_access.is_office(user, "core.view_handlingunit"):
        return None
    may_edit = user.has_perm("core.change_handlingunit")
    total, rows = _counted(HandlingUnit.objects.filter(jurisdiction_scope(user), name__icontains=q)
                           .select_related("jurisdiction").only("id", "name", "jurisdiction__name")
                           .order_by("-is_active", "name"), limit)
    return total, [SearchHit(label=u.name, detail=u.jurisdiction.name,
                             url=(reverse("proposals:unit_edit", args=[u.pk]) if may_edit
                                  else units_list_url(user, u.name)))
                   for u in rows]


def units_list_url(user, q: str) -> str:
    return f"{reverse('proposals:unit_list')}?{urlencode({'q': q})}"


PROVIDERS = [
    SearchProvider("proposals", _("Motions and suggestions"), 200, search_proposals, proposals_list_url,
                   areas=("proposals", "roster")),
    SearchProvider("units", _("Handling units"), 400, search_units, units_list_url, areas=("proposals",)),
]
