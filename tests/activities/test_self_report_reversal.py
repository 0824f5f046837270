"""Reversing the verification of a self-report (履职登记): staff who may still edit its activity put it back to
pending with a reason; what the verification added goes (the activity created for it, or the participation it
added), nothing staff recorded themselves."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.activities.models import Activity, Attachment, Participation, SelfReport
from apps.activities.services import self_reports as services
from apps.core.models import AuditEvent, Notification
from tests.activities.self_report_support import (  # noqa: F401 (fixtures)
    frozen_today, make_activity, make_report, media, other_deputy, png,
)

pytestmark = pytest.mark.usefixtures("frozen_today", "media")


def _unverify(client, report, reason="佐证材料与活动不符"):
    return client.post(reverse("activities:self_report_unverify", args=[report.pk]), {"reason": reason})


def test_reversing_a_verification_deletes_the_activity_created_for_it_and_keeps_the_evidence(
        client_for, staff_user, deputy_user):
    report = make_report(deputy_user, files=[png()])
    activity = services.self_report_verify(report=report, user=staff_user)
    evidence = Attachment.objects.get()
    assert evidence.activity_id == activity.pk
    response = _unverify(client_for(staff_user), report)
    assert response.status_code == 302
    report.refresh_from_db()
    evidence.refresh_from_db()
    assert (report.status, report.activity_id, report.decided_at) == (SelfReport.Status.PENDING, None, None)
    assert not Activity.objects.exists() and not Participation.objects.exists()
    assert evidence.self_report_id == report.pk and evidence.activity_id is None and evidence.file.storage.exists(
        evidence.file.name)
    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE, object_id=str(report.pk),
                                   detail__startswith="verification reversed")
    assert "activity deleted" in event.detail and "佐证材料与活动不符" in event.detail
    assert Notification.objects.filter(recipient=deputy_user, body__contains="佐证材料与活动不符").exists()


def test_reversing_removes_only_the_participation_added_to_an_existing_activity(
        staff_user, deputy_user, city, county_mandate):
    activity = make_activity(city, participants=[county_mandate])
    report = make_report(deputy_user)
    services.self_report_verify(report=report, user=staff_user, activity=activity)
    services.self_report_unverify(report=report, user=staff_user, reason="重复登记")
    assert Activity.objects.filter(pk=activity.pk).exists()
    assert list(activity.participations.values_list("person_id", flat=True)) == [county_mandate.person_id]


def test_reversing_keeps_a_participation_staff_recorded_before_the_verification(
        staff_user, deputy_user, municipal_mandate, city):
    activity = make_activity(city, participants=[municipal_mandate])
    report = make_report(deputy_user)
    services.self_report_verify(report=report, user=staff_user, activity=activity)
    assert report.participation_added is False
    services.self_report_unverify(report=report, user=staff_user, reason="误核")
    assert activity.participations.filter(person=deputy_user.person).exists()


def test_a_self_reported_activity_others_joined_since_is_kept(staff_user, deputy_user, county_mandate):
    report = make_report(deputy_user)
    activity = services.self_report_verify(report=report, user=staff_user)
    Participation.objects.create(activity=activity, person=county_mandate.person, mandate=county_mandate)
    services.self_report_unverify(report=report, user=staff_user, reason="误核")
    assert list(Activity.objects.get(pk=activity.pk).participations.values_list("person_id", flat=True)) == [
        county_mandate.person_id]


def test_a_reversed_self_report_can_be_decided_again(staff_user, deputy_user):
    report = make_report(deputy_user)
    services.self_report_verify(report=report, user=staff_user)
    services.self_report_unverify(report=report, user=staff_user, reason="误核")
    services.self_report_reject(report=report, user=staff_user, reason="无佐证")
    report.refresh_from_db()
    assert report.status == SelfReport.Status.REJECTED


def test_a_reason_is_required_and_nothing_changes_without_one(client_for, staff_user, deputy_user):
    report = make_report(deputy_user)
    activity = services.self_report_verify(report=report, user=staff_user)
    response = _unverify(client_for(staff_user), report, reason="   ")
    assert response.status_code == 200 and "unverify-" in response.content.decode()
    report.refresh_from_db()
    assert report.status == SelfReport.Status.VERIFIED and Activity.objects.filter(pk=activity.pk).exists()
    assert not AuditEvent.objects.filter(detail__startswith="verification reversed").exists()


def test_only_a_verified_self_report_can_be_reversed(staff_user, deputy_user):
    report = make_report(deputy_user)
    with pytest.raises(ValidationError):
        services.self_report_unverify(report=report, user=staff_user, reason="误核")
    services.self_report_reject(report=report, user=staff_user, reason="无佐证")
    with pytest.raises(ValidationError):
        services.self_report_unverify(report=report, user=staff_user, reason="误核")


def test_staff_who_may_not_edit_the_activity_cannot_reverse(client_for, staff_user, county_staff_user, city,
                                                             other_deputy):
    """A county deputy's report joined to a city activity: county staff see the report but not the activity."""
    activity = make_activity(city)
    report = make_report(other_deputy)
    services.self_report_verify(report=report, user=staff_user, activity=activity)
    client = client_for(county_staff_user)
    page = client.get(reverse("activities:self_report_detail", args=[report.pk]))
    assert page.status_code == 200 and f"unverify-{report.pk}" not in page.content.decode()
    response = _unverify(client, report)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == SelfReport.Status.VERIFIED and activity.participations.count() == 1
    # The city's staff may: the activity is theirs to edit.
    assert f"unverify-{report.pk}" in client_for(staff_user).get(
        reverse("activities:self_report_detail", args=[report.pk])).content.decode()


def test_a_supervisor_sees_no_reverse_button(client_for, staff_user, supervisor_user, deputy_user):
    report = make_report(deputy_user)
    services.self_report_verify(report=report, user=staff_user)
    page = client_for(supervisor_user).get(reverse("activities:self_report_detail", args=[report.pk]))
    assert f"unverify-{report.pk}" not in page.content.decode()
