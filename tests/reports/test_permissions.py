"""Every reports URL × every role: login for the anonymous, the page for staff and supervisors, 403 for any
other role (deputies included: their own PDF is on /me/), 405 for the wrong method; only staff start or
restart a batch; a batch of the city is a 404 for the county's staff."""

import pytest
from django.urls import reverse

from apps.core.models import OutboxMessage
from apps.reports.models import ReportBatch, ReportFile
from tests.reports.support import finished_batch
from tests.security.matrix_support import LOGIN, Matrix, standard_rule

ROLES = ["anonymous", "staff_user", "county_staff_user", "supervisor_user", "member_user", "deputy_user",
         "unit_user", "sysadmin_user", "secadmin_user", "auditor_user", "outsider"]
STAFF = {"staff_user", "county_staff_user"}
OFFICE = STAFF | {"supervisor_user"}

# url name → (argument kinds, who opens it)
URLS = {
    "batch_list": ((), OFFICE),
    "batch_start": ((), STAFF),
    "batch_detail": (("batch",), OFFICE),
    "batch_progress": (("batch",), OFFICE),
    "batch_restart": (("batch",), STAFF),
    "batch_download": (("batch",), OFFICE),
    "file_download": (("batch", "file"), OFFICE),
}
POST_ONLY = {"batch_start", "batch_restart"}
GET_ONLY = set(URLS) - POST_ONLY
# The city's batch is out of the county's scope.
OUT_OF_SCOPE = {"county_staff_user"}


@pytest.fixture
def records(city, staff_user, municipal_mandate, media):
    batch, pdf = finished_batch(jurisdiction=city, user=staff_user, mandate=municipal_mandate)
    return {"batch": batch, "file": pdf}


def _assert_outcome(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login") + "?next=")
    elif expected == 200:
        assert response.status_code in (200, 302, 400)  # an empty start form is a 400 with its errors
    else:
        assert response.status_code == expected


def _state():
    return (sorted(ReportBatch.objects.values_list("pk", "status", "round")), ReportFile.objects.count(),
            OutboxMessage.objects.count())


def _assert_page(response, expected):
    _assert_outcome(response, expected)
    if expected == 200:
        assert response.status_code == 200


MATRIX = Matrix(namespace="reports", urls=URLS, roles=ROLES, urlconf="apps.reports.urls",
                expected=standard_rule(URLS, post_only=POST_ONLY, get_only=GET_ONLY, out_of_scope=OUT_OF_SCOPE),
                get_outcome=_assert_page, post_outcome=_assert_outcome, state=lambda records: _state())

test_every_url_is_in_the_matrix = MATRIX.every_url_test()
test_get_by_role = MATRIX.get_test()
# An empty post writes nothing whoever sends it (restarting a batch that has not failed is refused).
test_empty_post_by_role = MATRIX.post_test()


def test_a_file_of_another_batch_is_404(client_for, staff_user, records, city, municipal_mandate):
    other, _pdf = finished_batch(jurisdiction=city, mandate=municipal_mandate)
    url = reverse("reports:file_download", args=[other.pk, records["file"].pk])
    assert client_for(staff_user).get(url).status_code == 404


def test_a_county_batch_is_seen_by_the_city_and_that_county_only(client_for, staff_user, county_staff_user,
                                                                  county, other_county, county_mandate, media):
    batch, _pdf = finished_batch(jurisdiction=county, mandate=county_mandate)
    url = reverse("reports:batch_detail", args=[batch.pk])
    assert client_for(staff_user).get(url).status_code == 200
    assert client_for(county_staff_user).get(url).status_code == 200
    from tests.factories import UserFactory

    neighbour = UserFactory(roles=["staff"], jurisdiction=other_county)
    assert client_for(neighbour).get(url).status_code == 404
