"""Every materials URL × every role: login for the anonymous; deputies and the office read; staff write; a
document of 朝阳区 (``other_county``) is a 404 for 南关区's staff and for a municipal deputy of the city."""

import pytest
from django.urls import reverse

from tests.security.matrix_support import Matrix

LOGIN = "login"
OK = "ok"
ROLES = ["anonymous", "staff_user", "county_staff_user", "supervisor_user", "member_user", "deputy_user",
         "unit_user", "sysadmin_user", "secadmin_user", "auditor_user", "outsider"]

# url name → record kind (None: no record in the URL)
URLS = {
    "document_list": None,
    "document_export": None,
    "document_create": None,
    "document_edit": "document",
    "document_delete": "document",
    "document_download": "document",
    "pack_create": None,
}
POST_ONLY = {"document_delete"}
GET_ONLY = {"document_list", "document_export", "document_download"}
STAFF = {"staff_user", "county_staff_user"}
OFFICE = STAFF | {"supervisor_user"}
WHO = {"document_list": OFFICE | {"deputy_user"}, "document_download": OFFICE | {"deputy_user"},
       "document_export": OFFICE}
OUT_OF_SCOPE = {"county_staff_user", "deputy_user"}


@pytest.fixture
def records(other_document):
    return {"document": other_document}


def _url(name, records):
    kind = URLS[name]
    return reverse(f"materials:{name}", args=[] if kind is None else [records[kind].pk])


def _expected(name, role, method):
    if role == "anonymous":
        return LOGIN
    if method == "get" and name in POST_ONLY or method == "post" and name in GET_ONLY:
        return 405
    if role not in WHO.get(name, STAFF):
        return 403
    if URLS[name] is not None and role in OUT_OF_SCOPE:
        return 404
    return OK


def _check(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login") + "?next=")
    elif expected == OK:
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            assert not response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected


MATRIX = Matrix(namespace="materials", urls=URLS, roles=ROLES, urlconf="apps.materials.urls", expected=_expected,
                url=_url, get_outcome=_check, post_outcome=_check)

test_every_url_is_in_the_matrix = MATRIX.every_url_test()
test_get = MATRIX.get_test(sorted(URLS))
test_post = MATRIX.post_test(sorted(URLS))
