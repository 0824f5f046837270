"""Every performance-record URL × every role: login for the anonymous; the deputy's own pages (``/me/``, namespace
"me") for deputies only; a deputy's record, reports to voters and commendations for the office (staff and
supervisors read, staff write), 403 for any other role, and 404 for a record outside the user's jurisdiction
(county staff and the city's deputy). An empty post writes nothing."""

import pytest
from django.urls import reverse

from apps.scoring.models import Commendation, Dispute, VoterReport
from apps.scoring import engine
from tests.scoring.factories import YEAR, CommendationFactory, VoterReportFactory, typical_rule_set
from tests.security.matrix_support import LOGIN, Matrix, assert_outcome_or_redirect

ROLES = ["anonymous", "staff_user", "county_staff_user", "supervisor_user", "member_user", "deputy_user",
         "unit_user", "sysadmin_user", "secadmin_user", "auditor_user", "outsider"]
STAFF = {"staff_user", "county_staff_user"}
OFFICE = STAFF | {"supervisor_user"}
DEPUTY = {"deputy_user"}

# url name → (argument kinds, who opens it): namespace "scoring" (apps/scoring/urls_record.py)
URLS = {
    "deputy_record": (("person",), OFFICE),
    "deputy_record_pdf": (("person",), OFFICE),
    "deputy_record_line": (("person", "score", "item"), OFFICE),
    "voter_report_list": ((), OFFICE),
    "voter_report_export": ((), OFFICE),
    "voter_report_counts": ((), OFFICE),
    "voter_report_create": (("person",), STAFF),
    "voter_report_edit": (("voter_report",), STAFF),
    "voter_report_delete": (("voter_report",), STAFF),
    "commendation_list": ((), OFFICE),
    "commendation_create": (("person",), STAFF),
    "commendation_edit": (("commendation",), STAFF),
    "commendation_delete": (("commendation",), STAFF),
}
# url name → (argument kinds, who opens it): namespace "me" (apps/scoring/urls_me.py, at the site's root)
ME_URLS = {
    "me": ((), DEPUTY),
    "me_pdf": ((), DEPUTY),
    "me_dispute": ((), DEPUTY),
    "me_line": (("score", "item"), DEPUTY),
}
TABLES = {"scoring": URLS, "me": ME_URLS}
POST_ONLY = {"voter_report_delete", "commendation_delete", "me_dispute"}
GET_ONLY = {"deputy_record", "deputy_record_pdf", "deputy_record_line", "voter_report_list", "voter_report_export",
            "voter_report_counts", "commendation_list", "me", "me_pdf", "me_line"}
# The city's deputy and records are out of the county's scope.
OUT_OF_SCOPE = {"county_staff_user"}


@pytest.fixture
def records(municipal_mandate, city):
    """The city deputy's published score of ``YEAR`` (with a report to voters and a commendation counted)."""
    rule_set = typical_rule_set(city, year=YEAR)
    report = VoterReportFactory(mandate=municipal_mandate)
    commendation = CommendationFactory(mandate=municipal_mandate)
    engine.compute(rule_set)
    return {"person": municipal_mandate.person, "score": municipal_mandate.scores.get(rule_set=rule_set),
            "item": rule_set.items.get(label="向选民述职"), "voter_report": report, "commendation": commendation}


def _url(namespace, url_name, records):
    kinds, _who = TABLES[namespace][url_name]
    return reverse(f"{namespace}:{url_name}", args=[records[k].pk for k in kinds])


def _expected(namespace, url_name, role, method):
    kinds, who = TABLES[namespace][url_name]
    if role == "anonymous":
        return LOGIN
    if method == "get" and url_name in POST_ONLY:
        return 405
    if method == "post" and url_name in GET_ONLY:
        return 405
    if role not in who:
        return 403
    if kinds and role in OUT_OF_SCOPE and namespace == "scoring":
        return 404
    return 200


def _state():
    return (sorted(VoterReport.objects.values_list("pk", "date", "place", "attendance")),
            sorted(Commendation.objects.values_list("pk", "date", "title")),
            sorted(Dispute.objects.values_list("pk", "status")))


def test_every_url_is_in_the_matrix():
    from apps.scoring.urls_me import urlpatterns as me_patterns
    from apps.scoring.urls_record import urlpatterns

    assert {p.name for p in urlpatterns} == set(URLS)
    assert {p.name for p in me_patterns} == set(ME_URLS)


def _writes_only_a_delete(state, before, url_name, role, expected):
    """An empty post writes nothing, except a delete by the staff it is open to (it deletes the record)."""
    if not (url_name.endswith("_delete") and expected == 200):
        assert state == before


def _matrix(namespace):
    return Matrix(namespace=namespace, urls=TABLES[namespace], roles=ROLES,
                  expected=lambda url_name, role, method: _expected(namespace, url_name, role, method),
                  url=lambda url_name, records: _url(namespace, url_name, records),
                  post_outcome=assert_outcome_or_redirect, state=lambda records: _state(),
                  post_check=_writes_only_a_delete)


MATRIX, ME_MATRIX = _matrix("scoring"), _matrix("me")

test_get_by_role = MATRIX.get_test()
test_empty_post_by_role = MATRIX.post_test()
test_me_get_by_role = ME_MATRIX.get_test()
test_me_empty_post_by_role = ME_MATRIX.post_test()


def test_another_deputy_gets_404_on_a_line_of_someone_elses_score(client_for, records, county_mandate):
    from tests.proposals.factories import deputy_for

    other = client_for(deputy_for(county_mandate.person))
    assert other.get(_url("me", "me_line", records)).status_code == 404
    response = other.post(reverse("me:me_dispute"), {"score": records["score"].pk, "item": records["item"].pk,
                                                     "comment": "不是我的"})
    assert response.status_code == 404
    assert not Dispute.objects.filter(comment="不是我的").exists()


def test_a_deputy_cannot_open_the_office_page_of_their_own_record(client_for, deputy_user, records):
    response = client_for(deputy_user).get(_url("scoring", "deputy_record", records))
    assert response.status_code == 403


def test_an_item_of_another_rule_set_is_404_on_the_line_page(client_for, deputy_user, records, city):
    draft = typical_rule_set(city, year=YEAR, status="draft")
    url = reverse("me:me_line", args=[records["score"].pk, draft.items.first().pk])
    assert client_for(deputy_user).get(url).status_code == 404


def test_county_staff_open_the_record_of_a_county_deputy(client_for, county_staff_user, county_mandate):
    url = reverse("scoring:deputy_record", args=[county_mandate.person_id])
    assert client_for(county_staff_user).get(url).status_code == 200


def test_a_person_without_a_mandate_in_scope_is_404(client_for, staff_user):
    from tests.factories import PersonFactory

    url = reverse("scoring:deputy_record", args=[PersonFactory().pk])
    assert client_for(staff_user).get(url).status_code == 404


def test_the_office_sees_the_scores_its_own_congress_gives(client_for, staff_user, county_staff_user, city, county,
                                                           municipal_mandate, county_term):
    """A person who is a city and a county deputy: the county's staff open their record and see the county's
    score only (the city's score line is a 404 to them); the city's staff see both; the deputy sees both."""
    from apps.deputies.models import Level
    from tests.factories import MandateFactory
    from tests.proposals.factories import deputy_for

    person = municipal_mandate.person
    county_mandate = MandateFactory(term=county_term, person=person)
    city_rules = typical_rule_set(city, year=YEAR)
    county_rules = typical_rule_set(county, level=Level.COUNTY, year=YEAR)
    engine.compute(city_rules)
    engine.compute(county_rules)
    city_score = city_rules.scores.get(mandate=municipal_mandate)
    county_score = county_rules.scores.get(mandate=county_mandate)
    item = city_rules.items.order_by("pk").first()

    def shown(client, name, args):
        response = client.get(reverse(name, args=args), {"year": YEAR})
        assert response.status_code == 200
        return [card.score_id for card in response.context["record"].scores]

    county_client = client_for(county_staff_user)
    assert shown(county_client, "scoring:deputy_record", [person.pk]) == [county_score.pk]
    line = reverse("scoring:deputy_record_line", args=[person.pk, city_score.pk, item.pk])
    assert county_client.get(line).status_code == 404
    county_item = county_rules.items.order_by("pk").first()
    assert county_client.get(reverse("scoring:deputy_record_line",
                                     args=[person.pk, county_score.pk, county_item.pk])).status_code == 200
    assert set(shown(client_for(staff_user), "scoring:deputy_record", [person.pk])) == {city_score.pk,
                                                                                          county_score.pk}
    assert client_for(staff_user).get(line).status_code == 200
    assert set(shown(client_for(deputy_for(person)), "me:me", [])) == {city_score.pk, county_score.pk}
