"""Error pages that say nothing about the system: no stack, no object, no reason. A server error carries a short
id, logged with the exception, that a user can quote to the administrators."""

import logging
import secrets
import sys

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger("deputies_platform.errors")


def new_error_id() -> str:
    return secrets.token_hex(4)  # 8 hex characters: short enough to read out on the phone


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """handler500: called inside Django's ``except`` block, so the exception is in ``sys.exc_info()``."""
    error_id = new_error_id()
    # Method and path only: no query string, no form data, no user (they may carry personal data).
    logger.error("Server error %s on %s %s", error_id, request.method, request.path, exc_info=sys.exc_info())
    try:
        body = loader.get_template(template_name).render({"error_id": error_id})
    except Exception:  # noqa: BLE001 - the error page itself must never fail
        logger.exception("Server error %s: the error page could not be rendered", error_id)
        body = f"500 · {error_id}"
        return HttpResponseServerError(body, content_type="text/plain; charset=utf-8")
    return HttpResponseServerError(body)


@requires_csrf_token
def permission_denied(request, exception=None, template_name="403.html"):
    """handler403: the same page for every refusal; the exception's message is never shown."""
    return render(request, template_name, status=403)


@requires_csrf_token
def page_not_found(request, exception=None, template_name="404.html"):
    """handler404: the same page for a wrong address and for a record outside the user's scope."""
    return render(request, template_name, status=404)


def csrf_failure(request, reason="", template_name="403.html"):
    """CSRF_FAILURE_VIEW: the generic 403 page instead of Django's page explaining the reason (Django already logs
    the reason on the ``django.security.csrf`` logger)."""
    return render(request, template_name, status=403)
