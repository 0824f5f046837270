"""Personal data under PIPL: ID numbers and phones encrypted at rest with keyed lookup hashes, key rotation,
keys required in production, masking per role in the roster page and the Excel export."""

import datetime
import importlib
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.exceptions import FieldError, ImproperlyConfigured, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from apps.core import crypto
from apps.core.models import AuditEvent
from apps.deputies import excel, services
from apps.deputies.models import Mandate, Person
from tests.factories import MandateFactory, PersonFactory, make_id_number

ID = make_id_number(datetime.date(1980, 1, 1), seq=123)  # ends in a check digit, maybe X
PHONE = "13912345678"
BASE_DIR = Path(__file__).resolve().parents[2]
HEADER_ROW = 2  # the export's title, then its header row


def raw_row(table: str, pk_column: str, pk) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE {pk_column} = %s", [pk])
        names = [c.name for c in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


def decrypt_with(key: str, token: str) -> str:
    return Fernet(key.encode()).decrypt(token.encode()).decode()


@pytest.fixture
def person(city_term):
    return MandateFactory(person=PersonFactory(name="欧阳修", id_number=ID, phone=PHONE), term=city_term).person


# --- encrypted at rest ----------------------------------------------------------------------------------------

def test_the_database_holds_fernet_tokens_not_the_id_number_or_phone(person):
    row = raw_row("deputies_person", "id", person.pk)

    for column, plain in (("id_number", ID), ("phone", PHONE)):
        assert row[column] != plain and plain not in row[column]
        assert row[column].startswith("gAAAAA")  # a Fernet token
        assert decrypt_with(settings.PII_KEYS[0], row[column]) == plain
    assert ID not in str(row) and PHONE not in str(row)
    assert row["id_number_hash"] == crypto.lookup_hash(ID, "id_number") and len(row["id_number_hash"]) == 64


def test_the_history_table_holds_no_plaintext_either(person):
    services.person_update(person=person, data={"phone": "13600001111"})

    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM deputies_historicalperson WHERE id = %s", [person.pk])
        rows = cursor.fetchall()
    assert len(rows) == 2
    assert all(v.startswith("gAAAAA") for row in rows for v in row)
    assert [h.phone for h in person.history.order_by("history_date")] == [PHONE, "13600001111"]


def test_the_same_value_encrypts_differently_each_time():
    assert crypto.encrypt(ID) != crypto.encrypt(ID)
    assert crypto.decrypt(crypto.encrypt(ID)) == ID
    assert crypto.encrypt("") == ""  # an empty phone stays empty


def test_the_python_value_is_the_plaintext(person):
    fresh = Person.objects.get(pk=person.pk)
    assert (fresh.id_number, fresh.phone) == (ID, PHONE)
    assert fresh.masked_phone == "139****5678"


# --- lookups by hash ------------------------------------------------------------------------------------------

def test_a_person_is_found_by_id_number_and_phone_through_the_lookup_hash(person):
    PersonFactory()  # someone else
    assert list(Person.objects.with_id_number(ID.lower())) == [person]
    assert list(Person.objects.with_id_numbers([ID, make_id_number(datetime.date(1990, 1, 1), seq=1)])) == [person]
    assert list(Person.objects.with_phone("139 1234 5678")) == [person]
    assert not Person.objects.with_phone("").exists()


def test_the_roster_search_finds_a_whole_id_number_or_phone(client_for, staff_user, person):
    MandateFactory(term=person.mandates.get().term)
    client = client_for(staff_user)
    for q in (ID, PHONE):
        html = client.get(reverse("deputies:roster_list"), {"q": q}).content.decode()
        assert "欧阳修" in html, q
    html = client.get(reverse("deputies:roster_list"), {"q": PHONE[:7]}).content.decode()
    assert "欧阳修" not in html  # no partial search on an encrypted value


def test_filtering_on_an_encrypted_column_is_refused_rather_than_matching_nothing(person):
    with pytest.raises(FieldError, match="id_number_hash"):
        list(Person.objects.filter(id_number=ID))
    with pytest.raises(FieldError):
        list(Mandate.objects.filter(person__phone__startswith="139"))
    assert Person.objects.filter(phone__isnull=False).count() == 1


def test_a_changed_phone_changes_its_lookup_hash(person):
    services.person_update(person=person, data={"phone": "13600001111"})

    assert not Person.objects.with_phone(PHONE).exists()
    assert Person.objects.with_phone("13600001111").get() == person


def test_bulk_create_fills_the_lookup_hashes(db):
    people = [PersonFactory.build() for _ in range(3)]
    Person.objects.bulk_create(people)

    for p in people:
        assert Person.objects.with_id_number(p.id_number).get().pk == p.pk
        assert Person.objects.with_phone(p.phone).get().pk == p.pk


def test_an_import_that_changes_a_phone_updates_its_lookup_hash(staff_user, person):
    book = openpyxl.load_workbook(io.BytesIO(excel.export_roster(Mandate.objects.all(), unmasked=True)))
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[HEADER_ROW]]
    sheet.cell(HEADER_ROW + 1, headers.index("电话") + 1).value = "13600001111"
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)

    result = excel.import_roster(file=buffer, user=staff_user)

    assert result.ok and result.people_updated == 1, result.errors
    assert Person.objects.with_phone("13600001111").get() == person
    assert not Person.objects.with_phone(PHONE).exists()


# --- uniqueness -----------------------------------------------------------------------------------------------

def test_a_duplicate_id_number_is_refused_on_the_id_number_with_a_clear_message(person):
    with translation.override("en"):
        with pytest.raises(ValidationError) as exc:
            services.person_create(data={"name": "李四", "gender": "male", "ethnicity": "汉族", "id_number": ID,
                                         "phone": "", "party": "cpc"})
        assert exc.value.message_dict == {"id_number": ["Person with this ID number already exists."]}


def test_the_database_refuses_a_duplicate_id_number_even_in_lower_case(person):
    with pytest.raises(IntegrityError):
        Person.objects.bulk_create([PersonFactory.build(id_number=ID.lower())])


def test_the_create_form_shows_the_duplicate_on_the_id_number_field(client_for, staff_user, person):
    term = person.mandates.get().term
    data = {"name": "赵六", "gender": "male", "ethnicity": "汉族", "birth_date": "", "id_number": ID,
            "phone": "", "party": "cpc", "education": "", "employer": "", "post": "", "sector": "",
            "occupation": "", "address": "", "m-term": term.pk, "m-start_date": term.start_date.isoformat()}

    response = client_for(staff_user).post(reverse("deputies:person_create"), data)

    assert response.status_code == 200
    assert response.context["form"].errors["id_number"]
    assert Person.objects.count() == 1


# --- keys -----------------------------------------------------------------------------------------------------

def test_rotation_re_encrypts_every_row_so_that_the_new_key_alone_reads_them(person):
    services.person_update(person=person, data={"phone": "13600001111"})  # a second history row
    old, new = settings.PII_KEYS[0], Fernet.generate_key().decode()

    with override_settings(PII_KEYS=[new, old]):
        call_command("rotate_pii_key", stdout=io.StringIO())

    row = raw_row("deputies_person", "id", person.pk)
    assert decrypt_with(new, row["id_number"]) == ID
    with override_settings(PII_KEYS=[new]):
        fresh = Person.objects.get(pk=person.pk)
        assert (fresh.id_number, fresh.phone) == (ID, "13600001111")
        assert [h.phone for h in fresh.history.order_by("history_date")] == [PHONE, "13600001111"]
        assert Person.objects.with_id_number(ID).get() == person
    with override_settings(PII_KEYS=[old]), pytest.raises(ImproperlyConfigured, match="rotate_pii_key"):
        Person.objects.get(pk=person.pk)


def test_a_new_hash_key_takes_effect_after_rotation(person):
    with override_settings(PII_HASH_KEY="another-hash-key-of-at-least-32-characters"):
        assert not Person.objects.with_id_number(ID).exists()
        call_command("rotate_pii_key", stdout=io.StringIO())
        assert Person.objects.with_id_number(ID).get() == person
        assert Person.objects.with_phone(PHONE).get() == person


def test_the_migration_encrypts_existing_plaintext_and_fills_the_hashes(person):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE deputies_person SET id_number = %s, phone = %s, id_number_hash = '', "
                       "phone_hash = '' WHERE id = %s", [ID, PHONE, person.pk])
        cursor.execute("UPDATE deputies_historicalperson SET id_number = %s WHERE id = %s", [ID, person.pk])
    migration = importlib.import_module("apps.deputies.migrations.0004_encrypt_personal_data")

    migration.encrypt_existing(None, connection.schema_editor())

    row = raw_row("deputies_person", "id", person.pk)
    assert row["id_number"].startswith("gAAAAA") and row["phone"].startswith("gAAAAA")
    assert Person.objects.with_id_number(ID).get() == person and Person.objects.with_phone(PHONE).get() == person
    assert person.history.get().id_number == ID


PRODUCTION_BLOCK = """
import environ
from pathlib import Path
text = Path("deputies_platform/settings.py").read_text()
block = text[text.index("# --- security: personal data encryption"):text.index("# --- end personal data")]
env = environ.Env()
DEBUG, TESTING, SECRET_KEY = env.bool("DEBUG", default=False), env.bool("TESTING", default=False), "s" * 50
exec(block)
print(len(PII_KEYS), len(PII_HASH_KEY))
"""


def _settings_in_production(**env):
    """Run the settings' personal data block alone (the other blocks have their own production secrets)."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("PII_", "DEBUG", "TESTING"))}
    environment.update({"DEV_DEFAULTS": "false", "DEBUG": "false", **env})
    return subprocess.run([sys.executable, "-c", PRODUCTION_BLOCK], cwd=BASE_DIR, env=environment,
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("env", [
    {},
    {"PII_KEYS": Fernet.generate_key().decode()},
    {"PII_HASH_KEY": "h" * 40},
    {"PII_KEYS": "not-a-key", "PII_HASH_KEY": "h" * 40},
    {"PII_KEYS": Fernet.generate_key().decode(), "PII_HASH_KEY": "short"},
])
def test_production_settings_without_valid_keys_fail_at_startup(env):
    result = _settings_in_production(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "PII_" in result.stderr


def test_production_settings_with_keys_pass_the_personal_data_block():
    result = _settings_in_production(PII_KEYS=f"{Fernet.generate_key().decode()},{Fernet.generate_key().decode()}",
                                     PII_HASH_KEY="h" * 40)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["2", "40"]


def test_development_settings_derive_keys_from_the_secret_key():
    result = _settings_in_production(DEV_DEFAULTS="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1", "64"]


# --- masking per role -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["staff_user", "supervisor_user", "member_user"])
def test_the_roster_page_masks_personal_data_for_every_role(request, client_for, person, role):
    html = client_for(request.getfixturevalue(role)).get(reverse("deputies:roster_list")).content.decode()
    assert person.masked_id_number in html and "139****5678" in html
    assert ID not in html and PHONE not in html


def export(client, **params):
    response = client.get(reverse("deputies:roster_export"), params)
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    return dict(zip(rows[HEADER_ROW - 1], rows[HEADER_ROW], strict=True))


@pytest.mark.parametrize("role", ["staff_user", "supervisor_user"])
def test_an_export_without_the_permission_is_masked_even_when_asked_unmasked(request, client_for, person, role):
    user = request.getfixturevalue(role)
    assert not user.has_perm("deputies.export_personal_data")

    values = export(client_for(user), unmasked="1")

    assert (values["身份证号"], values["电话"]) == (person.masked_id_number, "139****5678")
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert "unmasked" not in event.detail.split(":")[0]


def test_an_unmasked_export_needs_the_permission_and_is_audited(client_for, staff_user, person):
    staff_user.user_permissions.add(Permission.objects.get(codename="export_personal_data"))

    values = export(client_for(staff_user), unmasked="1")

    assert (values["身份证号"], values["电话"]) == (ID, PHONE)
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.user == staff_user and event.detail.startswith("roster unmasked")
    assert not re.search(r"\d{17}[\dX]", event.detail)


# --- voters' phones at work stations --------------------------------------------------------------------------

def test_a_voters_phone_is_encrypted_at_rest_and_rotated(city):
    from tests.stations.conftest import make_station, make_visit

    visit = make_visit(make_station(city), visitor_name="赵女士", visitor_phone="13812345678")
    token = raw_row("stations_votervisit", "id", visit.pk)["visitor_phone"]
    assert token.startswith("gAAAAA") and "13812345678" not in token
    assert type(visit).objects.get(pk=visit.pk).visitor_phone == "13812345678"

    new = Fernet.generate_key().decode()
    with override_settings(PII_KEYS=[new, settings.PII_KEYS[0]]):
        call_command("rotate_pii_key", stdout=io.StringIO())
    assert decrypt_with(new, raw_row("stations_votervisit", "id", visit.pk)["visitor_phone"]) == "13812345678"
