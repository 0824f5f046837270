"""No page shows template syntax to its reader: Django's ``{# #}`` comment ends at the line's end, so a comment
written over two lines is printed as text (the supervision board once showed "{# The whole page body is
cached …"). Two checks: every template's source, and every routed page without arguments as each role of the
role × URL matrix sees it (the app matrices check their pages with arguments through
``tests.security.matrix_support.assert_outcome``)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.security.matrix_support import assert_no_template_syntax
from tests.security.test_url_matrix import ROLES
from tests.security.url_matrix import routed

ROOT = Path(settings.BASE_DIR)
TEMPLATE_DIRS = [ROOT / "templates", *sorted((ROOT / "apps").glob("*/templates"))]
# A one-line comment, then whatever is left of a ``{#`` that does not close on its line.
ONE_LINE_COMMENT = re.compile(r"\{#.*?#\}")


def _templates():
    for directory in TEMPLATE_DIRS:
        yield from sorted(p for p in directory.rglob("*") if p.suffix in {".html", ".txt", ".xml"})


def test_every_template_comment_opens_and_closes_on_one_line():
    unclosed = []
    for path in _templates():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if "{#" in ONE_LINE_COMMENT.sub("", line):
                unclosed.append(f"{path.relative_to(ROOT)}:{number}")
    assert unclosed == [], "use {% comment %} … {% endcomment %} for a comment of more than one line"


EMPTY_HEADER = re.compile(r"<th(?:\s[^>]*)?>\s*</th>")


def test_no_table_header_cell_is_empty():
    """An empty <th> has no name for a screen reader (axe-core's empty-table-header): a column of buttons or
    checkboxes says so in visually hidden text."""
    empty = [f"{path.relative_to(ROOT)}:{number}" for path in _templates()
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if EMPTY_HEADER.search(line)]
    assert empty == []
    assert EMPTY_HEADER.search("<th></th>") and EMPTY_HEADER.search('<th class="x"> </th>')
    assert not EMPTY_HEADER.search('<th><span class="visually-hidden">操作</span></th>')


def test_the_check_finds_template_syntax_in_a_page():
    class Page:
        status_code = 200
        headers = {"Content-Type": "text/html; charset=utf-8"}
        content = "<p>{# a comment over\n two lines #}</p>".encode()

    with pytest.raises(AssertionError):
        assert_no_template_syntax(Page())


PAGES = sorted(name for name, route in routed().items() if not route.arguments)


@pytest.mark.parametrize("role", [r for r in ROLES if r != "outsider"])
def test_no_page_without_arguments_shows_template_syntax_to_any_role(request, db, client_for, role):
    client = client_for(request.getfixturevalue(role))
    opened = 0
    for name in PAGES:
        if name in {"accounts:logout", "core:notification_read_all"}:
            continue  # a POST action, and signing out would end the walk
        response = client.get(reverse(name))
        if response.status_code == 200 and response.headers.get("Content-Type", "").startswith("text/html"):
            assert_no_template_syntax(response, url=reverse(name))
            opened += 1
    assert opened >= 3  # home, notifications, password change at least
