"""Every notices URL × every role: login for the anonymous, 403 for a role that does not open the page, 404 for a
notice out of scope (the county's staff opening the city's; a user opening a notice he did not receive), 405 for
the wrong method — and a refused POST writes nothing.

The record: the city's meeting notice published to its serving deputies (the ``deputy`` account among them),
with a PDF attachment. Every role has an inbox; the office reads the notices of its scope, staff write.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from apps.notices import services
from apps.notices.models import Notice, NoticeAttachment, NoticeReceipt
from tests.security.matrix_support import LOGIN, Matrix

ROLES = ["anonymous", "staff_user", "county_staff_user", "supervisor_user", "member_user", "deputy_user",
         "unit_user", "sysadmin_user", "secadmin_user", "auditor_user", "outsider"]
ANY_ROLE = set(ROLES) - {"anonymous", "outsider"}
OFFICE = {"staff_user", "county_staff_user", "supervisor_user"}
STAFF = {"staff_user", "county_staff_user"}

# url name → (argument kinds, who opens it)
URLS = {
    "inbox": ((), ANY_ROLE),
    "notice_read": (("notice",), ANY_ROLE),  # 404 but for a recipient
    "attachment_download": (("attachment",), ANY_ROLE),  # 404 but for a recipient or the office of its scope
    "notice_list": ((), OFFICE),
    "notice_create": ((), STAFF),
    "notice_detail": (("notice",), OFFICE),
    "notice_export": (("notice",), OFFICE),
    "notice_remind": (("notice",), STAFF),
    # the record is published: staff's edit and delete go back to its page (refused), the end needs a date
    "notice_edit": (("notice",), STAFF),
    "notice_delete": (("notice",), STAFF),
    "notice_end": (("notice",), STAFF),
}
POST_ONLY = {"notice_remind", "notice_delete", "notice_end"}
REDIRECTS = {"notice_remind", "notice_edit", "notice_delete", "notice_end"}
GET_ONLY = {"inbox", "attachment_download", "notice_list", "notice_detail", "notice_export"}


@pytest.fixture
def records(_media, staff_user, deputy_user):
    notice = services.notice_create(
        user=staff_user, jurisdiction=staff_user.jurisdiction, title="视察通知", body="<p>请回复。</p>",
        all_serving=True, kind=Notice.Kind.INSPECTION, reply_deadline=timezone.now() + datetime.timedelta(days=2),
        attachments=[SimpleUploadedFile("议程.pdf", b"%PDF-1.4\n%%EOF\n")])
    return {"notice": notice, "attachment": notice.attachments.get()}


@pytest.fixture
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _expected(url_name, role, method):
    kinds, who = URLS[url_name]
    if role == "anonymous":
        return LOGIN
    if (method == "get" and url_name in POST_ONLY) or (method == "post" and url_name in GET_ONLY):
        return 405
    if role not in who:
        return 403
    if url_name in ("notice_read", "attachment_download"):
        if role == "deputy_user" or (url_name == "attachment_download" and role in {"staff_user", "supervisor_user"}):
            return 200
        return 404
    if role == "county_staff_user" and kinds:
        return 404
    if url_name in REDIRECTS:
        return 302
    return 200


def _snapshot() -> tuple:
    return (Notice.objects.count(), NoticeAttachment.objects.count(),
            NoticeReceipt.objects.exclude(reply="").count(),
            sorted(Notice.objects.values_list("title", "ends_on", "status")))


def _writes_only_without_input(state, before, url_name, role, expected):
    if expected != 302 or url_name != "notice_remind":
        assert state == before


MATRIX = Matrix(namespace="notices", urls=URLS, roles=ROLES, urlconf="apps.notices.urls", expected=_expected,
                state=lambda records: _snapshot(), post_check=_writes_only_without_input)

test_every_url_is_in_the_matrix = MATRIX.every_url_test()
test_get_by_role = MATRIX.get_test()
test_post_by_role_writes_nothing_unless_the_action_needs_no_input = MATRIX.post_test()


def test_county_staff_see_none_of_the_citys_notices(client_for, county_staff_user, records):
    page = client_for(county_staff_user).get(reverse("notices:notice_list")).context["page"]
    assert list(page.object_list) == []
