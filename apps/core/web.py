"""Small helpers every app's views share."""

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator


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
