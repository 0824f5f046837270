"""Shared tables: the jurisdiction tree, handling units, notifications and the audit trail of access."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.crypto import EncryptedCharField, LookupHashField


class Jurisdiction(models.Model):
    """A people's congress standing committee's area (本级人大): the city, its counties/districts, townships.

    ``path`` is a materialised path ("/1/4/") so that "this jurisdiction and below" is one prefix match.
    """

    class Kind(models.TextChoices):
        CITY = "city", _("City")
        COUNTY = "county", _("County / district")
        TOWNSHIP = "township", _("Township / street")

    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    code = models.CharField(_("code"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children",
                               verbose_name=_("parent"))
    path = models.CharField(max_length=255, editable=False, db_index=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["path"]
        verbose_name = _("jurisdiction")
        verbose_name_plural = _("jurisdictions")
        indexes = [models.Index(fields=["path"], name="jurisdiction_path_like",
                                opclasses=["varchar_pattern_ops"])]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.pk:
            super().save(*args, **kwargs)
            kwargs = {k: v for k, v in kwargs.items() if k != "force_insert"}
        parent_path = self.parent.path if self.parent_id else "/"
        path = f"{parent_path}{self.pk}/"
        if path != self.path:
            self.path = path
            super().save(*args, **kwargs)
        elif "update_fields" not in kwargs:
            super().save(*args, **kwargs)

    def is_within(self, other: "Jurisdiction") -> bool:
        return self.path.startswith(other.path)


class HandlingUnit(models.Model):
    """A government department or other body that handles deputies' suggestions (承办单位)."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Government department")
        COURT = "court", _("Court")
        PROCURATORATE = "procuratorate", _("Procuratorate")
        STATE_COMPANY = "state_company", _("State-owned company")
        OTHER = "other", _("Other body")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.DEPARTMENT)
    jurisdiction = models.ForeignKey(Jurisdiction, models.PROTECT, related_name="handling_units",
                                     verbose_name=_("jurisdiction"))
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("handling unit")
        verbose_name_plural = _("handling units")

    def __str__(self):
        return self.name


class CalendarDay(models.Model):
    """A day that breaks the weekly rule: a statutory holiday on a weekday (not a working day) or a make-up
    working day on a weekend (调休). Days not listed follow the rule (Monday to Friday work).

    Seeded from the ``chinese-calendar`` package (``manage.py sync_calendar``); staff add next year's days
    when the State Council announces the schedule. ``apps.core.calendar`` counts working days with it.
    """

    class Source(models.TextChoices):
        PACKAGE = "package", _("chinese-calendar package")
        STAFF = "staff", _("Entered by staff")

    date = models.DateField(_("date"), primary_key=True)
    is_working_day = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=50, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.STAFF)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}"


class Notification(models.Model):
    """An in-app message in a user's inbox; email delivery, when asked for, is a task."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.title


class AuditEvent(models.Model):
    """Something done that is not a change of a record: a login, an export, a view of unmasked personal data.

    Changes of business records are kept by django-simple-history on each model.
    """

    class Action(models.TextChoices):
        LOGIN = "login", _("Login")
        LOGOUT = "logout", _("Logout")
        LOGIN_FAILED = "login_failed", _("Failed login")
        VIEW_PERSONAL_DATA = "view_personal_data", _("Viewed unmasked personal data")
        EXPORT = "export", _("Export")
        IMPORT = "import", _("Import")
        DOWNLOAD = "download", _("Download")
        LOCKOUT = "lockout", _("Account locked after failed logins")
        LOCKOUT_LIFTED = "lockout_lifted", _("Login lock lifted")
        SESSION_EXPIRED = "session_expired", _("Session expired")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        BULK_CHANGE = "bulk_change", _("Bulk change")
        SELF_REPORT_VERIFY = "self_report_verify", _("Self-report verified")
        SELF_REPORT_REJECT = "self_report_reject", _("Self-report rejected")
        OTP_FAILED = "otp_failed", _("Wrong second-factor code")
        OTP_ENABLED = "otp_enabled", _("Two-factor authentication turned on")
        OTP_DISABLED = "otp_disabled", _("Two-factor authentication turned off or reset")
        ROLE_CHANGED = "role_changed", _("Roles changed")
        PERMISSION_CHANGED = "permission_changed", _("Permissions changed")
        ACCOUNT_CREATED = "account_created", _("Account created")
        ACCOUNT_UPDATED = "account_updated", _("Account changed")
        ACCOUNT_DEACTIVATED = "account_deactivated", _("Account deactivated")
        ACCOUNT_REACTIVATED = "account_reactivated", _("Account reactivated")
        PROPOSAL_STATE = "proposal_state", _("Motion or suggestion moved on")
        CREATE = "create", _("Created")
        UPDATE = "update", _("Updated")
        DELETE = "delete", _("Deleted")

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    # The log is append-only (a database trigger refuses UPDATE and DELETE): deleting a user must not touch
    # their entries, so no cascade, no SET NULL and no database constraint; ``username`` keeps who it was.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.DO_NOTHING, null=True, blank=True, db_constraint=False,
                             related_name="+", verbose_name=_("user"))
    username = models.CharField(_("username"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    success = models.BooleanField(_("succeeded"), default=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.username} {self.action}"


class DataVersion(models.Model):
    """A counter per area of data ("roster"), bumped by database triggers on every write to its tables.

    Pages cache what they computed from those tables under the version they read: a cached fragment is
    never served after a committed change, whichever process made it (the bump is transactional).
    """

    key = models.CharField(max_length=50, primary_key=True)
    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")

    def __str__(self):
        return f"{self.key} v{self.version}"


class OutboxMessage(models.Model):
    """A background job asked for by a write, stored in the same transaction (the transactional outbox).

    It is sent to the broker after the commit; if the broker is down the row stays pending and the
    ``dispatch_outbox`` task or command sends it later. ``dedup_key`` makes asking twice one job.
    """

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    dedup_key = models.CharField(_("deduplication key"), max_length=200, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    available_at = models.DateTimeField(_("available at"), auto_now_add=True)  # later on a failed send
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [models.Index(fields=["available_at"], name="outbox_pending",
                                condition=models.Q(dispatched_at__isnull=True))]

    def __str__(self):
        return f"{self.task} #{self.pk}"


class WorkerHeartbeat(models.Model):
    """The last time a Celery worker ran the ``heartbeat`` task (one row per name); ``/healthz`` reads it."""

    name = models.CharField(max_length=50, primary_key=True)
    seen_at = models.DateTimeField()

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self):
        return f"{self.name} {self.seen_at:%Y-%m-%d %H:%M:%S}"


class SmsMessage(models.Model):
    """One text message (短信) asked for through ``apps.core.sms``: the queue row, the retry state and the record
    of what was sent. The number is encrypted at rest; ``number_hash`` counts a number's messages of a day
    (the daily limit) and ``number_masked`` is what logs and pages show."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        LIMITED = "limited", _("Refused: daily limit reached")
        INVALID = "invalid", _("Refused: not a mobile number")

    number = EncryptedCharField(_("mobile number"), max_length=30, blank=True)
    number_hash = LookupHashField(_("mobile number"), source="number", kind="phone", blank=True)
    number_masked = models.CharField(_("mobile number"), max_length=30, blank=True)
    text = models.TextField(_("text"))
    purpose = models.CharField(_("purpose"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    # When a worker last claimed the row (``sending``): a row left ``sending`` long after it was claimed
    # belongs to a worker that died, and ``sms_requeue_stuck`` queues it again.
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("text message")
        verbose_name_plural = _("text messages")
        indexes = [models.Index(fields=["number_hash", "created_at"], name="sms_number_day")]

    def __str__(self):
        return f"SMS {self.number_masked} {self.get_status_display()}"


class PaperCode(models.Model):
    """The short code printed on a paper form of a record (纸质签到表、接待登记表), with the record it belongs to:
    an activity, a training session, a committee meeting or a reception day (``kind``, declared by the owning app
    as an ``apps.core.registry.PaperKind``). Typed or scanned, it opens that record's entry page (``/p/<code>/``).

    One code per record, kept: every print of the record's sheet carries the same code."""

    code = models.CharField(_("code"), max_length=12, unique=True)
    kind = models.CharField(_("kind"), max_length=30)
    object_id = models.PositiveBigIntegerField(_("record"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("paper code")
        verbose_name_plural = _("paper codes")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="paper_code_one_per_record")]

    def __str__(self):
        return f"{self.code} ({self.kind} {self.object_id})"
