"""Logins, logouts and failed logins go to the audit trail; failed logins count towards a lockout."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from apps.core.models import AuditEvent
from apps.core.services import audit_event, client_ip


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    from apps.accounts.middleware import session_started
    from apps.accounts.services import login_success_record

    session_started(request)
    audit_event(request=request, user=user, action=AuditEvent.Action.LOGIN)
    login_success_record(username=user.get_username(), ip_address=client_ip(request))


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_event(request=request, user=user, action=AuditEvent.Action.LOGOUT)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    from apps.accounts.services import login_failure_record

    username = str(credentials.get("username", ""))
    audit_event(request=request, action=AuditEvent.Action.LOGIN_FAILED, success=False, username=username)
    if request is not None:
        login_failure_record(username=username, ip_address=client_ip(request), request=request)
