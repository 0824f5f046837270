"""Every intake URL × every role: the public pages (a code's page, the lookup) open to anyone, the anonymous
included; the rest: login for the anonymous, 403 for a role that does not open the page, 404 for an opinion or a
code out of scope (the county's staff opening the city's; a deputy opening another's), 405 for the wrong
method — and a refused POST writes nothing.

The records: an opinion sent through the ``deputy`` account's code (with a photo), a second one already accepted
into a visit, and the city's station (whose code is opened). The office (staff, supervisors) sees the city's
opinions and codes; staff and the deputy handle; staff renew codes.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.intake import services
from apps.intake.models import Intake, IntakeCode
from apps.stations.models import VoterVisit
from tests.intake.conftest import jpeg_with_exif, submit
from tests.security.matrix_support import LOGIN, Matrix

# The roles that differ here, and a member for every other role (the unit, the administrators), refused alike; a
# user without role or jurisdiction is refused on every route by the project-wide sweep
# (tests/security/test_url_matrix.py), which keeps this matrix cheap.
ROLES = ["anonymous", "staff_user", "county_staff_user", "supervisor_user", "member_user", "deputy_user"]
EVERYONE = set(ROLES)
OFFICE = {"staff_user", "county_staff_user", "supervisor_user"}
INBOX = OFFICE | {"deputy_user"}
HANDLERS = {"staff_user", "county_staff_user", "deputy_user"}

# url name → (argument kinds, who opens it)
URLS = {
    "submit": (("code",), EVERYONE),
    "lookup": ((), EVERYONE),
    "inbox": ((), INBOX),
    "intake_detail": (("intake",), INBOX),
    "intake_photo": (("intake",), INBOX),
    "intake_reveal": (("intake",), HANDLERS),
    "intake_accept": (("intake",), HANDLERS),
    "intake_close": (("intake",), HANDLERS),
    "intake_suggestion": (("intake",), HANDLERS),
    "intake_follow_up": (("accepted",), HANDLERS),
    "intake_tell_back": (("accepted",), HANDLERS),
    "code_list": ((), INBOX),
    "my_code": ((), {"deputy_user"}),
    "code_detail": (("station",), INBOX),  # a deputy opens his own code's page (another's: 404)
    "code_print": (("station",), INBOX),
    "code_rotate": (("station",), {"staff_user", "county_staff_user"}),
}
PUBLIC = {"submit", "lookup"}
POST_ONLY = {"intake_reveal", "intake_accept", "code_rotate"}
GET_ONLY = {"inbox", "intake_detail", "intake_photo", "code_list", "my_code", "code_detail", "code_print"}
# What an allowed request answers when it is not a page: a redirect (a step done or refused, a deputy's codes).
REDIRECTS = {("get", "my_code"), ("get", "code_list", "deputy_user"), ("post", "intake_accept"),
             ("post", "code_rotate")}


@pytest.fixture
def records(_media, deputy_user, station, deputy_code):
    photo = SimpleUploadedFile("p.jpg", jpeg_with_exif(), content_type="image/jpeg")
    intake = submit(deputy_code, address="10.0.0.1", photo=photo)
    accepted = submit(deputy_code, address="10.0.0.2")
    services.intake_accept(intake=accepted, user=deputy_user)
    return {"intake": intake, "accepted": accepted, "station": station, "code": deputy_code}


@pytest.fixture
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _url(url_name, records):
    kinds = URLS[url_name][0]
    if url_name == "submit":
        return reverse("intake:submit", args=[records["code"].token])
    if kinds == ("station",):
        return reverse(f"intake:{url_name}", args=["station", records["station"].pk])
    return reverse(f"intake:{url_name}", args=[records[kind].pk for kind in kinds])


def _expected(url_name, role, method):
    kinds, who = URLS[url_name]
    if url_name in PUBLIC:
        return 400 if method == "post" else 200  # an empty form is refused
    if role == "anonymous":
        return LOGIN
    if (method == "get" and url_name in POST_ONLY) or (method == "post" and url_name in GET_ONLY):
        return 405
    if role not in who:
        return 403
    if role == "county_staff_user" and kinds or role == "deputy_user" and kinds == ("station",):
        return 404
    if (method, url_name) in REDIRECTS or (method, url_name, role) in REDIRECTS:
        return 302
    return 200


def _snapshot() -> tuple:
    return (Intake.objects.count(), tuple(Intake.objects.order_by("pk").values_list("status", flat=True)),
            VoterVisit.objects.count(), tuple(IntakeCode.objects.order_by("pk").values_list("token", flat=True)))


def _writes_only_when_it_may(state, before, url_name, role, expected):
    if expected != 302:
        assert state == before


MATRIX = Matrix(namespace="intake", urls=URLS, roles=ROLES, urlconf="apps.intake.urls", expected=_expected,
                url=_url, state=lambda records: _snapshot(), post_check=_writes_only_when_it_may)

test_every_url_is_in_the_matrix = MATRIX.every_url_test()
test_get_by_role = MATRIX.get_test()
test_post_by_role_writes_nothing_unless_the_action_needs_no_input = MATRIX.post_test()


def test_a_deputy_opens_and_prints_his_own_code_not_anothers(client_for, deputy_user, deputy_code,
                                                             county_mandate):
    client = client_for(deputy_user)
    assert client.get(reverse("intake:my_code")).url == reverse("intake:code_detail",
                                                                args=["deputy", deputy_user.person_id])
    page = client.get(reverse("intake:code_detail", args=["deputy", deputy_user.person_id])).content.decode()
    assert deputy_code.token in page and "<svg" in page and 'id="code-rotate"' not in page
    pdf = client.get(reverse("intake:code_print", args=["deputy", deputy_user.person_id]) + "?size=poster")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert client.get(reverse("intake:code_detail", args=["deputy", county_mandate.person_id])).status_code == 404
    assert client.get(reverse("intake:code_detail", args=["nobody", deputy_user.person_id])).status_code == 404


def test_staff_renew_a_code_and_the_old_one_stops_working(client_for, client, staff_user, deputy_code,
                                                          django_capture_on_commit_callbacks):
    old = deputy_code.token
    assert client.get(reverse("intake:submit", args=[old])).status_code == 200  # now in the shared cache
    url = reverse("intake:code_rotate", args=["deputy", deputy_code.person_id])
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(staff_user).post(url).status_code == 302
    deputy_code.refresh_from_db()
    assert deputy_code.token != old and len(deputy_code.token) >= 16 and deputy_code.rotated_at
    assert client.get(reverse("intake:submit", args=[old])).status_code == 404
    assert client.get(reverse("intake:submit", args=[deputy_code.token])).status_code == 200
