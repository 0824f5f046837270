"""What the role × URL permission tables of every app share: a client signed in as a role (a fixture's user, or
nobody), the outcome each cell of a table expects (the login page, or a status), and ``Matrix``, the declared
table that generates an app's permission tests."""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse

LOGIN = "login"  # the expected outcome of an anonymous visit: a redirect to the login page


def client_as(request, role: str) -> Client:
    """A client signed in as the user of fixture ``role`` (``"anonymous"``: signed in as nobody)."""
    client = Client()
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    return client


def assert_outcome(response, expected) -> None:
    """``expected``: ``LOGIN`` (a redirect to the login page that comes back here) or a status code. A page
    shown (200, HTML) must show no template syntax."""
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login") + "?next=")
    else:
        assert response.status_code == expected
        assert_no_template_syntax(response)


TEMPLATE_SYNTAX = ("{#", "{%", "{{")


def assert_no_template_syntax(response, url: str = "") -> None:
    """A rendered HTML page carries no ``{#``, ``{%`` or ``{{``: a comment over two lines, a tag left in a
    string, a variable in a ``{% verbatim %}``-less JavaScript template all show as text to the reader."""
    if response.status_code != 200 or not response.headers.get("Content-Type", "").startswith("text/html"):
        return
    body = response.content.decode(errors="replace")
    for marker in TEMPLATE_SYNTAX:
        at = body.find(marker)
        assert at == -1, f"{url or 'page'} shows {marker!r}: …{body[max(0, at - 80):at + 120]}…"


def assert_outcome_or_redirect(response, expected) -> None:
    """As :func:`assert_outcome`, where an allowed request (200) may also answer with a redirect (a form that
    saves and moves on)."""
    if expected == 200:
        assert response.status_code in (200, 302)
    else:
        assert_outcome(response, expected)


# --- the declarative matrix ------------------------------------------------------------------------------------
#
# A permission module declares its URL table, its roles, its records (a fixture) and its expectation rule in a
# ``Matrix``; the matrix generates the tests (every URL is in the table; a GET, and a POST that writes nothing
# unless it may, by every role). One test checks every URL of the table by every role for a method: the users
# and the records are built once for it, and each (URL, role) request — a cell — runs in its own savepoint,
# rolled back afterwards, with an empty cache and a fresh client, so that one cell's write is never seen by the
# next. The failing cells of a test are reported together, each with its URL, role, method, expected and actual
# outcome.

ANONYMOUS = "anonymous"


class _RecordingClient(Client):
    """A client that keeps its last response, so that a failing cell can say what it got."""

    last_response = None

    def request(self, **request):
        self.last_response = super().request(**request)
        return self.last_response


def sign_in(client: Client, user) -> None:
    """The session ``client.force_login(user)`` leaves, without what a login does besides (the audit entry, the
    last-login time and its history row, the lockout bookkeeping: 17 queries, 3 here). For the matrices, which
    sign a fresh client in for each of their ~5,500 cells; a login itself is tested in tests/accounts and
    tests/security (``sign_in_matches_force_login`` checks the two sessions are the same)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from apps.accounts.middleware import LOGIN_AT, SEEN_AT

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[LOGIN_AT] = session[SEEN_AT] = time.time()
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key


def _got(client) -> str:
    response = client.last_response
    if response is None:
        return "no response"
    if response.status_code in (301, 302, 303, 307, 308):
        return f"{response.status_code} → {response.get('Location', '')}"
    return str(response.status_code)


def each_role(request, roles, *, cell, expected, method: str, url: str, label: str = "") -> None:
    """Run ``cell(client, role, expected)`` for each role: the users are looked up before the first cell (a
    role's fixture writes its user once, outside the savepoints); each cell runs in a savepoint rolled back
    afterwards, on an empty cache, with a fresh client signed in as the role. Every failing cell is reported,
    not only the first."""
    failures = role_failures(request, roles, cell=cell, expected=expected, method=method, url=url, label=label)
    if failures:
        pytest.fail(f"{len(failures)} of {len(roles)} cells failed:\n" + "\n".join(failures), pytrace=False)


def role_failures(request, roles, *, cell, expected, method: str, url: str, label: str = "") -> list[str]:
    """As :func:`each_role`, returning the failing cells' reports instead of failing."""
    users = {role: request.getfixturevalue(role) for role in roles if role != ANONYMOUS}
    failures = []
    for role in roles:
        want = expected(role)
        cache.clear()  # data versions live in the cache, and the rollback does not reach it
        client = _RecordingClient()
        with transaction.atomic():
            try:
                if role != ANONYMOUS:
                    sign_in(client, users[role])
                cell(client, role, want)
            except Exception as error:  # noqa: BLE001 (every failing cell is reported together below)
                failures.append(f"{method.upper()} {url}{f' ({label})' if label else ''} as {role}: expected "
                                f"{want}, got {_got(client)}: {type(error).__name__}: {error}".rstrip(": "))
            finally:
                transaction.set_rollback(True)
    cache.clear()
    return failures


def standard_rule(urls, *, post_only=(), get_only=(), out_of_scope=(), scoped=None):
    """The rule most tables follow, for ``urls`` of url name → (argument kinds, roles that open it): the login
    page for the anonymous; 405 for the wrong method; 403 for a role that may not open the page; 404 for a role
    in ``out_of_scope`` on a URL that names a record (of a kind in ``scoped``, where given); else 200."""

    def expected(url_name: str, role: str, method: str):
        kinds, who = urls[url_name]
        if role == ANONYMOUS:
            return LOGIN
        if method == "get" and url_name in post_only or method == "post" and url_name in get_only:
            return 405
        if role not in who:
            return 403
        if role in out_of_scope and (set(scoped).intersection(kinds) if scoped is not None else kinds):
            return 404
        return 200

    return expected


def _exactly(response, expected) -> None:
    """As :func:`assert_outcome`: the expected outcome, nothing else."""
    assert_outcome(response, expected)


def _nothing_written(state, before, url_name, role, expected) -> None:
    assert state == before, "the post wrote"


@dataclass
class Matrix:
    """A role × URL permission table.

    ``urls``: url name → its row (by default: (argument kinds, roles that open it), the kinds naming entries of
    the records); ``expected(url_name, role, method)``: ``LOGIN`` or a status; ``records``: the fixture whose
    value (a dict) the URLs are built from; ``url(url_name, records)``: the URL (by default the named route of
    ``namespace`` with the pks of the row's records as arguments); ``urlconf``: the module whose ``urlpatterns``
    the table must name exactly; ``get_outcome``/``post_outcome(response, expected)``: the check of one cell;
    ``state(records)``: what a POST must not change, and ``post_check(state, before, url_name, role,
    expected)`` to judge it (by default: nothing changed)."""

    namespace: str
    urls: Mapping
    roles: Sequence[str]
    expected: Callable
    records: str | None = "records"
    url: Callable | None = None
    urlconf: str | None = None
    get_outcome: Callable = _exactly
    post_outcome: Callable = _exactly
    state: Callable | None = None
    post_check: Callable = _nothing_written

    def url_for(self, url_name: str, records) -> str:
        if self.url is not None:
            return self.url(url_name, records)
        kinds = self.urls[url_name][0]
        return reverse(f"{self.namespace}:{url_name}", args=[records[kind].pk for kind in kinds])

    def check_roles(self, request, url_name: str, method: str, cell, *, roles=None, records=None) -> None:
        """Every role (or ``roles``) on one URL: ``cell(client, url, role, expected)`` in its own savepoint."""
        self.check_urls(request, [url_name], method, cell, roles=roles, records=records)

    def check_urls(self, request, url_names, method: str, cell, *, roles=None, records=None) -> None:
        """Every role (or ``roles``) on each of ``url_names``, one cell after another on the same users and
        records; every failing cell of every URL is reported together."""
        if records is None and self.records:
            records = request.getfixturevalue(self.records)
        roles = list(roles or self.roles)
        failures = []
        for url_name in url_names:
            url = self.url_for(url_name, records)
            failures += role_failures(request, roles, method=method, url=url, label=url_name,
                                      expected=lambda role, url_name=url_name: self.expected(url_name, role, method),
                                      cell=lambda client, role, want, url=url: cell(client, url, role, want))
        if failures:
            cells = len(roles) * len(url_names)
            pytest.fail(f"{len(failures)} of {cells} cells failed:\n" + "\n".join(failures), pytrace=False)

    def every_url_test(self):
        """A test that the table names exactly the URLs of its urlconf."""

        def test(request):
            patterns = importlib.import_module(self.urlconf).urlpatterns
            assert {p.name for p in patterns} == set(self.urls)

        return test

    def get_test(self, url_names=None):
        """One test: a GET of every URL (or ``url_names``) by every role, on records built once."""
        names = list(url_names or self.urls)

        @pytest.mark.django_db
        def test(request):
            self.check_urls(request, names, "get",
                            lambda client, url, role, want: self.get_outcome(client.get(url), want))

        return test

    def post_test(self, url_names=None):
        """One test: an empty POST to every URL (or ``url_names``) by every role, on records built once; a POST
        writes nothing unless ``post_check`` allows."""
        names = list(url_names or self.urls)

        @pytest.mark.django_db
        def test(request):
            records = request.getfixturevalue(self.records) if self.records else None
            failures = []
            for url_name in names:
                def cell(client, url, role, want, url_name=url_name):
                    before = self.state(records) if self.state else None
                    self.post_outcome(client.post(url, {}), want)
                    if self.state:
                        self.post_check(self.state(records), before, url_name, role, want)

                try:
                    self.check_roles(request, url_name, "post", cell, records=records)
                except pytest.fail.Exception as failed:
                    failures.append(str(failed))
            if failures:
                pytest.fail("\n".join(failures), pytrace=False)

        return test
