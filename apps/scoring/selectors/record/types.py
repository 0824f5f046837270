"""The parts of a deputy's performance record (履职档案): frozen rows the reader fills and the page and the PDF
render, with the text they print."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from apps.scoring.models import RuleItem
from apps.scoring.sections import SECTIONS
from apps.scoring.selectors.record.text import points_text, rate, rate_text


@dataclass(frozen=True)
class Facts:
    """Basic facts (no ID number, phone or address on this page)."""

    person_id: int
    name: str
    gender: str
    ethnicity: str
    party: str
    employer: str
    post: str


@dataclass(frozen=True)
class MandateRow:
    pk: int
    level: str
    level_label: str
    term: str
    jurisdiction: str
    electoral_unit: str
    delegation: str
    group: str
    status: str
    status_label: str
    start_date: datetime.date
    end_date: datetime.date | None


@dataclass(frozen=True)
class BreakdownLine:
    """One item of a rule set and what it gave the score (points signed: deductions negative)."""

    item_id: int
    label: str
    kind: str
    kind_label: str
    source: str
    count: int
    rule_points: Decimal
    cap: Decimal | None
    uncapped_points: Decimal
    points: Decimal
    section: str  # anchor of the page's section listing the records ("" when not on the page)

    @property
    def capped(self) -> bool:
        return self.points != self.uncapped_points

    @property
    def is_deduction(self) -> bool:
        return self.kind == RuleItem.Kind.DEDUCTION

    # What the page and the PDF print (the same text in both).
    @property
    def points_text(self) -> str:
        return points_text(self.points)

    @property
    def uncapped_text(self) -> str:
        return points_text(self.uncapped_points)

    @property
    def rule_points_text(self) -> str:
        return ("-" if self.is_deduction else "") + points_text(self.rule_points)

    @property
    def cap_text(self) -> str:
        return points_text(self.cap) if self.cap is not None else "—"


@dataclass(frozen=True)
class ScoreCard:
    """A mandate's published score of the year with every item of its rule set."""

    score_id: int
    mandate_id: int
    level: str
    level_label: str
    term: str
    rule_set_id: int
    rule_set_name: str
    rule_set_version: int
    base_points: Decimal
    raw_total: Decimal
    total: Decimal
    grade: str
    grade_label: str
    computed_at: datetime.datetime  # when this score was last computed (its set's run, or its own refresh)
    lines: tuple[BreakdownLine, ...]
    refreshing: bool = False  # a record it counts changed since: its recomputation is queued

    @property
    def lines_total(self) -> Decimal:
        """Base points plus every line: the total before clipping to 0–100."""
        return self.base_points + sum((line.points for line in self.lines), Decimal(0))

    @property
    def clipped(self) -> bool:
        return self.total != self.raw_total

    @property
    def total_text(self) -> str:
        return points_text(self.total)

    @property
    def raw_total_text(self) -> str:
        return points_text(self.raw_total)

    @property
    def base_points_text(self) -> str:
        return points_text(self.base_points)


@dataclass(frozen=True)
class Quality:
    attended: int
    recorded: int
    solved: int
    replied: int
    satisfied: int
    rated: int

    @property
    def attendance_rate(self) -> Decimal | None:
        return rate(self.attended, self.recorded)

    @property
    def a_class_rate(self) -> Decimal | None:
        return rate(self.solved, self.replied)

    @property
    def satisfaction_rate(self) -> Decimal | None:
        return rate(self.satisfied, self.rated)

    @property
    def attendance_text(self) -> str:
        return rate_text(self.attendance_rate)

    @property
    def a_class_text(self) -> str:
        return rate_text(self.a_class_rate)

    @property
    def satisfaction_text(self) -> str:
        return rate_text(self.satisfaction_rate)


@dataclass(frozen=True)
class ActivityRow:
    participation_id: int
    activity_id: int
    date: datetime.date
    title: str
    type_name: str
    type_code: str
    place: str
    attendance: str
    attendance_label: str
    url: str


@dataclass(frozen=True)
class TrainingRow:
    attendance_id: int
    date: datetime.date
    program: str
    session: str
    hours: Decimal
    attendance: str
    attendance_label: str
    url: str


@dataclass(frozen=True)
class ProposalRow:
    signature_id: int
    proposal_id: int
    number: int | None
    kind: str
    kind_label: str
    title: str
    state: str
    state_label: str
    role: str
    role_label: str
    is_key: bool
    reply_class: str
    solved: bool | None
    rating: str
    rating_label: str
    item_rated: bool  # any signer rated a reply of the item
    item_satisfied: bool  # ... and no 不满意 in the latest rated round
    url: str


@dataclass(frozen=True)
class ContactRow:
    contact_id: int
    date: datetime.date
    member: str
    channel_label: str
    summary: str


@dataclass(frozen=True)
class ReceptionRow:
    reception_day_id: int
    date: datetime.date
    station: str
    visits: int
    url: str


@dataclass(frozen=True)
class VisitRow:
    visit_id: int
    date: datetime.date
    station: str
    category_label: str
    status_label: str
    issue: str


@dataclass(frozen=True)
class VoterReportRow:
    pk: int
    mandate_id: int
    date: datetime.date
    place: str
    attendance: int
    satisfied: int
    basically_satisfied: int
    unsatisfied: int
    url: str

    @property
    def evaluations(self) -> int:
        return self.satisfied + self.basically_satisfied + self.unsatisfied


@dataclass(frozen=True)
class CommendationRow:
    pk: int
    mandate_id: int
    date: datetime.date
    title: str
    awarded_by: str
    url: str


@dataclass(frozen=True)
class DisputeRow:
    pk: int
    item_id: int | None
    item_label: str
    comment: str
    status: str
    status_label: str
    resolution: str
    raised_at: datetime.datetime
    resolved_at: datetime.datetime | None
    total_before: Decimal | None
    total_after: Decimal | None


@dataclass(frozen=True)
class PerformanceRecord:
    """Everything on a deputy's performance record for ``year``."""

    year: int
    years: tuple[int, ...]
    facts: Facts
    mandates: tuple[MandateRow, ...]
    scores: tuple[ScoreCard, ...]
    quality: Quality
    meetings: tuple[ActivityRow, ...] = ()
    inspections: tuple[ActivityRow, ...] = ()
    group_activities: tuple[ActivityRow, ...] = ()
    other_activities: tuple[ActivityRow, ...] = ()
    training: tuple[TrainingRow, ...] = ()
    proposals: tuple[ProposalRow, ...] = ()
    contacts: tuple[ContactRow, ...] = ()
    receptions: tuple[ReceptionRow, ...] = ()
    visits: tuple[VisitRow, ...] = ()
    voter_reports: tuple[VoterReportRow, ...] = ()
    commendations: tuple[CommendationRow, ...] = ()
    disputes: tuple[DisputeRow, ...] = field(default=())

    @property
    def person_id(self) -> int:
        return self.facts.person_id

    @property
    def name(self) -> str:
        return self.facts.name

    def section_counts(self) -> list[tuple[str, str, int]]:
        """(anchor, attribute, number of records) of each section, in page order."""
        return [(anchor, attr, len(getattr(self, attr))) for anchor, attr in SECTIONS]
