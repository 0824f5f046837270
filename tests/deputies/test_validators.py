"""ID numbers (GB 11643), phones, masking, full-width normal forms and pinyin."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from apps.deputies import validators

VALID_IDS = ["11010519491231002X", "440524188001010014", "220102197503120014"]


@pytest.mark.smoke
@pytest.mark.parametrize("value", VALID_IDS)
def test_known_valid_id_numbers_pass(value):
    assert validators.id_check_digit(value[:17]) == value[17]
    validators.validate_id_number(value)


def test_the_check_digit_can_be_x():
    assert validators.id_check_digit("11010519491231002") == "X"


@pytest.mark.parametrize("value", ["110105194912310021", "440524188001010015", "220102197503120013",
                                   "220102197503120010"])
def test_a_wrong_check_digit_is_refused(value):
    with pytest.raises(ValidationError) as exc:
        validators.validate_id_number(value)
    assert exc.value.code == "id_check"


def test_the_check_digit_message_is_chinese():
    with pytest.raises(ValidationError) as exc:
        validators.validate_id_number("220102197503120013")
    assert "身份证号校验位错误" in exc.value.messages[0]


@pytest.mark.parametrize("value", ["", "22010219750312001", "2201021975031200140", "22010219750312001Y",
                                   "11010519491231002x", "A20102197503120014", "22010219750312 014"])
def test_a_malformed_id_number_is_refused(value):
    with pytest.raises(ValidationError) as exc:
        validators.validate_id_number(value)
    assert exc.value.code == "id_format"


@pytest.mark.parametrize("birth", ["19750230", "19751301", "19750000", "19000229"])  # 1900 was no leap year
def test_an_impossible_birth_date_inside_the_id_number_is_refused(birth):
    first17 = f"220102{birth}001"
    with pytest.raises(ValidationError) as exc:
        validators.validate_id_number(first17 + validators.id_check_digit(first17))
    assert exc.value.code == "id_birth"


@time_machine.travel(datetime.date(2026, 11, 26), tick=False)
def test_a_birth_date_in_the_future_is_refused():
    first17 = "22010220261127001"
    with pytest.raises(ValidationError) as exc:
        validators.validate_id_number(first17 + validators.id_check_digit(first17))
    assert exc.value.code == "id_birth"
    today = "22010220261126001"
    validators.validate_id_number(today + validators.id_check_digit(today))


def test_the_birth_date_is_read_from_the_id_number():
    assert validators.id_birth_date("11010519491231002X") == datetime.date(1949, 12, 31)
    assert validators.id_birth_date("220102197502300014") is None


@pytest.mark.parametrize("value", ["13912345678", "0431-88888888", "043188888888", "010-12345678", ""])
def test_valid_phones_pass(value):
    validators.validate_phone(value)


@pytest.mark.parametrize("value", ["1391234567", "139123456789", "23912345678", "88888888", "139-1234-5678"])
def test_invalid_phones_are_refused(value):
    with pytest.raises(ValidationError):
        validators.validate_phone(value)


# --- masking ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "masked"), [
    ("220102197503120014", "220102********0014"),
    ("11010519491231002X", "110105********002X"),
    ("220102750312001", "220102*****2001"),  # an old 15-digit number
    ("", ""),
    ("12345", "*****"),
    ("1234567890", "**********"),
])
def test_id_numbers_are_masked(value, masked):
    assert validators.mask_id_number(value) == masked


@pytest.mark.parametrize(("value", "masked"), [
    ("13912345678", "139****5678"),
    ("0431-88888888", "043******8888"),
    ("", ""),
    ("1234567", "*******"),
    ("12345678", "123*5678"),
])
def test_phones_are_masked(value, masked):
    assert validators.mask_phone(value) == masked


def test_masking_never_shows_the_birth_date():
    assert "19750312" not in validators.mask_id_number("220102197503120014")


# --- normal forms -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "normal"), [
    ("ＡＢＣ１２３", "ABC123"),
    ("\u3000张三丰\u3000", "张三丰"),
    ("  长春市  南关区 ", "长春市 南关区"),
    ("a\u00a0b", "a b"),
    ("（１）", "(1)"),
    (None, ""),
    (1975, "1975"),
])
def test_text_is_normalised(value, normal):
    assert validators.normalize_text(value) == normal


def test_full_width_id_numbers_are_normalised():
    assert validators.normalize_id_number(" １１０１０５１９４９１２３１００２ｘ ") == "11010519491231002X"
    assert validators.normalize_id_number("110105 19491231 002x") == "11010519491231002X"


@pytest.mark.parametrize(("value", "normal"), [
    ("１３９１２３４５６７８", "13912345678"),
    ("139 1234 5678", "13912345678"),
    ("13912345678.0", "13912345678"),
    (13912345678.0, "13912345678"),
    ("0431-88888888", "0431-88888888"),
    (None, ""),
])
def test_phones_are_normalised(value, normal):
    assert validators.normalize_phone(value) == normal


# --- pinyin -----------------------------------------------------------------------------------------------------

@pytest.mark.smoke
def test_pinyin_of_zhang_sanfeng():
    assert validators.pinyin_of("张三丰") == ("zhangsanfeng", "zsf")


@pytest.mark.parametrize(("name", "pinyin", "initials"), [
    ("李四", "lisi", "ls"),
    ("欧阳修", "ouyangxiu", "oyx"),
    ("吕布", "lvbu", "lb"),
    ("曾国藩", "zengguofan", "zgf"),  # 曾 as a surname is zeng
    ("朴正熙", "piaozhengxi", "pzx"),  # 朴 as a surname is piao
    ("单雄信", "shanxiongxin", "sxx"),
    ("单于", "chanyu", "cy"),  # the compound surname keeps its own reading
    ("李曾", "liceng", "lc"),  # only the surname is read as a surname
    ("", "", ""),
])
def test_pinyin_of_names(name, pinyin, initials):
    assert validators.pinyin_of(name) == (pinyin, initials)


def test_pinyin_ignores_latin_letters_and_digits():
    assert validators.pinyin_of("李A明1") == ("liming", "lm")


def test_a_person_born_today_in_beijing_passes_while_the_server_is_still_on_yesterday():
    """07:30 in Beijing is 23:30 UTC the day before: a birth date of Beijing's today is not in the future."""
    born = datetime.date(2026, 12, 4)
    first17 = f"220102{born:%Y%m%d}001"
    value = first17 + validators.id_check_digit(first17)
    with time_machine.travel(datetime.datetime(2026, 12, 4, 7, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=8))),
                             tick=False):
        validators.validate_id_number(value)
        tomorrow = f"220102{born + datetime.timedelta(days=1):%Y%m%d}001"
        with pytest.raises(ValidationError) as exc:
            validators.validate_id_number(tomorrow + validators.id_check_digit(tomorrow))
        assert exc.value.code == "id_birth"
