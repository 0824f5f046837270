"""Motions and suggestions (议案建议): from a deputy's submission to a rated reply.

One table holds both kinds (``Proposal.kind``); ``Motion`` and ``Suggestion`` are proxies with the names the
domain uses. A motion that is not docketed becomes a suggestion by changing its kind, keeping its signers.

The life of an item is a state machine (``Proposal.State``, transitions in ``apps.proposals.rules``):

    draft → submitted → registered → (motion: docketed | converted to a suggestion) → assigned → handling
    → replied → closed;  replied → rehandling (不满意) → replied (round 2) → closed
    submitted → returned (to the deputy, with a reason) → submitted;  draft/submitted/returned/registered
    → withdrawn

Handling work is kept per ``round``: round 1 is the first handling, round 2 the re-handling after 不满意. Every
deadline is a ``Deadline`` row naming the ``HandlingRule`` and the rule's field that produced it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.deputies.models import Level


class Kind(models.TextChoices):
    MOTION = "motion", _("Motion")
    SUGGESTION = "suggestion", _("Suggestion")


class Category(models.Model):
    """A subject area of suggestions (经济, 城建, 教育 ...); data, editable by staff."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name


class ReplyClass(models.Model):
    """The class of a reply (A 已解决或基本解决 ... D 留作参考); data.

    ``needs_follow_up``: replies of this class are followed up until solved (B and C).
    ``counts_as_solved``: counted in the A-class rate (A).
    """

    code = models.CharField(_("code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=50)
    needs_follow_up = models.BooleanField(_("followed up until solved"), default=False)
    counts_as_solved = models.BooleanField(_("counts as solved"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("reply class")
        verbose_name_plural = _("reply classes")

    def __str__(self):
        return f"{self.code} {self.name}"


class HandlingRule(models.Model):
    """The deadlines and thresholds of one jurisdiction for one kind of item (a rules table, data).

    The rule of a jurisdiction applies below it unless a lower jurisdiction has its own (``rules.rule_for``).
    """

    class ClockStart(models.TextChoices):
        ASSIGNED = "assigned", _("Day of assignment (交办日)")
        SESSION_CLOSED = "session_closed", _("Closing day of the session (闭会日)")

    jurisdiction = models.ForeignKey("core.Jurisdiction", models.PROTECT, related_name="handling_rules",
                                     verbose_name=_("jurisdiction"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    clock_start = models.CharField(_("clock starts"), max_length=16, choices=ClockStart.choices,
                                   default=ClockStart.ASSIGNED)
    base_months = models.PositiveSmallIntegerField(_("handling period (months)"), default=3)
    max_total_months = models.PositiveSmallIntegerField(_("longest period with extensions (months)"), default=6)
    co_opinion_months = models.PositiveSmallIntegerField(_("co-unit opinion period (months)"), default=1)
    rehandling_months = models.PositiveSmallIntegerField(_("re-handling period (months)"), default=1)
    return_working_days = models.PositiveSmallIntegerField(_("sign or return within (working days)"), default=5)
    rating_working_days = models.PositiveSmallIntegerField(_("rating within (working days)"), default=20)
    min_signers = models.PositiveSmallIntegerField(
        _("least signers"), default=1, help_text=_("Motions: deputies who must sign jointly (10; 5 at township level)."))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["jurisdiction__path", "kind"]
        verbose_name = _("handling rule")
        verbose_name_plural = _("handling rules")
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "kind"], name="handling_rule_unique"),
            models.CheckConstraint(condition=Q(max_total_months__gte=models.F("base_months")),
                                   name="handling_rule_max_not_below_base"),
        ]

    def __str__(self):
        return f"{self.jurisdiction} · {self.get_kind_display()}"


class MergeGroup(models.Model):
    """Items handled together (并案): one handling, a reply and a rating for every deputy still."""

    name = models.CharField(_("name"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("merge group")
        verbose_name_plural = _("merge groups")

    def __str__(self):
        return self.name


class Proposal(models.Model):
    """A motion (议案) or a suggestion (建议、批评和意见) raised by deputies of one congress."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned to the deputy")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        REGISTERED = "registered", _("Registered")
        DOCKETED = "docketed", _("Docketed")
        ASSIGNED = "assigned", _("Assigned to units")
        HANDLING = "handling", _("Being handled")
        REPLIED = "replied", _("Replied")
        REHANDLING = "rehandling", _("Being re-handled")
        CLOSED = "closed", _("Closed")

    class Period(models.TextChoices):
        DURING_SESSION = "during_session", _("During the session")
        BETWEEN_SESSIONS = "between_sessions", _("Between sessions")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.SUGGESTION, db_index=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT, db_index=True)
    jurisdiction = models.ForeignKey("core.Jurisdiction", models.PROTECT, related_name="proposals",
                                     verbose_name=_("congress"))
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    session = models.ForeignKey("deputies.Session", models.PROTECT, null=True, blank=True, related_name="proposals",
                                verbose_name=pgettext_lazy("congress", "session"))
    period = models.CharField(_("raised"), max_length=20, choices=Period.choices, default=Period.BETWEEN_SESSIONS)
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    content = models.TextField(_("content"), blank=True)
    # Motions: 案由 is the title; 案据 and 方案, and a draft text for legislative motions.
    grounds = models.TextField(_("grounds (案据)"), blank=True)
    plan = models.TextField(_("proposed solution (方案)"), blank=True)
    is_legislative = models.BooleanField(_("legislative motion"), default=False)
    draft_text = models.TextField(_("draft text"), blank=True)
    category = models.ForeignKey(Category, models.PROTECT, null=True, blank=True, related_name="proposals",
                                 verbose_name=_("category"))
    keywords = models.CharField(_("keywords"), max_length=200, blank=True)
    is_key = models.BooleanField(_("key suggestion"), default=False, db_index=True)
    is_confidential = models.BooleanField(_("confidential"), default=False)
    merge_group = models.ForeignKey(MergeGroup, models.SET_NULL, null=True, blank=True, related_name="proposals",
                                    verbose_name=_("handled together with"))
    round = models.PositiveSmallIntegerField(_("handling round"), default=1)
    # Decisions on the way, each with its reason.
    return_reason = models.TextField(_("reason for returning"), blank=True)
    withdraw_reason = models.TextField(_("reason for withdrawing"), blank=True)
    docket_reason = models.TextField(_("review opinion"), blank=True)
    converted_from_motion = models.BooleanField(_("converted from a motion"), default=False)
    # Dates of the steps (the board and the deadlines read them).
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    registered_at = models.DateTimeField(_("registered at"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("entered by"))
    entered_on_paper = models.BooleanField(_("entered from paper by staff"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-year", "kind", "number", "-created_at"]
        verbose_name = _("motion or suggestion")
        verbose_name_plural = _("motions and suggestions")
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "year", "session", "kind", "number"],
                                    condition=Q(number__isnull=False), name="proposal_number_unique",
                                    nulls_distinct=False),
        ]
        indexes = [
            GinIndex(OpClass(Upper("title"), name="gin_trgm_ops"), name="proposal_title_trgm"),
            models.Index(fields=["jurisdiction", "year", "state"], name="proposal_scope_state"),
        ]
        permissions = [
            ("handle_proposal", _("Register, review and assign motions and suggestions")),
            ("supervise_proposal", _("See the supervision board of motions and suggestions")),
        ]

    def __str__(self):
        return self.title

    @property
    def number_label(self) -> str:
        return f"第{self.number:04d}号" if self.number else ""


class MotionManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(kind=Kind.MOTION)


class SuggestionManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(kind=Kind.SUGGESTION)


class Motion(Proposal):
    """议案."""

    objects = MotionManager()

    class Meta:
        proxy = True
        verbose_name = _("motion")
        verbose_name_plural = _("motions")


class Suggestion(Proposal):
    """建议、批评和意见."""

    objects = SuggestionManager()

    class Meta:
        proxy = True
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")


class Signature(models.Model):
    """A deputy's name on an item: the lead (领衔) or a co-signer (附议), who counts once confirmed."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        COSIGNER = "cosigner", _("Co-signer")

    proposal = models.ForeignKey(Proposal, models.CASCADE, related_name="signatures", verbose_name=_("item"))
    person = models.ForeignKey("deputies.Person", models.PROTECT, related_name="signatures", verbose_name=_("deputy"))
    mandate = models.ForeignKey("deputies.Mandate", models.PROTECT, related_name="signatures",
                                verbose_name=_("mandate"))
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    invited_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined at"), null=True, blank=True)

    class Meta:
        ordering = ["proposal", "-role", "invited_at"]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "person"], name="signature_once_per_person"),
            models.UniqueConstraint(fields=["proposal"], condition=Q(role="lead"), name="signature_one_lead"),
        ]

    def __str__(self):
        return f"{self.person} · {self.get_role_display()}"

    @property
    def counts(self) -> bool:
        return self.role == self.Role.LEAD or self.confirmed_at is not None


class ProposalAttachment(models.Model):
    """A file on an item (the deputy's material, a reply document, a supervision record's minutes)."""

    proposal = models.ForeignKey(Proposal, models.CASCADE, related_name="attachments", verbose_name=_("item"))
    file = models.FileField(_("file"), upload_to="proposals/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name


class Assignment(models.Model):
    """An item given to a unit (交办): the lead unit (主办) answers, co-units (协办/会办) send it their opinion."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead unit")
        CO = "co", _("Co-unit")

    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting signature")
        ACCEPTED = "accepted", _("Signed for")
        RETURNED = "returned", _("Returned as not its business")
        CANCELLED = "cancelled", _("Cancelled")

    proposal = models.ForeignKey(Proposal, models.CASCADE, related_name="assignments", verbose_name=_("item"))
    unit = models.ForeignKey("core.HandlingUnit", models.PROTECT, related_name="assignments",
                             verbose_name=_("handling unit"))
    role = models.CharField(_("role"), max_length=5, choices=Role.choices)
    round = models.PositiveSmallIntegerField(_("handling round"), default=1)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING, db_index=True)
    assigned_at = models.DateTimeField(_("assigned at"))
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("assigned by"))
    accepted_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    # A co-unit's opinion to the lead unit.
    opinion = models.TextField(_("opinion to the lead unit"), blank=True)
    opinion_at = models.DateTimeField(_("opinion sent at"), null=True, blank=True)
    # The lead unit's reply waits for every co-unit's opinion unless the office waives it (with a reason).
    opinion_waived_at = models.DateTimeField(_("opinion waived at"), null=True, blank=True)
    opinion_waived_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                          related_name="+", verbose_name=_("opinion waived by"))
    opinion_waive_reason = models.TextField(_("reason for waiving the opinion"), blank=True)

    class Meta:
        ordering = ["proposal", "round", "role", "assigned_at"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "round"], condition=Q(role="lead", state__in=["pending", "accepted"]),
                                    name="assignment_one_live_lead_per_round"),
            models.UniqueConstraint(fields=["proposal", "round", "unit"], condition=Q(state__in=["pending", "accepted"]),
                                    name="assignment_unit_once_per_round"),
        ]
        indexes = [models.Index(fields=["unit", "state"], name="assignment_unit_state")]

    def __str__(self):
        return f"{self.proposal} → {self.unit} ({self.get_role_display()})"


class Deadline(models.Model):
    """A date something is due, with the rule that produced it (and the extension that moved it)."""

    class Kind(models.TextChoices):
        SIGN = "sign", _("Sign for or return")
        REPLY = "reply", _("Reply")
        CO_OPINION = "co_opinion", _("Co-unit opinion")
        REHANDLING = "rehandling", _("Reply after re-handling")
        RATING = "rating", _("Rating by the deputy")
        FOLLOW_UP = "follow_up", _("Follow-up report")

    proposal = models.ForeignKey(Proposal, models.CASCADE, related_name="deadlines", verbose_name=_("item"))
    assignment = models.ForeignKey(Assignment, models.CASCADE, null=True, blank=True, related_name="deadlines",
                                   verbose_name=_("assignment"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    round = models.PositiveSmallIntegerField(_("handling round"), default=1)
    starts_on = models.DateField(_("counted from"))
    due_on = models.DateField(_("due on"), db_index=True)
    rule = models.ForeignKey(HandlingRule, models.PROTECT, null=True, blank=True, related_name="deadlines",
                             verbose_name=_("rule"))
    rule_field = models.CharField(_("rule item"), max_length=40, blank=True)
    rule_value = models.PositiveSmallIntegerField(_("rule value"), null=True, blank=True)
    met_at = models.DateTimeField(_("met at"), null=True, blank=True)
    is_open = models.BooleanField(_("open"), default=True, db_index=True)

    class Meta:
        ordering = ["due_on"]
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        indexes = [models.Index(fields=["is_open", "due_on"], name="deadline_open_due")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.due_on:%Y-%m-%d}"


class Communication(models.Model):
    """A unit's contact with the deputy while handling (沟通)."""

    class Means(models.TextChoices):
        PHONE = "phone", _("Phone")
        VISIT = "visit", _("Visit")
        MEETING = "meeting", pgettext_lazy("talk with deputies", "Meeting")
        LETTER = "letter", _("Letter")
        ONLINE = "online", _("Online")
        OTHER = "other", _("Other")

    assignment = models.ForeignKey(Assignment, models.CASCADE, related_name="communications",
                                   verbose_name=_("assignment"))
    date = models.DateField(_("date"))
    means = models.CharField(_("means"), max_length=10, choices=Means.choices)
    content = models.TextField(_("content"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["date", "recorded_at"]
        verbose_name = _("communication")
        verbose_name_plural = _("communications")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_means_display()}"


class Reply(models.Model):
    """The lead unit's answer (答复) in one round, with its class."""

    proposal = models.ForeignKey(Proposal, models.CASCADE, related_name="replies", verbose_name=_("item"))
    assignment = models.ForeignKey(Assignment, models.PROTECT, related_name="replies", verbose_name=_("assignment"))
    round = models.PositiveSmallIntegerField(_("handling round"), default=1)
    reply_class = models.ForeignKey(ReplyClass, models.PROTECT, related_name="replies", verbose_name=_("class"))
    text = models.TextField(_("reply"))
    document = models.ForeignKey(ProposalAttachment, models.SET_NULL, null=True, blank=True, related_name="+",
                                 verbose_name=_("reply document"))
    promised_on = models.DateField(_("promised solution date"), null=True, blank=True)
    is_public = models.BooleanField(_("published"), default=True)
    replied_at = models.DateTimeField(_("replied at"))
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("replied by"))
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["proposal", "round"]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        constraints = [models.UniqueConstraint(fields=["proposal", "round"], name="reply_once_per_round")]

    def __str__(self):
        return f"{self.proposal} · {self.reply_class.code}"


class Rating(models.Model):
    """A signer's rating of a reply (满意度测评); first and later rounds are kept apart by ``round``."""

    class Result(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfied")
        BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
        UNSATISFIED = "unsatisfied", _("Unsatisfied")

    proposal = models.ForeignKey(Proposal, models.CASCADE, related_name="ratings", verbose_name=_("item"))
    reply = models.ForeignKey(Reply, models.CASCADE, related_name="ratings", verbose_name=_("reply"))
    signature = models.ForeignKey(Signature, models.PROTECT, related_name="ratings", verbose_name=_("signer"))
    round = models.PositiveSmallIntegerField(_("handling round"), default=1)
    result = models.CharField(_("rating"), max_length=20, choices=Result.choices)
    comment = models.TextField(_("comment"), blank=True)
    rated_at = models.DateTimeField(_("rated at"))
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("rated by"))

    class Meta:
        ordering = ["proposal", "round", "rated_at"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [models.UniqueConstraint(fields=["signature", "round"], name="rating_once_per_signer_round")]

    def __str__(self):
        return f"{self.signature} · {self.get_result_display()}"


class FollowUp(models.Model):
    """Following up a B or C reply (跟踪办理): the unit reports progress at the promised date and the deputy
    is asked whether it is solved."""

    class CloseReason(models.TextChoices):
        SUPERSEDED = "superseded", _("Its round was superseded by re-handling")

    proposal = models.ForeignKey(Proposal, models.CASCADE, related_name="follow_ups", verbose_name=_("item"))
    reply = models.ForeignKey(Reply, models.CASCADE, related_name="follow_ups", verbose_name=_("reply"))
    due_on = models.DateField(_("report due on"))
    progress = models.TextField(_("progress"), blank=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("reported by"))
    is_solved = models.BooleanField(_("solved"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("answered by"))
    # A follow-up of a round superseded by re-handling is closed unanswered, with the reason.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    close_reason = models.CharField(_("reason for closing"), max_length=20, choices=CloseReason.choices, blank=True)

    class Meta:
        ordering = ["proposal", "due_on"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self):
        return f"{self.proposal} · {self.due_on:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        """Still waiting for the unit's report or the deputy's answer."""
        return self.closed_at is None and self.answered_at is None


class ExtensionRequest(models.Model):
    """A unit's request for more time (延期), decided by the supervising office; the deputy is told."""

    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting decision")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    deadline = models.ForeignKey(Deadline, models.CASCADE, related_name="extension_requests",
                                 verbose_name=_("deadline"))
    assignment = models.ForeignKey(Assignment, models.CASCADE, related_name="extension_requests",
                                   verbose_name=_("assignment"))
    requested_due_on = models.DateField(_("new date asked for"))
    reason = models.TextField(_("reason"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING, db_index=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("requested by"))
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    previous_due_on = models.DateField(_("date before"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        constraints = [models.UniqueConstraint(fields=["deadline"], condition=Q(state="pending"),
                                               name="extension_one_pending_per_deadline")]

    def __str__(self):
        return f"{self.assignment} → {self.requested_due_on:%Y-%m-%d}"


class Supervision(models.Model):
    """Leader-led supervision of a key item (督办): a leading supervisor (a 主任会议 member) and a tracking
    special committee."""

    proposal = models.OneToOneField(Proposal, models.CASCADE, related_name="supervision", verbose_name=_("item"))
    leader = models.ForeignKey("committee.CommitteeMember", models.PROTECT, related_name="supervisions",
                               verbose_name=_("leading supervisor"))
    committee = models.ForeignKey("committee.SpecialCommittee", models.PROTECT, null=True, blank=True,
                                  related_name="supervisions", verbose_name=_("tracking special committee"))
    started_on = models.DateField(_("started on"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))

    class Meta:
        verbose_name = _("supervision")
        verbose_name_plural = _("supervisions")

    def __str__(self):
        return f"{self.proposal} · {self.leader}"


class SupervisionRecord(models.Model):
    """Something done in supervising an item: a meeting, an inspection of the unit by deputies, an instruction."""

    class Kind(models.TextChoices):
        MEETING = "meeting", pgettext_lazy("talk with deputies", "Meeting")
        INSPECTION = "inspection", _("Inspection of the unit by deputies")
        INSTRUCTION = "instruction", _("Instruction")
        OTHER = "other", _("Other")

    supervision = models.ForeignKey(Supervision, models.CASCADE, related_name="records",
                                    verbose_name=_("supervision"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    date = models.DateField(_("date"))
    content = models.TextField(_("content"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["date", "recorded_at"]
        verbose_name = _("supervision record")
        verbose_name_plural = _("supervision records")

    def __str__(self):
        return f"{self.get_kind_display()} {self.date:%Y-%m-%d}"


class ReminderSent(models.Model):
    """A reminder already sent for a deadline (or a digest for a week): reminders are sent once per item,
    deadline and step."""

    key = models.CharField(max_length=120, unique=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")

    def __str__(self):
        return self.key
