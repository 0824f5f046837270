"""Account pages: the password change (which also ends a forced change), and the security administrator's list
of login locks."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from apps.accounts.models import LoginLockout
from apps.accounts.middleware import set_language_cookie
from apps.accounts.selectors_admin import locks_in_force
from apps.accounts.services import lockout_lift, user_language_set
from apps.core import roles
from apps.core.access import role_required
from apps.core.models import AuditEvent
from apps.core.services import audit_event


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form):
        form.user.must_change_password = False
        response = super().form_valid(form)
        audit_event(request=self.request, user=form.user, action=AuditEvent.Action.PASSWORD_CHANGED)
        return response


@require_safe
@role_required(roles.SECADMIN)
def lockout_list(request):
    """Locks in force and those of the last days (a security administrator's page)."""
    now = timezone.now()
    rows = locks_in_force(now)
    recent = (LoginLockout.objects.exclude(lifted_at=None).select_related("lifted_by")
              .order_by("-lifted_at")[:50])
    return render(request, "accounts/lockout_list.html", {
        "locks": rows, "recent": recent, "now": now, "address_failures": settings.LOGIN_ADDRESS_LOCKOUT_FAILURES,
        "address_minutes": settings.LOGIN_ADDRESS_LOCKOUT_MINUTES})


@require_POST
@role_required(roles.SECADMIN)
def lockout_lift_view(request, pk: int):
    lock = get_object_or_404(LoginLockout, pk=pk)
    subject = (_("address %(address)s") % {"address": lock.ip_address}) if lock.is_address_lock else lock.username
    if lock.is_locked():
        lockout_lift(lockout=lock, user=request.user, request=request)
        messages.success(request, _("The lock on %(username)s was lifted.") % {"username": subject})
    else:
        messages.info(request, _("%(username)s is not locked any more.") % {"username": subject})
    return redirect("accounts:lockout_list")


@login_not_required
@require_POST
def language_set(request):
    """The language switch (user menu; login page): a signed-in user's choice is kept on their account, an
    anonymous visitor's in the language cookie; back to ``next`` when it is a page of this site."""
    language = request.POST.get("language", "")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = reverse("core:home") if request.user.is_authenticated else reverse("accounts:login")
    response = redirect(target)
    if language not in dict(settings.LANGUAGES):
        messages.error(request, _("Choose one of the languages offered."))
        return response
    if request.user.is_authenticated:
        user_language_set(user=request.user, language=language, request=request)
    set_language_cookie(response, language)
    return response
