"""Reads of the roster, always scoped to what the user may see."""

import re

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from apps.core import roles
from apps.core.access import jurisdiction_scope, sees_roster
from apps.deputies.models import Mandate, Person

_ASCII_RE = re.compile(r"^[a-zA-Z]+$")


def visible_mandates(user) -> QuerySet[Mandate]:
    """Mandates the user may see: those managed by their jurisdiction or one below it."""
    if not sees_roster(user):
        return Mandate.objects.none()
    return Mandate.objects.filter(jurisdiction_scope(user))


def visible_people(user) -> QuerySet[Person]:
    """People the user may see: a deputy sees themself; roster roles see anyone with a mandate in scope."""
    qs = Person.objects.none()
    if sees_roster(user):
        qs = Person.objects.filter(Exists(visible_mandates(user).filter(person=OuterRef("pk"))))
    if user.has_role(roles.DEPUTY) and user.person_id:
        qs = qs | Person.objects.filter(pk=user.person_id)
    return qs


def person_for_user(user, pk: int) -> Person:
    """The person with ``pk`` if the user may see them, else 404.

    Each mandate carries ``in_scope``: whether the user manages it (a county's staff see a person's municipal
    mandate on the record but may not edit it).
    """
    in_scope = jurisdiction_scope(user) if sees_roster(user) else Q(pk__in=[])
    person = (
        visible_people(user)
        .prefetch_related(Prefetch("mandates", queryset=Mandate.objects.select_related(
            "term", "jurisdiction", "electoral_unit", "delegation", "group")
            .annotate(in_scope=ExpressionWrapper(in_scope, output_field=BooleanField()))
            .order_by("-start_date")))
        .filter(pk=pk)
        .first()
    )
    if person is None:
        raise Http404
    return person


def mandate_for_user(user, pk: int) -> Mandate:
    mandate = visible_mandates(user).select_related("person", "term").filter(pk=pk).first()
    if mandate is None:
        raise Http404
    return mandate


def search_filter(q: str) -> Q:
    """Name search: Chinese matches inside the name; Latin letters match pinyin initials or full pinyin."""
    q = (q or "").strip()
    if not q:
        return Q()
    if _ASCII_RE.match(q):
        q = q.lower()
        return Q(person__name_initials__startswith=q) | Q(person__name_pinyin__startswith=q)
    if q.isdigit() or (len(q) == 18 and q[:17].isdigit()):
        return Q(person__id_number=q.upper()) | Q(person__phone=q)
    return Q(person__name__contains=q)


def roster_rows(qs: QuerySet[Mandate]) -> QuerySet[Mandate]:
    """What one row of the roster list shows, in one query."""
    return qs.select_related("person", "term", "jurisdiction", "delegation", "group").only(
        "id", "level", "status", "start_date", "end_date",
        "person__id", "person__name", "person__gender", "person__party", "person__ethnicity",
        "person__birth_date", "person__employer", "person__post", "person__phone", "person__id_number",
        "term__name", "jurisdiction__name", "delegation__name", "group__name",
    )


def export_rows(qs: QuerySet[Mandate]) -> QuerySet[Mandate]:
    return qs.select_related("person", "term", "jurisdiction", "electoral_unit", "delegation", "group")


def filter_options(user) -> dict[str, list[tuple[int, str]]]:
    """The choices of the roster's term, jurisdiction, delegation and group filters, in one query."""
    from django.db.models import CharField, Value

    from apps.core.models import Jurisdiction
    from apps.deputies.models import Delegation, DeputyGroup, Term

    scope = user.jurisdiction.path if getattr(user, "jurisdiction", None) else "\x00none"
    parts = [
        Term.objects.filter(jurisdiction__path__startswith=scope)
        .values_list(Value("term", output_field=CharField()), "pk", "name", "jurisdiction__path"),
        Jurisdiction.objects.filter(path__startswith=scope)
        .values_list(Value("jurisdiction", output_field=CharField()), "pk", "name", "path"),
        Delegation.objects.filter(term__jurisdiction__path__startswith=scope)
        .values_list(Value("delegation", output_field=CharField()), "pk", "name", "term__name"),
        DeputyGroup.objects.filter(jurisdiction__path__startswith=scope)
        .values_list(Value("group", output_field=CharField()), "pk", "name", "name"),
    ]
    query = parts[0].union(*parts[1:], all=True)
    options: dict[str, list] = {"term": [], "jurisdiction": [], "delegation": [], "group": []}
    for kind, pk, name, key in query:
        options[kind].append((pk, name, key))
    for kind in options:
        options[kind].sort(key=lambda row: (row[2], row[1]))
        options[kind] = [(pk, name) for pk, name, _key in options[kind]]
    return options


def _readable(field, value):
    """A changed value as people read it: a choice's label, a related record's name (not its id)."""
    if value in (None, ""):
        return value
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if field.is_relation:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else value
    return value


def history_for_person(person: Person) -> list[dict]:
    """The change history of a person and their mandates, newest first, each with the fields changed."""
    entries = []
    records = list(person.history.select_related("history_user").order_by("history_date", "history_id"))
    records += list(Mandate.history.filter(person_id=person.pk).select_related("history_user", "term")
                    .order_by("history_date", "history_id"))
    previous: dict = {}
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        key = (record.instance_type, record.id)
        before = previous.get(key)
        changes = []
        if before is not None and record.history_type == "~":
            delta = record.diff_against(before)
            for change in delta.changes:
                field = record.instance_type._meta.get_field(change.field)
                old, new = change.old, change.new
                if change.field in ("id_number", "phone"):
                    from apps.deputies.validators import mask_id_number, mask_phone

                    mask = mask_id_number if change.field == "id_number" else mask_phone
                    old, new = mask(old or ""), mask(new or "")
                else:
                    old, new = _readable(field, old), _readable(field, new)
                changes.append({"field": field.verbose_name, "old": old, "new": new})
        previous[key] = record
        entries.append({
            "date": record.history_date,
            "user": record.history_user,
            "type": record.get_history_type_display(),
            "kind": record.instance_type._meta.verbose_name,
            "object": str(record.instance) if record.instance_type is Mandate else record.name,
            "changes": changes,
        })
    entries.reverse()
    return entries
