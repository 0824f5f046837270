"""A committee meeting named by a meeting notice: the members' replies pre-fill the blank cells of its attendance
grid, marked as replies; a recorded cell wins; nothing is recorded until staff save the grid."""

from django.urls import reverse

from apps.committee.models import Post
from apps.core import roles
from apps.covenant.models import MeetingAttendance
from tests.covenant import factories as f
from tests.factories import UserFactory
from tests.notices.meeting_support import announce, reply


def _cells(response) -> dict:
    return {cell["key"]: (cell["status"], cell["reason"], cell["proposed"])
            for row in response.context["rows"] for cell in row["cells"]}


def test_replies_pre_fill_the_blank_cells_and_count_only_once_the_grid_is_saved(
        client_for, staff_user, member_user, committee, city_meeting, django_assert_max_num_queries):
    own, other = committee["own"], committee["other"]
    other_user = UserFactory(roles=[roles.DEPUTY], person=other.person)
    notice = announce(staff_user, "committee_meeting", city_meeting.pk, people=[other.person], roles_=[roles.MEMBER])
    reply(notice, member_user, "leave", "出国访问")  # a member's account without a person: matched by account
    reply(notice, other_user, "attend")
    f.attend(city_meeting, own, f.P, None)  # the first day is recorded: it wins
    first, second = city_meeting.dates
    client = client_for(staff_user)
    url = reverse("covenant:meeting_attendance", args=[city_meeting.pk])
    client.get(url)  # warm the session
    with django_assert_max_num_queries(14) as few:
        response = client.get(url)
    queries = len(few.captured_queries)
    cells = _cells(response)
    key = "{}-{:%Y%m%d}".format
    assert cells[key(own.pk, first)] == ("present", "", "")
    assert cells[key(own.pk, second)] == ("leave", "出国访问", "回执：请假（出国访问）")
    assert cells[key(other.pk, first)] == cells[key(other.pk, second)] == ("present", "", "回执：参加")
    page = response.content.decode()
    assert page.count("reply-proposal") == 3 and "会议通知回执：1 人参加，1 人请假，0 人未回复。" in page
    assert MeetingAttendance.objects.count() == 1  # nothing recorded by showing it
    detail = client.get(reverse("covenant:meeting_detail", args=[city_meeting.pk])).content.decode()
    assert "会议通知回执：1 人参加，1 人请假" in detail

    for i in range(4):  # more members who replied: the same queries
        member = f.member(city_meeting.term, Post.MEMBER, name=f"委员{i}")
        user = UserFactory(roles=[roles.DEPUTY], person=member.person)
        notice.receipts.create(user=user, reply="attend")
    with django_assert_max_num_queries(queries):
        assert client.get(url).status_code == 200

    data = {f"s-{k}": status for k, (status, _reason, _p) in cells.items()}
    data.update({f"r-{k}": reason for k, (_status, reason, _p) in cells.items()})
    assert client.post(url, data).status_code == 302  # staff confirm at the door by saving the grid
    saved = {(a.member_id, a.date): (a.status, a.leave_reason) for a in MeetingAttendance.objects.all()}
    assert saved == {(own.pk, first): ("present", ""), (own.pk, second): ("leave", "出国访问"),
                     (other.pk, first): ("present", ""), (other.pk, second): ("present", "")}
