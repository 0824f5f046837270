"""Logins, logouts and failed logins go to the audit trail."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from apps.core.models import AuditEvent
from apps.core.services import audit_event


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit_event(request=request, user=user, action=AuditEvent.Action.LOGIN)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_event(request=request, user=user, action=AuditEvent.Action.LOGOUT)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    audit_event(request=request, action=AuditEvent.Action.LOGIN_FAILED, success=False,
                username=str(credentials.get("username", "")))
