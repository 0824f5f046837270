"""The participants grid of an activity: every participant's attendance (and, for theme practice, outcomes) saved
at once, all or nothing, each bad row named; the page's query count does not grow with the participants."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.activities.models import Participation
from apps.activities.services import activities as services
from apps.core.models import AuditEvent
from apps.deputies.attendance import Attendance
from tests.activities.staff_support import deputies, make_activity, participate
from tests.factories import MandateFactory


def _url(activity):
    return reverse("activities:participants_save", args=[activity.pk])


def _state(activity):
    return sorted(Participation.objects.filter(activity=activity).values_list(
        "person__name", "attendance", "leave_reason", "suggestions_raised", "households_helped", "people_helped",
        "funds_donated"))


@pytest.fixture
def three(city, city_term):
    activity = make_activity(city)
    rows = [participate(activity, m) for m in deputies(city_term, ["赵一", "钱二", "孙三"])]
    return activity, rows


def test_staff_save_every_row_in_one_post(client_for, staff_user, three):
    activity, (zhao, qian, sun) = three
    response = client_for(staff_user).post(_url(activity), {
        f"attendance-{zhao.pk}": "leave", f"leave_reason-{zhao.pk}": "出差",
        f"attendance-{qian.pk}": "absent", f"leave_reason-{qian.pk}": "ignored",
        f"attendance-{sun.pk}": "present", f"leave_reason-{sun.pk}": ""})
    assert response.status_code == 302 and response["Location"].endswith("#participants")
    assert _state(activity) == [
        ("孙三", "present", "", 0, 0, 0, Decimal("0")),
        ("赵一", "leave", "出差", 0, 0, 0, Decimal("0")),
        ("钱二", "absent", "", 0, 0, 0, Decimal("0")),
    ]
    event = AuditEvent.objects.get(action=AuditEvent.Action.BULK_CHANGE, object_id=str(activity.pk))
    assert "2 rows changed" in event.detail


def test_a_bad_row_saves_nothing_and_names_the_person(client_for, staff_user, three):
    activity, (zhao, qian, sun) = three
    before = _state(activity)
    response = client_for(staff_user).post(_url(activity), {
        f"attendance-{zhao.pk}": "absent",
        f"attendance-{qian.pk}": "leave", f"leave_reason-{qian.pk}": "  ",
        f"attendance-{sun.pk}": "maybe"})
    html = response.content.decode()
    assert response.status_code == 200 and _state(activity) == before
    assert "钱二：请填写请假原因。" in html and "孙三：请选择出席、请假或缺席。" in html
    assert "2 行需要更正，未保存任何内容。" in html
    # What was typed comes back: 赵一 still shows 缺席 chosen.
    assert response.context["grid_rows"][2]["values"]["attendance"] == "absent"
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.BULK_CHANGE).exists()


def test_theme_practice_outcomes_are_saved_with_the_grid_and_checked(client_for, staff_user, city, city_term):
    activity = make_activity(city, code="theme_practice", title="主题实践")
    one, two = (participate(activity, m) for m in deputies(city_term, ["周五", "吴六"]))
    client = client_for(staff_user)
    bad = client.post(_url(activity), {
        f"attendance-{one.pk}": "present", f"suggestions_raised-{one.pk}": "3", f"funds_donated-{one.pk}": "100.50",
        f"attendance-{two.pk}": "present", f"households_helped-{two.pk}": "-1"})
    assert bad.status_code == 200 and "吴六：帮扶困难户（户）：数量不能为负数。" in bad.content.decode()
    assert set(Participation.objects.values_list("suggestions_raised", flat=True)) == {0}
    client.post(_url(activity), {
        f"attendance-{one.pk}": "present", f"suggestions_raised-{one.pk}": "3", f"funds_donated-{one.pk}": "100.50",
        f"attendance-{two.pk}": "present", f"households_helped-{two.pk}": "2", f"people_helped-{two.pk}": "7"})
    one.refresh_from_db()
    two.refresh_from_db()
    assert (one.suggestions_raised, one.funds_donated) == (3, Decimal("100.50"))
    assert (two.households_helped, two.people_helped) == (2, 7)


def test_a_row_of_another_activity_is_refused(client_for, staff_user, three, city, municipal_mandate):
    activity, (zhao, _qian, _sun) = three
    other = participate(make_activity(city, title="别的活动"), municipal_mandate)
    response = client_for(staff_user).post(_url(activity), {
        f"attendance-{zhao.pk}": "absent", f"attendance-{other.pk}": "absent"})
    assert response.status_code == 200 and "请重新加载页面" in response.content.decode()
    assert set(Participation.objects.values_list("attendance", flat=True)) == {"present"}


def test_an_empty_grid_post_writes_nothing(client_for, staff_user, three):
    activity, _rows = three
    response = client_for(staff_user).post(_url(activity), {"attendance-x": "present"})
    assert response.status_code == 200 and _state(activity)[0][1] == "present"


def test_the_service_is_all_or_nothing(staff_user, three):
    activity, (zhao, qian, _sun) = three
    with pytest.raises(ValidationError) as exc:
        services.participations_save(activity=activity, user=staff_user, rows={
            zhao.pk: {"attendance": "absent"}, qian.pk: {"attendance": "leave", "leave_reason": ""}})
    assert set(exc.value.message_dict) == {f"p-{qian.pk}"}
    assert not Participation.objects.exclude(attendance=Attendance.PRESENT).exists()
    assert services.participations_save(activity=activity, user=staff_user, rows={
        zhao.pk: {"attendance": "present"}}) == 0  # unchanged rows are not written


def test_supervisor_sees_the_grid_read_only(client_for, supervisor_user, three):
    activity, _rows = three
    html = client_for(supervisor_user).get(reverse("activities:activity_detail", args=[activity.pk])).content.decode()
    assert "participants-grid" not in html and "participants-save" not in html


def test_the_grid_page_query_count_does_not_grow_with_participants(client_for, staff_user, city, city_term,
                                                                   django_assert_max_num_queries):
    activity = make_activity(city, code="theme_practice", title="主题实践")
    client = client_for(staff_user)
    url = reverse("activities:activity_detail", args=[activity.pk])
    client.get(url)  # warm the session
    participate(activity, MandateFactory(term=city_term))
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200
    for m in [MandateFactory(term=city_term) for _i in range(30)]:
        participate(activity, m)
    with django_assert_max_num_queries(16):
        response = client.get(url)
    assert len(response.context["grid_rows"]) == 31
    assert response.content.decode().count('form="participants-grid"') == 31 * 6 + 1  # six inputs a row and the save button
