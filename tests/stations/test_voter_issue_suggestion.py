"""A voter's issue at a work station becomes a suggestion draft (建议草稿) led by a deputy on duty that reception
day: by staff (choosing the deputy) or by the deputy on duty themself; once per visit; the deputy finds it among
their drafts and submits it; the visit shows the draft."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.core.models import AuditEvent, Notification
from apps.proposals.models import Proposal, Signature
from apps.proposals.services.submission import proposal_submit, suggestion_draft_from_voter_issue
from apps.stations import services
from apps.stations.models import VoterVisit
from tests.factories import MandateFactory, PersonFactory
from tests.security.matrix_support import LOGIN, assert_outcome, client_as
from tests.stations.conftest import make_day, make_visit

ROLES = ["anonymous", "staff_user", "county_staff_user", "supervisor_user", "member_user", "deputy_user",
         "unit_user", "sysadmin_user", "secadmin_user", "auditor_user", "outsider"]


@pytest.fixture
def on_duty_visit(city_station, municipal_mandate, city_term, today):
    """A visit on a past reception day with 张三丰 (``deputy_user``) and 王五 on duty."""
    wang = MandateFactory(term=city_term, person=PersonFactory(name="王五"))
    day = make_day(city_station, today - datetime.timedelta(days=3), deputies=[municipal_mandate.person, wang.person])
    return make_visit(city_station, day.date, reception_day=day, deputies=[municipal_mandate.person],
                      issue="小区门口道路积水严重，雨天无法通行。\n希望尽快改造排水管网。")


def _url(visit):
    return reverse("stations:visit_suggestion", args=[visit.pk])


def _post(client, visit, person, **extra):
    return client.post(_url(visit), {"person": person.pk, "title": "关于改造小区排水管网的建议",
                                     "content": "小区门口道路积水严重。", **extra})


def test_staff_make_a_draft_for_a_deputy_on_duty_who_finds_and_submits_it(
        client_for, staff_user, deputy_user, on_duty_visit, municipal_mandate):
    page = client_for(staff_user).get(reverse("stations:visit_detail", args=[on_duty_visit.pk]))
    assert "visit-suggestion-new" in page.content.decode()
    form = client_for(staff_user).get(_url(on_duty_visit)).context["form"]
    assert [name for _pk, name in form.fields["person"].choices] == ["王五", "张三丰"]
    response = _post(client_for(staff_user), on_duty_visit, municipal_mandate.person)
    assert response.status_code == 302 and response["Location"] == reverse("stations:visit_detail",
                                                                         args=[on_duty_visit.pk])
    on_duty_visit.refresh_from_db()
    draft = on_duty_visit.suggestion
    assert (draft.kind, draft.state, draft.title) == ("suggestion", Proposal.State.DRAFT, "关于改造小区排水管网的建议")
    assert f"来访记录第{on_duty_visit.pk}号" in draft.content and draft.created_by == staff_user
    lead = draft.signatures.get()
    assert (lead.role, lead.person_id, lead.mandate_id) == (Signature.Role.LEAD, municipal_mandate.person_id,
                                                           municipal_mandate.pk)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CREATE, object_id=str(draft.pk),
                                     detail__startswith="suggestion draft from a voter's issue").exists()
    assert Notification.objects.filter(recipient=deputy_user, title="已为您生成一件建议草稿").exists()
    # The visit shows its draft.
    html = client_for(staff_user).get(reverse("stations:visit_detail", args=[on_duty_visit.pk])).content.decode()
    assert "关于改造小区排水管网的建议" in html and "visit-suggestion-new" not in html
    # The deputy sees it among their drafts, opens and submits it.
    mine = client_for(deputy_user).get(reverse("proposals:mine"))
    assert draft.pk in [p.pk for p in mine.context["page"].object_list]
    assert client_for(deputy_user).get(reverse("proposals:my_proposal_detail", args=[draft.pk])).status_code == 200
    proposal_submit(proposal=draft, user=deputy_user)
    assert Proposal.objects.get(pk=draft.pk).state == Proposal.State.SUBMITTED


def test_the_deputy_on_duty_makes_a_draft_for_themself(client_for, deputy_user, on_duty_visit):
    days = client_for(deputy_user).get(reverse("stations:my_reception_days")).content.decode()
    assert f"my-visit-{on_duty_visit.pk}-suggest" in days
    form = client_for(deputy_user).get(_url(on_duty_visit)).context["form"]
    assert [pk for pk, _name in form.fields["person"].choices] == [deputy_user.person_id]
    response = _post(client_for(deputy_user), on_duty_visit, deputy_user.person)
    draft = VoterVisit.objects.get(pk=on_duty_visit.pk).suggestion
    assert response.status_code == 302 and response["Location"] == reverse("proposals:my_proposal_detail",
                                                                         args=[draft.pk])
    assert not Notification.objects.filter(title="已为您生成一件建议草稿").exists()  # they made it themself


def test_a_deputy_cannot_make_a_draft_for_another_deputy_on_duty(client_for, deputy_user, on_duty_visit):
    wang = on_duty_visit.reception_day.deputies.get(name="王五")
    response = _post(client_for(deputy_user), on_duty_visit, wang)
    assert response.status_code == 200 and response.context["form"].errors
    assert VoterVisit.objects.get(pk=on_duty_visit.pk).suggestion is None and not Proposal.objects.exists()
    with pytest.raises(ValidationError):
        services.visit_suggestion_draft(visit=on_duty_visit, person=wang, title="t", content="c", user=deputy_user)


def test_only_a_deputy_on_duty_may_lead(client_for, staff_user, on_duty_visit, county_mandate):
    response = _post(client_for(staff_user), on_duty_visit, county_mandate.person)
    assert response.status_code == 200 and "person" in response.context["form"].errors
    with pytest.raises(ValidationError) as exc:
        services.visit_suggestion_draft(visit=on_duty_visit, person=county_mandate.person, title="t", content="c",
                                        user=staff_user)
    assert "请选择该接待日的值班代表。" in str(exc.value)
    assert not Proposal.objects.exists()


def test_a_visit_outside_a_reception_day_cannot_become_a_draft(client_for, staff_user, visit, municipal_mandate):
    assert "visit-suggestion-new" not in client_for(staff_user).get(
        reverse("stations:visit_detail", args=[visit.pk])).content.decode()
    with pytest.raises(ValidationError):
        services.visit_suggestion_draft(visit=visit, person=municipal_mandate.person, title="t", content="c",
                                        user=staff_user)
    assert not Proposal.objects.exists()


def test_a_second_draft_from_the_same_visit_is_refused(client_for, staff_user, on_duty_visit, municipal_mandate):
    _post(client_for(staff_user), on_duty_visit, municipal_mandate.person)
    again = _post(client_for(staff_user), on_duty_visit, municipal_mandate.person)
    assert again.status_code == 302 and Proposal.objects.count() == 1
    with pytest.raises(ValidationError) as exc:
        services.visit_suggestion_draft(visit=on_duty_visit, person=municipal_mandate.person, title="t",
                                        content="c", user=staff_user)
    assert "已生成过建议草稿" in str(exc.value)


def test_bad_input_writes_nothing(client_for, staff_user, on_duty_visit, municipal_mandate):
    response = _post(client_for(staff_user), on_duty_visit, municipal_mandate.person, title="  ", content="")
    assert response.status_code == 200 and response.context["form"].errors
    assert not Proposal.objects.exists() and VoterVisit.objects.get(pk=on_duty_visit.pk).suggestion is None


def test_the_proposals_service_refuses_an_unrelated_user(member_user, municipal_mandate):
    with pytest.raises(ValidationError):
        suggestion_draft_from_voter_issue(user=member_user, mandate=municipal_mandate, title="t", content="c",
                                          origin="")
    assert not Proposal.objects.exists()


def _expected(role):
    if role == "anonymous":
        return LOGIN
    if role == "county_staff_user":
        return 404  # the city's visit is outside the county
    if role in {"staff_user", "deputy_user"}:
        return 200
    return 403


@pytest.mark.parametrize("role", ROLES)
def test_who_opens_the_draft_page(request, role, on_duty_visit):
    assert_outcome(client_as(request, role).get(_url(on_duty_visit)), _expected(role))


@pytest.mark.parametrize("role", ROLES)
def test_who_makes_a_draft(request, role, on_duty_visit, municipal_mandate):
    response = _post(client_as(request, role), on_duty_visit, municipal_mandate.person)
    expected = _expected(role)
    if expected == 200:
        assert response.status_code == 302 and Proposal.objects.count() == 1
    else:
        assert_outcome(response, expected)
        assert not Proposal.objects.exists()


def test_a_deputy_not_on_duty_gets_404(client_for, on_duty_visit, county_mandate):
    from tests.activities.self_report_support import deputy_account

    other = deputy_account(county_mandate, "deputy-not-on-duty")
    assert client_for(other).get(_url(on_duty_visit)).status_code == 404
