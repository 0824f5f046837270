"""Paper that lands in the record (apps/core/paper.py): the short code of a printed form — its shape, one per record,
kept — and what it opens: the record's entry page for a user who may open it, a 404 for anyone else, the login page
for the anonymous; typed into the box at /p/, into the header's search box, or scanned (/p/<code>/).

Each kind's sheet (its PDF and the order of its people) is tested with its app: tests/<app>/test_paper.py."""

import pytest
from django.urls import reverse

from apps.core import paper
from apps.core.models import PaperCode
from apps.core.services import paper_code_issue
from tests.activities.staff_support import city_activity, county_activity  # noqa: F401


def test_a_code_is_read_as_typed_or_printed_and_nothing_else_is_a_code():
    assert paper.normalise("K7M3QX") == "K7M3QX"
    assert paper.normalise("k7m-3qx") == paper.normalise(" K7M 3QX ") == "K7M3QX"
    assert paper.normalise("ｋ７ｍ－３ｑｘ") == "K7M3QX"  # typed with a Chinese input method: full-width
    for not_a_code in ("", None, "K7M3Q", "K7M3QXY", "K7M3Q0", "K7M3QI", "K7M\x003QX", "9" * 4000, "张三丰"):
        assert paper.normalise(not_a_code) is None, not_a_code
    assert paper.display("K7M3QX") == "K7M-3QX"
    code = paper.new_code()
    assert len(code) == paper.CODE_LENGTH and set(code) <= set(paper.ALPHABET)


def test_a_record_keeps_its_one_code_and_each_record_has_its_own(db):
    first = paper_code_issue(kind="activity", object_id=1)
    assert paper_code_issue(kind="activity", object_id=1) == first
    others = {paper_code_issue(kind="activity", object_id=2).code,
              paper_code_issue(kind="training_session", object_id=1).code}
    assert first.code not in others and len(others) == 2
    assert PaperCode.objects.count() == 3
    with pytest.raises(ValueError):
        paper_code_issue(kind="no-such-kind", object_id=1)


def test_a_code_already_taken_is_drawn_again(db, monkeypatch):
    draws = iter(["AAAAAA", "AAAAAA", "BBBBBB"])
    monkeypatch.setattr(paper, "new_code", lambda: next(draws))
    assert paper_code_issue(kind="activity", object_id=1).code == "AAAAAA"
    assert paper_code_issue(kind="activity", object_id=2).code == "BBBBBB"


@pytest.fixture
def code(city_activity):
    return paper_code_issue(kind="activity", object_id=city_activity.pk).code


def test_the_code_opens_the_activitys_attendance_for_the_office_in_scope_only(
        client_for, client, code, city_activity, staff_user, supervisor_user, county_staff_user, deputy_user,
        unit_user, outsider):
    entry = reverse("activities:activity_detail", args=[city_activity.pk]) + "#participants"
    url = reverse("core:paper_open", args=[code])
    for user in (staff_user, supervisor_user):
        response = client_for(user).get(url)
        assert (response.status_code, response["Location"]) == (302, entry)
    as_printed = reverse("core:paper_open", args=[paper.display(code).lower()])
    assert client_for(staff_user).get(as_printed)["Location"] == entry
    for user in (county_staff_user, deputy_user, unit_user):  # out of scope, or a role that does not open it
        assert client_for(user).get(url).status_code == 404
    assert client_for(outsider).get(url).status_code == 403
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_the_code_of_a_deleted_record_opens_nothing(client_for, code, city_activity, staff_user):
    city_activity.delete()
    assert client_for(staff_user).get(reverse("core:paper_open", args=[code])).status_code == 404


def test_a_code_typed_in_the_box_opens_its_record_and_bad_input_is_told_in_words(
        client_for, code, city_activity, staff_user, county_staff_user, django_assert_max_num_queries):
    client = client_for(staff_user)
    box = reverse("core:paper_enter")
    assert client.get(box).status_code == 200
    with django_assert_max_num_queries(3):
        response = client.get(box, {"code": paper.display(code)})
    assert response["Location"].startswith(reverse("activities:activity_detail", args=[city_activity.pk]))
    for bad in ("K7M", "K7M-3Q0", "x" * 5000):
        response = client.get(box, {"code": bad})
        assert response.status_code == 200
        assert "不是纸质表的编码" in response.content.decode()
    assert client.get(box, {"code": "K7M\x003QX"}).status_code == 400  # refused for every view (core.middleware)
    unknown = "ZZZZZZ" if code != "ZZZZZZ" else "YYYYYY"
    for user, typed in ((staff_user, unknown), (county_staff_user, code)):  # alike: nothing tells which
        response = client_for(user).get(box, {"code": typed})
        assert response.status_code == 404
        assert "没有找到这个编码" in response.content.decode()


def test_a_code_typed_in_the_header_search_box_opens_its_record(client_for, code, city_activity, staff_user):
    client = client_for(staff_user)
    response = client.get(reverse("core:search"), {"q": paper.display(code)})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("activities:activity_detail", args=[city_activity.pk]))
    assert client.get(reverse("core:search"), {"q": city_activity.title}).status_code == 200


def test_the_workbench_offers_the_box_to_the_office_only(client_for, staff_user, deputy_user):
    assert 'id="home-paper-form"' in client_for(staff_user).get(reverse("core:home")).content.decode()
    assert 'id="home-paper-form"' not in client_for(deputy_user).get(reverse("core:home")).content.decode()
