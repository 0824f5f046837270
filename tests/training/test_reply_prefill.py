"""A training session named by a meeting notice: the replies pre-fill its attendance as proposals; a recorded row
wins; nothing is recorded until staff confirm the ticked replies."""

from django.urls import reverse

from apps.training.models import TrainingAttendance
from tests.notices.meeting_support import announce, deputy_with_account, reply


def test_replies_pre_fill_the_sessions_attendance_and_count_only_once_confirmed(
        client_for, staff_user, city_term, session, django_assert_max_num_queries):
    (_m1, first), (m2, recorded) = deputy_with_account(city_term, "甲一"), deputy_with_account(city_term, "乙二")
    notice = announce(staff_user, "training_session", session.pk, people=[first.person, recorded.person])
    reply(notice, first, "leave", "值班")
    reply(notice, recorded, "leave", "出差")
    TrainingAttendance.objects.create(session=session, person=recorded.person, mandate=m2)  # present: it wins
    client = client_for(staff_user)
    url = reverse("training:session_detail", args=[session.pk])
    client.get(url)  # warm the session
    with django_assert_max_num_queries(20) as few:
        response = client.get(url)
    queries = len(few.captured_queries)
    assert [(p.reply.name, p.reply.attendance, p.reason) for p in response.context["reply_proposals"]] == [
        ("甲一", "leave", "值班")]
    page = response.content.decode()
    assert "回执：请假（值班）" in page and 'id="reply-%d"' % recorded.person_id in page
    assert "会议通知回执：0 人参加，2 人请假，0 人未回复。" in page
    assert TrainingAttendance.objects.count() == 1
    for i in range(5):
        _mandate, user = deputy_with_account(city_term, f"代表{i}")
        notice.receipts.create(user=user, reply="attend")
    with django_assert_max_num_queries(queries):
        response = client.get(url)
    assert len(response.context["reply_proposals"]) == 6

    response = client.post(reverse("training:attendance_from_replies", args=[session.pk]), {
        "reply-person": [first.person_id, recorded.person_id],
        f"reply-attendance-{first.person_id}": "leave", f"reply-reason-{first.person_id}": "值班",
        f"reply-attendance-{recorded.person_id}": "leave", f"reply-reason-{recorded.person_id}": "出差"})
    assert response.status_code == 302
    rows = {a.person_id: (a.attendance, a.leave_reason) for a in TrainingAttendance.objects.all()}
    assert rows == {first.person_id: ("leave", "值班"), recorded.person_id: ("present", "")}
