"""Every export of the platform writes text typed by people (a title, a name, a summary) so that the office's Excel
never runs it: for each export URL a record whose text starts with ``=1+1`` is seeded, and its cell must be text
(a string cell with Excel's quote prefix; in CSV a leading apostrophe), never a formula, while numbers stay
numbers."""

import csv
import datetime
import io

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.liaison.models import Invitation, LiaisonPlan
from apps.proposals.models import Assignment, Proposal
from apps.scoring import engine
from tests.factories import HandlingUnitFactory, MandateFactory, PersonFactory
from tests.liaison import plans_support
from tests.liaison.contacts_support import make_contact, make_request
from tests.proposals import board_support
from tests.scoring.factories import YEAR, VoterReportFactory, typical_rule_set

pytestmark = pytest.mark.django_db

FORMULA = "=1+1"
NOW = datetime.datetime(2026, 6, 15, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


def _audit(request):
    AuditEvent.objects.create(action=AuditEvent.Action.LOGIN_FAILED, username=FORMULA, success=False)
    return "auditor_user", "accounts:audit_export", {"format": "xlsx"}


def _roster(request):
    mandate = request.getfixturevalue("municipal_mandate")
    mandate.person.employer = FORMULA
    mandate.person.save()
    return "staff_user", "deputies:roster_export", {}


def _proposals(request):
    board_support.item(mandate=request.getfixturevalue("municipal_mandate"), state=Proposal.State.SUBMITTED,
                       title=FORMULA)
    return "staff_user", "proposals:proposal_export", {}


def _board(request):
    item = board_support.item(mandate=request.getfixturevalue("municipal_mandate"),
                              state=Proposal.State.SUBMITTED)
    unit = HandlingUnitFactory(name=FORMULA, jurisdiction=request.getfixturevalue("city"))
    board_support.assign(item, unit, role=Assignment.Role.LEAD)
    return "supervisor_user", "proposals:board_export", {}


def _board_items(request):
    board_support.item(mandate=request.getfixturevalue("municipal_mandate"), state=Proposal.State.SUBMITTED,
                       title=FORMULA)
    return "supervisor_user", "proposals:board_items_export", {"figure": "total"}


def _scores(request):
    MandateFactory(term=request.getfixturevalue("city_term"), person=PersonFactory(name=FORMULA))
    engine.compute(typical_rule_set(request.getfixturevalue("city")))
    return "staff_user", "scoring:score_export", {"year": YEAR}


def _voter_reports(request):
    VoterReportFactory(mandate=request.getfixturevalue("municipal_mandate"), place=FORMULA)
    return "staff_user", "scoring:voter_report_export", {}


def _training(request):
    county_term = request.getfixturevalue("county_term")
    MandateFactory(term=county_term, person=PersonFactory(name=FORMULA))
    return "staff_user", "training:coverage_export", {"year": 2026, "level": "county"}


def _notice(request):
    from tests.covenant import factories as covenant

    notice = covenant.notice(request.getfixturevalue("city"), 2026, title=FORMULA)
    return "staff_user", reverse("covenant:notice_xlsx", args=[notice.pk]), {}


def _compliance(request):
    city_term = request.getfixturevalue("city_term")
    LiaisonPlan.objects.create(jurisdiction=request.getfixturevalue("city"), year=2026,
                               status=LiaisonPlan.Status.PUBLISHED)
    plans_support.member(city_term, name=FORMULA)
    return "staff_user", "liaison:compliance_export", {}


def _contacts(request):
    member = request.getfixturevalue("committee_member")
    make_contact(member, [request.getfixturevalue("municipal_mandate").person], summary=FORMULA)
    return "staff_user", "liaison:contact_export", {}


def _requests(request):
    member = request.getfixturevalue("committee_member")
    contact = make_contact(member, [request.getfixturevalue("municipal_mandate").person])
    make_request(contact, content=FORMULA)
    return "staff_user", "liaison:request_export", {}


def _invitations(request):
    Invitation.objects.create(jurisdiction=request.getfixturevalue("city"), kind=Invitation.Kind.ATTEND_MEETING,
                              title=FORMULA, date=datetime.date(2026, 6, 1))
    return "staff_user", "liaison:invitation_export", {}


def _activity_totals(request):
    from apps.activities.models import ActivityType
    from tests.activities.staff_support import make_activity

    ActivityType.objects.create(code="formula", name=FORMULA)
    make_activity(request.getfixturevalue("city"), code="formula", day=datetime.date(2026, 5, 10))
    return "staff_user", "activities:activity_totals_export", {"date_from": "2026-01-01", "date_to": "2026-12-31"}


def _station_visits(request):
    from tests.stations.conftest import make_station, make_visit

    station = make_station(request.getfixturevalue("city"))
    make_visit(station, datetime.date(2026, 6, 1), issue=FORMULA)
    return "staff_user", "stations:visit_export", {}


EXPORTS = {"activity_totals": _activity_totals, "station_visits": _station_visits, "audit_log": _audit, "roster": _roster,
           "proposals": _proposals, "proposal_board": _board,
           "proposal_board_items": _board_items, "scores": _scores, "voter_reports": _voter_reports,
           "training_untrained": _training, "covenant_notice": _notice, "liaison_compliance": _compliance,
           "liaison_contacts": _contacts, "liaison_requests": _requests, "liaison_invitations": _invitations}


@pytest.fixture
def committee_member(city_term, city):
    return plans_support.member(city_term)


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("export", list(EXPORTS))
def test_text_that_starts_like_a_formula_is_written_as_text(request, client_for, export):
    role, url, params = EXPORTS[export](request)
    url = url if url.startswith("/") else reverse(url)
    response = client_for(request.getfixturevalue(role)).get(url, params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    seeded = [cell for cell in cells if cell.value == FORMULA]
    assert seeded, f"the export {export} does not show the seeded text"
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in seeded)


def test_the_audit_logs_csv_prefixes_formula_text_with_an_apostrophe(client_for, auditor_user):
    AuditEvent.objects.create(action=AuditEvent.Action.LOGIN_FAILED, username=FORMULA, success=False)
    response = client_for(auditor_user).get(reverse("accounts:audit_export"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[1] for row in rows[1:] if row[1].endswith(FORMULA)] == ["'" + FORMULA]


def test_negative_numbers_stay_numbers(client_for, staff_user, municipal_mandate):
    """A number in a written cell is a number (a negative one too), not escaped text."""
    from apps.core.excel import simple_workbook

    book = openpyxl.load_workbook(io.BytesIO(simple_workbook("t", ["a", "b", "c"], [[-3, -1.5, "-x"]])))
    number, fraction, text = next(book.active.iter_rows(min_row=2))
    assert (number.value, number.data_type) == (-3, "n")
    assert (fraction.value, fraction.data_type) == (-1.5, "n")
    assert (text.value, text.data_type, text.quotePrefix) == ("-x", "s", True)
