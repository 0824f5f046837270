"""Writes of the notices: create (publish now or at a set time), publish set-based, read, reply, remind."""

from __future__ import annotations


from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.access import is_pk
from apps.core.registry import meeting_targets
from apps.core.services import audit_event, notify
from apps.core.uploads import check_upload
from apps.notices import rules, selectors
from apps.notices.models import Notice, NoticeAttachment, NoticeReceipt



def _checked(*, user, now, body: str, kind: str, publish_at, ends_on, reply_deadline, all_serving, levels, roles,
             jurisdictions, delegations, groups, people, target_kind: str = "", target_id=None) -> str:
    """The notice's rules (for a new notice and an edited one): the sanitised body, or the errors."""
    body = rules.clean_html(body or "")
    errors = {}
    if not body.strip():
        errors["body"] = _("Write the body of the notice.")
    if kind != Notice.Kind.NOTICE and reply_deadline is None:
        errors["reply_deadline"] = _("A meeting notice needs a reply deadline.")
    if reply_deadline is not None and reply_deadline <= now:
        errors["reply_deadline"] = _("The reply deadline must be in the future.")
    if ends_on is not None and ends_on < timezone.localdate(publish_at or now):
        errors["ends_on"] = _("The notice cannot end before it is published.")
    if not (all_serving or levels or roles or jurisdictions or delegations or groups or people):
        errors["all_serving"] = _("Choose who receives the notice.")
    if target_kind or target_id is not None:
        if problem := target_problem(user=user, kind=kind, target_kind=target_kind, target_id=target_id):
            errors["target"] = problem
    if errors:
        raise ValidationError(errors)
    return body


def _attach(notice: Notice, attachments) -> None:
    checked = [(upload, check_upload(upload)) for upload in attachments]
    for upload, content_type in checked:
        NoticeAttachment.objects.create(notice=notice, file=upload, name=upload.name[:200],
                                        content_type=content_type)


def _detach(notice: Notice, attachments) -> list[str]:
    """Delete the notice's own attachments among ``attachments``; their files go once the transaction commits."""
    rows = list(NoticeAttachment.objects.filter(notice=notice, pk__in=[a.pk for a in attachments]))
    for row in rows:
        name, storage = row.file.name, row.file.storage
        row.delete()
        transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
    return [row.name for row in rows]


@transaction.atomic
def notice_create(*, user, jurisdiction, title: str, body: str, kind: str = Notice.Kind.NOTICE,
                  pinned: bool = False, publish_at=None, ends_on=None, meeting_at=None, reply_deadline=None,
                  all_serving: bool = False, levels=(), roles=(), jurisdictions=(), delegations=(), groups=(),
                  people=(), attachments=(), target_kind: str = "", target_id: int | None = None) -> Notice:
    """Store a notice and publish it now (no ``publish_at`` or one already past) or leave it scheduled for the
    beat task. A meeting notice needs a reply deadline; some recipient must be chosen. A meeting notice may name
    the record it announces (``target_kind`` and ``target_id``: an activity, a training session, a committee
    meeting of the user's scope), whose attendance its replies then pre-fill."""
    now = timezone.now()
    body = _checked(user=user, now=now, body=body, kind=kind, publish_at=publish_at, ends_on=ends_on,
                    reply_deadline=reply_deadline, all_serving=all_serving, levels=levels, roles=roles,
                    jurisdictions=jurisdictions, delegations=delegations, groups=groups, people=people,
                    target_kind=target_kind, target_id=target_id)
    notice = Notice.objects.create(
        jurisdiction=jurisdiction, kind=kind, title=title, body=body, pinned=pinned, publish_at=publish_at or now,
        ends_on=ends_on, meeting_at=meeting_at, reply_deadline=reply_deadline, all_serving=all_serving,
        levels=list(levels), roles=list(roles), created_by=user, target_kind=target_kind or "",
        target_id=target_id if target_kind else None)
    notice.jurisdictions.set(jurisdictions)
    notice.delegations.set(delegations)
    notice.groups.set(groups)
    notice.people.set(people)
    _attach(notice, attachments)
    audit_event(user=user, action="create", obj=notice, detail=notice.title)
    if notice.publish_at <= now:
        notice_publish(notice_id=notice.pk)
        notice.refresh_from_db()
    return notice


def target_problem(*, user, kind: str, target_kind: str, target_id) -> str | None:
    """Why the record named cannot be a meeting notice's (None when it can): a kind no app declares, a record
    outside the user's scope (or gone), a notice that is not a meeting notice."""
    if kind == Notice.Kind.NOTICE:
        return _("Only a meeting notice may name the meeting it announces; choose the kind of meeting.")
    target = meeting_targets().get(target_kind)
    if target is None or not is_pk(target_id) or target.record_for(user, target_id) is None:
        return _("The meeting chosen is not one of your scope or no longer exists; choose another.")
    return None


def _scheduled(notice: Notice) -> Notice:
    """The notice's row, locked (the beat task's claim waits for it), while it is still scheduled."""
    locked = Notice.objects.select_for_update().get(pk=notice.pk)
    if locked.status != Notice.Status.SCHEDULED:
        raise ValidationError(_("The notice is already published: it can no longer be edited or deleted, only "
                                "ended by the date it is shown until."), code="published")
    return locked


@transaction.atomic
def notice_update(*, user, notice: Notice, title: str, body: str, kind: str = Notice.Kind.NOTICE,
                  pinned: bool = False, publish_at=None, ends_on=None, meeting_at=None, reply_deadline=None,
                  all_serving: bool = False, levels=(), roles=(), jurisdictions=(), delegations=(), groups=(),
                  people=(), attachments=(), remove_attachments=(), jurisdiction=None, target_kind: str = "",
                  target_id: int | None = None) -> Notice:
    """Change a scheduled notice (its scope stays its own; new files are added to its attachments, those in
    ``remove_attachments`` — of this notice only — are taken off and their files deleted after the commit). No time, or
    one already past, publishes it now, as on creation. A published notice is refused: its recipients have it."""
    now = timezone.now()
    notice = _scheduled(notice)
    body = _checked(user=user, now=now, body=body, kind=kind, publish_at=publish_at, ends_on=ends_on,
                    reply_deadline=reply_deadline, all_serving=all_serving, levels=levels, roles=roles,
                    jurisdictions=jurisdictions, delegations=delegations, groups=groups, people=people,
                    target_kind=target_kind, target_id=target_id)
    notice.kind, notice.title, notice.body, notice.pinned = kind, title, body, pinned
    notice.publish_at, notice.ends_on, notice.meeting_at = publish_at or now, ends_on, meeting_at
    notice.reply_deadline, notice.all_serving = reply_deadline, all_serving
    notice.levels, notice.roles = list(levels), list(roles)
    notice.target_kind, notice.target_id = target_kind or "", target_id if target_kind else None
    notice.save()
    notice.jurisdictions.set(jurisdictions)
    notice.delegations.set(delegations)
    notice.groups.set(groups)
    notice.people.set(people)
    removed = _detach(notice, remove_attachments)
    _attach(notice, attachments)
    audit_event(user=user, action="update", obj=notice,
                detail=notice.title + (f" (removed: {', '.join(removed)})" if removed else ""))
    if notice.publish_at <= now:
        notice_publish(notice_id=notice.pk)
        notice.refresh_from_db()
    return notice


@transaction.atomic
def notice_delete(*, user, notice: Notice) -> None:
    """Delete a scheduled notice with its attachments; a published one is refused (end it instead)."""
    notice = _scheduled(notice)
    audit_event(user=user, action="delete", obj=notice, detail=notice.title)
    notice.delete()


@transaction.atomic
def notice_end(*, user, notice: Notice, ends_on) -> Notice:
    """End a published notice: it leaves its recipients' inboxes after ``ends_on`` (the office keeps it and its
    receipts). Not before the day it was published."""
    locked = Notice.objects.select_for_update().get(pk=notice.pk)
    if not locked.is_published:
        raise ValidationError(_("The notice is not published yet: edit it instead."), code="scheduled")
    published_on = timezone.localdate(locked.published_at or locked.publish_at)
    if ends_on < published_on:
        raise ValidationError({"ends_on": _("The notice cannot end before it was published (%(date)s).")
                               % {"date": f"{published_on:%Y年%-m月%-d日}"}})
    Notice.objects.filter(pk=locked.pk).update(ends_on=ends_on)
    locked.ends_on = ends_on
    audit_event(user=user, action="end", obj=locked, detail=f"{locked.title} · {ends_on:%Y-%m-%d}")
    return locked


@transaction.atomic
def notice_publish(*, notice_id: int) -> int:
    """Publish a scheduled notice: claim it (a conditional UPDATE, so a second run does nothing), then write one
    receipt per recipient in one INSERT … SELECT. Returns the number of receipts written."""
    now = timezone.now()
    claimed = Notice.objects.filter(pk=notice_id, status=Notice.Status.SCHEDULED).update(
        status=Notice.Status.PUBLISHED, published_at=now)
    if claimed != 1:
        return 0
    notice = Notice.objects.select_related("jurisdiction").get(pk=notice_id)
    sql, params = selectors.recipient_users(notice).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {NoticeReceipt._meta.db_table} (notice_id, user_id, reply, reason) "
            f"SELECT %s, recipients.id, '', '' FROM ({sql}) AS recipients(id) ON CONFLICT DO NOTHING",
            [notice_id, *params])
        return cursor.rowcount


def notices_publish_due() -> int:
    """Publish every scheduled notice whose time has come (the beat task); each in its own transaction."""
    published = 0
    for notice_id in selectors.due_notice_ids(timezone.now()):
        notice_publish(notice_id=notice_id)
        published += 1
    return published


def notice_read(*, receipt: NoticeReceipt) -> None:
    """Record that the recipient opened the notice (the first time only)."""
    if receipt.read_at is None:
        receipt.read_at = timezone.now()
        NoticeReceipt.objects.filter(pk=receipt.pk, read_at__isnull=True).update(read_at=receipt.read_at)


@transaction.atomic
def notice_reply(*, receipt: NoticeReceipt, reply: str, reason: str = "") -> NoticeReceipt:
    """A recipient's answer to a meeting notice, 参加 or 请假 (with a reason), before its deadline."""
    notice = receipt.notice
    if not notice.is_meeting:
        raise ValidationError(_("This notice asks for no reply."))
    if notice.reply_deadline is not None and timezone.now() > notice.reply_deadline:
        raise ValidationError(_("The reply deadline has passed: contact the office."))
    if reply not in (NoticeReceipt.Reply.ATTEND, NoticeReceipt.Reply.LEAVE):
        raise ValidationError({"reply": _("Choose whether you will attend or ask for leave.")})
    reason = (reason or "").strip()
    if reply == NoticeReceipt.Reply.LEAVE and not reason:
        raise ValidationError({"reason": _("Give the reason for your leave.")})
    now = timezone.now()
    NoticeReceipt.objects.filter(pk=receipt.pk).update(
        reply=reply, reason=reason if reply == NoticeReceipt.Reply.LEAVE else "", replied_at=now,
        read_at=receipt.read_at or now)
    receipt.refresh_from_db()
    return receipt


@transaction.atomic
def notice_remind(*, user, notice: Notice) -> int:
    """Remind the recipients who have not read the notice (or, for a meeting notice, not replied): in-app and
    email, and by text message where the reminders go by SMS; at most once a day per notice. Returns how many were
    reminded."""
    today = timezone.localdate()
    if not notice.is_published:
        raise ValidationError(_("The notice is not published yet."))
    claimed = (Notice.objects.filter(pk=notice.pk).exclude(last_reminded_on__gte=today)
               .update(last_reminded_on=today))
    if claimed != 1:
        raise ValidationError(_("The recipients of this notice were already reminded today: remind them again "
                                "tomorrow."))
    pending = NoticeReceipt.objects.filter(notice=notice)
    pending = pending.filter(reply="") if notice.is_meeting else pending.filter(read_at__isnull=True)
    users = [receipt.user for receipt in pending.select_related("user")]
    if users:
        url = reverse("notices:notice_read", args=[notice.pk])
        # In-app and email; by text message too when SMS_REMINDERS is on (apps.core.sms: daily limit, retries).
        notify(recipients=users, title=_("Reminder: %(title)s") % {"title": notice.title}, url=url, sms=True)
    audit_event(user=user, action="remind", obj=notice, detail=str(len(users)))
    return len(users)
