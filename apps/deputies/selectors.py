"""Reads of the roster, always scoped to what the user may see."""

import re

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from apps.core import roles
from apps.core.access import jurisdiction_scope, sees_roster
from apps.core.crypto import lookup_hash
from apps.deputies.models import ElectoralUnit, Mandate, Person, managed_or_elected_in_q

_ASCII_RE = re.compile(r"^[a-zA-Z]+$")


def managed_mandates(user, *, queryset=None) -> QuerySet[Mandate]:
    """Mandates the user's office manages (edits, ends, exports with personal data): its congress's or below."""
    qs = Mandate.objects.all() if queryset is None else queryset
    if not sees_roster(user):
        return qs.none()
    return qs.filter(jurisdiction_scope(user))


def visible_mandates(user, *, jurisdiction_ids=None, queryset=None) -> QuerySet[Mandate]:
    """Mandates the user may see: those managed by their jurisdiction or one below it, and (read-only) the
    higher congresses' mandates elected in its area (``Mandate.objects.organised_in``): a county office sees
    the city deputies elected in the county, whose group it organises.

    ``jurisdiction_ids``, when the caller already read them (the roster's ``filter_options``), are those
    jurisdictions; the scope is then a plain ``IN`` on the mandate row and on its electoral unit's area, with
    no join. ``queryset`` narrows an already filtered queryset of mandates instead of all of them.
    """
    qs = Mandate.objects.all() if queryset is None else queryset
    if not sees_roster(user):
        return qs.none()
    if jurisdiction_ids is not None:
        ids = list(jurisdiction_ids)
        return qs.filter(Q(jurisdiction_id__in=ids)
                         | Q(electoral_unit_id__in=ElectoralUnit.objects.filter(area_id__in=ids).values("pk")))
    return qs.filter(managed_or_elected_in_q(user.jurisdiction.path))


def visible_people(user, *, managed: bool = False) -> QuerySet[Person]:
    """People the user may see: a deputy sees themself; roster roles see anyone with a mandate in scope (with
    ``managed``, only a mandate their office manages: the people whose records it may change)."""
    qs = Person.objects.none()
    if sees_roster(user):
        mandates = managed_mandates(user) if managed else visible_mandates(user)
        qs = Person.objects.filter(Exists(mandates.filter(person=OuterRef("pk"))))
    if user.has_role(roles.DEPUTY) and user.person_id:
        qs = qs | Person.objects.filter(pk=user.person_id)
    return qs


def person_for_user(user, pk: int, *, managed: bool = False) -> Person:
    """The person with ``pk`` if the user may see them (with ``managed``: change them), else 404.

    Each mandate carries ``in_scope``: whether the user manages it (a county's staff see a person's municipal
    mandate on the record but may not edit it). ``person.managed`` says whether any of them is: a person seen
    only as a deputy elected in the office's area is read-only to it.
    """
    in_scope = jurisdiction_scope(user) if sees_roster(user) else Q(pk__in=[])
    person = (
        visible_people(user, managed=managed)
        .prefetch_related(Prefetch("mandates", queryset=Mandate.objects.select_related(
            "term", "jurisdiction", "electoral_unit", "delegation", "group")
            .annotate(in_scope=ExpressionWrapper(in_scope, output_field=BooleanField()))
            .order_by("-start_date")))
        .filter(pk=pk)
        .first()
    )
    if person is None:
        raise Http404
    person.managed = any(m.in_scope for m in person.mandates.all())
    return person


def mandate_for_user(user, pk: int) -> Mandate:
    """A mandate the user's office manages (to edit or end it), else 404."""
    mandate = managed_mandates(user).select_related("person", "term").filter(pk=pk).first()
    if mandate is None:
        raise Http404
    return mandate


def mandate_distinction(mandate: Mandate) -> str:
    """What tells a deputy apart from another of the same name (同名代表): the place and level of the mandate,
    the person's work and birth year, e.g. "朝阳区 · 县(市、区)级 · 长春一汽 工程师 · 1971年生". Reads the
    mandate's ``jurisdiction`` and ``person`` (select them with it)."""
    person = mandate.person
    parts = [mandate.jurisdiction.short_name or mandate.jurisdiction.name, mandate.get_level_display()]
    work = " ".join(p for p in (person.employer, person.post) if p)
    if work:
        parts.append(work)
    if person.birth_date:
        parts.append(_("born %(year)s") % {"year": person.birth_date.year})
    return " · ".join(parts)


def search_filter(q: str) -> Q:
    """Name search: Chinese matches inside the name; Latin letters match pinyin initials or full pinyin."""
    q = (q or "").strip()
    if not q:
        return Q()
    if _ASCII_RE.match(q):
        q = q.lower()
        return Q(person__name_initials__startswith=q) | Q(person__name_pinyin__startswith=q)
    if q.isdigit() or (len(q) == 18 and q[:17].isdigit()):
        # ID numbers and phones are encrypted: found whole, by their lookup hashes
        return (Q(person__id_number_hash=lookup_hash(q, "id_number"))
                | Q(person__phone_hash=lookup_hash(q, "phone")))
    return Q(person__name__contains=q)


def roster_rows(qs: QuerySet[Mandate]) -> QuerySet[Mandate]:
    """What one row of the roster list shows, in one query joining only the person.

    The names of the term, jurisdiction, delegation and group come from ``roster_names`` (the filter
    options already read): a six-table join cost more to plan than to run.
    """
    return qs.select_related("person").only(
        "id", "level", "status", "start_date", "end_date", "term_id", "jurisdiction_id", "delegation_id",
        "group_id", "person__id", "person__name", "person__gender", "person__party", "person__ethnicity",
        "person__birth_date", "person__employer", "person__post", "person__phone", "person__id_number",
    )


def roster_names(options: dict, mandates) -> dict[str, dict[int, str]]:
    """{kind: {pk: name}} for the terms, jurisdictions, delegations and groups of ``mandates``.

    Taken from ``filter_options``; a record outside those (not expected: a mandate in scope has its term,
    jurisdiction, delegation and group in scope) is read in one more query rather than shown blank.
    """
    from apps.core.models import Jurisdiction
    from apps.deputies.models import Delegation, DeputyGroup, Term

    names = {kind: dict(options.get(kind, ())) for kind in ("term", "jurisdiction", "delegation", "group")}
    models = {"term": Term, "jurisdiction": Jurisdiction, "delegation": Delegation, "group": DeputyGroup}
    for kind, model in models.items():
        missing = {getattr(m, f"{kind}_id") for m in mandates} - names[kind].keys() - {None}
        if missing:
            names[kind].update(model.objects.filter(pk__in=missing).values_list("pk", "name"))
    return names


def export_rows(qs: QuerySet[Mandate]) -> QuerySet[Mandate]:
    return qs.select_related("person", "term", "jurisdiction", "electoral_unit", "delegation", "group")


_OPTIONS_SQL = """
SELECT kind, id, name FROM (
    SELECT 'term' AS kind, t.id, t.name, j.path AS sort_key
      FROM deputies_term t JOIN core_jurisdiction j ON j.id = t.jurisdiction_id WHERE j.path LIKE %(scope)s
    UNION ALL
    SELECT 'jurisdiction', j.id, j.name, j.path FROM core_jurisdiction j WHERE j.path LIKE %(scope)s
    UNION ALL
    SELECT 'delegation', d.id, d.name, t.name
      FROM deputies_delegation d JOIN deputies_term t ON t.id = d.term_id
      JOIN core_jurisdiction j ON j.id = t.jurisdiction_id WHERE j.path LIKE %(scope)s
    UNION ALL
    SELECT 'group', g.id, g.name, g.name
      FROM deputies_deputygroup g JOIN core_jurisdiction j ON j.id = g.jurisdiction_id WHERE j.path LIKE %(scope)s
) options
ORDER BY kind, sort_key, name
"""


def filter_options(user) -> dict[str, list[tuple[int, str]]]:
    """The choices of the roster's term, jurisdiction, delegation and group filters, in one query.

    Terms in jurisdiction order, jurisdictions as a tree, delegations by term, groups by name. Plain SQL:
    the roster list reads this on every request, and compiling a four-part ORM union cost more than running it.
    """
    from django.db import connection

    options: dict[str, list] = {"term": [], "jurisdiction": [], "delegation": [], "group": []}
    jurisdiction = getattr(user, "jurisdiction", None)
    if jurisdiction is None:
        return options
    with connection.cursor() as cursor:
        cursor.execute(_OPTIONS_SQL, {"scope": jurisdiction.path + "%"})
        for kind, pk, name in cursor.fetchall():
            options[kind].append((pk, name))
    return options


def history_for_person(person: Person) -> list[dict]:
    """The change history of a person and their mandates, newest first, each with the fields changed.

    Changed values read as people read them (a choice's label, a related record's name); those names, and the
    terms of the mandates, are read in one query per related model, not once per change.
    """
    from collections import defaultdict

    from apps.deputies.models import Term
    from apps.deputies.validators import mask_id_number, mask_phone

    records = list(person.history.select_related("history_user"))
    records += list(Mandate.history.filter(person_id=person.pk).select_related("history_user"))
    records.sort(key=lambda r: (r.history_date, r.history_id))

    previous: dict = {}
    raw = []  # (record, [(field, old, new)])
    wanted = defaultdict(set)  # related model -> pks whose names are shown
    for record in records:
        key = (record.instance_type, record.id)
        before = previous.get(key)
        previous[key] = record
        changes = []
        if before is not None and record.history_type == "~":
            for change in record.diff_against(before).changes:
                field = record.instance_type._meta.get_field(change.field)
                changes.append((field, change.old, change.new))
                if field.is_relation:
                    wanted[field.related_model].update(v for v in (change.old, change.new) if v not in (None, ""))
        if record.instance_type is Mandate:
            wanted[Term].add(record.term_id)
        raw.append((record, changes))
    names = {model: {pk: str(obj) for pk, obj in model._default_manager.in_bulk(pks).items()}
             for model, pks in wanted.items()}

    def readable(field, value):
        if value in (None, ""):
            return value
        if field.name == "id_number":
            return mask_id_number(value)
        if field.name == "phone":
            return mask_phone(value)
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        if field.is_relation:
            return names[field.related_model].get(value, value)
        return value

    entries = []
    for record, changes in raw:
        if record.instance_type is Mandate:
            label = f"{person.name} · {names[Term].get(record.term_id, '')}"
        else:
            label = record.name
        entries.append({
            "date": record.history_date,
            "user": record.history_user,
            "type": record.get_history_type_display(),
            "kind": record.instance_type._meta.verbose_name,
            "object": label,
            "changes": [{"field": field.verbose_name, "old": readable(field, old), "new": readable(field, new)}
                        for field, old, new in changes],
        })
    entries.reverse()
    return entries
