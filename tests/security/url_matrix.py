"""The project's URLs and the permission matrices that cover them.

Each app's permission tests hold a table of its URL names (``URLS`` and the like) and check every URL × every
role against it. This module collects those tables, walks the URL resolver for every named route, and says
which routes no matrix covers: a new URL without a row in its app's matrix fails ``test_url_matrix``. The
bench's ``security_matrix_urls`` figure counts the covered routes.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

# namespace → [(test module, name of its URL table)]
MATRICES = {
    "deputies": [("tests.deputies.test_permissions", "ROSTER_URLS")],
    "liaison": [("tests.liaison.test_plans_permissions", "PLAN_URLS"),
                ("tests.liaison.test_contacts_permissions", "URLS"),
                ("tests.liaison.test_participation_permissions", "URLS"),
                ("tests.liaison.test_index", "URLS")],
    "activities": [("tests.activities.test_activities_permissions", "URLS"),
                   ("tests.activities.test_self_reports_permissions", "URLS")],
    "training": [("tests.training.test_permissions", "URLS")],
    "stations": [("tests.stations.test_permissions", "URLS")],
    "proposals": [("tests.proposals.test_deputy_permissions", "URLS"),
                  ("tests.proposals.test_office_permissions", "URLS"),
                  ("tests.proposals.test_unit_permissions", "URLS"),
                  ("tests.proposals.test_board_permissions", "URLS"),
                  ("tests.proposals.test_config_permissions", "URLS"),
                  ("tests.proposals.test_published", "URLS"),
                  ("tests.proposals.test_leader_permissions", "URLS")],
    "covenant": [("tests.covenant.test_permissions", "URLS")],
    "funds": [("tests.funds.test_permissions", "URLS")],
    "publicity": [("tests.publicity.test_permissions", "URLS")],
    "reports": [("tests.reports.test_permissions", "URLS")],
    "scoring": [("tests.scoring.test_rules_permissions", "URLS"), ("tests.scoring.test_record_permissions", "URLS")],
    "me": [("tests.scoring.test_record_permissions", "ME_URLS")],
    "analytics": [("tests.analytics.test_permissions", "URLS")],
    "materials": [("tests.materials.test_permissions", "URLS")],
    "notices": [("tests.notices.test_permissions", "URLS")],
    "opendata": [("tests.opendata.test_permissions", "URLS")],
    "intake": [("tests.intake.test_permissions", "URLS")],
    "core": [("tests.security.test_url_matrix", "CORE_URLS")],
    "accounts": [("tests.security.test_url_matrix", "ACCOUNT_URLS"), ("tests.security.test_otp", "URLS"),
                 ("tests.security.test_separation_of_duties", "PAGES")],
    "": [("tests.security.test_url_matrix", "ROOT_URLS")],
}
# Routed by Django's admin site, which has its own permission checks (and is closed to all but superusers).
EXCLUDED_NAMESPACES = {"admin"}


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name" or "name"
    namespace: str
    arguments: tuple[tuple[str, str], ...]  # (keyword, converter) of each argument: ("pk", "int") ...

    def example_kwargs(self, value: int = 999999) -> dict:
        """Arguments that name no record (an int converter gets ``value``; others a plausible word)."""
        examples = {"int": value, "path": "x", "slug": "x", "str": "x", "uuid": "00000000-0000-0000-0000-000000000000"}
        return {key: examples.get(conv, "2026-01" if "month" in key else value) for key, conv in self.arguments}


def _walk(patterns, namespace: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            child = entry.namespace or namespace
            if child in EXCLUDED_NAMESPACES:
                continue
            yield from _walk(entry.url_patterns, child)
        elif isinstance(entry, URLPattern) and entry.name:
            arguments = tuple((key, type(c).__name__.replace("Converter", "").lower())
                              for key, c in entry.pattern.converters.items())
            yield Route(name=f"{namespace}:{entry.name}" if namespace else entry.name, namespace=namespace,
                        arguments=arguments)


def routed() -> dict[str, Route]:
    """Every named route of the project (outside the admin site), by qualified name."""
    routes = {}
    for route in _walk(get_resolver().url_patterns):
        routes.setdefault(route.name, route)
    return routes


def covered() -> set[str]:
    """Qualified names of the routes some permission matrix lists."""
    names = set()
    for namespace, tables in MATRICES.items():
        for module_name, table in tables:
            module = importlib.import_module(module_name)
            for name in getattr(module, table):
                names.add(f"{namespace}:{name}" if namespace else name)
    return names


def uncovered() -> list[str]:
    return sorted(set(routed()) - covered())
