"""Every plans-area URL × every role: who gets the page, who is sent to log in, who is refused, who gets a 404.

The targets are this year's city plan, one assignment in it (委员乙 → 张三丰) and the city member 委员乙. County
staff work on their own county: the city's member and assignment are 404 to them.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.committee.models import CommitteeMember, SpecialCommittee
from apps.core.models import Notification
from apps.liaison.models import LiaisonAssignment, LiaisonPlan, QuotaRule
from tests.liaison import plans_support as support
from tests.security.matrix_support import LOGIN, Matrix

REFUSED_EVERYWHERE = ["deputy_user", "unit_user", "sysadmin_user", "secadmin_user", "auditor_user", "outsider"]
ROLES = ["anonymous", "staff_user", "county_staff_user", "supervisor_user", "member_user", *REFUSED_EVERYWHERE]

# url name → its argument ("year", "assignment", "member" or None)
PLAN_URLS = {
    "plan_current": None,
    "plan_detail": "year",
    "plan_create": "year",
    "plan_propose": "year",
    "plan_publish": "year",
    "assignment_add": "year",
    "assignment_remove": "assignment",
    "compliance": None,
    "compliance_export": None,
    "member_my": None,
    "member_list": None,
    "member_create": None,
    "member_edit": "member",
    "special_committee_list": None,
    "special_committee_create": None,
    "quota_rules": None,
    "quota_rule_edit": None,
}
POST_ONLY = {"plan_create", "plan_propose", "plan_publish", "assignment_add", "assignment_remove"}
WRITE_URLS = [*sorted(POST_ONLY), "member_create", "member_edit", "special_committee_create", "quota_rule_edit"]
OFFICE_READ = {"plan_current", "plan_detail", "compliance", "compliance_export", "member_list",
               "special_committee_list", "quota_rules"}
OFFICE_WRITE_FORMS = {"member_create", "member_edit", "special_committee_create", "quota_rule_edit"}


def _ok(url_name: str) -> int:
    return 302 if url_name == "plan_current" else 200


def _expected_get(url_name: str, role: str):
    if role == "anonymous":
        return LOGIN
    if url_name in POST_ONLY:
        return 405
    if role in ("staff_user", "county_staff_user"):
        if url_name == "member_my":
            return 403
        if role == "county_staff_user" and url_name == "member_edit":
            return 404  # a city member
        return _ok(url_name)
    if role == "supervisor_user":
        return _ok(url_name) if url_name in OFFICE_READ else 403
    if role == "member_user":
        return 200 if url_name in ("compliance", "member_my") else 403
    return 403


def _expected_post(url_name: str, role: str):
    if role == "anonymous":
        return LOGIN
    if role == "staff_user":
        # Empty forms come back with their errors; the buttons act and go back to the plan.
        return 302 if url_name in ("plan_create", "plan_propose", "plan_publish", "assignment_remove") else 200
    if role == "county_staff_user":
        if url_name in ("plan_create",):
            return 302  # their own county's plan
        if url_name in ("member_create", "special_committee_create", "quota_rule_edit"):
            return 200
        return 404  # the county has no plan; the city's member and assignment are not theirs
    return 403


@pytest.fixture
def cast(liaison_plan, plain_member, municipal_mandate, committee_member):
    assignment = support.assign(liaison_plan, plain_member, mandate=municipal_mandate)
    return {"plan": liaison_plan, "assignment": assignment, "member": plain_member}


def _url(url_name: str, cast) -> str:
    kind = PLAN_URLS[url_name]
    if kind is None:
        return reverse(f"liaison:{url_name}")
    arg = {"year": timezone.localdate().year, "assignment": cast["assignment"].pk, "member": cast["member"].pk}[kind]
    return reverse(f"liaison:{url_name}", args=[arg])


def _snapshot():
    return (LiaisonPlan.objects.count(), list(LiaisonPlan.objects.values_list("status", flat=True)),
            LiaisonAssignment.objects.count(), CommitteeMember.objects.count(), SpecialCommittee.objects.count(),
            QuotaRule.objects.count(), Notification.objects.count(), LiaisonAssignment.history.count())


def _written_only_by_a_button(state, before, url_name, role, expected):
    if expected != 302:  # refused, or a form sent back with its errors
        assert state == before


MATRIX = Matrix(namespace="liaison", urls=PLAN_URLS, roles=ROLES, urlconf="apps.liaison.urls_plans", records="cast",
                expected=lambda url_name, role, method: (_expected_get if method == "get" else _expected_post)(
                    url_name, role),
                url=_url, state=lambda cast: _snapshot(), post_check=_written_only_by_a_button)

test_every_plans_url_is_in_the_matrix = MATRIX.every_url_test()
test_plans_get_by_role = MATRIX.get_test()
test_plans_post_by_role_writes_nothing_when_refused = MATRIX.post_test(WRITE_URLS)


@pytest.mark.smoke
def test_a_member_cannot_open_another_members_assignments(client_for, member_user, committee_member, cast):
    """The member's pages show their own posts only: 委员乙's assignment is not on 常委甲's pages."""
    cast["plan"].status = LiaisonPlan.Status.PUBLISHED
    cast["plan"].save()
    client = client_for(member_user)
    for name in ("member_my", "compliance"):
        html = client.get(reverse(f"liaison:{name}")).content.decode()
        assert "张三丰" not in html and "委员乙" not in html
    assert client.get(_url("plan_detail", cast)).status_code == 403
