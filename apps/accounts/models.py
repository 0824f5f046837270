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
        """The names of the role groups this user holds (read with the permissions, cached for the request)."""
        if not self.pk:
            return frozenset()
        self.load_access()
        return self.__dict__["roles"]

    def load_access(self) -> None:
        """Read the user's roles and permissions (own and through their groups) in one query.

        Fills ``roles`` and the permission cache that ``ModelBackend.has_perm`` reads, so a page that asks
        both "which role?" and "may they?" pays one round trip, not three.
        """
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT g.name, ct.app_label, p.codename
                  FROM accounts_user_groups ug
                  JOIN auth_group g ON g.id = ug.group_id
                  LEFT JOIN auth_group_permissions gp ON gp.group_id = g.id
                  LEFT JOIN auth_permission p ON p.id = gp.permission_id
                  LEFT JOIN django_content_type ct ON ct.id = p.content_type_id
                 WHERE ug.user_id = %s
                UNION ALL
                SELECT NULL, ct.app_label, p.codename
                  FROM accounts_user_user_permissions up
                  JOIN auth_permission p ON p.id = up.permission_id
                  JOIN django_content_type ct ON ct.id = p.content_type_id
                 WHERE up.user_id = %s
                """,
                [self.pk, self.pk],
            )
            rows = cursor.fetchall()
        self.__dict__["roles"] = frozenset(name for name, _a, _c in rows if name in roles.ALL_ROLES)
        if not hasattr(self, "_perm_cache"):
            self._perm_cache = {f"{app}.{code}" for _n, app, code in rows if code is not None}

    def has_role(self, *names: str) -> bool:
        return bool(self.roles.intersection(names))

    @property
    def role_labels(self) -> list[str]:
        return [str(roles.ROLE_LABELS[r]) for r in roles.ALL_ROLES if r in self.roles]
