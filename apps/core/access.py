"""Who may see what: the one family of access helpers every view uses.

An object outside the user's scope is a 404 (its existence is not leaked); a page the user's role does not
open at all is a 403.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from apps.core import roles


def role_required(*allowed_roles):
    """View decorator: the user must hold one of ``allowed_roles`` (login is enforced by middleware)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated or not request.user.roles.intersection(allowed_roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def permission_required(perm):
    """View decorator: the user must hold ``perm`` through a role (or be given it by an administrator)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def jurisdiction_scope(user, field: str = "jurisdiction") -> Q:
    """A filter for rows whose ``field`` jurisdiction is the user's own or below it; nothing if they have none."""
    jurisdiction = getattr(user, "jurisdiction", None)
    if jurisdiction is None:
        return Q(pk__in=[])
    return Q(**{f"{field}__path__startswith": jurisdiction.path})


def scope_queryset(qs: QuerySet, user, field: str = "jurisdiction") -> QuerySet:
    return qs.filter(jurisdiction_scope(user, field))


def _in_scope_with(user, allowed_roles, perm: str | None) -> bool:
    return bool(user.is_authenticated and getattr(user, "jurisdiction_id", None) is not None
                and user.roles.intersection(allowed_roles) and (perm is None or user.has_perm(perm)))


def is_office(user, perm: str | None = None) -> bool:
    """Whether the user is of the committee's office: staff or a supervisor (工作人员、督办) with a jurisdiction
    to scope their pages, holding ``perm`` when one is named (an app names the permission its pages need)."""
    return _in_scope_with(user, roles.OFFICE_ROLES, perm)


def sees_roster(user, perm: str | None = None) -> bool:
    """Whether the user works with the roster: a roster role (the office and committee members),
    ``deputies.view_person``, a jurisdiction to scope it, and ``perm`` when one is named.

    A second meaning kept on purpose: wider than :func:`is_office` (committee members are included) and
    narrower (``deputies.view_person`` is needed)."""
    return _in_scope_with(user, roles.ROSTER_ROLES, perm) and user.has_perm("deputies.view_person")


def _check_required(check, view, perm):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not check(request.user, perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator(view) if view is not None else decorator


def office_required(view=None, *, perm: str | None = None):
    """View decorator: 403 unless the user is of the office (:func:`is_office`) holding ``perm``.

    ``@office_required`` or ``@office_required(perm="app.view_model")``."""
    return _check_required(is_office, view, perm)


def roster_required(view=None, *, perm: str | None = None):
    """View decorator: 403 unless the user works with the roster (:func:`sees_roster`) and holds ``perm``."""
    return _check_required(sees_roster, view, perm)


def is_pk(value) -> bool:
    """Whether a posted value can be a primary key: digits that fit a bigint (a 4,000-digit "id" must be
    refused as input, not crash the query)."""
    text = str(value) if value is not None else ""
    return text.isdigit() and len(text) <= 18
