"""Small helpers every app's views share."""

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def add_service_errors(form, exc: ValidationError) -> None:
    """A service's errors on the form's fields where it has them, else above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


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
