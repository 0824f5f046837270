"""Every staff scoring URL × every role: login for the anonymous, the page for staff and supervisors (who only
read), 403 for any other role, 404 for a row outside the user's scope (county staff and the city's rule set,
item, score or dispute)."""

import pytest
from django.urls import reverse

from apps.core.models import OutboxMessage
from apps.scoring.models import Dispute, GradeBand, RuleItem, RuleSet
from tests.scoring.rules_support import (  # noqa: F401
    city_dispute, city_draft, city_published, city_score, county_dispute, county_published, county_score,
)
from tests.security.matrix_support import LOGIN, assert_outcome_or_redirect, client_as

ROLES = ["anonymous", "staff_user", "county_staff_user", "supervisor_user", "member_user", "deputy_user",
         "unit_user", "sysadmin_user", "secadmin_user", "auditor_user", "outsider"]
STAFF = {"staff_user", "county_staff_user"}
OFFICE = STAFF | {"supervisor_user"}

# url name → (argument kinds, who opens it)
URLS = {
    "rule_set_list": ((), OFFICE),
    "rule_set_create": ((), STAFF),
    "rule_set_detail": (("rule_set",), OFFICE),
    "rule_set_edit": (("rule_set",), STAFF),
    "rule_set_copy": (("rule_set",), STAFF),
    "rule_item_create": (("rule_set",), STAFF),
    "rule_item_edit": (("item",), STAFF),
    "rule_item_delete": (("item",), STAFF),
    "grade_band_edit": (("rule_set",), STAFF),
    "rule_set_publish": (("rule_set",), STAFF),
    "rule_set_whatif": (("rule_set",), OFFICE),
    "recompute": (("published",), STAFF),
    "score_list": ((), OFFICE),
    "score_export": ((), OFFICE),
    "score_detail": (("score",), OFFICE),
    "dispute_list": ((), OFFICE),
    "dispute_resolve": (("dispute",), STAFF),
}
POST_ONLY = {"rule_item_delete", "recompute"}
GET_ONLY = {"rule_set_list", "rule_set_detail", "rule_set_whatif", "score_list", "score_export", "score_detail",
            "dispute_list"}
WRITE_URLS = sorted(set(URLS) - GET_ONLY)
# Posting these with no fields is the whole action (a button): they write when allowed.
BUTTONS = {"rule_item_delete", "recompute"}
SCOPED = {"rule_set", "item", "published", "score", "dispute"}
OUT_OF_SCOPE = {"county_staff_user"}


@pytest.fixture
def records(city_draft, city_published, city_score, city_dispute, county_score, county_dispute):
    return {"rule_set": city_draft, "item": city_draft.items.order_by("pk").first(), "published": city_published,
            "score": city_score, "dispute": city_dispute}


def _url(url_name, records):
    kinds, _who = URLS[url_name]
    return reverse(f"scoring:{url_name}", args=[records[k].pk for k in kinds])


def _expected(url_name, role, method):
    kinds, who = URLS[url_name]
    if role == "anonymous":
        return LOGIN
    if method == "get" and url_name in POST_ONLY:
        return 405
    if method == "post" and url_name in GET_ONLY:
        return 405
    if role not in who:
        return 403
    if SCOPED.intersection(kinds) and role in OUT_OF_SCOPE:
        return 404
    return 200


def _state():
    return (sorted(RuleSet.objects.values_list("pk", "name", "status", "base_points", "lock_version")),
            sorted(RuleItem.objects.values_list("pk", "label", "points", "cap")),
            sorted(GradeBand.objects.values_list("rule_set", "grade", "min_total")),
            sorted(Dispute.objects.values_list("pk", "status", "resolution")),
            OutboxMessage.objects.count())


def test_every_url_is_in_the_matrix():
    from apps.scoring.urls_rules import urlpatterns

    assert {p.name for p in urlpatterns} == set(URLS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url_name", list(URLS))
def test_get_by_role(request, url_name, role, records):
    response = client_as(request, role).get(_url(url_name, records))
    expected = _expected(url_name, role, "get")
    assert_outcome_or_redirect(response, expected)
    if expected == 200:
        assert response.status_code == 200


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url_name", WRITE_URLS)
def test_empty_post_by_role(request, url_name, role, records):
    """An empty post writes nothing (the forms need their fields), except the buttons, which write only for
    the roles that may press them."""
    client = client_as(request, role)
    before = _state()
    response = client.post(_url(url_name, records), {})
    expected = _expected(url_name, role, "post")
    assert_outcome_or_redirect(response, expected)
    if url_name in BUTTONS and expected == 200:
        assert _state() != before
    else:
        assert _state() == before


@pytest.mark.parametrize("role, visible", [("staff_user", {"city", "county"}), ("supervisor_user", {"city", "county"}),
                                           ("county_staff_user", {"county"})])
def test_each_office_sees_the_scores_and_disputes_of_its_jurisdiction_and_below(request, role, visible, records,
                                                                               county_score, county_dispute):
    client = client_as(request, role)
    scores = {"city": records["score"].pk, "county": county_score.pk}
    disputes = {"city": records["dispute"].pk, "county": county_dispute.pk}
    listed = {s.pk for s in client.get(reverse("scoring:score_list"), {"year": 2024, "level": ""}).context["rows"]}
    assert listed == {scores[k] for k in visible}
    listed = {d.pk for d in client.get(reverse("scoring:dispute_list")).context["page"].object_list}
    assert listed == {disputes[k] for k in visible}
