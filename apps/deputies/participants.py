"""Who took part: resolving names, bodies and levels to people and the mandate each took part under.

Shared by activities and training (both record one row per person, under one mandate). The candidates of an
event are the mandates serving on its date in the organiser's jurisdiction or below it; a person holding
several is recorded under the one at the organiser's level, else the nearest level to it (higher first).

Everything here reads; the writes are the services of each app. A resolution with any ambiguous or unknown
name is not ``ok`` and nothing may be saved from it.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.db.models import CharField, QuerySet, Value
from django.db.models.functions import Concat

from apps.core.models import Jurisdiction
from apps.deputies.models import LEVEL_ORDER, Mandate
from apps.deputies.selectors import mandate_distinction

# Separators in a pasted list of names: new lines, commas, enumeration commas, semicolons, spaces (also
# full-width), and the "/" some sheets use.
_SEPARATORS = re.compile(r"[\s,，、;；/|]+")
# Annotations people paste with a name: "张三（请假）", "李四(市人大)".
_ANNOTATION = re.compile(r"[（(][^）)]*[）)]")


def split_names(text: str) -> list[str]:
    """The names in a pasted list, in order, each once (annotations in brackets dropped)."""
    names: list[str] = []
    seen = set()
    for raw in _SEPARATORS.split(_ANNOTATION.sub(" ", text or "")):
        name = raw.strip().replace("·", "·")
        if name and name not in seen:
            seen.add(name)
            names.append(name)
    return names


def eligible_mandates(*, jurisdiction: Jurisdiction, on: datetime.date) -> QuerySet[Mandate]:
    """Mandates serving on ``on`` that ``jurisdiction``'s office organises: its congress's or one below it, and
    the higher congresses' mandates elected in its area (``Mandate.objects.organised_in``)."""
    return Mandate.objects.organised_in(jurisdiction).serving(on=on)


def level_preference(level: str, organiser_level: str) -> tuple[int, int]:
    """Order of preference of a mandate's level: the organiser's level, then nearest, higher levels first."""
    distance = LEVEL_ORDER.index(level) - LEVEL_ORDER.index(organiser_level)
    return abs(distance), 0 if distance < 0 else 1


def choose_mandates(rows, *, level: str) -> dict[int, int]:
    """``{person_id: mandate_id}`` from ``(mandate_id, person_id, level)`` rows, one mandate per person."""
    best: dict[int, tuple[tuple[int, int], int]] = {}
    for mandate_id, person_id, mandate_level in rows:
        rank = (level_preference(mandate_level, level), mandate_id)
        if person_id not in best or rank < best[person_id][0]:
            best[person_id] = (rank, mandate_id)
    return {person_id: mandate_id for person_id, (_r, mandate_id) in best.items()}


def mandates_for_people(person_ids, *, jurisdiction: Jurisdiction, level: str,
                        on: datetime.date) -> dict[int, int]:
    """The mandate each person takes part under; people with no eligible mandate are left out (one query)."""
    rows = (eligible_mandates(jurisdiction=jurisdiction, on=on)
            .filter(person_id__in=person_ids if isinstance(person_ids, QuerySet) else list(person_ids))
            .values_list("id", "person_id", "level"))
    return choose_mandates(rows, level=level)


def body_mandates(*, jurisdiction: Jurisdiction, level: str, on: datetime.date, delegation_id: int | None = None,
                  group_id: int | None = None, mandate_level: str | None = None) -> dict[int, int]:
    """Everyone of a delegation, a deputy group or a whole level, ``{person_id: mandate_id}`` (two queries at
    most: the members, then the mandate each takes part under)."""
    members = eligible_mandates(jurisdiction=jurisdiction, on=on)
    if delegation_id is not None:
        members = members.filter(delegation_id=delegation_id)
    elif group_id is not None:
        members = members.filter(group_id=group_id)
    elif mandate_level is not None:
        members = members.filter(level=mandate_level)
    else:
        return {}
    return mandates_for_people(members.values_list("person_id", flat=True), jurisdiction=jurisdiction, level=level, on=on)


@dataclass
class Candidate:
    """One of several people of the same name, with what tells them apart."""

    person_id: int
    mandate_id: int
    name: str
    description: str  # e.g. "朝阳区 · 县(市、区)级 · 长春一汽 工程师"


@dataclass
class Resolution:
    """Names resolved to people; ``people`` keeps the order of the input."""

    people: dict[int, int] = field(default_factory=dict)  # person_id → mandate_id
    names: dict[int, str] = field(default_factory=dict)  # person_id → name
    ambiguous: dict[str, list[Candidate]] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.ambiguous and not self.unknown


def resolve_names(names: list[str], *, jurisdiction: Jurisdiction, level: str, on: datetime.date,
                  choices: dict[str, int] | None = None) -> Resolution:
    """Resolve names (exact) among the event's candidates, in two queries whatever the number of names.

    A name held by several people is ambiguous unless ``choices`` names one of them (``{name: person_id}``);
    a name held by nobody eligible is unknown.
    """
    choices = choices or {}
    result = Resolution()
    if not names:
        return result
    # ``name || ''`` rather than the bare column: the trigram index on names answers "=" too, but slowly for
    # hundreds of names (seconds at 长春 scale); this way the planner joins the eligible mandates instead.
    rows = (eligible_mandates(jurisdiction=jurisdiction, on=on)
            .alias(exact_name=Concat("person__name", Value(""), output_field=CharField()))
            .filter(exact_name__in=names)
            .select_related("person", "jurisdiction")
            .order_by("person__name_pinyin", "person_id", "pk"))
    by_name: dict[str, dict[int, list[Mandate]]] = {}
    for mandate in rows:
        by_name.setdefault(mandate.person.name, {}).setdefault(mandate.person_id, []).append(mandate)
    for name in names:
        people = by_name.get(name)
        if not people:
            result.unknown.append(name)
            continue
        chosen = choices.get(name)
        if len(people) > 1 and chosen not in people:
            result.ambiguous[name] = [_candidate(mandates, level) for mandates in people.values()]
            continue
        person_id = chosen if len(people) > 1 else next(iter(people))
        mandates = people[person_id]
        result.people[person_id] = choose_mandates(
            [(m.pk, m.person_id, m.level) for m in mandates], level=level)[person_id]
        result.names[person_id] = name
    return result


def _candidate(mandates: list[Mandate], level: str) -> Candidate:
    best = min(mandates, key=lambda m: (level_preference(m.level, level), m.pk))
    return Candidate(person_id=best.person.pk, mandate_id=best.pk, name=best.person.name,
                     description=mandate_distinction(best))
