"""Small helpers every app's views share."""

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def add_service_errors(form, exc: ValidationError) -> None:
    """A service's errors on the form's fields where it has them, else above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def submit_form(request, form, act: Callable[[dict], Any], *, message: str | Callable[[Any], str],
                done: Callable[[Any], HttpResponse]) -> HttpResponse | None:
    """The form → service → message → redirect sequence of a view that posts one form.

    On a POST whose ``form`` is valid, ``act(form.cleaned_data)`` calls the service. If the service refuses
    (``ValidationError``), its errors go onto the form (:func:`add_service_errors`) and None is returned; so
    it is on a GET and for an invalid form: the view renders the form. Otherwise the success ``message`` (a
    string, or a function of what the service returned) is added and ``done(result)`` is returned, usually a
    redirect. Use: ``if response := submit_form(...): return response``.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = act(form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    messages.success(request, message(result) if callable(message) else message)
    return done(result)


def page_with_query(request, qs, per_page: int) -> tuple[Page, str]:
    """The requested page of ``qs`` and the request's query string without ``page`` (for the page links)."""
    page = Paginator(qs, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def local_url(request, target: str | None) -> str | None:
    """``target`` if it is a path on this site (``/...``, as a ``next`` field or parameter carries it), else None:
    never another site, never a string Django would try to read as a route name."""
    if (target and target.startswith("/")
            and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                require_https=request.is_secure())):
        return target
    return None


def local_redirect(request, target: str | None, fallback: str, *args):
    """Redirect to ``target`` if it is a path on this site (see :func:`local_url`), else to the route
    ``fallback`` with ``args``."""
    url = local_url(request, target)
    return HttpResponseRedirect(url) if url else redirect(fallback, *args)


def attachment_disposition(filename: str) -> str:
    """A Content-Disposition value for a download named ``filename``: a plain ``filename`` when it is ASCII, else
    an ASCII fallback and the real name as RFC 5987 ``filename*`` (UTF-8, percent-encoded)."""
    filename = filename.replace("\r", "").replace("\n", "")
    try:
        filename.encode("ascii")
    except UnicodeEncodeError:
        fallback = filename.encode("ascii", "replace").decode("ascii").replace("?", "_")
        fallback = fallback.replace("\\", "_").replace('"', "_")
        return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
    escaped = filename.replace("\\", "\\\\").replace('"', '\\"')
    return f'attachment; filename="{escaped}"'


def download_response(content, *, filename: str, content_type: str) -> HttpResponse:
    """An HttpResponse that downloads ``content`` as ``filename``; never cached by the browser or a proxy."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = attachment_disposition(filename)
    response["Cache-Control"] = "no-store"
    return response


def file_download(handle, *, filename: str, content_type: str) -> FileResponse:
    """A stored file streamed as a download named ``filename`` (see :func:`attachment_disposition`); the browser
    must not guess another type."""
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = attachment_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
