"""Disputes (错重漏申报): a deputy disputes an item of their own score; staff uphold it (the records were
corrected: the scores are recomputed at once, before and after recorded) or reject it with a reason; the
deputy is told either way."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.core.models import Notification
from apps.scoring.models import Dispute, RuleSet, Source
from apps.scoring.services import disputes as services
from tests.factories import MandateFactory
from tests.scoring.factories import item, typical_rule_set
from tests.scoring.rules_support import (  # noqa: F401
    attend, city_dispute, city_published, city_score, county_dispute, county_published, county_score,
    make_activity, score_of,
)

D = Decimal


def _raise(user, score, source=Source.ACTIVITY_PRESENT, code="inspection", comment="漏记了5月的视察。"):
    return services.dispute_raise(user=user, score=score, item=item(score.rule_set, source, code), comment=comment)


def test_a_deputy_disputes_an_item_of_their_own_score_and_staff_are_told(deputy_user, staff_user, city_score):
    dispute = _raise(deputy_user, city_score)
    assert (dispute.status, dispute.mandate, dispute.year, dispute.item_label) == (
        Dispute.Status.OPEN, city_score.mandate, 2024, "视察")
    assert dispute.raised_by == deputy_user
    note = Notification.objects.get(recipient=staff_user)
    assert note.url == reverse("scoring:dispute_resolve", args=[dispute.pk])


def test_a_dispute_is_validated(deputy_user, city_score, county_score, city_published):
    with pytest.raises(ValidationError) as exc:
        _raise(deputy_user, county_score)
    assert exc.value.code == "not_own"
    with pytest.raises(ValidationError) as exc:
        services.dispute_raise(user=deputy_user, score=city_score,
                               item=item(county_score.rule_set, Source.TRAINING), comment="   ")
    assert set(exc.value.error_dict) == {"item", "comment"}
    with pytest.raises(ValidationError) as exc:
        services.dispute_raise(user=deputy_user, score=city_score, item=None, comment="x" * 2001)
    assert set(exc.value.error_dict) == {"item", "comment"}
    _raise(deputy_user, city_score)
    with pytest.raises(ValidationError) as exc:
        _raise(deputy_user, city_score, comment="再说一次")
    assert set(exc.value.error_dict) == {"item"}
    assert _raise(deputy_user, city_score, Source.TRAINING, None).item_label == "参加培训"
    RuleSet.objects.filter(pk=city_published.pk).update(status=RuleSet.Status.SUPERSEDED)
    with pytest.raises(ValidationError) as exc:
        _raise(deputy_user, city_score, Source.RECEPTION, None)
    assert exc.value.code == "not_current"
    assert Dispute.objects.count() == 2


def test_upholding_recomputes_and_records_the_score_before_and_after(deputy_user, staff_user, city, city_score,
                                                                     municipal_mandate):
    dispute = _raise(deputy_user, city_score)
    assert city_score.total == D(62)  # base 60 + one inspection
    attend(make_activity(city, title="漏记的视察"), municipal_mandate)  # the record corrected where it is kept
    resolved = services.dispute_resolve(user=staff_user, dispute=dispute, upheld=True,
                                        resolution="已补录5月10日的视察活动。")
    assert resolved.status == Dispute.Status.UPHELD
    assert (resolved.total_before, resolved.total_after) == (D(62), D(64))
    assert resolved.resolved_by == staff_user and resolved.resolved_at is not None
    assert score_of(city_score.rule_set, municipal_mandate).total == D(64)
    note = Notification.objects.get(recipient=deputy_user)
    assert "64" in note.body and "已补录" in note.body


def test_upholding_a_dispute_of_a_superseded_score_recomputes_the_current_rules(deputy_user, staff_user, city,
                                                                                city_score, municipal_mandate):
    from apps.scoring import engine

    dispute = _raise(deputy_user, city_score)
    newer = typical_rule_set(city, base_points="70")
    engine.compute(newer)
    resolved = services.dispute_resolve(user=staff_user, dispute=dispute, upheld=True, resolution="已核实。")
    assert (resolved.total_before, resolved.total_after) == (D(62), D(72))
    assert resolved.score == score_of(newer, municipal_mandate)


def test_rejecting_needs_a_reason_and_a_dispute_is_resolved_once(deputy_user, staff_user, city_score):
    dispute = _raise(deputy_user, city_score)
    with pytest.raises(ValidationError) as exc:
        services.dispute_resolve(user=staff_user, dispute=dispute, upheld=False, resolution=" ")
    assert set(exc.value.error_dict) == {"resolution"}
    resolved = services.dispute_resolve(user=staff_user, dispute=dispute, upheld=False,
                                        resolution="该次活动为区级活动，不计入市级考核。")
    assert resolved.status == Dispute.Status.REJECTED and resolved.total_after is None
    assert Notification.objects.filter(recipient=deputy_user).count() == 1
    with pytest.raises(ValidationError) as exc:
        services.dispute_resolve(user=staff_user, dispute=dispute, upheld=True, resolution="改判")
    assert exc.value.code == "resolved"


def test_staff_of_another_jurisdiction_cannot_resolve(county_staff_user, city_dispute):
    with pytest.raises(ValidationError) as exc:
        services.dispute_resolve(user=county_staff_user, dispute=city_dispute, upheld=False, resolution="否")
    assert exc.value.code == "scope"


def test_the_resolve_page_upholds_and_the_list_shows_open_disputes_first(client_for, staff_user, deputy_user,
                                                                        city_score, city_term):
    first = _raise(deputy_user, city_score)
    second = _raise(deputy_user, city_score, Source.TRAINING, None)
    client = client_for(staff_user)
    response = client.post(reverse("scoring:dispute_resolve", args=[first.pk]),
                           {"decision": "upheld", "resolution": "已补录。"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == Dispute.Status.UPHELD and first.total_after == first.total_before == D(62)
    listed = list(client.get(reverse("scoring:dispute_list")).context["page"].object_list)
    assert [d.pk for d in listed] == [second.pk, first.pk]
    again = client.post(reverse("scoring:dispute_resolve", args=[first.pk]),
                        {"decision": "rejected", "resolution": "改判"})
    assert again.status_code == 200
    first.refresh_from_db()
    assert first.status == Dispute.Status.UPHELD
    bad = client.post(reverse("scoring:dispute_resolve", args=[second.pk]), {"decision": "rejected"})
    assert bad.status_code == 200 and "resolution" in bad.context["form"].errors


def test_the_dispute_list_takes_a_fixed_number_of_queries(client_for, staff_user, deputy_user, city_score,
                                                          django_assert_max_num_queries):
    from tests.scoring.factories import DisputeFactory, ScoreFactory

    client = client_for(staff_user)
    client.get(reverse("scoring:dispute_list"))
    for _ in range(12):
        score = ScoreFactory(rule_set=city_score.rule_set, mandate=MandateFactory(term=city_score.mandate.term))
        DisputeFactory(score=score, item=item(score.rule_set, Source.TRAINING))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("scoring:dispute_list"))
    assert len(response.context["page"].object_list) == 12
