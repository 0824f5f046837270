"""Exports in a browser: staff filter the deputies' requests and download exactly the rows on the page (a request
typed as a formula arrives as text); a supervisor downloads the board and the items behind a figure."""

import datetime
import io

import openpyxl
import pytest
from playwright.sync_api import expect

from apps.committee.models import CommitteeMember, Post
from apps.liaison.models import DeputyRequest
from apps.proposals.models import Proposal
from tests.browser.conftest import login, open_menu_item
from tests.factories import PersonFactory
from tests.liaison.contacts_support import make_contact, make_request
from tests.proposals import board_support

pytestmark = pytest.mark.browser


def _download(page, selector) -> openpyxl.Workbook:
    with page.expect_download() as info:
        page.locator(selector).click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as handle:
        return openpyxl.load_workbook(io.BytesIO(handle.read()))


def test_staff_export_the_filtered_requests(page, staff_user, member_user, city_term, city, municipal_mandate):
    member = CommitteeMember.objects.create(term=city_term, jurisdiction=city, person=PersonFactory(name="常委甲"),
                                            user=member_user, post=Post.VICE_DIRECTOR,
                                            start_date=datetime.date(2022, 1, 1))
    contact = make_contact(member, [municipal_mandate.person])
    make_request(contact, content="=1+1 小区加装电梯")
    closed = make_request(contact, content="道路维修")
    DeputyRequest.objects.filter(pk=closed.pk).update(status=DeputyRequest.Status.CLOSED, answer="已修复")

    login(page, "staff")
    open_menu_item(page, "nav-requests")
    page.locator("#id_status").select_option(value=DeputyRequest.Status.OPEN)
    page.get_by_role("button", name="查询").click()
    expect(page.locator("#request-table tbody tr")).to_have_count(1)
    expect(page.locator("#request-export")).to_have_text("导出 Excel")
    book = _download(page, "#request-export")
    rows = list(book.active.iter_rows(min_row=2))
    assert [row[2].value for row in rows] == ["=1+1 小区加装电梯"]
    assert rows[0][2].data_type == "s" and rows[0][2].quotePrefix


def test_a_supervisor_exports_the_board_and_a_figures_items(page, supervisor_user, municipal_mandate):
    board_support.item(mandate=municipal_mandate, state=Proposal.State.SUBMITTED, title="关于加快老旧小区改造的建议")
    login(page, "supervisor")
    page.goto("/proposals/board/")
    book = _download(page, "#board-export")
    assert book.sheetnames == ["统计数字", "按主办单位", "按类别"]
    assert ("件数", 1) in list(book["统计数字"].iter_rows(values_only=True))
    page.locator("#figure-total a").click()
    expect(page.locator("#board-items tbody tr")).to_have_count(1)
    book = _download(page, "#board-items-export")
    assert [row[2] for row in book.active.iter_rows(min_row=2, values_only=True)] == ["关于加快老旧小区改造的建议"]
