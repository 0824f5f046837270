"""The supervisors' board: its figures on a known cast, the links from each figure to the items it counts,
the filters, the jurisdiction scope and the query budget."""

import datetime
import html
import re
from urllib.parse import parse_qs, urlparse

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core import roles
from apps.proposals.models import Assignment, Deadline, Kind, Proposal, Rating
from tests.factories import HandlingUnitFactory, JurisdictionFactory, MandateFactory, TermFactory, UserFactory
from tests.proposals import board_support as support
from tests.proposals.factories import SessionFactory, category

S = Proposal.State
TODAY = support.TODAY
pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with time_machine.travel(support.NOW, tick=False):
        yield


@pytest.fixture
def cast(city, county, city_term, municipal_mandate, county_mandate):
    """Items of the city and its county in every stage, a draft, and an item of another city."""
    education, economy = category("教育"), category("经济")
    session = SessionFactory(term=city_term, number=3, name="市第十六届人大第三次会议")
    x = HandlingUnitFactory(name="市交通运输局", jurisdiction=city)
    y = HandlingUnitFactory(name="市教育局", jurisdiction=city)
    cosigner = MandateFactory(term=city_term)
    day = datetime.timedelta(days=1)
    rows = {"x": x, "y": y, "session": session}

    rows["a"] = support.item(mandate=municipal_mandate, state=S.SUBMITTED, category=education, session=session)

    b = rows["b"] = support.item(mandate=municipal_mandate, state=S.ASSIGNED, category=education, number=2,
                                 session=session)
    lead_b = support.assign(b, x, state=Assignment.State.PENDING)
    support.deadline(lead_b, due_on=TODAY + 10 * day)
    support.deadline(lead_b, kind=Deadline.Kind.SIGN, due_on=TODAY + 2 * day)

    c = rows["c"] = support.item(mandate=municipal_mandate, state=S.HANDLING, category=economy, number=3)
    support.deadline(support.assign(c, x), due_on=TODAY - day)
    support.assign(c, y, role=Assignment.Role.CO)

    d = rows["d"] = support.item(mandate=municipal_mandate, state=S.CLOSED, category=economy, number=4)
    lead_d = support.assign(d, y)
    support.deadline(lead_d, due_on=TODAY - 30 * day, is_open=False)
    support.rate(support.reply(lead_d, code="A"), support.lead(d))

    e = rows["e"] = support.item(mandate=municipal_mandate, state=S.REHANDLING, category=education, number=5,
                                 kind=Kind.MOTION, cosigners=[cosigner])
    first = support.reply(support.assign(e, x), code="B")
    support.rate(first, support.lead(e), Rating.Result.UNSATISFIED)
    support.rate(first, e.signatures.get(person=cosigner.person), Rating.Result.SATISFIED)
    support.deadline(support.assign(e, x, round_=2), kind=Deadline.Kind.REHANDLING, due_on=TODAY + 20 * day)

    f = rows["f"] = support.item(mandate=county_mandate, state=S.CLOSED, category=None, number=1)
    support.rate(support.reply(support.assign(f, y), code="C"), support.lead(f), Rating.Result.UNSATISFIED)
    support.rate(support.reply(support.assign(f, y, round_=2), code="A"), support.lead(f),
                 Rating.Result.BASICALLY_SATISFIED)

    rows["g"] = support.item(mandate=municipal_mandate, state=S.DRAFT, category=education)

    elsewhere = JurisdictionFactory(name="吉林市", code="220200")
    h = rows["h"] = support.item(mandate=MandateFactory(term=TermFactory(jurisdiction=elsewhere)),
                                 state=S.HANDLING, category=education)
    support.deadline(support.assign(h, HandlingUnitFactory(jurisdiction=elsewhere)), due_on=TODAY - day)

    i = rows["i"] = support.item(mandate=municipal_mandate, state=S.ASSIGNED, category=education, number=6)
    support.assign(i, x, state=Assignment.State.RETURNED)
    return rows


EXPECTED = {
    "total": "abcdefi", "assigned": "bcdefi", "replied": "def", "overdue": "c", "due_soon": "b", "rated": "def",
    "satisfied": "df", "first_rated": "def", "first_satisfied": "d", "solved": "df",
    "state_submitted": "a", "state_assigned": "bi", "state_handling": "c", "state_rehandling": "e",
    "state_closed": "df", "state_replied": "",
}


def _pks(cast, letters) -> set[int]:
    return {cast[letter].pk for letter in letters}


def _board(client):
    response = client.get(reverse("proposals:board"))
    assert response.status_code == 200
    return response


def test_the_board_counts_the_items_of_the_users_congress_and_below(client_for, staff_user, cast):
    board = _board(client_for(staff_user)).context["board"]

    counts = dict(board.totals.counts) | {f.name: n for f, n in board.states}
    for name, letters in EXPECTED.items():
        assert counts[name] == len(letters), name
    assert "state_draft" not in counts
    assert board.totals.reply_rate == 50.0
    assert board.totals.satisfaction_rate == pytest.approx(200 / 3)
    assert board.totals.first_round_satisfaction_rate == pytest.approx(100 / 3)
    assert board.totals.solved_rate == pytest.approx(200 / 3)


def test_units_are_counted_by_their_live_lead_assignments(client_for, supervisor_user, cast):
    board = _board(client_for(supervisor_user)).context["board"]

    units = {row.name: row.counts for row in board.units}
    assert set(units) == {"市交通运输局", "市教育局"}
    # 市交通运输局 leads b, c and e (in both rounds, counted once); i was returned; c's co-unit is not its lead.
    assert units["市交通运输局"]["total"] == 3 and units["市交通运输局"]["overdue"] == 1
    assert units["市交通运输局"]["due_soon"] == 1 and units["市交通运输局"]["replied"] == 1
    assert units["市教育局"]["total"] == 2 and units["市教育局"]["satisfied"] == 2
    categories = {row.name: row.counts["total"] for row in board.categories}
    assert categories == {"经济": 2, "教育": 4, "": 1}


def test_the_page_shows_the_figures_and_how_they_are_counted(client_for, supervisor_user, cast):
    body = _board(client_for(supervisor_user)).content.decode()

    for text in ("督办看板", "办复率", "满意率", "初次满意率", "A类答复率", "14天内到期", "逾期", "按主办单位",
                 "按类别", "统计口径", "市交通运输局", "未分类"):
        assert text in body, text
    assert "50.0%" in body and "66.7%" in body and "33.3%" in body
    assert "2026年6月15日" in body


def _figure_links(body: str) -> list[tuple[str, str]]:
    """(url, text) of every link to the items behind a figure."""
    items = reverse("proposals:board_items")
    found = []
    for href, text in re.findall(r'<a[^>]*href="([^"]*)"[^>]*>(.*?)</a>', body, flags=re.S):
        href = html.unescape(href)
        if href.startswith(items):
            found.append((href, re.sub(r"<[^>]+>", " ", text).strip()))
    return found


def test_every_number_on_the_board_opens_the_list_of_the_items_it_counts(client_for, staff_user, cast):
    client = client_for(staff_user)
    links = _figure_links(_board(client).content.decode())
    assert len(links) > 40
    checked = 0
    for url, text in links:
        number = text.split()[-1]
        response = client.get(url)
        assert response.status_code == 200, url
        if number.isdigit():
            assert response.context["page"].paginator.count == int(number), (url, text)
            checked += 1
        query = parse_qs(urlparse(url).query)
        if set(query) == {"figure"}:
            listed = {p.pk for p in response.context["page"].object_list}
            assert listed == _pks(cast, EXPECTED.get(query["figure"][0], "")), url
    assert checked > 30


def test_the_list_of_a_units_overdue_items(client_for, supervisor_user, cast):
    url = f"{reverse('proposals:board_items')}?figure=overdue&unit={cast['x'].pk}"
    response = client_for(supervisor_user).get(url)

    assert [p.pk for p in response.context["page"].object_list] == [cast["c"].pk]
    body = response.content.decode()
    assert "逾期 · 市交通运输局" in body
    assert "2026年6月14日" in body  # the reply deadline
    assert reverse("proposals:proposal_detail", args=[cast["c"].pk]) in body


def test_the_list_of_items_without_a_category(client_for, staff_user, cast):
    response = client_for(staff_user).get(f"{reverse('proposals:board_items')}?figure=total&category=none")
    assert [p.pk for p in response.context["page"].object_list] == [cast["f"].pk]


def test_county_staff_see_their_countys_items_only(client_for, county_staff_user, cast):
    client = client_for(county_staff_user)
    board = _board(client).context["board"]

    assert board.totals.counts["total"] == 1 and board.totals.counts["solved"] == 1
    assert [row.name for row in board.units] == ["市教育局"]
    listed = client.get(f"{reverse('proposals:board_items')}?figure=total").context["page"].object_list
    assert [p.pk for p in listed] == [cast["f"].pk]


def test_the_filters_narrow_the_board_and_its_links(client_for, staff_user, cast, municipal_mandate):
    support.item(mandate=municipal_mandate, state=S.SUBMITTED, year=2025, kind=Kind.MOTION)
    client = client_for(staff_user)

    assert _board(client).context["board"].totals.counts["total"] == 8
    by_year = client.get(reverse("proposals:board"), {"year": 2025}).context["board"]
    assert by_year.totals.counts["total"] == 1
    session = cast["session"]
    response = client.get(reverse("proposals:board"), {"session": session.pk, "year": 2026,
                                                       "kind": Kind.SUGGESTION})
    assert response.context["board"].totals.counts["total"] == 2  # a and b
    links = _figure_links(response.content.decode())
    assert all(f"session={session.pk}" in url and "year=2026" in url and "kind=suggestion" in url
               for url, _text in links)
    listed = client.get(f"{reverse('proposals:board_items')}?figure=total&session={session.pk}")
    assert {p.pk for p in listed.context["page"].object_list} == _pks(cast, "ab")
    motions = client.get(reverse("proposals:board"), {"kind": Kind.MOTION}).context["board"]
    assert motions.totals.counts["total"] == 2  # e, and the 2025 motion


def test_a_session_of_another_congress_is_not_a_filter(client_for, county_staff_user, cast):
    response = client_for(county_staff_user).get(reverse("proposals:board"), {"session": cast["session"].pk})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert response.context["board"].totals.counts["total"] == 1  # unfiltered
    assert "部分筛选条件无效" in response.content.decode()


@pytest.mark.parametrize("query, message", [
    ("figure=everything", "选择一个有效的选项"),
    ("figure=total&unit=abc", "输入整数"),
    ("figure=total&category=教育", "请选择看板上的一个类别"),
    ("figure=total&year=1800", "选择一个有效的选项"),
])
def test_a_link_naming_no_figure_is_refused_with_a_message(client_for, staff_user, cast, query, message):
    response = client_for(staff_user).get(f"{reverse('proposals:board_items')}?{query}")

    assert response.status_code == 400
    body = response.content.decode()
    assert "该链接不对应看板上的数字" in body and message in body


def test_a_unit_or_category_that_does_not_exist_is_a_404(client_for, staff_user, cast):
    client = client_for(staff_user)
    assert client.get(f"{reverse('proposals:board_items')}?unit=999999").status_code == 404
    assert client.get(f"{reverse('proposals:board_items')}?category=999999").status_code == 404


def test_a_staff_account_without_a_jurisdiction_cannot_open_the_board(client_for, db):
    user = UserFactory(roles=[roles.STAFF])
    assert client_for(user).get(reverse("proposals:board")).status_code == 403


# --- query budget -------------------------------------------------------------------------------------------

def _more_items(n, mandate, units):
    """``n`` more items in every stage, with deadlines, replies and ratings."""
    day = datetime.timedelta(days=1)
    for k in range(n):
        p = support.item(mandate=mandate, state=S.CLOSED if k % 2 else S.HANDLING, number=100 + k,
                         category=category(["教育", "经济", "卫生"][k % 3]))
        lead = support.assign(p, units[k % len(units)])
        support.deadline(lead, due_on=TODAY + (k % 30 - 10) * day, is_open=not k % 2)
        if k % 2:
            support.rate(support.reply(lead, code="AB"[k % 4 // 2]), support.lead(p))


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_board_takes_at_most_ten_queries(client_for, staff_user, cast, django_assert_max_num_queries):
    client = client_for(staff_user)
    with django_assert_max_num_queries(10):
        _board(client)


def test_the_boards_queries_do_not_grow_with_rows(client_for, staff_user, cast, municipal_mandate, city):
    client = client_for(staff_user)
    url = reverse("proposals:board")
    before = _count_queries(client, url)
    _more_items(40, municipal_mandate, [HandlingUnitFactory(jurisdiction=city) for _i in range(8)])
    assert _count_queries(client, url) == before


def test_the_items_list_takes_few_queries_whatever_the_rows(client_for, staff_user, cast, municipal_mandate, city,
                                                            django_assert_max_num_queries):
    client = client_for(staff_user)
    url = f"{reverse('proposals:board_items')}?figure=total"
    before = _count_queries(client, url)
    _more_items(25, municipal_mandate, [HandlingUnitFactory(jurisdiction=city) for _i in range(5)])
    assert _count_queries(client, url) == before
    with django_assert_max_num_queries(10):
        client.get(url)


def test_the_board_counts_co_units_not_signed_and_the_figure_opens_exactly_those(client_for, staff_user, cast,
                                                                                  city, county,
                                                                                  django_assert_max_num_queries):
    """Co-units of the present round that have not signed (not waived), on items being handled or replied:
    the figure equals the length of its list, which names each one."""
    Proposal.objects.filter(pk=cast["e"].pk).update(round=2)  # re-handled: its present round is 2
    finance = HandlingUnitFactory(name="市财政局", jurisdiction=city)
    waived = HandlingUnitFactory(name="市民政局", jurisdiction=city)
    unsigned_b = support.assign(cast["b"], finance, role=Assignment.Role.CO, state=Assignment.State.PENDING)
    support.deadline(unsigned_b, kind=Deadline.Kind.SIGN, due_on=TODAY - datetime.timedelta(days=3))
    unsigned_e = support.assign(cast["e"], finance, role=Assignment.Role.CO, round_=2,
                                state=Assignment.State.PENDING)
    gone = support.assign(cast["e"], waived, role=Assignment.Role.CO, round_=2, state=Assignment.State.PENDING)
    Assignment.objects.filter(pk=gone.pk).update(opinion_waived_at=support.NOW, opinion_waive_reason="不涉及")
    support.assign(cast["e"], waived, role=Assignment.Role.CO, round_=1, state=Assignment.State.PENDING)  # old round
    support.assign(cast["d"], finance, role=Assignment.Role.CO, state=Assignment.State.PENDING)  # closed item
    support.assign(cast["h"], HandlingUnitFactory(jurisdiction=cast["h"].jurisdiction), role=Assignment.Role.CO,
                   state=Assignment.State.PENDING)  # another city's item
    client = client_for(staff_user)
    board_page = _board(client)
    assert board_page.context["board"].unsigned_co_units == 2
    figure = re.search(r'id="figure-co_units_not_signed">.*?<a [^>]*href="([^"]+)">(\d+)</a>',
                       board_page.content.decode(), re.S)
    assert figure is not None and figure[2] == "2"
    with django_assert_max_num_queries(8):
        listed = client.get(html.unescape(figure[1]))
    assert listed.status_code == 200
    rows = {a.pk for a in listed.context["page"].object_list}
    assert rows == {unsigned_b.pk, unsigned_e.pk}
    content = listed.content.decode()
    assert "市财政局" in content and "2 项交办" in content and "市民政局" not in content
    # The filters narrow both alike.
    assert client.get(reverse("proposals:board"), {"kind": Kind.MOTION}).context["board"].unsigned_co_units == 1
    filtered = client.get(reverse("proposals:board_co_units"), {"kind": Kind.MOTION})
    assert {a.pk for a in filtered.context["page"].object_list} == {unsigned_e.pk}
