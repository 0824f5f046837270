"""Training (培训): programs, their sessions, and who attended each session.

Coverage (the share of serving deputies trained at least once in a year, and person-times 人次) is computed
from ``TrainingAttendance`` rows with attendance ``present``; nothing is stored that could drift from them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from apps.deputies.attendance import Attendance
from apps.deputies.models import Level


class Form(models.TextChoices):
    CENTRAL = "central", _("Central training")
    THEMATIC = "thematic", _("Thematic training")
    INDIVIDUAL = "individual", _("Individual training")
    INDUCTION = "induction", _("Induction training")
    ONLINE = "online", _("Online learning")


class Topic(models.TextChoices):
    THEORY = "theory", _("Theory study")
    STANCE = "stance", _("Political stance")
    RULE_OF_LAW = "rule_of_law", _("Rule of law")
    DUTIES = "duties", _("Performing duties")


class TrainingProgram(models.Model):
    """A training program (e.g. 2026年市人大代表集中培训班), organised by a body of a jurisdiction."""

    title = models.CharField(_("title"), max_length=200)
    form = models.CharField(_("form"), max_length=12, choices=Form.choices)
    topic = models.CharField(_("topic"), max_length=12, choices=Topic.choices)
    jurisdiction = models.ForeignKey("core.Jurisdiction", models.PROTECT, related_name="training_programs",
                                     verbose_name=_("organiser's jurisdiction"))
    level = models.CharField(_("level of the deputies trained"), max_length=12, choices=Level.choices)
    organiser = models.CharField(_("organising body"), max_length=100, blank=True)
    start_date = models.DateField(_("start date"), db_index=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("training program")
        verbose_name_plural = _("training programs")
        constraints = [
            models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                                   name="training_program_end_after_start"),
        ]

    def __str__(self):
        return self.title


class TrainingSession(models.Model):
    """One session of a program: a lecture, a class day, an online course."""

    program = models.ForeignKey(TrainingProgram, models.CASCADE, related_name="sessions",
                                verbose_name=_("program"))
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"), db_index=True)
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    lecturer = models.CharField(_("lecturer"), max_length=100, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0), name="training_session_hours_positive")]

    def __str__(self):
        return self.title


class TrainingAttendance(models.Model):
    """A person's attendance at a session, under the mandate at the program's level when they hold several."""

    session = models.ForeignKey(TrainingSession, models.CASCADE, related_name="attendances",
                                verbose_name=pgettext_lazy("training", "session"))
    person = models.ForeignKey("deputies.Person", models.PROTECT, related_name="training_attendances",
                               verbose_name=_("person"))
    mandate = models.ForeignKey("deputies.Mandate", models.PROTECT, related_name="training_attendances",
                                verbose_name=_("mandate"))
    attendance = models.CharField(_("attendance"), max_length=8, choices=Attendance.choices,
                                  default=Attendance.PRESENT)
    leave_reason = models.CharField(_("reason for leave"), max_length=200, blank=True)

    class Meta:
        ordering = ["session", "person__name_pinyin"]
        verbose_name = _("training attendance")
        verbose_name_plural = _("training attendances")
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="training_attendance_once_per_person"),
        ]
        indexes = [models.Index(fields=["person", "session"], name="training_attendance_person")]

    def __str__(self):
        return f"{self.person_id} @ {self.session_id}"


class TrainingMaterial(models.Model):
    """A file handed out in a program (slides, a reading list); served only through an access-checked view."""

    program = models.ForeignKey(TrainingProgram, models.CASCADE, related_name="materials",
                                verbose_name=_("program"))
    file = models.FileField(_("file"), upload_to="training/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("training material")
        verbose_name_plural = _("training materials")

    def __str__(self):
        return self.original_name
