"""Every training URL × every role: login for the anonymous, 403 for a role that may not open the page, 404
for county staff on another county's program, supervisors read only.

The records belong to 朝阳区 (``other_county``): city staff and the city's supervisor see them, 南关区's staff
(``county_staff_user``) do not.
"""

import pytest
from django.urls import reverse

from tests.security.matrix_support import Matrix

LOGIN = "login"
OK = "ok"
ROLES = ["anonymous", "staff_user", "county_staff_user", "supervisor_user", "member_user", "deputy_user",
         "unit_user", "sysadmin_user", "secadmin_user", "auditor_user", "outsider"]

# url name → (record kind, query string)
URLS = {
    "program_list": (None, ""),
    "program_create": (None, ""),
    "program_detail": ("program", ""),
    "program_edit": ("program", ""),
    "session_create": ("program", ""),
    "material_upload": ("program", ""),
    "material_download": ("material", ""),
    "material_delete": ("material", ""),
    "session_detail": ("session", ""),
    "session_edit": ("session", ""),
    "session_delete": ("session", ""),
    "session_sign_in_sheet": ("session", ""),  # the PDF to print (apps/training/paper.py)
    "attendance_search": ("session", "?q=w"),
    "attendance_add": ("session", ""),
    "attendance_paste": ("session", ""),
    "attendance_import": ("session", ""),
    "attendance_from_replies": ("session", ""),
    "attendance_edit": ("attendance", ""),
    "attendance_remove": ("attendance", ""),
    "coverage": (None, ""),
    "coverage_untrained": (None, "?level=county"),
    "coverage_export": (None, ""),
}
POST_ONLY = {"material_upload", "material_delete", "session_delete", "attendance_add", "attendance_paste",
             "attendance_import", "attendance_edit", "attendance_remove", "attendance_from_replies"}
READ = {"program_list", "program_detail", "material_download", "session_detail", "coverage",
        "coverage_untrained", "coverage_export"}
STAFF = {"staff_user", "county_staff_user"}
OFFICE = STAFF | {"supervisor_user"}
OUT_OF_SCOPE = {"county_staff_user"}


@pytest.fixture
def records(other_program, other_session, other_attendance, other_material):
    return {"program": other_program, "session": other_session, "attendance": other_attendance,
            "material": other_material}


def _url(name, records):
    kind, query = URLS[name]
    args = [] if kind is None else [records[kind].pk]
    return reverse(f"training:{name}", args=args) + query


def _expected(name, role, method):
    if role == "anonymous":
        return LOGIN
    if method == "get" and name in POST_ONLY:
        return 405
    if role not in (OFFICE if name in READ else STAFF):
        return 403
    if URLS[name][0] is not None and role in OUT_OF_SCOPE:
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


MATRIX = Matrix(namespace="training", urls=URLS, roles=ROLES, urlconf="apps.training.urls", expected=_expected,
                url=_url, get_outcome=_check, post_outcome=_check)

test_every_url_is_in_the_matrix = MATRIX.every_url_test()
test_get = MATRIX.get_test(sorted(URLS))
test_post = MATRIX.post_test(sorted(POST_ONLY | {"program_create", "program_edit", "session_create", "session_edit"}))
