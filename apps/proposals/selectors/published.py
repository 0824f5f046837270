"""Published replies (公开答复): the replies units gave, open to deputies, committee members, staff, supervisors
and units, unless the reply or its item is confidential.

A reply is published when ``Reply.is_public`` is set and the item is not ``is_confidential``; the page lists
each item's latest published reply.
"""

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from apps.core.access import is_pk
from apps.proposals.models import Proposal, Reply, Signature

# The one definition of a published reply (the public portal, apps.opendata, reads it through these selectors).
_PUBLISHED = Q(is_public=True, proposal__is_confidential=False)


def published_reply_rows() -> QuerySet[Reply]:
    """Every published reply (of any round), unordered: for the conditions of other reads."""
    return Reply.objects.filter(_PUBLISHED)


def published_replies(*, q: str = "", year: int | None = None, kind: str | None = None,
                      category_id: int | None = None, unit_id: int | None = None,
                      reply_text: bool = False) -> QuerySet[Reply]:
    """The latest published reply of every item, newest first, with the item, its category, the class and the
    unit (no query per row). ``q`` matches the title, the keywords and the unit's name (and the reply's text
    with ``reply_text``); ``kind``, ``category_id`` and ``unit_id`` (the replying unit) narrow it."""
    latest = Reply.objects.filter(_PUBLISHED, proposal=OuterRef("proposal")).order_by("-round").values("pk")[:1]
    qs = (Reply.objects.filter(_PUBLISHED, pk=Subquery(latest))
          .select_related("proposal", "proposal__category", "reply_class", "assignment__unit")
          .order_by("-replied_at", "-pk"))
    if q:
        matches = (Q(proposal__title__icontains=q) | Q(proposal__keywords__icontains=q)
                   | Q(assignment__unit__name__icontains=q))
        qs = qs.filter(matches | Q(text__icontains=q) if reply_text else matches)
    if year:
        qs = qs.filter(proposal__year=year)
    if kind:
        qs = qs.filter(proposal__kind=kind)
    if category_id:
        qs = qs.filter(proposal__category_id=category_id)
    if unit_id:
        qs = qs.filter(assignment__unit_id=unit_id)
    return qs


def signer_names(proposal_ref: str = "proposal_id") -> ArraySubquery:
    """The names of an item's signers who count (the lead, then the confirmed co-signers), as an array column:
    the names a published reply shows, and nothing else of the people (one subquery, no query per row)."""
    return ArraySubquery(Signature.objects.filter(Q(role=Signature.Role.LEAD) | Q(confirmed_at__isnull=False),
                                                  proposal_id=OuterRef(proposal_ref))
                         .order_by("-role", "invited_at", "pk").values("person__name"))


def published_years(*, kind: str | None = None) -> list[int]:
    """The years of items (of ``kind``) with a published reply, each once, newest first (the ordering is
    cleared: the model's default ordering would go into the DISTINCT and repeat a year per item)."""
    items = Proposal.objects.filter(kind=kind) if kind else Proposal.objects.all()
    return list(items.filter(Exists(Reply.objects.filter(_PUBLISHED, proposal=OuterRef("pk"))))
                .order_by("-year").values_list("year", flat=True).distinct())


def published_item(pk) -> tuple[Proposal, list[Reply]] | None:
    """An item with its published replies by round; None when it has none (or is confidential)."""
    if not is_pk(pk):
        return None
    replies = list(Reply.objects.filter(_PUBLISHED, proposal_id=pk)
                   .select_related("proposal", "proposal__category", "reply_class", "assignment__unit")
                   .order_by("round"))
    if not replies:
        return None
    return replies[0].proposal, replies
