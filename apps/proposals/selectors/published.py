"""Published replies (公开答复): the replies units gave, open to deputies, committee members, staff, supervisors
and units, unless the reply or its item is confidential.

A reply is published when ``Reply.is_public`` is set and the item is not ``is_confidential``; the page lists
each item's latest published reply.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from apps.core.access import is_pk
from apps.proposals.models import Proposal, Reply

_PUBLISHED = Q(is_public=True, proposal__is_confidential=False)


def published_replies(*, q: str = "", year: int | None = None) -> QuerySet[Reply]:
    """The latest published reply of every item, newest first, with the item, its category, the class and the
    unit (no query per row)."""
    latest = Reply.objects.filter(_PUBLISHED, proposal=OuterRef("proposal")).order_by("-round").values("pk")[:1]
    qs = (Reply.objects.filter(_PUBLISHED, pk=Subquery(latest))
          .select_related("proposal", "proposal__category", "reply_class", "assignment__unit")
          .order_by("-replied_at", "-pk"))
    if q:
        qs = qs.filter(Q(proposal__title__icontains=q) | Q(proposal__keywords__icontains=q)
                       | Q(assignment__unit__name__icontains=q))
    if year:
        qs = qs.filter(proposal__year=year)
    return qs


def published_years() -> list[int]:
    """The years of items with a published reply, each once, newest first (the ordering is cleared: the
    model's default ordering would go into the DISTINCT and repeat a year per item)."""
    return list(Proposal.objects.filter(Exists(Reply.objects.filter(_PUBLISHED, proposal=OuterRef("pk"))))
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
