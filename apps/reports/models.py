"""Annual reports (年度履职报告): a batch generates, for a year and a scope, one PDF performance record per
deputy, the Excel summary of all deputies' scores and the committee members' covenant notice, then a zip of
them all. The batch runs in Celery, resumably: each file is written to its own deterministic path and
recorded by a ``ReportFile`` row once complete, so a restarted worker only makes what is missing.

Files live under ``MEDIA_ROOT/reports/`` (not served by the web server); they are downloaded only through
the access-checked views of this app.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from apps.deputies.models import Level


class ReportBatch(models.Model):
    """One run of the annual reports for a year and a scope (a jurisdiction and below, one level or all)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000),
                                                                   MaxValueValidator(2100)])
    jurisdiction = models.ForeignKey("core.Jurisdiction", models.PROTECT, related_name="report_batches",
                                     verbose_name=_("jurisdiction"))
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, blank=True,
                             help_text=_("Blank: deputies of every level."))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("requested by"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED,
                              db_index=True)
    total = models.PositiveIntegerField(_("deputies"), default=0)
    done = models.PositiveIntegerField(_("reports made"), default=0)
    error = models.TextField(_("error"), blank=True)
    zip_file = models.FileField(_("zip file"), upload_to="reports/", blank=True, max_length=255)
    # Each (re)start of the work plans the remaining files anew under the next round; a chunk of an older
    # round still in the queue then does nothing.
    round = models.PositiveIntegerField(_("round"), default=0, editable=False)
    progress_at = models.DateTimeField(_("last progress"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report batch")
        verbose_name_plural = _("report batches")
        constraints = [
            models.UniqueConstraint(fields=["year", "jurisdiction", "level"],
                                    condition=models.Q(status__in=["queued", "running"]),
                                    name="report_batch_one_unfinished"),
        ]

    def __str__(self):
        return f"{self.year} {self.jurisdiction_id} {self.level or '*'} #{self.pk}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, self.done * 100 // self.total)

    @property
    def percent_step(self) -> int:
        """The percentage rounded down to a multiple of 5 (the CSS class of the bar's width)."""
        return self.percent - self.percent % 5

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def directory(self) -> str:
        """The batch's files, relative to MEDIA_ROOT."""
        return f"reports/batch-{self.pk}"


class ReportFile(models.Model):
    """One file of a batch, recorded once it is complete on disk (the deputy's PDF, the summary, the notice)."""

    class Kind(models.TextChoices):
        DEPUTY_PDF = "deputy_pdf", _("Deputy's performance record (PDF)")
        SUMMARY_XLSX = "summary_xlsx", _("Summary of all deputies (Excel)")
        NOTICE_XLSX = "notice_xlsx", _("Committee members' notice (Excel)")
        NOTICE_PDF = "notice_pdf", _("Committee members' notice (PDF)")

    batch = models.ForeignKey(ReportBatch, models.CASCADE, related_name="files", verbose_name=_("batch"))
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    mandate = models.ForeignKey("deputies.Mandate", models.SET_NULL, null=True, blank=True, related_name="+",
                                verbose_name=_("mandate"))
    person_name = models.CharField(_("deputy's name"), max_length=50, blank=True)
    file = models.FileField(_("file"), upload_to="reports/", max_length=255)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["batch", "kind", "person_name", "pk"]
        verbose_name = _("report file")
        verbose_name_plural = _("report files")
        # Once per batch: a deputy's PDF per mandate, each batch-wide file once. Conditional constraints rather
        # than one with NULLS NOT DISTINCT: a deleted mandate sets its PDFs' mandate to NULL, which must not clash.
        constraints = [
            models.UniqueConstraint(fields=["batch", "kind", "mandate"], condition=models.Q(mandate__isnull=False),
                                    name="report_file_once_per_mandate"),
            models.UniqueConstraint(fields=["batch", "kind"], condition=~models.Q(kind="deputy_pdf"),
                                    name="report_file_once_per_batch"),
        ]
        indexes = [models.Index(fields=["batch", "kind"], name="report_file_batch_kind")]

    def __str__(self):
        return self.zip_name

    @property
    def zip_name(self) -> str:
        """The file's name inside the batch's zip (and when downloaded alone), in the active language."""
        if self.kind == self.Kind.DEPUTY_PDF:
            folder = pgettext("zip folder", "Performance records")
            return f"{folder}/{self.person_name}-{self.mandate_id}.pdf"
        if self.kind == self.Kind.SUMMARY_XLSX:
            return gettext("Score summary") + ".xlsx"
        return gettext("Covenant notice") + (".pdf" if self.kind == self.Kind.NOTICE_PDF else ".xlsx")
