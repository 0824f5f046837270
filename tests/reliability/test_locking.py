"""Optimistic locking of roster edits: of two people editing one record, the second save is refused with the
person's input kept and the current values shown; nothing is lost."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from apps.core import locking
from apps.deputies import services
from apps.deputies.models import Person
from tests.factories import PersonFactory


def _form_data(response) -> dict:
    """What the browser would post back: the form's values as rendered (the hidden version included)."""
    form = response.context["form"]
    data = {name: form[name].value() for name in form.fields if name != "photo"}
    birth = form["birth_date"].value()
    data["birth_date"] = birth.isoformat() if hasattr(birth, "isoformat") else (birth or "")
    return {k: ("" if v is None else v) for k, v in data.items()}


def test_two_people_edit_one_record_and_the_second_save_is_refused(client_for, staff_user, municipal_mandate):
    person = municipal_mandate.person
    url = reverse("deputies:person_edit", args=[person.pk])
    first, second = client_for(staff_user), client_for(staff_user)  # two browsers, two sessions
    first_data, second_data = _form_data(first.get(url)), _form_data(second.get(url))
    assert first_data["version"] == second_data["version"] == person.version

    assert first.post(url, {**first_data, "post": "校长"}).status_code == 302
    response = second.post(url, {**second_data, "employer": "长春市第二中学"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "自您打开此记录以来，其他人已修改了它" in html  # the page is in Chinese
    form = response.context["form"]
    assert form["employer"].value() == "长春市第二中学"  # the second person's input is kept
    # Where the record now differs from this input, its current value is shown.
    current = {row["name"]: row["current"] for row in response.context["changed_since"]}
    assert current == {"post": "校长", "employer": "长春市某单位"}
    assert int(form["version"].value()) == person.version + 1  # the form now carries the current version

    person.refresh_from_db()
    assert (person.post, person.employer, person.version) == ("校长", "长春市某单位", 2)  # nothing lost
    assert person.history.count() == 2  # created, then the first edit only

    # Having seen the current values, the second person saves again on purpose, keeping the first's change.
    retry = _form_data(response)
    assert second.post(url, {**retry, "post": "校长"}).status_code == 302
    person.refresh_from_db()
    assert (person.post, person.employer, person.version) == ("校长", "长春市第二中学", 3)


def test_the_service_refuses_a_stale_version_and_writes_nothing(municipal_mandate):
    person = municipal_mandate.person
    services.person_update(person=Person.objects.get(pk=person.pk), data={"post": "校长"}, version=1)
    with pytest.raises(locking.StaleObjectError) as exc:
        services.person_update(person=Person.objects.get(pk=person.pk), data={"post": "主任"}, version=1)
    assert exc.value.current_version == 2
    person.refresh_from_db()
    assert (person.post, person.version) == ("校长", 2)


def test_a_save_without_a_version_is_unchecked_but_still_moves_the_version_on(municipal_mandate):
    person = municipal_mandate.person
    services.person_update(person=person, data={"post": "校长"})
    services.person_update(person=person, data={"post": "主任"})
    person.refresh_from_db()
    assert (person.post, person.version) == ("主任", 3)


def test_two_saves_of_one_version_at_the_same_moment_one_wins(transactional_db):
    """Two transactions race for the row: the conditional UPDATE takes the row lock, the loser sees 0 rows."""
    person = PersonFactory(name="张三丰")
    barrier = threading.Barrier(2)
    outcomes = []

    def save(post):
        try:
            barrier.wait()
            services.person_update(person=Person.objects.get(pk=person.pk), data={"post": post}, version=1)
            outcomes.append(("saved", post))
        except locking.StaleObjectError:
            outcomes.append(("stale", post))
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(post,)) for post in ("校长", "主任")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(kind for kind, _post in outcomes) == ["saved", "stale"]
    winner = next(post for kind, post in outcomes if kind == "saved")
    person.refresh_from_db()
    assert (person.post, person.version) == (winner, 2)
    assert person.history.count() == 2
