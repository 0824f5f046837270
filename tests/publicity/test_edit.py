"""Editing and deleting a publicity record: through the form with its Chinese messages (a bad edit changes
nothing), audited, out of scope a 404, and the yearly counts follow."""

import pytest
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.publicity.models import PublicityItem
from tests.publicity.conftest import make_item

pytestmark = pytest.mark.django_db


def _form(item, **change):
    data = {"kind": item.kind, "jurisdiction": item.jurisdiction_id, "date": "2026-03-01", "outlet": item.outlet,
            "title": item.title, "issue_number": item.issue_number, "url": item.url, "deputy_names": ""}
    return {**data, **change}


def test_staff_edit_a_record_and_a_bad_edit_changes_nothing(client_for, staff_user, item, municipal_mandate):
    client = client_for(staff_user)
    url = reverse("publicity:item_edit", args=[item.pk])
    page = client.get(url)
    assert page.context["form"].initial["deputy_names"] == municipal_mandate.person.name
    bad = client.post(url, _form(item, issue_number="", title="改了标题"))
    assert "期号" in " ".join(bad.context["form"].errors["issue_number"])
    bad = client.post(url, _form(item, date="2026-02-30", title="改了标题"))
    assert "日期" in " ".join(bad.context["form"].errors["date"])
    assert PublicityItem.objects.get().title == "人大代表风采"
    response = client.post(url, _form(item, kind="feature", issue_number="", title="代表风采专题片"))
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.kind, item.title, list(item.deputies.all())) == ("feature", "代表风采专题片", [])
    assert AuditEvent.objects.filter(object_type="publicity.PublicityItem", object_id=str(item.pk),
                                     action="update", user=staff_user).exists()


def test_a_deleted_record_leaves_the_yearly_counts_and_is_audited(client_for, city, staff_user, item,
                                                                   county_staff_user):
    other = make_item(city, staff_user, issue_number="第2期")
    assert client_for(county_staff_user).post(reverse("publicity:item_delete", args=[item.pk])).status_code == 404
    client = client_for(staff_user)
    assert client.post(reverse("publicity:item_delete", args=[item.pk])).status_code == 302
    assert list(PublicityItem.objects.all()) == [other]
    counts = client.get(reverse("publicity:item_list"), {"year": 2026}).context["counts"]
    assert counts[0][2] == 1
    assert AuditEvent.objects.filter(object_type="publicity.PublicityItem", object_id=str(item.pk),
                                     action="delete").exists()
