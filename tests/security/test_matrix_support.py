"""The permission-matrix helper itself: each cell runs alone (its own savepoint, an empty cache, a fresh client
signed in as its role), and every failing cell is reported, with its URL, role, method, expected and actual
outcome."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from apps.core.models import Notification
from tests.security.matrix_support import LOGIN, each_role, standard_rule

ROLES = ["anonymous", "staff_user", "outsider"]


def test_each_cell_runs_alone(request, staff_user, outsider):
    """A write, a cached value or a session of one cell is not seen by the next; the cells see the users."""
    seen = []

    def cell(client, role, expected):
        seen.append((role, Notification.objects.count(), cache.get("matrix-probe"),
                     client.session.get("_auth_user_id")))
        Notification.objects.create(recipient=staff_user, title=f"written by {role}")
        cache.set("matrix-probe", role)
        client.get(reverse("core:healthz"))

    each_role(request, ROLES, cell=cell, expected=lambda role: 200, method="get", url="/x/")
    assert seen == [("anonymous", 0, None, None), ("staff_user", 0, None, str(staff_user.pk)),
                    ("outsider", 0, None, str(outsider.pk))]
    assert not Notification.objects.exists()
    assert cache.get("matrix-probe") is None


def test_every_failing_cell_is_reported_with_its_url_role_method_expected_and_outcome(request, staff_user,
                                                                                     outsider):
    url = reverse("core:healthz")

    def cell(client, role, expected):
        assert client.get(url).status_code == expected

    with pytest.raises(pytest.fail.Exception) as failed:
        each_role(request, ROLES, cell=cell, expected=lambda role: 200 if role == "staff_user" else 418,
                  method="get", url=url, label="core:healthz")
    message = str(failed.value)
    assert message.startswith("2 of 3 cells failed")
    assert f"GET {url} (core:healthz) as anonymous: expected 418, got 200: AssertionError" in message
    assert f"GET {url} (core:healthz) as outsider: expected 418, got 200: AssertionError" in message
    assert "as staff_user" not in message


def test_a_cell_that_raises_is_reported_and_the_others_still_run(request, staff_user, outsider):
    ran = []

    def cell(client, role, expected):
        ran.append(role)
        if role == "anonymous":
            raise RuntimeError("boom")

    with pytest.raises(pytest.fail.Exception) as failed:
        each_role(request, ROLES, cell=cell, expected=lambda role: 200, method="post", url="/x/")
    assert ran == ROLES
    assert "POST /x/ as anonymous: expected 200, got no response: RuntimeError: boom" in str(failed.value)


def test_the_standard_rule():
    urls = {"list": ((), {"staff_user"}), "detail": (("item",), {"staff_user", "county_staff_user"}),
            "delete": (("item",), {"staff_user", "county_staff_user"}), "free": (("date",), {"county_staff_user"})}
    rule = standard_rule(urls, post_only={"delete"}, get_only={"list", "detail"}, out_of_scope={"county_staff_user"},
                         scoped={"item"})
    assert rule("list", "anonymous", "get") == LOGIN
    assert rule("delete", "staff_user", "get") == 405
    assert rule("list", "staff_user", "post") == 405
    assert rule("list", "county_staff_user", "get") == 403
    assert rule("detail", "county_staff_user", "get") == 404
    assert rule("free", "county_staff_user", "get") == 200  # a date is nobody's scope
    assert rule("detail", "staff_user", "get") == 200
    assert standard_rule(urls, out_of_scope={"county_staff_user"})("free", "county_staff_user", "get") == 404


def test_a_matrix_checks_every_url_by_every_role_and_reports_the_failing_cells_of_all_urls(request, staff_user,
                                                                                             outsider):
    """The whole table is one test on one set of records: a failing cell of the first URL does not stop the
    second URL's cells, and the report names every failing cell of both."""
    from tests.security.matrix_support import Matrix

    urls = {"healthz": ((), {"staff_user", "outsider"}), "readyz": ((), {"staff_user"})}
    seen = []

    def url(url_name, records):
        return reverse("core:healthz") + f"?page={url_name}"

    def outcome(response, expected):
        seen.append(response.wsgi_request.GET["page"])
        assert expected == 200

    matrix = Matrix(namespace="core", urls=urls, roles=ROLES, records=None, url=url, get_outcome=outcome,
                    expected=lambda url_name, role, method: 200 if role in urls[url_name][1] else 403)
    with pytest.raises(pytest.fail.Exception) as failed:
        matrix.get_test()(request)
    message = str(failed.value)
    assert seen == ["healthz"] * 3 + ["readyz"] * 3
    assert message.startswith("3 of 6 cells failed")
    assert "(healthz) as anonymous: expected 403" in message
    assert "(readyz) as anonymous: expected 403" in message and "(readyz) as outsider: expected 403" in message


def test_sign_in_leaves_the_session_force_login_leaves(staff_user):
    """What the matrices' cells are signed in with: the same session keys and values as a real (forced) login,
    the same pages open, without the login's audit entry."""
    from django.test import Client

    from apps.core.models import AuditEvent
    from tests.security.matrix_support import sign_in

    forced, signed = Client(), Client()
    forced.force_login(staff_user)
    events = AuditEvent.objects.count()
    sign_in(signed, staff_user)
    assert AuditEvent.objects.count() == events
    assert set(signed.session.keys()) == set(forced.session.keys())
    for key in ("_auth_user_id", "_auth_user_backend", "_auth_user_hash"):
        assert signed.session[key] == forced.session[key], key
    assert signed.get(reverse("core:home")).status_code == forced.get(reverse("core:home")).status_code == 200
