import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.test import Client

from apps.accounts.models import User
from apps.core import roles
from apps.core.models import HandlingUnit, Jurisdiction
from apps.deputies.models import Delegation, Level, Mandate, Person, Term
from apps.deputies.validators import validate_id_number
from tests.demo_seed import demo_seeded_once

pytestmark = pytest.mark.usefixtures("seeded")


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The small demo, seeded once for the module (rolled back after its last test); each test runs in its own
    transaction on top of it, so a reset or a reseed in one test is gone before the next."""
    with demo_seeded_once(django_db_blocker):
        yield


def seed(**options):
    call_command("seed_demo", scale="small", verbosity=0, **options)


def counts():
    return {model.__name__: model.objects.count()
            for model in (Jurisdiction, HandlingUnit, User, Term, Delegation, Person, Mandate)}


@pytest.mark.smoke
def test_small_demo_has_every_account_with_its_role_and_the_demo_password(db):
    expected = {
        "staff": roles.STAFF, "staff_nanguan": roles.STAFF, "supervisor": roles.SUPERVISOR,
        "deputy": roles.DEPUTY, "unit": roles.UNIT, "member": roles.MEMBER, "sysadmin": roles.SYSADMIN,
        "secadmin": roles.SECADMIN, "auditor": roles.AUDITOR,
    }
    for username, role in expected.items():
        user = User.objects.get(username=username)
        assert user.roles == {role}
        assert user.check_password(settings.DEMO_PASSWORD)
    assert User.objects.get(username="staff").jurisdiction.name == "长春市"
    assert User.objects.get(username="staff_nanguan").jurisdiction.name == "南关区"
    assert User.objects.get(username="unit").handling_unit is not None
    assert set(User.objects.filter(is_staff=True).values_list("username", flat=True)) == {
        "sysadmin", "secadmin", "auditor"}
    assert not User.objects.filter(is_superuser=True).exists()


def test_small_demo_links_the_deputy_account_to_zhang_sanfeng_a_municipal_deputy(db):
    person = User.objects.get(username="deputy").person
    assert person.name == "张三丰"
    assert person.name_initials == "zsf"
    assert person.mandates.filter(level=Level.MUNICIPAL).exists()


def test_small_demo_has_about_two_hundred_mandates_at_all_five_levels(db):
    assert set(Mandate.objects.values_list("level", flat=True)) == set(Level.values)
    assert 150 <= Mandate.objects.count() <= 260
    assert Delegation.objects.filter(term__level=Level.MUNICIPAL).count() == 16
    assert HandlingUnit.objects.count() == 60
    for mandate in Mandate.objects.select_related("term")[:50]:
        assert mandate.jurisdiction_id == mandate.term.jurisdiction_id
        assert mandate.level == mandate.term.level


def test_small_demo_has_someone_holding_two_mandates(db):
    two = Person.objects.annotate(n=Count("mandates")).filter(n=2)
    assert two.exists()
    assert not Person.objects.annotate(n=Count("mandates")).filter(n__gt=2).exists()


def test_demo_people_have_valid_id_numbers_and_pinyin(db):
    for person in Person.objects.all():
        validate_id_number(person.id_number)
        assert person.name_initials and person.name_pinyin.startswith(person.name_initials[0])
        assert (int(person.id_number[16]) % 2 == 1) == (person.gender == "male")


def test_demo_staff_finds_zhang_sanfeng_by_initials(db):
    client = Client()
    client.force_login(User.objects.get(username="staff"))
    response = client.get("/deputies/", {"q": "zsf"})
    assert response.status_code == 200
    assert "张三丰" in response.content.decode()


def test_if_empty_does_nothing_the_second_time(db):
    before = counts()
    seed(if_empty=True)
    assert counts() == before


def test_seeding_again_without_reset_is_refused(db):
    with pytest.raises(CommandError):
        seed()


def test_reset_replaces_the_demo_data_with_the_same_amount(db):
    before = counts()
    User.objects.get(username="staff").notifications.create(title="旧通知")
    seed(reset=True)
    assert counts() == before
    assert Person.objects.filter(name="张三丰").count() == 1
    assert not User.objects.get(username="staff").notifications.exists()


def test_what_the_previous_test_wrote_on_the_module_demo_is_gone(db):
    """Runs after the reset above: the module's demo is seeded once, and each test starts from it unchanged."""
    assert not User.objects.get(username="staff").notifications.filter(title="旧通知").exists()
    assert Person.objects.filter(name="张三丰").count() == 1
    with pytest.raises(CommandError):
        seed()
