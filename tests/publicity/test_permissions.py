"""Every publicity URL × every role: staff write (add, edit, delete), supervisors read, within their jurisdiction (a record of the
city is a 404 for county staff); deputies, units, members, administrators and outsiders get 403."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from apps.publicity.models import PublicityItem
from tests.security.matrix_support import LOGIN, Matrix
from tests.publicity.conftest import make_item

ROLES = ["anonymous", "staff_user", "county_staff_user", "supervisor_user", "member_user", "deputy_user",
         "unit_user", "sysadmin_user", "secadmin_user", "auditor_user", "outsider"]
URLS = {"item_list": None, "item_create": None, "item_export": None, "item_detail": "item",
        "item_attachment": "item", "item_edit": "item", "item_delete": "item"}
GET_ONLY = {"item_list", "item_export", "item_detail", "item_attachment"}
POST_ONLY = {"item_delete"}
STAFF = {"staff_user", "county_staff_user"}
OPENS = {name: STAFF | {"supervisor_user"} for name in GET_ONLY}
OPENS.update({"item_create": STAFF, "item_edit": STAFF, "item_delete": STAFF})


@pytest.fixture
def records(city, staff_user):
    item = make_item(city, staff_user)
    item.attachment.save("column.pdf", ContentFile(b"%PDF-1.4 column"), save=True)
    return {"item": item}


def _url(url_name, records):
    kind = URLS[url_name]
    return reverse(f"publicity:{url_name}", args=[] if kind is None else [records[kind].pk])


def _expected(url_name, role, method):
    if role == "anonymous":
        return LOGIN
    if method == "post" and url_name in GET_ONLY or method == "get" and url_name in POST_ONLY:
        return 405
    if role not in OPENS[url_name]:
        return 403
    if URLS[url_name] is not None and role == "county_staff_user":
        return 404
    return 302 if url_name == "item_delete" else 200


def _deleted_only_by_a_delete(state, before, url_name, role, expected):
    """An empty POST writes nothing; staff's POST to delete removes the record (and nothing else)."""
    if expected == 302:
        assert (before, state) == ([("人大代表风采", "column")], [])
    else:
        assert state == before


MATRIX = Matrix(namespace="publicity", urls=URLS, roles=ROLES, expected=_expected, url=_url,
                state=lambda records: sorted(PublicityItem.objects.values_list("title", "kind")),
                post_check=_deleted_only_by_a_delete)

test_get_by_role = MATRIX.get_test()
test_empty_post_by_role_writes_nothing = MATRIX.post_test(sorted(URLS))


def test_every_url_is_in_the_matrix():
    from apps.publicity.urls import urlpatterns

    assert {p.name for p in urlpatterns} == set(URLS) == set(OPENS)
