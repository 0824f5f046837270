"""Time-based one-time passwords (动态口令, RFC 6238) as the second factor at login.

- Who needs one: every administrator (sysadmin, secadmin, auditor); anyone else who turned it on.
- Codes: 6 digits, 30-second steps, one step either way for clock drift; a step once accepted is refused
  after that (no replay). The shared secret is encrypted with ``OTP_ENCRYPTION_KEYS`` and shown only while
  enrolling.
- The pending login: once the password is right, the session holds the user's id and the time (``PENDING``)
  but nobody is logged in. A right code within ``OTP_PENDING_SECONDS`` completes ``login()``;
  ``OTP_MAX_FAILURES`` wrong codes cancel the attempt and count one failed login towards the lockout.
  An administrator without an authenticator enrols inside that pending state.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from dataclasses import dataclass

import pyotp
import segno
from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _

from apps.accounts.models import TOTPDevice, User
from apps.core import roles
from apps.core.models import AuditEvent
from apps.core.services import audit_event, client_ip
from apps.core.web import local_url

DIGITS = 6
INTERVAL = 30
VALID_WINDOW = 1  # steps accepted either side of now

PENDING = "_otp_pending"  # session key: the login waiting for its code
ENROL = "_otp_enrol"  # session key: the secret being enrolled (encrypted), with its user's id

# The audit actions; AuditEvent.Action gains these members (the getattr keeps this module working before).
ACTION_FAILED = getattr(AuditEvent.Action, "OTP_FAILED", "otp_failed")
ACTION_ENABLED = getattr(AuditEvent.Action, "OTP_ENABLED", "otp_enabled")
ACTION_DISABLED = getattr(AuditEvent.Action, "OTP_DISABLED", "otp_disabled")


# --- the secret -----------------------------------------------------------------------------------------------

def _fernet() -> MultiFernet:
    """The first key encrypts; all of them decrypt (key rotation)."""
    return MultiFernet([Fernet(base64.urlsafe_b64encode(hashlib.sha256(key.encode()).digest()))
                        for key in settings.OTP_ENCRYPTION_KEYS])


def _encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def _decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


def _totp(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL)


def _matching_step(secret: str, code: str) -> int | None:
    """The time step (now, or one either side) whose code is ``code``."""
    now_step = int(time.time()) // INTERVAL
    totp = _totp(secret)
    found = None
    for step in range(now_step - VALID_WINDOW, now_step + VALID_WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            found = step
    return found


def _wrong_code() -> ValidationError:
    return ValidationError(_("The code is not right. Check the time on your phone and type the code shown now."),
                           code="wrong")


# --- reads ----------------------------------------------------------------------------------------------------

def required_for(user: User) -> bool:
    """Whether the user's role makes the second factor compulsory."""
    return user.has_role(*roles.ADMIN_ROLES)


def device_for(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user).first()


def second_factor_needed(user: User) -> bool:
    return required_for(user) or TOTPDevice.objects.filter(user=user).exists()


def secret_grouped(secret: str) -> str:
    """The secret in groups of four, for typing it by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def provisioning_uri(*, user: User, secret: str) -> str:
    return _totp(secret).provisioning_uri(name=user.get_username(), issuer_name=settings.OTP_ISSUER)


def qr_svg(uri: str) -> str:
    """The enrolment QR code as inline SVG (no external resource, nothing for a Content-Security-Policy to block)."""
    return segno.make(uri, error="m").svg_inline(scale=4, dark="#000", light="#fff", svgclass="otp-qr",
                                                 title=_("QR code for the authenticator app"))


# --- writes ---------------------------------------------------------------------------------------------------

def enrolment_secret(request, *, user: User) -> str:
    """The secret being enrolled for ``user`` in this session; a new one if there is none yet."""
    state = request.session.get(ENROL)
    if state and state.get("user") == user.pk:
        return _decrypt(state["secret"])
    secret = pyotp.random_base32()
    request.session[ENROL] = {"user": user.pk, "secret": _encrypt(secret)}
    return secret


@transaction.atomic
def device_enrol(*, user: User, secret: str, code: str, request=None) -> TOTPDevice:
    """Turn the second factor on with the secret shown at enrolment, once a code from it is right (audited)."""
    step = _matching_step(secret, code)
    if step is None:
        raise _wrong_code()
    try:
        with transaction.atomic():
            device = TOTPDevice.objects.create(user=user, secret_encrypted=_encrypt(secret), last_step=step)
    except IntegrityError:
        raise ValidationError(_("Two-factor authentication is already on for this account."), code="exists")
    if request is not None:
        request.session.pop(ENROL, None)
    audit_event(request=request, user=user, action=ACTION_ENABLED, obj=device)
    return device


@transaction.atomic
def code_verify(*, device: TOTPDevice, code: str) -> None:
    """Accept a code from the device once: a wrong code, or one whose time step was used before, is refused."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    step = _matching_step(_decrypt(device.secret_encrypted), code)
    if step is None:
        raise _wrong_code()
    if device.last_step is not None and step <= device.last_step:
        raise ValidationError(_("This code was used already. Wait for the next code and type it."), code="replayed")
    device.last_step = step
    device.secret_encrypted = _fernet().rotate(device.secret_encrypted.encode()).decode()
    device.save(update_fields=["last_step", "secret_encrypted"])


def device_disable(*, user: User, code: str, request=None) -> None:
    """A user turns their own second factor off with a valid code; administrators cannot (audited, including a
    wrong code, so not in one transaction: the failure's entry must stay)."""
    if required_for(user):
        raise ValidationError(_("Two-factor authentication is required for administrators and cannot be turned "
                                "off."), code="required")
    device = TOTPDevice.objects.filter(user=user).first()
    if device is None:
        return
    try:
        code_verify(device=device, code=code)
    except ValidationError as error:
        audit_event(request=request, user=user, action=ACTION_FAILED, success=False, detail=f"disable: {error.code}")
        raise
    with transaction.atomic():
        device.delete()
        audit_event(request=request, user=user, action=ACTION_DISABLED, obj=user)


@transaction.atomic
def device_reset(*, device: TOTPDevice, user: User, request=None) -> None:
    """A security administrator removes someone's authenticator (a lost phone); they enrol again (audited)."""
    target = device.user
    device.delete()
    audit_event(request=request, user=user, action=ACTION_DISABLED, obj=target,
                detail=f"reset for {target.get_username()} by the security administrator")


# --- the pending login ----------------------------------------------------------------------------------------

@dataclass
class Pending:
    user: User
    failures: int


def pending_start(request, *, user: User, next_url: str = "") -> None:
    """The password was right: remember who is logging in (not logged in yet) and where they were going."""
    request.session.cycle_key()
    request.session.pop(ENROL, None)
    request.session[PENDING] = {"user": user.pk, "at": time.time(), "failures": 0, "next": next_url or "",
                                "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[0])}


def pending_load(request) -> tuple[Pending | None, bool]:
    """The login waiting for its code in this session, and whether one was there but lapsed or was refused.

    A pending login lapses after ``OTP_PENDING_SECONDS``; it is dropped if the account is gone or inactive, or
    if its username is locked at this address meanwhile (other pending attempts ran out of codes).
    """
    from apps.accounts.services import lockout_active

    state = request.session.get(PENDING)
    if not state:
        return None, False
    user = User.objects.filter(pk=state["user"], is_active=True).first()
    if (time.time() - state["at"] > settings.OTP_PENDING_SECONDS or user is None
            or lockout_active(username=user.get_username(), ip_address=client_ip(request)) is not None):
        pending_cancel(request)
        return None, True
    return Pending(user=user, failures=state["failures"]), False


def pending_cancel(request) -> None:
    request.session.pop(PENDING, None)
    request.session.pop(ENROL, None)


def pending_failure(request, *, pending: Pending, error: ValidationError) -> bool:
    """Record a wrong code for the pending login (audited); the last allowed one cancels the attempt and counts
    a failed login for the username at this address. Returns whether the attempt was cancelled."""
    from apps.accounts.services import login_failure_record

    failures = pending.failures + 1
    cancelled = failures >= settings.OTP_MAX_FAILURES
    audit_event(request=request, user=pending.user, action=ACTION_FAILED, success=False,
                detail=f"login: {error.code}, attempt {failures}" + ("; login cancelled" if cancelled else ""))
    if cancelled:
        pending_cancel(request)
        login_failure_record(username=pending.user.get_username(), ip_address=client_ip(request), request=request)
    else:
        state = request.session[PENDING]
        state["failures"] = failures
        request.session[PENDING] = state
    pending.failures = failures
    return cancelled


def pending_complete(request, *, pending: Pending) -> str:
    """The code was right: log the user in (a new session id, ``user_logged_in``) and say where to go next."""
    state = request.session.pop(PENDING)
    request.session.pop(ENROL, None)
    login(request, pending.user, backend=state["backend"])
    return local_url(request, state.get("next")) or resolve_url(settings.LOGIN_REDIRECT_URL)

