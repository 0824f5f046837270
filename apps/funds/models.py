"""Deputies' activity funds (经费): a year's budget of a jurisdiction, a delegation or a work station, and the
expenditures charged to it, entered by staff and approved or returned by a leader (督办, the supervisor role)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

AMOUNT_DIGITS = 14  # up to 999,999,999,999.99 yuan
MIN_AMOUNT = Decimal("0.01")


class Budget(models.Model):
    """A year's activity funds (年度经费预算) of a jurisdiction, or of one delegation or work station in it."""

    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    jurisdiction = models.ForeignKey("core.Jurisdiction", models.PROTECT, related_name="fund_budgets",
                                     verbose_name=_("jurisdiction"))
    delegation = models.ForeignKey("deputies.Delegation", models.PROTECT, null=True, blank=True,
                                   related_name="fund_budgets", verbose_name=_("delegation"))
    station = models.ForeignKey("stations.Station", models.PROTECT, null=True, blank=True,
                                related_name="fund_budgets", verbose_name=_("work station"))
    name = models.CharField(_("name"), max_length=100)
    amount = models.DecimalField(_("budgeted amount"), max_digits=AMOUNT_DIGITS, decimal_places=2)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "jurisdiction__path", "name"]
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        constraints = [
            models.UniqueConstraint(fields=["year", "jurisdiction", "name"], name="funds_budget_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="funds_budget_amount_positive"),
            models.CheckConstraint(condition=Q(delegation__isnull=True) | Q(station__isnull=True),
                                   name="funds_budget_one_holder"),
        ]

    def __str__(self):
        return f"{self.year} {self.name}"


class Expenditure(models.Model):
    """One expenditure (支出) charged to a budget, with its receipt."""

    class Category(models.TextChoices):
        TRAINING = "training", pgettext_lazy("funds category", "Training")
        INSPECTION = "inspection", pgettext_lazy("funds category", "Inspections and surveys")
        STATION = "station", pgettext_lazy("funds category", "Station running")
        PRINTING = "printing", pgettext_lazy("funds category", "Printing")
        OTHER = "other", pgettext_lazy("funds category", "Other")

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("expenditure", "Pending approval")
        APPROVED = "approved", pgettext_lazy("expenditure", "Approved")
        RETURNED = "returned", pgettext_lazy("expenditure", "Returned")

    budget = models.ForeignKey(Budget, models.PROTECT, related_name="expenditures", verbose_name=_("budget"))
    date = models.DateField(_("date"))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    payee = models.CharField(_("payee"), max_length=100)
    amount = models.DecimalField(_("amount"), max_digits=AMOUNT_DIGITS, decimal_places=2)
    purpose = models.CharField(_("purpose"), max_length=200)
    receipt = models.FileField(_("receipt"), upload_to="funds/receipts/%Y/", blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING,
                              db_index=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                   verbose_name=_("entered by"))
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    return_reason = models.CharField(_("reason for return"), max_length=500, blank=True)
    override_reason = models.CharField(_("reason for exceeding the balance"), max_length=500, blank=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("expenditure")
        verbose_name_plural = _("expenditures")
        permissions = [("approve_expenditure", _("Can approve or return expenditures"))]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="funds_expenditure_amount_positive")]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.payee} {self.amount}"
