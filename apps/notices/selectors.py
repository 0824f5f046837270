"""Reads of the notices: who a notice's choices resolve to, the inbox, the receipts and the counts."""

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Q
from django.db.models.lookups import IsNull
from django.utils import timezone

from apps.deputies.models import Mandate
from apps.notices.models import Notice, NoticeReceipt


def recipient_mandates(notice: Notice):
    """The serving mandates of the notice's scope that any of its choices names (a union of the choices)."""
    mandates = Mandate.objects.current().organised_in(notice.jurisdiction)
    if notice.all_serving:
        return mandates
    chosen = Q(pk__in=[])
    if notice.levels:
        chosen |= Q(level__in=notice.levels)
    jurisdiction_ids = list(notice.jurisdictions.values_list("pk", flat=True)) if notice.pk else []
    if jurisdiction_ids:
        chosen |= Q(jurisdiction_id__in=jurisdiction_ids)
    if notice.pk:
        chosen |= Q(delegation__in=notice.delegations.all()) | Q(group__in=notice.groups.all())
        chosen |= Q(person__in=notice.people.all())
    return mandates.filter(chosen)


def recipient_users(notice: Notice):
    """The active accounts the notice goes to: the deputies of the chosen mandates (those with an account) and
    the holders of the chosen roles in the notice's jurisdiction or below it. One query, no row per recipient."""
    users = get_user_model().objects.filter(is_active=True)
    chosen = Q(person__mandates__in=recipient_mandates(notice))
    if notice.roles:
        chosen |= Q(groups__name__in=notice.roles,
                    jurisdiction__path__startswith=notice.jurisdiction.path)
    return users.filter(chosen).order_by().values("pk").distinct()


def office_list(notices):
    """The office's notices with their recipient, read and reply counts (one query)."""
    return notices.select_related("jurisdiction").annotate(
        recipient_count=Count("receipts"),
        read_count=Count("receipts", filter=Q(receipts__read_at__isnull=False)),
    ).order_by("-pinned", "-publish_at", "-pk")


def inbox(receipts, *, only: str = ""):
    """A recipient's receipts, unread first, then pinned, then newest; without notices past their end date.
    ``only``: ``unread`` or ``awaiting`` (meeting notices not replied to before an open deadline)."""
    today = timezone.localdate()
    rows = receipts.filter(Q(notice__ends_on__isnull=True) | Q(notice__ends_on__gte=today))
    if only == "unread":
        rows = rows.filter(read_at__isnull=True)
    elif only == "awaiting":
        rows = awaiting_reply(rows)
    return rows.select_related("notice").order_by(
        IsNull(F("read_at"), True).desc(), "-notice__pinned", "-notice__publish_at", "-pk")


def awaiting_reply(receipts):
    return receipts.exclude(notice__kind=Notice.Kind.NOTICE).filter(
        reply="", notice__reply_deadline__gt=timezone.now())


def receipts_of(notice: Notice):
    """Every receipt of a notice with its recipient's name, readers last (those to chase first)."""
    return (NoticeReceipt.objects.filter(notice=notice).select_related("user")
            .order_by(IsNull(F("read_at"), True).desc(), "user__username"))


def receipt_counts(notice: Notice) -> dict[str, int]:
    return NoticeReceipt.objects.filter(notice=notice).aggregate(
        total=Count("pk"), read=Count("pk", filter=Q(read_at__isnull=False)),
        attend=Count("pk", filter=Q(reply=NoticeReceipt.Reply.ATTEND)),
        leave=Count("pk", filter=Q(reply=NoticeReceipt.Reply.LEAVE)))


def due_notice_ids(now) -> list[int]:
    return list(Notice.objects.filter(status=Notice.Status.SCHEDULED, publish_at__lte=now)
                .order_by("publish_at").values_list("pk", flat=True))
