"""The committee's publicity (宣传): newspaper columns (专版), television features (专题片), media reports and
public-account articles, with the deputies and activities they feature."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PublicityItem(models.Model):
    class Kind(models.TextChoices):
        COLUMN = "column", pgettext_lazy("publicity", "Newspaper column")
        FEATURE = "feature", pgettext_lazy("publicity", "Television feature")
        REPORT = "report", pgettext_lazy("publicity", "Media report")
        ARTICLE = "article", pgettext_lazy("publicity", "Public-account article")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, db_index=True)
    jurisdiction = models.ForeignKey("core.Jurisdiction", models.PROTECT, related_name="publicity_items",
                                     verbose_name=_("jurisdiction"))
    date = models.DateField(_("date"), db_index=True)
    outlet = models.CharField(_("outlet"), max_length=100)
    title = models.CharField(_("title"), max_length=200)
    issue_number = models.CharField(_("issue number"), max_length=30, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    attachment = models.FileField(_("attachment"), upload_to="publicity/%Y/", blank=True)
    deputies = models.ManyToManyField("deputies.Person", blank=True, related_name="publicity_items",
                                      verbose_name=_("featured deputies"))
    activities = models.ManyToManyField("activities.Activity", blank=True, related_name="publicity_items",
                                        verbose_name=_("featured activities"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("publicity item")
        verbose_name_plural = _("publicity items")
        constraints = [models.CheckConstraint(condition=~Q(kind="column") | ~Q(issue_number=""),
                                              name="publicity_column_has_issue_number")]

    def __str__(self):
        return self.title
