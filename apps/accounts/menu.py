"""The administrators' entries in the main menu (``apps.core.registry``), under 系统."""

from django.utils.translation import gettext_lazy as _

from apps.core import roles
from apps.core.menu import holds_role
from apps.core.registry import MenuEntry

ENTRIES = [
    MenuEntry(_("Accounts"), "nav-accounts", "system", 10, holds_role(roles.SYSADMIN),
              url_name="accounts:account_list"),
    MenuEntry(_("Roles"), "nav-roles", "system", 20, holds_role(roles.SECADMIN), url_name="accounts:role_list"),
    MenuEntry(_("Two-factor devices"), "nav-otp-devices", "system", 30, holds_role(roles.SECADMIN),
              url_name="accounts:otp_device_list"),
    MenuEntry(_("Login locks"), "nav-lockouts", "system", 40, holds_role(roles.SECADMIN),
              url_name="accounts:lockout_list"),
    MenuEntry(_("Security policy"), "nav-security-policy", "system", 50, holds_role(roles.SECADMIN),
              url_name="accounts:security_policy"),
    MenuEntry(_("Audit log"), "nav-audit", "system", 60, holds_role(roles.AUDITOR), url_name="accounts:audit_list"),
]
