"""The rule set pages: drafting, editing with optimistic locking, items and bands with their errors on the
fields, the freeze shown as a message, publishing, copying, removing an item, and the list's query count."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from apps.core.models import OutboxMessage
from apps.deputies.models import Level
from apps.scoring.models import Grade, GradeBand, RuleItem, RuleSet, Source
from apps.scoring.services import rules as services
from tests.scoring.factories import activity_type, typical_rule_set
from tests.scoring.rules_support import city_draft, city_published  # noqa: F401

D = Decimal


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_staff_draft_a_rule_set(client_for, staff_user, city):
    response = client_for(staff_user).post(reverse("scoring:rule_set_create"), {
        "jurisdiction": city.pk, "level": Level.MUNICIPAL, "year": 2024, "name": "2024年度考核办法",
        "base_points": "60", "notes": "依据《履职管理办法》"})
    rule_set = RuleSet.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("scoring:rule_set_detail",
                                                                           args=[rule_set.pk])
    assert (rule_set.version, rule_set.status, rule_set.created_by) == (1, RuleSet.Status.DRAFT, staff_user)


def test_a_draft_in_another_jurisdiction_is_refused_on_the_field(client_for, county_staff_user, city):
    response = client_for(county_staff_user).post(reverse("scoring:rule_set_create"), {
        "jurisdiction": city.pk, "level": Level.COUNTY, "year": 2024, "name": "x", "base_points": "60"})
    assert response.status_code == 200 and "jurisdiction" in response.context["form"].errors
    assert not RuleSet.objects.exists()


def test_a_stale_header_edit_keeps_the_input_and_shows_the_current_values(client_for, staff_user, city_draft):
    url = reverse("scoring:rule_set_edit", args=[city_draft.pk])
    opened = client_for(staff_user).get(url).context["form"]["lock_version"].value()
    services.rule_set_update(user=staff_user, rule_set=city_draft, version=opened, name="别人改的名字",
                             base_points=D("55"), notes="")
    response = client_for(staff_user).post(url, {"name": "我的名字", "base_points": "65", "notes": "",
                                                 "lock_version": opened})
    assert response.status_code == 200
    assert {row["name"] for row in response.context["changed_since"]} == {"name", "base_points"}
    assert response.context["form"]["lock_version"].value() == str(opened + 1)
    city_draft.refresh_from_db()
    assert city_draft.name == "别人改的名字"
    again = client_for(staff_user).post(url, {"name": "我的名字", "base_points": "65", "notes": "",
                                              "lock_version": opened + 1})
    assert again.status_code == 302
    city_draft.refresh_from_db()
    assert (city_draft.name, city_draft.base_points) == ("我的名字", D("65"))


def test_every_edit_page_of_a_published_set_says_it_is_frozen(client_for, staff_user, city_published):
    client = client_for(staff_user)
    item = city_published.items.first()
    detail = reverse("scoring:rule_set_detail", args=[city_published.pk])
    before = list(RuleItem.objects.values_list("pk", "label", "points"))
    for url, data in [
        (reverse("scoring:rule_set_edit", args=[city_published.pk]), None),
        (reverse("scoring:rule_set_edit", args=[city_published.pk]),
         {"name": "x", "base_points": "50", "lock_version": city_published.lock_version}),
        (reverse("scoring:rule_item_create", args=[city_published.pk]), None),
        (reverse("scoring:rule_item_create", args=[city_published.pk]),
         {"label": "新", "kind": "item", "source": Source.TRAINING, "points": "1"}),
        (reverse("scoring:rule_item_edit", args=[item.pk]), None),
        (reverse("scoring:rule_item_delete", args=[item.pk]), {}),
        (reverse("scoring:grade_band_edit", args=[city_published.pk]), None),
        (reverse("scoring:rule_set_publish", args=[city_published.pk]), {"confirm": "on"}),
    ]:
        response = client.get(url) if data is None else client.post(url, data)
        assert response.status_code == 302 and response["Location"] == detail, url
        assert any(city_published.name in m for m in _messages(response)), url
    assert list(RuleItem.objects.values_list("pk", "label", "points")) == before
    page = client.get(detail)
    assert not page.context["editable"] and 'id="rule-set-frozen"' in page.content.decode()


def test_an_activity_item_without_its_type_is_refused_on_that_field(client_for, staff_user, city_draft):
    url = reverse("scoring:rule_item_create", args=[city_draft.pk])
    data = {"label": "专题调研", "kind": "item", "source": Source.ACTIVITY_PRESENT, "points": "2", "cap": "6"}
    response = client_for(staff_user).post(url, data)
    assert response.status_code == 200 and set(response.context["form"].errors) == {"activity_type"}
    response = client_for(staff_user).post(url, data | {"activity_type": activity_type("survey").pk})
    assert response.status_code == 302
    added = city_draft.items.get(label="专题调研")
    assert added.activity_type.code == "survey" and added.position > 0


def test_an_item_is_edited_and_removed(client_for, staff_user, city_draft):
    item = city_draft.items.get(label="参加培训")
    client = client_for(staff_user)
    response = client.post(reverse("scoring:rule_item_edit", args=[item.pk]), {
        "label": "参加履职培训", "kind": "item", "source": Source.TRAINING, "points": "3", "cap": "",
        "position": "5"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.label, item.points, item.cap, item.position) == ("参加履职培训", D("3"), None, 5)
    assert client.post(reverse("scoring:rule_item_delete", args=[item.pk])).status_code == 302
    assert not RuleItem.objects.filter(pk=item.pk).exists()


def test_grade_bands_are_edited_with_errors_on_the_grade(client_for, staff_user, city_draft):
    url = reverse("scoring:grade_band_edit", args=[city_draft.pk])
    data = {Grade.EXCELLENT: "85", Grade.COMPETENT: "85", Grade.BASICALLY_COMPETENT: "60", Grade.INCOMPETENT: "0"}
    response = client_for(staff_user).post(url, data)
    assert response.status_code == 200 and set(response.context["form"].errors) == {Grade.COMPETENT}
    assert client_for(staff_user).post(url, data | {Grade.COMPETENT: "70"}).status_code == 302
    assert GradeBand.objects.get(rule_set=city_draft, grade=Grade.COMPETENT).min_total == D("70")


def test_publishing_needs_the_confirmation_and_supersedes(client_for, staff_user, city_published, city_draft):
    url = reverse("scoring:rule_set_publish", args=[city_draft.pk])
    page = client_for(staff_user).get(url)
    assert page.context["superseded"] == city_published
    assert client_for(staff_user).post(url, {}).status_code == 200
    assert RuleSet.objects.get(pk=city_draft.pk).status == RuleSet.Status.DRAFT
    assert client_for(staff_user).post(url, {"confirm": "on"}).status_code == 302
    assert RuleSet.objects.get(pk=city_draft.pk).status == RuleSet.Status.PUBLISHED
    assert RuleSet.objects.get(pk=city_published.pk).status == RuleSet.Status.SUPERSEDED
    assert OutboxMessage.objects.filter(kwargs__rule_set_id=city_draft.pk).exists()


def test_an_incomplete_draft_is_not_published(client_for, staff_user, city):
    draft = services.rule_set_create(user=staff_user, jurisdiction=city, level=Level.MUNICIPAL, year=2024,
                                     name="空草案", base_points=D("60"))
    response = client_for(staff_user).post(reverse("scoring:rule_set_publish", args=[draft.pk]), {"confirm": "on"})
    assert response.status_code == 200 and len(response.context["problems"]) == 2
    assert RuleSet.objects.get(pk=draft.pk).status == RuleSet.Status.DRAFT


def test_a_set_is_copied_as_a_new_version(client_for, staff_user, city_published):
    response = client_for(staff_user).post(reverse("scoring:rule_set_copy", args=[city_published.pk]),
                                           {"year": "2025", "name": "2025年度考核办法"})
    copy = RuleSet.objects.get(year=2025)
    assert response["Location"] == reverse("scoring:rule_set_detail", args=[copy.pk])
    assert copy.items.count() == city_published.items.count() and copy.bands.count() == 4


def test_the_list_filters_and_takes_a_fixed_number_of_queries(client_for, supervisor_user, city, county,
                                                              django_assert_max_num_queries):
    for year in (2023, 2024):
        typical_rule_set(city, year=year)
        typical_rule_set(county, level=Level.COUNTY, year=year)
    client = client_for(supervisor_user)
    client.get(reverse("scoring:rule_set_list"))
    with django_assert_max_num_queries(8):
        response = client.get(reverse("scoring:rule_set_list"))
    assert len(response.context["page"].object_list) == 4
    assert not response.context["can_edit"]
    filtered = client.get(reverse("scoring:rule_set_list"), {"year": 2024, "jurisdiction": county.pk})
    assert [(rs.year, rs.jurisdiction_id) for rs in filtered.context["page"].object_list] == [(2024, county.pk)]
    assert filtered.context["page"].object_list[0].item_count == 14


@pytest.mark.parametrize("role", ["supervisor_user"])
def test_supervisors_read_the_rules_but_see_no_edit_buttons(client_for, request, role, city_draft):
    page = client_for(request.getfixturevalue(role)).get(reverse("scoring:rule_set_detail", args=[city_draft.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and 'id="rule-item-new"' not in html and 'id="rule-set-publish"' not in html
