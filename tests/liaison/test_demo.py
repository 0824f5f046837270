"""The liaison demo data (small scale): the committee, a published plan that meets the quotas, a year of
contacts with some members behind, requests, mailbox threads, invitations with outcomes, recommendations."""

import datetime
from collections import Counter

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse

from apps.accounts.models import User
from apps.committee.models import CommitteeMember, Post, SpecialCommittee
from apps.core.models import Jurisdiction
from apps.liaison import rules
from apps.liaison.models import (
    Contact, DeputyRequest, Invitation, Invitee, LiaisonAssignment, LiaisonPlan, MailboxThread, Opinion, QuotaRule,
    QuotaTarget, Recommendation,
)
from apps.liaison.selectors.participation import participation_counts
from apps.liaison.selectors.plans import compliance_rows
from tests.demo_seed import demo_seeded_once

TZ = datetime.timezone(datetime.timedelta(hours=8))
NOV_26 = datetime.datetime(2026, 11, 26, 10, 0, tzinfo=TZ)
TODAY = NOV_26.date()
LIAISON_MODELS = (SpecialCommittee, CommitteeMember, LiaisonPlan, LiaisonAssignment, Contact, DeputyRequest,
                  MailboxThread, Invitation, Invitee, Opinion, Recommendation)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The small demo, seeded once for the module on 26 November 2026 (rolled back after its last test)."""
    with demo_seeded_once(django_db_blocker, at=NOV_26):
        yield


@pytest.fixture
def demo(seeded, db):
    """Each test reads the module's demo on 26 November 2026; what it writes is rolled back after it."""
    with time_machine.travel(NOV_26, tick=False):
        yield


def counts() -> dict:
    return {model.__name__: model.objects.count() for model in LIAISON_MODELS}


def city() -> Jurisdiction:
    return Jurisdiction.objects.get(code="220100")


@pytest.mark.smoke
def test_small_demo_has_ten_committee_members_of_the_city_term(demo):
    members = CommitteeMember.objects.select_related("term", "person")
    posts = Counter(members.values_list("post", flat=True))
    assert posts == {Post.DIRECTOR: 1, Post.VICE_DIRECTOR: 2, Post.SECRETARY_GENERAL: 1, Post.MEMBER: 6}
    for member in members:
        assert member.jurisdiction == city()
        assert member.term.level == "municipal"
        assert member.person.mandates.filter(term=member.term).exists()  # elected from among the deputies
    assert SpecialCommittee.objects.filter(jurisdiction=city()).count() == 8
    assert CommitteeMember.objects.filter(special_committees__isnull=False).exists()


def test_the_member_account_is_a_vice_director_named_after_it(demo):
    member = CommitteeMember.objects.get(user__username="member")
    assert member.post == Post.VICE_DIRECTOR
    assert member.person.name == "孙建国" == member.user.full_name
    assert member.person.name_initials == "sjg"


def test_the_published_plan_of_this_year_meets_every_quota(demo):
    plan = LiaisonPlan.objects.get(jurisdiction=city(), year=TODAY.year)
    assert plan.status == LiaisonPlan.Status.PUBLISHED
    quota_rules = rules.effective_rules(city().pk)
    assignments = list(plan.assignments.select_related("mandate"))
    for member in CommitteeMember.objects.all():
        mine = Counter(rules.target_of(a) for a in assignments if a.member_id == member.pk)
        for requirement in rules.required_for(member, rules=quota_rules):
            assert mine[requirement.target] >= requirement.quantity, (member, requirement)
    council_groups = {a.group_id for a in assignments if a.group_id and a.member.post in rules.COUNCIL_POSTS}
    assert len(council_groups) >= 12
    assert all(a.mandate.person_id != a.member.person_id for a in assignments if a.mandate_id)


def test_zhang_sanfeng_is_contacted_by_the_member_account(demo):
    deputy = User.objects.get(username="deputy")
    assignment = LiaisonAssignment.objects.get(mandate__person=deputy.person)
    assert assignment.member.user.username == "member"
    assert Contact.objects.filter(member=assignment.member, participants=deputy.person).exists()


def test_a_year_of_contacts_with_participants_and_some_members_behind_pace(demo):
    contacts = Contact.objects.all()
    assert contacts.count() > 50
    assert not contacts.filter(participants__isnull=True).exists()
    assert not contacts.exclude(date__range=(datetime.date(TODAY.year, 1, 1), TODAY)).exists()
    assert contacts.filter(delegation__isnull=False).exists() and contacts.filter(group__isnull=False).exists()
    rows = compliance_rows(jurisdiction=city(), year=TODAY.year, on_date=TODAY)
    statuses = Counter(row.status for row in rows)
    assert statuses[rules.GREEN] >= len(rows) // 2
    assert 2 <= statuses[rules.AMBER] + statuses[rules.RED] < len(rows)
    assert next(row for row in rows if row.member.user_id).behind  # the member account has a reminder to see


def test_requests_some_overdue_some_answered_and_one_answer_for_zhang_sanfeng(demo):
    requests = DeputyRequest.objects.all()
    overdue = requests.exclude(status=DeputyRequest.Status.CLOSED).filter(due_date__lt=TODAY)
    assert overdue.exists()
    assert requests.filter(status=DeputyRequest.Status.CLOSED).exclude(answer="").exists()
    assert not requests.filter(contact__isnull=True).exists()
    assert requests.filter(person__name="张三丰", status=DeputyRequest.Status.CLOSED).exists()


def test_zhang_sanfeng_has_an_answered_and_a_new_mailbox_thread(demo):
    threads = MailboxThread.objects.filter(person__name="张三丰")
    answered = threads.get(status=MailboxThread.Status.ANSWERED)
    assert answered.messages.filter(is_answer=True).exists()
    assert threads.filter(status=MailboxThread.Status.NEW).exists()
    assert MailboxThread.objects.exclude(person__name="张三丰").exists()


def test_invitations_of_two_years_with_opinions_and_their_outcomes(demo):
    assert set(Invitation.objects.dates("date", "year").values_list("date__year", flat=True)) == {
        TODAY.year - 1, TODAY.year}
    assert not Invitation.objects.filter(date__gt=TODAY).exists()
    outcomes = set(Opinion.objects.values_list("outcome", flat=True))
    assert {Opinion.Outcome.ADOPTED, Opinion.Outcome.NOT_ADOPTED} <= outcomes
    assert not Opinion.objects.filter(outcome=Opinion.Outcome.NOT_ADOPTED, explanation="").exists()
    zhang = Opinion.objects.filter(invitee__person__name="张三丰")
    assert set(zhang.values_list("outcome", flat=True)) >= {Opinion.Outcome.ADOPTED, Opinion.Outcome.NOT_ADOPTED}
    staff = User.objects.get(username="staff")
    assert participation_counts(staff)["total"]["invited"] == Invitee.objects.count()


def test_recommendations_include_zhang_sanfengs(demo):
    assert Recommendation.objects.count() == 5
    assert Recommendation.objects.filter(person__name="张三丰", role=Recommendation.Role.TV_INQUIRY).exists()
    assert not Recommendation.objects.filter(end_date__lt=F("start_date")).exists()


def test_the_demo_accounts_open_their_liaison_pages(demo, client):
    for username, url in (("staff", "liaison:invitation_list"), ("staff", "liaison:recommendation_list"),
                          ("supervisor", "liaison:participation_counts"), ("deputy", "liaison:my_participation")):
        client.force_login(User.objects.get(username=username))
        assert client.get(reverse(url)).status_code == 200, (username, url)
    client.force_login(User.objects.get(username="deputy"))
    page = client.get(reverse("liaison:my_participation")).content.decode()
    assert "电视问政" in page


def test_reset_replaces_the_liaison_demo_data_and_keeps_the_default_quota_rules(demo):
    before = counts()
    defaults = QuotaRule.objects.filter(jurisdiction__isnull=True).count()
    QuotaRule.objects.create(jurisdiction=city(), post=Post.MEMBER, target=QuotaTarget.MUNICIPAL, quantity=3)
    with time_machine.travel(NOV_26, tick=False):
        call_command("seed_demo", scale="small", reset=True, verbosity=0)
    assert counts() == before
    assert QuotaRule.objects.filter(jurisdiction__isnull=True).count() == defaults > 0
    assert not QuotaRule.objects.filter(jurisdiction__isnull=False).exists()


def test_liaison_and_committee_resets_alone_empty_every_liaison_and_committee_table(demo):
    from apps.committee import demo as committee_demo
    from apps.core.demo import DemoContext
    from apps.liaison import demo as liaison_demo
    from apps.covenant import demo as covenant_demo
    from apps.materials import demo as materials_demo
    from apps.proposals import demo as proposals_demo

    covenant_demo.reset(DemoContext(scale="small"))  # its attendance rows name committee members
    materials_demo.reset(DemoContext(scale="small"))  # its document packs name the sessions proposals' reset deletes
    proposals_demo.reset(DemoContext(scale="small"))  # its supervisions name committee members
    liaison_demo.reset(DemoContext(scale="small"))
    # Only the committee's composition is left: it is apps.committee.demo's.
    assert {name: n for name, n in counts().items() if n} == {"SpecialCommittee": 8, "CommitteeMember": 10}
    assert Contact.history.count() == 0
    committee_demo.reset(DemoContext(scale="small"))
    assert set(counts().values()) == {0}
    assert CommitteeMember.history.count() == SpecialCommittee.history.count() == Contact.history.count() == 0
    assert not CommitteeMember.special_committees.through.objects.exists()
    assert QuotaRule.objects.filter(jurisdiction__isnull=True).exists()
