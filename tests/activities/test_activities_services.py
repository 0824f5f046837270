"""Services of the staff side: activities, participants (bulk add, mandate choice, one row per person),
attendance and outcomes, attachments checked by content and size."""

import datetime
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.activities.models import Activity, Participation
from apps.activities.services import activities as services
from apps.core.models import AuditEvent
from apps.deputies.attendance import Attendance
from apps.deputies.models import Level
from apps.deputies.participants import mandates_for_people
from tests.activities.staff_support import DAY, PDF, PNG, activity_type, make_activity, workbook
from tests.factories import MandateFactory, PersonFactory, TermFactory


def test_activity_create_happy_path(city, staff_user):
    activity = services.activity_create(type=activity_type(), title=" 视察 ", jurisdiction=city,
                                        level=Level.MUNICIPAL, start_date=DAY, user=staff_user)
    assert activity.title == "视察" and activity.created_by == staff_user


def test_activity_create_rejects_bad_input_with_messages(city, other_county, county_staff_user):
    with pytest.raises(ValidationError) as exc:
        services.activity_create(type=activity_type(), title="", jurisdiction=other_county, level="x",
                                 start_date=DAY, end_date=DAY - datetime.timedelta(days=1), user=county_staff_user)
    assert set(exc.value.message_dict) == {"title", "jurisdiction", "level", "end_date"}
    assert Activity.objects.count() == 0


def test_participants_add_adds_in_one_go_and_skips_those_already_in(city, municipal_mandate, staff_user,
                                                                    city_term):
    activity = make_activity(city)
    others = [MandateFactory(term=city_term) for _i in range(3)]
    people = {m.person_id: m.pk for m in [municipal_mandate, *others]}
    assert services.participants_add(activity=activity, people=people, user=staff_user) == 4
    assert services.participants_add(activity=activity, people=people, user=staff_user) == 0
    assert activity.participations.count() == 4
    assert AuditEvent.objects.filter(action=AuditEvent.Action.BULK_CHANGE, object_id=str(activity.pk)).count() == 2


def test_participants_add_rejects_a_mandate_of_another_person(city, municipal_mandate, city_term, staff_user):
    activity = make_activity(city)
    other = MandateFactory(term=city_term)
    with pytest.raises(ValidationError) as exc:
        services.participants_add(activity=activity, people={municipal_mandate.person_id: other.pk,
                                                             other.person_id: other.pk}, user=staff_user)
    assert "没有可参加本次活动的代表资格" in exc.value.message_dict["people"][0]
    assert Participation.objects.count() == 0


def test_participants_add_rejects_a_mandate_outside_the_organisers_jurisdiction(county, other_county_mandate,
                                                                                county_staff_user):
    activity = make_activity(county, level=Level.COUNTY)
    with pytest.raises(ValidationError):
        services.participants_add(activity=activity, people={other_county_mandate.person_id: other_county_mandate.pk},
                                  user=county_staff_user)
    assert Participation.objects.count() == 0


def test_participants_add_rejects_a_mandate_not_serving_on_the_day(city, city_term, staff_user):
    late = MandateFactory(term=city_term, start_date=DAY + datetime.timedelta(days=1))
    activity = make_activity(city)
    with pytest.raises(ValidationError):
        services.participants_add(activity=activity, people={late.person_id: late.pk}, user=staff_user)


def test_leave_needs_a_reason(city, municipal_mandate, staff_user):
    activity = make_activity(city)
    with pytest.raises(ValidationError) as exc:
        services.participants_add(activity=activity, people={municipal_mandate.person_id: municipal_mandate.pk},
                                  attendance=Attendance.LEAVE, user=staff_user)
    assert "leave_reason" in exc.value.message_dict


def test_a_person_with_two_mandates_is_one_participation_under_the_organisers_level(
        city, county, city_term, county_term, staff_user, county_staff_user):
    person = PersonFactory(name="双代表")
    municipal = MandateFactory(term=city_term, person=person)
    county_seat = MandateFactory(term=county_term, person=person)
    city_event, county_event = make_activity(city), make_activity(county, level=Level.COUNTY)
    assert mandates_for_people([person.pk], jurisdiction=city, level=Level.MUNICIPAL, on=DAY) == {person.pk: municipal.pk}
    assert mandates_for_people([person.pk], jurisdiction=county, level=Level.COUNTY, on=DAY) == {person.pk: county_seat.pk}
    services.participants_add(activity=city_event, people={person.pk: municipal.pk}, user=staff_user)
    # Offered again under the other mandate: still one participation.
    assert services.participants_add(activity=city_event, people={person.pk: county_seat.pk}, user=staff_user) == 0
    assert city_event.participations.get().mandate == municipal
    services.participants_add(activity=county_event, people={person.pk: county_seat.pk}, user=county_staff_user)
    assert county_event.participations.get().mandate == county_seat


def test_500_participants_are_added_quickly(city, staff_user):
    term = TermFactory(jurisdiction=city, level=Level.MUNICIPAL, number=15, name="第十五届",
                       start_date=datetime.date(2020, 1, 1))
    people = PersonFactory.create_batch(500)
    from apps.deputies.models import Mandate

    Mandate.objects.bulk_create([Mandate(person=p, term=term, level=Level.MUNICIPAL, jurisdiction=city,
                                         start_date=term.start_date) for p in people])
    activity = make_activity(city)
    chosen = mandates_for_people([p.pk for p in people], jurisdiction=city, level=Level.MUNICIPAL, on=DAY)
    started = time.perf_counter()
    assert services.participants_add(activity=activity, people=chosen, user=staff_user) == 500
    assert time.perf_counter() - started < 2
    assert activity.participations.count() == 500


def test_participation_update_attendance_and_outcomes(city, municipal_mandate, staff_user):
    activity = make_activity(city, code="theme_practice")
    services.participants_add(activity=activity, people={municipal_mandate.person_id: municipal_mandate.pk},
                              user=staff_user)
    p = activity.participations.get()
    with pytest.raises(ValidationError) as exc:
        services.participation_update(participation=p, attendance=Attendance.LEAVE, leave_reason=" ", user=staff_user)
    assert "leave_reason" in exc.value.message_dict
    services.participation_update(participation=p, attendance=Attendance.PRESENT, user=staff_user,
                                  outcomes={"suggestions_raised": 3, "households_helped": 10, "people_helped": 30,
                                            "funds_donated": "1500.50"})
    p.refresh_from_db()
    assert (p.suggestions_raised, p.households_helped, p.people_helped, str(p.funds_donated)) == (3, 10, 30, "1500.50")
    with pytest.raises(ValidationError):
        services.participation_update(participation=p, attendance=Attendance.PRESENT, user=staff_user,
                                      outcomes={"people_helped": -1})


def test_outcomes_are_refused_for_a_type_without_them(city, municipal_mandate, staff_user):
    activity = make_activity(city)
    services.participants_add(activity=activity, people={municipal_mandate.person_id: municipal_mandate.pk},
                              user=staff_user)
    with pytest.raises(ValidationError):
        services.participation_update(participation=activity.participations.get(), attendance="present",
                                      outcomes={"people_helped": 3}, user=staff_user)


def test_mark_leave_needs_a_reason_and_marks_only_the_chosen(city, city_term, staff_user):
    activity = make_activity(city)
    mandates = [MandateFactory(term=city_term) for _i in range(3)]
    services.participants_add(activity=activity, people={m.person_id: m.pk for m in mandates}, user=staff_user)
    with pytest.raises(ValidationError):
        services.participations_mark_leave(activity=activity, person_ids=[mandates[0].person_id], leave_reason="",
                                           user=staff_user)
    assert services.participations_mark_leave(activity=activity, person_ids=[m.person_id for m in mandates[:2]],
                                              leave_reason="出差", user=staff_user) == 2
    assert sorted(activity.participations.values_list("attendance", flat=True)) == ["leave", "leave", "present"]


@pytest.mark.parametrize("name,content,content_type", [
    ("photo.png", PNG, "image/png"), ("scan.pdf", PDF, "application/pdf"),
    ("photo.jpg", b"\xff\xd8\xff\xe0" + b"0" * 40, "image/jpeg"),
])
def test_attachment_type_is_read_from_the_content(city, staff_user, name, content, content_type):
    activity = make_activity(city)
    attachment = services.attachment_add(activity=activity, file=SimpleUploadedFile(name, content, "text/plain"),
                                         user=staff_user)
    assert attachment.content_type == content_type and attachment.size == len(content)


def test_attachment_xlsx_is_recognised(city, staff_user):
    data = workbook([(1, "张三丰", "签到", "")]).getvalue()
    attachment = services.attachment_add(activity=make_activity(city),
                                         file=SimpleUploadedFile("x.bin", data), user=staff_user)
    assert attachment.content_type.endswith("spreadsheetml.sheet")


def test_attachment_with_a_false_extension_is_refused(city, staff_user):
    with pytest.raises(ValidationError) as exc:
        services.attachment_add(activity=make_activity(city),
                                file=SimpleUploadedFile("photo.png", b"<html>not an image</html>", "image/png"),
                                user=staff_user)
    assert "类型不被接受" in exc.value.message_dict["file"][0]


def test_oversize_attachment_is_refused(city, staff_user, settings):
    settings.UPLOAD_MAX_BYTES = 100
    with pytest.raises(ValidationError) as exc:
        services.attachment_add(activity=make_activity(city), file=SimpleUploadedFile("a.png", PNG + b"0" * 200),
                                user=staff_user)
    assert "过大" in exc.value.message_dict["file"][0]
