import pytest

from tests.reports.support import make_deputies


@pytest.fixture
def media(settings, tmp_path):
    """Report files go to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def deputies(city, media):
    """Five municipal deputies of the city, scored for the year."""
    return make_deputies(city, 5)

