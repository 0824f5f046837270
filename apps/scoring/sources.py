"""The score sources (what a rule item counts): one entry each in :data:`SOURCES`, read by everything in scoring
that depends on the source — the engine's counting statement, the records behind a score line with their links
and labels, the section of the performance record that lists them, and the default rule set.

An entry (:class:`ScoreSource`) says:

- its key and label: a ``Source`` choice (``apps.scoring.models``: the choices of ``RuleItem.source``, which the
  migrations record);
- the kind of record it counts (:class:`RecordKind`, one per model): the engine counts all the sources of a kind
  in one ``GROUP BY`` of its statement, over every rule set at once (never a query per deputy);
- its rule within that kind, twice side by side: ``match``, SQL on the kind's aliases, for the engine, and
  ``where``, a ``Q`` on the kind's model, for the lists of records (the property test holds the two equal);
- the section of the performance record that lists its records (activity sources: by the activity's type);
- its items in the default rule set (《履职管理办法》, ``apps.scoring.defaults``).

Adding a source: a ``Source`` choice (and its migration) and an entry here. A new kind of record also needs a
:class:`RecordKind` and receivers in ``apps.scoring.signals``, so that scores follow writes of its records.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Model, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from apps.activities.models import Activity, Participation
from apps.deputies.models import Mandate
from apps.liaison.models import Invitation, Invitee, Opinion
from apps.proposals.models import Proposal, Signature
from apps.proposals.rules import COUNTED_STATES  # proposals owns which states count
from apps.scoring.models import ACTIVITY_SOURCES, Commendation, RuleItem, Source, VoterReport
from apps.scoring.sections import (
    SECTION_COMMENDATIONS, SECTION_PROPOSALS, SECTION_RECEPTIONS, SECTION_TRAINING, SECTION_VOTER_REPORTS,
    activity_section,
)
from apps.stations.models import ReceptionDay
from apps.training.models import TrainingAttendance, TrainingSession

ADOPTED = [Opinion.Outcome.ADOPTED.value, Opinion.Outcome.PARTLY_ADOPTED.value]


def _t(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _within(column: str, subset: bool) -> str:
    """A few mandates' refresh counts rule sets of several years at once: each record in its own set's year."""
    return f" AND {column} BETWEEN s.y_first AND s.y_last" if subset else ""


def _local_date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date()
    return value


@dataclass(frozen=True)
class Route:
    """A record's page: a URL name and its arguments, taken from the record."""

    name: str
    args: Callable[[Any], list]

    def url(self, obj) -> str:
        """The page's URL; an empty string when the route is not installed."""
        try:
            return reverse(self.name, args=self.args(obj))
        except NoReverseMatch:
            return ""


@dataclass(frozen=True, eq=False)  # each kind is itself (compared and hashed by identity)
class RecordKind:
    """Records of one model that score sources count.

    ``counting(match, subset)``: the engine's ``SELECT … GROUP BY`` giving ``(rule_set_id, mandate_id, item_id,
    n)`` for every item of this kind's sources, over the engine's CTEs ``scope s`` (rule set × mandate) and
    ``items i``, with ``match`` (the sources' conditions, ORed) in its join to ``items``; its parameters are the
    engine's ``%(first)s``, ``%(last)s`` (the dates of the year), ``%(year)s`` / ``%(years)s`` and the ``params``
    of the kind and of its sources. With ``subset`` (a few mandates' refresh) the rule sets may be of several
    years.
    ``records(item, mandate, first, last)``: the same records of one mandate, in list order, before the
    source's ``where``. ``label(record)``: its (date, text) in lists. ``url`` / ``deputy_url``: its page for the
    staff / for the deputy (none: the record has no such page).
    """

    model: type[Model]
    counting: Callable[[str, bool], str]
    records: Callable[[RuleItem, Mandate, datetime.date, datetime.date], QuerySet]
    label: Callable[[Any], tuple[datetime.date | None, str]]
    url: Route | None = None
    deputy_url: Route | None = None
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Default:
    """An item of the default rule set: its position, label, kind, points per occurrence and cap (decimals as
    text), and for an activity source the code of the activity type."""

    position: int
    label: str
    kind: str
    points: str
    cap: str | None
    activity_type: str | None = None


@dataclass(frozen=True)
class ScoreSource:
    """One ``Source``: the records it counts and how (see the module's docstring)."""

    key: Source
    kind: RecordKind
    match: str = ""  # SQL on the kind's aliases, beside ``i.source = key`` ("": every record of the kind)
    where: Q = field(default_factory=Q)  # the same rule on the kind's model
    section: str = ""  # anchor of the record's section listing the records ("": not on the record)
    defaults: tuple[Default, ...] = ()
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.key.label

    @property
    def by_activity_type(self) -> bool:
        """Items of this source name an activity type: records count for the item of their type."""
        return self.key in ACTIVITY_SOURCES

    def sql_condition(self) -> str:
        return f"i.source = '{self.key.value}'" + (f" AND {self.match}" if self.match else "")


# --- the kinds of records ----------------------------------------------------------------------------------------

def _participations_sql(match: str, subset: bool) -> str:
    """Participations of the mandate in activities of the item's type that start in the year (an activity
    counts once for the mandate it was recorded under)."""
    return f"""
    SELECT s.rule_set_id, p.mandate_id, i.id AS item_id, count(DISTINCT p.activity_id) AS n
      FROM {_t(Participation)} p
      JOIN {_t(Activity)} a ON a.id = p.activity_id AND a.start_date BETWEEN %(first)s AND %(last)s
      JOIN scope s ON s.mandate_id = p.mandate_id
      JOIN items i ON i.rule_set_id = s.rule_set_id AND i.activity_type_id = a.type_id{_within("a.start_date", subset)}
       AND ({match})
     GROUP BY 1, 2, 3"""


PARTICIPATIONS = RecordKind(
    model=Participation,
    counting=_participations_sql,
    records=lambda item, mandate, first, last: (
        Participation.objects.select_related("activity", "activity__type")
        .filter(mandate=mandate, activity__type_id=item.activity_type_id, activity__start_date__range=(first, last))
        .order_by("activity__start_date", "pk")),
    label=lambda o: (o.activity.start_date, o.activity.title),
    url=Route("activities:activity_detail", lambda o: [o.activity_id]),
)


def _training_sql(match: str, subset: bool) -> str:
    """Training sessions in the year the mandate attended."""
    return f"""
    SELECT s.rule_set_id, ta.mandate_id, i.id AS item_id, count(DISTINCT ta.session_id) AS n
      FROM {_t(TrainingAttendance)} ta
      JOIN {_t(TrainingSession)} ts ON ts.id = ta.session_id AND ts.date BETWEEN %(first)s AND %(last)s
      JOIN scope s ON s.mandate_id = ta.mandate_id
      JOIN items i ON i.rule_set_id = s.rule_set_id AND ({match}){_within("ts.date", subset)}
     GROUP BY 1, 2, 3"""


TRAINING = RecordKind(
    model=TrainingAttendance,
    counting=_training_sql,
    records=lambda item, mandate, first, last: (
        TrainingAttendance.objects.select_related("session", "session__program")
        .filter(mandate=mandate, session__date__range=(first, last)).order_by("session__date", "pk")),
    label=lambda o: (o.session.date, f"{o.session.program.title} · {o.session.title}"),
    url=Route("training:program_detail", lambda o: [o.session.program_id]),
)


def _receptions_sql(match: str, subset: bool) -> str:
    """Reception days in the year the person was on duty for: the person's, counted once per score."""
    return f"""
    SELECT s.rule_set_id, s.mandate_id, i.id AS item_id, count(DISTINCT rd.id) AS n
      FROM {_t(ReceptionDay.deputies.through)} d
      JOIN {_t(ReceptionDay)} rd ON rd.id = d.receptionday_id AND rd.date BETWEEN %(first)s AND %(last)s
      JOIN scope s ON s.person_id = d.person_id
      JOIN items i ON i.rule_set_id = s.rule_set_id AND ({match}){_within("rd.date", subset)}
     GROUP BY 1, 2, 3"""


RECEPTIONS = RecordKind(
    model=ReceptionDay,
    counting=_receptions_sql,
    records=lambda item, mandate, first, last: (
        ReceptionDay.objects.select_related("station")
        .filter(deputies=mandate.person_id, date__range=(first, last)).order_by("date", "pk")),
    label=lambda o: (o.date, o.station.name),
    url=Route("stations:station_detail", lambda o: [o.station_id]),
)


def _signatures_sql(match: str, subset: bool) -> str:
    """Items of the year (submitted or further: not a draft, returned or withdrawn) the mandate signed."""
    proposal_year = "pr.year = ANY(%(years)s)" if subset else "pr.year = %(year)s"
    same_year = " AND pr.year = s.year" if subset else ""
    return f"""
    SELECT s.rule_set_id, sg.mandate_id, i.id AS item_id, count(DISTINCT sg.proposal_id) AS n
      FROM {_t(Signature)} sg
      JOIN {_t(Proposal)} pr ON pr.id = sg.proposal_id AND {proposal_year} AND pr.state = ANY(%(states)s)
      JOIN scope s ON s.mandate_id = sg.mandate_id
      JOIN items i ON i.rule_set_id = s.rule_set_id{same_year} AND ({match})
     GROUP BY 1, 2, 3"""


SIGNATURES = RecordKind(
    model=Signature,
    counting=_signatures_sql,
    records=lambda item, mandate, first, last: (
        Signature.objects.select_related("proposal")
        .filter(mandate=mandate, proposal__year=first.year, proposal__state__in=COUNTED_STATES)
        .order_by("proposal__submitted_at", "pk")),
    label=lambda o: (_local_date(o.proposal.submitted_at), o.proposal.title),
    url=Route("proposals:proposal_detail", lambda o: [o.proposal_id]),
    deputy_url=Route("proposals:my_proposal_detail", lambda o: [o.proposal_id]),
    params={"states": list(COUNTED_STATES)},
)


def _dated_of_mandate(model, label: Callable[[Any], tuple[datetime.date | None, str]], url: Route) -> RecordKind:
    """Records of the mandate's own with a ``date``: those dated in the year count, one each (reports to voters,
    commendations)."""

    def counting(match: str, subset: bool) -> str:
        return f"""
    SELECT s.rule_set_id, r.mandate_id, i.id AS item_id, count(*) AS n
      FROM {_t(model)} r
      JOIN scope s ON s.mandate_id = r.mandate_id
      JOIN items i ON i.rule_set_id = s.rule_set_id AND ({match}){_within("r.date", subset)}
     WHERE r.date BETWEEN %(first)s AND %(last)s
     GROUP BY 1, 2, 3"""

    return RecordKind(
        model=model,
        counting=counting,
        records=lambda item, mandate, first, last: (
            model.objects.filter(mandate=mandate, date__range=(first, last)).order_by("date", "pk")),
        label=label,
        url=url,
    )


VOTER_REPORTS = _dated_of_mandate(VoterReport, label=lambda o: (o.date, o.place),
                                  url=Route("scoring:voter_report_edit", lambda o: [o.pk]))
COMMENDATIONS = _dated_of_mandate(Commendation, label=lambda o: (o.date, f"{o.title}（{o.awarded_by}）"),
                                  url=Route("scoring:commendation_edit", lambda o: [o.pk]))


def _opinions_sql(match: str, subset: bool) -> str:
    """Opinions of the person from invitations in the year: the person's, counted once per score."""
    return f"""
    SELECT s.rule_set_id, s.mandate_id, i.id AS item_id, count(DISTINCT o.id) AS n
      FROM {_t(Opinion)} o
      JOIN {_t(Invitee)} iv ON iv.id = o.invitee_id
      JOIN {_t(Invitation)} inv ON inv.id = iv.invitation_id AND inv.date BETWEEN %(first)s AND %(last)s
      JOIN scope s ON s.person_id = iv.person_id
      JOIN items i ON i.rule_set_id = s.rule_set_id AND ({match}){_within("inv.date", subset)}
     GROUP BY 1, 2, 3"""


OPINIONS = RecordKind(
    model=Opinion,
    counting=_opinions_sql,
    records=lambda item, mandate, first, last: (
        Opinion.objects.select_related("invitee__invitation")
        .filter(invitee__person_id=mandate.person_id, invitee__invitation__date__range=(first, last))
        .order_by("invitee__invitation__date", "pk")),
    label=lambda o: (o.invitee.invitation.date, o.invitee.invitation.title),
    url=Route("liaison:invitation_detail", lambda o: [o.invitee.invitation_id]),
)

# In the order of the engine's statement.
KINDS = (PARTICIPATIONS, TRAINING, RECEPTIONS, SIGNATURES, VOTER_REPORTS, COMMENDATIONS, OPINIONS)


# --- the sources -------------------------------------------------------------------------------------------------

ITEM, BONUS, DEDUCTION = RuleItem.Kind.ITEM, RuleItem.Kind.BONUS, RuleItem.Kind.DEDUCTION

SOURCES: dict[Source, ScoreSource] = {entry.key: entry for entry in (
    ScoreSource(
        Source.ACTIVITY_PRESENT, PARTICIPATIONS, match="p.attendance = 'present'", where=Q(attendance="present"),
        defaults=(Default(10, "出席人民代表大会会议", ITEM, "10", "10", "session"),
                  Default(20, "列席常委会会议", ITEM, "3", "6", "standing_meeting"),
                  Default(30, "参加视察", ITEM, "2", "6", "inspection"),
                  Default(40, "参加专题调研", ITEM, "2", "6", "survey"),
                  Default(50, "参加执法检查", ITEM, "2", "6", "enforcement_check"),
                  Default(70, "参加主题实践活动", ITEM, "2", "6", "theme_practice"),
                  Default(80, "参加代表小组活动", ITEM, "1", "4", "group_activity"))),
    ScoreSource(
        Source.ACTIVITY_LEAVE, PARTICIPATIONS, match="p.attendance = 'leave'", where=Q(attendance="leave"),
        defaults=(Default(190, "请假缺席人民代表大会会议", DEDUCTION, "2", None, "session"),)),
    ScoreSource(
        Source.ACTIVITY_ABSENT, PARTICIPATIONS, match="p.attendance = 'absent'", where=Q(attendance="absent"),
        defaults=(Default(180, "无故缺席人民代表大会会议", DEDUCTION, "10", None, "session"),)),
    ScoreSource(
        Source.TRAINING, TRAINING, match="ta.attendance = 'present'", where=Q(attendance="present"),
        section=SECTION_TRAINING, defaults=(Default(60, "参加履职培训", ITEM, "1", "5"),)),
    ScoreSource(
        Source.RECEPTION, RECEPTIONS, section=SECTION_RECEPTIONS,
        defaults=(Default(90, "进站接待选民", ITEM, "1", "4"),)),
    ScoreSource(
        Source.SUGGESTION_LEAD, SIGNATURES, match="pr.kind = 'suggestion' AND sg.role = 'lead'",
        where=Q(proposal__kind="suggestion", role="lead"), section=SECTION_PROPOSALS,
        defaults=(Default(100, "领衔提出建议", ITEM, "2", "8"),)),
    ScoreSource(
        Source.SUGGESTION_COSIGN, SIGNATURES,
        match="pr.kind = 'suggestion' AND sg.role = 'cosigner' AND sg.confirmed_at IS NOT NULL",
        where=Q(proposal__kind="suggestion", role="cosigner", confirmed_at__isnull=False), section=SECTION_PROPOSALS,
        defaults=(Default(110, "附议建议", ITEM, "0.5", "2"),)),
    ScoreSource(
        Source.MOTION_LEAD, SIGNATURES, match="pr.kind = 'motion' AND sg.role = 'lead'",
        where=Q(proposal__kind="motion", role="lead"), section=SECTION_PROPOSALS,
        defaults=(Default(120, "领衔提出议案", ITEM, "4", "8"),)),
    ScoreSource(
        Source.MOTION_COSIGN, SIGNATURES,
        match="pr.kind = 'motion' AND sg.role = 'cosigner' AND sg.confirmed_at IS NOT NULL",
        where=Q(proposal__kind="motion", role="cosigner", confirmed_at__isnull=False), section=SECTION_PROPOSALS,
        defaults=(Default(130, "附议议案", ITEM, "1", "3"),)),
    ScoreSource(
        Source.KEY_SUGGESTION, SIGNATURES, match="pr.is_key AND sg.role = 'lead'",
        where=Q(proposal__is_key=True, role="lead"), section=SECTION_PROPOSALS,
        defaults=(Default(150, "重点建议", BONUS, "2", "4"),)),
    ScoreSource(
        Source.VOTER_REPORT, VOTER_REPORTS, section=SECTION_VOTER_REPORTS,
        defaults=(Default(140, "向选民述职", ITEM, "5", "5"),)),
    ScoreSource(
        Source.ADOPTED_OPINION, OPINIONS, match="o.outcome = ANY(%(adopted)s)", where=Q(outcome__in=ADOPTED),
        params={"adopted": ADOPTED}, defaults=(Default(160, "意见建议被采纳", BONUS, "1", "3"),)),
    ScoreSource(
        Source.COMMENDATION, COMMENDATIONS, section=SECTION_COMMENDATIONS,
        defaults=(Default(170, "受到表彰", BONUS, "3", "6"),)),
)}

if set(SOURCES) != set(Source) or {entry.kind for entry in SOURCES.values()} != set(KINDS):
    raise ImproperlyConfigured("apps.scoring.sources: one entry per Source, each of a kind in KINDS")


# --- reading the table --------------------------------------------------------------------------------------------

def source_of(key: str) -> ScoreSource:
    """The entry of a ``Source`` value (a ``ValueError`` for anything else)."""
    try:
        return SOURCES[Source(key)]
    except (KeyError, ValueError):
        raise ValueError(key) from None


def counting_statements(subset: bool = False) -> list[str]:
    """One ``SELECT … GROUP BY`` per kind of record, in the order of :data:`KINDS`, matching each kind's sources."""
    statements = []
    for kind in KINDS:
        conditions = [entry.sql_condition() for entry in SOURCES.values() if entry.kind is kind]
        match = conditions[0] if len(conditions) == 1 else " OR ".join(f"({c})" for c in conditions)
        statements.append(kind.counting(match, subset))
    return statements


def sql_params() -> dict[str, Any]:
    """The parameters the counting statements use besides the engine's own."""
    params: dict[str, Any] = {}
    for entry in SOURCES.values():
        params |= entry.kind.params | entry.params
    return params


def kind_of(record) -> RecordKind | None:
    """The kind of a record that a score line counts (None for anything else)."""
    return next((kind for kind in KINDS if isinstance(record, kind.model)), None)


def section_of(key: str, activity_type: str | None) -> str:
    """Anchor of the record's section listing what an item of ``key`` counts ("" when no section lists it)."""
    entry = SOURCES.get(key)
    if entry is None:
        return ""
    return activity_section(activity_type) if entry.by_activity_type else entry.section


def default_items() -> list[tuple[Source, Default]]:
    """The items of the default rule set, in their order."""
    return sorted(((entry.key, default) for entry in SOURCES.values() for default in entry.defaults),
                  key=lambda pair: pair[1].position)
