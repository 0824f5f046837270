"""The scoring figures of ``make bench`` measure the real engine on what is stored and leave it as it was: the
first computation of a year runs on the year's scores deleted inside a transaction that is rolled back."""

from apps.scoring import bench
from apps.scoring.models import Score, ScoreLine
from tests.scoring.factories import YEAR
from tests.scoring.rules_support import attend, city_published, make_activity, score_of  # noqa: F401


def _stored():
    return (sorted(Score.objects.values_list("pk", "mandate_id", "total", "computed_at")),
            sorted(ScoreLine.objects.values_list("score_id", "item_id", "count", "points")))


def test_the_first_computation_of_a_year_is_timed_and_nothing_stored_changes(city_published, municipal_mandate,
                                                                             city):
    attend(make_activity(city, title="又一次视察"), municipal_mandate)
    bench.score_all_s(YEAR)  # stored scores now count every record
    before = _stored()
    assert score_of(city_published, municipal_mandate).lines.exists()

    seconds, scored = bench.score_first_s(YEAR)

    assert seconds > 0 and scored == 1
    assert _stored() == before


def test_the_recomputation_and_the_floor_agree(city_published, municipal_mandate):
    seconds, scored = bench.score_all_s(YEAR)
    floor, differ = bench.score_sql_floor_s(YEAR)
    assert seconds > 0 and floor > 0 and scored == 1 and differ == 0
