"""Where a ``next`` field may send the user: a path on this site, or the page's own fallback — never another
site, and never a 500 for a value Django would try to read as a route name."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from apps.core.web import local_redirect, local_url


@pytest.fixture
def request_():
    return RequestFactory().post("/")  # host: testserver


@pytest.mark.parametrize("target", ["/scoring/scores/?year=2025", "/", "/me/#section-training"])
def test_a_path_on_this_site_is_kept(request_, target):
    assert local_url(request_, target) == target
    assert local_redirect(request_, target, "core:notification_list")["Location"] == target


@pytest.mark.parametrize("target", [None, "", "-sNaN", "scoring:score_list", "0", "javascript:alert(1)",
                                    "//evil.example/x", "https://evil.example/", "http://testserver/x",
                                    "/\\evil.example", "查" * 50])
def test_anything_else_falls_back_to_the_pages_own_route(request_, target):
    assert local_url(request_, target) is None
    assert local_redirect(request_, target, "core:notification_list")["Location"] == reverse("core:notification_list")


def test_the_recompute_button_goes_back_to_the_list_it_was_pressed_on_or_to_the_rule_set(db, client_for, staff_user,
                                                                                        city):
    from apps.scoring.models import RuleSet
    from tests.scoring.factories import typical_rule_set

    rule_set = typical_rule_set(city, status=RuleSet.Status.PUBLISHED)
    client = client_for(staff_user)
    url = reverse("scoring:recompute", args=[rule_set.pk])
    listed = reverse("scoring:score_list") + "?year=2024"
    assert client.post(url, {"next": listed})["Location"] == listed
    for junk in ("-sNaN", "https://evil.example/"):
        assert client.post(url, {"next": junk})["Location"] == reverse("scoring:rule_set_detail", args=[rule_set.pk])
