"""What the role × URL permission tables of every app share: a client signed in as a role (a fixture's user, or
nobody), and the outcome each cell of a table expects (the login page, or a status)."""

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
