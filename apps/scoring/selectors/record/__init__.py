"""The deputy's performance record (履职档案): what ``/me/``, the staff's page of a deputy and the annual PDF show.

- ``reader``: reading one or many persons' records for a year, in a fixed number of queries;
- ``types``: the record and its rows (frozen dataclasses the page and the PDF render);
- ``text``: how figures are written (points, rates, kinds of items);
- ``access``: whose record a user may see (the deputy's own; a person of the office user's jurisdiction);
- the page's sections (anchors and order) are ``apps.scoring.sections``.

The names the rest of the code uses are importable from here.
"""

from apps.scoring.sections import SECTION_COMMENDATIONS, SECTION_VOTER_REPORTS, SECTIONS
from apps.scoring.selectors.record.access import office_subject, own_subject, score_line_of
from apps.scoring.selectors.record.reader import default_year, performance_record, performance_records
from apps.scoring.selectors.record.text import points_text, rate
from apps.scoring.selectors.record.types import PerformanceRecord, ScoreCard

__all__ = [
    "SECTIONS", "SECTION_COMMENDATIONS", "SECTION_VOTER_REPORTS", "PerformanceRecord", "ScoreCard",
    "default_year", "office_subject", "own_subject", "performance_record", "performance_records", "points_text",
    "rate", "score_line_of",
]
