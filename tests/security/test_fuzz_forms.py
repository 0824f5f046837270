"""Property-based fuzzing of every form, and bad query parameters on every page: no 500 response, no partial write.

Each named route without arguments (``url_matrix.routed()``) and a few record pages (edit forms of a person, an
activity, a training program, a station...) is opened by a signed-in user of the role that works there. Every
``<form method="post">`` posting back to the page is parsed (input/select/textarea names, with their initial
values and options) and hypothesis posts random data to it: text with CJK and control characters, huge strings,
numbers and dates as text, badly formed dates, empty values, the form's own options. The page must never
answer 500, and when it does not redirect (the form was refused) the business tables must hold as many rows as
before that one POST. Before the forms, each page is opened with bad query parameters — a NUL, huge and
out-of-range numbers, impossible dates and months — in every name its GET forms and the views read: never a
500, and a NUL is refused with a 400 page.
"""

from __future__ import annotations

import traceback
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.factories import UserFactory
from tests.hypothesis_budget import FORM_FUZZ_EXAMPLES
from tests.scoring.factories import YEAR as SCORED_YEAR
from tests.scoring.rules_support import city_dispute, city_published, city_score  # noqa: F401 (fixtures)
from tests.security.url_matrix import routed

BUSINESS_TABLES = [
    "deputies_person", "deputies_mandate", "activities_activity", "activities_participation",
    "training_trainingprogram", "training_trainingsession", "training_trainingattendance", "stations_station",
    "stations_receptionday", "stations_votervisit", "liaison_contact", "accounts_user",
    "proposals_proposal", "proposals_signature", "proposals_assignment", "proposals_deadline",
    "proposals_communication", "proposals_reply", "proposals_rating", "proposals_extensionrequest",
    "proposals_supervisionrecord", "proposals_handlingrule", "proposals_category", "core_calendarday",
    "core_handlingunit", "deputies_session",
    "scoring_ruleset", "scoring_ruleitem", "scoring_gradeband", "scoring_dispute", "scoring_voterreport",
    "scoring_commendation", "covenant_committeemeeting", "covenant_meetingattendance", "covenant_speech",
    "covenant_covenantnotice", "covenant_leaverequest", "covenant_admonition", "reports_reportbatch",
    "funds_budget", "funds_expenditure", "publicity_publicityitem",
    "materials_document", "materials_documentpack",
    "notices_notice", "notices_noticeattachment",
]

# Pages that are not business forms (sign-in/out, language switch) or only work with an anonymous visitor.
NOT_FUZZED = {"accounts:login", "accounts:logout", "set_language", "accounts:otp_verify"}

DEPUTY_PAGES = {
    "activities:self_report_create", "activities:my_activities", "liaison:my_thread_create", "liaison:my_thread_list",
    "liaison:my_request_list", "liaison:my_participation", "liaison:member_my", "stations:my_reception_days",
    "proposals:mine", "proposals:proposal_new", "proposals:cosign_list", "proposals:my_proposal_edit",
    "proposals:my_proposal_detail", "me:me", "me:me_pdf", "me:me_dispute", "notices:notice_read",
}
UNIT_PAGES = {"proposals:unit_inbox", "proposals:unit_assignment"}
MEMBER_PAGES = {"covenant:my_covenant"}
SUPERVISOR_PAGES = {"funds:expenditure_detail", "funds:expenditure_return"}
SYSADMIN_PAGES = {"accounts:account_list", "accounts:account_create", "accounts:account_edit"}
SECADMIN_PAGES = {"accounts:role_list", "accounts:role_edit", "accounts:security_policy", "accounts:lockout_list"}

# Record pages fuzzed: route → how to build the record it needs (see ``_record_kwargs``).
RECORD_PAGES = [
    "deputies:person_edit", "deputies:mandate_add", "deputies:mandate_edit", "deputies:mandate_end",
    "activities:activity_edit", "training:program_edit", "training:session_create", "training:session_edit",
    "stations:station_edit", "stations:reception_day_create", "stations:reception_day_edit", "stations:visit_edit",
    "stations:visit_follow_up", "stations:visit_close", "accounts:account_edit", "accounts:role_edit",
    "liaison:request_edit", "proposals:my_proposal_edit", "proposals:rule_edit",
    # scoring: a draft rule set, its items and grade bands; a dispute to resolve; reports to voters and
    # commendations entered for a deputy and edited
    "scoring:rule_set_edit", "scoring:rule_item_create", "scoring:grade_band_edit", "scoring:rule_set_publish",
    "scoring:rule_set_copy", "scoring:dispute_resolve", "scoring:voter_report_create", "scoring:voter_report_edit",
    "scoring:commendation_create", "scoring:commendation_edit",
    # covenant: a committee meeting, its attendance grid and speeches; a draft notice; a talk (约谈)
    "covenant:meeting_edit", "covenant:meeting_attendance", "covenant:speech_create", "covenant:notice_edit",
    "covenant:admonition_edit",
    # funds: entering an expenditure on a budget; a leader's return of a pending one
    "funds:expenditure_create", "funds:expenditure_return",
    # materials: a document's edit form (its file is optional there)
    "materials:document_edit",
    # notices: a meeting notice the deputy replies to
    "notices:notice_read",
]
# Detail pages whose forms post to other routes (add participants, paste names, close a visit...): every POST
# form on them is fuzzed, whatever its action (but sign-out and language), deleting forms last.
DETAIL_PAGES = [
    "deputies:person_detail", "activities:activity_detail", "training:program_detail", "training:session_detail",
    # decisions on a deputy's self-report (verify into a new or an existing activity, reject with a reason)
    "activities:self_report_detail",
    # liaison records: a contact (requests raised in it), a request (notes, closing), a mailbox thread
    "liaison:contact_detail", "liaison:request_detail", "liaison:mailbox_detail",
    # motions and suggestions: the office's actions on a submitted and on a registered item, the unit's on
    # one it handles (sign, communicate, reply, extension), the deputy's on a replied one (rating)
    "proposals:proposal_detail", "proposals:unit_assignment", "proposals:my_proposal_detail",
    # scoring: a rule item (save, delete), a published set's page and the score list (recompute), the deputy's
    # record (dispute a line)
    "scoring:rule_item_edit", "scoring:rule_set_detail", "scoring:score_list", "me:me",
    # covenant: a meeting (speeches, deleting one), a draft notice (publish), the leave requests (decisions)
    "covenant:meeting_detail", "covenant:notice_detail", "covenant:leave_list",
    # covenant: a member's own page
    "covenant:my_covenant",
    # notices: a published notice's receipts (remind the rest)
    "notices:notice_detail",
    # reports: starting a batch, a failed batch (restart)
    "reports:batch_list", "reports:batch_detail",
    # funds: a pending expenditure (a leader approves or returns it)
    "funds:expenditure_detail",
]
QUERY = {"stations:visit_create": "station"}  # pages that first ask for a record by ?name=pk
PARAMS = {"me:me": f"year={SCORED_YEAR}"}  # pages opened on a year with records


def _role_for(name: str) -> str:
    if name in DEPUTY_PAGES:
        return "deputy_user"
    if name in SYSADMIN_PAGES:
        return "sysadmin_user"
    if name in SECADMIN_PAGES:
        return "secadmin_user"
    if name in UNIT_PAGES:
        return "unit_user"
    if name in MEMBER_PAGES:
        return "member_user"
    if name in SUPERVISOR_PAGES:
        return "supervisor_user"
    return "staff_user"


def _pages() -> list[str]:
    routes = routed()
    plain = sorted(name for name, route in routes.items()
                   if not route.arguments and name not in NOT_FUZZED and name not in DETAIL_PAGES)
    return plain + [name for name in RECORD_PAGES + DETAIL_PAGES if name in routes]


# --- parsing the page's forms -------------------------------------------------------------------------------------

class _Forms(HTMLParser):
    """Collects every form: method, action and its fields (name → kind, initial values, options)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def _field(self, name, kind):
        return self._form["fields"].setdefault(name, {"kind": kind, "initial": [], "options": []})

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"method": (a.get("method") or "get").lower(), "action": a.get("action") or "",
                          "enctype": a.get("enctype") or "", "fields": {}}
            self.forms.append(self._form)
            return
        if self._form is None or (tag in ("input", "select", "textarea") and not a.get("name")):
            return
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                kind = "button"
            field = self._field(a["name"], kind)
            value = a.get("value", "on" if kind in ("checkbox", "radio") else "")
            if kind in ("checkbox", "radio", "button"):
                field["options"].append(value)
                if "checked" in a:
                    field["initial"].append(value)
            elif kind != "file":
                field["initial"].append(value)
        elif tag == "button" and a.get("name"):
            self._field(a["name"], "button")["options"].append(a.get("value", ""))
        elif tag == "select":
            self._select = a["name"]
            self._field(a["name"], "select-multiple" if "multiple" in a else "select")
        elif tag == "option" and self._select:
            field = self._form["fields"][self._select]
            value = a.get("value")
            if value is not None:
                field["options"].append(value)
                if "selected" in a:
                    field["initial"].append(value)
        elif tag == "textarea":
            self._textarea = a["name"]
            self._field(a["name"], "textarea")["initial"].append("")

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form["fields"][self._textarea]["initial"][-1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def post_forms(html: str, page_path: str, *, any_action: bool = False) -> list[dict]:
    """The page's POST forms that post back to the page itself (with ``any_action``: every POST form but the
    sign-out and language ones), each with ``url``, the path it posts to; deleting forms come last."""
    parser = _Forms()
    parser.feed(html)
    forms = []
    for form in parser.forms:
        path = urlsplit(form["action"]).path or page_path
        if form["method"] != "post" or (path != page_path and not any_action):
            continue
        try:
            match = resolve(path)
        except Resolver404:
            continue
        if match.view_name in NOT_FUZZED:
            continue
        form["url"] = form["action"] or page_path
        forms.append(form)
    return sorted(forms, key=lambda f: any(w in f["url"] for w in ("delete", "remove", "end", "close", "withdraw")))


# --- query parameters ---------------------------------------------------------------------------------------------

# Every name a view reads from request.GET (grep of ``GET.get``/``GET.getlist`` and the filter forms), added to the
# names of the page's own GET forms.
KNOWN_PARAMS = ["q", "page", "jurisdiction", "year", "state", "proposal", "deputies", "unmasked", "title", "target",
                "station", "post", "person", "month", "member", "mandate", "level", "kind", "group", "format",
                "flagged", "delegation", "day", "content", "collective", "term", "status", "date", "type",
                "unit", "session", "program", "category", "sort", "next", "from", "to", "start", "end"]
# One request per kind of bad value, every parameter set to it: a NUL (refused once, by the middleware, with a
# 400 page), huge numbers, numbers out of range, impossible dates and months, text where a number is read.
QUERY_VALUES = ["a\x00b", "9" * 400, str(10 ** 40), "-99999999999999999999", "2026-02-30", "2026-13", "0000-00-00",
                "NaN", "1e309", "查" * 2000, "-1", "0"]


def get_params(html: str) -> list[str]:
    """The names of the fields of every GET form on the page, then the names views read from the query."""
    parser = _Forms()
    parser.feed(html)
    names = [name for form in parser.forms if form["method"] == "get" for name in form["fields"]]
    return list(dict.fromkeys(names + KNOWN_PARAMS))


def fuzz_query(client, url: str, html: str) -> None:
    """GET the page with each bad value in every parameter: never a 500, and a NUL is a 400 page that says so."""
    names = get_params(html)
    path = urlsplit(url).path
    for value in QUERY_VALUES:
        try:
            response = client.get(path, {name: value for name in names})
        except Exception:
            pytest.fail(f"500 on GET {path} with {value[:20]!r} in {names}\n{traceback.format_exc()}")
        assert response.status_code < 500, f"{response.status_code} on GET {path} with {value[:20]!r}"
        if "\x00" in value:
            assert response.status_code == 400, f"NUL in the query of {path} answered {response.status_code}"


# --- the fuzz values ----------------------------------------------------------------------------------------------

BAD_DATES = ["2026-02-30", "2026-13-01", "0000-00-00", "31/12/2026", "99999-01-01", "2026-1-1T25:61", "１９７５年３月",
             "-1", "2026/02/29", "1900-01-01", "9999-12-31", "24:00", "25:61", "2026-06-01 99:99"]
CONTROL = st.characters(codec="utf-8", categories=["Cc", "Cf", "Cs", "Zl", "Zp"], exclude_characters="\r")
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)

fuzz_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.one_of(CJK, CONTROL, st.sampled_from(" \t\n·、，。\x00")), max_size=40),
    st.builds(lambda ch, n: ch * n, st.one_of(CJK, st.sampled_from("x9<")), st.integers(300, 20000)),
    st.integers().map(str),
    st.integers(min_value=-(10 ** 40), max_value=10 ** 40).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.decimals(allow_nan=True).map(str),
    st.dates().map(str),
    st.datetimes().map(lambda d: d.isoformat()),
    st.sampled_from(BAD_DATES),
    st.just(""),
)


def _value_strategy(field: dict):
    options = [o for o in field["options"] if o is not None]
    single = st.one_of(fuzz_text, st.sampled_from(options)) if options else fuzz_text
    if field["kind"] == "file":
        return st.builds(lambda data: SimpleUploadedFile("fuzz.bin", data), st.binary(max_size=2000))
    if field["kind"] in ("select-multiple", "checkbox"):
        return st.lists(single, max_size=4)
    return single


def _payload_strategy(form: dict):
    fields = form["fields"]
    initial = {name: (f["initial"] if f["kind"] in ("select-multiple", "checkbox") else f["initial"][0])
               for name, f in fields.items() if f["initial"] and f["kind"] != "button"}
    overrides = st.fixed_dictionaries({}, optional={name: _value_strategy(f) for name, f in fields.items()})

    @st.composite
    def payload(draw):
        data = dict(initial) if draw(st.booleans()) else {}
        data.update(draw(overrides))
        return data

    return payload()


_EXISTING: list[set[str]] = []  # the business tables this database has, found once per process


def row_counts() -> dict[str, int]:
    """The rows of every business table, in one statement (each example counts before and after its POST)."""
    with connection.cursor() as cursor:
        if not _EXISTING:
            cursor.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")
            _EXISTING.append({row[0] for row in cursor.fetchall()})
        tables = [table for table in BUSINESS_TABLES if table in _EXISTING[0]]
        cursor.execute("SELECT " + ", ".join(f'(SELECT count(*) FROM "{table}")' for table in tables))  # noqa: S608
        return dict(zip(tables, cursor.fetchone(), strict=True))


def _short(data: dict) -> str:
    def cut(v):
        if isinstance(v, str) and len(v) > 80:
            return f"{v[:40]!r}...({len(v)} chars)"
        return repr(v)

    return "{" + ", ".join(f"{k!r}: {cut(v)}" for k, v in data.items()) + "}"


# Values that made a form answer 500 in past runs, posted in every field of every form before the drawn payloads:
# a 'next' field of "-sNaN" (e331816: read as a route name), a NUL (3577adb: refused by the middleware).
PINNED_VALUES = ["-sNaN", "a\x00b"]


def pinned_payloads(form: dict) -> list[dict]:
    """One payload per pinned value, that value in every field (a list for multiple choices, a file for files)."""
    payloads = []
    for value in PINNED_VALUES:
        data = {}
        for name, field in form["fields"].items():
            if field["kind"] == "file":
                data[name] = SimpleUploadedFile("fuzz.bin", value.encode())
            elif field["kind"] in ("select-multiple", "checkbox"):
                data[name] = [value]
            else:
                data[name] = value
        payloads.append(data)
    return payloads


def fuzz_post(client: Client, url: str, form: dict, *, max_examples: int = FORM_FUZZ_EXAMPLES):
    """Post the pinned payloads, then hypothesis-drawn ones, to ``url``: never a 500; a refused post writes
    nothing."""

    @settings(max_examples=max_examples, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                     HealthCheck.data_too_large, HealthCheck.large_base_example])
    @given(data=_payload_strategy(form))
    def check(data):
        before = row_counts()
        try:
            response = client.post(url, data)
        except Exception:  # the test client re-raises what the view raised: that would be a 500
            pytest.fail(f"500 on POST {url} with {_short(data)}\n{traceback.format_exc()}")
        assert response.status_code < 500, f"{response.status_code} on POST {url} with {_short(data)}"
        if response.status_code not in (301, 302, 303):
            assert row_counts() == before, (
                f"partial write: POST {url} answered {response.status_code} (refused) but rows changed "
                f"with {_short(data)}")

    for payload in pinned_payloads(form):
        check = example(data=payload)(check)
    check()


# --- records the record pages need --------------------------------------------------------------------------------

def _record_kwargs(name: str, request, staff_user) -> dict:
    from tests.activities.staff_support import make_activity
    from tests.stations.conftest import make_station
    from tests.training.conftest import make_program, make_session

    city = staff_user.jurisdiction
    mandate = request.getfixturevalue("municipal_mandate")
    if name in ("deputies:person_edit", "deputies:mandate_add"):
        return {"pk": mandate.person.pk}
    if name in ("deputies:mandate_edit", "deputies:mandate_end"):
        return {"pk": mandate.pk}
    if name == "activities:activity_edit":
        return {"pk": make_activity(city, user=staff_user).pk}
    if name in ("training:program_edit", "training:session_create"):
        return {"pk": make_program(city).pk}
    if name == "training:session_edit":
        return {"pk": make_session(make_program(city)).pk}
    if name in ("stations:station_edit", "stations:reception_day_create"):
        return {"pk": make_station(city, deputies=[mandate.person]).pk}
    if name == "deputies:person_detail":
        return {"pk": mandate.person.pk}
    if name == "activities:activity_detail":
        return {"pk": make_activity(city, user=staff_user).pk}
    if name == "training:program_detail":
        return {"pk": make_program(city).pk}
    if name == "training:session_detail":
        return {"pk": make_session(make_program(city)).pk}
    if name == "stations:reception_day_edit":
        import datetime

        from tests.stations.conftest import make_day

        station = make_station(city, name="广场代表工作站", deputies=[mandate.person])
        return {"pk": make_day(station, timezone.localdate() + datetime.timedelta(days=3), deputies=[mandate.person]).pk}
    if name in ("stations:visit_edit", "stations:visit_follow_up", "stations:visit_close"):
        from tests.stations.conftest import make_visit

        station = make_station(city, name="河东代表工作站", deputies=[mandate.person])
        return {"pk": make_visit(station, deputies=[mandate.person], visitor_name="赵女士").pk}
    if name == "activities:self_report_detail":
        from tests.activities.self_report_support import make_report

        deputy = request.getfixturevalue("deputy_user")
        return {"pk": make_report(deputy).pk}
    if name in ("liaison:contact_detail", "liaison:request_detail", "liaison:request_edit"):
        from tests.liaison.contacts_support import make_contact, make_request

        contact = make_contact(_committee_member(city, request.getfixturevalue("city_term")), [mandate.person])
        return {"pk": contact.pk if name == "liaison:contact_detail" else make_request(contact).pk}
    if name == "liaison:mailbox_detail":
        from tests.liaison.contacts_support import make_thread

        return {"pk": make_thread(request.getfixturevalue("deputy_user")).pk}
    if name.startswith("proposals:"):
        return _proposal_kwargs(name, request, staff_user, mandate)
    if name.startswith(("scoring:", "me:")):
        return _scoring_kwargs(name, request, staff_user, mandate)
    if name.startswith("covenant:"):
        return _covenant_kwargs(name, request, staff_user)
    if name.startswith("funds:"):
        from tests.funds.conftest import make_budget, make_expenditure

        budget = make_budget(city, staff_user)
        return {"pk": budget.pk if name == "funds:expenditure_create" else make_expenditure(budget, staff_user).pk}
    if name.startswith("notices:"):
        import datetime

        from apps.notices import services as notice_services

        request.getfixturevalue("deputy_user")
        notice = notice_services.notice_create(
            user=staff_user, jurisdiction=city, title="代表座谈会", body="<p>请回复。</p>", all_serving=True,
            kind="inspection", reply_deadline=timezone.now() + datetime.timedelta(days=3))
        return {"pk": notice.pk}
    if name == "reports:batch_list":
        return {}
    if name == "reports:batch_detail":
        from apps.reports.models import ReportBatch

        return {"pk": ReportBatch.objects.create(year=2025, jurisdiction=city, requested_by=staff_user,
                                                 status=ReportBatch.Status.FAILED, error="ValueError").pk}
    if name in ("accounts:account_edit", "accounts:role_edit"):
        return {"pk": UserFactory(username="fuzz_target", jurisdiction=city).pk}
    if name == "materials:document_edit":
        from tests.materials.conftest import make_document

        return {"pk": make_document(city).pk}
    raise AssertionError(f"no record recipe for {name}")


def _proposal_kwargs(name: str, request, staff_user, mandate) -> dict:
    from apps.proposals.rules import rule_for
    from tests.proposals import factories as proposals

    deputy = request.getfixturevalue("deputy_user")
    if name == "proposals:my_proposal_edit":
        return {"pk": proposals.make_draft(mandate=mandate, user=deputy).pk}
    if name == "proposals:my_proposal_detail":
        return {"pk": proposals.make_replied(mandate=mandate, staff=staff_user, reply_class="B").pk}
    if name == "proposals:proposal_detail":
        return {"pk": proposals.make_submitted(mandate=mandate).pk}
    if name == "proposals:unit_assignment":
        unit = request.getfixturevalue("unit_user").handling_unit
        item = proposals.make_handling(mandate=mandate, staff=staff_user, lead_unit=unit)
        return {"pk": proposals.lead_assignment(item).pk}
    if name == "proposals:rule_edit":
        return {"pk": rule_for(staff_user.jurisdiction, "suggestion").pk}
    raise AssertionError(f"no record recipe for {name}")


def _scoring_kwargs(name: str, request, staff_user, mandate) -> dict:
    from apps.scoring.models import RuleSet
    from tests.scoring import factories as scoring

    if name in ("scoring:rule_set_detail", "scoring:rule_set_copy"):
        return {"pk": request.getfixturevalue("city_published").pk}
    if name == "scoring:score_list":
        request.getfixturevalue("city_published")
        return {}
    if name in ("scoring:rule_set_edit", "scoring:rule_item_create", "scoring:grade_band_edit",
                "scoring:rule_set_publish", "scoring:rule_item_edit"):
        draft = scoring.typical_rule_set(staff_user.jurisdiction, status=RuleSet.Status.DRAFT)
        if name == "scoring:rule_item_edit":
            return {"pk": draft.items.order_by("pk").first().pk}
        return {"pk": draft.pk}
    if name == "scoring:dispute_resolve":
        return {"pk": request.getfixturevalue("city_dispute").pk}
    if name == "me:me":
        request.getfixturevalue("city_score")  # a published score: the page offers to dispute its lines
        return {}
    if name in ("scoring:voter_report_create", "scoring:commendation_create"):
        return {"person_pk": mandate.person.pk}
    if name == "scoring:voter_report_edit":
        return {"pk": scoring.VoterReportFactory(mandate=mandate).pk}
    if name == "scoring:commendation_edit":
        return {"pk": scoring.CommendationFactory(mandate=mandate).pk}
    raise AssertionError(f"no record recipe for {name}")


def _covenant_kwargs(name: str, request, staff_user) -> dict:
    import datetime

    from apps.committee.models import Post
    from tests.covenant import factories as covenant

    city, term = staff_user.jurisdiction, request.getfixturevalue("city_term")
    committee = covenant.special_committee(city)
    members = [covenant.member(term, Post.VICE_DIRECTOR, name="常委丁", committees=[committee]),
               covenant.member(term, Post.MEMBER, name="委员戊", committees=[committee])]
    meeting = covenant.meeting(term, datetime.date(2026, 6, 24), days=2, number=20, title="市人大常委会第二十次会议")
    if name in ("covenant:meeting_edit", "covenant:meeting_attendance", "covenant:speech_create",
                "covenant:meeting_detail"):
        covenant.speech(meeting, members[0])
        return {"pk": meeting.pk}
    if name in ("covenant:notice_edit", "covenant:notice_detail"):
        return {"pk": covenant.notice(city).pk}
    if name == "covenant:admonition_edit":
        return {"pk": covenant.admonition(members[1]).pk}
    if name == "covenant:my_covenant":
        own = covenant.member(term, Post.MEMBER, name="委员己", user=request.getfixturevalue("member_user"),
                              committees=[committee])
        covenant.attend(meeting, own, covenant.P, covenant.L)
        return {}
    if name == "covenant:leave_list":
        covenant.leave_request(members[0], committee, meeting_row=meeting)
        covenant.leave_request(members[1], committee)
        return {}
    raise AssertionError(f"no record recipe for {name}")


def _committee_member(city, term):
    import datetime

    from apps.core import roles
    from apps.committee.models import CommitteeMember, Post
    from tests.factories import PersonFactory

    user = UserFactory(username="fuzz_member", roles=[roles.MEMBER], jurisdiction=city)
    return CommitteeMember.objects.create(term=term, jurisdiction=city, person=PersonFactory(name="常委丙"), user=user,
                                          post=Post.VICE_DIRECTOR, start_date=datetime.date(2022, 1, 1))


@pytest.fixture
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize("name", _pages())
def test_no_form_or_query_answers_500_or_writes_part_of_a_refused_post(request, name, staff_user, municipal_mandate, _media):
    from tests.stations.conftest import make_station

    station = make_station(staff_user.jurisdiction, name="湖西代表工作站", deputies=[municipal_mandate.person])
    route = routed()[name]
    kwargs = _record_kwargs(name, request, staff_user) if route.arguments or name in DETAIL_PAGES else {}
    user = request.getfixturevalue(_role_for(name))
    client = Client()
    client.force_login(user)
    url = reverse(name, kwargs=kwargs)
    if name in QUERY:
        url += f"?{QUERY[name]}={station.pk}"
    if name in PARAMS:
        url += f"?{PARAMS[name]}"
    try:
        page = client.get(url)
    except Exception:
        pytest.fail(f"500 on GET {url}\n{traceback.format_exc()}")
    assert page.status_code < 500, f"{page.status_code} on GET {url}"
    is_html = page.status_code == 200 and "html" in page.get("Content-Type", "")
    if page.status_code == 200:
        fuzz_query(client, url, page.content.decode() if is_html else "")
    forms = post_forms(page.content.decode(), urlsplit(url).path, any_action=name in DETAIL_PAGES) if is_html else []
    if not forms:
        # A page without a form of its own (a list, an export, a search): junk posted to it is refused cleanly
        # and writes nothing.
        before = row_counts()
        junk = {"q": "查" * 5000, "pk": "9" * 5000, "page": "-1", "year": "0", "month": "2026-13"}
        try:
            response = client.post(url, junk)
        except Exception:
            pytest.fail(f"500 on POST {url} with junk\n{traceback.format_exc()}")
        assert response.status_code < 500, f"{response.status_code} on POST {url}"
        if response.status_code not in (302, 303):
            assert row_counts() == before, f"POST {url} wrote rows"
        return
    for form in forms:
        fuzz_post(client, url if form["url"] == urlsplit(url).path else form["url"], form)


def test_the_parser_reads_a_form():
    html = """<form method="post" action=""><input name="a" value="1"><select name="s"><option value="x">X</option>
    <option value="y" selected>Y</option></select><textarea name="t">hi</textarea><input type="checkbox" name="c"
    value="7" checked><button name="go" value="save">Save</button></form><form method="post" action="/logout/">
    <input name="z"></form>""".replace("/logout/", reverse("accounts:logout"))
    [form] = post_forms(html, reverse("deputies:person_create"), any_action=True)
    assert form["fields"]["a"]["initial"] == ["1"]
    assert form["fields"]["s"] == {"kind": "select", "initial": ["y"], "options": ["x", "y"]}
    assert form["fields"]["t"]["initial"] == ["hi"]
    assert form["fields"]["c"]["options"] == ["7"]
    assert form["fields"]["go"]["options"] == ["save"]
