from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.services import client_ip


class LoginForm(AuthenticationForm):
    """The standard login form, refusing a username locked at this address, or a locked address, before checking
    the password."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"

    def clean(self):
        from apps.accounts.services import lockout_active

        username = self.cleaned_data.get("username")
        if username:
            lock = lockout_active(username=username, ip_address=client_ip(self.request))
            if lock is not None and lock.is_address_lock:
                raise ValidationError(
                    _("Too many failed logins from this computer: logging in from it is locked until %(time)s, "
                      "whatever the account. Try again later or ask the security administrator to lift the lock.")
                    % {"time": f"{timezone.localtime(lock.locked_until):%H:%M}"}, code="address_locked")
            if lock is not None:
                raise ValidationError(
                    _("Too many failed logins: this account is locked on this computer until %(time)s. Try again "
                      "later or ask the security administrator to lift the lock.")
                    % {"time": f"{timezone.localtime(lock.locked_until):%H:%M}"}, code="locked")
        return super().clean()
