"""Roster workbooks: the template, the all-or-nothing import with real-workbook quirks, and the export."""

import datetime
import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.deputies import excel, selectors
from apps.deputies.models import ElectoralUnit, Mandate, Person
from tests.factories import DelegationFactory, DeputyGroupFactory, MandateFactory, PersonFactory, make_id_number

HEADERS = ["姓名", "性别", "民族", "出生日期", "身份证号", "电话", "党派", "学历", "工作单位", "职务", "界别",
           "职业类别", "地址", "层级", "届次", "选举单位", "代表团", "代表小组", "开始日期", "状态", "终止日期",
           "终止原因"]
ENGLISH_HEADERS = ["Name", "Gender", "Ethnicity", "Birth date", "ID number", "Phone", "Party", "Education",
                   "Employer", "Post", "Sector", "Occupation category", "Address", "Level", "Term",
                   "Electoral unit", "Delegation", "Deputy group", "Start date", "Status", "End date", "End reason"]
TITLE = "长春市第十六届人大代表名册"
BIRTH = datetime.date(1975, 3, 12)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def birth_of(n: int) -> datetime.date:
    return BIRTH + datetime.timedelta(days=n // 1000)


def id_number(n: int = 1, birth: datetime.date | None = None) -> str:
    return make_id_number(birth or birth_of(n), seq=n % 1000)


def deputy(n: int = 1, **cells) -> dict:
    """One valid row (a municipal mandate in 市第十六届), keyed by Chinese header; ``cells`` override it."""
    row = {
        "姓名": f"测试代表{n}", "性别": "男", "民族": "汉族", "出生日期": birth_of(n), "身份证号": id_number(n),
        "电话": f"139{n:08d}", "党派": "中共党员", "学历": "大学本科", "工作单位": "长春市商务局", "职务": "局长",
        "界别": "经济界", "职业类别": "党政干部", "地址": "长春市南关区人民大街1号", "层级": "市",
        "届次": "市第十六届", "选举单位": "南关区", "代表团": "南关区代表团", "代表小组": "南关区第一代表小组",
        "开始日期": datetime.date(2022, 1, 1), "状态": "在任", "终止日期": None, "终止原因": None,
    }
    row.update(cells)
    return row


def workbook(rows: list[dict], *, headers=HEADERS, titles=(TITLE,), merges=(), shown=None) -> io.BytesIO:
    """A workbook as people make them: title rows merged over the columns above the header row; ``shown``
    are the headers as typed when they differ from the keys of ``rows``."""
    book = openpyxl.Workbook()
    sheet = book.active
    for title in titles:
        sheet.append([title])
        sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=len(headers))
    sheet.append(shown or headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    for cells in merges:
        sheet.merge_cells(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def english(row: dict) -> dict:
    return {ENGLISH_HEADERS[HEADERS.index(k)]: v for k, v in row.items()}


@pytest.fixture
def bodies(city_term, county, county_term):
    """The delegation and deputy group the default row names."""
    return {
        "delegation": DelegationFactory(term=city_term, name="南关区代表团"),
        "group": DeputyGroupFactory(jurisdiction=county, name="南关区第一代表小组"),
    }


@pytest.fixture
def importer(staff_user, bodies):
    def run(rows, **options):
        return excel.import_roster(file=workbook(rows, **options), user=staff_user)

    return run


def errors_of(result) -> list[tuple]:
    return [(e.row, e.column) for e in result.errors]


# --- the template ---------------------------------------------------------------------------------------

def test_template_has_a_title_row_the_headers_an_example_drop_downs_and_instructions():
    book = openpyxl.load_workbook(io.BytesIO(excel.build_template()))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(max_row=3, values_only=True))
    assert rows[0][0] == "代表名册"
    assert list(rows[1]) == HEADERS
    assert rows[2][:2] == ("张三", "男")
    validated = {str(v.sqref).split(":")[0] for v in sheet.data_validations.dataValidation}
    assert {"B3", "G3", "H3", "L3", "N3"} <= validated  # gender, party, education, occupation, level
    assert "填写说明" in book.sheetnames


@pytest.mark.smoke
def test_downloaded_template_imports_cleanly_and_its_example_row_is_skipped(client_for, staff_user, bodies):
    response = client_for(staff_user).get(reverse("deputies:roster_template"))
    assert response.status_code == 200

    result = excel.import_roster(file=io.BytesIO(response.content), user=staff_user)
    assert result.ok and result.rows == 0

    book = openpyxl.load_workbook(io.BytesIO(response.content))
    book.worksheets[0].append([deputy().get(h) for h in HEADERS])
    filled = io.BytesIO()
    book.save(filled)
    result = excel.import_roster(file=filled, user=staff_user)
    assert result.ok, result.errors
    assert list(Person.objects.values_list("name", flat=True)) == ["测试代表1"]


# --- the import: happy path, re-import, all or nothing -----------------------------------------------------

@pytest.mark.smoke
def test_import_creates_people_and_mandates_with_their_bodies(importer, bodies, city_term):
    result = importer([deputy(1, 姓名="李秀英", 性别="女"), deputy(2, 电话=None)])

    assert result.ok, result.errors
    assert (result.people_created, result.mandates_created) == (2, 2)
    person = Person.objects.with_id_number(id_number(1)).get()
    assert (person.name, person.gender, person.party, person.birth_date) == ("李秀英", "female", "cpc", BIRTH)
    assert (person.name_pinyin, person.name_initials) == ("lixiuying", "lxy")
    mandate = person.mandates.get()
    assert (mandate.term, mandate.level, mandate.jurisdiction_id) == (city_term, "municipal", city_term.jurisdiction_id)
    assert (mandate.delegation, mandate.group) == (bodies["delegation"], bodies["group"])
    assert mandate.electoral_unit.name == "南关区"
    assert mandate.status == Mandate.Status.SERVING
    assert person.history.count() == 1 and mandate.history.get().history_type == "+"


def test_reimporting_twice_keeps_the_person_count_and_updates_a_changed_phone(importer, staff_user):
    rows = [deputy(n) for n in range(1, 4)]
    assert importer(rows).ok
    assert importer(rows).ok
    rows[1]["电话"] = "13800000000"
    result = importer(rows)

    assert result.ok
    assert Person.objects.count() == 3 and Mandate.objects.count() == 3
    assert ElectoralUnit.objects.count() == 1
    assert (result.people_created, result.people_updated, result.mandates_updated) == (0, 1, 0)
    person = Person.objects.with_id_number(id_number(2)).get()
    assert person.phone == "13800000000"
    latest = person.history.first()
    assert (latest.history_type, latest.phone, latest.history_user) == ("~", "13800000000", staff_user)


def test_reimporting_an_unchanged_workbook_writes_nothing(importer, django_assert_max_num_queries):
    rows = [deputy(n) for n in range(1, 4)]
    importer(rows)
    history = (Person.history.count(), Mandate.history.count(), ElectoralUnit.history.count())

    with django_assert_max_num_queries(8):
        result = importer(rows)

    assert result.ok
    assert (result.people_updated, result.mandates_updated) == (0, 0)
    assert (Person.history.count(), Mandate.history.count(), ElectoralUnit.history.count()) == history


def test_three_bad_rows_among_a_thousand_write_nothing_and_all_three_are_reported(importer):
    rows = [deputy(n) for n in range(1, 1001)]
    rows[9]["身份证号"] = rows[9]["身份证号"][:-1] + ("0" if rows[9]["身份证号"][-1] != "0" else "1")
    rows[499]["性别"] = "未知"
    rows[998]["届次"] = "市第十五届"

    result = importer(rows)

    assert not result.ok
    assert result.bad_row_count == 3
    # Row numbers are Excel's: a title row and the header row come first.
    assert errors_of(result) == [(12, "身份证号"), (502, "性别"), (1001, "届次")]
    assert "校验位" in result.errors[0].message
    assert "男、女" in result.errors[1].message
    assert "市第十六届" in result.errors[2].message  # the known terms are listed
    assert Person.objects.count() == 0 and Mandate.objects.count() == 0 and ElectoralUnit.objects.count() == 0
    assert result.summary() == "未导入任何数据：有 3 行存在错误。"


def test_every_bad_cell_of_a_bad_row_is_reported(importer):
    result = importer([deputy(1, 姓名=None, 电话="12345", 党派="火星党", 开始日期="明年")])

    assert errors_of(result) == [(3, "姓名"), (3, "电话"), (3, "党派"), (3, "开始日期")]
    assert [e.message for e in result.errors][:2] == ["此项为必填项。",
                                                     "电话应为11位手机号码，或形如 0431-88888888 的固定电话。"]


# --- the import: real-workbook quirks -----------------------------------------------------------------------

@pytest.mark.parametrize("cell", [
    BIRTH, datetime.datetime(1975, 3, 12), "1975-03-12", "1975/3/12", "1975.03.12", "1975年3月12日",
    "19750312", 19750312, "１９７５－０３－１２", " 1975-03-12 00:00:00 ", "1975年3月", "1975.03", "1975-03", 1975.03,
    None,
])
def test_birth_dates_are_read_from_real_dates_and_dates_typed_as_text(importer, cell):
    result = importer([deputy(出生日期=cell)])

    assert result.ok, result.errors
    assert Person.objects.get().birth_date == BIRTH  # a month alone: the ID number gives the day


@pytest.mark.parametrize(("cell", "message"), [
    ("1975-04-12", "出生日期与身份证号不一致。"),
    ("1975年4月", "出生日期与身份证号不一致。"),
    ("1975-02-30", "“1975-02-30”不是有效日期。"),
    ("75.3.12", "“75.3.12”不是日期，请按 1975-03-12 的格式填写。"),
    (1975.1, "“1975.1”有歧义"),
    (27465, "“27465”是数字而不是日期"),
    ("1875-03-12", "出生日期 1875-03-12 不合常理。"),
])
def test_unreadable_or_contradicting_birth_dates_are_rejected(importer, cell, message):
    if cell == "1875-03-12":
        row = deputy(出生日期=cell, 身份证号=id_number(1, datetime.date(1875, 3, 12)))
    else:
        row = deputy(出生日期=cell)
    result = importer([row])

    assert errors_of(result) == [(3, "出生日期")]
    assert result.errors[0].message.startswith(message)


def test_a_start_date_giving_only_the_month_is_rejected(importer):
    result = importer([deputy(开始日期="2022年1月")])

    assert errors_of(result) == [(3, "开始日期")]
    assert "只有月份" in result.errors[0].message


def test_full_width_characters_and_stray_spaces_are_normalised(importer):
    ending_in_x = next(make_id_number(BIRTH, seq=n) for n in range(1000) if make_id_number(BIRTH, seq=n)[-1] == "X")
    full_width = ending_in_x.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789X"}).replace("Ｘ", "ｘ")
    result = importer([deputy(
        姓名=" 张　三 ", 性别=" 女 ", 身份证号=full_width, 电话="１３９ １２３４ ５６７８", 届次="市第十六届 ",
        代表团="南关区 代表团", 工作单位="长春市　商务局",
    )], shown=[f" {h[0]} {h[1:]}" if i % 2 else h for i, h in enumerate(HEADERS)])

    assert result.ok, result.errors
    person = Person.objects.get()
    assert (person.name, person.gender, person.id_number, person.phone) == ("张三", "female", ending_in_x,
                                                                            "13912345678")
    assert person.employer == "长春市 商务局"
    assert person.mandates.get().delegation.name == "南关区代表团"


def test_an_id_number_stored_as_a_number_is_rejected(importer):
    result = importer([deputy(1, 身份证号=2.20102197503121e17), deputy(2, 身份证号=220102197503120000),
                       deputy(3, 身份证号="2.20102197503120E+17")])

    assert errors_of(result) == [(3, "身份证号"), (4, "身份证号"), (5, "身份证号")]
    assert all("以数字形式保存" in e.message for e in result.errors)


def test_an_id_number_stored_as_a_number_with_every_digit_is_accepted(staff_user, bodies):
    # openpyxl writes an int through a float; a program that writes every digit is emulated in the XML.
    original = workbook([deputy(身份证号=1.0)])
    patched = io.BytesIO()
    with zipfile.ZipFile(original) as source, zipfile.ZipFile(patched, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<v>1</v>", f"<v>{id_number(1)}</v>".encode(), 1)
            target.writestr(item, data)

    result = excel.import_roster(file=patched, user=staff_user)

    assert result.ok, result.errors
    assert Person.objects.get().id_number == id_number(1)


def test_a_phone_stored_as_a_number_is_accepted(importer):
    assert importer([deputy(电话=13912345678.0)]).ok
    assert Person.objects.get().phone == "13912345678"


def test_a_masked_id_number_is_rejected_with_a_hint(importer):
    result = importer([deputy(身份证号="220102********0014")])

    assert errors_of(result) == [(3, "身份证号")]
    assert "已脱敏" in result.errors[0].message


@pytest.mark.parametrize(("party", "code"), [("中共党员", "cpc"), ("中国共产党", "cpc"), ("中共", "cpc"), ("CPC", "cpc"),
                                             ("民盟", "cdl"), ("无党派人士", "nonpartisan"), ("群众", "masses")])
def test_coded_columns_accept_the_chinese_label_a_common_alias_or_the_code(importer, party, code):
    result = importer([deputy(党派=party, 性别="female")])

    assert result.ok, result.errors
    assert (Person.objects.get().party, Person.objects.get().gender) == (code, "female")


def test_headers_and_values_in_english_are_accepted(importer):
    row = english(deputy(性别="Male", 党派="Communist Party of China", 层级="Municipal", 状态="Serving"))

    result = importer([row], headers=ENGLISH_HEADERS, titles=())

    assert result.ok, result.errors
    assert Person.objects.get().gender == "male"


def test_headers_real_workbooks_use_for_a_column_are_recognised(importer):
    other = {"出生日期": "出生年月", "身份证号": "身份证号码", "党派": "政治面貌", "电话": "联系电话", "学历": "文化程度"}

    result = importer([deputy(出生日期="1975.03")], shown=[other.get(h, h) for h in HEADERS])

    assert result.ok, result.errors
    assert Person.objects.get().id_number == id_number(1)


def test_the_header_row_is_found_below_several_title_rows_and_merged_cells_apply_to_each_row(importer, bodies):
    rows = [deputy(n) for n in range(1, 4)]
    for row in rows[1:]:
        row["代表团"] = None  # merged: the value sits in the top cell only
    delegation_column = openpyxl.utils.get_column_letter(HEADERS.index("代表团") + 1)

    result = importer(rows, titles=(TITLE, "（2024年12月）"), merges=[f"{delegation_column}4:{delegation_column}6"])

    assert result.ok, result.errors
    assert Mandate.objects.filter(delegation=bodies["delegation"]).count() == 3


def test_a_row_merged_across_every_column_is_a_section_heading(importer):
    rows = [{"姓名": "南关区代表团（2人）"}, deputy(1), deputy(2)]

    result = importer(rows, merges=[f"A3:{openpyxl.utils.get_column_letter(len(HEADERS))}3"])

    assert result.ok, result.errors
    assert Person.objects.count() == 2


def test_cells_merged_across_some_columns_are_rejected(importer):
    result = importer([deputy(1, 职务=None)], merges=["I3:J3"])

    assert errors_of(result) == [(3, "工作单位")]
    assert "I3:J3" in result.errors[0].message
    assert Person.objects.count() == 0


def test_missing_required_columns_and_a_file_that_is_not_a_workbook_are_reported(staff_user, importer):
    headers = [h for h in HEADERS if h not in ("身份证号", "届次")]

    result = importer([deputy()], headers=headers)

    assert [(e.row, e.column) for e in result.errors] == [(None, "身份证号"), (None, "届次")]
    assert result.errors[0].message == "缺少必填列“身份证号”。"
    garbage = excel.import_roster(file=io.BytesIO(b"not a workbook"), user=staff_user)
    assert not garbage.ok and "无法作为 Excel 工作簿打开" in garbage.errors[0].message


# --- the import: people, mandates and the bodies they belong to -----------------------------------------------

def test_two_rows_of_one_person_are_one_person_with_two_mandates(importer, county_term):
    municipal = deputy(1)
    county = deputy(1, 层级="县级", 届次="南关区第十九届", 代表团=None, 代表小组=None, 选举单位="桂林街道",
                    开始日期=datetime.date(2022, 1, 1))

    result = importer([municipal, county])

    assert result.ok, result.errors
    assert (result.people_created, result.mandates_created) == (1, 2)
    person = Person.objects.get()
    assert sorted(person.mandates.values_list("level", flat=True)) == ["county", "municipal"]
    assert person.mandates.get(term=county_term).electoral_unit.jurisdiction == county_term.jurisdiction


def test_two_rows_of_one_person_that_disagree_are_rejected_naming_both_rows(importer, county_term):
    county = deputy(1, 层级=None, 届次="南关区第十九届", 代表团=None, 电话="13800000000")

    result = importer([deputy(1), county])

    assert errors_of(result) == [(4, "电话")]
    assert "第 3 行" in result.errors[0].message and "13800000000" in result.errors[0].message
    assert Person.objects.count() == 0


def test_the_same_mandate_twice_is_rejected(importer):
    result = importer([deputy(1), deputy(1)])

    assert errors_of(result) == [(4, "届次")]
    assert "第 3 行和第 4 行" in result.errors[0].message


def test_an_existing_person_is_matched_by_id_number_and_keeps_other_mandates(importer, county_term, city_term):
    person = PersonFactory(id_number=id_number(1), name="王伟")
    MandateFactory(person=person, term=county_term)

    result = importer([deputy(1, 姓名="王卫东")])

    assert result.ok
    assert (result.people_created, result.people_updated, result.mandates_created) == (0, 1, 1)
    person.refresh_from_db()
    assert (person.name, person.name_initials) == ("王卫东", "wwd")
    assert person.mandates.count() == 2


@pytest.mark.parametrize(("cells", "column", "message"), [
    ({"届次": "市第十五届"}, "届次", "没有名为“市第十五届”的届次"),
    ({"层级": "县（市、区）"}, "层级", "与届次"),
    ({"代表团": "火星代表团"}, "代表团", "没有名为“火星代表团”的代表团"),
    ({"代表小组": "火星小组"}, "代表小组", "没有名为“火星小组”的代表小组"),
    ({"开始日期": datetime.date(2021, 12, 31)}, "开始日期", "代表资格的开始日期不能早于本届开始日期（2022-01-01）。"),
    ({"状态": "终止", "终止日期": datetime.date(2023, 5, 1)}, "终止原因", "已终止的代表资格须填写终止原因。"),
    ({"状态": "终止", "终止日期": datetime.date(2021, 5, 1), "终止原因": "辞职"}, "终止日期", "终止日期早于"),
    ({"状态": "在任", "终止原因": "辞职"}, "终止原因", "只有已终止的代表资格才有终止原因"),
])
def test_mandate_cells_are_checked_against_the_term_and_each_other(importer, cells, column, message):
    result = importer([deputy(1, **cells)])

    assert errors_of(result) == [(3, column)]
    assert message in result.errors[0].message


def test_an_ended_mandate_is_imported_with_its_date_and_reason(importer):
    result = importer([deputy(1, 状态=None, 终止日期="2023.05.01", 终止原因="调离")])

    assert result.ok, result.errors
    mandate = Mandate.objects.get()
    assert (mandate.status, mandate.end_date, mandate.end_reason) == ("ended", datetime.date(2023, 5, 1),
                                                                      "transferred")


def test_terms_outside_the_importers_jurisdiction_are_unknown(county_staff_user, bodies):
    result = excel.import_roster(file=workbook([deputy(1)]), user=county_staff_user)

    assert errors_of(result) == [(3, "届次")]


# --- the export -------------------------------------------------------------------------------------------

def exported(content: bytes) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    return list(sheet.iter_rows(min_row=2, values_only=True))


def test_export_masks_id_numbers_and_phones_unless_asked_not_to(municipal_mandate):
    person = municipal_mandate.person
    rows = selectors.export_rows(Mandate.objects.all())

    header, row = exported(excel.export_roster(rows, unmasked=False))
    assert list(header) == HEADERS
    values = dict(zip(HEADERS, row, strict=True))
    assert values["身份证号"] == person.masked_id_number and values["电话"] == person.masked_phone
    assert person.id_number not in str(row)

    _header, row = exported(excel.export_roster(rows, unmasked=True))
    values = dict(zip(HEADERS, row, strict=True))
    assert (values["姓名"], values["身份证号"], values["电话"]) == ("张三丰", person.id_number, person.phone)
    assert (values["届次"], values["层级"], values["状态"]) == ("市第十六届", "市", "在任")


def test_export_does_not_query_per_row(city_term, django_assert_num_queries):
    MandateFactory.create_batch(5, term=city_term)

    with django_assert_num_queries(1):
        excel.export_roster(selectors.export_rows(Mandate.objects.all()), unmasked=True)


@pytest.mark.smoke
def test_an_unmasked_export_round_trips_through_the_import(importer, staff_user, county_term):
    rows = [deputy(n) for n in range(1, 4)]
    rows.append(deputy(1, 层级=None, 届次="南关区第十九届", 代表团=None, 代表小组=None, 状态="终止",
                       终止日期="2024-06-30", 终止原因="辞职"))
    assert importer(rows).ok
    before = list(Person.objects.order_by("pk").values()), list(Mandate.objects.order_by("pk").values())

    content = excel.export_roster(selectors.export_rows(Mandate.objects.all()), unmasked=True)
    result = excel.import_roster(file=io.BytesIO(content), user=staff_user)

    assert result.ok, result.errors
    assert (result.rows, result.people_updated, result.mandates_updated) == (4, 0, 0)
    assert (list(Person.objects.order_by("pk").values()), list(Mandate.objects.order_by("pk").values())) == before


# --- the views ----------------------------------------------------------------------------------------------

def upload(content, name="roster.xlsx"):
    return SimpleUploadedFile(name, content.getvalue() if hasattr(content, "getvalue") else content,
                              content_type=XLSX)


def test_import_view_lists_every_error_in_chinese_and_writes_nothing(client_for, staff_user, bodies):
    bad = workbook([deputy(1), deputy(2, 身份证号="220102197503120011")])

    response = client_for(staff_user).post(reverse("deputies:roster_import"), {"file": upload(bad)})

    assert response.status_code == 200
    page = response.content.decode()
    assert "未导入任何数据：有 1 行存在错误。" in page
    assert "<td>4</td><td>身份证号</td><td>身份证号校验位错误，请检查是否输入有误。</td>" in page
    assert Person.objects.count() == 0
    assert AuditEvent.objects.get(action=AuditEvent.Action.IMPORT).success is False


def test_import_view_redirects_to_the_roster_on_success(client_for, staff_user, bodies):
    response = client_for(staff_user).post(reverse("deputies:roster_import"), {"file": upload(workbook([deputy()]))})

    assert response.status_code == 302 and response.url == reverse("deputies:roster_list")
    assert Person.objects.count() == 1


def test_import_view_refuses_a_file_that_is_not_xlsx(client_for, staff_user):
    response = client_for(staff_user).post(reverse("deputies:roster_import"),
                                           {"file": upload(b"name,phone\n", name="roster.csv")})

    assert response.status_code == 200
    assert "请上传扩展名为 .xlsx 的 Excel 工作簿。" in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).exists()


def test_export_view_returns_a_workbook_and_records_the_export(client_for, staff_user, municipal_mandate):
    response = client_for(staff_user).get(reverse("deputies:roster_export"))

    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert len(exported(response.content)) == 2  # header and 张三丰
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert (event.user, event.detail.startswith("roster masked")) == (staff_user, True)


def test_export_view_without_the_permission_is_forbidden(client_for, member_user):
    assert client_for(member_user).get(reverse("deputies:roster_export")).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


# --- the template names the office's own bodies; terms written short; 学历 as rosters write it ----------------------

def _template_rows(client, user):
    response = client.get(reverse("deputies:roster_template"))
    assert response.status_code == 200
    return response, openpyxl.load_workbook(io.BytesIO(response.content))


def _example(book) -> dict:
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[2]]
    return dict(zip(headers, [c.value for c in sheet[3]]))


def _copy_example_as_a_clerk_does(response, n=7) -> io.BytesIO:
    """The clerk keeps the example's term, bodies and dates and types a real person over it."""
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    values = [c.value for c in sheet[3]]
    headers = [c.value for c in sheet[2]]
    values[headers.index("姓名")] = f"照填代表{n}"
    values[headers.index("身份证号")] = id_number(n)
    values[headers.index("出生日期")] = birth_of(n)
    sheet.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


@pytest.mark.parametrize("who", ["city", "county"])
def test_the_templates_example_row_names_the_users_own_bodies_and_imports_when_copied(
        client_for, staff_user, county_staff_user, city_term, county, county_term, who):
    from tests.factories import ElectoralUnitFactory

    user = staff_user if who == "city" else county_staff_user
    term = city_term if who == "city" else county_term
    ElectoralUnitFactory(jurisdiction=term.jurisdiction, level=term.level, name=f"{term.jurisdiction.name}第一选区")
    DelegationFactory(term=term, name=f"{term.name}代表团")
    DeputyGroupFactory(jurisdiction=term.jurisdiction, name=f"{term.jurisdiction.name}代表小组甲")
    response, book = _template_rows(client_for(user), user)
    example = _example(book)
    assert example["届次"] == term.name
    assert example["选举单位"] == f"{term.jurisdiction.name}第一选区"
    assert example["代表团"] == f"{term.name}代表团"
    assert example["代表小组"] == f"{term.jurisdiction.name}代表小组甲"
    assert example["开始日期"].date() == term.start_date
    lists = book["选项"]
    assert lists.sheet_state == "hidden"
    listed = {c.value for column in lists.iter_cols() for c in column}
    assert term.name in listed and f"{term.jurisdiction.name}代表小组甲" in listed
    if who == "county":
        assert city_term.name not in listed  # the city's term is not the county's to import into
    result = excel.import_roster(file=_copy_example_as_a_clerk_does(response), user=user)
    assert result.ok, result.errors
    mandate = Mandate.objects.get(person__name="照填代表7")
    assert mandate.term == term and mandate.group.name == f"{term.jurisdiction.name}代表小组甲"


def test_a_jurisdiction_without_bodies_gets_an_example_with_empty_references(client_for, staff_user):
    response, book = _template_rows(client_for(staff_user), staff_user)
    example = _example(book)
    assert example["届次"] in (None, "") and example["代表小组"] in (None, "")


@pytest.fixture
def long_named_terms(city, county):
    from tests.factories import TermFactory

    return {
        "city": TermFactory(jurisdiction=city, level="municipal", number=16, name="长春市第十六届人民代表大会",
                            start_date=datetime.date(2022, 1, 1)),
        "county": TermFactory(jurisdiction=county, level="county", number=16, name="南关区第十六届人民代表大会",
                              start_date=datetime.date(2021, 10, 1)),
    }


@pytest.mark.parametrize("written", ["市第十六届", "第十六届", "十六届", "16", "第16届", "长春市第十六届"])
def test_a_term_written_short_is_read_when_it_leaves_one_term(staff_user, long_named_terms, written):
    row = deputy(1, 届次=written, 层级=None, 代表团=None, 代表小组=None, 选举单位=None)
    result = excel.import_roster(file=workbook([row]), user=staff_user)
    assert result.ok, result.errors
    assert Mandate.objects.get().term == long_named_terms["city"]


def test_a_short_term_of_a_county_is_read_by_its_prefix_or_level(staff_user, long_named_terms):
    rows = [deputy(1, 届次="南关区第十六届", 层级=None, 代表团=None, 代表小组=None, 选举单位=None),
            deputy(2, 届次="第十六届", 层级="县级", 代表团=None, 代表小组=None, 选举单位=None)]
    result = excel.import_roster(file=workbook(rows), user=staff_user)
    assert result.ok, result.errors
    assert set(Mandate.objects.values_list("term__name", flat=True)) == {"南关区第十六届人民代表大会"}


def test_an_ambiguous_short_term_is_refused_with_the_choices(county_staff_user, city, county):
    from tests.factories import JurisdictionFactory, TermFactory

    town = JurisdictionFactory(name="永吉街道", code="220102001", parent=county)
    TermFactory(jurisdiction=county, level="county", number=16, name="南关区第十六届人民代表大会")
    TermFactory(jurisdiction=town, level="township", number=16, name="永吉街道第十六届人民代表大会")
    row = deputy(1, 届次="第十六届", 层级=None, 代表团=None, 代表小组=None, 选举单位=None)
    # The county's own term wins over the one below it: that is the office's own congress.
    assert excel.import_roster(file=workbook([row]), user=county_staff_user).ok
    Mandate.objects.all().delete()
    TermFactory(jurisdiction=town, level="township", number=17, name="永吉街道第十七届人民代表大会")
    other = JurisdictionFactory(name="桃源街道", code="220102002", parent=county)
    TermFactory(jurisdiction=other, level="township", number=17, name="桃源街道第十七届人民代表大会")
    row = deputy(2, 届次="第十七届", 层级=None, 代表团=None, 代表小组=None, 选举单位=None)
    result = excel.import_roster(file=workbook([row]), user=county_staff_user)
    assert not result.ok and Mandate.objects.count() == 0
    [error] = result.errors
    assert error.column == "届次"
    assert "可指多个届次" in error.message and "永吉街道第十七届人民代表大会" in error.message
    assert "桃源街道第十七届人民代表大会" in error.message


@pytest.mark.parametrize("written, stored", [
    ("研究生", "graduate"), ("博士研究生", "doctorate"), ("硕士研究生", "master"), ("博士", "doctorate"),
    ("硕士", "master"), ("研究生（硕士）", "master"), ("研究生(博士)", "doctorate"), ("大学", "bachelor"),
    ("大学本科", "bachelor"), ("本科", "bachelor"), ("大学本科毕业", "bachelor"), ("本科学历", "bachelor"),
    ("大专", "college"), ("大学专科", "college"), ("专科", "college"), ("高职", "college"), ("中专", "secondary"),
    ("中等专科", "secondary"), ("高中", "secondary"), ("普通高中", "secondary"), ("职高", "secondary"),
    ("技校", "secondary"), ("初中", "primary"), ("小学", "primary"), ("初中及以下", "primary"),
])
def test_education_as_rosters_write_it_is_read(importer, written, stored):
    result = importer([deputy(1, 学历=written)])
    assert result.ok, result.errors
    assert Person.objects.get().education == stored


@pytest.mark.parametrize("written", ["本科或专科", "大学以上", "研究生/本科", "在读"])
def test_an_ambiguous_education_is_refused_with_the_choices(importer, written):
    result = importer([deputy(1, 学历=written)])
    assert not result.ok and Person.objects.count() == 0
    [error] = result.errors
    assert error.column == "学历" and "研究生" in error.message and "大学本科" in error.message
