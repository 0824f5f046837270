"""Deputies' participation as staff and deputies meet it: invitations, inviting by name or by delegation,
attendance, opinions and their outcomes, the yearly counts, recommendations, and a deputy's own page."""

import datetime
import re

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.models import Notification
from apps.deputies.models import Mandate
from apps.liaison.models import Invitation, Invitee, Opinion, Recommendation
from apps.liaison.selectors.participation import participation_counts
from apps.liaison.services import participation as services
from tests.factories import (
    DelegationFactory, DeputyGroupFactory, MandateFactory, PersonFactory, UserFactory,
)

TZ = datetime.timezone(datetime.timedelta(hours=8))
NOV_26 = datetime.datetime(2026, 11, 26, 10, 0, tzinfo=TZ)


def make_invitation(jurisdiction, *, kind=Invitation.Kind.ATTEND_MEETING, title="常委会第二十次会议",
                    date=datetime.date(2026, 6, 20)) -> Invitation:
    return Invitation.objects.create(jurisdiction=jurisdiction, kind=kind, title=title, date=date)


def invite(invitation, person, *, attended=False) -> Invitee:
    return Invitee.objects.create(invitation=invitation, person=person, attended=attended)


@pytest.fixture
def invitation(city):
    return make_invitation(city)


@pytest.fixture
def staff(client_for, staff_user):
    return client_for(staff_user)


# --- invitations ----------------------------------------------------------------------------------------------

@pytest.mark.smoke
def test_staff_create_an_invitation_in_their_jurisdiction_and_go_on_to_invite(staff, city):
    response = staff.post(reverse("liaison:invitation_create"), {
        "kind": "legislative_hearing", "title": "《长春市物业管理条例（草案）》立法论证会", "date": "2026-09-10"})
    invitation = Invitation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("liaison:invitation_invite", args=[invitation.pk])
    assert (invitation.jurisdiction, invitation.kind, invitation.date) == (
        city, "legislative_hearing", datetime.date(2026, 9, 10))


def test_an_invitation_without_a_title_is_refused_and_nothing_is_written(staff):
    response = staff.post(reverse("liaison:invitation_create"), {"kind": "survey", "title": "", "date": "2026-09-10"})
    assert response.status_code == 200
    assert response.context["form"].errors["title"]
    assert not Invitation.objects.exists()


def test_staff_edit_an_invitation(staff, invitation):
    response = staff.post(reverse("liaison:invitation_edit", args=[invitation.pk]), {
        "kind": "enforcement_check", "title": "《食品安全法》执法检查", "date": "2026-07-01"})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert (invitation.kind, invitation.title) == ("enforcement_check", "《食品安全法》执法检查")


def test_staff_find_a_deputy_by_pinyin_initials_and_invite_him(staff, invitation, municipal_mandate):
    url = reverse("liaison:invitation_invite", args=[invitation.pk])
    found = staff.get(url, {"q": "zsf"}).context["candidates"]
    assert [p.name for p in found] == ["张三丰"]
    response = staff.post(url, {"people": [municipal_mandate.person_id], "q": "zsf"})
    assert response.status_code == 302
    assert list(invitation.invitees.values_list("person__name", flat=True)) == ["张三丰"]
    # Once invited he is no longer offered.
    assert staff.get(url, {"q": "zsf"}).context["candidates"] == []


def test_staff_invite_a_whole_delegation_of_serving_deputies_once(staff, invitation, city_term):
    delegation = DelegationFactory(term=city_term, name="南关区代表团")
    serving = [MandateFactory(term=city_term, delegation=delegation) for _ in range(3)]
    MandateFactory(term=city_term, delegation=delegation, status=Mandate.Status.ENDED,
                   end_date=datetime.date(2025, 1, 1), end_reason=Mandate.EndReason.RESIGNED)
    invite(invitation, serving[0].person)
    url = reverse("liaison:invitation_invite", args=[invitation.pk])
    staff.post(url, {"delegation": delegation.pk})
    assert set(invitation.invitees.values_list("person_id", flat=True)) == {m.person_id for m in serving}


def test_staff_invite_a_whole_deputy_group(staff, invitation, city, city_term):
    group = DeputyGroupFactory(jurisdiction=city, name="南关区市人大代表第一小组")
    members = [MandateFactory(term=city_term, group=group) for _ in range(2)]
    staff.post(reverse("liaison:invitation_invite", args=[invitation.pk]), {"group": group.pk})
    assert set(invitation.invitees.values_list("person_id", flat=True)) == {m.person_id for m in members}


def test_inviting_nobody_is_a_form_error(staff, invitation):
    response = staff.post(reverse("liaison:invitation_invite", args=[invitation.pk]), {})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Invitee.objects.exists()


def test_county_staff_cannot_invite_a_deputy_outside_their_county(client_for, county_staff_user, county,
                                                                  county_mandate, municipal_mandate):
    invitation = make_invitation(county)
    client = client_for(county_staff_user)
    url = reverse("liaison:invitation_invite", args=[invitation.pk])
    assert [p.name for p in client.get(url, {"q": "张三丰"}).context["candidates"]] == []
    response = client.post(url, {"people": [municipal_mandate.person_id]})
    assert response.status_code == 200
    assert response.context["form"].errors["people"]
    assert not Invitee.objects.exists()
    client.post(url, {"people": [county_mandate.person_id]})
    assert list(invitation.invitees.values_list("person_id", flat=True)) == [county_mandate.person_id]


def test_attendance_marks_exactly_the_ticked_invitees(staff, invitation):
    came, stayed_away, was_marked = (invite(invitation, PersonFactory()) for _ in range(3))
    Invitee.objects.filter(pk=was_marked.pk).update(attended=True)
    response = staff.post(reverse("liaison:invitation_attendance", args=[invitation.pk]), {"attended": [came.pk]})
    assert response.status_code == 302
    assert dict(invitation.invitees.values_list("pk", "attended")) == {
        came.pk: True, stayed_away.pk: False, was_marked.pk: False}


def test_attendance_naming_someone_of_another_invitation_changes_nothing(staff, invitation, city):
    mine = invite(invitation, PersonFactory())
    other = invite(make_invitation(city, title="另一次会议"), PersonFactory())
    staff.post(reverse("liaison:invitation_attendance", args=[invitation.pk]), {"attended": [mine.pk, other.pk]})
    assert not Invitee.objects.filter(attended=True).exists()


def test_the_invitation_page_shows_invitees_attendance_and_the_date_in_chinese(staff, invitation, municipal_mandate):
    invite(invitation, municipal_mandate.person, attended=True)
    page = staff.get(reverse("liaison:invitation_detail", args=[invitation.pk])).content.decode()
    assert "张三丰" in page
    assert "2026年6月20日" in page
    assert 'value="%d" id="attended-' % Invitee.objects.get().pk in page


# --- opinions and outcomes ------------------------------------------------------------------------------------

def test_staff_record_an_opinion_under_consideration(staff, invitation, municipal_mandate):
    invitee = invite(invitation, municipal_mandate.person, attended=True)
    response = staff.post(reverse("liaison:opinion_create", args=[invitee.pk]), {"content": "建议增设公交线路"})
    assert response.status_code == 302
    opinion = invitee.opinions.get()
    assert (opinion.content, opinion.outcome) == ("建议增设公交线路", Opinion.Outcome.PENDING)


def test_an_empty_opinion_is_refused(staff, invitation, municipal_mandate):
    invitee = invite(invitation, municipal_mandate.person)
    response = staff.post(reverse("liaison:opinion_create", args=[invitee.pk]), {"content": "   "})
    assert response.status_code == 200
    assert not Opinion.objects.exists()


@pytest.mark.smoke
def test_adopting_an_opinion_notifies_the_deputy(staff, invitation, deputy_user):
    opinion = Opinion.objects.create(invitee=invite(invitation, deputy_user.person), content="建议加快老旧小区改造")
    response = staff.post(reverse("liaison:opinion_decide", args=[opinion.pk]), {"outcome": "adopted"})
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert opinion.outcome == Opinion.Outcome.ADOPTED
    note = Notification.objects.get(recipient=deputy_user)
    assert invitation.title in note.title
    assert note.url == reverse("liaison:my_participation")


def test_not_adopting_without_an_explanation_is_refused_and_nothing_changes(staff, invitation, deputy_user):
    opinion = Opinion.objects.create(invitee=invite(invitation, deputy_user.person), content="建议取消限行")
    response = staff.post(reverse("liaison:opinion_decide", args=[opinion.pk]),
                          {"outcome": "not_adopted", "explanation": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors["explanation"]
    opinion.refresh_from_db()
    assert opinion.outcome == Opinion.Outcome.PENDING
    assert not Notification.objects.exists()


def test_not_adopting_with_an_explanation_tells_the_deputy_why(staff, invitation, deputy_user):
    opinion = Opinion.objects.create(invitee=invite(invitation, deputy_user.person), content="建议取消限行")
    staff.post(reverse("liaison:opinion_decide", args=[opinion.pk]),
               {"outcome": "not_adopted", "explanation": "与上位法规定不一致"})
    opinion.refresh_from_db()
    assert (opinion.outcome, opinion.explanation) == (Opinion.Outcome.NOT_ADOPTED, "与上位法规定不一致")
    assert Notification.objects.get(recipient=deputy_user).body == "与上位法规定不一致"


def test_the_outcome_service_holds_every_caller_to_the_rules(invitation, municipal_mandate):
    opinion = Opinion.objects.create(invitee=invite(invitation, municipal_mandate.person), content="意见")
    with pytest.raises(ValidationError):
        services.opinion_decide(opinion=opinion, outcome=Opinion.Outcome.PENDING)
    with pytest.raises(ValidationError):
        services.opinion_decide(opinion=opinion, outcome=Opinion.Outcome.NOT_ADOPTED, explanation="")
    # A deputy without an account is simply not notified.
    services.opinion_decide(opinion=opinion, outcome=Opinion.Outcome.PARTLY_ADOPTED)
    assert not Notification.objects.exists()


# --- the deputy's own page ------------------------------------------------------------------------------------

@pytest.mark.smoke
def test_deputy_sees_their_invitations_and_the_outcomes_of_their_opinions_only(client_for, deputy_user, invitation,
                                                                               city):
    mine = invite(invitation, deputy_user.person, attended=True)
    Opinion.objects.create(invitee=mine, content="建议增设公交线路", outcome=Opinion.Outcome.NOT_ADOPTED,
                           explanation="线路已纳入明年规划")
    someone = PersonFactory(name="欧阳明")
    other = make_invitation(city, title="另一次视察", kind=Invitation.Kind.INSPECTION)
    Opinion.objects.create(invitee=invite(other, someone), content="别人的意见")
    Recommendation.objects.create(person=deputy_user.person, jurisdiction=city, role="police_conduct",
                                  organisation="长春市公安局", start_date=datetime.date(2025, 1, 1))
    Recommendation.objects.create(person=someone, jurisdiction=city, role="court_hearing",
                                  organisation="长春市中级人民法院", start_date=datetime.date(2025, 1, 1))
    response = client_for(deputy_user).get(reverse("liaison:my_participation"))
    page = response.content.decode()
    assert [i.invitation.title for i in response.context["invitees"]] == ["常委会第二十次会议"]
    assert "线路已纳入明年规划" in page
    assert "别人的意见" not in page and "另一次视察" not in page
    assert [r.organisation for r in response.context["recommendations"]] == ["长春市公安局"]


# --- yearly counts --------------------------------------------------------------------------------------------

@pytest.fixture
def two_years_of_invitations(city, county):
    """Invitations in 2025 and 2026 of several kinds, with invitees, attendance and opinions of every outcome;
    and one of another county, which the county's staff must not count."""
    people = [PersonFactory() for _ in range(6)]
    outcomes = [Opinion.Outcome.ADOPTED, Opinion.Outcome.PARTLY_ADOPTED, Opinion.Outcome.PENDING]
    spec = [(2025, Invitation.Kind.ATTEND_MEETING, 4), (2025, Invitation.Kind.SURVEY, 2),
            (2026, Invitation.Kind.ATTEND_MEETING, 5), (2026, Invitation.Kind.LEGISLATIVE_HEARING, 3),
            (2026, Invitation.Kind.ATTEND_MEETING, 6)]
    for n, (year, kind, size) in enumerate(spec):
        invitation = make_invitation(city, kind=kind, title=f"活动{n}", date=datetime.date(year, 3 + n, 1))
        for i, person in enumerate(people[:size]):
            invitee = invite(invitation, person, attended=i % 2 == 0)
            if i < 2:
                Opinion.objects.create(invitee=invitee, content="意见", outcome=outcomes[(n + i) % 3])
        if n == 0:
            Opinion.objects.create(invitee=invitee, content="未采纳的意见", outcome=Opinion.Outcome.NOT_ADOPTED,
                                   explanation="说明")
    county_invitation = make_invitation(county, kind=Invitation.Kind.INSPECTION, title="区视察",
                                        date=datetime.date(2026, 5, 1))
    invite(county_invitation, people[0], attended=True)


@time_machine.travel(NOV_26, tick=False)
def test_the_yearly_counts_equal_the_rows(staff_user, two_years_of_invitations):
    counts = participation_counts(staff_user)
    assert [y["year"] for y in counts["years"]] == [2026, 2025]
    for year in counts["years"]:
        invitees = Invitee.objects.filter(invitation__date__year=year["year"])
        opinions = Opinion.objects.filter(invitee__invitation__date__year=year["year"])
        assert year["total"]["invitations"] == Invitation.objects.filter(date__year=year["year"]).count()
        assert year["total"]["invited"] == invitees.count()
        assert year["total"]["attended"] == invitees.filter(attended=True).count()
        assert year["deputies"] == invitees.values("person").distinct().count()
        assert year["total"]["opinions"] == opinions.count()
        for outcome in Opinion.Outcome.values:
            assert year["total"][outcome] == opinions.filter(outcome=outcome).count()
        for row in year["kinds"]:
            assert row["invited"] == invitees.filter(invitation__kind=row["kind"]).count()
            assert row["adopted"] == opinions.filter(invitee__invitation__kind=row["kind"], outcome="adopted").count()
    assert counts["total"]["invited"] == Invitee.objects.count() == 21  # the county's own included
    assert counts["recent"]["invited"] == 21  # 2025 and 2026 are the last two years on 26 November 2026
    assert counts["recent"]["deputies"] == 6


@time_machine.travel(NOV_26, tick=False)
def test_county_staff_count_only_their_county(county_staff_user, two_years_of_invitations):
    counts = participation_counts(county_staff_user)
    assert counts["total"]["invitations"] == 1
    assert counts["total"]["invited"] == counts["total"]["attended"] == 1


@time_machine.travel(NOV_26, tick=False)
def test_the_counts_page_shows_the_two_year_headline(staff, two_years_of_invitations):
    page = staff.get(reverse("liaison:participation_counts")).content.decode()
    headline = re.search(r'id="recent-headline">(.*?)</div>', page, re.S).group(1)
    assert "2025–2026年" in headline
    assert "邀请代表21人次（6名代表）" in headline


def test_staff_and_supervisors_see_the_participation_link_and_deputies_their_own(client_for, staff_user,
                                                                                 supervisor_user, deputy_user,
                                                                                 member_user):
    home = reverse("core:home")
    for user in (staff_user, supervisor_user):
        page = client_for(user).get(home).content.decode()
        assert 'id="nav-participation"' in page and 'id="nav-my-participation"' not in page
    page = client_for(deputy_user).get(home).content.decode()
    assert 'id="nav-my-participation"' in page and 'id="nav-participation"' not in page
    page = client_for(member_user).get(home).content.decode()
    assert 'id="nav-participation"' not in page and 'id="nav-my-participation"' not in page


# --- recommendations ------------------------------------------------------------------------------------------

def test_staff_find_the_deputy_then_record_the_recommendation(staff, city, municipal_mandate):
    url = reverse("liaison:recommendation_create")
    found = staff.get(url, {"q": "zsf"}).context["candidates"]
    assert [p.name for p in found] == ["张三丰"]
    response = staff.post(f"{url}?person={municipal_mandate.person_id}", {
        "role": "soft_environment", "organisation": "长春市营商环境建设局", "start_date": "2026-01-01",
        "end_date": "2027-12-31"})
    assert response.status_code == 302
    recommendation = Recommendation.objects.get()
    assert (recommendation.person_id, recommendation.jurisdiction, recommendation.role) == (
        municipal_mandate.person_id, city, "soft_environment")


def test_a_recommendation_ending_before_it_starts_is_refused(staff, municipal_mandate):
    url = f"{reverse('liaison:recommendation_create')}?person={municipal_mandate.person_id}"
    response = staff.post(url, {"role": "tv_inquiry", "organisation": "电视问政", "start_date": "2026-05-01",
                                "end_date": "2026-04-01"})
    assert response.status_code == 200
    assert response.context["form"].errors["end_date"]
    assert not Recommendation.objects.exists()


def test_county_staff_cannot_recommend_a_deputy_outside_their_county(client_for, county_staff_user,
                                                                     municipal_mandate):
    url = f"{reverse('liaison:recommendation_create')}?person={municipal_mandate.person_id}"
    assert client_for(county_staff_user).get(url).status_code == 404


def test_staff_edit_a_recommendation(staff, city, municipal_mandate):
    recommendation = Recommendation.objects.create(person=municipal_mandate.person, jurisdiction=city,
                                                   role="court_hearing", organisation="朝阳区人民法院",
                                                   start_date=datetime.date(2026, 1, 1))
    staff.post(reverse("liaison:recommendation_edit", args=[recommendation.pk]), {
        "role": "court_hearing", "organisation": "长春市中级人民法院", "start_date": "2026-01-01",
        "end_date": "2026-06-30"})
    recommendation.refresh_from_db()
    assert (recommendation.organisation, recommendation.end_date) == ("长春市中级人民法院", datetime.date(2026, 6, 30))


@time_machine.travel(NOV_26, tick=False)
def test_the_recommendation_list_filters_by_role_year_name_and_serving_now(staff, city, municipal_mandate):
    other = PersonFactory(name="欧阳明")
    make = Recommendation.objects.create
    make(person=municipal_mandate.person, jurisdiction=city, role="tv_inquiry", organisation="电视问政",
         start_date=datetime.date(2024, 3, 1), end_date=datetime.date(2024, 3, 1))
    make(person=other, jurisdiction=city, role="police_conduct", organisation="长春市公安局",
         start_date=datetime.date(2025, 1, 1))
    make(person=other, jurisdiction=city, role="court_hearing", organisation="中级人民法院",
         start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2026, 6, 30))

    def listed(**params):
        response = staff.get(reverse("liaison:recommendation_list"), params)
        return [r.organisation for r in response.context["page"].object_list]

    assert listed() == ["中级人民法院", "长春市公安局", "电视问政"]
    assert listed(role="police_conduct") == ["长春市公安局"]
    assert listed(year=2024) == ["电视问政"]
    assert listed(year=2026) == ["中级人民法院", "长春市公安局"]
    assert listed(current="on") == ["长春市公安局"]
    assert listed(q="zsf") == ["电视问政"]
    assert listed(q="欧阳") == ["中级人民法院", "长春市公安局"]


# --- query counts ---------------------------------------------------------------------------------------------

def _queries(client, url) -> int:
    client.get(url)  # warm: session, translations, templates
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def _add_records(city, deputy_person, n: int) -> Invitation:
    invitation = None
    for i in range(n):
        invitation = make_invitation(city, title=f"活动{Invitation.objects.count()}",
                                     kind=Invitation.Kind.values[i % 5], date=datetime.date(2025 + i % 2, 5, 1))
        for person in [deputy_person, PersonFactory(), PersonFactory()]:
            invitee = invite(invitation, person, attended=True)
            Opinion.objects.create(invitee=invitee, content="意见", outcome=Opinion.Outcome.ADOPTED)
        Recommendation.objects.create(person=deputy_person, jurisdiction=city, role="tv_inquiry",
                                      organisation=f"节目{i}", start_date=datetime.date(2025, 1, 1))
    return invitation


@pytest.mark.parametrize("url_name", ["invitation_list", "participation_counts", "recommendation_list",
                                      "invitation_detail"])
def test_staff_pages_take_the_same_queries_whatever_the_number_of_records(client_for, staff_user, city, url_name,
                                                                          municipal_mandate):
    client = client_for(staff_user)
    invitation = _add_records(city, municipal_mandate.person, 1)
    url = reverse(f"liaison:{url_name}", args=[invitation.pk] if url_name == "invitation_detail" else [])
    few = _queries(client, url)
    invitation = _add_records(city, municipal_mandate.person, 6)
    for _ in range(5):
        invite(invitation, PersonFactory())
    url = reverse(f"liaison:{url_name}", args=[invitation.pk] if url_name == "invitation_detail" else [])
    assert _queries(client, url) == few <= 10


def test_the_deputys_page_takes_the_same_queries_whatever_the_number_of_records(client_for, deputy_user, city):
    client = client_for(deputy_user)
    url = reverse("liaison:my_participation")
    _add_records(city, deputy_user.person, 1)
    few = _queries(client, url)
    _add_records(city, deputy_user.person, 6)
    assert _queries(client, url) == few <= 10


def test_inactive_deputy_accounts_are_not_notified(invitation):
    from apps.core import roles

    user = UserFactory(roles=[roles.DEPUTY], person=PersonFactory(), is_active=False)
    opinion = Opinion.objects.create(invitee=invite(invitation, user.person), content="意见")
    services.opinion_decide(opinion=opinion, outcome=Opinion.Outcome.ADOPTED)
    assert not Notification.objects.exists()
