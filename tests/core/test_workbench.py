"""The workbench (工作台): each role's home is its work queue. Every card is a count of things waiting for the user
with a link to exactly those things, and the count equals the total of the list it opens, for the same user."""

import datetime
import html
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import LoginLockout, TOTPDevice
from apps.activities.services.self_reports import self_report_reject
from apps.committee.models import CommitteeMember, Post
from apps.core.models import AuditEvent
from apps.liaison.models import MailboxThread
from apps.reports.models import ReportBatch
from apps.proposals.models import Deadline, ExtensionRequest
from apps.scoring.models import Dispute, StaleMandate
from tests.activities.self_report_support import make_activity, make_report
from tests.factories import JurisdictionFactory, MandateFactory, PersonFactory, TermFactory
from tests.liaison.contacts_support import make_contact, make_request
from tests.proposals.factories import (
    SignatureFactory, make_assigned, make_docketed, make_draft, make_handling, make_registered, make_replied,
    make_submitted,
)
from tests.scoring.factories import DisputeFactory, ScoreFactory
from tests.stations.conftest import make_day, make_station

CST = datetime.timezone(datetime.timedelta(hours=8))
NOW = datetime.datetime(2026, 11, 26, 9, 30, tzinfo=CST)
TODAY = NOW.date()
# The issue allows 10 queries for the heaviest role's home; it needs 6 warm (7 cold), so 8 here makes a query per
# card show at once.
HOME_QUERIES_MAX = 8
LINK = re.compile(r'<a [^>]*href="([^"]+)" id="(wb-[\w-]+)" data-count="(\d+)"')


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def workbench(client, django_assert_max_num_queries=None) -> dict[str, tuple[str, int]]:
    """The cards' links of the user's home: id → (url, count)."""
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    links = {key: (html.unescape(url), int(count))
             for url, key, count in LINK.findall(response.content.decode())}
    assert links, "the home page shows no work item"
    return links


def list_total(client, url: str) -> int:
    """The total of the list page at ``url``: its paginator's count, or the rows of a list without pages."""
    response = client.get(url)
    assert response.status_code == 200, url
    context = response.context
    if context.get("page") is not None:
        return context["page"].paginator.count
    for rows in ("locks", "upcoming", "invitees"):  # lists shown whole, without pages
        if rows in context:
            return len(context[rows])
    if "linked" in context:  # a member's assignments, under each of their posts
        return sum(len(row.assignments) for row in context["rows"])
    raise AssertionError(f"{url} shows no list the test knows")


def assert_each_count_opens_its_list(client) -> dict[str, int]:
    """Open every card's link as the same user: the list's total is the card's count. Returns id → count."""
    counts = {}
    for key, (url, count) in workbench(client).items():
        assert list_total(client, url) == count, f"{key}: the card says {count}, {url} lists otherwise"
        counts[key] = count
    return counts


def assert_home_queries(client, django_assert_max_num_queries) -> None:
    client.get(reverse("core:home"))  # warm: content types, the menu's fragment
    with django_assert_max_num_queries(HOME_QUERIES_MAX):
        assert client.get(reverse("core:home")).status_code == 200


# --- permissions -------------------------------------------------------------------------------------------

def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_an_account_without_a_role_sees_no_work_item(client_for, outsider):
    page = client_for(outsider).get(reverse("core:home")).content.decode()
    assert not LINK.findall(page)


# --- staff ------------------------------------------------------------------------------------------------------

@pytest.fixture
def staff_work(city, city_term, municipal_mandate, staff_user, deputy_user, member_user):
    """Items waiting for the city's staff, and items that are not (decided, or in another city)."""
    make_submitted(mandate=municipal_mandate)
    make_submitted(mandate=municipal_mandate, title="关于增设公交线路的建议")
    make_registered(mandate=municipal_mandate, staff=staff_user)
    make_docketed(mandate=municipal_mandate, staff=staff_user)
    overdue = make_handling(mandate=municipal_mandate, staff=staff_user)
    Deadline.objects.filter(proposal=overdue, is_open=True).update(due_on=TODAY - datetime.timedelta(days=2))
    soon = make_handling(mandate=municipal_mandate, staff=staff_user)
    deadline = Deadline.objects.filter(proposal=soon, is_open=True, kind=Deadline.Kind.REPLY).first()
    Deadline.objects.filter(pk=deadline.pk).update(due_on=TODAY + datetime.timedelta(days=10))
    ExtensionRequest.objects.create(deadline=deadline, assignment=deadline.assignment, reason="需协调多个部门。",
                                    requested_due_on=TODAY + datetime.timedelta(days=40))
    make_report(deputy_user)
    decided = make_report(deputy_user, title="调研社区养老服务")
    self_report_reject(report=decided, user=staff_user, reason="未附活动材料。")
    score = ScoreFactory(mandate=municipal_mandate)
    DisputeFactory(score=score)
    DisputeFactory(score=score, status=Dispute.Status.REJECTED)
    member = CommitteeMember.objects.create(term=city_term, jurisdiction=city, person=PersonFactory(name="常委甲"),
                                            user=member_user, post=Post.MEMBER, start_date=datetime.date(2022, 1, 1))
    contact = make_contact(member, [municipal_mandate.person], date=TODAY - datetime.timedelta(days=60))
    make_request(contact, due_date=TODAY - datetime.timedelta(days=1))
    make_request(contact, due_date=TODAY + datetime.timedelta(days=20))
    MailboxThread.objects.create(jurisdiction=city, person=municipal_mandate.person, subject="关于道路养护")
    MailboxThread.objects.create(jurisdiction=city, person=municipal_mandate.person, subject="关于路灯",
                                 status=MailboxThread.Status.CLOSED)
    for year, status in ((2025, ReportBatch.Status.RUNNING), (2024, ReportBatch.Status.QUEUED),
                         (2025, ReportBatch.Status.FAILED), (2025, ReportBatch.Status.DONE)):
        ReportBatch.objects.create(year=year, jurisdiction=city, status=status)
    from tests.covenant.factories import P, attend, meeting

    make_activity(city, start_date=TODAY - datetime.timedelta(days=6))
    make_activity(city, start_date=datetime.date(TODAY.year - 1, 12, 20), title="去年的视察")

    meeting(city_term, TODAY - datetime.timedelta(days=3))  # attendance not entered
    meeting(city_term, TODAY + datetime.timedelta(days=10))  # not begun
    attend(meeting(city_term, TODAY - datetime.timedelta(days=30)), member, P)
    # Scores of this year: one waiting to be recomputed, one fresh, one stale of last year (not this year's list).
    ScoreFactory(mandate=municipal_mandate, rule_set__year=TODAY.year)
    ScoreFactory(mandate=MandateFactory(term=city_term), rule_set__year=TODAY.year)
    last_year = ScoreFactory(mandate=MandateFactory(term=city_term), rule_set__year=TODAY.year - 1)
    StaleMandate.objects.all().delete()  # the writes above marked mandates; the refresh job would take them
    for mandate_id in (municipal_mandate.pk, last_year.mandate_id):
        StaleMandate.objects.create(mandate_id=mandate_id, marked_at=NOW)
    elsewhere = MandateFactory(term=TermFactory(jurisdiction=JurisdictionFactory(name="吉林市", code="220200")))
    make_submitted(mandate=elsewhere)
    DisputeFactory(score=ScoreFactory(mandate=elsewhere))
    ScoreFactory(mandate=elsewhere, rule_set__year=TODAY.year)
    StaleMandate.objects.get_or_create(mandate_id=elsewhere.pk, defaults={"marked_at": NOW})


def test_staff_home_counts_what_waits_and_each_count_opens_exactly_those(client_for, staff_user, staff_work):
    counts = assert_each_count_opens_its_list(client_for(staff_user))
    assert counts == {
        "wb-proposals-to-register": 2, "wb-proposals-to-review": 1, "wb-proposals-to-assign": 1,
        "wb-proposals-overdue": 1, "wb-proposals-due-soon": 1, "wb-proposals-extensions": 1,
        "wb-activities-self-reports": 1, "wb-scoring-disputes": 1, "wb-scoring-stale": 1,
        "wb-liaison-requests-overdue": 1,
        "wb-liaison-mailbox-new": 1, "wb-reports-active": 2, "wb-reports-failed": 1, "wb-covenant-attendance": 1,
        "wb-year-proposals": 6, "wb-year-activities": 1, "wb-year-contacts": 1,
        "wb-notices-unread": 0, "wb-notices-awaiting": 0, "wb-intake-waiting": 0,
    }


def test_the_years_figures_of_several_apps_share_one_card(client_for, staff_user, staff_work):
    page = client_for(staff_user).get(reverse("core:home")).content.decode()
    assert page.count('id="home-year-figures"') == 1
    card = page[page.index('id="home-year-figures"'):]
    card = card[:card.index("</section>")]
    assert all(f'id="wb-year-{name}"' in card for name in ("proposals", "activities", "contacts"))


def test_staff_home_stays_within_its_query_budget(client_for, staff_user, staff_work, django_assert_max_num_queries):
    assert_home_queries(client_for(staff_user), django_assert_max_num_queries)


def test_supervisor_home_shows_deadlines_and_key_items(client_for, supervisor_user, staff_work,
                                                      django_assert_max_num_queries):
    client = client_for(supervisor_user)
    counts = assert_each_count_opens_its_list(client)
    assert counts["wb-proposals-overdue"] == 1 and counts["wb-proposals-due-soon"] == 1
    assert "wb-proposals-key-open" in counts and "wb-proposals-to-register" not in counts
    assert "wb-proposals-extensions" not in counts  # supervisors do not decide extensions
    assert counts["wb-proposals-units-behind"] == 1  # the unit of the overdue item, not the one due soon
    assert "wb-scoring-stale" not in counts  # staff recompute scores
    assert_home_queries(client, django_assert_max_num_queries)


def test_county_staff_counts_only_their_county(client_for, county_staff_user, staff_work, county_mandate):
    make_submitted(mandate=county_mandate)
    counts = assert_each_count_opens_its_list(client_for(county_staff_user))
    assert counts["wb-proposals-to-register"] == 1 and counts["wb-scoring-disputes"] == 0


# --- deputies ---------------------------------------------------------------------------------------------------

def test_deputy_home_links_each_awaiting_count_to_those_items(client_for, deputy_user, municipal_mandate,
                                                             staff_user, django_assert_max_num_queries):
    make_replied(mandate=municipal_mandate, staff=staff_user)  # a reply to rate
    SignatureFactory(proposal=make_draft(), mandate=municipal_mandate, person=municipal_mandate.person)
    station = make_station(municipal_mandate.term.jurisdiction, deputies=[municipal_mandate.person])
    make_day(station, TODAY, deputies=[municipal_mandate.person])
    make_day(station, TODAY + datetime.timedelta(days=7), deputies=[municipal_mandate.person])
    make_day(station, TODAY - datetime.timedelta(days=7), deputies=[municipal_mandate.person])
    make_day(station, TODAY + datetime.timedelta(days=3))  # nobody on duty
    from apps.liaison.models import Invitation, Invitee

    for days in (-20, 0, 12):
        invitation = Invitation.objects.create(jurisdiction=municipal_mandate.term.jurisdiction, title="立法论证会",
                                               kind=Invitation.Kind.choices[0][0],
                                               date=TODAY + datetime.timedelta(days=days))
        Invitee.objects.create(invitation=invitation, person=municipal_mandate.person)
    client = client_for(deputy_user)
    counts = assert_each_count_opens_its_list(client)
    assert counts == {"wb-notices-unread": 0, "wb-notices-awaiting": 0,
                      "wb-proposals-cosign": 1, "wb-proposals-rating": 1, "wb-proposals-follow-up": 0,
                      "wb-stations-my-days": 2, "wb-liaison-invitations": 2, "wb-intake-waiting": 0}
    assert_home_queries(client, django_assert_max_num_queries)


def test_deputy_home_names_the_contact_member_and_opens_their_contacts_with_me(
        client_for, deputy_user, municipal_mandate, member_user, city, city_term, django_assert_max_num_queries):
    from apps.liaison.models import LiaisonPlan
    from tests.liaison.plans_support import assign, contact, member

    mine, other = member(city_term, user=member_user, name="常委甲"), member(city_term, name="常委乙")
    plan = LiaisonPlan.objects.create(jurisdiction=city, year=TODAY.year, status=LiaisonPlan.Status.PUBLISHED)
    assign(plan, mine, mandate=municipal_mandate)
    for month in (3, 6):
        contact(mine, datetime.date(TODAY.year, month, 3), people=[municipal_mandate.person])
    contact(mine, datetime.date(TODAY.year, 7, 3), people=[PersonFactory()])  # with another deputy
    contact(other, datetime.date(TODAY.year, 8, 3), people=[municipal_mandate.person])  # not my contact member
    client = client_for(deputy_user)
    page = client.get(reverse("core:home")).content.decode()
    card = page[page.index('id="home-contact-member"'):]
    card = card[:card.index("</section>")]
    assert "常委甲" in card and "常委乙" not in card
    url = html.unescape(re.search(rf'href="([^"]+)" id="wb-contact-member-{mine.pk}"', card).group(1))
    assert list_total(client, url) == 2
    assert list_total(client, reverse("liaison:my_contact_list")) == 3  # every contact I took part in
    assert list_total(client, reverse("liaison:my_contact_list") + "?member=abc") == 0  # no error
    assert_home_queries(client, django_assert_max_num_queries)


def test_only_a_deputy_opens_their_contacts(client, client_for, staff_user, member_user):
    url = reverse("liaison:my_contact_list")
    assert client.get(url).status_code == 302
    assert client_for(staff_user).get(url).status_code == 403
    assert client_for(member_user).get(url).status_code == 403


def test_the_deputy_list_rejects_an_unknown_filter_without_error(client_for, deputy_user):
    response = client_for(deputy_user).get(reverse("proposals:mine") + "?show=nonsense")
    assert response.status_code == 200


# --- handling units ---------------------------------------------------------------------------------------------

def test_unit_home_links_each_group_to_its_items(client_for, unit_user, municipal_mandate, staff_user,
                                                django_assert_max_num_queries):
    to_sign = make_assigned(mandate=municipal_mandate, staff=staff_user, lead_unit=unit_user.handling_unit)
    Deadline.objects.filter(proposal=to_sign, is_open=True).update(due_on=TODAY + datetime.timedelta(days=5))
    late = make_handling(mandate=municipal_mandate, staff=staff_user, lead_unit=unit_user.handling_unit)
    Deadline.objects.filter(proposal=late, is_open=True).update(due_on=TODAY - datetime.timedelta(days=1))
    make_handling(mandate=municipal_mandate, staff=staff_user, lead_unit=unit_user.handling_unit)  # due in 3 months
    elsewhere = make_handling(mandate=municipal_mandate, staff=staff_user)  # another unit's
    Deadline.objects.filter(proposal=elsewhere, is_open=True).update(due_on=TODAY - datetime.timedelta(days=1))
    decided = {"approved": (late, 10), "refused": (to_sign, 31), "pending": (elsewhere, 2)}
    for state, (item, days_ago) in decided.items():  # only the first was decided within 30 days
        deadline = Deadline.objects.filter(proposal=item, is_open=True).first()
        ExtensionRequest.objects.create(deadline=deadline, assignment=deadline.assignment, reason="需协调多个部门。",
                                        requested_due_on=TODAY + datetime.timedelta(days=40), state=state,
                                        decided_at=None if state == "pending" else NOW - datetime.timedelta(
                                            days=days_ago))
    client = client_for(unit_user)
    counts = assert_each_count_opens_its_list(client)
    assert counts == {"wb-notices-unread": 0, "wb-notices-awaiting": 0,
                      "wb-unit-due-overdue": 1, "wb-unit-due-soon": 1, "wb-unit-to_sign": 1, "wb-unit-handling": 2,
                      "wb-unit-extensions-decided": 1}
    assert_home_queries(client, django_assert_max_num_queries)


@pytest.mark.parametrize("days", [-1, 0, 14, 15])
def test_the_units_due_counts_match_the_inbox_filter_at_its_edges(unit_user, municipal_mandate, staff_user, days):
    from apps.proposals.selectors import unit as unit_selectors

    item = make_handling(mandate=municipal_mandate, staff=staff_user, lead_unit=unit_user.handling_unit)
    Deadline.objects.filter(proposal=item, is_open=True).update(due_on=TODAY + datetime.timedelta(days=days))
    inbox = unit_selectors.inbox_assignments(unit_user)
    counts = unit_selectors.due_counts(inbox, TODAY)
    for due in unit_selectors.DUE_FILTERS:
        assert counts[due] == unit_selectors.filter_inbox(inbox, due=due, today=TODAY).count()
    assert sum(counts.values()) == (1 if days <= 14 else 0)


@pytest.mark.parametrize(("days", "behind"), [(-1, True), (0, False)])
def test_a_unit_falls_behind_the_day_after_its_deadline(supervisor_user, municipal_mandate, staff_user, days, behind):
    from apps.proposals.selectors.config import unit_rows

    item = make_handling(mandate=municipal_mandate, staff=staff_user)
    Deadline.objects.filter(proposal=item, is_open=True).update(due_on=TODAY + datetime.timedelta(days=days))
    assert unit_rows(supervisor_user, behind=True).count() == (1 if behind else 0)


@pytest.mark.parametrize(("days_ago", "counted"), [(30, True), (31, False)])
def test_an_extension_decided_counts_for_30_days(unit_user, municipal_mandate, staff_user, days_ago, counted):
    from apps.proposals.selectors import unit as unit_selectors

    item = make_handling(mandate=municipal_mandate, staff=staff_user, lead_unit=unit_user.handling_unit)
    deadline = Deadline.objects.filter(proposal=item, is_open=True, kind=Deadline.Kind.REPLY).first()
    ExtensionRequest.objects.create(deadline=deadline, assignment=deadline.assignment, reason="需协调多个部门。",
                                    requested_due_on=TODAY + datetime.timedelta(days=40),
                                    state=ExtensionRequest.State.REFUSED,
                                    decided_at=NOW - datetime.timedelta(days=days_ago))
    inbox = unit_selectors.inbox_assignments(unit_user)
    assert unit_selectors.filter_inbox(inbox, extension=unit_selectors.EXTENSION_DECIDED).count() == int(counted)


# --- committee members ---------------------------------------------------------------------------------------------

def test_a_member_sees_their_assignments_behind_pace(client_for, member_user, city, city_term,
                                                     django_assert_max_num_queries):
    from apps.liaison.models import LiaisonPlan
    from tests.liaison.plans_support import assign, contact, deputies, member

    me = member(city_term, user=member_user, name="常委甲")
    plan = LiaisonPlan.objects.create(jurisdiction=city, year=TODAY.year, status=LiaisonPlan.Status.PUBLISHED)
    behind, on_pace, late = deputies(city_term, 3, prefix="联系")
    for mandate in (behind, on_pace, late):
        assign(plan, me, mandate=mandate, per_year=4)
    for month in (2, 5, 8, 10):  # four contacts by late November: on pace for four a year
        contact(me, datetime.date(TODAY.year, month, 3), people=[on_pace.person])
    contact(me, datetime.date(TODAY.year, 3, 3), people=[late.person])
    client = client_for(member_user)
    counts = assert_each_count_opens_its_list(client)
    assert counts["wb-liaison-behind-pace"] == 2
    assert_home_queries(client, django_assert_max_num_queries)


def test_a_member_without_a_post_has_no_pace_card(client_for, member_user):
    page = client_for(member_user).get(reverse("core:home")).content.decode()
    assert 'id="wb-liaison-behind-pace"' not in page


def test_a_leader_sees_the_items_whose_supervision_they_lead(client_for, leader_user, council_member_user,
                                                            django_assert_max_num_queries):
    client = client_for(leader_user)
    counts = assert_each_count_opens_its_list(client)
    assert counts["wb-proposals-led"] == 1
    assert_home_queries(client, django_assert_max_num_queries)
    assert assert_each_count_opens_its_list(client_for(council_member_user))["wb-proposals-led"] == 0


# --- the three administrators ----------------------------------------------------------------------------------

@pytest.fixture
def security_work(sysadmin_user, secadmin_user, auditor_user):
    now = timezone.now()
    LoginLockout.objects.create(username="zhang", ip_address="10.0.0.8", failures=5, window_start=now,
                                locked_until=now + datetime.timedelta(minutes=10))
    LoginLockout.objects.create(username="li", ip_address="10.0.0.9", failures=5, window_start=now,
                                locked_until=now - datetime.timedelta(minutes=10))
    TOTPDevice.objects.create(user=secadmin_user, secret_encrypted="x")
    AuditEvent.objects.create(action=AuditEvent.Action.LOGIN_FAILED, username="zhang", success=False)
    AuditEvent.objects.create(action=AuditEvent.Action.LOGIN, username="zhang", success=True)
    with time_machine.travel(NOW - datetime.timedelta(days=8), tick=False):  # the log is append-only
        AuditEvent.objects.create(action=AuditEvent.Action.LOGIN_FAILED, username="li", success=False)


def test_sysadmin_sees_active_accounts_without_two_factor(client_for, sysadmin_user, security_work,
                                                         django_assert_max_num_queries):
    client = client_for(sysadmin_user)
    counts = assert_each_count_opens_its_list(client)
    # sysadmin and auditor have no authenticator; the security administrator has one.
    assert counts == {"wb-notices-unread": 0, "wb-notices-awaiting": 0,
                      "wb-accounts-no-2fa-account-list": 2}
    assert_home_queries(client, django_assert_max_num_queries)


def test_secadmin_sees_locks_in_force_and_accounts_without_two_factor(client_for, secadmin_user, security_work,
                                                                      django_assert_max_num_queries):
    client = client_for(secadmin_user)
    counts = assert_each_count_opens_its_list(client)
    assert counts == {"wb-notices-unread": 0, "wb-notices-awaiting": 0,
                      "wb-accounts-locks": 1, "wb-accounts-no-2fa-role-list": 2}
    assert_home_queries(client, django_assert_max_num_queries)


def test_auditor_sees_failed_actions_of_the_last_week(client_for, auditor_user, security_work,
                                                     django_assert_max_num_queries):
    client = client_for(auditor_user)
    counts = assert_each_count_opens_its_list(client)
    assert counts == {"wb-notices-unread": 0, "wb-notices-awaiting": 0,
                      "wb-accounts-audit-failed": 1}
    assert_home_queries(client, django_assert_max_num_queries)


# --- counting, and the bench ---------------------------------------------------------------------------------------

def test_count_together_counts_each_queryset_in_one_query(staff_user, sysadmin_user, outsider,
                                                          django_assert_num_queries):
    from apps.accounts.models import User
    from apps.core.selectors import count_together

    querysets = {"all": User.objects.all(), "staff": User.objects.filter(username="staff"),
                 "none": User.objects.none(), "named": User.objects.filter(username__in=[])}
    with django_assert_num_queries(1):
        counts = count_together(querysets)
    assert counts == {"all": 3, "staff": 1, "none": 0, "named": 0}
    with django_assert_num_queries(0):
        assert count_together({"none": User.objects.none()}) == {"none": 0}


def test_the_bench_prints_the_workbench_figures_of_every_role(staff_user, deputy_user, unit_user, auditor_user):
    from apps.core import bench as core_bench

    class Bench:
        figures: dict = {}

        def figure(self, name, value, unit):
            self.figures[name] = (value, unit)

        def note(self, message):
            pass

        @staticmethod
        def fresh_password(user):
            return user

    bench = Bench()
    assert set(core_bench.role_accounts()) == {"staff", "deputy", "unit", "auditor"}
    core_bench.workbench_figures(bench)
    queries, unit = bench.figures["workbench_queries_max"]
    assert unit == "queries" and 0 < queries <= HOME_QUERIES_MAX + 1  # cold: the session is read too
    ms, unit = bench.figures["workbench_cold_ms_max"]
    assert unit == "ms" and ms > 0
