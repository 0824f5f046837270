"""Liaison (联系代表): committee members' yearly plans of deputies to contact, the contacts made, what
deputies ask for, the director's mailbox, and deputies' participation in the committee's work."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _, pgettext_lazy
from simple_history.models import HistoricalRecords

from apps.committee.models import CommitteeMember, Post


class QuotaTarget(models.TextChoices):
    """What a quota counts: deputies of a level, delegations, or deputy groups."""

    NATIONAL = "national", _("National deputies")
    PROVINCIAL = "provincial", _("Provincial deputies")
    MUNICIPAL = "municipal", _("Municipal deputies")
    COUNTY = "county", _("County deputies")
    TOWNSHIP = "township", _("Township deputies")
    DELEGATION = "delegation", _("Delegations")
    GROUP = "group", _("Deputy groups")


class QuotaRule(models.Model):
    """How many deputies, delegations or groups a member of a post contacts, and how often (data, not code).

    ``post`` is one post or ``council`` (each of the three council posts). ``collective`` rules are a quota of
    the council as a whole (the 主任会议 together covers 12 groups). A rule with no jurisdiction is the default;
    a jurisdiction's own rules replace the defaults for the same (post, target).
    """

    COUNCIL = "council"
    POST_CHOICES = [(COUNCIL, _("Council member (director, vice director, secretary-general)")), *Post.choices]

    jurisdiction = models.ForeignKey("core.Jurisdiction", models.CASCADE, null=True, blank=True,
                                     related_name="quota_rules", verbose_name=_("jurisdiction"))
    post = models.CharField(_("post"), max_length=20, choices=POST_CHOICES)
    target = models.CharField(_("target"), max_length=12, choices=QuotaTarget.choices)
    quantity = models.PositiveSmallIntegerField(_("quantity"))
    collective = models.BooleanField(_("for the council as a whole"), default=False)
    contacts_per_year = models.PositiveSmallIntegerField(_("contacts per year"), default=4)
    history = HistoricalRecords()

    class Meta:
        ordering = ["jurisdiction__path", "post", "target"]
        verbose_name = _("quota rule")
        verbose_name_plural = _("quota rules")
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "post", "target", "collective"],
                                    name="quota_rule_unique", nulls_distinct=False),
        ]

    def __str__(self):
        return f"{self.get_post_display()}: {self.quantity} × {self.get_target_display()}"


class LiaisonPlan(models.Model):
    """A year's plan (联系代表安排): which member contacts which deputies, delegations and groups."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    jurisdiction = models.ForeignKey("core.Jurisdiction", models.PROTECT, related_name="liaison_plans",
                                     verbose_name=_("jurisdiction"))
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("published by"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("liaison plan")
        verbose_name_plural = _("liaison plans")
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "year"], name="liaison_plan_unique")]

    def __str__(self):
        return f"{self.jurisdiction} {self.year}"


class LiaisonAssignment(models.Model):
    """One line of a plan: a member is to contact a deputy (a mandate), a delegation, or a deputy group."""

    plan = models.ForeignKey(LiaisonPlan, models.CASCADE, related_name="assignments", verbose_name=_("plan"))
    member = models.ForeignKey(CommitteeMember, models.PROTECT, related_name="assignments",
                               verbose_name=_("committee member"))
    mandate = models.ForeignKey("deputies.Mandate", models.PROTECT, null=True, blank=True,
                                related_name="liaison_assignments", verbose_name=_("deputy"))
    delegation = models.ForeignKey("deputies.Delegation", models.PROTECT, null=True, blank=True,
                                   related_name="liaison_assignments", verbose_name=_("delegation"))
    group = models.ForeignKey("deputies.DeputyGroup", models.PROTECT, null=True, blank=True,
                              related_name="liaison_assignments", verbose_name=_("deputy group"))
    contacts_per_year = models.PositiveSmallIntegerField(_("contacts per year"), default=4)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "member", "pk"]
        verbose_name = _("liaison assignment")
        verbose_name_plural = _("liaison assignments")
        constraints = [
            models.CheckConstraint(
                condition=(Q(mandate__isnull=False, delegation__isnull=True, group__isnull=True)
                           | Q(mandate__isnull=True, delegation__isnull=False, group__isnull=True)
                           | Q(mandate__isnull=True, delegation__isnull=True, group__isnull=False)),
                name="liaison_assignment_one_target",
            ),
            models.UniqueConstraint(fields=["plan", "member", "mandate"], name="liaison_assignment_mandate_unique",
                                    condition=Q(mandate__isnull=False)),
            models.UniqueConstraint(fields=["plan", "member", "delegation"],
                                    name="liaison_assignment_delegation_unique", condition=Q(delegation__isnull=False)),
            models.UniqueConstraint(fields=["plan", "member", "group"], name="liaison_assignment_group_unique",
                                    condition=Q(group__isnull=False)),
        ]

    def __str__(self):
        return f"{self.member} → {self.mandate or self.delegation or self.group}"


class Channel(models.TextChoices):
    VISIT = "visit", _("Visit")
    SYMPOSIUM = "symposium", _("Symposium")
    INSPECTION = "inspection", _("Inspection or survey together")
    GROUP_ACTIVITY = "group_activity", _("Deputy group activity")
    PHONE = "phone", _("Phone")
    WECHAT = "wechat", _("WeChat")
    LETTER = "letter", _("Letter")
    MAILBOX = "mailbox", _("Director's mailbox")


class Contact(models.Model):
    """A contact made by a member (联系记录): with one deputy, or a delegation/group meeting that counts for
    every deputy present (the ``participants``)."""

    member = models.ForeignKey(CommitteeMember, models.PROTECT, related_name="contacts",
                               verbose_name=_("committee member"))
    date = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    delegation = models.ForeignKey("deputies.Delegation", models.PROTECT, null=True, blank=True,
                                   related_name="contacts", verbose_name=_("delegation meeting"))
    group = models.ForeignKey("deputies.DeputyGroup", models.PROTECT, null=True, blank=True,
                              related_name="contacts", verbose_name=_("deputy group meeting"))
    participants = models.ManyToManyField("deputies.Person", related_name="liaison_contacts",
                                          verbose_name=_("deputies contacted"))
    summary = models.TextField(_("summary"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[participants])

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [models.Index(fields=["member", "date"], name="contact_member_date")]

    def __str__(self):
        return f"{self.member} {self.date:%Y-%m-%d}"


class DeputyRequest(models.Model):
    """What a deputy asked for in a contact (诉求/意见), followed up until closed and answered."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        CLOSED = "closed", _("Closed")

    class Category(models.TextChoices):
        ECONOMY = "economy", _("Economy")
        URBAN = "urban", _("Urban construction")
        EDUCATION = "education", pgettext_lazy("request category", "Education")  # not a person's 学历
        HEALTH = "health", _("Health")
        AGRICULTURE = "agriculture", _("Agriculture")
        SOCIAL = "social", _("Social security")
        ENVIRONMENT = "environment", _("Environment")
        LAW = "law", _("Rule of law")
        WORK = "work", _("The committee's work")
        OTHER = "other", _("Other")

    contact = models.ForeignKey(Contact, models.CASCADE, null=True, blank=True, related_name="requests",
                                verbose_name=_("contact"))
    person = models.ForeignKey("deputies.Person", models.PROTECT, related_name="liaison_requests",
                               verbose_name=_("deputy"))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    content = models.TextField(_("request"))
    office = models.ForeignKey("core.HandlingUnit", models.PROTECT, null=True, blank=True,
                               related_name="liaison_requests", verbose_name=_("office responsible"))
    office_name = models.CharField(_("office responsible (if not a handling unit)"), max_length=100, blank=True)
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(_("answer given to the deputy"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("deputy's request")
        verbose_name_plural = _("deputies' requests")
        constraints = [
            models.CheckConstraint(condition=~Q(status="closed") | ~Q(answer=""), name="request_closed_has_answer"),
        ]

    def __str__(self):
        return self.content[:40]


class RequestNote(models.Model):
    """A follow-up note on a deputy's request."""

    request = models.ForeignKey(DeputyRequest, models.CASCADE, related_name="notes", verbose_name=_("request"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("author"))
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("follow-up note")
        verbose_name_plural = _("follow-up notes")


class MailboxThread(models.Model):
    """A deputy's letter to the director's mailbox (主任信箱), triaged, assigned and answered by staff."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ASSIGNED = "assigned", _("Assigned")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    jurisdiction = models.ForeignKey("core.Jurisdiction", models.PROTECT, related_name="mailbox_threads",
                                     verbose_name=_("jurisdiction"))
    person = models.ForeignKey("deputies.Person", models.PROTECT, related_name="mailbox_threads",
                               verbose_name=_("deputy"))
    subject = models.CharField(_("subject"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                    related_name="mailbox_assignments", verbose_name=_("assigned to"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("mailbox thread")
        verbose_name_plural = _("mailbox threads")

    def __str__(self):
        return self.subject


class MailboxMessage(models.Model):
    thread = models.ForeignKey(MailboxThread, models.CASCADE, related_name="messages", verbose_name=_("thread"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("author"))
    body = models.TextField(_("message"))
    is_answer = models.BooleanField(_("answer"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("mailbox message")
        verbose_name_plural = _("mailbox messages")


class ReminderLog(models.Model):
    """A behind-pace reminder sent to a member for a period; the unique key makes the task idempotent."""

    member = models.ForeignKey(CommitteeMember, models.CASCADE, related_name="reminders")
    period = models.CharField(max_length=20)  # e.g. "2026-04" for a monthly schedule
    kind = models.CharField(max_length=20, default="behind_pace")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "period", "kind"], name="reminder_once_per_period")]


class Invitation(models.Model):
    """Deputies invited into the committee's work: attending a meeting (列席), a legislative hearing (立法论证),
    a law-enforcement inspection (执法检查), an inspection or a survey."""

    class Kind(models.TextChoices):
        ATTEND_MEETING = "attend_meeting", _("Attending a committee meeting")
        LEGISLATIVE_HEARING = "legislative_hearing", _("Legislative hearing")
        ENFORCEMENT_CHECK = "enforcement_check", _("Law-enforcement inspection")
        INSPECTION = "inspection", _("Inspection")
        SURVEY = "survey", _("Survey")

    jurisdiction = models.ForeignKey("core.Jurisdiction", models.PROTECT, related_name="invitations",
                                     verbose_name=_("jurisdiction"))
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return self.title


class Invitee(models.Model):
    """A deputy invited, and whether they attended."""

    invitation = models.ForeignKey(Invitation, models.CASCADE, related_name="invitees",
                                   verbose_name=_("invitation"))
    person = models.ForeignKey("deputies.Person", models.PROTECT, related_name="invitations",
                               verbose_name=_("deputy"))
    attended = models.BooleanField(_("attended"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["invitation", "person__name_pinyin"]
        verbose_name = _("invitee")
        verbose_name_plural = _("invitees")
        constraints = [models.UniqueConstraint(fields=["invitation", "person"], name="invitee_unique")]


class Opinion(models.Model):
    """An opinion a deputy gave, and what became of it (the deputy sees the outcome)."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Under consideration")
        ADOPTED = "adopted", _("Adopted")
        PARTLY_ADOPTED = "partly_adopted", _("Partly adopted")
        NOT_ADOPTED = "not_adopted", _("Not adopted")

    invitee = models.ForeignKey(Invitee, models.CASCADE, related_name="opinions", verbose_name=_("invitee"))
    content = models.TextField(_("opinion"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.PENDING)
    explanation = models.TextField(_("explanation to the deputy"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")
        constraints = [
            models.CheckConstraint(condition=~Q(outcome="not_adopted") | ~Q(explanation=""),
                                   name="opinion_not_adopted_explained"),
        ]


class Recommendation(models.Model):
    """A deputy recommended to an outside role: 电视问政, court hearings, supervisor posts."""

    class Role(models.TextChoices):
        TV_INQUIRY = "tv_inquiry", _("Televised inquiry")
        COURT_HEARING = "court_hearing", _("Court hearing observer")
        SOFT_ENVIRONMENT = "soft_environment", _("Business environment supervisor")
        POLICE_CONDUCT = "police_conduct", _("Police conduct supervisor")
        OTHER = "other", _("Other")

    person = models.ForeignKey("deputies.Person", models.PROTECT, related_name="recommendations",
                               verbose_name=_("deputy"))
    jurisdiction = models.ForeignKey("core.Jurisdiction", models.PROTECT, related_name="recommendations",
                                     verbose_name=_("jurisdiction"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organisation = models.CharField(_("where"), max_length=200)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "pk"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
