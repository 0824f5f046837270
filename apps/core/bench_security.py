"""Security figures for ``manage.py bench`` (wired in by the bench command).

``audit_write_overhead_pct``: what change auditing adds to a roster edit. The edit is the one the person
edit page makes (``deputies.services.person_update``: validation, the UPDATE, simple-history's row), inside
a request context like the page's (the user and client address are read from it), each run in a
transaction rolled back afterwards so that every run edits the same row. Median of ``runs`` edits with the
audit handlers connected against the median with them disconnected; the two are interleaved so that a
slower moment of the machine weighs on both alike.
"""

import statistics
import time

from django.db import transaction
from django.test import RequestFactory


def _edit_ms(person_pk: int, request, edit_no: int) -> float:
    from simple_history.models import HistoricalRecords

    from apps.deputies.models import Person
    from apps.deputies.services import person_update

    HistoricalRecords.context.request = request
    try:
        with transaction.atomic():
            person = Person.objects.get(pk=person_pk)  # as the page loads it (the audit snapshot included)
            start = time.perf_counter()
            person_update(person=person, data={"post": f"bench {edit_no}", "employer": f"bench {edit_no}"})
            elapsed = time.perf_counter() - start
            transaction.set_rollback(True)
    finally:
        del HistoricalRecords.context.request
    return elapsed * 1000


def audit_write_overhead_pct(*, runs: int = 41, person=None, user=None) -> float:
    """The cost of change auditing on a roster edit, in percent of the edit without it (target ≤ 20)."""
    from apps.core import audit
    from apps.deputies.models import Person

    person = person or Person.objects.order_by("pk").first()
    if person is None:
        raise ValueError("audit_write_overhead_pct needs at least one person in the roster")
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.10")
    if user is None:
        from django.contrib.auth.models import AnonymousUser

        user = AnonymousUser()
    request.user = user

    on, off = [], []
    for i in range(3):  # warm the caches and the connection
        _edit_ms(person.pk, request, i)
    try:
        for i in range(runs):
            audit.connect()
            on.append(_edit_ms(person.pk, request, i))
            audit.disconnect()
            off.append(_edit_ms(person.pk, request, i))
    finally:
        audit.connect()
    base = statistics.median(off)
    return round((statistics.median(on) - base) / base * 100, 1)
