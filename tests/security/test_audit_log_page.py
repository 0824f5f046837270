"""The auditor's page: the audit log searched by time, user, action, object, outcome and client address, in
pages at a constant number of queries, and exported to Excel and CSV (the export itself audited)."""

import csv
import datetime
import io

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.core.services import audit_event

DAY = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def log(staff_user, db):
    """A few entries on different days, from different users and addresses."""
    made = {}
    with time_machine.travel(DAY - datetime.timedelta(days=10), tick=False):
        made["old_login"] = AuditEvent.objects.create(user=staff_user, username="staff", ip_address="10.0.0.1",
                                                      action=AuditEvent.Action.LOGIN)
    with time_machine.travel(DAY, tick=False):
        made["failed"] = AuditEvent.objects.create(username="=cmd|calc", ip_address="10.0.0.2",
                                                   action=AuditEvent.Action.LOGIN_FAILED, success=False)
        made["export"] = AuditEvent.objects.create(user=staff_user, username="staff", ip_address="10.0.0.1",
                                                   action=AuditEvent.Action.EXPORT, object_type="deputies.Person",
                                                   object_id="42", detail="roster masked")
    return made


def _ids(response):
    return {event.pk for event, *_labels in response.context["rows"]}


def _new(log):
    return {e.pk for e in log.values()}


@pytest.mark.parametrize(("query", "expected"), [
    ({}, {"old_login", "failed", "export"}),
    ({"date_from": "2026-11-15"}, {"failed", "export"}),
    ({"date_to": "2026-11-15"}, {"old_login"}),
    ({"date_from": "2026-11-20", "date_to": "2026-11-20"}, {"failed", "export"}),
    ({"user": "staf"}, {"old_login", "export"}),
    ({"action": "login_failed"}, {"failed"}),
    ({"object_type": "person"}, {"export"}),
    ({"object_id": "42"}, {"export"}),
    ({"outcome": "failed"}, {"failed"}),
    ({"outcome": "ok", "ip_address": "10.0.0.1"}, {"old_login", "export"}),
])
def test_the_audit_log_is_searched(client_for, auditor_user, log, query, expected):
    response = client_for(auditor_user).get(reverse("accounts:audit_list"), query)
    assert response.status_code == 200
    assert _ids(response) & _new(log) == {log[name].pk for name in expected}


def test_a_bad_filter_shows_its_error_and_no_entries(client_for, auditor_user, log):
    response = client_for(auditor_user).get(reverse("accounts:audit_list"),
                                            {"ip_address": "not-an-ip", "date_from": "2026-11-21",
                                             "date_to": "2026-11-20"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "ip_address" in form.errors and "date_to" in form.errors
    assert not response.context["rows"]


def test_the_audit_log_pages_at_a_constant_number_of_queries(client_for, auditor_user, django_assert_max_num_queries):
    client = client_for(auditor_user)
    client.get(reverse("accounts:audit_list"))  # session and access warmed up like any later page
    AuditEvent.objects.bulk_create([AuditEvent(username=f"u{i}", action=AuditEvent.Action.LOGIN)
                                    for i in range(5)])
    with django_assert_max_num_queries(8) as few:
        client.get(reverse("accounts:audit_list"))
    AuditEvent.objects.bulk_create([AuditEvent(username=f"v{i}", action=AuditEvent.Action.LOGIN,
                                               object_type="accounts.User", object_id=str(i))
                                    for i in range(120)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("accounts:audit_list"), {"page": 2})
    assert len(response.context["rows"]) == 50


def test_the_audit_log_exports_to_excel_and_the_export_is_audited(client_for, auditor_user, log):
    response = client_for(auditor_user).get(reverse("accounts:audit_export"),
                                            {"date_from": "2026-11-20", "date_to": "2026-11-20",
                                             "format": "xlsx"}, REMOTE_ADDR="10.5.5.5")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith('attachment; filename="audit-log-')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows[0]) == 8
    body = rows[1:]
    assert len(body) == 2
    by_user = {row[1]: row for row in body}
    assert (by_user["staff"][2], by_user["staff"][4], by_user["staff"][5]) == ("10.0.0.1", "deputies.Person", "42")
    assert by_user["staff"][0] == "2026-11-20 18:00:00"  # local time (Asia/Shanghai)
    assert by_user["staff"][7] == "roster masked"
    # a logged value is never run as a formula by the spreadsheet: it is text, quoted as Excel quotes typed text
    assert "=cmd|calc" in by_user
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert all(cell.quotePrefix for row in sheet.iter_rows() for cell in row if cell.value == "=cmd|calc")
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT, user=auditor_user)
    assert event.ip_address == "10.5.5.5"
    assert "audit log xlsx" in event.detail and "date_from=2026-11-20" in event.detail


def test_the_audit_log_exports_to_csv(client_for, auditor_user, log):
    response = client_for(auditor_user).get(reverse("accounts:audit_export"),
                                            {"action": "login_failed", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 2
    assert rows[1][1] == "'=cmd|calc" and rows[1][2] == "10.0.0.2"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT, user=auditor_user,
                                     detail__startswith="audit log csv").count() == 1


def test_an_audit_export_appears_in_the_log_it_exports(client_for, auditor_user, log):
    client = client_for(auditor_user)
    client.get(reverse("accounts:audit_export"))
    response = client.get(reverse("accounts:audit_list"), {"user": "auditor", "action": "export"})
    assert len(response.context["rows"]) == 1


def test_the_audit_page_uses_the_action_names(client_for, auditor_user, log):
    audit_event(user=auditor_user, action="role_changed", detail="account x; added staff")
    auditor_user.language = "en"  # the user's own choice: a language cookie no longer decides
    auditor_user.save()
    client = client_for(auditor_user)
    html = client.get(reverse("accounts:audit_list")).content.decode()
    assert "Failed login" in html and "Roles changed" in html
