"""Core's figures for ``manage.py bench`` (``FIGURES``; see that command for the shared machinery):

- ``security_matrix_urls`` and ``security_routed_urls`` (``security``): the routes covered by the role × URL
  permission matrices of the test suite (``tests/security/url_matrix.py``), of all routes outside the admin site.
"""

import sys

from django.conf import settings

from apps.core.registry import BenchFamily


def security_figures(bench) -> None:
    sys.path.insert(0, str(settings.BASE_DIR))
    from tests.security.url_matrix import covered, routed

    routes = set(routed())
    bench.figure("security_matrix_urls", len(routes & covered()), "urls")
    bench.figure("security_routed_urls", len(routes), "urls")


FIGURES = [BenchFamily("security", 400, security_figures)]
