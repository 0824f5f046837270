"""Published replies (公开答复): every business role reads them; confidential items and replies never show;
each item's latest published reply is listed once; the list's queries do not grow with rows."""

import pytest
from django.urls import reverse

from apps.proposals.models import Proposal, Reply
from tests.proposals.factories import make_rehandling, make_replied, rate_all
from tests.security.matrix_support import each_role

LOGIN = "login"
ROLES = ["anonymous", "staff_user", "county_staff_user", "supervisor_user", "member_user", "leader_user",
         "council_member_user", "deputy_user",
         "unit_user", "sysadmin_user", "secadmin_user", "auditor_user", "outsider"]
READERS = {"staff_user", "county_staff_user", "supervisor_user", "member_user", "leader_user", "council_member_user",
           "deputy_user", "unit_user"}

# url name → (argument kinds, who opens it)
URLS = {
    "published_list": ((), READERS),
    "published_detail": (("item",), READERS),
}


@pytest.fixture
def item(deputy_user, municipal_mandate, staff_user):
    return make_replied(mandate=municipal_mandate, staff=staff_user, title="关于加快老旧小区加装电梯的建议",
                        reply_text="已将加装电梯列入年度民生实事。")


@pytest.mark.parametrize("url_name", sorted(URLS))
def test_every_role_gets_the_page_or_is_refused(request, url_name, item):
    kinds, who = URLS[url_name]
    url = reverse(f"proposals:{url_name}", args=[item.pk] if kinds else [])

    def cell(client, role, expected):
        response = client.get(url)
        if role == "anonymous":
            assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
        else:
            assert response.status_code == (200 if role in who else 403)
        assert client.post(url).status_code in ((302,) if role == "anonymous" else (403, 405))

    each_role(request, ROLES, cell=cell, method="get+post", url=url, label=url_name,
              expected=lambda role: LOGIN if role == "anonymous" else 200 if role in who else 403)


def test_the_list_shows_the_published_reply(client_for, deputy_user, item):
    page = client_for(deputy_user).get(reverse("proposals:published_list")).content.decode()
    assert "关于加快老旧小区加装电梯的建议" in page
    detail = client_for(deputy_user).get(reverse("proposals:published_detail", args=[item.pk])).content.decode()
    assert "已将加装电梯列入年度民生实事。" in detail


def test_confidential_replies_and_items_are_not_published(client_for, member_user, item, municipal_mandate,
                                                          staff_user):
    Reply.objects.filter(proposal=item).update(is_public=False)
    secret = make_replied(mandate=municipal_mandate, staff=staff_user, title="关于某涉密事项的建议")
    Proposal.objects.filter(pk=secret.pk).update(is_confidential=True)
    client = client_for(member_user)
    page = client.get(reverse("proposals:published_list")).content.decode()
    assert "老旧小区加装电梯" not in page and "涉密事项" not in page
    assert client.get(reverse("proposals:published_detail", args=[item.pk])).status_code == 404
    assert client.get(reverse("proposals:published_detail", args=[secret.pk])).status_code == 404


def test_an_unreplied_or_unknown_item_is_404(client_for, staff_user, municipal_mandate):
    from tests.proposals.factories import make_handling

    handling = make_handling(mandate=municipal_mandate, staff=staff_user)
    client = client_for(staff_user)
    assert client.get(reverse("proposals:published_detail", args=[handling.pk])).status_code == 404
    assert client.get(reverse("proposals:published_detail", args=[999999])).status_code == 404


def test_a_re_handled_item_is_listed_once_with_both_replies_on_its_page(client_for, deputy_user, staff_user,
                                                                        municipal_mandate):
    from apps.proposals.models import ReplyClass
    from apps.proposals.services import handling
    from tests.proposals.factories import lead_assignment, unit_user_for

    item = make_rehandling(mandate=municipal_mandate, staff=staff_user, title="关于增设社区卫生服务站的建议")
    assignment = lead_assignment(item)
    handling.reply_submit(assignment=assignment, user=unit_user_for(assignment.unit),
                          reply_class=ReplyClass.objects.get(code="A"), text="服务站已建成开放。")
    client = client_for(deputy_user)
    page = client.get(reverse("proposals:published_list")).content.decode()
    assert page.count(f'id="published-{item.pk}"') == 1
    detail = client.get(reverse("proposals:published_detail", args=[item.pk])).content.decode()
    assert 'id="published-reply-1"' in detail and 'id="published-reply-2"' in detail
    assert "服务站已建成开放。" in detail


def test_search_and_year_filter(client_for, supervisor_user, item, municipal_mandate, staff_user):
    older = make_replied(mandate=municipal_mandate, staff=staff_user, title="关于修缮城区桥梁的建议")
    Proposal.objects.filter(pk=older.pk).update(year=item.year - 1)
    client = client_for(supervisor_user)

    def listed(**params):
        page = client.get(reverse("proposals:published_list"), params).content.decode()
        return {name for name in ("加装电梯", "城区桥梁") if name in page}

    assert listed() == {"加装电梯", "城区桥梁"}
    assert listed(q="电梯") == {"加装电梯"}
    assert listed(q="桥梁") == {"城区桥梁"}
    assert listed(year=item.year) == {"加装电梯"}
    assert listed(year=item.year - 1) == {"城区桥梁"}
    assert listed(year="abc") == {"加装电梯", "城区桥梁"}  # a bad filter is ignored, not an error


def test_the_list_queries_do_not_grow_with_rows(client_for, deputy_user, item, municipal_mandate, staff_user,
                                                django_assert_max_num_queries):
    client = client_for(deputy_user)
    client.get(reverse("proposals:published_list"))
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("proposals:published_list"))
    for n in range(3):
        rate_all(make_replied(mandate=municipal_mandate, staff=staff_user, title=f"关于第{n}项民生工程的建议"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("proposals:published_list")).content.decode()
    assert "第2项民生工程" in page


def test_the_year_filter_offers_each_year_once_newest_first(client_for, deputy_user, item, municipal_mandate,
                                                            staff_user):
    """Many published replies of one year used to list that year once per item (the model's ordering went
    into the DISTINCT): each year once, the newest first."""
    for n in range(3):
        make_replied(mandate=municipal_mandate, staff=staff_user, title=f"关于第{n}条道路修缮的建议")
    older = make_replied(mandate=municipal_mandate, staff=staff_user, title="关于修缮城区桥梁的建议")
    Proposal.objects.filter(pk=older.pk).update(year=item.year - 2)
    form = client_for(deputy_user).get(reverse("proposals:published_list")).context["form"]
    years = [value for value, _label in form.fields["year"].choices if value != ""]
    assert years == [item.year, item.year - 2]


def test_staff_mark_an_item_confidential_and_its_replies_leave_every_published_list(client_for, client, staff_user,
                                                                                     item):
    from apps.core.models import AuditEvent

    url = reverse("proposals:proposal_confidential", args=[item.pk])
    staff = client_for(staff_user)
    assert staff.post(url, {"confidential": "1"}).status_code == 302
    assert Proposal.objects.get(pk=item.pk).is_confidential
    assert AuditEvent.objects.filter(object_type="proposals.Proposal", object_id=str(item.pk),
                                     detail__contains="is_confidential").exists()
    assert "老旧小区加装电梯" not in staff.get(reverse("proposals:published_list")).content.decode()
    assert "老旧小区加装电梯" not in client.get(reverse("opendata:index")).content.decode()
    assert "proposal-confidential" in staff.get(reverse("proposals:proposal_detail", args=[item.pk])).content.decode()

    assert staff.post(url, {"confidential": "0"}).status_code == 302
    assert "老旧小区加装电梯" in client.get(reverse("opendata:index")).content.decode()
    before = AuditEvent.objects.count()
    staff.post(url, {"confidential": "maybe"})  # not a choice: nothing written
    assert not Proposal.objects.get(pk=item.pk).is_confidential and AuditEvent.objects.count() == before
