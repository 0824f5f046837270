"""Publicity records: the yearly counts by kind come from the records and open them; bad input gets a Chinese
message and writes nothing; the list's Excel escapes formulas; the deputy's record shows the section."""

import datetime
import io

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from apps.publicity import selectors
from apps.publicity.models import PublicityItem
from tests.publicity.conftest import make_item

pytestmark = pytest.mark.django_db

K = PublicityItem.Kind


def test_yearly_counts_come_from_the_records_of_the_year_and_scope(city, county, other_county, staff_user):
    for n in range(13):
        make_item(city if n % 2 else county, staff_user, issue_number=f"第{n + 1}期")
    make_item(city, staff_user, kind=K.FEATURE)
    make_item(city, staff_user, kind=K.FEATURE)
    make_item(city, staff_user, kind=K.FEATURE, date=datetime.date(2025, 12, 31))  # another year
    make_item(other_county, staff_user, kind=K.ARTICLE)
    counts = selectors.yearly_counts(selectors.visible_items(staff_user), 2026)
    assert [(kind, n) for kind, _label, n in counts] == [("column", 13), ("feature", 2), ("report", 0), ("article", 1)]
    assert selectors.counts_text(counts[:2]) == "专版13期、专题片2部"


@time_machine.travel("2026-06-01 10:00 +0800", tick=False)
def test_each_count_opens_the_records_behind_it_in_a_fixed_number_of_queries(
        client_for, city, staff_user, municipal_mandate, django_assert_max_num_queries):
    for n in range(4):
        make_item(city, staff_user, kind=K.REPORT if n % 2 else K.COLUMN, deputies=[municipal_mandate.person])
    client = client_for(staff_user)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("publicity:item_list"))
    counts = {kind: n for kind, _label, n in page.context["counts"]}
    for kind in ("column", "report"):
        listed = client.get(reverse("publicity:item_list"), {"year": 2026, "kind": kind}).context["page"]
        assert listed.paginator.count == counts[kind] == 2


@pytest.mark.parametrize("change, field, message", [
    ({"issue_number": ""}, "issue_number", "期号"),
    ({"deputy_names": "不存在的人"}, "deputy_names", "没有以下代表"),
    ({"date": "2026-02-30"}, "date", "日期"),
    ({"url": "javascript:alert(1)"}, "url", "有效的 URL"),
])
def test_bad_input_gets_a_chinese_message_and_writes_nothing(client_for, city, staff_user, municipal_mandate,
                                                             change, field, message):
    data = {"kind": "column", "jurisdiction": city.pk, "date": "2026-03-01", "outlet": "长春日报", "title": "风采",
            "issue_number": "第2期", "url": "https://example.gov.cn/b", "deputy_names": municipal_mandate.person.name}
    client = client_for(staff_user)
    response = client.post(reverse("publicity:item_create"), {**data, **change})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not PublicityItem.objects.exists()
    assert client.post(reverse("publicity:item_create"), data).status_code == 302
    assert list(PublicityItem.objects.get().deputies.all()) == [municipal_mandate.person]


def test_the_export_lists_the_years_records_with_formulas_escaped(client_for, city, staff_user, municipal_mandate):
    make_item(city, staff_user, title="=HYPERLINK(\"http://x\")", deputies=[municipal_mandate.person])
    response = client_for(staff_user).get(reverse("publicity:item_export"), {"year": 2026})
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2))
    assert len(rows) == 1
    title = rows[0][3]
    assert title.value.startswith("=HYPERLINK") and title.data_type == "s" and title.quotePrefix
    assert rows[0][6].value == municipal_mandate.person.name


def test_the_deputys_record_shows_their_publicity_as_a_section(client_for, city, staff_user, deputy_user,
                                                                 municipal_mandate):
    make_item(city, staff_user, deputies=[municipal_mandate.person])
    make_item(city, staff_user, kind=K.FEATURE, deputies=[municipal_mandate.person])
    make_item(city, staff_user, kind=K.FEATURE)  # not featuring the deputy
    response = client_for(deputy_user).get(reverse("me:me"), {"year": 2026})
    assert response.context["publicity"]["text"] == "专版1期、专题片1部"
    assert 'id="section-publicity" data-count="2"' in response.content.decode()


def test_the_record_pdf_shows_the_same_publicity_as_the_page(client_for, city, staff_user, municipal_mandate):
    from tests.scoring.test_record_pdf import pdftotext

    person = municipal_mandate.person
    make_item(city, staff_user, title="代表风采专版", issue_number="第7期", deputies=[person])
    make_item(city, staff_user, kind=K.FEATURE, title="履职专题片", deputies=[person])
    make_item(city, staff_user, kind=K.FEATURE, title="去年的专题片", date=datetime.date(2025, 5, 1),
              deputies=[person])
    client = client_for(staff_user)
    page = client.get(reverse("scoring:deputy_record", args=[person.pk]), {"year": 2026})
    pdf = client.get(reverse("scoring:deputy_record_pdf", args=[person.pk]), {"year": 2026})
    text = "".join(pdftotext(b"".join(pdf.streaming_content) if pdf.streaming else pdf.content).split())
    publicity = page.context["publicity"]
    assert [i.title for i in publicity["items"]] == ["履职专题片", "代表风采专版"]
    assert "宣传（2）专版1期、专题片1部" in text and publicity["text"] == "专版1期、专题片1部"
    assert text.index("履职专题片") < text.index("代表风采专版")  # the same order as the page
    assert all(title in text for title in ("履职专题片", "代表风采专版", "第7期")) and "去年的专题片" not in text
