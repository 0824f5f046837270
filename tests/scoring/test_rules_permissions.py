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
from tests.security.matrix_support import Matrix, assert_outcome_or_redirect, client_as, standard_rule

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


def _state():
    return (sorted(RuleSet.objects.values_list("pk", "name", "status", "base_points", "lock_version")),
            sorted(RuleItem.objects.values_list("pk", "label", "points", "cap")),
            sorted(GradeBand.objects.values_list("rule_set", "grade", "min_total")),
            sorted(Dispute.objects.values_list("pk", "status", "resolution")),
            OutboxMessage.objects.count())


def _only_the_buttons_write(state, before, url_name, role, expected):
    """An empty post writes nothing (the forms need their fields), except the buttons, which write only for
    the roles that may press them."""
    if url_name in BUTTONS and expected == 200:
        assert state != before
    else:
        assert state == before


MATRIX = Matrix(namespace="scoring", urls=URLS, roles=ROLES, urlconf="apps.scoring.urls_rules",
                expected=standard_rule(URLS, post_only=POST_ONLY, get_only=GET_ONLY, out_of_scope=OUT_OF_SCOPE,
                                       scoped=SCOPED),
                post_outcome=assert_outcome_or_redirect, state=lambda records: _state(),
                post_check=_only_the_buttons_write)

test_every_url_is_in_the_matrix = MATRIX.every_url_test()
test_get_by_role = MATRIX.get_test()
test_empty_post_by_role = MATRIX.post_test(WRITE_URLS)


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
