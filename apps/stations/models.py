"""Deputy work stations (代表工作站): where deputies receive voters on scheduled reception days, and the
issues voters raise there, followed up until the voter is told the result."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from apps.core.crypto import EncryptedCharField


class Station(models.Model):
    name = models.CharField(_("name"), max_length=100)
    jurisdiction = models.ForeignKey("core.Jurisdiction", models.PROTECT, related_name="stations",
                                     verbose_name=_("jurisdiction"))
    community = models.CharField(_("community"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=200)
    responsible_name = models.CharField(_("person responsible"), max_length=50)
    responsible_phone = models.CharField(_("phone of the person responsible"), max_length=30, blank=True)
    deputies = models.ManyToManyField("deputies.Person", blank=True, related_name="stations",
                                      verbose_name=_("deputies attached"))
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(m2m_fields=[deputies])

    class Meta:
        ordering = ["jurisdiction__path", "name"]
        verbose_name = _("work station")
        verbose_name_plural = _("work stations")
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "name"], name="station_unique")]

    def __str__(self):
        return self.name


class ReceptionDay(models.Model):
    """A scheduled reception of voters (接待日) at a station, with the deputies on duty."""

    station = models.ForeignKey(Station, models.CASCADE, related_name="reception_days",
                                verbose_name=_("station"))
    date = models.DateField(_("date"), db_index=True)
    start_time = models.TimeField(_("from"), null=True, blank=True)
    end_time = models.TimeField(_("to"), null=True, blank=True)
    deputies = models.ManyToManyField("deputies.Person", blank=True, related_name="reception_duties",
                                      verbose_name=_("deputies on duty"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[deputies])

    class Meta:
        ordering = ["-date", "station"]
        verbose_name = _("reception day")
        verbose_name_plural = _("reception days")
        constraints = [models.UniqueConstraint(fields=["station", "date"], name="reception_day_unique")]

    def __str__(self):
        return f"{self.station} {self.date:%Y-%m-%d}"


class VoterVisit(models.Model):
    """A voter's visit and the issue raised, followed up until closed with the result told to the voter."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("Being followed up")
        CLOSED = "closed", _("Closed")

    class Category(models.TextChoices):
        ECONOMY = "economy", _("Economy")
        URBAN = "urban", _("Urban construction and management")
        EDUCATION = "education", pgettext_lazy("issue category", "Education")
        HEALTH = "health", _("Health")
        SOCIAL = "social", _("Social security")
        ENVIRONMENT = "environment", _("Environment")
        LAW = "law", _("Rule of law and public order")
        OTHER = "other", _("Other")

    station = models.ForeignKey(Station, models.PROTECT, related_name="visits", verbose_name=_("station"))
    reception_day = models.ForeignKey(ReceptionDay, models.SET_NULL, null=True, blank=True,
                                      related_name="visits", verbose_name=_("reception day"))
    date = models.DateField(_("date"), db_index=True)
    deputies = models.ManyToManyField("deputies.Person", blank=True, related_name="voter_visits",
                                      verbose_name=_("deputies present"))
    visitor_name = models.CharField(_("visitor's name"), max_length=50, blank=True)
    visitor_phone = EncryptedCharField(_("visitor's phone"), max_length=30, blank=True)  # encrypted at rest
    issue = models.TextField(_("issue raised"))
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    follow_up_by = models.CharField(_("followed up by"), max_length=100, blank=True)
    follow_up_action = models.TextField(_("follow-up"), blank=True)
    follow_up_due = models.DateField(_("follow-up due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN,
                              db_index=True)
    result = models.TextField(_("result told to the visitor"), blank=True)
    result_told_at = models.DateField(_("result told on"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The suggestion draft (建议草稿) a deputy on duty leads from this issue, once made.
    suggestion = models.OneToOneField("proposals.Proposal", models.SET_NULL, null=True, blank=True,
                                      related_name="voter_visit", verbose_name=_("suggestion draft"))
    history = HistoricalRecords(m2m_fields=[deputies])

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("voter visit")
        verbose_name_plural = _("voter visits")
        constraints = [
            models.CheckConstraint(condition=~Q(status="closed") | (~Q(result="") & Q(result_told_at__isnull=False)),
                                   name="voter_visit_closed_has_result"),
        ]

    def __str__(self):
        return f"{self.station} {self.date:%Y-%m-%d}"
