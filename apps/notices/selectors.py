"""Reads of the notices: who a notice's choices resolve to, the inbox, the receipts and the counts."""

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Q
from django.db.models.lookups import IsNull
from django.utils import timezone

from apps.core.registry import MeetingReply, meeting_targets
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


def target_replies(kind: str, pk: int) -> list[MeetingReply]:
    """The replies of the recipients of the published meeting notices naming record ``pk`` of kind ``kind``: one
    per recipient, his latest reply (a reply before none), in name order; one query."""
    rows = (NoticeReceipt.objects.filter(notice__target_kind=kind, notice__target_id=pk,
                                         notice__status=Notice.Status.PUBLISHED)
            .order_by("user_id", F("replied_at").desc(nulls_last=True), "-notice_id").distinct("user_id")
            .values_list("user_id", "user__person_id", "user__person__name", "user__full_name", "user__username",
                         "reply", "reason"))
    replies = [MeetingReply(user_id=user_id, person_id=person_id, name=person_name or full_name or username,
                            reply=reply, reason=reason)
               for user_id, person_id, person_name, full_name, username, reply, reason in rows]
    return sorted(replies, key=lambda r: (r.name, r.user_id))


def announced(notice: Notice, user) -> dict | None:
    """The record a meeting notice announces as its page shows it: the kind, the record's line (None when it is
    out of the user's scope or gone) and the record's attendance page; None when it names none (one query)."""
    target = meeting_targets().get(notice.target_kind)
    if target is None or notice.target_id is None:
        return None
    record = target.record_for(user, notice.target_id)
    return {"label": target.label, "text": target.describe(record) if record else None,
            "url": target.attendance_url(notice.target_id) if record else None}
