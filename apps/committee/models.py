"""The standing committee's composition: its members (常委会组成人员) in a term, their posts, and the special
committees (专门委员会) of the congress.

The models moved here from ``apps.liaison`` without moving data: they keep their ``liaison_*`` tables (and so do
their history tables and the members' special-committees table).
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _, pgettext_lazy
from simple_history.models import HistoricalRecords


class _HistoryKeepingTables(HistoricalRecords):
    """History whose many-to-many history tables keep the name they had under ``apps.liaison`` (simple-history
    names the others from ``table_name``, but these only from the app label)."""

    def get_meta_options_m2m(self, through_model):
        options = super().get_meta_options_m2m(through_model)
        options["db_table"] = f"liaison_{self.get_history_model_name(through_model).lower()}"
        return options


class Post(models.TextChoices):
    """A standing committee member's post; the first three form the 主任会议 (the council)."""

    DIRECTOR = "director", pgettext_lazy("committee post", "Director")  # not a bureau's 局长
    VICE_DIRECTOR = "vice_director", _("Vice director")
    SECRETARY_GENERAL = "secretary_general", _("Secretary-general")
    MEMBER = "member", _("Member")


COUNCIL_POSTS = (Post.DIRECTOR, Post.VICE_DIRECTOR, Post.SECRETARY_GENERAL)


class SpecialCommittee(models.Model):
    """A special committee of the congress (专门委员会), e.g. 法制委员会."""

    jurisdiction = models.ForeignKey("core.Jurisdiction", models.PROTECT, related_name="special_committees",
                                     verbose_name=_("jurisdiction"))
    name = models.CharField(_("name"), max_length=100)
    history = HistoricalRecords(table_name="liaison_historicalspecialcommittee")

    class Meta:
        db_table = "liaison_specialcommittee"
        ordering = ["name"]
        verbose_name = _("special committee")
        verbose_name_plural = _("special committees")
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "name"], name="special_committee_unique")]

    def __str__(self):
        return self.name


def serving_q(first: datetime.date, last: datetime.date, prefix: str = "") -> models.Q:
    """Committee members serving at some time from ``first`` to ``last`` (both included): the one definition of a
    member serving, which ``CommitteeMemberQuerySet.serving``/``serving_during`` and ``CommitteeMember.serves_on``
    apply.

    A member serves on a day if the post started on or before it and has not ended before it: ``end_date`` is the
    last day served; no end date means the member serves still. ``prefix`` is the lookup path from the queried
    model to the member (``"leader__"``).
    """
    return (models.Q(**{f"{prefix}start_date__lte": last})
            & (models.Q(**{f"{prefix}end_date__isnull": True}) | models.Q(**{f"{prefix}end_date__gte": first})))


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """The first and last days of ``year``."""
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


class CommitteeMemberQuerySet(models.QuerySet):
    def serving(self, *, on: datetime.date) -> "CommitteeMemberQuerySet":
        """Members serving on the day ``on`` (see ``serving_q``)."""
        return self.serving_during(on, on)

    def serving_during(self, first: datetime.date, last: datetime.date) -> "CommitteeMemberQuerySet":
        """Members serving on at least one day from ``first`` to ``last``, both included (see ``serving_q``)."""
        return self.filter(serving_q(first, last))

    def serving_in(self, year: int) -> "CommitteeMemberQuerySet":
        """Members serving at some time in ``year``."""
        return self.serving_during(*year_bounds(year))


class CommitteeMember(models.Model):
    """A member of the standing committee (常委会组成人员) in one term, with their post."""

    term = models.ForeignKey("deputies.Term", models.PROTECT, related_name="committee_members",
                             verbose_name=_("term"))
    jurisdiction = models.ForeignKey("core.Jurisdiction", models.PROTECT, related_name="committee_members",
                                     verbose_name=_("jurisdiction"))
    person = models.ForeignKey("deputies.Person", models.PROTECT, related_name="committee_posts",
                               verbose_name=_("person"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                             related_name="committee_posts", verbose_name=_("account"))
    post = models.CharField(_("post"), max_length=20, choices=Post.choices)
    special_committees = models.ManyToManyField(SpecialCommittee, blank=True, related_name="members",
                                                verbose_name=_("special committees"),
                                                db_table="liaison_committeemember_special_committees")
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    history = _HistoryKeepingTables(m2m_fields=[special_committees], table_name="liaison_historicalcommitteemember")

    objects = CommitteeMemberQuerySet.as_manager()

    class Meta:
        db_table = "liaison_committeemember"
        ordering = ["term", "post", "person__name_pinyin"]
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")

    def __str__(self):
        return f"{self.person} ({self.get_post_display()})"

    @property
    def is_council(self) -> bool:
        return self.post in COUNCIL_POSTS

    def serves_on(self, day: datetime.date) -> bool:
        """``CommitteeMember.objects.serving(on=day)`` for one member in memory, without a query."""
        return self.serves_during(day, day)

    def serves_during(self, first: datetime.date, last: datetime.date) -> bool:
        """``CommitteeMember.objects.serving_during(first, last)`` for one member in memory (see ``serving_q``)."""
        return self.start_date <= last and (self.end_date is None or self.end_date >= first)
