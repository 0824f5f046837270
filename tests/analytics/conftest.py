import pytest
import time_machine

from tests.analytics.support import TODAY, build


@pytest.fixture
def frozen():
    with time_machine.travel(f"{TODAY.isoformat()}T10:00:00+08:00", tick=False):
        yield


@pytest.fixture
def world(frozen, city, county, other_county, city_term, county_term, other_county_term):
    return build(city=city, county=county, other_county=other_county, city_term=city_term,
                 county_term=county_term, other_county_term=other_county_term)
