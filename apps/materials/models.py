"""The library of materials for deputies (知情知政): documents in categories and tags, scoped by level and
jurisdiction, grouped in per-session packs, downloaded only through an access check."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.deputies.models import Level


class Category(models.TextChoices):
    SESSION = "session", _("Session documents")
    LAW = "law", _("Laws and regulations")
    TRAINING = "training", _("Training materials")
    GOVERNMENT = "government", _("Government reports")
    OTHER = "other", _("Other")


class DocumentPack(models.Model):
    """The documents of one congress session, handed out together (会议材料包)."""

    title = models.CharField(_("title"), max_length=200)
    session = models.ForeignKey("deputies.Session", models.PROTECT, related_name="+", verbose_name=_("congress session"))
    jurisdiction = models.ForeignKey("core.Jurisdiction", models.PROTECT, related_name="+",
                                     verbose_name=_("jurisdiction"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("document pack")
        verbose_name_plural = _("document packs")

    def __str__(self):
        return self.title


class Document(models.Model):
    """A document in the library. Deputies see it when one of their serving mandates is of its ``level`` (or it
    names none) in its jurisdiction or below; the office sees those of its jurisdiction and below."""

    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    tags = ArrayField(models.CharField(max_length=30), verbose_name=_("tags"), default=list, blank=True)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, blank=True)
    jurisdiction = models.ForeignKey("core.Jurisdiction", models.PROTECT, related_name="+",
                                     verbose_name=_("jurisdiction"))
    pack = models.ForeignKey(DocumentPack, models.SET_NULL, null=True, blank=True, related_name="documents",
                             verbose_name=_("document pack"))
    file = models.FileField(_("file"), upload_to="materials/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [GinIndex(name="document_title_trgm", fields=["title"], opclasses=["gin_trgm_ops"])]

    def __str__(self):
        return self.title
