"""The motions and suggestions demo data (``seed_demo`` at small scale, seeded once for the module)."""

import datetime
from collections import Counter, defaultdict

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from apps.accounts.models import User
from apps.core import calendar
from apps.core.demo import UNIT_ACCOUNT_UNIT
from apps.core.models import AuditEvent
from apps.deputies.models import Session, Term
from apps.proposals import rules
from apps.proposals.models import (
    Assignment, Communication, Deadline, ExtensionRequest, FollowUp, Kind, MergeGroup, Proposal, Rating, Reply,
    Signature, Supervision, SupervisionRecord,
)

TODAY = datetime.date(2026, 11, 26)
S = Proposal.State
LIVE = (Assignment.State.PENDING, Assignment.State.ACCEPTED)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The small demo, seeded once inside a transaction that is rolled back after the module's tests."""
    with django_db_blocker.unblock(), time_machine.travel(datetime.datetime(2026, 11, 26, 9, 0), tick=False):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("seed_demo", scale="small", verbosity=0)
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


pytestmark = pytest.mark.usefixtures("demo", "db")


def test_every_state_is_in_the_demo_over_three_years():
    states = dict(Proposal.objects.values_list("state").annotate(n=Count("pk")))
    assert set(states) == set(S.values)
    assert states[S.CLOSED] > sum(states.values()) / 2
    years = dict(Proposal.objects.filter(kind=Kind.SUGGESTION).values_list("year").annotate(n=Count("pk")))
    assert set(years) == {2024, 2025, 2026}
    assert all(90 <= n <= 130 for n in years.values())
    assert Proposal.objects.filter(kind=Kind.MOTION).exists()
    assert Proposal.objects.filter(converted_from_motion=True, kind=Kind.SUGGESTION).exists() or \
        Proposal.objects.filter(kind=Kind.MOTION, state=S.DOCKETED).exists()
    assert not Proposal.objects.filter(Q(created_at__date__gt=TODAY) | Q(submitted_at__date__gt=TODAY)
                                       | Q(closed_at__date__gt=TODAY)).exists()
    assert not Rating.objects.filter(rated_at__date__gt=TODAY).exists()
    assert not Communication.objects.filter(date__gt=TODAY).exists()


def test_each_term_has_its_yearly_sessions_and_items_belong_to_the_city_congress():
    city_term = Term.objects.get(level="municipal")
    names = list(Session.objects.filter(term=city_term).order_by("number").values_list("name", flat=True))
    assert names[0] == "长春市第十六届人民代表大会第一次会议"
    assert names[-1] == "长春市第十六届人民代表大会第五次会议"
    assert not Term.objects.annotate(n=Count("sessions")).filter(n=0).exists()
    for p in Proposal.objects.select_related("session"):
        assert p.session.term_id == city_term.pk and p.session.opens_on.year == p.year
        if p.period == Proposal.Period.DURING_SESSION:
            assert p.session.opens_on <= timezone.localtime(p.created_at).date() <= p.session.closes_on


def test_numbers_are_unique_and_consecutive_per_session_and_kind():
    numbers = defaultdict(list)
    for p in Proposal.objects.all():
        if p.registered_at is None:
            assert p.number is None
            continue
        assert p.number and p.category_id
        numbers[p.year, p.session_id, p.kind].append(p.number)
    assert numbers
    for found in numbers.values():
        assert sorted(found) == list(range(1, len(found) + 1))


def test_signatures_are_consistent():
    for p in Proposal.objects.prefetch_related("signatures"):
        signatures = list(p.signatures.all())
        assert [s.role for s in signatures].count(Signature.Role.LEAD) == 1
        counting = [s for s in signatures if s.counts]
        if p.kind == Kind.MOTION and p.state != S.DRAFT:
            assert len(counting) >= 10
        for s in signatures:
            assert not (s.confirmed_at and s.declined_at)
            assert s.mandate.person_id == s.person_id and s.mandate.level == "municipal"


def test_each_deadline_names_its_rule_and_follows_it():
    deadlines = list(Deadline.objects.select_related("rule"))
    assert {d.kind for d in deadlines} >= {Deadline.Kind.SIGN, Deadline.Kind.REPLY, Deadline.Kind.CO_OPINION,
                                           Deadline.Kind.RATING, Deadline.Kind.REHANDLING}
    moved = set(ExtensionRequest.objects.filter(state=ExtensionRequest.State.APPROVED)
                .values_list("deadline_id", flat=True))
    follow_ups = {(f.proposal_id, f.due_on) for f in FollowUp.objects.all()}
    for d in deadlines:
        assert d.rule_id is not None and d.rule_field
        if d.kind == Deadline.Kind.FOLLOW_UP:  # the unit's promised date, as the reply service writes it
            assert d.rule_field == "promised_on" and (d.proposal_id, d.due_on) in follow_ups
            continue
        assert d.rule_value == getattr(d.rule, d.rule_field)
        if d.kind in (Deadline.Kind.SIGN, Deadline.Kind.RATING):
            assert d.due_on == calendar.add_working_days(d.starts_on, d.rule_value)
        elif d.pk not in moved:
            assert d.due_on == calendar.months_deadline(d.starts_on, d.rule_value)
        if d.met_at is not None:
            assert not d.is_open
            assert timezone.localtime(d.met_at).date() <= TODAY
    for extension in ExtensionRequest.objects.filter(state=ExtensionRequest.State.APPROVED).select_related(
            "deadline__rule"):
        assert extension.previous_due_on < extension.deadline.due_on == extension.requested_due_on
        assert extension.requested_due_on <= rules.latest_extension_date(extension.deadline)


def test_the_rows_of_each_state_match_the_state():
    items = Proposal.objects.prefetch_related("assignments", "replies__reply_class", "ratings", "signatures",
                                              "deadlines")
    for p in items:
        replies = {r.round: r for r in p.replies.all()}
        live_leads = [a for a in p.assignments.all() if a.role == Assignment.Role.LEAD and a.state in LIVE
                      and a.round == p.round]
        if p.state in (S.DRAFT, S.SUBMITTED, S.RETURNED, S.WITHDRAWN, S.REGISTERED, S.DOCKETED):
            assert not p.assignments.all() and not replies
        if p.state == S.HANDLING:
            assert [a.state for a in live_leads] == [Assignment.State.ACCEPTED] and p.round not in replies
        if p.state == S.ASSIGNED:
            assert all(a.state == Assignment.State.PENDING for a in live_leads) and not replies
        if p.state in (S.REPLIED, S.CLOSED):
            assert p.round in replies and p.replied_at
        if p.state == S.REHANDLING:
            assert p.round == 2 and 1 in replies and 2 not in replies
            assert any(r.round == 1 and r.result == Rating.Result.UNSATISFIED for r in p.ratings.all())
        if p.state == S.CLOSED:
            counting = {s.pk for s in p.signatures.all() if s.counts}
            rated = {r.signature_id for r in p.ratings.all() if r.round == p.round}
            assert rated <= counting and p.closed_at
            if rated != counting:  # closed when the rating window ended (ratings_close_expired)
                window = next(d for d in p.deadlines.all() if d.kind == Deadline.Kind.RATING and d.round == p.round)
                assert timezone.localtime(p.closed_at).date() > window.due_on
        for r in replies.values():
            assert r.assignment.role == Assignment.Role.LEAD and r.assignment.round == r.round
            assert (r.promised_on is not None) == r.reply_class.needs_follow_up


def test_some_items_closed_when_the_rating_window_ended_without_every_rating():
    expired = 0
    for p in Proposal.objects.filter(state=S.CLOSED).prefetch_related("signatures", "ratings"):
        counting = {s.pk for s in p.signatures.all() if s.counts}
        expired += {r.signature_id for r in p.ratings.all() if r.round == p.round} != counting
    assert expired


def test_each_items_audited_history_ends_in_its_state():
    last = {}
    for object_id, detail in AuditEvent.objects.filter(action=AuditEvent.Action.PROPOSAL_STATE).order_by(
            "created_at", "pk").values_list("object_id", "detail"):
        last[int(object_id)] = detail.split(" → ")[1].split(" · ")[0]
    for pk, state in Proposal.objects.values_list("pk", "state"):
        assert last.get(pk) == (None if state == S.DRAFT else state)


def test_reply_classes_and_first_ratings_have_a_realistic_mix():
    classes = Counter(Reply.objects.filter(round=1).values_list("reply_class__code", flat=True))
    total = sum(classes.values())
    assert total > 200
    assert 0.35 < classes["A"] / total < 0.55 and 0.2 < classes["B"] / total < 0.4
    assert classes["C"] and classes["D"]
    first = Counter(Rating.objects.filter(round=1).values_list("result", flat=True))
    assert 0.8 < (first["satisfied"] + first["basically_satisfied"]) / sum(first.values()) < 0.97
    assert Rating.objects.filter(round=2).exists()
    assert FollowUp.objects.filter(reply__reply_class__code__in=["B", "C"]).count() == FollowUp.objects.count() > 0
    assert FollowUp.objects.filter(is_solved=True).exists() and FollowUp.objects.filter(is_solved=False).exists()


def test_supervision_merge_groups_and_extensions_are_there():
    assert Supervision.objects.exists() and SupervisionRecord.objects.exists()
    assert not Supervision.objects.exclude(proposal__is_key=True).exists()
    assert not Supervision.objects.exclude(leader__post__in=["director", "vice_director", "secretary_general"]).exists()
    for group in MergeGroup.objects.prefetch_related("proposals__assignments"):
        items = list(group.proposals.all())
        assert len(items) >= 2
        leads = {a.unit_id for p in items for a in p.assignments.all() if a.role == Assignment.Role.LEAD}
        assert len(leads) <= 1
    assert set(ExtensionRequest.objects.values_list("state", flat=True)) >= {"approved", "pending"}
    assert Assignment.objects.filter(state=Assignment.State.RETURNED).exclude(return_reason="").exists()
    assert Assignment.objects.values("unit").distinct().count() >= 30
    overdue = Deadline.objects.filter(is_open=True, due_on__lt=TODAY, kind=Deadline.Kind.REPLY)
    assert overdue.exists()


def test_the_deputy_account_has_an_item_in_every_state():
    person = User.objects.get(username="deputy").person
    led = set(Proposal.objects.filter(signatures__person=person, signatures__role="lead")
              .values_list("state", flat=True))
    assert led == set(S.values)
    assert Signature.objects.filter(person=person, role="cosigner", confirmed_at=None, declined_at=None,
                                    proposal__state=S.DRAFT).exists()
    awaiting = Proposal.objects.filter(state=S.REPLIED, signatures__person=person).exclude(
        ratings__signature__person=person)
    assert awaiting.count() >= 2  # one he leads, one he co-signed
    assert FollowUp.objects.filter(proposal__signatures__person=person, proposal__signatures__role="lead",
                                   reported_at__isnull=False, answered_at=None).exists()


def test_the_unit_account_has_work_at_every_step():
    unit = User.objects.get(username="unit").handling_unit
    assert unit.name == UNIT_ACCOUNT_UNIT
    mine = Assignment.objects.filter(unit=unit)
    assert mine.filter(role="lead", state=Assignment.State.PENDING, proposal__state=S.ASSIGNED).exists()
    assert set(mine.filter(role="lead").values_list("proposal__state", flat=True)) >= {
        S.ASSIGNED, S.HANDLING, S.REPLIED, S.REHANDLING, S.CLOSED}
    assert Deadline.objects.filter(assignment__unit=unit, kind=Deadline.Kind.REPLY, is_open=True,
                                   due_on__lt=TODAY).exists()
    assert ExtensionRequest.objects.filter(assignment__unit=unit, state=ExtensionRequest.State.PENDING).exists()
    assert FollowUp.objects.filter(reply__assignment__unit=unit, reported_at=None, due_on__lt=TODAY).exists()
    assert mine.filter(role="co", opinion_at=None, state=Assignment.State.ACCEPTED).exists()
    assert Communication.objects.filter(assignment__unit=unit, recorded_by__username="unit").exists()


def test_reseeding_gives_the_same_data():
    before = Counter(Proposal.objects.values_list("state", flat=True))
    titles = sorted(Proposal.objects.values_list("title", flat=True))
    call_command("seed_demo", scale="small", reset=True, verbosity=0)
    assert Counter(Proposal.objects.values_list("state", flat=True)) == before
    assert sorted(Proposal.objects.values_list("title", flat=True)) == titles
