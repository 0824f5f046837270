"""Every roster URL × every role: who gets the page, who is sent to log in, who is refused, who gets a 404.

Pages a role may not open at all answer 403; a record outside the user's scope answers 404 (its existence
is not leaked). The target record is 张三丰's municipal mandate, who is also ``deputy_user``'s own person.
"""

import pytest
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.deputies.models import Mandate, Person
from tests.security.matrix_support import LOGIN, Matrix

ADMIN_AND_OUTSIDERS = ["unit_user", "sysadmin_user", "secadmin_user", "auditor_user", "outsider"]
ROLES = ["anonymous", "staff_user", "supervisor_user", "member_user", "deputy_user", *ADMIN_AND_OUTSIDERS]

# url name → how its arguments are found ("person": the person's pk, "mandate": the mandate's pk, None: none)
ROSTER_URLS = {
    "roster_list": None,
    "person_create": None,
    "roster_export": None,
    "roster_import": None,
    "roster_template": None,
    "person_detail": "person",
    "person_photo": "person",
    "person_reveal": "person",
    "person_edit": "person",
    "person_history": "person",
    "mandate_add": "person",
    "mandate_edit": "mandate",
    "mandate_end": "mandate",
}
POST_ONLY = {"person_reveal"}
WRITE_URLS = ["person_create", "person_reveal", "person_edit", "mandate_add", "mandate_edit", "mandate_end",
              "roster_import"]


def _expected_get(url_name: str, role: str):
    if role == "anonymous":
        return LOGIN
    if url_name in POST_ONLY:
        return 405
    if role == "staff_user":
        return 200
    if role in ADMIN_AND_OUTSIDERS:
        return 403
    readable = {
        "supervisor_user": {"roster_list", "person_detail", "person_photo", "person_history", "roster_export"},
        "member_user": {"roster_list", "person_detail", "person_photo"},
        "deputy_user": {"person_detail", "person_photo"},  # their own record only
    }[role]
    return 200 if url_name in readable else 403


def _expected_post(url_name: str, role: str):
    if role == "anonymous":
        return LOGIN
    # An empty form comes back with its errors (200); the reveal page is shown (200).
    return 200 if role == "staff_user" else 403


def _url(url_name: str, mandate: Mandate) -> str:
    kind = ROSTER_URLS[url_name]
    if kind is None:
        return reverse(f"deputies:{url_name}")
    pk = mandate.person_id if kind == "person" else mandate.pk
    return reverse(f"deputies:{url_name}", args=[pk])


@pytest.fixture(autouse=True)
def photos(settings, tmp_path, municipal_mandate, county_mandate, other_county_mandate):
    """Everyone in the matrix has a photo, so the photo URL answers 200 where it may be seen."""
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    for mandate in (municipal_mandate, county_mandate, other_county_mandate):
        Person.objects.get(pk=mandate.person_id).photo.save("p.png", ContentFile(PNG), save=True)


PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


def _roster(mandate):
    return (Person.objects.count(), Mandate.objects.count(), Person.history.count() + Mandate.history.count(),
            Mandate.objects.get(pk=mandate.pk).status)


def _nothing_written(state, before, url_name, role, expected):
    assert state == before
    assert state[-1] == Mandate.Status.SERVING


MATRIX = Matrix(namespace="deputies", urls=ROSTER_URLS, roles=ROLES, urlconf="apps.deputies.urls",
                records="municipal_mandate",
                expected=lambda url_name, role, method: (_expected_get(url_name, role) if method == "get"
                                                         else _expected_post(url_name, role)),
                url=_url, state=_roster, post_check=_nothing_written)

test_every_roster_url_is_in_the_matrix = MATRIX.every_url_test()
test_roster_get_by_role = MATRIX.get_test()
test_roster_post_by_role_writes_nothing_when_refused = MATRIX.post_test(WRITE_URLS)


@pytest.mark.smoke
def test_deputy_cannot_open_the_roster_list(client_for, deputy_user):
    assert client_for(deputy_user).get(reverse("deputies:roster_list")).status_code == 403


@pytest.mark.smoke
def test_deputy_opening_another_persons_record_gets_404(client_for, deputy_user, county_mandate):
    response = client_for(deputy_user).get(reverse("deputies:person_detail", args=[county_mandate.person_id]))
    assert response.status_code == 404


def test_deputy_sees_their_own_record(client_for, deputy_user):
    response = client_for(deputy_user).get(reverse("deputies:person_detail", args=[deputy_user.person_id]))
    assert response.status_code == 200
    assert "张三丰" in response.content.decode()


# --- county staff see their county's deputies and nobody else's -------------------------------------------

COUNTY_OBJECT_URLS = [name for name, kind in ROSTER_URLS.items() if kind is not None]


@pytest.mark.parametrize("url_name", COUNTY_OBJECT_URLS)
def test_county_staff_opens_their_countys_deputy(client_for, county_staff_user, county_mandate, url_name):
    client = client_for(county_staff_user)
    url = _url(url_name, county_mandate)
    response = client.post(url) if url_name in POST_ONLY else client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("target", ["municipal_mandate", "other_county_mandate"])
@pytest.mark.parametrize("url_name", COUNTY_OBJECT_URLS)
def test_county_staff_gets_404_outside_their_county(request, client_for, county_staff_user, url_name, target):
    mandate = request.getfixturevalue(target)
    client = client_for(county_staff_user)
    url = _url(url_name, mandate)
    response = client.post(url) if url_name in POST_ONLY else client.get(url)
    assert response.status_code == 404


@pytest.mark.parametrize("url_name", ["person_edit", "mandate_add", "mandate_edit", "mandate_end"])
@pytest.mark.parametrize("target", ["municipal_mandate", "other_county_mandate"])
def test_county_staff_cannot_write_outside_their_county(request, client_for, county_staff_user, url_name, target):
    mandate = request.getfixturevalue(target)
    response = client_for(county_staff_user).post(_url(url_name, mandate), {
        "name": "改名", "end_date": "2024-01-01", "end_reason": "resigned"})
    assert response.status_code == 404
    mandate.refresh_from_db()
    assert mandate.status == Mandate.Status.SERVING
    assert mandate.person.name != "改名"


def _listed_people(response) -> set[str]:
    return {m.person.name for m in response.context["page"].object_list}


def test_county_staff_list_shows_only_their_county(client_for, county_staff_user, municipal_mandate,
                                                   county_mandate, other_county_mandate):
    response = client_for(county_staff_user).get(reverse("deputies:roster_list"))
    assert _listed_people(response) == {"李四"}
    html = response.content.decode()
    assert reverse("deputies:person_detail", args=[municipal_mandate.person_id]) not in html
    assert reverse("deputies:person_detail", args=[other_county_mandate.person_id]) not in html


def test_city_staff_list_shows_the_city_and_every_county(client_for, staff_user, municipal_mandate,
                                                         county_mandate, other_county_mandate):
    response = client_for(staff_user).get(reverse("deputies:roster_list"))
    assert _listed_people(response) == {"张三丰", "李四", "王五"}


# --- methods ------------------------------------------------------------------------------------------------

@pytest.mark.smoke
def test_reveal_is_post_only_and_a_get_records_nothing(client_for, staff_user, municipal_mandate):
    response = client_for(staff_user).get(reverse("deputies:person_reveal", args=[municipal_mandate.person_id]))
    assert response.status_code == 405
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_PERSONAL_DATA).exists()


@pytest.mark.parametrize("url_name", ["roster_list", "person_detail", "person_photo", "person_history",
                                      "roster_export", "roster_template"])
def test_read_pages_refuse_writes_by_method(client_for, staff_user, municipal_mandate, url_name):
    response = client_for(staff_user).post(_url(url_name, municipal_mandate), {})
    assert response.status_code == 405


def test_staff_without_a_jurisdiction_cannot_open_the_roster(client_for, municipal_mandate):
    from apps.core import roles
    from tests.factories import UserFactory

    user = UserFactory(roles=[roles.STAFF], jurisdiction=None)
    client = client_for(user)
    assert client.get(reverse("deputies:roster_list")).status_code == 403
    assert client.get(reverse("deputies:person_detail", args=[municipal_mandate.person_id])).status_code == 403
