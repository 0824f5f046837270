"""Activities (履职活动): what deputies do, recorded by staff or self-reported by a deputy and verified.

Only participations count (score, record, report); a self-report becomes one when staff verify it. A person
takes part in an activity once (one ``Participation``), whatever number of mandates they hold; the row names
the mandate under which they took part (the one at the organiser's level when they hold several).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.deputies.attendance import Attendance
from apps.deputies.models import Level


class ActivityType(models.Model):
    """A kind of activity (data, not code); ``code`` is the stable English name scoring rules refer to."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=50, unique=True)
    has_outcomes = models.BooleanField(
        _("records outcomes"), default=False,
        help_text=_("Theme practice activities record suggestions raised, households and people helped, and funds."))
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=100)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("activity type")
        verbose_name_plural = _("activity types")

    def __str__(self):
        return self.name


class Activity(models.Model):
    """One activity (an inspection, a survey, a group meeting ...) organised by a body of a jurisdiction."""

    class Source(models.TextChoices):
        STAFF = "staff", _("Recorded by staff")
        SELF_REPORT = "self_report", _("Self-reported by a deputy")

    type = models.ForeignKey(ActivityType, models.PROTECT, related_name="activities", verbose_name=_("type"))
    title = models.CharField(_("title"), max_length=200)
    jurisdiction = models.ForeignKey("core.Jurisdiction", models.PROTECT, related_name="activities",
                                     verbose_name=_("organiser's jurisdiction"))
    level = models.CharField(_("organiser's level"), max_length=12, choices=Level.choices)
    organiser = models.CharField(_("organising body"), max_length=100, blank=True,
                                 help_text=_("e.g. the standing committee's office, a deputy group"))
    start_date = models.DateField(_("start date"), db_index=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices, default=Source.STAFF)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [models.Index(fields=["jurisdiction", "start_date"], name="activity_jurisdiction_date")]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                                   name="activity_end_after_start"),
        ]

    def __str__(self):
        return self.title

    @property
    def last_date(self):
        return self.end_date or self.start_date


class Participation(models.Model):
    """A person's part in an activity, under one of their mandates, with attendance and (theme practice)
    outcomes."""

    activity = models.ForeignKey(Activity, models.CASCADE, related_name="participations",
                                 verbose_name=_("activity"))
    person = models.ForeignKey("deputies.Person", models.PROTECT, related_name="participations",
                               verbose_name=_("person"))
    mandate = models.ForeignKey("deputies.Mandate", models.PROTECT, related_name="participations",
                                verbose_name=_("mandate"))
    attendance = models.CharField(_("attendance"), max_length=8, choices=Attendance.choices,
                                  default=Attendance.PRESENT)
    leave_reason = models.CharField(_("reason for leave"), max_length=200, blank=True)
    suggestions_raised = models.PositiveIntegerField(_("suggestions raised"), default=0)
    households_helped = models.PositiveIntegerField(_("households helped"), default=0)
    people_helped = models.PositiveIntegerField(_("people helped"), default=0)
    funds_donated = models.DecimalField(_("funds (yuan)"), max_digits=14, decimal_places=2, default=0)

    class Meta:
        ordering = ["activity", "person__name_pinyin"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["activity", "person"], name="participation_once_per_person"),
        ]
        indexes = [models.Index(fields=["person", "activity"], name="participation_person")]

    def __str__(self):
        return f"{self.person_id} @ {self.activity_id}"


class SelfReport(models.Model):
    """A deputy's own report of an activity (履职登记) with evidence; staff verify it (it then becomes an
    activity with the deputy as a participant) or reject it with a reason."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")

    person = models.ForeignKey("deputies.Person", models.PROTECT, related_name="self_reports",
                               verbose_name=_("person"))
    mandate = models.ForeignKey("deputies.Mandate", models.PROTECT, related_name="self_reports",
                                verbose_name=_("mandate"))
    type = models.ForeignKey(ActivityType, models.PROTECT, related_name="self_reports", verbose_name=_("type"))
    title = models.CharField(_("title"), max_length=200)
    start_date = models.DateField(_("date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    description = models.TextField(_("what was done"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING,
                              db_index=True)
    reason = models.CharField(_("reason for rejection"), max_length=500, blank=True)
    activity = models.ForeignKey(Activity, models.SET_NULL, null=True, blank=True, related_name="self_reports",
                                 verbose_name=_("activity"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # Whether verifying added the deputy's participation (False: they already took part), so that reversing the
    # verification removes only what it added.
    participation_added = models.BooleanField(_("participation added by the verification"), default=False,
                                              editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("self-report")
        verbose_name_plural = _("self-reports")
        permissions = [("verify_selfreport", _("Can verify or reject self-reports"))]
        constraints = [
            models.CheckConstraint(condition=~Q(status="rejected") | ~Q(reason=""),
                                   name="self_report_rejected_has_reason"),
            models.CheckConstraint(condition=~Q(status="verified") | Q(activity__isnull=False),
                                   name="self_report_verified_has_activity"),
        ]

    def __str__(self):
        return self.title


class Attachment(models.Model):
    """A file on an activity (sign-in sheet scan, photo) or on a self-report (evidence). Stored under
    MEDIA_ROOT (outside the static web root) and served only through a view that checks access."""

    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", _("Sign-in sheet")
        PHOTO = "photo", _("Photo")
        DOCUMENT = "document", _("Document")

    activity = models.ForeignKey(Activity, models.CASCADE, null=True, blank=True, related_name="attachments",
                                 verbose_name=_("activity"))
    self_report = models.ForeignKey(SelfReport, models.CASCADE, null=True, blank=True,
                                    related_name="attachments", verbose_name=_("self-report"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.DOCUMENT)
    file = models.FileField(_("file"), upload_to="activities/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.CheckConstraint(condition=Q(activity__isnull=False) | Q(self_report__isnull=False),
                                   name="attachment_has_owner"),
        ]

    def __str__(self):
        return self.original_name
