"""Work stations in a browser: staff turn a voter's issue into a suggestion draft for a deputy on duty, who finds
it among their drafts; staff download the visit log as a workbook."""

import datetime
import io

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.proposals.models import Proposal
from apps.stations.models import ReceptionDay, Station, VoterVisit
from tests.browser.conftest import login

pytestmark = pytest.mark.browser


@pytest.fixture
def on_duty_visit(city, municipal_mandate):
    station = Station.objects.create(jurisdiction=city, name="南湖社区代表工作站", address="南湖路1号",
                                     responsible_name="刘站长")
    station.deputies.set([municipal_mandate.person])
    day = ReceptionDay.objects.create(station=station, date=timezone.localdate() - datetime.timedelta(days=2))
    day.deputies.set([municipal_mandate.person])
    visit = VoterVisit.objects.create(station=station, reception_day=day, date=day.date, category="urban",
                                      issue="=小区门口道路积水严重，希望改造排水管网。")
    visit.deputies.set([municipal_mandate.person])
    return visit


def test_staff_make_a_suggestion_draft_that_the_deputy_on_duty_finds(page, staff_user, deputy_user,
                                                                     on_duty_visit):
    login(page, "staff")
    page.goto(f"/stations/visits/{on_duty_visit.pk}/")
    page.locator("#visit-suggestion-new").click()
    page.locator("#id_person").select_option(str(deputy_user.person_id))
    page.locator("#id_title").fill("关于改造南湖小区排水管网的建议")
    page.locator("#suggestion-draft-save").click()
    expect(page.locator("#visit-suggestion-title")).to_have_text("关于改造南湖小区排水管网的建议")
    draft = Proposal.objects.get()
    assert draft.state == Proposal.State.DRAFT and VoterVisit.objects.get().suggestion_id == draft.pk

    page.context.clear_cookies()
    login(page, "deputy")
    page.goto("/proposals/mine/")
    expect(page.locator(f"#proposal-{draft.pk}")).to_have_attribute("data-state", "draft")


def test_staff_download_the_visit_log(page, staff_user, on_duty_visit):
    login(page, "staff")
    page.goto("/stations/visits/")
    with page.expect_download() as info:
        page.locator("#visit-export").click()
    sheet = openpyxl.load_workbook(io.BytesIO(info.value.path().read_bytes())).active
    rows = list(sheet.iter_rows(min_row=2))
    issue = rows[0][5]
    assert len(rows) == 1 and issue.value == on_duty_visit.issue  # shown as typed
    assert issue.data_type == "s" and issue.quotePrefix  # text, never a formula
