"""The public portal (/open/) and its open data: what is published (replies to suggestions, never a confidential
reply or item, nor a motion), the search, the year's figures (the board's own), the files (streamed CSV with BOM
and escaped formulas, a JSON array, an Atom feed), bad input, caching, and the constant query count."""

import csv
import io
import json
import xml.etree.ElementTree as ET

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.opendata.schema import FIELDS
from apps.proposals.models import Kind, Proposal, Reply
from apps.proposals.selectors.board import board, board_scope
from tests.opendata.conftest import published

ATOM = "{http://www.w3.org/2005/Atom}"


def _body(response) -> str:
    return (b"".join(response.streaming_content) if response.streaming else response.content).decode("utf-8")


def test_the_portal_lists_published_replies_to_suggestions_only_in_constant_queries(client, items, municipal_mandate,
                                                                                    units):
    url = reverse("opendata:index")
    with CaptureQueriesContext(connection) as first:
        response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200 and "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert "csrftoken" not in response.cookies  # the same page for everyone: cacheable
    assert "关于改善老旧小区供暖的建议" in page and "HYPERLINK" in page
    assert "张三丰" in page  # the lead signer, named as published replies name them
    for hidden in ("不公开答复", "涉密事项", "物业条例"):
        assert hidden not in page
    detail = client.get(reverse("opendata:reply_detail", args=[items["heating"].pk])).content.decode()
    assert "已将供热管网改造列入年度计划。" in detail and "A 已解决或基本解决" in detail
    for hidden in ("quiet", "secret", "motion"):
        assert client.get(reverse("opendata:reply_detail", args=[items[hidden].pk])).status_code == 404, hidden

    for n in range(3):  # more rows (each with signers): the same queries, none per row
        published(mandate=municipal_mandate, unit=units[n % 2], number=10 + n, title=f"关于第{n}件事的建议",
                  cosigners=1)
    with CaptureQueriesContext(connection) as more:
        page = client.get(url).content.decode()
    assert "关于第2件事的建议" in page
    assert len(more.captured_queries) == len(first.captured_queries) <= 10
    with CaptureQueriesContext(connection) as cached:  # nothing written since: the page kept under the version
        assert client.get(url).content.decode() == page
    assert len(cached.captured_queries) == 1


def test_the_search_narrows_by_text_category_unit_and_year(client, items):
    url = reverse("opendata:index")
    year = items["heating"].year
    by_text = client.get(url, {"q": "供热管网", "year": year}).content.decode()  # words of the reply
    assert "老旧小区供暖" in by_text and "HYPERLINK" not in by_text
    category = items["formula"].category_id
    by_category = client.get(url, {"category": category}).content.decode()
    assert "HYPERLINK" in by_category and "老旧小区供暖" not in by_category
    unit = items["heating"].assignments.get().unit_id
    by_unit = client.get(url, {"unit": unit}).content.decode()
    assert "老旧小区供暖" in by_unit and "HYPERLINK" not in by_unit


def test_bad_search_input_is_a_message_not_an_error(client, db):
    url = reverse("opendata:index")
    for params in ({"year": "abc"}, {"unit": "9" * 30}, {"category": "-1"}, {"q": "长" * 200}, {"year": "1900"}):
        response = client.get(url, params)
        assert response.status_code == 200, params
        assert 'id="open-search-errors"' in response.content.decode(), params
    assert client.get(url, {"q": "a\x00b"}).status_code == 400


def test_the_figures_are_the_supervision_boards(client, items, django_assert_max_num_queries):
    year = items["heating"].year
    expected = board(board_scope(Proposal.objects.filter(kind=Kind.SUGGESTION), year=year),
                     today=timezone.localdate())
    with django_assert_max_num_queries(8):
        page = client.get(reverse("opendata:statistics", args=[year])).content.decode()
    totals = expected.totals.counts
    # the confidential reply and item counted as numbers; the motion not at all
    assert (totals["assigned"], totals["replied"], totals["rated"], totals["satisfied"]) == (4, 4, 2, 1)
    for line in expected.units:
        row = page.split(f'id="open-statistics-unit-{line.pk}"')[1].split("</tr>")[0]
        assert f"<td class=\"text-end\">{line.counts['assigned']}</td>" in row
        assert f"{line.reply_rate:.1f}%" in row


def test_the_year_files_stream_every_published_reply_and_the_feed_the_latest(client, items):
    year = items["heating"].year
    response = client.get(reverse("opendata:year_csv", args=[year]))
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    text = _body(response)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0] == [field.key for field in FIELDS]
    by_id = {row[0]: dict(zip(rows[0], row)) for row in rows[1:]}
    assert set(by_id) == {str(items["heating"].pk), str(items["formula"].pk)}
    formula = by_id[str(items["formula"].pk)]
    assert formula["title"].startswith("'=") and formula["reply"].startswith("'-1+1")  # never run as formulas
    assert formula["reply_class"] == "B" and formula["category"] == "卫生"
    heating = by_id[str(items["heating"].pk)]
    assert heating["signers"].startswith("张三丰、") and heating["url"].endswith(f"/open/{items['heating'].pk}/")

    response = client.get(reverse("opendata:year_json", args=[year]))
    assert response.streaming and response["Content-Type"].startswith("application/json")
    records = json.loads(_body(response))
    assert {r["id"] for r in records} == {items["heating"].pk, items["formula"].pk}
    record = next(r for r in records if r["id"] == items["heating"].pk)
    assert list(record) == [field.key for field in FIELDS]
    assert record["year"] == year and record["signers"][0] == "张三丰" and len(record["signers"]) == 2
    assert record["replied_on"] == timezone.localtime(Reply.objects.get(proposal=items["heating"]).replied_at).date().isoformat()

    response = client.get(reverse("opendata:feed"))  # the latest published replies
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    entries = root.findall(f"{ATOM}entry")
    titles = {entry.find(f"{ATOM}title").text for entry in entries}
    assert titles == {"关于改善老旧小区供暖的建议", "=HYPERLINK(\"http://x\")"}
    links = {entry.find(f"{ATOM}link").get("href") for entry in entries}
    assert f"http://testserver/open/{items['heating'].pk}/" in links

    page = client.get(reverse("opendata:data")).content.decode()  # the files of each year, every field explained
    assert reverse("opendata:year_csv", args=[year]) in page and reverse("opendata:year_json", args=[year]) in page
    for field in FIELDS:
        assert f"<code>{field.key}</code>" in page


def test_the_login_page_links_to_the_portal(client):
    assert reverse("opendata:index") in client.get(reverse("accounts:login")).content.decode()


def test_the_documented_schema_names_every_field():
    from django.conf import settings

    doc = (settings.BASE_DIR / "docs" / "open-data.md").read_text(encoding="utf-8")
    documented = [line.split("|")[1].strip().strip("`") for line in doc.split("## Fields")[1].split("##")[0]
                  .splitlines() if line.startswith("| `")]
    assert documented == [field.key for field in FIELDS]
