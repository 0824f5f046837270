"""Self-reports (履职登记): a deputy reports, staff verify or reject, and only verified activities count; the
deputy's "my activities" timeline and the verification queue."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.activities.models import Activity, Attachment, Participation, SelfReport
from apps.activities.selectors import self_reports as selectors
from apps.activities.services import self_reports as services
from apps.core.models import AuditEvent, Notification
from apps.deputies.models import Level, Mandate
from tests.activities.self_report_support import (  # noqa: F401 (fixtures)
    TODAY, activity_type, deputy_account, frozen_today, make_activity, make_report, media, other_deputy, pdf,
    png,
)
from tests.factories import MandateFactory, TermFactory

pytestmark = pytest.mark.usefixtures("frozen_today", "media")


# --- creating ------------------------------------------------------------------------------------------------

def test_a_deputy_reports_an_activity_with_evidence_under_their_serving_mandate(deputy_user, municipal_mandate):
    report = make_report(deputy_user, files=[png(), pdf()])

    assert report.status == SelfReport.Status.PENDING
    assert report.mandate == municipal_mandate
    assert report.submitted_by == deputy_user
    assert sorted(report.attachments.values_list("content_type", "kind")) == [
        ("application/pdf", "document"), ("image/png", "photo")]
    assert Participation.objects.count() == 0  # pending counts nowhere


def test_the_highest_level_mandate_serving_that_day_is_recorded(deputy_user, municipal_mandate, county):
    county_term = TermFactory(jurisdiction=county, level=Level.COUNTY, number=19)
    MandateFactory(term=county_term, person=deputy_user.person)

    assert make_report(deputy_user).mandate == municipal_mandate


def test_a_mandate_that_ended_before_the_date_is_not_used(deputy_user, municipal_mandate, county):
    municipal_mandate.status, municipal_mandate.end_date = Mandate.Status.ENDED, TODAY - datetime.timedelta(days=30)
    municipal_mandate.end_reason = Mandate.EndReason.RESIGNED
    municipal_mandate.save()
    county_mandate = MandateFactory(term=TermFactory(jurisdiction=county, level=Level.COUNTY, number=19),
                                    person=deputy_user.person)

    assert make_report(deputy_user).mandate == county_mandate
    # ... but an activity while the municipal mandate served is recorded under it.
    assert make_report(deputy_user, start_date=TODAY - datetime.timedelta(days=40)).mandate == municipal_mandate


def test_no_serving_mandate_on_the_date_is_refused(deputy_user, municipal_mandate):
    before = municipal_mandate.start_date - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        make_report(deputy_user, start_date=before)
    assert "start_date" in exc.value.message_dict
    assert "不具有在任代表资格" in exc.value.message_dict["start_date"][0]
    assert SelfReport.objects.count() == 0


def test_a_date_in_the_future_is_refused(deputy_user):
    with pytest.raises(ValidationError) as exc:
        make_report(deputy_user, start_date=TODAY + datetime.timedelta(days=1))
    assert "start_date" in exc.value.message_dict
    assert SelfReport.objects.count() == 0


def test_today_is_accepted_but_an_end_date_in_the_future_is_not(deputy_user):
    assert make_report(deputy_user, start_date=TODAY).start_date == TODAY
    with pytest.raises(ValidationError) as exc:
        make_report(deputy_user, start_date=TODAY, end_date=TODAY + datetime.timedelta(days=2))
    assert "end_date" in exc.value.message_dict


def test_bad_input_is_refused_field_by_field_and_nothing_is_written(deputy_user):
    with pytest.raises(ValidationError) as exc:
        services.self_report_create(person=deputy_user.person, submitted_by=deputy_user,
                                    type=activity_type(), title="  ", start_date=TODAY - datetime.timedelta(days=1),
                                    end_date=TODAY - datetime.timedelta(days=3), description="")
    assert {"title", "description", "end_date"} <= set(exc.value.message_dict)
    assert SelfReport.objects.count() == 0


def test_an_inactive_type_is_refused(deputy_user):
    kind = activity_type()
    kind.is_active = False
    kind.save()
    with pytest.raises(ValidationError) as exc:
        make_report(deputy_user)
    assert "type" in exc.value.message_dict


def test_evidence_that_is_not_an_accepted_type_is_refused_and_nothing_is_written(deputy_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("photo.png", b"MZ\x90\x00 not a picture", content_type="image/png")
    with pytest.raises(ValidationError) as exc:
        make_report(deputy_user, files=[png(), fake])
    assert "evidence" in exc.value.message_dict
    assert SelfReport.objects.count() == 0 and Attachment.objects.count() == 0


def test_only_the_deputy_themself_may_report(deputy_user, staff_user):
    with pytest.raises(ValidationError):
        services.self_report_create(person=deputy_user.person, submitted_by=staff_user, type=activity_type(),
                                    title="x", start_date=TODAY, description="y")


# --- withdrawing ---------------------------------------------------------------------------------------------

def test_a_deputy_withdraws_a_pending_report_and_its_files_go(deputy_user, media, django_capture_on_commit_callbacks):
    report = make_report(deputy_user, files=[png()])
    path = media / report.attachments.get().file.name
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.self_report_withdraw(report=report, user=deputy_user)
    assert not SelfReport.objects.exists() and not Attachment.objects.exists()
    assert not path.exists()


def test_a_decided_report_cannot_be_withdrawn(deputy_user, staff_user):
    report = make_report(deputy_user)
    services.self_report_reject(report=report, user=staff_user, reason="材料不全")
    with pytest.raises(ValidationError):
        services.self_report_withdraw(report=report, user=deputy_user)
    assert SelfReport.objects.filter(pk=report.pk).exists()


def test_another_deputy_cannot_withdraw_a_report(deputy_user, other_deputy):
    report = make_report(deputy_user)
    with pytest.raises(ValidationError):
        services.self_report_withdraw(report=report, user=other_deputy)


# --- verifying and rejecting ----------------------------------------------------------------------------------

def test_verifying_creates_an_activity_with_the_deputy_present(deputy_user, staff_user, municipal_mandate, city):
    report = make_report(deputy_user, files=[png()])

    activity = services.self_report_verify(report=report, user=staff_user)

    report.refresh_from_db()
    assert report.status == SelfReport.Status.VERIFIED and report.activity == activity
    assert report.decided_by == staff_user and report.decided_at is not None
    assert activity.source == Activity.Source.SELF_REPORT
    assert (activity.type, activity.title, activity.start_date, activity.place, activity.description) == (
        report.type, report.title, report.start_date, report.place, report.description)
    assert activity.jurisdiction == city and activity.level == Level.MUNICIPAL
    assert municipal_mandate.person.name in activity.organiser
    participation = activity.participations.get()
    assert (participation.person, participation.mandate, participation.attendance) == (
        deputy_user.person, municipal_mandate, "present")
    assert list(activity.attachments.all()) == list(report.attachments.all())
    assert AuditEvent.objects.filter(action=services.AUDIT_VERIFY, object_id=str(report.pk)).exists()


def test_the_deputy_is_notified_of_the_verification(deputy_user, staff_user):
    services.self_report_verify(report=make_report(deputy_user), user=staff_user)
    notification = Notification.objects.get(recipient=deputy_user)
    assert notification.url == reverse("activities:my_activities")


def test_verifying_into_an_activity_the_deputy_already_attends_keeps_one_participation(
        deputy_user, staff_user, municipal_mandate, city):
    activity = make_activity(city, participants=[municipal_mandate])
    report = make_report(deputy_user)

    assert services.self_report_verify(report=report, user=staff_user, activity=activity) == activity

    assert Participation.objects.filter(person=deputy_user.person).count() == 1
    assert Activity.objects.count() == 1
    report.refresh_from_db()
    assert report.status == SelfReport.Status.VERIFIED and report.activity == activity


def test_verifying_into_an_existing_activity_adds_the_deputy(deputy_user, staff_user, municipal_mandate, city):
    activity = make_activity(city, start_date=TODAY - datetime.timedelta(days=8),
                             end_date=TODAY - datetime.timedelta(days=5))
    report = make_report(deputy_user, files=[png()])

    services.self_report_verify(report=report, user=staff_user, activity=activity)

    participation = activity.participations.get()
    assert (participation.person, participation.mandate) == (deputy_user.person, municipal_mandate)
    assert activity.attachments.count() == 1


def test_a_deputy_with_two_mandates_is_one_participation(deputy_user, staff_user, municipal_mandate, county, city):
    MandateFactory(term=TermFactory(jurisdiction=county, level=Level.COUNTY, number=19), person=deputy_user.person)
    activity = make_activity(city)
    services.self_report_verify(report=make_report(deputy_user), user=staff_user, activity=activity)
    services.self_report_verify(report=make_report(deputy_user, title="另一条"), user=staff_user, activity=activity)
    assert Participation.objects.filter(activity=activity, person=deputy_user.person).count() == 1


@pytest.mark.parametrize("change", ["type", "date", "scope"])
def test_an_activity_of_another_type_date_or_outside_the_scope_is_refused(
        deputy_user, county_staff_user, staff_user, city, change):
    activity = {
        "type": lambda: make_activity(city, type_code="survey"),
        "date": lambda: make_activity(city, start_date=TODAY - datetime.timedelta(days=2)),
        "scope": lambda: make_activity(city),  # the city's activity is outside county staff's scope
    }[change]()
    user = county_staff_user if change == "scope" else staff_user
    report = make_report(deputy_user)

    with pytest.raises(ValidationError) as exc:
        services.self_report_verify(report=report, user=user, activity=activity)

    assert "activity" in exc.value.message_dict
    report.refresh_from_db()
    assert report.status == SelfReport.Status.PENDING and Participation.objects.count() == 0


def test_rejecting_needs_a_reason_and_tells_the_deputy(deputy_user, staff_user):
    report = make_report(deputy_user)
    with pytest.raises(ValidationError) as exc:
        services.self_report_reject(report=report, user=staff_user, reason="  ")
    assert "reason" in exc.value.message_dict

    services.self_report_reject(report=report, user=staff_user, reason="日期与会议记录不符")

    report.refresh_from_db()
    assert report.status == SelfReport.Status.REJECTED and report.reason == "日期与会议记录不符"
    assert Participation.objects.count() == 0 and Activity.objects.count() == 0
    notification = Notification.objects.get(recipient=deputy_user)
    assert "日期与会议记录不符" in notification.body
    assert notification.url == reverse("activities:my_activities")
    assert AuditEvent.objects.filter(action=services.AUDIT_REJECT, object_id=str(report.pk)).exists()


@pytest.mark.parametrize("first", ["verify", "reject"])
@pytest.mark.parametrize("second", ["verify", "reject"])
def test_a_decided_report_cannot_be_decided_again(deputy_user, staff_user, first, second):
    report = make_report(deputy_user)
    decide = {"verify": lambda: services.self_report_verify(report=report, user=staff_user),
              "reject": lambda: services.self_report_reject(report=report, user=staff_user, reason="不符")}
    decide[first]()
    activities, participations = Activity.objects.count(), Participation.objects.count()
    notifications = Notification.objects.count()

    with pytest.raises(ValidationError, match="已处理"):
        decide[second]()

    assert (Activity.objects.count(), Participation.objects.count(), Notification.objects.count()) == (
        activities, participations, notifications)


def test_only_verified_reports_count(deputy_user, staff_user):
    make_report(deputy_user, title="待审")
    services.self_report_reject(report=make_report(deputy_user, title="驳回"), user=staff_user, reason="不符")
    services.self_report_verify(report=make_report(deputy_user, title="通过"), user=staff_user)
    assert list(Participation.objects.values_list("activity__title", flat=True)) == ["通过"]


# --- pages ---------------------------------------------------------------------------------------------------

def test_the_form_creates_a_report_with_files(client_for, deputy_user, municipal_mandate):
    response = client_for(deputy_user).post(reverse("activities:self_report_create"), {
        "type": activity_type().pk, "title": "视察", "start_date": "2026-11-20", "end_date": "",
        "place": "市政府", "description": "参加视察", "evidence": [png(), pdf()]})
    report = SelfReport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("activities:self_report_detail",
                                                                           args=[report.pk])
    assert report.attachments.count() == 2 and report.mandate == municipal_mandate


def test_the_form_refuses_a_future_date_and_writes_nothing(client_for, deputy_user):
    response = client_for(deputy_user).post(reverse("activities:self_report_create"), {
        "type": activity_type().pk, "title": "视察", "start_date": "2026-11-27", "description": "参加视察"})
    assert response.status_code == 200 and response.context["form"].errors["start_date"]
    assert SelfReport.objects.count() == 0


def test_the_form_says_when_no_mandate_served_on_the_date(client_for, deputy_user):
    response = client_for(deputy_user).post(reverse("activities:self_report_create"), {
        "type": activity_type().pk, "title": "视察", "start_date": "2020-05-01", "description": "参加视察"})
    assert response.status_code == 200
    assert "不具有在任代表资格" in str(response.context["form"].errors["start_date"])
    assert SelfReport.objects.count() == 0


def test_the_form_offers_only_active_types(client_for, deputy_user):
    kind = activity_type("survey")
    kind.is_active = False
    kind.save()
    form = client_for(deputy_user).get(reverse("activities:self_report_create")).context["form"]
    assert kind not in form.fields["type"].queryset and activity_type() in form.fields["type"].queryset


def test_staff_verify_into_a_chosen_activity_from_the_page(client_for, deputy_user, staff_user, city):
    activity = make_activity(city)
    report = make_report(deputy_user)
    client = client_for(staff_user)
    page = client.get(reverse("activities:self_report_detail", args=[report.pk]))
    assert str(activity.pk) in dict(page.context["verify_form"].fields["activity"].choices)
    assert f'id="verify-{report.pk}"'.encode() in page.content and f'id="reject-{report.pk}"'.encode() in page.content

    response = client.post(reverse("activities:self_report_verify", args=[report.pk]), {"activity": activity.pk})

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.activity == activity and activity.participations.count() == 1


def test_staff_verify_into_a_new_activity_from_the_page(client_for, deputy_user, staff_user):
    report = make_report(deputy_user)
    response = client_for(staff_user).post(reverse("activities:self_report_verify", args=[report.pk]),
                                           {"activity": "new"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == SelfReport.Status.VERIFIED and report.activity.source == "self_report"


def test_rejecting_without_a_reason_shows_the_form_again(client_for, deputy_user, staff_user):
    report = make_report(deputy_user)
    response = client_for(staff_user).post(reverse("activities:self_report_reject", args=[report.pk]),
                                           {"reason": ""})
    assert response.status_code == 200 and response.context["reject_form"].errors["reason"]
    report.refresh_from_db()
    assert report.status == SelfReport.Status.PENDING


def test_a_second_decision_from_the_page_is_refused_with_a_message(client_for, deputy_user, staff_user):
    report = make_report(deputy_user)
    services.self_report_reject(report=report, user=staff_user, reason="不符")
    client = client_for(staff_user)
    response = client.post(reverse("activities:self_report_verify", args=[report.pk]), {"activity": "new"},
                           follow=True)
    assert response.redirect_chain[-1][0] == reverse("activities:self_report_detail", args=[report.pk])
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    report.refresh_from_db()
    assert report.status == SelfReport.Status.REJECTED and Activity.objects.count() == 0


def test_supervisors_see_the_report_without_the_decision_forms(client_for, deputy_user, supervisor_user):
    report = make_report(deputy_user)
    response = client_for(supervisor_user).get(reverse("activities:self_report_detail", args=[report.pk]))
    assert response.status_code == 200 and response.context["can_decide"] is False
    assert f'id="verify-{report.pk}"'.encode() not in response.content


def test_evidence_is_downloaded_as_an_attachment_with_its_stored_type(client_for, deputy_user, staff_user):
    report = make_report(deputy_user, files=[pdf("签到表.pdf")])
    attachment = report.attachments.get()
    response = client_for(staff_user).get(reverse("activities:self_report_evidence", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_deputy_withdraws_from_the_page(client_for, deputy_user):
    report = make_report(deputy_user)
    response = client_for(deputy_user).post(reverse("activities:self_report_withdraw", args=[report.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("activities:my_activities")
    assert not SelfReport.objects.exists()


# --- the queue ---------------------------------------------------------------------------------------------------

def test_the_queue_lists_pending_first_and_filters(client_for, deputy_user, staff_user):
    decided = make_report(deputy_user, title="已驳回")
    services.self_report_reject(report=decided, user=staff_user, reason="不符")
    pending = make_report(deputy_user, title="待审", type_code="survey")
    client = client_for(staff_user)

    rows = list(client.get(reverse("activities:self_report_queue")).context["page"].object_list)
    assert rows == [pending, decided]
    assert list(client.get(reverse("activities:self_report_queue"), {"status": "rejected"})
                .context["page"].object_list) == [decided]
    assert list(client.get(reverse("activities:self_report_queue"), {"type": activity_type("survey").pk})
                .context["page"].object_list) == [pending]
    assert list(client.get(reverse("activities:self_report_queue"), {"date_from": "2026-11-25"})
                .context["page"].object_list) == []


def test_county_staff_see_only_their_countys_deputies_in_the_queue(client_for, deputy_user, other_deputy,
                                                                    county_staff_user):
    make_report(deputy_user)
    theirs = make_report(other_deputy)
    rows = client_for(county_staff_user).get(reverse("activities:self_report_queue")).context["page"].object_list
    assert list(rows) == [theirs]


def _many_reports(n, user):
    for i in range(n):
        make_report(user, title=f"视察{i}", files=[png()])


def test_the_queue_query_count_does_not_grow_with_rows(client_for, deputy_user, staff_user,
                                                        django_assert_max_num_queries):
    client = client_for(staff_user)
    _many_reports(2, deputy_user)
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("activities:self_report_queue"))
    _many_reports(12, deputy_user)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("activities:self_report_queue"))
    assert len(response.context["page"].object_list) == 14


# --- my activities -------------------------------------------------------------------------------------------

def test_my_activities_shows_verified_pending_and_rejected_newest_first(client_for, deputy_user, staff_user,
                                                                         municipal_mandate, city):
    staff_recorded = make_activity(city, title="执法检查", start_date=datetime.date(2026, 9, 3),
                                   participants=[municipal_mandate])
    Participation.objects.filter(activity=staff_recorded).update(attendance="leave")
    services.self_report_verify(report=make_report(deputy_user, title="通过", start_date=datetime.date(2026, 10, 8)),
                                user=staff_user)
    services.self_report_reject(report=make_report(deputy_user, title="驳回", start_date=datetime.date(2026, 10, 2)),
                                user=staff_user, reason="无佐证材料")
    make_report(deputy_user, title="待审", start_date=datetime.date(2026, 11, 20))
    make_activity(city, title="别人的活动", participants=[MandateFactory(term=municipal_mandate.term)])

    response = client_for(deputy_user).get(reverse("activities:my_activities"))

    months = response.context["months"]
    assert [(m.year, m.month) for m in months] == [(2026, 11), (2026, 10), (2026, 9)]
    items = [(i.title, i.status) for m in months for i in m.items]
    assert items == [("待审", "pending"), ("通过", "verified"), ("驳回", "rejected"), ("执法检查", "verified")]
    assert months[2].items[0].attendance == "leave"
    html = response.content.decode()
    assert html.count('data-status="verified"') == 2 and "无佐证材料" in html
    assert 'id="my-activities"' in html


def test_my_activities_filters_by_year(client_for, deputy_user, municipal_mandate, city):
    make_activity(city, title="去年", start_date=datetime.date(2025, 6, 1), participants=[municipal_mandate])
    make_report(deputy_user, title="今年")
    client = client_for(deputy_user)
    response = client.get(reverse("activities:my_activities"), {"year": 2025})
    assert [i.title for m in response.context["months"] for i in m.items] == ["去年"]
    assert [y for y, _label in response.context["filters"].fields["year"].choices if y] == [2026, 2025]
    assert len(client.get(reverse("activities:my_activities")).context["months"]) == 2


def test_my_activities_query_count_does_not_grow_with_rows(client_for, deputy_user, municipal_mandate, city,
                                                          staff_user, django_assert_max_num_queries):
    client = client_for(deputy_user)
    make_activity(city, participants=[municipal_mandate])
    make_report(deputy_user)
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("activities:my_activities"))
    for i in range(10):
        make_activity(city, title=f"活动{i}", start_date=datetime.date(2025 - i % 3, 1 + i, 5),
                      participants=[municipal_mandate])
        services.self_report_reject(report=make_report(deputy_user, title=f"驳回{i}"), user=staff_user, reason="不符")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("activities:my_activities"))
    assert sum(len(m.items) for m in response.context["months"]) == 22


def test_the_timeline_selector_reads_in_two_queries(deputy_user, municipal_mandate, city,
                                                    django_assert_num_queries):
    for i in range(5):
        make_activity(city, title=f"活动{i}", participants=[municipal_mandate])
        make_report(deputy_user, title=f"登记{i}")
    with django_assert_num_queries(2):
        months = selectors.timeline(deputy_user.person_id)
    assert sum(len(m.items) for m in months) == 10


def test_a_member_of_staff_who_is_also_the_deputy_cannot_decide_their_own_report(deputy_user, staff_user):
    staff_user.person = deputy_user.person
    deputy_user.person = None
    deputy_user.save()
    staff_user.save()
    report = make_report(staff_user)
    with pytest.raises(ValidationError):
        services.self_report_verify(report=report, user=staff_user)
    report.refresh_from_db()
    assert report.status == SelfReport.Status.PENDING
