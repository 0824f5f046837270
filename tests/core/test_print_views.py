"""Print views (issue 16): the board, the training coverage page, the covenant notice and a deputy's record
carry the print stylesheet (A4, @media print) and a print header with the title, the user's scope and the
date."""

import datetime
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from tests.covenant import factories as covenant

TODAY = datetime.datetime(2026, 11, 26, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


def _header(page: str) -> str:
    start = page.index('id="print-header"')
    return page[start:page.index("</header>", start)]


def _assert_printable(response, *, title: str, scope: str):
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="/static/css/print.css" media="print"' in page
    header = _header(page)
    assert title in header
    assert scope in header
    assert "2026年11月26日" in header
    assert 'data-print' in page  # the print button (static/js/print.js)


def test_the_board_prints_with_its_header(client_for, supervisor_user):
    _assert_printable(client_for(supervisor_user).get(reverse("proposals:board")), title="督办看板",
                      scope="长春市")


def test_the_training_coverage_prints_with_its_header(client_for, staff_user):
    response = client_for(staff_user).get(reverse("training:coverage") + "?year=2026")
    _assert_printable(response, title="长春市", scope="长春市")
    assert "2026年度" in _header(response.content.decode())


def test_the_covenant_notice_prints_with_its_header(client_for, staff_user, city):
    notice = covenant.notice(city, 2026)
    _assert_printable(client_for(staff_user).get(reverse("covenant:notice_detail", args=[notice.pk])),
                      title="2026年度履职情况通报", scope="长春市")


def test_a_deputys_own_record_prints_with_their_name_as_scope(client_for, deputy_user):
    _assert_printable(client_for(deputy_user).get(reverse("me:me")), title="张三丰履职档案", scope="张三丰")


def test_the_offices_view_of_a_record_prints_with_the_offices_scope(client_for, staff_user, municipal_mandate):
    response = client_for(staff_user).get(reverse("scoring:deputy_record", args=[municipal_mandate.person_id]))
    _assert_printable(response, title="张三丰履职档案", scope="长春市")


def test_the_print_stylesheet_lays_out_a4_and_hides_the_menu_and_buttons():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "print.css").read_text()
    assert "@media print" in css and "size: A4" in css
    for hidden in (".app-navbar", ".btn", ".pagination", ".d-print-none"):
        assert hidden in css
    assert ".print-header { display: block !important" in css
