"""Users of the platform. Roles are groups (see ``apps.core.roles``); a user's scope is their jurisdiction."""

from functools import cached_property

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core import roles


class User(AbstractUser):
    """An account: committee staff, a deputy (linked to one person), a handling unit's clerk, an administrator."""

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    jurisdiction = models.ForeignKey("core.Jurisdiction", models.PROTECT, null=True, blank=True,
                                     related_name="users", verbose_name=_("jurisdiction"))
    person = models.OneToOneField("deputies.Person", models.SET_NULL, null=True, blank=True,
                                  related_name="user", verbose_name=_("deputy (person in the roster)"))
    handling_unit = models.ForeignKey("core.HandlingUnit", models.PROTECT, null=True, blank=True,
                                      related_name="users", verbose_name=_("handling unit"))
    must_change_password = models.BooleanField(_("must change password"), default=False)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        """The names of the role groups this user holds (one query, cached for the request)."""
        if not self.pk:
            return frozenset()
        return frozenset(self.groups.filter(name__in=roles.ALL_ROLES).values_list("name", flat=True))

    def has_role(self, *names: str) -> bool:
        return bool(self.roles.intersection(names))

    @property
    def role_labels(self) -> list[str]:
        return [str(roles.ROLE_LABELS[r]) for r in roles.ALL_ROLES if r in self.roles]
