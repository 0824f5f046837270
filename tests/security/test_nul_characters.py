"""A NUL character in a request (PostgreSQL cannot hold one in text) is refused once, by the middleware, with a
400 page in the user's language: never a 500, and nothing is read or written."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.deputies.models import Person
from tests.activities.staff_support import make_activity
from tests.training.conftest import make_program, make_session

MESSAGE = "所提交的内容含有空字符（NUL），任何字段都不接受。请删除后重试。"


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _assert_refused(response):
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()


def test_the_deputys_similar_items_search_refuses_a_nul(deputy_user):
    _assert_refused(_client(deputy_user).get(reverse("proposals:similar"), {"q": "a\x00b"}))


def test_the_contact_deputy_search_refuses_a_nul(staff_user):
    _assert_refused(_client(staff_user).get(reverse("liaison:contact_deputy_search"), {"q": "a\x00b"}))


def test_the_participant_search_refuses_a_nul(staff_user):
    activity = make_activity(staff_user.jurisdiction, user=staff_user)
    _assert_refused(_client(staff_user).get(reverse("activities:participant_search", args=[activity.pk]),
                                            {"q": "a\x00b"}))


def test_the_training_attendance_search_refuses_a_nul(staff_user):
    session = make_session(make_program(staff_user.jurisdiction))
    _assert_refused(_client(staff_user).get(reverse("training:attendance_search", args=[session.pk]),
                                            {"q": "a\x00b"}))


def test_a_nul_in_a_parameters_name_or_in_the_path_is_refused(staff_user):
    client = _client(staff_user)
    _assert_refused(client.get(reverse("deputies:roster_list") + "?q%00=x"))
    _assert_refused(client.get("/deputies/%00/"))


@pytest.mark.parametrize("field", ["name", "notes"])
def test_a_posted_nul_writes_nothing(staff_user, field):
    before = Person.objects.count()
    data = {"name": "赵六", "gender": "M", "notes": "", field: "赵\x00六"}
    _assert_refused(_client(staff_user).post(reverse("deputies:person_create"), data))
    assert Person.objects.count() == before


def test_an_uploaded_files_name_with_a_nul_never_reaches_the_database(staff_user):
    """Django's upload parser already drops what follows a NUL in a file name; the name is stored without it."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.activities.models import Attachment

    activity = make_activity(staff_user.jurisdiction, user=staff_user)
    png = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
           b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
    upload = SimpleUploadedFile("a\x00b.png", png, content_type="image/png")
    response = _client(staff_user).post(reverse("activities:attachment_upload", args=[activity.pk]),
                                        {"kind": "photo", "file": upload})
    assert response.status_code in (302, 400)
    assert not any("\x00" in name for name in Attachment.objects.values_list("original_name", flat=True))


def test_an_anonymous_visitor_gets_the_same_page(client):
    _assert_refused(client.get(reverse("accounts:login"), {"next": "/\x00"}))
