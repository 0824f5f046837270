"""Where a ``next`` field may send the user: a path on this site, or the page's own fallback — never another
site, and never a 500 for a value Django would try to read as a route name. And ``submit_form``, the
form → service → errors → message → redirect sequence the views share."""

import pytest
from django import forms
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.test import RequestFactory
from django.urls import reverse

from apps.core.web import local_redirect, local_url, submit_form


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


# --- submit_form: the form → service → message → redirect sequence ------------------------------------------------

class _NameForm(forms.Form):
    name = forms.CharField(max_length=10)
    note = forms.CharField(required=False)


def _request(method="post", data=None):
    request = getattr(RequestFactory(), method)("/", data or {})
    request._messages = CookieStorage(request)
    return request


def _submit(request, act, **kwargs):
    form = _NameForm(request.POST if request.method == "POST" else None)
    kwargs.setdefault("message", "Saved.")
    kwargs.setdefault("done", lambda result: HttpResponseRedirect(f"/done/{result}"))
    return form, submit_form(request, form, act, **kwargs)


def test_a_valid_post_calls_the_service_with_the_cleaned_data_then_says_so_and_redirects():
    calls = []
    request = _request(data={"name": " 张三 ", "note": ""})
    form, response = _submit(request, lambda data: calls.append(data) or 7)
    assert calls == [{"name": "张三", "note": ""}]
    assert response.status_code == 302 and response["Location"] == "/done/7"
    assert [(m.level, m.message) for m in request._messages] == [(messages.SUCCESS, "Saved.")]


def test_the_message_may_be_made_from_what_the_service_returned():
    request = _request(data={"name": "李四"})
    _submit(request, lambda data: data["name"], message=lambda name: f"{name} was added.")
    assert [m.message for m in request._messages] == ["李四 was added."]


def test_a_get_or_an_invalid_form_calls_nothing_and_leaves_the_view_to_render_the_form():
    def act(data):
        raise AssertionError("the service must not be called")

    form, response = _submit(_request("get"), act)
    assert response is None and not form.is_bound
    request = _request(data={"name": "x" * 11})
    form, response = _submit(request, act)
    assert response is None and "name" in form.errors
    assert list(request._messages) == []


@pytest.mark.parametrize("error, field_errors, form_errors", [
    (ValidationError({"name": "Taken."}), {"name": ["Taken."]}, []),
    (ValidationError({"missing": "Not a field of the form."}), {}, ["Not a field of the form."]),
    (ValidationError("Not now."), {}, ["Not now."]),
])
def test_a_service_refusal_goes_onto_the_form_with_no_message_and_no_redirect(error, field_errors, form_errors):
    def act(data):
        raise error

    request = _request(data={"name": "王五"})
    form, response = _submit(request, act, message=lambda _result: pytest.fail("no message after a refusal"),
                             done=lambda _result: pytest.fail("no redirect after a refusal"))
    assert response is None
    assert {f: e for f, e in form.errors.items() if f != "__all__"} == field_errors
    assert form.non_field_errors() == form_errors
    assert list(request._messages) == []


def test_other_errors_of_the_service_are_not_swallowed():
    def act(data):
        raise KeyError("boom")

    request = _request(data={"name": "赵六"})
    with pytest.raises(KeyError):
        _submit(request, act)
    assert list(request._messages) == []
