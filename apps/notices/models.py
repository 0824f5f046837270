"""Notices (通知公告) and meeting notices with replies, and the receipt each recipient has of one."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.deputies.models import Level


class Notice(models.Model):
    """A notice the office publishes to chosen recipients (通知公告); a meeting notice asks them to reply."""

    class Kind(models.TextChoices):
        NOTICE = "notice", pgettext_lazy("notice kind", "Notice")
        CONGRESS_SESSION = "congress_session", _("Congress session")
        STANDING_COMMITTEE = "standing_committee", _("Standing committee meeting")
        INSPECTION = "inspection", _("Inspection")
        TRAINING_SESSION = "training_session", _("Training session")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")

    jurisdiction = models.ForeignKey("core.Jurisdiction", models.PROTECT, related_name="notices",
                                     verbose_name=_("jurisdiction"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.NOTICE)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"))  # sanitised HTML (``rules.clean_html``)
    pinned = models.BooleanField(_("pinned"), default=False)
    publish_at = models.DateTimeField(_("publish at"))
    ends_on = models.DateField(_("shown until"), null=True, blank=True)
    meeting_at = models.DateTimeField(_("meeting time"), null=True, blank=True)
    reply_deadline = models.DateTimeField(_("reply deadline"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    last_reminded_on = models.DateField(_("last reminded on"), null=True, blank=True)
    # The record whose attendance a meeting notice announces (an activity, a training session, a committee
    # meeting): a kind declared in ``apps.core.registry.meeting_targets`` and the record's id. Its replies
    # pre-fill that record's attendance page; staff confirm them there.
    target_kind = models.CharField(_("announced record's kind"), max_length=30, blank=True, default="")
    target_id = models.PositiveBigIntegerField(_("announced record"), null=True, blank=True)
    # Who receives it: anyone any of these choose (a union), resolved when it is published.
    all_serving = models.BooleanField(_("all serving deputies of my scope"), default=False)
    levels = ArrayField(models.CharField(max_length=12, choices=Level.choices), default=list, blank=True,
                        verbose_name=_("levels"))
    roles = ArrayField(models.CharField(max_length=20), default=list, blank=True, verbose_name=_("roles"))
    jurisdictions = models.ManyToManyField("core.Jurisdiction", blank=True, related_name="+",
                                           verbose_name=_("jurisdictions"))
    delegations = models.ManyToManyField("deputies.Delegation", blank=True, related_name="+",
                                         verbose_name=_("delegations"))
    groups = models.ManyToManyField("deputies.DeputyGroup", blank=True, related_name="+",
                                    verbose_name=_("deputy groups"))
    people = models.ManyToManyField("deputies.Person", blank=True, related_name="+",
                                    verbose_name=_("named people"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-pinned", "-publish_at", "-pk"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        indexes = [models.Index(fields=["status", "publish_at"], name="notice_due"),
                   models.Index(fields=["target_kind", "target_id"], name="notice_target",
                                condition=~models.Q(target_kind=""))]
        constraints = [
            # A record is named by its kind and id together, and only by a meeting notice.
            models.CheckConstraint(
                condition=(models.Q(target_kind="", target_id__isnull=True)
                           | (~models.Q(target_kind="") & models.Q(target_id__isnull=False)
                              & ~models.Q(kind="notice"))),
                name="notice_target_whole_and_meeting"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_meeting(self) -> bool:
        return self.kind != self.Kind.NOTICE

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class NoticeAttachment(models.Model):
    """A file of a notice, accepted by its content (``apps.core.uploads.check_upload``)."""

    notice = models.ForeignKey(Notice, models.CASCADE, related_name="attachments", verbose_name=_("notice"))
    file = models.FileField(_("file"), upload_to="notices/%Y/%m/")
    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("notice attachment")
        verbose_name_plural = _("notice attachments")

    def __str__(self):
        return self.name


class NoticeReceipt(models.Model):
    """One recipient's copy of a published notice: when they read it and, for a meeting notice, their reply."""

    class Reply(models.TextChoices):
        NONE = "", _("No reply")
        ATTEND = "attend", _("Will attend")
        LEAVE = "leave", _("Asks for leave")

    notice = models.ForeignKey(Notice, models.CASCADE, related_name="receipts", verbose_name=_("notice"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="notice_receipts",
                             verbose_name=_("recipient"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    reply = models.CharField(pgettext_lazy("meeting reply", "reply"), max_length=10, choices=Reply.choices, blank=True, default="")
    reason = models.CharField(_("reason"), max_length=500, blank=True, default="")
    replied_at = models.DateTimeField(pgettext_lazy("meeting reply", "replied at"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("notice receipt")
        verbose_name_plural = _("notice receipts")
        constraints = [models.UniqueConstraint(fields=["notice", "user"], name="notice_receipt_unique")]
        indexes = [models.Index(fields=["user", "read_at"], name="notice_receipt_unread")]

    def __str__(self):
        return f"{self.notice} · {self.user}"
