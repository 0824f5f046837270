"""Session lifetime and password age, enforced on every request.

- A session ends after ``SESSION_IDLE_SECONDS`` without a request (a true idle timeout: the last request's
  time is kept in the session) and ``SESSION_COOKIE_AGE`` after login however active it is.
- A user whose password was set by an administrator (``must_change_password``) or is older than
  ``PASSWORD_MAX_AGE_DAYS`` can open nothing but the password change page and logout until they change it.
"""

import datetime
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

LOGIN_AT = "_login_at"
SEEN_AT = "_seen_at"
# The last request's time is written at most this often (a session write per request is not needed for a
# 30-minute idle limit).
SEEN_RESOLUTION = 30


def session_started(request) -> None:
    """Stamp a new session at login (it is being saved then anyway)."""
    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_AT] = request.session[SEEN_AT] = time.time()


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            session = request.session
            login_at = session.get(LOGIN_AT)
            seen_at = session.get(SEEN_AT)
            if login_at is None:  # a session from before these stamps existed
                session[LOGIN_AT] = session[SEEN_AT] = now
            elif now - seen_at > settings.SESSION_IDLE_SECONDS or now - login_at > settings.SESSION_COOKIE_AGE:
                self.expire(request, idle=now - seen_at > settings.SESSION_IDLE_SECONDS)
                return redirect(f"{reverse(settings.LOGIN_URL)}?next={request.get_full_path()}")
            elif now - seen_at >= SEEN_RESOLUTION:
                session[SEEN_AT] = now
        return self.get_response(request)

    @staticmethod
    def expire(request, *, idle: bool):
        from apps.core.models import AuditEvent
        from apps.core.services import audit_event

        user = request.user
        audit_event(request=request, user=user, action=AuditEvent.Action.SESSION_EXPIRED,
                    detail="idle" if idle else "maximum age")
        logout(request)
        messages.info(request, _("You were signed out after 30 minutes without activity. Please log in again.")
                      if idle else _("Your session reached its maximum length. Please log in again."))


def password_expired(user) -> bool:
    if user.must_change_password:
        return True
    if not settings.PASSWORD_MAX_AGE_DAYS:
        return False
    changed = user.password_changed_at or user.date_joined
    return timezone.now() - changed > datetime.timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)


class PasswordChangeRequiredMiddleware:
    ALLOWED = ("accounts:password_change", "accounts:password_change_done", "accounts:logout", "set_language")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and password_expired(user):
            allowed = {reverse(name) for name in self.ALLOWED}
            if request.path not in allowed and not request.path.startswith(settings.STATIC_URL):
                messages.warning(request, _("Please set a new password before you go on.")
                                 if user.must_change_password else
                                 _("Your password is more than %(days)d days old. Please set a new one.")
                                 % {"days": settings.PASSWORD_MAX_AGE_DAYS})
                return redirect("accounts:password_change")
        return self.get_response(request)


class UserLanguageMiddleware:
    """The interface language: Chinese, whatever the browser's Accept-Language says (this is a Chinese government
    system); English only by choice — a signed-in user's ``User.language``, or, before login, the switch on the
    login page (the language cookie). Replaces Django's LocaleMiddleware; sits after AuthenticationMiddleware.
    A signed-in user's choice is also written to the cookie, so the login page after logout keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = dict(settings.LANGUAGES)

    def _chosen(self, request) -> str:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user.language if user.language in self.available else settings.LANGUAGE_CODE
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        return cookie if cookie in self.available else settings.LANGUAGE_CODE

    def __call__(self, request):
        language = self._chosen(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated
                and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language):
            set_language_cookie(response, language)
        translation.deactivate()
        return response


def set_language_cookie(response, language: str) -> None:
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
                        path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
                        secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                        samesite=settings.LANGUAGE_COOKIE_SAMESITE)
