"""Second-factor pages: the login's code step and enrolment, a user's own two-factor settings, and the security
administrator's list of authenticators with a reset for a lost phone."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from apps.accounts import otp
from apps.accounts.forms import LoginForm
from apps.accounts.forms_otp import CodeForm
from apps.accounts.models import TOTPDevice, User
from apps.core import roles
from apps.core.access import role_required


class LoginView(auth_views.LoginView):
    """The password step; a user who needs a second factor is not logged in yet but sent to the code step."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if not otp.second_factor_needed(user):
            return super().form_valid(form)
        otp.pending_start(self.request, user=user, next_url=self.get_redirect_url())
        return redirect("accounts:otp_verify" if otp.device_for(user) else "accounts:otp_setup")


def _back_to_login(request, lapsed: bool):
    if lapsed:
        messages.warning(request, _("The login was not completed in time. Please log in again."))
    return redirect("accounts:login")


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    """The code step of a login whose password was right."""
    pending, lapsed = otp.pending_load(request)
    if pending is None:
        return _back_to_login(request, lapsed)
    device = otp.device_for(pending.user)
    if device is None:
        return redirect("accounts:otp_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            otp.code_verify(device=device, code=form.cleaned_data["code"])
        except ValidationError as error:
            if otp.pending_failure(request, pending=pending, error=error):
                messages.error(request, _("Too many wrong codes. Please log in again."))
                return redirect("accounts:login")
            form.add_error("code", error)
        else:
            return redirect(otp.pending_complete(request, pending=pending))
    return render(request, "accounts/otp_verify.html", {"form": form, "pending": pending})


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def otp_setup(request):
    """Enrol an authenticator: inside a pending login (an administrator's first login), or for oneself."""
    if request.user.is_authenticated:
        if not request.user.roles:
            raise PermissionDenied
        pending, user = None, request.user
    else:
        pending, lapsed = otp.pending_load(request)
        if pending is None:
            return _back_to_login(request, lapsed)
        user = pending.user
    if otp.device_for(user) is not None:
        return redirect("accounts:otp_verify" if pending else "accounts:otp_manage")
    secret = otp.enrolment_secret(request, user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            otp.device_enrol(user=user, secret=secret, code=form.cleaned_data["code"], request=request)
        except ValidationError as error:
            if pending is not None and otp.pending_failure(request, pending=pending, error=error):
                messages.error(request, _("Too many wrong codes. Please log in again."))
                return redirect("accounts:login")
            form.add_error("code", error)
        else:
            messages.success(request, _("Two-factor authentication is on. From now on you will need a code from "
                                        "the app at each login."))
            if pending is not None:
                return redirect(otp.pending_complete(request, pending=pending))
            return redirect("accounts:otp_manage")
    uri = otp.provisioning_uri(user=user, secret=secret)
    return render(request, "accounts/otp_setup.html", {
        "form": form, "pending": pending, "qr_svg": otp.qr_svg(uri), "secret": otp.secret_grouped(secret),
        "required": otp.required_for(user)})


@never_cache
@require_safe
@role_required(*roles.ALL_ROLES)
def otp_manage(request):
    """One's own two-factor settings: on or off, and turning it off (not for administrators)."""
    return render(request, "accounts/otp_manage.html", {
        "device": otp.device_for(request.user), "required": otp.required_for(request.user), "form": CodeForm()})


@require_POST
@role_required(*roles.ALL_ROLES)
def otp_disable(request):
    """Turn one's own second factor off, with a code from the app (refused for administrators)."""
    form = CodeForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("code", [])))
        return redirect("accounts:otp_manage")
    try:
        otp.device_disable(user=request.user, code=form.cleaned_data["code"], request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Two-factor authentication is off."))
    return redirect("accounts:otp_manage")


@require_safe
@role_required(roles.SECADMIN)
def otp_device_list(request):
    """Who has an authenticator, and the administrators who have none yet (a security administrator's page)."""
    users = (User.objects.filter(Q(totp_device__isnull=False) | Q(groups__name__in=roles.ADMIN_ROLES))
             .select_related("totp_device").distinct().order_by("username"))
    return render(request, "accounts/otp_device_list.html", {"users": users})


@require_POST
@role_required(roles.SECADMIN)
def otp_reset(request, pk: int):
    """Remove a user's authenticator (a lost phone): an administrator enrols again at the next login."""
    device = get_object_or_404(TOTPDevice.objects.select_related("user"), user_id=pk)
    otp.device_reset(device=device, user=request.user, request=request)
    messages.success(request, _("The authenticator of %(user)s was removed.") % {"user": device.user})
    return redirect("accounts:otp_device_list")
