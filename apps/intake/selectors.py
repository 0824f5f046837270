"""Reads of voters' opinions and codes: the inbox's rows, a code's public facts, a lookup's public answer."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.deputies.models import Mandate, Person
from apps.intake.models import Intake, IntakeCode
from apps.stations.models import Station, VoterVisit

STATUS_FILTERS = tuple(Intake.Status.values)


def inbox_rows(qs: QuerySet[Intake], status: str = "") -> QuerySet[Intake]:
    """The inbox's rows, newest first, in one query (addressee and visit joined)."""
    if status in STATUS_FILTERS:
        qs = qs.filter(status=status)
    return (qs.select_related("person", "station", "visit")
            .only("id", "created_at", "category", "text", "status", "lookup_code", "name", "photo",
                  "person__id", "person__name", "station__id", "station__name", "visit__id", "visit__status")
            .order_by("-created_at", "-pk"))


def waiting(qs: QuerySet[Intake]) -> QuerySet[Intake]:
    return qs.filter(status=Intake.Status.NEW)


def code_by_token(token: str) -> IntakeCode | None:
    """The code a public URL names, with its owner; None for an unknown token (or a bad one)."""
    if not token or len(token) > 32:
        return None
    # Only the columns the public page and the write use: every post of the public form reads this row, and
    # compiling the select of all the person's and the station's columns cost more than running it.
    return (IntakeCode.objects.select_related("station__jurisdiction", "person")
            .only("id", "token", "person_id", "station_id", "person__id", "person__name",
                  "station__id", "station__name", "station__address", "station__is_active",
                  "station__jurisdiction_id", "station__jurisdiction__id", "station__jurisdiction__name")
            .filter(token=token).first())


@dataclass(frozen=True)
class PublicFacts:
    """What a code's page, card and poster show of its owner: nothing that is not public."""

    title: str
    name: str
    lines: tuple[str, ...]


def public_facts(owner: Station | Person) -> PublicFacts | None:
    """The public facts of a station (name, jurisdiction, address) or a serving deputy (name, levels, delegations,
    stations); None for a deputy who serves no more or an inactive station."""
    if isinstance(owner, Station):
        if not owner.is_active:
            return None
        return PublicFacts(str(_("Work station")), owner.name,
                           tuple(x for x in (owner.jurisdiction.name, owner.address) if x))
    mandates = list(Mandate.objects.current().filter(person=owner)
                    .select_related("term", "delegation").order_by("term__jurisdiction__path"))
    if not mandates:
        return None
    lines = [f"{m.term.name}{_('deputy')}" + (f" · {m.delegation.name}" if m.delegation_id else "")
             for m in mandates]
    stations = list(Station.objects.filter(deputies=owner, is_active=True).order_by("name")
                    .values_list("name", flat=True))
    if stations:
        lines.append(str(_("Station: %(names)s")) % {"names": "、".join(stations)})
    return PublicFacts(str(_("Deputy")), owner.name, tuple(lines))


CODE_CACHE_SECONDS = 30


def _code_cache_key(language: str, token: str) -> str:
    return f"intake:code:{language}:{token}"


def code_cache_keys(token: str) -> list[str]:
    """The shared cache's keys of a token's public code, one per language (the facts are words of the page)."""
    from django.conf import settings

    return [_code_cache_key(language, token) for language, _name in settings.LANGUAGES]


def public_code(token: str) -> tuple[IntakeCode, PublicFacts] | None:
    """The code a public URL names and its owner's public facts; None when unknown or no longer taking opinions.

    Every post of the public form starts here, so the answer is kept in the shared cache for
    ``CODE_CACHE_SECONDS`` (renewing a token drops it at once; a station closed or a mandate ended shows within
    that time). Unknown tokens are not cached: they cost a query, as before."""
    from django.core.cache import cache
    from django.utils.translation import get_language

    if not token or len(token) > 32:  # as code_by_token: no cache key from an arbitrary string
        return None
    key = _code_cache_key(get_language(), token)
    found = cache.get(key)
    if found is not None:
        return found
    code = code_by_token(token)
    if code is None:
        return None
    facts = public_facts(code.station if code.station_id else code.person)
    if facts is None:
        return None
    cache.set(key, (code, facts), CODE_CACHE_SECONDS)
    return code, facts


@dataclass(frozen=True)
class PublicAnswer:
    """What a lookup shows: the opinion's public state and answer, or nothing (unknown code, waiting, spam)."""

    state: str = ""
    answer: str = ""
    received: object = None


NO_ANSWER = PublicAnswer()


def public_answer(code: str) -> PublicAnswer:
    """The public state of the opinion with lookup ``code``; an unknown code answers as one still waiting, so a
    lookup does not tell whether a code exists."""
    intake = (Intake.objects.select_related("visit", "suggestion").only(
        "status", "close_reason", "created_at", "visit__status", "visit__result", "suggestion__id")
        .filter(lookup_code=code).first()) if code else None
    if intake is None or intake.status in (Intake.Status.NEW, Intake.Status.SPAM):
        return NO_ANSWER
    if intake.status == Intake.Status.ACCEPTED and intake.visit_id:
        if intake.visit.status == VoterVisit.Status.CLOSED:
            return PublicAnswer(str(_("Done: the result is below")), intake.visit.result, intake.created_at)
        return PublicAnswer(str(_("Accepted and being followed up")), "", intake.created_at)
    if intake.status == Intake.Status.DRAFTED:
        return PublicAnswer(str(_("Taken up by the deputy as a suggestion")), "", intake.created_at)
    if intake.status == Intake.Status.CLOSED:
        return PublicAnswer(str(pgettext_lazy("intake status", "Closed")), intake.close_reason, intake.created_at)
    return NO_ANSWER
