"""Activities' figures for ``manage.py bench`` (``FIGURES``; see that command for the shared machinery):

- ``activity_list_queries`` (``queries``): SQL queries of GET /activities/ as the city ``staff`` user, and
  ``activity_list_queries_small``, the same on the small-scale database;
- ``activity_add_500_participants_ms`` (``work``): the median time of adding 500 eligible people to a new
  activity of the city (municipal level, today) through ``participants_add``, each run in a transaction that is
  rolled back; ``activity_resolve_500_names_ms``: the median time of resolving 500 pasted names
  (``resolve_names``) for that activity; ``activity_sign_in_sheet_500_ms``: the median time of building the
  printed sign-in sheet (A4 PDF, ``apps.activities.paper``) of an activity of those 500 people, rolled back.
"""

import time

from django.core.management.base import CommandError
from django.db import transaction

from apps.core.registry import BenchFamily

ACTIVITY_URL = "/activities/"
PARTICIPANTS = 500


def query_figures(bench) -> None:
    bench.figure("activity_list_queries", bench.page_queries(ACTIVITY_URL), "queries")
    bench.small_figure("activity_list_queries")


def work_figures(bench) -> None:
    bench.figure("activity_add_500_participants_ms", participants_add_ms(bench), "ms")
    bench.figure("activity_resolve_500_names_ms", resolve_names_ms(bench), "ms")
    bench.figure("activity_sign_in_sheet_500_ms", sign_in_sheet_ms(bench), "ms")


def activity_candidates(bench, on) -> dict[int, int]:
    """500 people eligible for a municipal activity of the city on ``on``: the municipal deputies, then
    county deputies to make up the number, ``{person_id: mandate_id}``."""
    from apps.deputies.participants import body_mandates
    from apps.deputies.models import Level

    city = bench.staff_user().jurisdiction
    people: dict[int, int] = {}
    for level in (Level.MUNICIPAL, Level.COUNTY, Level.TOWNSHIP):
        found = body_mandates(jurisdiction=city, level=Level.MUNICIPAL, on=on, mandate_level=level)
        for person_id in sorted(found):
            if len(people) < PARTICIPANTS and person_id not in people:
                people[person_id] = found[person_id]
    if len(people) < PARTICIPANTS:
        raise CommandError(f"only {len(people)} people serve in {city}: the bench needs {PARTICIPANTS}")
    return people


def new_activity(bench, on):
    from apps.activities.models import Activity, ActivityType
    from apps.deputies.models import Level

    user = bench.staff_user()
    return Activity.objects.create(type=ActivityType.objects.get(code="inspection"), title="bench",
                                   jurisdiction=user.jurisdiction, level=Level.MUNICIPAL, start_date=on,
                                   created_by=user)


def participants_add_ms(bench, runs: int = 5) -> float:
    """``participants_add`` of 500 people to a new city activity, each run rolled back."""
    from django.utils import timezone

    from apps.activities.services.activities import participants_add

    today = timezone.localdate()
    user = bench.staff_user()
    people = activity_candidates(bench, today)
    times = []
    for _ in range(runs):
        with transaction.atomic():
            activity = new_activity(bench, today)
            start = time.perf_counter()
            added = participants_add(activity=activity, people=people, attendance="present", user=user)
            times.append((time.perf_counter() - start) * 1000)
            transaction.set_rollback(True)
        if added != PARTICIPANTS:
            raise CommandError(f"participants_add added {added} of {PARTICIPANTS} people")
    return round(sorted(times)[runs // 2], 2)


def resolve_names_ms(bench, runs: int = 7) -> float:
    """``resolve_names`` of 500 pasted names (the eligible people's names, ambiguous ones included)."""
    from django.utils import timezone

    from apps.deputies.participants import resolve_names, split_names
    from apps.deputies.models import Level, Person

    today = timezone.localdate()
    city = bench.staff_user().jurisdiction
    people = activity_candidates(bench, today)
    names = dict(Person.objects.filter(pk__in=list(people)).values_list("pk", "name"))
    text = "\n".join(names[pk] for pk in people)  # as pasted from a sign-in sheet, one name a line
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = resolve_names(split_names(text), jurisdiction=city, level=Level.MUNICIPAL, on=today)
        times.append((time.perf_counter() - start) * 1000)
    resolved = len(result.people) + len(result.ambiguous)
    bench.note(f"resolve: {len(set(names.values()))} distinct names, {len(result.people)} resolved, "
              f"{len(result.ambiguous)} ambiguous, {len(result.unknown)} unknown")
    if result.unknown or not resolved:
        raise CommandError(f"resolve_names left {len(result.unknown)} names unknown, e.g. {result.unknown[:3]}")
    return round(sorted(times)[runs // 2], 2)


def sign_in_sheet_ms(bench, runs: int = 5) -> float:
    """The sign-in sheet of a new city activity of 500 participants: its rows read and its PDF built, as the
    print view does (the code is not issued: the activity is rolled back)."""
    from django.utils import timezone

    from apps.activities import paper
    from apps.activities.services.activities import participants_add
    from apps.core.paper import open_path, sheet_pdf

    today = timezone.localdate()
    user = bench.staff_user()
    people = activity_candidates(bench, today)
    times = []
    with transaction.atomic():
        activity = new_activity(bench, today)
        participants_add(activity=activity, people=people, attendance="present", user=user)
        for _ in range(runs):
            start = time.perf_counter()
            content = sheet_pdf(paper.sign_in_sheet(activity), code="K7M3QX",
                                url=f"https://bench.invalid{open_path('K7M3QX')}")
            times.append((time.perf_counter() - start) * 1000)
        transaction.set_rollback(True)
    bench.note(f"sign-in sheet of {PARTICIPANTS} people: {len(content) // 1024} KB")
    return round(sorted(times)[runs // 2], 2)


FIGURES = [
    BenchFamily("queries", 130, query_figures),
    BenchFamily("work", 500, work_figures),
]
