"""Training writes: programs, sessions, attendance (one insert, audited; bad input writes nothing)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.core.models import AuditEvent
from apps.deputies.attendance import Attendance
from apps.deputies.models import Level, Mandate
from apps.scoring.models import StaleMandate
from apps.training import services
from apps.training.models import TrainingAttendance, TrainingMaterial
from tests.factories import MandateFactory
from tests.training.conftest import DAY


def test_staff_create_a_program_in_their_scope(staff_user, county):
    program = services.program_create(user=staff_user, title="南关区代表培训", form="central", topic="duties",
                                      jurisdiction=county, level=Level.COUNTY, start_date=DAY)
    assert program.created_by == staff_user and program.jurisdiction == county


def test_county_staff_cannot_organise_for_another_county(county_staff_user, other_county):
    with pytest.raises(ValidationError) as exc:
        services.program_create(user=county_staff_user, title="x", form="central", topic="duties",
                                jurisdiction=other_county, level=Level.COUNTY, start_date=DAY)
    assert "jurisdiction" in exc.value.error_dict


def test_program_end_before_start_is_refused(staff_user, city):
    with pytest.raises(ValidationError) as exc:
        services.program_create(user=staff_user, title="x", form="central", topic="duties", jurisdiction=city,
                                level=Level.MUNICIPAL, start_date=DAY, end_date=DAY - datetime.timedelta(days=1))
    assert "end_date" in exc.value.error_dict


def test_session_outside_the_program_dates_is_refused(program):
    program.end_date = DAY + datetime.timedelta(days=2)
    with pytest.raises(ValidationError) as exc:
        services.session_create(program=program, title="x", date=DAY + datetime.timedelta(days=5), hours=2)
    assert "date" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.session_create(program=program, title="x", date=DAY, hours=0)
    assert "hours" in exc.value.error_dict


def test_attendance_add_inserts_once_and_audits(session, staff_user, municipal_mandate, county_mandate,
                                                django_assert_max_num_queries):
    people = {municipal_mandate.person_id: municipal_mandate.pk, county_mandate.person_id: county_mandate.pk}
    with django_assert_max_num_queries(7):  # one more: the two mandates' scores marked for their refresh
        added = services.attendance_add(session=session, people=people, user=staff_user)
    assert added == 2
    assert set(StaleMandate.objects.values_list("mandate_id", flat=True)) >= {municipal_mandate.pk, county_mandate.pk}
    assert set(TrainingAttendance.objects.values_list("person_id", "mandate_id", "attendance")) == {
        (municipal_mandate.person_id, municipal_mandate.pk, "present"),
        (county_mandate.person_id, county_mandate.pk, "present")}
    assert AuditEvent.objects.filter(action=AuditEvent.Action.BULK_CHANGE, object_id=str(session.pk)).count() == 1
    # Adding the same people again adds nothing: one row per person and session.
    assert services.attendance_add(session=session, people=people, user=staff_user) == 0
    assert TrainingAttendance.objects.count() == 2


def test_leave_without_a_reason_saves_nothing(session, staff_user, municipal_mandate):
    with pytest.raises(ValidationError) as exc:
        services.attendance_add(session=session, people={municipal_mandate.person_id: municipal_mandate.pk},
                                attendance=Attendance.LEAVE, user=staff_user)
    assert "attendance" in exc.value.error_dict
    assert TrainingAttendance.objects.count() == 0


def test_a_mandate_not_serving_on_the_date_is_refused(session, staff_user, city_term):
    later = MandateFactory(term=city_term, start_date=session.date + datetime.timedelta(days=1))
    with pytest.raises(ValidationError) as exc:
        services.attendance_add(session=session, people={later.person_id: later.pk}, user=staff_user)
    assert "people" in exc.value.error_dict
    assert TrainingAttendance.objects.count() == 0


def test_a_mandate_of_another_person_is_refused(session, staff_user, municipal_mandate, county_mandate):
    with pytest.raises(ValidationError):
        services.attendance_add(session=session, people={county_mandate.person_id: municipal_mandate.pk},
                                user=staff_user)


def test_nobody_chosen_is_refused(session, staff_user):
    with pytest.raises(ValidationError) as exc:
        services.attendance_add(session=session, people={}, user=staff_user)
    assert "people" in exc.value.error_dict


def test_attendance_set_requires_a_reason_for_leave(session, staff_user, municipal_mandate):
    services.attendance_add(session=session, people={municipal_mandate.person_id: municipal_mandate.pk},
                            user=staff_user)
    row = TrainingAttendance.objects.get()
    with pytest.raises(ValidationError) as exc:
        services.attendance_set(row=row, attendance=Attendance.LEAVE, leave_reason=" ")
    assert "leave_reason" in exc.value.error_dict
    services.attendance_set(row=row, attendance=Attendance.LEAVE, leave_reason="出差")
    row.refresh_from_db()
    assert (row.attendance, row.leave_reason) == ("leave", "出差")
    services.attendance_set(row=row, attendance=Attendance.ABSENT, leave_reason="出差")
    row.refresh_from_db()
    assert (row.attendance, row.leave_reason) == ("absent", "")


def test_material_is_checked_by_content(program, staff_user):
    with pytest.raises(ValidationError) as exc:
        services.material_add(program=program, file=SimpleUploadedFile("x.pdf", b"MZ not a pdf"), user=staff_user)
    assert "file" in exc.value.error_dict
    material = services.material_add(program=program, file=SimpleUploadedFile("讲义.pdf", b"%PDF-1.4 hello"),
                                     user=staff_user)
    assert material.content_type == "application/pdf" and material.original_name == "讲义.pdf"
    services.material_delete(material=material)
    assert TrainingMaterial.objects.count() == 0


def test_person_with_two_mandates_is_recorded_under_the_programs_level(session, staff_user, municipal_mandate,
                                                                       county_term):
    from apps.deputies.participants import mandates_for_people

    MandateFactory(person=municipal_mandate.person, term=county_term)
    people = mandates_for_people([municipal_mandate.person_id], jurisdiction=session.program.jurisdiction,
                                 level=session.program.level, on=session.date)
    services.attendance_add(session=session, people=people, user=staff_user)
    row = TrainingAttendance.objects.get()
    assert row.mandate == municipal_mandate
    assert Mandate.objects.filter(person=municipal_mandate.person).count() == 2
