"""The inbox of voters' opinions: the deputy or staff accept an opinion into a voter visit, follow it up and tell
the voter the result (which the voter's lookup then shows); or turn it into a suggestion draft; or close it with
a reason. Each opinion is handled once; the office sees only its scope; the workbench's count equals its list."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.core.selectors import home_summary
from apps.intake import services
from apps.intake.models import Intake
from apps.proposals.models import Proposal
from apps.stations.models import Station, VoterVisit
from tests.intake.conftest import NOW, PHONE, submit


def _detail(pk):
    return reverse("intake:intake_detail", args=[pk])


def test_the_deputy_accepts_follows_up_and_tells_back_and_the_lookup_shows_it(client_for, client, deputy_user,
                                                                                deputy_code, station, frozen):
    intake = submit(deputy_code)
    deputy = client_for(deputy_user)
    assert deputy.post(reverse("intake:intake_accept", args=[intake.pk]), {}).status_code == 302
    intake.refresh_from_db()
    visit = intake.visit
    assert (intake.status, intake.handled_by) == ("accepted", deputy_user)
    assert (visit.station, visit.issue, visit.visitor_phone, visit.status) == (station, intake.text, PHONE, "open")
    assert list(visit.deputies.all()) == [deputy_user.person]
    page = client.post(reverse("intake:lookup"), {"code": intake.lookup_code}).content.decode()
    assert "已受理，正在办理" in page
    today = NOW.date()
    assert deputy.post(reverse("intake:intake_follow_up", args=[intake.pk]), {
        "follow_up_by": "张三丰", "follow_up_action": "已联系街道", "follow_up_due": today + datetime.timedelta(days=7)
    }).status_code == 302
    assert deputy.post(reverse("intake:intake_tell_back", args=[intake.pk]), {
        "result": "路灯已于本周修复。", "result_told_at": today}).status_code == 302
    assert VoterVisit.objects.get(pk=visit.pk).status == "closed"
    page = client.post(reverse("intake:lookup"), {"code": intake.lookup_code}).content.decode()
    assert "已办结" in page and "路灯已于本周修复。" in page
    assert deputy.get(reverse("intake:intake_tell_back", args=[intake.pk])).status_code == 302  # closed: refused


def test_an_opinion_is_handled_once(deputy_user, staff_user, deputy_code):
    intake = submit(deputy_code)
    services.intake_accept(intake=intake, user=deputy_user)
    with pytest.raises(ValidationError, match="已经处理过"):
        services.intake_close(intake=intake, user=staff_user, reason="重复")
    assert VoterVisit.objects.count() == 1


def test_a_deputy_without_a_station_cannot_accept_and_nothing_is_written(client_for, deputy_user, deputy_code,
                                                                         station):
    intake = submit(deputy_code)
    station.deputies.clear()
    response = client_for(deputy_user).post(reverse("intake:intake_accept", args=[intake.pk]), {}, follow=True)
    assert "未关联任何代表工作站" in response.content.decode()
    assert Intake.objects.get().status == "new" and not VoterVisit.objects.exists()


def test_a_deputy_with_two_stations_chooses_one_of_his(deputy_user, deputy_code, station, city):
    other = Station.objects.create(jurisdiction=city, name="北湖社区代表工作站", address="北湖路", responsible_name="王")
    other.deputies.set([deputy_user.person])
    stranger = Station.objects.create(jurisdiction=city, name="东湖站", address="东湖路", responsible_name="李")
    intake = submit(deputy_code)
    with pytest.raises(ValidationError):
        services.intake_accept(intake=intake, user=deputy_user)
    with pytest.raises(ValidationError):
        services.intake_accept(intake=intake, user=deputy_user, station=stranger)
    assert services.intake_accept(intake=intake, user=deputy_user, station=other).station == other


def test_the_deputy_turns_an_opinion_into_his_suggestion_draft(client_for, deputy_user, deputy_code):
    intake = submit(deputy_code)
    response = client_for(deputy_user).post(reverse("intake:intake_suggestion", args=[intake.pk]), {
        "title": "关于修复南湖小区路灯的建议", "content": intake.text})
    assert response.status_code == 302
    intake.refresh_from_db()
    draft = Proposal.objects.get()
    assert intake.suggestion == draft and intake.status == "drafted" and draft.state == "draft"
    assert intake.lookup_code in draft.content
    assert draft.signatures.get().person == deputy_user.person


def test_staff_draft_for_a_deputy_of_the_station_only(staff_user, station_code, deputy_user, other_county_mandate):
    intake = submit(station_code)
    with pytest.raises(ValidationError):
        services.intake_suggestion_draft(intake=intake, user=staff_user, title="建议", content="内容",
                                         person=other_county_mandate.person)
    services.intake_suggestion_draft(intake=intake, user=staff_user, title="建议", content="内容",
                                     person=deputy_user.person)
    assert Intake.objects.get().status == "drafted"


def test_staff_close_as_spam_and_block(client_for, staff_user, deputy_code):
    intake = submit(deputy_code)
    response = client_for(staff_user).post(reverse("intake:intake_close", args=[intake.pk]), {
        "reason": "广告", "spam": "on", "block": "on"})
    assert response.status_code == 302
    assert Intake.objects.get().status == "spam"


def test_closing_needs_a_reason_and_only_spam_blocks(client_for, staff_user, deputy_code):
    intake = submit(deputy_code)
    response = client_for(staff_user).post(reverse("intake:intake_close", args=[intake.pk]), {"reason": "x",
                                                                                                 "block": "on"})
    assert response.status_code == 200 and "只有垃圾信息才能屏蔽发送者" in response.content.decode()
    assert Intake.objects.get().status == "new"


def test_revealing_the_phone_is_audited(client_for, staff_user, deputy_code):
    intake = submit(deputy_code)
    client = client_for(staff_user)
    assert PHONE not in client.get(_detail(intake.pk)).content.decode()
    assert PHONE in client.post(reverse("intake:intake_reveal", args=[intake.pk])).content.decode()
    assert AuditEvent.objects.filter(action="view_personal_data", object_id=str(intake.pk)).exists()


def test_county_staff_see_none_of_the_citys_opinions(client_for, county_staff_user, deputy_code):
    intake = submit(deputy_code)
    client = client_for(county_staff_user)
    assert client.get(_detail(intake.pk)).status_code == 404
    assert client.get(reverse("intake:inbox")).context["page"].paginator.count == 0


def test_another_deputy_sees_none_of_his_opinions(client_for, deputy_code, county_mandate):
    from apps.core import roles
    from tests.factories import UserFactory

    other = UserFactory(username="deputy3", roles=[roles.DEPUTY], person=county_mandate.person)
    intake = submit(deputy_code)
    assert client_for(other).get(_detail(intake.pk)).status_code == 404


def test_the_inbox_reads_a_page_in_a_fixed_number_of_queries(client_for, staff_user, deputy_code, station_code,
                                                             django_assert_max_num_queries):
    for i in range(6):
        submit(deputy_code if i % 2 else station_code, address=f"10.6.6.{i}", phone="")
    client = client_for(staff_user)
    client.get(reverse("intake:inbox"))
    with django_assert_max_num_queries(8):
        page = client.get(reverse("intake:inbox")).content.decode()
    assert page.count('id="intake-') >= 6


def test_the_workbench_count_equals_the_list_it_opens(client_for, staff_user, deputy_user, deputy_code,
                                                      station_code):
    for i in range(3):
        submit(deputy_code, address=f"10.2.2.{i}", phone="")
    handled = submit(station_code, address="10.2.2.9", phone="")
    services.intake_close(intake=handled, user=staff_user, reason="重复")
    for user, expected in ((staff_user, 3), (deputy_user, 3)):
        item = next(item for card in home_summary(user)["cards"] if card["name"] == "intake"
                    for item in card["data"].items)
        assert item.count == expected
        listed = client_for(user).get(item.url).context["page"].paginator.count
        assert listed == expected


def test_the_opinion_page_names_whom_it_was_sent_to_not_a_deadline(client_for, deputy_user, deputy_code, settings):
    """"To" is also a date range's end (截止日期) in the project's catalogue: the addressee's row has its context."""
    settings.LANGUAGE_CODE = "zh-hans"
    intake = submit(deputy_code)
    page = client_for(deputy_user).get(_detail(intake.pk)).content.decode()
    assert "反映对象" in page and "截止日期" not in page
