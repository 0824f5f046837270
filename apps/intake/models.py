"""The deputy's code (代表码) and voters' opinions (选民意见) left through it.

Each serving deputy and each work station may have a code: a random token in the URL its QR code opens, printed
on cards and posters. A voter who scans it leaves an opinion (an ``Intake``) on a public page; the station's staff
or the deputy then accept it into a voter visit (apps.stations, followed up and told back), turn it into a
suggestion draft (apps.proposals), or close it with a reason. The voter checks what became of it with the short
lookup code they were given.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from apps.core.crypto import EncryptedCharField, LookupHashField
from apps.stations.models import VoterVisit


class IntakeCode(models.Model):
    """A deputy's or a station's code (代表码 / 工作站码): the token its public URL carries; rotated by staff,
    which makes the printed codes of the old token stop working."""

    token = models.CharField(_("token"), max_length=32, unique=True)
    person = models.OneToOneField("deputies.Person", models.CASCADE, null=True, blank=True,
                                  related_name="intake_code", verbose_name=_("deputy"))
    station = models.OneToOneField("stations.Station", models.CASCADE, null=True, blank=True,
                                   related_name="intake_code", verbose_name=_("station"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    rotated_at = models.DateTimeField(_("renewed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("deputy's code")
        verbose_name_plural = _("deputies' codes")
        constraints = [
            models.CheckConstraint(condition=Q(person__isnull=True) ^ Q(station__isnull=True),
                                   name="intake_code_one_owner"),
        ]

    def __str__(self):
        return str(self.person or self.station)


class Intake(models.Model):
    """A voter's opinion (选民意见) left on the public page of a deputy's or a station's code."""

    class Status(models.TextChoices):
        NEW = "new", pgettext_lazy("intake status", "Waiting")
        ACCEPTED = "accepted", _("Accepted into a visit")
        DRAFTED = "drafted", _("Turned into a suggestion")
        CLOSED = "closed", pgettext_lazy("intake status", "Closed")
        SPAM = "spam", _("Spam")

    person = models.ForeignKey("deputies.Person", models.PROTECT, null=True, blank=True, related_name="intakes",
                               verbose_name=_("deputy"))
    station = models.ForeignKey("stations.Station", models.PROTECT, null=True, blank=True, related_name="intakes",
                                verbose_name=_("station"))
    # Whose office sees it: the station's jurisdiction, or that of the deputy's nearest serving mandate.
    jurisdiction = models.ForeignKey("core.Jurisdiction", models.PROTECT, related_name="+",
                                     verbose_name=_("jurisdiction"))
    category = models.CharField(_("category"), max_length=12, choices=VoterVisit.Category.choices)
    text = models.TextField(_("opinion"))
    photo = models.FileField(_("photo"), upload_to="intake/%Y/%m/", blank=True)
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50, blank=True)
    phone = EncryptedCharField(_("phone"), max_length=30, blank=True)  # encrypted at rest
    phone_hash = LookupHashField(source="phone", kind="phone", blank=True)
    # A keyed hash of the sender's address: for the rate limit and for blocking, never shown.
    sender_hash = models.CharField(max_length=64, editable=False)
    lookup_code = models.CharField(_("lookup code"), max_length=8, unique=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NEW,
                              db_index=True)
    close_reason = models.TextField(_("reason for closing"), blank=True)
    visit = models.OneToOneField("stations.VoterVisit", models.SET_NULL, null=True, blank=True,
                                 related_name="intake", verbose_name=_("voter visit"))
    suggestion = models.OneToOneField("proposals.Proposal", models.SET_NULL, null=True, blank=True,
                                      related_name="intake", verbose_name=_("suggestion draft"))
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("handled by"))
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    created_at = models.DateTimeField(_("received at"), default=timezone.now)
    history = HistoricalRecords(excluded_fields=["sender_hash", "phone_hash"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("voter's opinion")
        verbose_name_plural = _("voters' opinions")
        indexes = [models.Index(fields=["sender_hash", "created_at"], name="intake_sender_recent"),
                   models.Index(fields=["phone_hash", "created_at"], name="intake_phone_recent"),
                   models.Index(fields=["status", "jurisdiction"], name="intake_status_scope")]
        constraints = [
            models.CheckConstraint(condition=Q(person__isnull=True) ^ Q(station__isnull=True),
                                   name="intake_one_addressee"),
        ]

    def __str__(self):
        return f"{self.addressee} {self.lookup_code}"

    @property
    def addressee(self):
        return self.person if self.person_id else self.station


class IntakeBlock(models.Model):
    """A sender's address or phone blocked after spam: their submissions are refused."""

    class Kind(models.TextChoices):
        ADDRESS = "address", _("Address")
        PHONE = "phone", _("Phone")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    value_hash = models.CharField(max_length=64)
    intake = models.ForeignKey(Intake, models.SET_NULL, null=True, blank=True, related_name="+",
                               verbose_name=_("opinion"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("blocked by"))
    created_at = models.DateTimeField(_("blocked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("blocked sender")
        verbose_name_plural = _("blocked senders")
        constraints = [models.UniqueConstraint(fields=["kind", "value_hash"], name="intake_block_unique")]
