"""The table of score sources: one entry per ``Source``, each read the same way by the engine, the record pages
and the default rules (what each entry counts is checked against the engine by ``test_engine``)."""

import pytest

from apps.scoring import sources
from apps.scoring.models import ACTIVITY_SOURCES, Source


def test_every_source_has_one_entry_with_its_label():
    assert list(sources.SOURCES) == list(Source)
    for key, entry in sources.SOURCES.items():
        assert entry.key is key
        assert entry.label == key.label


def test_only_activity_sources_are_counted_by_activity_type():
    assert {key for key, entry in sources.SOURCES.items() if entry.by_activity_type} == set(ACTIVITY_SOURCES)
    assert {entry.kind for entry in sources.SOURCES.values() if entry.by_activity_type} == {sources.PARTICIPATIONS}


def test_a_line_links_to_the_section_listing_its_records():
    assert sources.section_of(Source.ACTIVITY_PRESENT, "session") == "meetings"
    assert sources.section_of(Source.ACTIVITY_ABSENT, "inspection") == "inspections"
    assert sources.section_of(Source.ACTIVITY_LEAVE, "theme_practice") == "group-activities"
    assert sources.section_of(Source.ACTIVITY_PRESENT, "something_else") == "other-activities"
    assert {key: sources.section_of(key, None) for key in Source if key not in ACTIVITY_SOURCES} == {
        Source.TRAINING: "training", Source.RECEPTION: "receptions", Source.SUGGESTION_LEAD: "proposals",
        Source.SUGGESTION_COSIGN: "proposals", Source.MOTION_LEAD: "proposals", Source.MOTION_COSIGN: "proposals",
        Source.KEY_SUGGESTION: "proposals", Source.VOTER_REPORT: "voter-reports",
        Source.COMMENDATION: "commendations", Source.ADOPTED_OPINION: ""}
    assert sources.section_of("no_such_source", None) == ""


def test_the_engine_counts_each_kind_of_record_in_one_aggregate():
    statements = sources.counting_statements()
    assert len(statements) == len(sources.KINDS)
    for kind, statement in zip(sources.KINDS, statements, strict=True):
        assert statement.count("GROUP BY") == 1
        for key, entry in sources.SOURCES.items():
            assert (f"i.source = '{key.value}'" in statement) == (entry.kind is kind)
    assert set(sources.sql_params()) == {"states", "adopted"}


def test_an_unknown_source_has_no_entry():
    with pytest.raises(ValueError, match="^no_such_source$"):
        sources.source_of("no_such_source")


def test_default_items_are_in_the_order_of_their_positions():
    positions = [default.position for _key, default in sources.default_items()]
    assert positions == sorted(positions) and len(set(positions)) == len(positions)
    assert all((default.activity_type is not None) == (key in ACTIVITY_SOURCES)
               for key, default in sources.default_items())
