"""Users of the platform. Roles are groups (see ``apps.core.roles``); a user's scope is their jurisdiction."""

import json
from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core import roles


# A user's role groups and permissions (own and through the groups): one row per (group, permission), a group
# without permissions once with no permission, each own permission with no group.
ACCESS_SQL = """
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
"""
# The same rows as one JSON array, to read along with the user's own row (``User.load_access``).
ACCESS_JSON_SQL = f"SELECT coalesce(json_agg(json_build_array(a.name, a.app_label, a.codename)), '[]')::text FROM ({ACCESS_SQL}) a"


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
    # The interface language this user chose (the switch in the user menu); Chinese unless they chose otherwise,
    # whatever the browser asks for (apps.accounts.middleware.UserLanguageMiddleware).
    language = models.CharField(_("interface language"), max_length=10, choices=settings.LANGUAGES,
                                default=settings.LANGUAGE_CODE)
    must_change_password = models.BooleanField(_("must change password"), default=False)
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["password", "last_login", "password_changed_at"])

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
        both "which role?" and "may they?" pays one round trip, not three. A user read by the session's
        backend (``RosterAwareModelBackend.get_user``) brought them along in its own query: no round trip.
        """
        rows = self.__dict__.pop("access_rows", None)
        if rows is None:
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute(ACCESS_SQL, [self.pk, self.pk])
                rows = cursor.fetchall()
        else:
            rows = json.loads(rows)
        self.__dict__["roles"] = frozenset(name for name, _a, _c in rows if name in roles.ALL_ROLES)
        if not hasattr(self, "_perm_cache"):
            self._perm_cache = {f"{app}.{code}" for _n, app, code in rows if code is not None}

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    def has_role(self, *names: str) -> bool:
        return bool(self.roles.intersection(names))

    @property
    def role_labels(self) -> list[str]:
        return [str(roles.ROLE_LABELS[r]) for r in roles.ALL_ROLES if r in self.roles]


class LoginLockout(models.Model):
    """Failed logins of one username from one client address, and the lock they put on that pair; or, with an
    empty username (``ANY_USERNAME``), the failures of one address across every username and the lock on the
    whole address (brute force against many accounts, 暴力破解防护).

    A username is keyed by the address too, so that someone guessing a colleague's password from their own
    machine cannot lock the colleague out of theirs. A successful login removes its pair's row; a security
    administrator may lift any lock.
    """

    ANY_USERNAME = ""

    username = models.CharField(_("username"), max_length=150)
    ip_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    failures = models.PositiveSmallIntegerField(_("failed attempts"), default=0)
    window_start = models.DateTimeField(_("first failure at"))
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True, db_index=True)
    lifted_by = models.ForeignKey("accounts.User", models.SET_NULL, null=True, blank=True, related_name="+",
                                  verbose_name=_("lifted by"))
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)

    class Meta:
        ordering = ["-locked_until", "username"]
        verbose_name = _("login lockout")
        verbose_name_plural = _("login lockouts")
        constraints = [models.UniqueConstraint(fields=["username", "ip_address"], name="login_lockout_unique",
                                               nulls_distinct=False)]

    def __str__(self):
        return f"{self.username or '*'}@{self.ip_address}"

    @property
    def is_address_lock(self) -> bool:
        """The lock of a whole client address, whatever username it tries."""
        return self.username == self.ANY_USERNAME

    def is_locked(self, now=None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or timezone.now())


class TOTPDevice(models.Model):
    """A user's authenticator app for time-based one-time passwords (动态口令, RFC 6238).

    The row exists once the user has typed a code from the app (enrolment before that lives in the session).
    The shared secret is stored encrypted (see ``apps.accounts.otp``) and never shown after enrolment.
    ``last_step`` is the 30-second time step of the last accepted code, so that no code is accepted twice.
    """

    user = models.OneToOneField("accounts.User", models.CASCADE, related_name="totp_device",
                                verbose_name=_("user"))
    secret_encrypted = models.TextField(_("secret (encrypted)"))
    confirmed_at = models.DateTimeField(_("turned on at"), default=timezone.now)
    last_step = models.BigIntegerField(_("last used time step"), null=True, blank=True)

    class Meta:
        verbose_name = _("authenticator")
        verbose_name_plural = _("authenticators")

    def __str__(self):
        return str(self.user)
