"""The committee members' covenant (履职公约): standing committee meetings (常委会会议) with each member's
attendance per meeting day and the speeches made, the yearly notice (通报) of members the covenant's rules flag,
and, for special committee members (专门委员会组成人员), leave requests with their approval and talks (约谈).

A meeting is held on ``days`` consecutive calendar days from ``start_date`` (``CommitteeMeeting.dates``); it
belongs to the year it starts in. Attendance is one row per member per meeting day. The flags themselves are
computed from these rows (``apps.covenant.selectors.member_flags``; the thresholds are in
``apps.covenant.rules``); a published notice keeps the rows it listed as a snapshot.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.deputies.attendance import Attendance

MAX_MEETING_DAYS = 10


class CommitteeMeeting(models.Model):
    """A meeting of the standing committee (常委会第N次会议) of one term, held on consecutive days."""

    jurisdiction = models.ForeignKey("core.Jurisdiction", models.PROTECT, related_name="committee_meetings",
                                     verbose_name=_("jurisdiction"))
    term = models.ForeignKey("deputies.Term", models.PROTECT, related_name="committee_meetings",
                             verbose_name=_("term"))
    number = models.PositiveSmallIntegerField(_("meeting number"), validators=[MinValueValidator(1)])
    title = models.CharField(_("title"), max_length=200)
    start_date = models.DateField(_("first day"))
    days = models.PositiveSmallIntegerField(
        _("number of days"), default=1, validators=[MinValueValidator(1), MaxValueValidator(MAX_MEETING_DAYS)])
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("entered by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-number"]
        verbose_name = _("committee meeting")
        verbose_name_plural = _("committee meetings")
        constraints = [
            models.UniqueConstraint(fields=["term", "number"], name="committee_meeting_number_unique"),
            models.CheckConstraint(condition=Q(days__gte=1, days__lte=MAX_MEETING_DAYS),
                                   name="committee_meeting_days_range"),
        ]
        indexes = [models.Index(fields=["jurisdiction", "start_date"], name="committee_meeting_scope_date")]

    def __str__(self):
        return self.title

    @property
    def end_date(self) -> datetime.date:
        return self.start_date + datetime.timedelta(days=self.days - 1)

    @property
    def dates(self) -> list[datetime.date]:
        """The meeting's days: ``days`` consecutive calendar days from ``start_date``."""
        return [self.start_date + datetime.timedelta(days=i) for i in range(self.days)]


class MeetingAttendance(models.Model):
    """A member's attendance on one day of a meeting: present (出席), on leave (请假, with the reason) or absent
    without leave (缺席)."""

    meeting = models.ForeignKey(CommitteeMeeting, models.CASCADE, related_name="attendances",
                                verbose_name=_("meeting"))
    member = models.ForeignKey("committee.CommitteeMember", models.PROTECT, related_name="meeting_attendances",
                               verbose_name=_("committee member"))
    date = models.DateField(_("date"))
    status = models.CharField(_("attendance"), max_length=8, choices=Attendance.choices,
                              default=Attendance.PRESENT)
    leave_reason = models.CharField(_("reason for leave"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        ordering = ["meeting", "member", "date"]
        verbose_name = _("meeting attendance")
        verbose_name_plural = _("meeting attendances")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member", "date"], name="meeting_attendance_once_a_day"),
            models.CheckConstraint(condition=~Q(status="leave") | ~Q(leave_reason=""),
                                   name="meeting_attendance_leave_has_reason"),
        ]
        indexes = [models.Index(fields=["member", "meeting"], name="meeting_attendance_member")]

    def __str__(self):
        return f"{self.member_id} @ {self.meeting_id} {self.date:%Y-%m-%d}"


class Speech(models.Model):
    """A speech a member made at a meeting (会议发言), on one of its days."""

    meeting = models.ForeignKey(CommitteeMeeting, models.CASCADE, related_name="speeches", verbose_name=_("meeting"))
    member = models.ForeignKey("committee.CommitteeMember", models.PROTECT, related_name="speeches",
                               verbose_name=_("committee member"))
    date = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("entered by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["meeting", "date", "pk"]
        verbose_name = _("speech")
        verbose_name_plural = _("speeches")
        indexes = [models.Index(fields=["member", "date"], name="speech_member_date")]

    def __str__(self):
        return self.topic


class CovenantNotice(models.Model):
    """The yearly notice (通报) of the members the covenant's rules flag, for one jurisdiction's committee.

    A draft lists the flagged members as the records show them now; publishing freezes that list in
    ``snapshot`` (a list of row dicts, see ``apps.covenant.selectors.flag_row``) and the notice can no longer
    be edited.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    jurisdiction = models.ForeignKey("core.Jurisdiction", models.PROTECT, related_name="covenant_notices",
                                     verbose_name=_("jurisdiction"))
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    snapshot = models.JSONField(_("members listed"), default=list, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("published by"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "jurisdiction__path"]
        verbose_name = _("covenant notice")
        verbose_name_plural = _("covenant notices")
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "year"], name="covenant_notice_once_a_year"),
            models.CheckConstraint(condition=Q(status="draft") | Q(published_at__isnull=False),
                                   name="covenant_notice_published_has_date"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class LeaveRequest(models.Model):
    """A special committee member's request for leave (请假) from a meeting or for some days, decided by staff.

    Approving a request that names a standing committee meeting records the member on leave, with the reason,
    on the meeting's days within the request's dates (days already recorded as present stay so).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting decision")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    member = models.ForeignKey("committee.CommitteeMember", models.PROTECT, related_name="leave_requests",
                               verbose_name=_("committee member"))
    special_committee = models.ForeignKey("committee.SpecialCommittee", models.PROTECT, related_name="leave_requests",
                                          verbose_name=_("special committee"))
    meeting = models.ForeignKey(CommitteeMeeting, models.PROTECT, null=True, blank=True,
                                related_name="leave_requests", verbose_name=_("committee meeting"))
    occasion = models.CharField(_("leave from"), max_length=200, blank=True,
                                help_text=_("The meeting or activity, if not a standing committee meeting."))
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    reason = models.CharField(_("reason"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING,
                              db_index=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("requested by"))
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="leave_request_dates"),
            models.CheckConstraint(condition=Q(status="pending") | Q(decided_at__isnull=False),
                                   name="leave_request_decided_has_date"),
        ]

    def __str__(self):
        return f"{self.member} {self.start_date:%Y-%m-%d}"


class Admonition(models.Model):
    """A talk (约谈) held with a member about their performance of the covenant, and its record."""

    member = models.ForeignKey("committee.CommitteeMember", models.PROTECT, related_name="admonitions",
                               verbose_name=_("committee member"))
    date = models.DateField(_("date"))
    held_by = models.CharField(_("held by"), max_length=100)
    reason = models.CharField(_("reason"), max_length=200)
    record = models.TextField(_("record of the talk"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("entered by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("admonition")
        verbose_name_plural = _("admonitions")

    def __str__(self):
        return f"{self.member} {self.date:%Y-%m-%d}"
