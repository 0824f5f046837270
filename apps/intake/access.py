"""Who may see and handle which opinion and which code.

- The office (staff and supervisors) sees the opinions of its jurisdiction and below (that of the station, or
  of the deputy's most local mandate); staff handle them. A deputy sees and handles the opinions left through
  their own code.
- Codes: the office sees the codes of the stations and serving deputies of its scope; staff renew them. A
  deputy sees (and prints) their own.

Anything else is a 404 for an object (its existence is not leaked) and a 403 for a page the role does not open.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from apps.core import roles
from apps.core.access import is_office, jurisdiction_scope
from apps.deputies.models import Person
from apps.intake.models import Intake
from apps.stations.models import Station

VIEW = "stations.view_votervisit"
HANDLE = "stations.change_votervisit"
VIEW_CODES = "stations.view_station"
ROTATE = "stations.change_station"

KINDS = ("station", "deputy")


def is_deputy(user) -> bool:
    return bool(user.is_authenticated and user.person_id and user.has_role(roles.DEPUTY))


def opens_inbox(user) -> bool:
    return is_office(user, VIEW) or is_deputy(user)


def visible_intakes(user) -> QuerySet[Intake]:
    scope = Q(pk__in=[])
    if is_office(user, VIEW):
        scope |= jurisdiction_scope(user)
    if is_deputy(user):
        scope |= Q(person_id=user.person_id)
    return Intake.objects.filter(scope)


def may_handle(user, intake: Intake) -> bool:
    return (is_office(user, HANDLE) and intake.jurisdiction.path.startswith(user.jurisdiction.path)) or (
        is_deputy(user) and intake.person_id == user.person_id)


def intake_for_user(user, pk) -> Intake:
    intake = (visible_intakes(user).select_related("station__jurisdiction", "person", "jurisdiction", "visit",
                                                   "suggestion", "handled_by").filter(pk=pk).first())
    if intake is None:
        raise Http404
    return intake


def opens_codes(user) -> bool:
    return is_office(user, VIEW_CODES) or is_deputy(user)


def code_owner(user, kind: str, pk: int) -> Station | Person:
    """The station or deputy whose code the user may see: a station or serving deputy of the office's scope, or
    the deputy themself; 404 otherwise (an unknown kind too)."""
    from apps.stations.selectors import serving_people, visible_stations

    if kind == "station" and is_office(user, VIEW_CODES):
        owner = visible_stations(user).select_related("jurisdiction").filter(pk=pk).first()
    elif kind == "deputy" and is_deputy(user) and user.person_id == pk:
        owner = Person.objects.filter(pk=pk).first()
    elif kind == "deputy" and is_office(user, VIEW_CODES):
        owner = serving_people(user.jurisdiction.path).filter(pk=pk).first()
    else:
        owner = None
    if owner is None:
        raise Http404
    return owner


def may_rotate(user) -> bool:
    return is_office(user, ROTATE)
