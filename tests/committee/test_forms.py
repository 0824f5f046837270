"""The committee's shared form pieces: ``PeriodForm`` refuses an end date before the start, in Chinese, for a
committee post and a liaison recommendation alike; ``MemberChoiceField`` shows a member as "name · post" for the
leading supervisor (proposals) and the member of a plan's assignment (liaison)."""

import datetime

import pytest
from django.utils import translation

from apps.committee.forms import CommitteeMemberForm, MemberChoiceField, PeriodForm
from apps.committee.models import CommitteeMember, Post
from apps.liaison.forms.participation import RecommendationForm
from apps.liaison.forms.plans import AssignmentForm
from apps.proposals.forms.office import SupervisionForm
from tests.factories import PersonFactory
from apps.deputies.models import Delegation, DeputyGroup
from apps.liaison.models import LiaisonPlan, Recommendation

START = datetime.date(2024, 3, 1)


def _recommendation(end_date):
    return RecommendationForm(data={"role": Recommendation.Role.OTHER, "organisation": "市法院",
                                    "start_date": START, "end_date": end_date})


@pytest.mark.parametrize("form_class", [CommitteeMemberForm, RecommendationForm])
def test_both_forms_share_the_one_period_check(form_class):
    assert issubclass(form_class, PeriodForm)


def test_an_end_before_the_start_is_refused_in_chinese():
    with translation.override("zh-hans"):
        form = _recommendation(START - datetime.timedelta(days=1))
        assert not form.is_valid()
        assert form.errors["end_date"] == ["结束日期早于开始日期。"]


@pytest.mark.parametrize("end_date", [START, START + datetime.timedelta(days=1), ""])
def test_an_end_on_or_after_the_start_or_none_is_accepted(end_date):
    form = _recommendation(end_date)
    assert form.is_valid(), form.errors


@pytest.mark.django_db
def test_a_committee_post_ending_before_it_starts_is_refused(city, city_term):
    form = CommitteeMemberForm(data={"term": city_term.pk, "post": Post.MEMBER, "start_date": START,
                                     "end_date": START - datetime.timedelta(days=1)}, scope_path=city.path)
    assert not form.is_valid()
    assert "end_date" in form.errors
    assert str(form.errors["end_date"][0]) == str(translation.gettext("The end date is before the start date."))


@pytest.mark.django_db
def test_a_member_is_offered_as_name_and_post_wherever_one_is_chosen(city, city_term):
    member = CommitteeMember.objects.create(term=city_term, jurisdiction=city, person=PersonFactory(name="孙建国"),
                                            post=Post.DIRECTOR, start_date=START)
    with translation.override("zh-hans"):
        assert MemberChoiceField(queryset=CommitteeMember.objects.all()).label_from_instance(member) == "孙建国 · 主任"
        assignment = AssignmentForm(plan=LiaisonPlan(jurisdiction=city, year=2024), members=[member],
                                    delegations=Delegation.objects.none(), groups=DeputyGroup.objects.none())
        assert list(assignment.fields["member"].choices) == [("", "---------"), (member.pk, "孙建国 · 主任")]
    assert isinstance(SupervisionForm.base_fields["leader"], MemberChoiceField)
