"""The audit trail: append-only in the database, and an entry for every change of a business record."""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from django.urls import reverse
from simple_history.models import HistoricalRecords

from apps.core import audit
from apps.deputies.bench import audit_write_overhead_pct
from apps.core.models import AuditEvent
from apps.core.services import audit_event
from apps.deputies import services as deputies_services
from apps.deputies.models import Person
from apps.stations import services as stations_services
from apps.training.models import TrainingProgram, TrainingSession
from tests.factories import UserFactory

CHANGES = (audit.ACTION_CREATE, audit.ACTION_UPDATE, audit.ACTION_DELETE)


def _changes(**filters):
    filters.setdefault("action__in", CHANGES)
    return list(AuditEvent.objects.filter(**filters).order_by("pk"))


@pytest.fixture
def entry(staff_user):
    return audit_event(user=staff_user, action=AuditEvent.Action.EXPORT, detail="roster")


# --- append-only ---------------------------------------------------------------------------------------------

def test_the_database_refuses_to_update_an_entry_through_the_orm(entry):
    entry.detail = "nothing happened"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        entry.save()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=entry.pk).update(success=False)
    entry.refresh_from_db()
    assert (entry.detail, entry.success) == ("roster", True)


def test_the_database_refuses_to_delete_an_entry_through_the_orm(entry):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        entry.delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize("sql", [
    "UPDATE core_auditevent SET username = 'someone else' WHERE id = %s",
    "DELETE FROM core_auditevent WHERE id = %s",
])
def test_the_database_refuses_raw_sql_that_alters_an_entry(entry, sql):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [entry.pk])
    entry.refresh_from_db()
    assert entry.username == "staff"


def test_a_user_with_audit_entries_can_still_be_deleted_and_the_entries_keep_who_it_was(entry, staff_user):
    pk = staff_user.pk
    staff_user.delete()  # no cascade, no SET NULL: nothing touches the entry
    entry = AuditEvent.objects.get(pk=entry.pk)
    assert (entry.user_id, entry.username) == (pk, "staff")


def test_a_user_with_audit_entries_can_be_deactivated(entry, staff_user):
    staff_user.is_active = False
    staff_user.save()
    assert AuditEvent.objects.get(pk=entry.pk).user_id == staff_user.pk


# --- change auditing ----------------------------------------------------------------------------------------

def _edit_data(person: Person, **overrides) -> dict:
    fields = ["name", "gender", "ethnicity", "id_number", "phone", "party", "education", "employer", "post",
              "sector", "occupation", "address"]
    data = {f: getattr(person, f) for f in fields}
    data["birth_date"] = person.birth_date.isoformat() if person.birth_date else ""
    data.update(overrides)
    return data


def test_editing_a_person_on_the_page_records_who_from_where_and_the_changed_fields_only(
        client_for, staff_user, municipal_mandate):
    person = municipal_mandate.person
    client = client_for(staff_user)  # its sign-in is audited as a login, before the edit
    before = AuditEvent.objects.count()
    new_phone, new_id = "13600001111", person.id_number
    response = client.post(reverse("deputies:person_edit", args=[person.pk]),
                                           _edit_data(person, phone=new_phone, post="校长"),
                                           REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 302
    rows = list(AuditEvent.objects.order_by("pk")[before:])
    assert len(rows) == 1  # one INSERT for the change; nothing for the history row
    row = rows[0]
    assert (row.action, row.object_type, row.object_id) == (audit.ACTION_UPDATE, "deputies.Person", str(person.pk))
    assert (row.user, row.username, row.ip_address, row.success) == (staff_user, "staff", "203.0.113.7", True)
    assert row.detail == "changed: phone, post"
    assert new_phone not in row.detail and new_id not in row.detail and "校长" not in row.detail


def test_an_edit_refused_by_validation_writes_no_change_entry(client_for, staff_user, municipal_mandate):
    person = municipal_mandate.person
    before = len(_changes())
    response = client_for(staff_user).post(reverse("deputies:person_edit", args=[person.pk]),
                                           _edit_data(person, phone="12345"))
    assert response.status_code == 200
    assert len(_changes()) == before


def test_a_change_rolled_back_leaves_no_entry(municipal_mandate):
    before = len(_changes())
    with pytest.raises(RuntimeError), transaction.atomic():
        deputies_services.person_update(person=municipal_mandate.person, data={"post": "校长"})
        raise RuntimeError
    assert len(_changes()) == before


def test_creating_a_station_through_the_service_records_the_creation_and_its_deputies(
        city, municipal_mandate, staff_user):
    station = stations_services.station_create(name="新站", jurisdiction=city, address="人民大街1号",
                                               responsible_name="王站长", responsible_phone="13912345678",
                                               deputies=[municipal_mandate.person], user=staff_user)
    rows = _changes(object_type="stations.Station", object_id=str(station.pk))
    assert [(r.action, r.detail, r.user) for r in rows] == [
        (audit.ACTION_CREATE, "", staff_user),  # outside a request: the service's acting user
        (audit.ACTION_UPDATE, "changed: deputies", staff_user),
    ]
    assert all(r.ip_address is None for r in rows)
    assert "13912345678" not in "".join(r.detail for r in rows)


def test_deleting_a_record_records_one_entry_not_one_per_row_swept_along(city, staff_user, today):
    program = TrainingProgram.objects.create(title="履职培训", form="central", topic="duties", jurisdiction=city,
                                             level="city", start_date=today, end_date=today)
    session = TrainingSession.objects.create(program=program, title="第一讲", date=today, hours=2)
    pk = program.pk
    before = len(_changes())
    program.delete()  # its sessions go with it
    rows = _changes()[before:]
    assert [(r.action, r.object_type, r.object_id) for r in rows] == [
        (audit.ACTION_DELETE, "training.TrainingProgram", str(pk))]
    assert not TrainingSession.objects.filter(pk=session.pk).exists()


def test_no_entry_names_a_history_table_or_an_automatic_link_table(client_for, staff_user, municipal_mandate, city):
    client_for(staff_user).post(reverse("deputies:person_edit", args=[municipal_mandate.person.pk]),
                                _edit_data(municipal_mandate.person, post="校长"))
    stations_services.station_create(name="新站", jurisdiction=city, address="人民大街1号", responsible_name="王站长",
                                     deputies=[municipal_mandate.person])
    types = set(AuditEvent.objects.values_list("object_type", flat=True))
    assert "deputies.Person" in types and "stations.Station" in types
    assert not [t for t in types if ".Historical" in t or "_deputies" in t]


def test_only_the_field_names_are_recorded_never_the_values(municipal_mandate):
    person = Person.objects.get(pk=municipal_mandate.person.pk)
    old_id, old_phone = person.id_number, person.phone
    deputies_services.person_update(person=person, data={"phone": "13700002222", "address": "长春市朝阳区1号"})
    row = _changes(object_type="deputies.Person")[-1]
    assert row.detail == "changed: phone, address"  # in the model's order
    for value in (old_id, old_phone, "13700002222", "长春市朝阳区1号"):
        assert value not in row.detail


def test_saving_twice_records_only_what_the_second_save_changed(municipal_mandate):
    person = Person.objects.get(pk=municipal_mandate.person.pk)
    deputies_services.person_update(person=person, data={"post": "校长"})
    deputies_services.person_update(person=person, data={"employer": "长春市第二中学"})
    assert [r.detail for r in _changes(object_type="deputies.Person")][-2:] == [
        "changed: post", "changed: employer"]


def test_an_administrator_changing_another_account_is_recorded_but_a_sign_in_is_not(
        client_for, sysadmin_user, staff_user):
    before = len(_changes(object_type="accounts.User"))
    client_for(staff_user).get(reverse("core:home"))  # force_login writes last_login
    assert len(_changes(object_type="accounts.User")) == before

    request = RequestFactory().post("/", REMOTE_ADDR="198.51.100.4")
    request.user = sysadmin_user
    HistoricalRecords.context.request = request
    try:
        staff_user.full_name = "新名字"
        staff_user.set_password("Another@2026x")
        staff_user.save()
        new = UserFactory(username="newcomer")
    finally:
        del HistoricalRecords.context.request
    rows = _changes(object_type="accounts.User")[before:]
    assert [(r.action, r.object_id, r.user, r.ip_address) for r in rows] == [
        (audit.ACTION_UPDATE, str(staff_user.pk), sysadmin_user, "198.51.100.4"),
        (audit.ACTION_CREATE, str(new.pk), sysadmin_user, "198.51.100.4"),
    ]
    assert rows[0].detail.startswith("changed: ")
    assert {"full_name", "password"} <= set(rows[0].detail.removeprefix("changed: ").split(", "))
    assert "Another@2026x" not in rows[0].detail and staff_user.password not in rows[0].detail


def test_a_user_changing_their_own_account_is_not_a_change_entry(staff_user):
    request = RequestFactory().post("/")
    request.user = staff_user
    HistoricalRecords.context.request = request
    try:
        staff_user.full_name = "我自己"
        staff_user.save()
    finally:
        del HistoricalRecords.context.request
    assert not _changes(object_type="accounts.User", object_id=str(staff_user.pk))


def test_the_audit_overhead_figure_is_a_number(municipal_mandate, staff_user):
    value = audit_write_overhead_pct(runs=3, user=staff_user)
    assert isinstance(value, float)
    assert -100 < value < 1000
    assert not _changes(object_type="deputies.Person", action=audit.ACTION_UPDATE)  # every run rolled back
    # the handlers are connected again afterwards
    deputies_services.person_update(person=Person.objects.get(pk=municipal_mandate.person.pk), data={"post": "x"})
    assert _changes(object_type="deputies.Person")


@pytest.fixture
def today():
    return datetime.date(2026, 5, 1)
