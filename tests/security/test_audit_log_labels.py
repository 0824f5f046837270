"""The auditor reads the log in Chinese: the fields a change touched by their verbose names, the kind of record by
its model's name, the action by its label; the log itself keeps the machine names (searchable, language-free)."""

import io

import openpyxl
import pytest
from django.urls import reverse

from apps.core import audit
from apps.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def change(municipal_mandate):
    return AuditEvent.objects.create(action=AuditEvent.Action.UPDATE, object_type="deputies.Person",
                                     object_id=str(municipal_mandate.person.pk), detail="changed: phone, post",
                                     username="staff")


def test_the_log_page_shows_the_changed_fields_record_and_action_in_chinese(client_for, auditor_user, change):
    page = client_for(auditor_user).get(reverse("accounts:audit_list")).content.decode()
    row = page[page.index(f'id="event-{change.pk}"'):]
    row = row[:row.index("</tr>")]
    assert "修改：电话、职务" in row
    assert "changed:" not in row and "phone" not in row
    assert ">人员</span>" in row and 'title="deputies.Person"' in row
    assert "<td>修改</td>" in row  # the action's label


def test_the_export_shows_the_changed_fields_in_chinese(client_for, auditor_user, change):
    response = client_for(auditor_user).get(reverse("accounts:audit_export"), {"format": "xlsx"})
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True))
    (row,) = [r for r in rows if r[5] == change.object_id and r[1] == "staff"]
    assert row[7] == "修改：电话、职务"
    assert AuditEvent.objects.get(pk=change.pk).detail == "changed: phone, post"  # the stored detail is untouched


def test_a_relation_and_a_reverse_relation_take_their_verbose_names():
    assert audit.detail_label("deputies.Mandate", "changed: term, jurisdiction") == "修改：届次、行政区"
    assert audit.detail_label("liaison.Contact", "changed: participants").startswith("修改：")
    assert "participants" not in audit.detail_label("liaison.Contact", "changed: participants")


def test_unknown_models_fields_and_other_details_are_shown_as_stored():
    assert audit.detail_label("nowhere.Model", "changed: x") == "修改：x"
    assert audit.detail_label("deputies.Person", "changed: no_such_field") == "修改：no_such_field"
    assert audit.detail_label("deputies.Person", "roster masked") == "roster masked"
    assert audit.object_type_label("nowhere.Model") == "nowhere.Model"
    assert audit.object_type_label("") == ""


def test_entries_written_before_the_committee_moved_out_of_liaison_read_under_the_new_app():
    """The log is append-only: entries about committee members written while the model was ``liaison``'s keep
    that name, and still read as the model's verbose name and fields."""
    assert audit.object_type_label("liaison.CommitteeMember") == "常委会组成人员"
    assert audit.object_type_label("committee.CommitteeMember") == "常委会组成人员"
    assert audit.object_type_label("liaison.SpecialCommittee") == "专门委员会"
    assert audit.detail_label("liaison.CommitteeMember", "changed: post, special_committees") == "修改：职务、专门委员会"
