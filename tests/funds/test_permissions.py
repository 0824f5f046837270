"""Every funds URL × every role: login, the page, 403 for a role that may not open it (deputies, units, members,
administrators, outsiders), 404 for a budget or expenditure outside the user's scope (county staff and the
city's budget)."""

import pytest
from django.urls import reverse

from apps.funds.models import Budget, Expenditure
from tests.security.matrix_support import LOGIN, Matrix, assert_outcome
from tests.funds.conftest import make_budget, make_expenditure

ROLES = ["anonymous", "staff_user", "county_staff_user", "supervisor_user", "member_user", "deputy_user",
         "unit_user", "sysadmin_user", "secadmin_user", "auditor_user", "outsider"]

# url name → the record its argument names (None: no argument)
URLS = {
    "budget_list": None,
    "budget_create": None,
    "budget_detail": "budget",
    "budget_edit": "budget",
    "budget_delete": "budget",
    "expenditure_create": "budget",
    "budget_statement_xlsx": "budget",
    "budget_statement_pdf": "budget",
    "expenditure_detail": "expenditure",
    "expenditure_edit": "expenditure",
    "expenditure_delete": "expenditure",
    "expenditure_receipt": "expenditure",
    "expenditure_approve": "expenditure",
    "expenditure_return": "expenditure",
    "statement": None,
    "statement_xlsx": None,
    "statement_pdf": None,
}
POST_ONLY = {"expenditure_approve", "budget_delete", "expenditure_delete"}
GET_ONLY = {"budget_list", "budget_detail", "budget_statement_xlsx", "budget_statement_pdf", "expenditure_detail",
            "expenditure_receipt", "statement", "statement_xlsx", "statement_pdf"}
WRITE_URLS = sorted(set(URLS) - GET_ONLY - {"expenditure_approve"})

STAFF = {"staff_user", "county_staff_user"}
OFFICE = STAFF | {"supervisor_user"}
OPENS = {name: OFFICE for name in GET_ONLY}
OPENS.update({"budget_create": STAFF, "expenditure_create": OFFICE, "expenditure_approve": {"supervisor_user"},
              "expenditure_return": {"supervisor_user"}, "budget_edit": STAFF, "budget_delete": STAFF,
              "expenditure_edit": STAFF, "expenditure_delete": STAFF})
# A delete answers with a redirect: the budget (which has an expenditure) is refused, the pending expenditure goes.
DELETES = {"budget_delete", "expenditure_delete"}
OUT_OF_SCOPE = {"county_staff_user"}


@pytest.fixture
def records(city, staff_user):
    budget = make_budget(city, staff_user)
    from django.core.files.base import ContentFile

    expenditure = make_expenditure(budget, staff_user)
    expenditure.receipt.save("receipt.pdf", ContentFile(b"%PDF-1.4 receipt"), save=True)
    return {"budget": budget, "expenditure": expenditure}


def _url(url_name, records):
    kind = URLS[url_name]
    return reverse(f"funds:{url_name}", args=[] if kind is None else [records[kind].pk])


def _expected(url_name, role, method):
    if role == "anonymous":
        return LOGIN
    if method == "get" and url_name in POST_ONLY or method == "post" and url_name in GET_ONLY:
        return 405
    if role not in OPENS[url_name]:
        return 403
    if URLS[url_name] is not None and role in OUT_OF_SCOPE:
        return 404
    return 302 if url_name in DELETES else 200


def _only_the_pending_expenditure_is_deleted(state, before, url_name, role, expected):
    """An empty POST writes nothing; staff's delete of the budget is refused (it has an expenditure) and their
    delete of the pending expenditure removes it, and nothing else."""
    if expected == 302 and url_name == "expenditure_delete":
        assert (state[0], state[1]) == (before[0], [])
    else:
        assert state == before


def _get_outcome(response, expected):
    assert_outcome(response, expected)


def _state():
    return (sorted(Budget.objects.values_list("name", "amount")),
            sorted(Expenditure.objects.values_list("status", "amount", "return_reason", "override_reason")))


MATRIX = Matrix(namespace="funds", urls=URLS, roles=ROLES, expected=_expected, url=_url,
                get_outcome=_get_outcome, state=lambda records: _state(),
                post_check=_only_the_pending_expenditure_is_deleted)

test_get_by_role = MATRIX.get_test()
test_empty_post_by_role_writes_nothing = MATRIX.post_test(WRITE_URLS)


def test_every_url_is_in_the_matrix():
    from apps.funds.urls import urlpatterns

    assert {p.name for p in urlpatterns} == set(URLS) == set(OPENS)


def test_approving_by_role(request, records):
    def cell(client, url, role, expected):
        response = client.post(url)
        if expected == 200:
            assert response.status_code == 302
        else:
            assert_outcome(response, expected)
        status = Expenditure.objects.get(pk=records["expenditure"].pk).status
        assert (status == Expenditure.Status.APPROVED) == (expected == 200)

    MATRIX.check_roles(request, "expenditure_approve", "post", cell)


def test_county_staff_see_none_of_the_citys_budgets(client_for, records, county_staff_user):
    response = client_for(county_staff_user).get(reverse("funds:budget_list") + "?year=2026")
    assert response.context["rows"] == []
