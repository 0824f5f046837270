"""Shared writes: notifications and audit events."""

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.core import outbox
from apps.core.models import AuditEvent, Notification, PaperCode, WorkerHeartbeat


def notify(*, recipients: Iterable, title: str, body: str = "", url: str = "", email: bool = True,
           sms: bool = False) -> list[Notification]:
    """Put a message in each recipient's inbox and, if asked, email it (a job in the outbox, sent after commit).

    With ``sms`` (the reminders) and the setting ``SMS_REMINDERS`` on, the title also goes by text message to
    each recipient with a mobile number (``apps.core.sms``: daily limit, retries)."""
    with transaction.atomic():
        rows = Notification.objects.bulk_create(
            [Notification(recipient=user, title=title, body=body, url=url) for user in recipients]
        )
        if email:
            # Through the outbox: one job per recipient (each gets his own message, no one sees the others'
            # addresses), stored in one INSERT with the notifications and sent when the broker takes them; the
            # task claims the notification (``emailed_at``), so a second delivery sends nothing.
            outbox.enqueue_many("apps.core.tasks.send_notification_email",
                                [[n.pk] for n in rows if n.recipient.email])
        if sms and settings.SMS_REMINDERS:
            from apps.core.sms import sms_send_many

            sms_send_many(messages=[(n.recipient.phone, title) for n in rows if getattr(n.recipient, "phone", "")],
                          purpose="reminder")
    return rows


def notification_mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def notifications_purge_read(*, older_than_days: int = 180) -> int:
    """Delete read notifications created more than ``older_than_days`` ago; unread ones are always kept."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    deleted, _by_model = Notification.objects.filter(read_at__isnull=False, created_at__lt=cutoff).delete()
    return deleted


def client_ip(request) -> str | None:
    """The client's address: the connection's, or behind ``NUM_PROXIES`` trusted proxies the address the
    outermost of them saw (the entry they appended to X-Forwarded-For; what the client sent is not trusted)."""
    from django.conf import settings

    if request is None:
        return None
    proxies = settings.NUM_PROXIES
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def audit_event(*, request=None, user=None, action: str, obj=None, detail: str = "", success: bool = True,
                username: str = "") -> AuditEvent:
    """Record an access that is not a change of a record (a login, an export, a view of unmasked data)."""
    if user is None and request is not None and request.user.is_authenticated:
        user = request.user
    return AuditEvent.objects.create(
        user=user if user is not None and user.pk else None,
        username=(getattr(user, "username", "") or username)[:150],
        ip_address=client_ip(request),
        action=action,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        detail=detail[:500],
        success=success,
    )


def worker_heartbeat_record(*, name: str = "celery"):
    """Note that a worker ran the heartbeat task now; return the time."""
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(name=name, defaults={"seen_at": now})
    return now


@transaction.atomic
def paper_code_issue(*, kind: str, object_id: int) -> PaperCode:
    """The short code of a record's paper form (``apps.core.paper``): the one issued before, else a new random
    one. Two first prints at once, or a random code already taken, are retried: each record keeps one code."""
    from apps.core.paper import new_code
    from apps.core.registry import paper_kinds

    if kind not in paper_kinds():
        raise ValueError(f"no app declares the paper kind {kind!r}")
    for _attempt in range(10):
        existing = PaperCode.objects.filter(kind=kind, object_id=object_id).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                return PaperCode.objects.create(code=new_code(), kind=kind, object_id=object_id)
        except IntegrityError:
            continue  # the record got its code meanwhile (read it above), or the code was taken (draw again)
    raise RuntimeError("no free paper code after 10 draws")
