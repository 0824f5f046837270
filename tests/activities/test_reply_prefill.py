"""An activity named by a meeting notice: the replies pre-fill its participants as proposals, marked as replies;
entered attendance wins; nothing is recorded or counted until staff confirm the ticked replies."""

from django.contrib.messages import get_messages
from django.urls import reverse

from apps.activities.models import Participation
from apps.deputies.attendance import Attendance
from tests.activities.staff_support import make_activity, participate
from tests.notices.meeting_support import announce, deputy_with_account, reply


def _setup(city, city_term, staff_user, *, names=("甲一", "乙二", "丙三")):
    """The activity, the notice naming it and one deputy with an account per name; the last is already a
    participant, recorded absent."""
    activity = make_activity(city)
    deputies = [deputy_with_account(city_term, name) for name in names]
    notice = announce(staff_user, "activity", activity.pk, people=[user.person for _m, user in deputies])
    participate(activity, deputies[-1][0], attendance=Attendance.ABSENT)
    return activity, notice, [user for _m, user in deputies]


def test_replies_pre_fill_the_participants_as_marked_proposals_in_constant_queries(
        client_for, staff_user, city, city_term, django_assert_max_num_queries):
    activity, notice, (first, second, recorded) = _setup(city, city_term, staff_user)
    reply(notice, first, "leave", "赴外地考察")
    reply(notice, recorded, "attend")
    client = client_for(staff_user)
    url = reverse("activities:activity_detail", args=[activity.pk])
    client.get(url)  # warm the session
    with django_assert_max_num_queries(18) as few:
        response = client.get(url)
    queries = len(few.captured_queries)
    page = response.content.decode()
    proposals = response.context["reply_proposals"]
    assert [(p.reply.name, p.reply.attendance, p.reason, p.eligible) for p in proposals] == [
        ("甲一", "leave", "赴外地考察", True)]  # 乙二 has not replied; 丙三 is recorded already
    assert 'id="proposal-attendance-%d"' % first.person_id in page and "回执：请假（赴外地考察）" in page
    assert 'value="赴外地考察"' in page
    assert "会议通知回执：1 人参加，1 人请假，1 人未回复。" in page
    row = next(r for r in response.context["grid_rows"] if r["p"].person_id == recorded.person_id)
    assert row["values"]["attendance"] == Attendance.ABSENT and row["reply"].label == "回执：参加"  # entered wins
    assert Participation.objects.filter(activity=activity).count() == 1  # nothing recorded by showing it
    for i in range(6):
        _mandate, user = deputy_with_account(city_term, f"代表{i}")
        notice.people.add(user.person)
        notice.receipts.create(user=user, reply="attend")
    with django_assert_max_num_queries(queries):
        response = client.get(url)
    assert len(response.context["reply_proposals"]) == 7


def test_staff_confirm_the_ticked_replies_and_only_then_they_are_recorded(client_for, staff_user, city, city_term):
    activity, notice, (first, second, recorded) = _setup(city, city_term, staff_user)
    reply(notice, first, "leave", "赴外地考察")
    reply(notice, second, "attend")
    reply(notice, recorded, "leave", "生病")
    url = reverse("activities:participants_from_replies", args=[activity.pk])
    response = client_for(staff_user).post(url, {
        "reply-person": [first.person_id, second.person_id, recorded.person_id],
        "reply-attendance-%d" % first.person_id: "leave", "reply-reason-%d" % first.person_id: "赴外地考察",
        "reply-attendance-%d" % second.person_id: "absent",  # changed at the door
        "reply-attendance-%d" % recorded.person_id: "leave", "reply-reason-%d" % recorded.person_id: "生病"})
    assert response.status_code == 302
    rows = dict(Participation.objects.filter(activity=activity).values_list("person_id", "attendance"))
    assert rows == {first.person_id: "leave", second.person_id: "absent", recorded.person_id: "absent"}


def test_a_bad_confirmation_says_why_in_chinese_and_records_nothing(client_for, staff_user, city, city_term):
    activity, notice, (first, _second, _recorded) = _setup(city, city_term, staff_user)
    url = reverse("activities:participants_from_replies", args=[activity.pk])
    client = client_for(staff_user)
    for data, message in [
        ({}, "请勾选要确认的回执。"),
        ({"reply-person": "9" * 40}, "提交的回执与本页不符"),
        ({"reply-person": first.person_id, f"reply-attendance-{first.person_id}": "leave"}, "请假原因"),
        ({"reply-person": first.person_id, f"reply-attendance-{first.person_id}": "leave",
          f"reply-reason-{first.person_id}": "长" * 201}, "请假原因过长"),
    ]:
        response = client.post(url, data)
        assert response.status_code == 302
        assert message in " ".join(str(m) for m in get_messages(response.wsgi_request)), message
    assert Participation.objects.filter(activity=activity).count() == 1
