"""Where a person's name leads: the performance record (履职档案) of a deputy, for the users who may open it.

The record lives in an app above the roster and the domain apps (scoring), which registers it here when it
loads (``ScoringConfig.ready``); the roster's person page and the lists of participants then link each name to
it through ``{% person_name %}`` (``apps/core/templatetags/people.py``) without importing scoring.
"""

from collections.abc import Callable

from django.urls import reverse

_record: dict[str, object] = {}


def register_record(*, url_name: str, may_open: Callable[[object], bool]) -> None:
    """``url_name`` takes the person's pk; ``may_open(user)`` says whether the user opens records at all (a
    person outside their scope is still a 404 there)."""
    _record.update(url_name=url_name, may_open=may_open)


def may_open_records(user) -> bool:
    """Whether ``user`` opens deputies' records; worked out once per user object (one request)."""
    if not _record or user is None or not user.is_authenticated:
        return False
    cached = getattr(user, "_may_open_records", None)
    if cached is None:
        cached = bool(_record["may_open"](user))
        user._may_open_records = cached
    return cached


def record_url(user, person_id: int) -> str | None:
    """The URL of the person's record for ``user``, or None when the user does not open records."""
    if person_id is None or not may_open_records(user):
        return None
    return reverse(_record["url_name"], args=[person_id])
