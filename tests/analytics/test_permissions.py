"""Every analysis URL × every role: login for the anonymous, the pages for the office (staff, a county's staff,
supervisors), 403 for any other role, 405 for a POST (the pages only read)."""

import pytest
from django.urls import reverse

from tests.security.matrix_support import Matrix, assert_outcome, standard_rule

ROLES = ["anonymous", "staff_user", "county_staff_user", "supervisor_user", "member_user", "leader_user",
         "deputy_user", "unit_user", "sysadmin_user", "secadmin_user", "auditor_user", "outsider"]
OFFICE = {"staff_user", "county_staff_user", "supervisor_user"}

# url name → (argument kinds, who opens it)
URLS = {
    "index": ((), OFFICE),
    "section": ((), OFFICE),
    "records": ((), OFFICE),
    "export": ((), OFFICE),
}


def _url(url_name, records):
    if url_name == "index":
        return reverse("analytics:index")
    query = {"section": "", "records": "?chart=gender&key=male", "export": "?chart=gender"}[url_name]
    return reverse(f"analytics:{url_name}", args=["roster"]) + query


def _get_outcome(response, expected):
    if expected == 200 and response.status_code == 302:  # the index opens the first section
        assert response["Location"] == reverse("analytics:section", args=["roster"])
        return
    assert_outcome(response, expected)


MATRIX = Matrix(namespace="analytics", urls=URLS, roles=ROLES, urlconf="apps.analytics.urls", records=None,
                url=_url, expected=standard_rule(URLS, get_only=set(URLS)), get_outcome=_get_outcome)

test_every_url_is_in_the_matrix = MATRIX.every_url_test()
test_get_by_role = MATRIX.get_test()
test_post_by_role = MATRIX.post_test()


@pytest.mark.parametrize("slug", ["proposals", "training", "activities", "liaison", "scores", "stations",
                                  "publicity"])
def test_each_section_needs_its_own_permission(client_for, staff_user, slug):
    """A section whose records the user may not read is a 403, and its tab is not shown."""
    from django.contrib.auth.models import Group

    from apps.analytics.sections import section_by_slug

    section = section_by_slug(slug)
    app_label, codename = section.perm.split(".")
    Group.objects.get(name="staff").permissions.remove(
        *Group.objects.get(name="staff").permissions.filter(content_type__app_label=app_label, codename=codename))
    c = client_for(staff_user)
    assert c.get(reverse("analytics:section", args=[slug])).status_code == 403
    assert f'id="analytics-tab-{slug}"' not in c.get(reverse("analytics:section", args=["roster"])).content.decode()
