"""A meeting notice names the record it announces (an activity, a training session, a committee meeting of the
staff's scope), and the replies of its recipients are read back for that record's attendance page."""

import pytest
from django.urls import reverse

from apps.core import registry
from apps.notices.models import Notice
from apps.notices.selectors import target_replies
from tests.activities.staff_support import make_activity
from tests.notices.conftest import NOW
from tests.notices.meeting_support import announce, deputy_with_account, reply


def _form(target, kind="inspection"):
    return {"kind": kind, "title": "关于参加视察的通知", "body": "<p>请回复。</p>", "all_serving": "on",
            "reply_deadline": "2026-06-05T09:00", "target": target}


def test_staff_name_an_activity_of_their_scope_and_the_notice_links_to_its_attendance(
        frozen, client_for, staff_user, city, deputy_user):
    activity = make_activity(city, day=NOW.date())
    client = client_for(staff_user)
    form_page = client.get(reverse("notices:notice_create")).content.decode()
    assert f'value="activity:{activity.pk}"' in form_page  # offered: it is coming
    response = client.post(reverse("notices:notice_create"), _form(f"activity:{activity.pk}"))
    notice = Notice.objects.get()
    assert response.status_code == 302
    assert (notice.target_kind, notice.target_id) == ("activity", activity.pk)
    page = client.get(reverse("notices:notice_detail", args=[notice.pk])).content.decode()
    assert f'href="{reverse("activities:activity_detail", args=[activity.pk])}#participants"' in page
    assert "视察城市供热" in page


@pytest.mark.parametrize("who, target, kind, message", [
    ("county_staff_user", "city_activity", "inspection", "所选会议不在您的管辖范围内或已不存在"),
    ("staff_user", "city_activity", "notice", "只有会议通知可以关联所通知的会议"),
    ("staff_user", "activity:99999999999999999999", "inspection", "请从列表中选择会议"),
    ("staff_user", "plenary:1", "inspection", "请从列表中选择会议"),
])
def test_a_record_out_of_scope_or_a_bad_choice_is_refused_in_chinese_and_nothing_is_written(
        frozen, client_for, city, county_staff_user, staff_user, deputy_user, request, who, target, kind, message):
    activity = make_activity(city)
    target = f"activity:{activity.pk}" if target == "city_activity" else target
    response = client_for(request.getfixturevalue(who)).post(reverse("notices:notice_create"), _form(target, kind))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Notice.objects.exists()


def test_the_replies_of_a_record_are_one_per_recipient_the_latest_in_one_query(
        frozen, staff_user, city, city_term, django_assert_num_queries):
    activity, other = make_activity(city), make_activity(city, title="另一次视察")
    (_m1, first), (_m2, second), (_m3, silent) = (deputy_with_account(city_term, n) for n in ("甲一", "乙二", "丙三"))
    people = [u.person for u in (first, second, silent)]
    earlier = announce(staff_user, "activity", activity.pk, people=people)
    later = announce(staff_user, "activity", activity.pk, people=people[:1], title="补充通知")
    elsewhere = announce(staff_user, "activity", other.pk, people=people)
    reply(earlier, first, "attend")
    reply(later, first, "leave", "出差")  # his latest reply wins
    reply(earlier, second, "attend")
    reply(elsewhere, silent, "leave", "另一次会议")  # another record's
    with django_assert_num_queries(1):
        replies = registry.meeting_replies("activity", activity.pk)
    assert [(r.name, r.reply, r.reason, r.attendance) for r in replies.rows] == [
        ("丙三", "", "", ""), ("乙二", "attend", "", "present"), ("甲一", "leave", "出差", "leave")]
    assert replies.counts == {"attend": 1, "leave": 1, "none": 1, "total": 3}
    assert replies.of(person_id=first.person_id).label == "回执：请假（出差）"
    assert replies.of(person_id=second.person_id).label == "回执：参加"
    assert target_replies("activity", 0) == []


def test_an_edited_scheduled_meeting_notice_keeps_or_changes_the_record_it_names(frozen, client_for, staff_user,
                                                                                 city):
    first, second = make_activity(city, day=NOW.date()), make_activity(city, day=NOW.date())
    client = client_for(staff_user)
    client.post(reverse("notices:notice_create"), {**_form(f"activity:{first.pk}"), "publish_at": "2026-06-03T09:00"})
    notice = Notice.objects.get()
    url = reverse("notices:notice_edit", args=[notice.pk])
    assert client.get(url).context["form"].initial["target"] == f"activity:{first.pk}"
    assert client.post(url, {**_form(f"activity:{second.pk}"), "publish_at": "2026-06-03T09:00"}).status_code == 302
    notice.refresh_from_db()
    assert (notice.status, notice.target_kind, notice.target_id) == ("scheduled", "activity", second.pk)
    assert client.post(url, {**_form(""), "publish_at": "2026-06-03T09:00"}).status_code == 302
    notice.refresh_from_db()
    assert (notice.target_kind, notice.target_id) == ("", None)


@pytest.mark.parametrize("kind", ["activity", "training_session", "committee_meeting"])
def test_whoever_may_read_the_notice_may_follow_its_link_to_the_record(frozen, client_for, staff_user,
                                                                      supervisor_user, city, city_term, kind):
    """A supervisor reads meeting notices; the record's link takes them to its page (was: a committee meeting's
    attendance grid, which only staff may open: 403)."""
    from tests.covenant.factories import meeting
    from tests.training.conftest import make_program, make_session

    record = {"activity": lambda: make_activity(city, day=NOW.date()),
              "training_session": lambda: make_session(make_program(city, start=NOW.date())),
              "committee_meeting": lambda: meeting(city_term, NOW.date())}[kind]()
    notice = announce(staff_user, kind, record.pk, roles_=["supervisor"])
    link = registry.meeting_targets()[kind].attendance_url(record.pk)
    for user in (staff_user, supervisor_user):
        client = client_for(user)
        assert f'href="{link}"' in client.get(reverse("notices:notice_detail", args=[notice.pk])).content.decode()
        assert client.get(link.split("#")[0]).status_code == 200, (kind, user.username)
