"""Rating a reply (满意度测评): every counting signer (lead and confirmed co-signers) rates their own item; a
non-signer and an unconfirmed co-signer cannot. 不满意 in round 1 sends it back for re-handling (round 2, its
own deadline); the second reply and ratings are kept apart from the first by their round."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from apps.core.models import Notification
from apps.proposals.models import Assignment, Deadline, Proposal, Rating, Reply
from apps.proposals.services import handling, ratings, submission
from tests.factories import MandateFactory
from tests.proposals.factories import (
    SignatureFactory, deputy_for, lead_assignment, make_draft, make_replied, reply_class,
)
from tests.proposals.services_support import cast, snapshot, text  # noqa: F401  (cast is a fixture)

S = Proposal.State
R = Rating.Result


@pytest.fixture
def joint(cast):
    """A replied item with a confirmed and an unconfirmed co-signer (each with an account)."""
    item = make_replied(mandate=cast.mandate, staff=cast.staff, lead_unit=cast.unit)
    confirmed = SignatureFactory(proposal=item, confirmed=True)
    invited = SignatureFactory(proposal=item)
    return item, deputy_for(confirmed.person), deputy_for(invited.person)


def test_a_confirmed_co_signer_rates(cast, joint):
    item, co_signer, _invited = joint
    rating = ratings.rating_submit(proposal=item, user=co_signer, result=R.BASICALLY_SATISFIED, comment=" 基本满意 ")
    assert rating.signature.person_id == co_signer.person_id and rating.round == 1 and rating.comment == "基本满意"
    assert rating.reply == item.replies.get() and rating.rated_by == co_signer
    item.refresh_from_db()
    assert item.state == S.REPLIED  # the lead has not rated yet


def test_a_non_signer_cannot_rate(cast, joint, city_term):
    item, _co, _invited = joint
    stranger = deputy_for(MandateFactory(term=city_term).person)
    before = snapshot()
    for user in (stranger, cast.staff, cast.unit_user):
        with pytest.raises(ValidationError) as exc:
            ratings.rating_submit(proposal=item, user=user, result=R.SATISFIED)
        assert text(exc) == "只有本件的署名代表可以测评答复。"
    assert snapshot() == before


def test_an_unconfirmed_or_declined_co_signer_cannot_rate(cast, joint):
    item, _co, invited = joint
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        ratings.rating_submit(proposal=item, user=invited, result=R.SATISFIED)
    assert text(exc) == "您尚未确认附议本件，不能测评答复。"
    assert snapshot() == before
    declined = SignatureFactory(proposal=item)
    declined.declined_at = declined.invited_at
    declined.save()
    with pytest.raises(ValidationError) as exc:
        ratings.rating_submit(proposal=item, user=deputy_for(declined.person), result=R.SATISFIED)
    assert text(exc) == "只有本件的署名代表可以测评答复。"


def test_a_rating_is_one_of_three_and_given_once(cast, joint):
    item, _co, _invited = joint
    with pytest.raises(ValidationError) as exc:
        ratings.rating_submit(proposal=item, user=cast.deputy, result="delighted")
    assert exc.value.message_dict["result"] == ["请选择满意、基本满意或不满意。"]
    ratings.rating_submit(proposal=item, user=cast.deputy, result=R.SATISFIED)
    with pytest.raises(ValidationError) as exc:
        ratings.rating_submit(proposal=item, user=cast.deputy, result=R.UNSATISFIED)
    assert text(exc) == "您已测评过此答复。"
    assert Rating.objects.count() == 1


def test_the_item_closes_when_every_counting_signer_is_satisfied(cast, joint):
    item, co_signer, _invited = joint
    ratings.rating_submit(proposal=item, user=cast.deputy, result=R.SATISFIED)
    item.refresh_from_db()
    assert item.state == S.REPLIED
    ratings.rating_submit(proposal=item, user=co_signer, result=R.BASICALLY_SATISFIED)
    item.refresh_from_db()
    assert item.state == S.CLOSED and item.closed_at is not None
    assert not item.deadlines.get(kind=Deadline.Kind.RATING).is_open
    with pytest.raises(ValidationError) as exc:
        ratings.rating_submit(proposal=item, user=cast.deputy, result=R.SATISFIED)
    assert "现在不能测评" in text(exc)


def test_unsatisfied_sends_it_back_and_the_second_round_is_kept_apart(cast, joint):
    item, co_signer, _invited = joint
    first_reply = item.replies.get()
    ratings.rating_submit(proposal=item, user=cast.deputy, result=R.SATISFIED)
    ratings.rating_submit(proposal=item, user=co_signer, result=R.UNSATISFIED, comment="没有实质进展")
    item.refresh_from_db()
    assert item.state == S.REHANDLING and item.round == 2
    again = lead_assignment(item)
    assert (again.unit, again.round, again.state) == (cast.unit, 2, Assignment.State.ACCEPTED)
    assert item.deadlines.get(kind=Deadline.Kind.REHANDLING).assignment == again
    assert Notification.objects.filter(recipient=cast.unit_user,
                                       title=f"“{item.title}”须重新办理：代表对答复不满意").exists()
    # A round-1 assignment cannot answer round 2.
    first_assignment = item.assignments.get(round=1)
    with pytest.raises(ValidationError) as exc:
        handling.reply_submit(assignment=first_assignment, user=cast.unit_user, reply_class=reply_class("A"),
                              text="x")
    assert text(exc) == "该交办事项属于之前的办理轮次。"

    second_reply = handling.reply_submit(assignment=again, user=cast.unit_user, reply_class=reply_class("A"),
                                         text="经再次研究，已落实")
    assert second_reply.round == 2 and Reply.objects.filter(proposal=item).count() == 2
    item.refresh_from_db()
    assert item.state == S.REPLIED
    assert item.deadlines.get(kind=Deadline.Kind.RATING, round=2).is_open

    # Round 2: 不满意 does not send it back again; it closes once all have rated.
    ratings.rating_submit(proposal=item, user=co_signer, result=R.UNSATISFIED, comment="仍不满意")
    item.refresh_from_db()
    assert item.state == S.REPLIED
    ratings.rating_submit(proposal=item, user=cast.deputy, result=R.SATISFIED)
    item.refresh_from_db()
    assert item.state == S.CLOSED and item.round == 2
    first = Rating.objects.filter(proposal=item, round=1)
    second = Rating.objects.filter(proposal=item, round=2)
    assert sorted(first.values_list("result", flat=True)) == [R.SATISFIED, R.UNSATISFIED]
    assert {r.reply_id for r in first} == {first_reply.pk} and {r.reply_id for r in second} == {second_reply.pk}
    assert sorted(second.values_list("result", flat=True)) == [R.SATISFIED, R.UNSATISFIED]


def test_only_counting_signers_are_waited_for(cast, joint):
    item, co_signer, _invited = joint
    ratings.rating_submit(proposal=item, user=cast.deputy, result=R.SATISFIED)
    ratings.rating_submit(proposal=item, user=co_signer, result=R.SATISFIED)
    item.refresh_from_db()
    assert item.state == S.CLOSED  # the unconfirmed invitee was not waited for


def test_a_round_two_item_closes_when_its_rating_window_ends(cast):
    item = make_replied(mandate=cast.mandate, staff=cast.staff, lead_unit=cast.unit, cosigners=1)
    for signature in item.signatures.all():
        deputy_for(signature.person)
    ratings.rating_submit(proposal=item, user=cast.deputy, result=R.UNSATISFIED)
    item.refresh_from_db()
    handling.reply_submit(assignment=lead_assignment(item), user=cast.unit_user, reply_class=reply_class("A"),
                          text="再答复")
    ratings.rating_submit(proposal=item, user=cast.deputy, result=R.BASICALLY_SATISFIED)
    window = item.deadlines.get(kind=Deadline.Kind.RATING, round=2)
    assert ratings.ratings_close_expired(today=window.due_on) == 0
    assert ratings.ratings_close_expired(today=window.due_on + timedelta(days=1)) == 1
    item.refresh_from_db()
    assert item.state == S.CLOSED
    assert Rating.objects.filter(proposal=item, round=2).count() == 1


def test_a_withdrawn_co_signature_before_submission_does_not_count(cast):
    item = make_draft(mandate=cast.mandate)
    co = SignatureFactory(proposal=item)
    user = deputy_for(co.person)
    submission.signature_confirm(signature=co, user=user)
    submission.signature_decline(signature=co, user=user)
    co.refresh_from_db()
    assert not co.counts and co.declined_at is not None


def test_unsatisfied_closes_the_superseded_rounds_open_follow_up_with_the_reason(cast):
    """A B-class reply is followed up; 不满意 starts round 2, so the round-1 follow-up (due months later)
    closes unanswered as superseded, its deadline stops running, and the item's history says so."""
    from apps.proposals.models import FollowUp
    from apps.proposals.selectors.office import state_history
    from tests.proposals.factories import lead_signature

    item = make_replied(mandate=cast.mandate, staff=cast.staff, lead_unit=cast.unit, reply_class="B")
    follow_up = item.follow_ups.get()
    assert follow_up.is_open
    ratings.rating_submit(proposal=item, user=deputy_for(lead_signature(item).person), result=R.UNSATISFIED,
                          comment="没有解决。")
    follow_up.refresh_from_db()
    assert follow_up.closed_at is not None and follow_up.close_reason == FollowUp.CloseReason.SUPERSEDED
    assert not follow_up.is_open and follow_up.answered_at is None
    assert not item.deadlines.filter(kind=Deadline.Kind.FOLLOW_UP, round=1, is_open=True).exists()
    with pytest.raises(ValidationError):
        handling.follow_up_report(follow_up=follow_up, user=cast.unit_user, progress="已在推进。")
    rehandle = [h for h in state_history(item) if h.after == str(S.REHANDLING.label)][-1]
    assert rehandle.note == "第1轮测评不满意，转入第2轮重新办理 · 上一轮未办结的跟踪办理1项已关闭"
