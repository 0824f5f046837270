"""Every staff activity URL × every role: login, the page, 403 for a role that may not open it (supervisors
only read), 404 for an activity outside the user's scope (county staff and the city's activity)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.activities.models import Activity, ActivityType, Attachment, Participation
from apps.activities.services.activities import attachment_add
from tests.activities.staff_support import PDF, city_activity, county_activity  # noqa: F401
from tests.security.matrix_support import Matrix, assert_outcome_or_redirect, standard_rule

ROLES = ["anonymous", "staff_user", "county_staff_user", "supervisor_user", "member_user", "deputy_user",
         "unit_user", "sysadmin_user", "secadmin_user", "auditor_user", "outsider"]
STAFF = {"staff_user", "county_staff_user"}
OFFICE = STAFF | {"supervisor_user"}

# url name → (argument kinds, who opens it)
URLS = {
    "activity_type_list": ((), OFFICE),
    "activity_type_create": ((), STAFF),
    "activity_type_edit": (("type",), STAFF),
    "activity_list": ((), OFFICE),
    "activity_calendar": ((), OFFICE),
    "activity_totals": ((), OFFICE),
    "activity_totals_export": ((), OFFICE),
    "activity_create": ((), STAFF),
    "activity_detail": (("activity",), OFFICE),
    "activity_edit": (("activity",), STAFF),
    "activity_delete": (("activity",), STAFF),
    "activity_sign_in_sheet": (("activity",), STAFF),  # the PDF to print (apps/activities/paper.py)
    "participant_search": (("activity",), STAFF),
    "participants_add": (("activity",), STAFF),
    "participants_add_body": (("activity",), STAFF),
    "participants_paste": (("activity",), STAFF),
    "participants_import": (("activity",), STAFF),
    "participants_mark_leave": (("activity",), STAFF),
    "participants_save": (("activity",), STAFF),
    "participants_from_replies": (("activity",), STAFF),
    "participation_update": (("activity", "participation"), STAFF),
    "participation_remove": (("activity", "participation"), STAFF),
    "attachment_upload": (("activity",), STAFF),
    "attachment_download": (("activity", "attachment"), OFFICE),
    "attachment_delete": (("activity", "attachment"), STAFF),
}
POST_ONLY = {"activity_delete", "participants_add", "participants_add_body", "participants_mark_leave",
             "participants_save", "participants_from_replies",
             "participation_update", "participation_remove", "attachment_upload", "attachment_delete"}
GET_ONLY = {"activity_type_list", "activity_list", "activity_calendar", "activity_totals", "activity_totals_export",
            "activity_detail", "activity_sign_in_sheet",
            "participant_search", "attachment_download"}
WRITE_URLS = sorted(set(URLS) - GET_ONLY)
# The city's activity is out of the county's scope.
OUT_OF_SCOPE = {"county_staff_user"}


@pytest.fixture
def records(city_activity, staff_user):
    attachment = attachment_add(activity=city_activity, file=SimpleUploadedFile("a.pdf", PDF), kind="document",
                                user=staff_user)
    return {"activity": city_activity, "participation": city_activity.participations.get(),
            "attachment": attachment, "type": ActivityType.objects.get(code="inspection")}


def _state():
    return (Activity.objects.count(), ActivityType.objects.count(), Participation.objects.count(),
            Attachment.objects.count(),
            sorted(Participation.objects.values_list("attendance", "leave_reason", "suggestions_raised")),
            sorted(ActivityType.objects.values_list("code", "name", "is_active")),
            sorted(Activity.objects.values_list("title", "start_date")))


def _deletes_when_allowed(state, before, url_name, role, expected):
    """An empty post writes nothing, except the delete buttons which need nothing more (and are checked to
    write only for staff in scope)."""
    if expected != 200 or url_name not in {"activity_delete", "participation_remove", "attachment_delete"}:
        assert state == before
    else:
        assert state != before


MATRIX = Matrix(namespace="activities", urls=URLS, roles=ROLES, urlconf="apps.activities.urls_activities",
                expected=standard_rule(URLS, post_only=POST_ONLY, get_only=GET_ONLY, out_of_scope=OUT_OF_SCOPE,
                                       scoped={"activity"}),
                post_outcome=assert_outcome_or_redirect, state=lambda records: _state(),
                post_check=_deletes_when_allowed)

test_every_url_is_in_the_matrix = MATRIX.every_url_test()
test_get_by_role = MATRIX.get_test()
test_empty_post_by_role = MATRIX.post_test(WRITE_URLS)


def test_county_staff_see_only_their_countys_activities(client_for, city_activity, county_activity,
                                                       county_staff_user, staff_user):
    rows = client_for(county_staff_user).get(reverse("activities:activity_list")).context["page"].object_list
    assert [a.pk for a in rows] == [county_activity.pk]
    rows = client_for(staff_user).get(reverse("activities:activity_list")).context["page"].object_list
    assert {a.pk for a in rows} == {city_activity.pk, county_activity.pk}


def test_county_staff_get_404_on_the_citys_activity(client_for, city_activity, county_staff_user):
    url = reverse("activities:activity_detail", args=[city_activity.pk])
    assert client_for(county_staff_user).get(url).status_code == 404


def test_supervisor_cannot_add_participants(client_for, city_activity, supervisor_user, municipal_mandate):
    url = reverse("activities:participants_paste", args=[city_activity.pk])
    response = client_for(supervisor_user).post(url, {"text": "张三丰", "attendance": "present"})
    assert response.status_code == 403
