"""A static files finder for the one file of Apache ECharts the analysis pages load, from the pinned npm package.

The package's ``dist`` folder holds 50 MB of other builds and source maps, which a ``STATICFILES_DIRS`` entry
would have ``collectstatic`` copy and compress for nothing; this finder offers only ``echarts.min.js``, at
``vendor/echarts/echarts.min.js`` (the same place a ``("vendor/echarts", .../dist)`` entry would give it).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Error
from django.core.files.storage import FileSystemStorage

PREFIX = "vendor/echarts"
FOLDER = ("echarts", "dist")
FILES = ("echarts.min.js",)


def _storage() -> FileSystemStorage:
    storage = FileSystemStorage(location=str(settings.NODE_MODULES.joinpath(*FOLDER)))
    storage.prefix = PREFIX
    return storage


class EChartsFinder(BaseFinder):
    def check(self, **kwargs):
        missing = [name for name in FILES if not _storage().exists(name)]
        if missing:
            return [Error(f"node_modules/{'/'.join(FOLDER)} has no {', '.join(missing)}: run npm ci",
                          id="analytics.E001")]
        return []

    def find(self, path, find_all=False, **kwargs):
        name = path.removeprefix(PREFIX + "/") if path.startswith(PREFIX + "/") else None
        if name not in FILES or not _storage().exists(name):
            return []  # as Django's own finders answer "not here"
        found = _storage().path(name)
        return [found] if find_all else found

    def list(self, ignore_patterns):
        storage = _storage()
        for name in FILES:
            if storage.exists(name):
                yield name, storage
