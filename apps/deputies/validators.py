"""Checks and normal forms for roster values: ID numbers (GB 11643), phones, masking, pinyin."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")
_PHONE_RE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8})$")


def id_check_digit(first17: str) -> str:
    """The GB 11643-1999 check character for the first 17 digits of an ID number."""
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS)) % 11]


def id_birth_date(value: str) -> date | None:
    try:
        return date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def validate_id_number(value: str) -> None:
    if not _ID_RE.match(value or ""):
        raise ValidationError(_("An ID number has 18 characters: 17 digits and a final digit or X."),
                              code="id_format")
    birth = id_birth_date(value)
    if birth is None or birth > timezone.localdate():
        raise ValidationError(_("The birth date inside the ID number is not a real date."), code="id_birth")
    if id_check_digit(value[:17]) != value[17]:
        raise ValidationError(_("The ID number's check digit is wrong; please check for a typing error."),
                              code="id_check")


def validate_phone(value: str) -> None:
    if value and not _PHONE_RE.match(value):
        raise ValidationError(_("A phone number is an 11-digit mobile number or a landline such as 0431-88888888."),
                              code="phone")


def mask_id_number(value: str) -> str:
    """220102********1234: the region code and the last four stay, the birth date is hidden."""
    if not value:
        return ""
    return value[:6] + "*" * (len(value) - 10) + value[-4:] if len(value) > 10 else "*" * len(value)


def mask_phone(value: str) -> str:
    """138****5678."""
    if not value:
        return ""
    return value[:3] + "*" * (len(value) - 7) + value[-4:] if len(value) > 7 else "*" * len(value)


_FULLWIDTH = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20


def normalize_text(value) -> str:
    """Full-width letters and digits to ASCII, stray and inner spaces around the text removed."""
    if value is None:
        return ""
    text = str(value).translate(_FULLWIDTH)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def normalize_id_number(value) -> str:
    return normalize_text(value).replace(" ", "").upper()


def normalize_phone(value) -> str:
    text = normalize_text(value).replace(" ", "")
    if text.endswith(".0") and text[:-2].isdigit():  # a number cell read as a float
        text = text[:-2]
    return text


# Surnames read differently from the character's everyday reading, which pypinyin would give
# (曾 zeng not ceng, 朴 piao not pu); without them "zgf" would not find 曾国藩.
_SURNAME_PINYIN = {
    "曾": "zeng", "单": "shan", "解": "xie", "仇": "qiu", "朴": "piao", "查": "zha", "区": "ou", "乐": "yue",
    "盖": "ge", "覃": "qin", "缪": "miao", "翟": "zhai", "召": "shao", "种": "chong", "员": "yun", "秘": "bi",
    "繁": "po", "黑": "he", "句": "gou", "薄": "bo", "卜": "bu", "隗": "wei", "都": "du", "重": "chong",
}
# Compound surnames that start with one of the characters above and that pypinyin already reads right.
_COMPOUND_SURNAMES = {"单于"}


def pinyin_of(name: str) -> tuple[str, str]:
    """The name in toneless pinyin and its initials: 张三丰 → ("zhangsanfeng", "zsf"), 曾国藩 → ("zengguofan", "zgf")."""
    from pypinyin import Style, lazy_pinyin

    name = name or ""
    if len(name) >= 2 and name[0] in _SURNAME_PINYIN and name[:2] not in _COMPOUND_SURNAMES:
        syllables = [_SURNAME_PINYIN[name[0]], *lazy_pinyin(name[1:], style=Style.NORMAL, errors="ignore")]
    else:
        syllables = lazy_pinyin(name, style=Style.NORMAL, errors="ignore")
    syllables = [s.lower() for s in syllables]
    return "".join(syllables), "".join(s[0] for s in syllables if s)
