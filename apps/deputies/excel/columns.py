"""The roster workbook's columns (代表名册的列): their headers, kinds and help, the other spellings real
workbooks use for headers and coded values, and the template's example row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy, pgettext_lazy

from apps.deputies.excel.cells import header_key, text_key
from apps.deputies.models import Education, ElectoralUnit, Gender, Level, Mandate, Occupation, Party, Person

LANGUAGES = ("zh-hans", "en")


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise
    kind: str  # short | text | name | id | phone | birth | date | choice | ref
    required: bool = False
    choices: type | None = None
    width: int = 14
    help: Promise | str = ""
    aliases: tuple = ()  # other headers real workbooks use for the column


COLUMNS = [
    Column("name", gettext_lazy("Name"), "name", True, width=10,
           help=gettext_lazy("Full name; spaces inside a Chinese name are removed.")),
    Column("gender", gettext_lazy("Gender"), "choice", True, Gender, width=6),
    Column("ethnicity", gettext_lazy("Ethnicity"), "short", True, width=8,
           help=gettext_lazy("For example: Han.")),
    Column("birth_date", gettext_lazy("Birth date"), "birth", width=12,
           aliases=(pgettext_lazy("roster header alias", "Year and month of birth"),),
           help=gettext_lazy("A date such as 1975-03-12, 1975/3/12, 1975.03.12 or 19750312; a month alone "
                             "(1975-03) is accepted. May be left empty: it is then taken from the ID number.")),
    Column("id_number", gettext_lazy("ID number"), "id", True, width=21,
           aliases=(pgettext_lazy("roster header alias", "ID card number"), pgettext_lazy("roster header alias", "Citizen ID number")),
           help=gettext_lazy("18 characters, checked against the national check digit. Keep the column "
                             "formatted as text so that Excel keeps every digit. People are matched by it.")),
    Column("phone", gettext_lazy("Phone"), "phone", width=14,
           aliases=(pgettext_lazy("roster header alias", "Contact phone"), pgettext_lazy("roster header alias", "Mobile number")),
           help=gettext_lazy("An 11-digit mobile number or a landline such as 0431-88888888.")),
    Column("party", gettext_lazy("Party"), "choice", True, Party, width=12,
           aliases=(pgettext_lazy("roster header alias", "Political affiliation"),),
           help=gettext_lazy("Choose from the list; common short names are accepted too.")),
    Column("education", pgettext_lazy("schooling", "Education"), "choice", False, Education, width=12,
           aliases=(pgettext_lazy("roster header alias", "Level of schooling"),)),
    Column("employer", gettext_lazy("Employer"), "text", width=24),
    Column("post", gettext_lazy("Post"), "short", width=14),
    Column("sector", gettext_lazy("Sector"), "short", width=12),
    Column("occupation", gettext_lazy("Occupation category"), "choice", False, Occupation, width=14),
    Column("address", gettext_lazy("Address"), "text", width=24),
    Column("level", gettext_lazy("Level"), "choice", False, Level, width=10,
           help=gettext_lazy("May be left empty: the term gives it.")),
    Column("term", gettext_lazy("Term"), "ref", True, width=16,
           help=gettext_lazy("A term of your jurisdiction or one below it, chosen from the list; a short form "
                             "such as 第十六届 is accepted when the level and your jurisdiction leave one term.")),
    Column("electoral_unit", gettext_lazy("Electoral unit"), "ref", width=16,
           aliases=(pgettext_lazy("roster header alias", "Constituency"),),
           help=gettext_lazy("Created in the term's jurisdiction if it does not exist yet.")),
    Column("delegation", gettext_lazy("Delegation"), "ref", width=16,
           help=gettext_lazy("Must already exist in the term.")),
    Column("group", gettext_lazy("Deputy group"), "ref", width=18,
           help=gettext_lazy("Must already exist in the term's jurisdiction or one below it.")),
    Column("start_date", gettext_lazy("Start date"), "date", True, width=12,
           help=gettext_lazy("The day the mandate started, not before the term started.")),
    Column("status", gettext_lazy("Status"), "choice", False, Mandate.Status, width=8,
           help=gettext_lazy("Leave empty for a serving deputy.")),
    Column("end_date", gettext_lazy("End date"), "date", width=12,
           help=gettext_lazy("Only for an ended mandate.")),
    Column("end_reason", gettext_lazy("End reason"), "choice", False, Mandate.EndReason, width=10,
           help=gettext_lazy("Required when the mandate has ended.")),
]
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
PERSON_FIELDS = ["name", "gender", "ethnicity", "birth_date", "id_number", "phone", "party", "education",
                 "employer", "post", "sector", "occupation", "address"]
MANDATE_FIELDS = ["electoral_unit_id", "delegation_id", "group_id", "start_date", "status", "end_date",
                  "end_reason"]
MAX_LENGTH = {f: Person._meta.get_field(f).max_length for f in PERSON_FIELDS if f != "birth_date"}
MAX_LENGTH.update({"electoral_unit": ElectoralUnit._meta.get_field("name").max_length})

# Other spellings people use in coded columns, beside the label and the code. They are msgids so that the
# Chinese forms live in the .po file; each is accepted in both languages.
ALIASES = {
    Gender: {
        Gender.MALE: [pgettext_lazy("roster import alias", "Man"), "m"],
        Gender.FEMALE: [pgettext_lazy("roster import alias", "Woman"), "f"],
    },
    Party: {
        Party.CPC: [pgettext_lazy("roster import alias", "Communist Party of China (full name)"), pgettext_lazy("roster import alias", "CPC"),
                    pgettext_lazy("roster import alias", "CPC member"), pgettext_lazy("roster import alias", "CPC probationary member")],
        Party.RCCK: [pgettext_lazy("roster import alias", "RCCK (full name)"), pgettext_lazy("roster import alias", "RCCK member")],
        Party.CDL: [pgettext_lazy("roster import alias", "CDL (full name)"), pgettext_lazy("roster import alias", "CDL member")],
        Party.CNDCA: [pgettext_lazy("roster import alias", "CNDCA (full name)"), pgettext_lazy("roster import alias", "CNDCA member")],
        Party.CAPD: [pgettext_lazy("roster import alias", "CAPD (full name)"), pgettext_lazy("roster import alias", "CAPD member")],
        Party.CPWDP: [pgettext_lazy("roster import alias", "CPWDP (full name)"), pgettext_lazy("roster import alias", "CPWDP member")],
        Party.ZHI_GONG: [pgettext_lazy("roster import alias", "Zhi Gong Party (full name)"),
                         pgettext_lazy("roster import alias", "Zhi Gong Party member")],
        Party.JIUSAN: [pgettext_lazy("roster import alias", "Jiusan Society member")],
        Party.TDSGL: [pgettext_lazy("roster import alias", "TDSGL (full name)"), pgettext_lazy("roster import alias", "TDSGL member")],
        Party.NONPARTISAN: [pgettext_lazy("roster import alias", "Nonpartisan")],
    },
    Education: {
        Education.DOCTORATE: [pgettext_lazy("roster import alias", "Doctor")],
        Education.MASTER: [pgettext_lazy("roster import alias", "Master")],
        # GB/T 4658 学历 categories as rosters write them: 研究生, 大学, 大专, 中专, 高中 (see EDUCATION_FORMS)
        Education.GRADUATE: [pgettext_lazy("roster import alias", "Postgraduate (category)")],
        Education.BACHELOR: [pgettext_lazy("roster import alias", "Undergraduate"),
                             pgettext_lazy("roster import alias", "University")],
        Education.COLLEGE: [pgettext_lazy("roster import alias", "Junior college"), pgettext_lazy("roster import alias", "Specialist college"),
                            pgettext_lazy("roster import alias", "Higher vocational college"),
                            pgettext_lazy("roster import alias", "Higher vocational or junior college")],
        Education.SECONDARY: [pgettext_lazy("roster import alias", "High school"),
                              pgettext_lazy("roster import alias", "Technical secondary school"),
                              pgettext_lazy("roster import alias", "Secondary specialised school"),
                              pgettext_lazy("roster import alias", "Ordinary high school"),
                              pgettext_lazy("roster import alias", "Vocational high school"),
                              pgettext_lazy("roster import alias", "Vocational high school (short)"),
                              pgettext_lazy("roster import alias", "Technical school"),
                              pgettext_lazy("roster import alias", "Technical school (short)"),
                              pgettext_lazy("roster import alias", "Technical secondary school (short)")],
        Education.PRIMARY: [pgettext_lazy("roster import alias", "Junior middle school"), pgettext_lazy("roster import alias", "Primary school")],
    },
    Level: {
        Level.NATIONAL: [pgettext_lazy("roster import alias", "National level")],
        Level.PROVINCIAL: [pgettext_lazy("roster import alias", "Provincial level"), pgettext_lazy("roster import alias", "Province")],
        Level.MUNICIPAL: [pgettext_lazy("roster import alias", "Municipal level"), pgettext_lazy("roster import alias", "City")],
        Level.COUNTY: [pgettext_lazy("roster import alias", "County level"), pgettext_lazy("roster import alias", "County (short)"),
                       pgettext_lazy("roster import alias", "District")],
        Level.TOWNSHIP: [pgettext_lazy("roster import alias", "Township level"), pgettext_lazy("roster import alias", "Township (short)"),
                         pgettext_lazy("roster import alias", "Town")],
    },
}

# Words rosters append to a 学历 ("本科毕业", "大专学历", "高中文化"), compared after text_key().
EDUCATION_SUFFIXES = ("毕业", "学历", "文化", "程度", "graduate")

# The template's example row; it is skipped on import while its name and ID number are left unchanged.
EXAMPLE_ID_NUMBER = "220102197503120014"
EXAMPLE = {
    "name": gettext_lazy("Zhang San"), "gender": Gender.MALE, "ethnicity": gettext_lazy("Han"),
    "birth_date": date(1975, 3, 12), "id_number": EXAMPLE_ID_NUMBER, "phone": "13912345678",
    "party": Party.CPC, "education": Education.BACHELOR,
    "employer": gettext_lazy("Changchun Municipal Bureau of Commerce"), "post": gettext_lazy("Director"),
    "sector": gettext_lazy("Economic sector"), "occupation": Occupation.OFFICIAL,
    "address": gettext_lazy("1 Renmin Street, Nanguan District, Changchun"), "level": Level.MUNICIPAL,
    "term": gettext_lazy("16th Municipal People's Congress"), "electoral_unit": gettext_lazy("Nanguan District"),
    "delegation": gettext_lazy("Nanguan District delegation"), "group": gettext_lazy("Nanguan District group 1"),
    "start_date": date(2022, 1, 1), "status": Mandate.Status.SERVING, "end_date": None, "end_reason": "",
}


def choice_lookup(choices) -> dict[str, str]:
    """Every accepted spelling of a coded column's values (labels in both languages, aliases, codes), by
    ``text_key``."""
    lookup = {}
    for lang in LANGUAGES:
        with translation.override(lang):
            for value, label in choices.choices:
                lookup[text_key(label)] = value
                for alias in ALIASES.get(choices, {}).get(value, []):
                    lookup.setdefault(text_key(alias), value)
    for value in choices.values:
        lookup[text_key(value)] = value
    return lookup


def header_lookup() -> dict[str, Column]:
    """Every accepted header (labels and aliases in both languages, keys), by ``header_key``."""
    lookup = {}
    for lang in LANGUAGES:
        with translation.override(lang):
            for column in COLUMNS:
                for label in (column.label, *column.aliases):
                    lookup.setdefault(header_key(str(label)), column)
    for column in COLUMNS:
        lookup[column.key] = column
    return lookup


def choice_labels() -> dict[str, dict[str, str]]:
    """The labels of each coded column's values, in the active language."""
    return {c.key: {v: str(label) for v, label in c.choices.choices} for c in COLUMNS if c.kind == "choice"}
