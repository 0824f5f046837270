"""Two people acting on one item at once, on two real database connections: exactly one succeeds, the other
is refused (the item as the first left it, or the concurrent-change message), and nothing is doubled.
Numbers of one (congress, year, session, kind) stay unique when registrations run at the same time."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection, transaction

from apps.core import roles
from apps.core.models import AuditEvent
from apps.proposals.models import Assignment, Deadline, Proposal, Rating
from apps.proposals.services import handling, ratings, submission, transitions
from tests.factories import HandlingUnitFactory, UserFactory
from tests.proposals.factories import (
    category, deputy_for, lead_signature, make_registered, make_replied, make_submitted,
)
from tests.proposals.services_support import text

pytestmark = pytest.mark.django_db(transaction=True)


def at_once(*calls):
    """Run each call on its own thread and connection, released together by a barrier; returns, in order,
    ("ok", result) or ("error", exception)."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(index, call):
        close_old_connections()
        try:
            barrier.wait(timeout=30)
            results[index] = ("ok", call())
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test looks at
            results[index] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(not thread.is_alive() for thread in threads)
    return results


def outcomes(results):
    return sorted(kind for kind, _value in results)


def second_staff(city):
    return UserFactory(username="staff2", roles=[roles.STAFF], jurisdiction=city)


def test_two_staff_registering_one_item_at_once_one_succeeds(city, municipal_mandate, staff_user):
    item = make_submitted(mandate=municipal_mandate)
    other = second_staff(city)
    results = at_once(
        lambda: submission.proposal_register(proposal=Proposal.objects.get(pk=item.pk), user=staff_user,
                                             category=category("教育")),
        lambda: submission.proposal_register(proposal=Proposal.objects.get(pk=item.pk), user=other,
                                             category=category("卫生")))
    assert outcomes(results) == ["error", "ok"]
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, ValidationError) and error.code in ("state", "concurrent")
    assert "现在不能登记" in text(error) or "同时" in text(error)
    item.refresh_from_db()
    assert item.state == Proposal.State.REGISTERED and item.number == 1 and item.version == 3
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PROPOSAL_STATE, object_id=str(item.pk),
                                     detail__startswith="register").count() == 1


def test_two_staff_assigning_one_item_at_once_one_set_of_assignments(city, municipal_mandate, staff_user):
    item = make_registered(mandate=municipal_mandate, staff=staff_user)
    other = second_staff(city)
    first, second = HandlingUnitFactory(jurisdiction=city), HandlingUnitFactory(jurisdiction=city)
    results = at_once(
        lambda: handling.proposal_assign(proposal=Proposal.objects.get(pk=item.pk), user=staff_user,
                                         lead_unit=first),
        lambda: handling.proposal_assign(proposal=Proposal.objects.get(pk=item.pk), user=other, lead_unit=second))
    assert outcomes(results) == ["error", "ok"]
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, ValidationError) and error.code in ("state", "concurrent")
    assert Assignment.objects.filter(proposal=item).count() == 1
    assert Deadline.objects.filter(proposal=item).count() == 2  # sign + reply of the one lead unit
    item.refresh_from_db()
    assert item.state == Proposal.State.ASSIGNED


def test_stale_reads_moved_at_once_one_gets_the_concurrent_change_error(city, municipal_mandate):
    """Below the services' row lock: two reads of the same version, both moved; the conditional UPDATE lets
    one through."""
    item = make_submitted(mandate=municipal_mandate)
    reads = [Proposal.objects.get(pk=item.pk), Proposal.objects.get(pk=item.pk)]

    def move_read(index, reason):
        with transaction.atomic():
            return transitions.move(reads[index], "return", return_reason=reason)

    results = at_once(lambda: move_read(0, "甲"), lambda: move_read(1, "乙"))
    assert outcomes(results) == ["error", "ok"]
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, transitions.ConcurrentChangeError)
    assert text(error) == "其他人同时对本件进行了操作，您的操作未生效。请刷新页面查看当前状态。"
    item.refresh_from_db()
    assert item.version == 3 and item.return_reason in ("甲", "乙")


def test_registrations_at_once_get_different_numbers(city, city_term, staff_user):
    from tests.factories import MandateFactory

    items = [make_submitted(mandate=MandateFactory(term=city_term)) for _i in range(4)]
    results = at_once(*[
        (lambda pk=item.pk: submission.proposal_register(proposal=Proposal.objects.get(pk=pk), user=staff_user,
                                                         category=category()))
        for item in items])
    assert outcomes(results) == ["ok"] * 4
    numbers = sorted(Proposal.objects.filter(pk__in=[i.pk for i in items]).values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4]


def test_two_co_signers_rating_at_once_both_count_and_the_item_closes_once(city, municipal_mandate, staff_user):
    item = make_replied(mandate=municipal_mandate, staff=staff_user, cosigners=1)
    signers = [s.person for s in item.signatures.all()]
    users = [deputy_for(person) for person in signers]
    results = at_once(*[
        (lambda user=user: ratings.rating_submit(proposal=Proposal.objects.get(pk=item.pk), user=user,
                                                 result=Rating.Result.SATISFIED))
        for user in users])
    assert outcomes(results) == ["ok", "ok"]
    item.refresh_from_db()
    assert item.state == Proposal.State.CLOSED
    assert Rating.objects.filter(proposal=item).count() == 2
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PROPOSAL_STATE, object_id=str(item.pk),
                                     detail__startswith="close").count() == 1
    assert lead_signature(item).ratings.count() == 1


def test_two_staff_assigning_two_items_of_one_merge_group_at_once_do_not_deadlock(city, city_term,
                                                                                  municipal_mandate, staff_user):
    from apps.proposals.services import supervision
    from tests.factories import MandateFactory

    items = [make_registered(mandate=municipal_mandate, staff=staff_user),
             make_registered(mandate=MandateFactory(term=city_term), staff=staff_user)]
    supervision.merge_group_create(proposals=items, user=staff_user, name="并案")
    other = second_staff(city)
    unit = HandlingUnitFactory(jurisdiction=city)
    results = at_once(
        lambda: handling.proposal_assign(proposal=Proposal.objects.get(pk=items[0].pk), user=staff_user,
                                         lead_unit=unit),
        lambda: handling.proposal_assign(proposal=Proposal.objects.get(pk=items[1].pk), user=other, lead_unit=unit))
    assert outcomes(results) == ["error", "ok"]
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, ValidationError) and error.code == "state"
    assert Assignment.objects.filter(proposal__in=items).count() == 2
    assert set(Proposal.objects.filter(pk__in=[i.pk for i in items]).values_list("state", flat=True)) == {"assigned"}
