"""The notices' pages: the inbox and the read receipt, the office's form (bad input in Chinese, nothing written),
the receipts page and its Excel, and the workbench card whose counts equal the lists they open."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.core.selectors import home_summary
from apps.notices.models import Notice, NoticeReceipt
from tests.factories import MandateFactory, UserFactory
from apps.core import roles
from tests.notices.conftest import NOW, publish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"


def test_the_inbox_shows_unread_first_in_a_fixed_number_of_queries(frozen, client_for, staff_user, deputy_user,
                                                                   django_assert_max_num_queries):
    first = publish(staff_user, all_serving=True, title="第一份")
    for n in range(5):
        publish(staff_user, all_serving=True, title=f"通知{n}")
    NoticeReceipt.objects.exclude(notice=first).update(read_at=NOW)
    client = client_for(deputy_user)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("notices:inbox")).context["page"]
    assert [r.notice.title for r in page.object_list][:2] == ["第一份", "通知4"]


def test_opening_a_notice_records_the_read_receipt_and_a_stranger_gets_404(frozen, client_for, staff_user,
                                                                           deputy_user, member_user):
    notice = publish(staff_user, all_serving=True)
    assert client_for(member_user).get(reverse("notices:notice_read", args=[notice.pk])).status_code == 404
    response = client_for(deputy_user).get(reverse("notices:notice_read", args=[notice.pk]))
    assert "请准时参加" in response.content.decode()
    assert NoticeReceipt.objects.get(notice=notice).read_at == NOW


@pytest.mark.parametrize("bad, message", [
    ({"publish_at": "2026-02-30T09:00"}, "有效的日期"),
    ({"title": "长" * 201}, "200"),
    ({"reply_deadline": "9999-12-31T09:00", "kind": "inspection"}, "2000"),
    ({"people": "不存在的人"}, "不存在的人"),
    ({"all_serving": ""}, "选择通知的接收人"),
])
def test_bad_input_gets_a_chinese_message_and_writes_nothing(frozen, client_for, staff_user, deputy_user,
                                                            bad, message):
    data = {"kind": "notice", "title": "通知", "body": "<p>内容</p>", "all_serving": "on", **bad}
    response = client_for(staff_user).post(reverse("notices:notice_create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Notice.objects.exists()


def test_staff_publish_to_a_delegation_and_see_who_read_it(frozen, client_for, staff_user, delegation,
                                                           deputy_user, django_assert_max_num_queries):
    client = client_for(staff_user)
    response = client.post(reverse("notices:notice_create"), {
        "kind": "notice", "title": "代表团通知", "body": "<p>内容</p>", "delegations": [delegation.pk]})
    notice = Notice.objects.get()
    assert response.status_code == 302 and notice.receipts.count() == 2
    NoticeReceipt.objects.filter(user=deputy_user).update(read_at=NOW)
    User.objects.filter(username="deputy2").update(full_name="=SUM(1)")  # a name Excel would run as a formula
    with django_assert_max_num_queries(10):
        page = client.get(reverse("notices:notice_detail", args=[notice.pk]))
    assert page.context["counts"]["read"] == 1 and page.context["counts"]["total"] == 2
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(reverse("notices:notice_export",
                                                                    args=[notice.pk])).content))
    rows = list(workbook.active.values)
    assert len(rows) == 3 and rows[1][2] is None and rows[2][2] == "2026-06-01 09:00"  # the unread first
    assert rows[1][0] == "=SUM(1)" and workbook.active["A2"].data_type == "s"


def test_the_workbench_counts_equal_the_inbox_lists_they_open(frozen, client_for, staff_user, deputy_user):
    publish(staff_user, all_serving=True)
    publish(staff_user, all_serving=True, kind=Notice.Kind.CONGRESS_SESSION,
            reply_deadline=timezone.now() + datetime.timedelta(days=1))
    client = client_for(deputy_user)
    card = next(c for c in home_summary(deputy_user)["cards"] if c["name"] == "notices")["data"]
    for item in card.items:
        assert item.count == client.get(item.url).context["page"].paginator.count
    assert [item.count for item in card.items] == [2, 1]


def test_county_staff_cannot_name_a_city_deputy(frozen, client_for, county_staff_user, deputy_user, county_term):
    UserFactory(roles=[roles.DEPUTY], person=MandateFactory(term=county_term).person)
    response = client_for(county_staff_user).post(reverse("notices:notice_create"), {
        "kind": "notice", "title": "通知", "body": "<p>内容</p>", "people": deputy_user.person.name})
    assert response.status_code == 200 and not Notice.objects.exists()
