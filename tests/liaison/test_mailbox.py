"""The director's mailbox (主任信箱): a deputy writes in and follows up; staff triage, assign, answer, close;
the deputy sees the thread and the answers."""

import pytest
from django.urls import reverse

from apps.core import roles
from apps.core.models import Notification
from apps.liaison.models import MailboxMessage, MailboxThread
from apps.liaison.services import contacts as services
from tests.factories import MandateFactory, UserFactory
from tests.liaison.contacts_support import deputy_account, make_thread


@pytest.fixture
def colleague(city):
    """Another member of the city's staff, to whom letters are assigned."""
    return UserFactory(username="staff2", full_name="李秘书", roles=[roles.STAFF], jurisdiction=city)


@pytest.fixture
def thread(deputy_user):
    return make_thread(deputy_user)


# --- the deputy writes --------------------------------------------------------------------------------------

@pytest.mark.smoke
def test_a_deputy_writes_to_the_directors_mailbox(client_for, deputy_user, city):
    client = client_for(deputy_user)
    form = client.get(reverse("liaison:my_thread_create")).context["form"]
    assert form.fields["jurisdiction"].initial == city  # one congress: not asked
    response = client.post(reverse("liaison:my_thread_create"), {
        "jurisdiction": city.pk, "subject": "建议增设公交线路", "body": "新区居民出行不便，建议增设公交线路。"})
    thread = MailboxThread.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("liaison:my_thread_detail", args=[thread.pk])
    assert (thread.person, thread.jurisdiction, thread.subject, thread.status) == (
        deputy_user.person, city, "建议增设公交线路", "new")
    message = thread.messages.get()
    assert (message.author, message.body, message.is_answer) == (deputy_user, "新区居民出行不便，建议增设公交线路。", False)


def test_an_empty_letter_is_refused_in_chinese_and_nothing_is_written(client_for, deputy_user, city):
    response = client_for(deputy_user).post(reverse("liaison:my_thread_create"),
                                            {"jurisdiction": city.pk, "subject": "", "body": ""})
    assert response.content.decode().count("这个字段是必填项") == 2
    assert not MailboxThread.objects.exists()
    assert not MailboxMessage.objects.exists()


def test_a_deputy_of_two_congresses_chooses_where_to_write(client_for, deputy_user, county_term, city, county):
    MandateFactory(term=county_term, person=deputy_user.person)
    client = client_for(deputy_user)
    form = client.get(reverse("liaison:my_thread_create")).context["form"]
    assert list(form.fields["jurisdiction"].queryset) == [city, county]
    client.post(reverse("liaison:my_thread_create"), {"jurisdiction": county.pk, "subject": "区里的事", "body": "内容"})
    assert MailboxThread.objects.get().jurisdiction == county


def test_a_deputy_cannot_write_to_a_congress_where_they_do_not_sit(client_for, deputy_user, other_county):
    response = client_for(deputy_user).post(reverse("liaison:my_thread_create"), {
        "jurisdiction": other_county.pk, "subject": "主题", "body": "内容"})
    assert "请选择有效的选项" in response.content.decode()
    assert not MailboxThread.objects.exists()


def test_the_deputys_mailbox_lists_only_their_threads(client_for, deputy_user, county_mandate, thread):
    other = make_thread(deputy_account(county_mandate, "deputy2"), subject="别人的来信")
    response = client_for(deputy_user).get(reverse("liaison:my_thread_list"))
    assert [t.pk for t in response.context["page"].object_list] == [thread.pk]
    assert "别人的来信" not in response.content.decode()
    assert other.pk


# --- triage, assignment, answer --------------------------------------------------------------------------------

def test_triage_lists_new_letters_first(client_for, staff_user, deputy_user, colleague):
    first = make_thread(deputy_user, subject="第一封")
    second = make_thread(deputy_user, subject="第二封")
    services.mailbox_thread_assign(thread=second, assignee=colleague, user=staff_user)
    third = make_thread(deputy_user, subject="第三封")
    response = client_for(staff_user).get(reverse("liaison:mailbox_list"))
    assert [t.pk for t in response.context["page"].object_list] == [third.pk, first.pk, second.pk]
    response = client_for(staff_user).get(reverse("liaison:mailbox_list"), {"status": "assigned"})
    assert [t.pk for t in response.context["page"].object_list] == [second.pk]


def test_staff_assign_a_letter_and_the_assignee_is_told(client_for, staff_user, colleague, thread):
    response = client_for(staff_user).post(reverse("liaison:mailbox_assign", args=[thread.pk]),
                                           {"assignee": colleague.pk})
    assert response.status_code == 302
    thread.refresh_from_db()
    assert (thread.assigned_to, thread.status) == (colleague, "assigned")
    notification = Notification.objects.get()
    assert (notification.recipient, notification.title) == (colleague, "有一封主任信箱来信分派给您")


def test_a_letter_cannot_be_assigned_to_staff_of_another_congress(client_for, staff_user, county_staff_user,
                                                                  thread):
    response = client_for(staff_user).post(reverse("liaison:mailbox_assign", args=[thread.pk]),
                                           {"assignee": county_staff_user.pk})
    assert "请选择有效的选项" in response.content.decode()
    thread.refresh_from_db()
    assert (thread.assigned_to, thread.status) == (None, "new")
    assert not Notification.objects.exists()


@pytest.mark.smoke
def test_staff_answer_and_the_deputy_sees_the_answer(client_for, staff_user, deputy_user, thread,
                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        response = client_for(staff_user).post(reverse("liaison:mailbox_answer", args=[thread.pk]),
                                               {"answer-body": "已转交市交通局研究，将于下月答复。"})
    assert response.status_code == 302
    thread.refresh_from_db()
    assert (thread.status, thread.assigned_to) == ("answered", staff_user)
    answer = thread.messages.get(is_answer=True)
    assert (answer.author, answer.body) == (staff_user, "已转交市交通局研究，将于下月答复。")
    notification = Notification.objects.get()
    assert (notification.recipient, notification.title) == (deputy_user, "您给主任信箱的来信已答复")
    assert notification.url == reverse("liaison:my_thread_detail", args=[thread.pk])
    assert len(callbacks) == 1
    body = client_for(deputy_user).get(notification.url).content.decode()
    assert "已转交市交通局研究，将于下月答复。" in body and "已答复" in body


def test_an_empty_answer_is_refused_and_nothing_is_sent(client_for, staff_user, thread):
    response = client_for(staff_user).post(reverse("liaison:mailbox_answer", args=[thread.pk]), {"answer-body": ""})
    assert response.status_code == 200
    assert "这个字段是必填项" in response.content.decode()
    assert thread.messages.count() == 1
    assert not Notification.objects.exists()


def test_a_follow_up_goes_back_to_the_assignee(client_for, staff_user, colleague, deputy_user, thread):
    services.mailbox_thread_assign(thread=thread, assignee=colleague, user=staff_user)
    services.mailbox_thread_answer(thread=thread, author=colleague, body="正在研究。")
    Notification.objects.all().delete()
    response = client_for(deputy_user).post(reverse("liaison:my_thread_detail", args=[thread.pk]),
                                            {"body": "请问有进展吗？"})
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.status == MailboxThread.Status.ASSIGNED
    assert list(thread.messages.values_list("body", flat=True)) == [
        "我所在乡镇道路破损严重，建议列入计划。", "正在研究。", "请问有进展吗？"]
    assert Notification.objects.get().recipient == colleague


def test_a_closed_thread_takes_no_follow_up(client_for, staff_user, deputy_user, thread):
    response = client_for(staff_user).post(reverse("liaison:mailbox_close", args=[thread.pk]))
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.status == MailboxThread.Status.CLOSED
    client = client_for(deputy_user)
    assert "该来信已关闭" in client.get(reverse("liaison:my_thread_detail", args=[thread.pk])).content.decode()
    response = client.post(reverse("liaison:my_thread_detail", args=[thread.pk]), {"body": "还有一事"})
    assert "该来信已关闭，请另写一封新信" in response.content.decode()
    assert thread.messages.count() == 1


def test_a_closed_thread_cannot_be_answered(client_for, staff_user, thread):
    services.mailbox_thread_close(thread=thread, user=staff_user)
    client = client_for(staff_user)
    body = client.get(reverse("liaison:mailbox_detail", args=[thread.pk])).content.decode()
    assert reverse("liaison:mailbox_answer", args=[thread.pk]) not in body
    response = client.post(reverse("liaison:mailbox_answer", args=[thread.pk]), {"answer-body": "迟到的答复"})
    assert "该来信已关闭" in response.content.decode()
    assert not thread.messages.filter(is_answer=True).exists()


def test_the_supervisor_reads_threads_without_acting_on_them(client_for, supervisor_user, thread):
    body = client_for(supervisor_user).get(reverse("liaison:mailbox_detail", args=[thread.pk])).content.decode()
    assert thread.subject in body
    assert reverse("liaison:mailbox_answer", args=[thread.pk]) not in body


def test_staff_find_the_mailbox_in_the_navbar(client_for, staff_user, member_user):
    assert 'id="nav-mailbox"' in client_for(staff_user).get(reverse("core:home")).content.decode()
    assert 'id="nav-mailbox"' not in client_for(member_user).get(reverse("core:home")).content.decode()


@pytest.mark.parametrize("count", [2, 20])
def test_mailbox_lists_query_count_does_not_grow_with_rows(client_for, staff_user, deputy_user, colleague, count,
                                                           django_assert_max_num_queries):
    for i in range(count):
        thread = make_thread(deputy_user, subject=f"来信{i}")
        if i % 2:
            services.mailbox_thread_assign(thread=thread, assignee=colleague, user=staff_user)
    staff = client_for(staff_user)
    with django_assert_max_num_queries(6):
        response = staff.get(reverse("liaison:mailbox_list"))
    assert len(response.context["page"].object_list) == count
    deputy = client_for(deputy_user)
    with django_assert_max_num_queries(6):
        response = deputy.get(reverse("liaison:my_thread_list"))
    assert len(response.context["page"].object_list) == count
