"""The role × URL matrix over every route of the project.

Each app's permission module checks its own URLs for every role (the page, 403 for a role that may not open it,
404 outside the user's scope). Here: (1) every routed URL is in one of those matrices — a new URL without a row
fails; (2) the core and account URLs, which belong to no app matrix, for every role; (3) two sweeps over every
route (each route in a savepoint of its own, all failing routes reported together) with arguments that name no
record: anonymous users are sent to the login page (or refused) everywhere
but the public pages, and a signed-in user with no role and no jurisdiction gets 403, 404 or 405 everywhere but
their own pages — so a view that forgot its access check shows up whatever app it is in.
"""

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse

from apps.core.models import AuditEvent, Notification
from tests.security.matrix_support import each_role
from tests.security.url_matrix import covered, routed, uncovered

NO_RECORD = "any role: 404, the example names no record"
# url name → who may open it: "public", "everyone" (any signed-in user), "any role" (a user holding a role), or a role
CORE_URLS = {
    "home": "everyone",
    "healthz": "public",
    "search": "any role",
    "search_suggest": "any role",
    "notification_list": "everyone",
    "notification_open": "everyone",  # only the user's own notifications (404 otherwise)
    "notification_read_all": "everyone",
    # Paper that lands in the record (apps/core/paper.py): the box to type a form's code, and what its QR code opens
    # (a code naming no record, as here, is a 404 for every role; tests/core/test_paper.py opens real ones).
    "paper_enter": "any role",
    "paper_open": NO_RECORD,
}
ACCOUNT_URLS = {
    "login": "public",
    "logout": "everyone",
    "password_change": "everyone",
    "password_change_done": "everyone",
    "lockout_list": "secadmin",
    "lockout_lift": "secadmin",
}
ROOT_URLS = {"set_language": "public"}

PUBLIC = {"accounts:login", "core:healthz", "set_language",
          # the public portal of replies and its open data (apps.opendata): no login
          "opendata:index", "opendata:reply_detail", "opendata:statistics", "opendata:data", "opendata:year_csv",
          "opendata:year_json", "opendata:feed",
          "intake:submit", "intake:lookup"}  # a code's page for voters (an unknown token: 404) and the lookup
# What a public page may also answer here: the voters' pages refuse an empty form (400); a token naming no code, or
# a reply or year the portal does not publish (the sample arguments name none): 404.
PUBLIC_REFUSALS = {"intake:submit": (400, 404), "intake:lookup": (400,), "opendata:reply_detail": (404,),
                   "opendata:statistics": (404,), "opendata:year_csv": (404,), "opendata:year_json": (404,)}
# A signed-in user's own pages, open whatever their role.
OWN = {"core:home", "core:notification_list", "core:notification_open", "core:notification_read_all",
       "accounts:logout", "accounts:password_change", "accounts:password_change_done",
       "accounts:otp_verify"}  # the second step of a login: without one pending, back to the login page
ROLES = ["staff_user", "county_staff_user", "supervisor_user", "member_user", "leader_user", "council_member_user",
         "deputy_user", "unit_user", "sysadmin_user", "secadmin_user", "auditor_user", "outsider"]


def test_every_routed_url_is_in_a_permission_matrix():
    assert uncovered() == [], "add these URLs to their app's permission matrix (and tests/security/url_matrix.py)"


def test_the_matrices_name_no_url_that_is_not_routed():
    assert covered() - set(routed()) == set()


def _url(route):
    return reverse(route.name, kwargs=route.example_kwargs())


def _sweep(check) -> None:
    """``check(name, route)`` for every routed URL, each in its own savepoint rolled back afterwards and on an empty
    cache (what one route's request writes is never seen by the next); every failing route is reported."""
    failures = []
    for name, route in sorted(routed().items()):
        cache.clear()
        with transaction.atomic():
            try:
                check(name, route)
            except Exception as error:  # noqa: BLE001 (every failing route is reported together below)
                failures.append(f"{name}: {type(error).__name__}: {error}")
            finally:
                transaction.set_rollback(True)
    cache.clear()
    if failures:
        pytest.fail(f"{len(failures)} of {len(routed())} routes failed:\n" + "\n".join(failures), pytrace=False)


def test_anonymous_users_are_sent_to_the_login_page(db):
    def check(name, route):
        client = Client()
        for method in ("get", "post"):
            response = getattr(client, method)(_url(route))
            if name in PUBLIC:
                assert response.status_code in (200, 302, 405) + PUBLIC_REFUSALS.get(name, ()), (
                    method, response.status_code)
            else:
                assert response.status_code == 302, (method, response.status_code)
                assert response["Location"].startswith(reverse("accounts:login")), (method, response["Location"])

    _sweep(check)


def test_a_user_without_role_or_jurisdiction_is_refused_everywhere_but_their_own_pages(client_for, outsider):
    quiet = [AuditEvent.Action.LOGIN, AuditEvent.Action.LOGOUT]

    def check(name, route):
        client = client_for(outsider)
        before = AuditEvent.objects.exclude(action__in=quiet).count()
        for method in ("get", "post"):
            response = getattr(client, method)(_url(route))
            if name in PUBLIC or name in OWN:
                assert response.status_code in (200, 302, 404, 405) + PUBLIC_REFUSALS.get(name, ()), (
                    method, response.status_code)
            else:
                assert response.status_code in (403, 404, 405), (method, response.status_code)
            if response.status_code == 302 and name == "accounts:logout":
                client = client_for(outsider)
        # Nothing was done on the user's behalf (no export, no reveal, no change).
        assert AuditEvent.objects.exclude(action__in=quiet).count() == before

    _sweep(check)


@pytest.mark.parametrize(("name", "who"), [*(("core:" + n, w) for n, w in CORE_URLS.items()),
                                          *(("accounts:" + n, w) for n, w in ACCOUNT_URLS.items()),
                                          *ROOT_URLS.items()])
def test_core_and_account_urls_for_every_role(request, name, who):
    """Each role in turn (a cell of its own: a savepoint, an empty cache, a fresh client)."""

    def cell(client, role, who):
        user = request.getfixturevalue(role)
        route = routed()[name]
        kwargs = route.example_kwargs()
        if name == "core:notification_open":
            kwargs = {"pk": Notification.objects.create(recipient=user, title="t").pk}
        url = reverse(name, kwargs=kwargs)
        get, post = client.get(url), client.post(url)
        if who in ("public", "everyone"):
            assert get.status_code in (200, 302, 405)
            assert post.status_code in (200, 302, 405)
        elif who == NO_RECORD and user.roles:
            assert get.status_code == 404
            assert post.status_code == 405
        elif user.has_role(who) or (who == "any role" and user.roles):
            assert get.status_code in (200, 405)
            assert post.status_code in (302, 404, 405)  # a lock that does not exist: 404
        else:  # refused (405 where the method is checked before the role)
            assert get.status_code in (403, 405)
            assert post.status_code in (403, 405)
            assert 403 in (get.status_code, post.status_code)

    each_role(request, ROLES, cell=cell, expected=lambda role: who, method="get+post", url=name)
