"""The workbench's cards for the three administrators (``apps.core.registry``): locked logins, active accounts
without two-factor login and failed actions in the audit log, each counted by the selector of the list it opens;
and the way into administration."""

import datetime
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts import selectors_admin
from apps.core import roles
from apps.core.registry import QUEUE_TEMPLATE, HomeCard, WorkItem, WorkQueue

# The auditor's alerts: failed actions of the last days (today included).
AUDIT_ALERT_DAYS = 7


def _without_two_factor(url_name: str) -> WorkItem:
    filters = {"active": "1", "two_factor": "off"}
    return WorkItem(f"accounts-no-2fa-{url_name.split(':')[1].replace('_', '-')}",
                    _("Active accounts without two-factor authentication"),
                    f"{reverse(url_name)}?{urlencode(filters)}", queryset=selectors_admin.accounts(**filters))


def admin_queue(user) -> WorkQueue | None:
    """What waits for a system, security or audit administrator (三员)."""
    if not user.has_role(*roles.ADMIN_ROLES):
        return None
    items = []
    if user.has_role(roles.SYSADMIN):
        items.append(_without_two_factor("accounts:account_list"))
    if user.has_role(roles.SECADMIN):
        items.append(WorkItem("accounts-locks", _("Login locks in force"), reverse("accounts:lockout_list"),
                              queryset=selectors_admin.locks_in_force(timezone.now())))
        if not user.has_role(roles.SYSADMIN):
            items.append(_without_two_factor("accounts:role_list"))
    if user.has_role(roles.AUDITOR):
        since = timezone.localdate() - datetime.timedelta(days=AUDIT_ALERT_DAYS - 1)
        filters = {"outcome": "failed", "date_from": since.isoformat()}
        items.append(WorkItem("accounts-audit-failed", _("Failed actions in the last 7 days"),
                              f"{reverse('accounts:audit_list')}?{urlencode(filters)}",
                              queryset=selectors_admin.audit_events(outcome="failed", date_from=since)))
    return WorkQueue("accounts-admin", _("Security to-dos"), tuple(items))


def administration(user):
    return True if user.has_role(*roles.ADMIN_ROLES) else None


CARDS = [
    HomeCard("admin_queue", 9, QUEUE_TEMPLATE, admin_queue),
    HomeCard("administration", 90, "accounts/fragment_home_administration.html", administration),
]
