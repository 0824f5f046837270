"""Reads of deputies' participation (invitations, opinions, recommendations), always scoped to the user.

Staff and supervisors see the records of their jurisdiction and below (``jurisdiction_scope``); a deputy sees
their own invitations, opinions and recommendations. A record outside what the user may see is a 404.
"""

from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.utils import timezone

from apps.core.access import jurisdiction_scope
from apps.deputies.models import Delegation, DeputyGroup, Mandate, Person
from apps.deputies.selectors import search_filter, visible_mandates
from apps.liaison.models import Invitation, Invitee, Opinion, Recommendation

CANDIDATE_LIMIT = 50


# --- invitations --------------------------------------------------------------------------------------------

def visible_invitations(user) -> QuerySet[Invitation]:
    """Invitations of the user's jurisdiction and below; none without the permission or a jurisdiction."""
    if not user.has_perm("liaison.view_invitation"):
        return Invitation.objects.none()
    return Invitation.objects.filter(jurisdiction_scope(user))


def invitation_rows(qs: QuerySet[Invitation], *, q: str = "", kind: str = "", year: int | None = None
                    ) -> QuerySet[Invitation]:
    """The invitation list: filtered, each row with its counts of deputies invited, present and opinions."""
    if q:
        qs = qs.filter(title__icontains=q)
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(date__year=year)
    return qs.select_related("jurisdiction").annotate(
        invited=Count("invitees", distinct=True),
        attended=Count("invitees", filter=Q(invitees__attended=True), distinct=True),
        opinions=Count("invitees__opinions", distinct=True),
    ).order_by("-date", "-pk")


def invitation_for_user(user, pk: int) -> Invitation:
    invitation = visible_invitations(user).select_related("jurisdiction").filter(pk=pk).first()
    if invitation is None:
        raise Http404
    return invitation


def invitation_invitees(invitation: Invitation) -> list[Invitee]:
    """Who was invited, by name, each with their opinions (two queries whatever the size)."""
    return list(invitation.invitees.select_related("person").prefetch_related(
        Prefetch("opinions", queryset=Opinion.objects.order_by("pk"))).order_by("person__name_pinyin", "pk"))


def invitee_for_user(user, pk: int) -> Invitee:
    invitee = (Invitee.objects.filter(invitation__in=visible_invitations(user))
               .select_related("invitation", "person").filter(pk=pk).first())
    if invitee is None:
        raise Http404
    return invitee


def opinion_for_user(user, pk: int) -> Opinion:
    opinion = (Opinion.objects.filter(invitee__invitation__in=visible_invitations(user))
               .select_related("invitee__invitation", "invitee__person").filter(pk=pk).first())
    if opinion is None:
        raise Http404
    return opinion


# --- choosing deputies --------------------------------------------------------------------------------------

def candidate_people(user) -> QuerySet[Person]:
    """People the user may invite or recommend: those with a serving mandate in the user's scope ("serving" is
    the record's present status, not a date, see apps.deputies.models.serving_q)."""
    serving = visible_mandates(user).current().filter(person=OuterRef("pk"))
    return Person.objects.filter(Exists(serving))


def search_candidates(user, q: str, *, exclude_invitation: Invitation | None = None,
                      limit: int = CANDIDATE_LIMIT) -> list[Person]:
    """Serving deputies in scope matching ``q`` (name, pinyin initials or full pinyin), each with their mandates.

    ``search_filter`` speaks of ``person__...``: it is applied to the mandates, so it reads the same here as
    on the roster.
    """
    q = (q or "").strip()
    if not q:
        return []
    mandates = visible_mandates(user).current().filter(search_filter(q))
    people = Person.objects.filter(pk__in=mandates.values("person_id"))
    if exclude_invitation is not None:
        people = people.exclude(invitations__invitation=exclude_invitation)
    serving = Mandate.objects.current().select_related("term", "delegation")
    return list(people.prefetch_related(Prefetch("mandates", queryset=serving.order_by("level")))
                .order_by("name_pinyin", "pk")[:limit])


def scoped_delegations(user) -> QuerySet[Delegation]:
    jurisdiction = getattr(user, "jurisdiction", None)
    if jurisdiction is None:
        return Delegation.objects.none()
    return (Delegation.objects.filter(term__jurisdiction__path__startswith=jurisdiction.path)
            .select_related("term").order_by("term__jurisdiction__path", "term__level", "-term__number", "name"))


def scoped_groups(user) -> QuerySet[DeputyGroup]:
    jurisdiction = getattr(user, "jurisdiction", None)
    if jurisdiction is None:
        return DeputyGroup.objects.none()
    return DeputyGroup.objects.filter(jurisdiction__path__startswith=jurisdiction.path).order_by("name")


def people_of(*, delegation: Delegation | None = None, group: DeputyGroup | None = None) -> QuerySet[Person]:
    """The deputies serving in a delegation or a deputy group (to invite them all)."""
    mandates = Mandate.objects.current()
    mandates = mandates.filter(delegation=delegation) if delegation is not None else mandates.filter(group=group)
    return Person.objects.filter(pk__in=mandates.values("person_id"))


# --- yearly counts ------------------------------------------------------------------------------------------

_ADDITIVE = ("invitations", "invited", "attended", "opinions", "adopted", "partly_adopted", "not_adopted",
             "pending")


def participation_counts(user) -> dict:
    """Per year and kind: invitations, person-times invited and present, opinions and their outcomes.

    Every figure is counted from the records (three queries): ``years`` is a list newest first, each with its
    ``kinds`` (every kind, zeros included), its ``total`` and the distinct ``deputies`` invited that year;
    ``total`` adds up all years, and ``recent`` the current and the previous year (the "两年来共邀请代表 N
    人次" figure).
    """
    invitations = visible_invitations(user)
    opinion = "invitees__opinions"
    rows = (invitations.annotate(year=ExtractYear("date")).values("year", "kind").annotate(
        invitations=Count("pk", distinct=True),
        invited=Count("invitees", distinct=True),
        attended=Count("invitees", filter=Q(invitees__attended=True), distinct=True),
        opinions=Count(opinion, distinct=True),
        adopted=Count(opinion, filter=Q(invitees__opinions__outcome=Opinion.Outcome.ADOPTED), distinct=True),
        partly_adopted=Count(opinion, filter=Q(invitees__opinions__outcome=Opinion.Outcome.PARTLY_ADOPTED),
                             distinct=True),
        not_adopted=Count(opinion, filter=Q(invitees__opinions__outcome=Opinion.Outcome.NOT_ADOPTED),
                          distinct=True),
        pending=Count(opinion, filter=Q(invitees__opinions__outcome=Opinion.Outcome.PENDING), distinct=True),
    ).order_by())
    deputies_by_year = dict(invitations.annotate(year=ExtractYear("date")).values("year")
                            .annotate(n=Count("invitees__person", distinct=True)).order_by()
                            .values_list("year", "n"))
    this_year = timezone.localdate().year
    recent_years = (this_year - 1, this_year)
    recent_deputies = (invitations.filter(date__year__in=recent_years)
                       .aggregate(n=Count("invitees__person", distinct=True))["n"])

    by_year: dict[int, dict] = {}
    for row in rows:
        by_year.setdefault(row["year"], {})[row["kind"]] = row
    zero = dict.fromkeys(_ADDITIVE, 0)
    years, total, recent = [], dict(zero), dict(zero)
    for year in sorted(by_year, reverse=True):
        kinds = [{"kind": kind, "label": label, **{k: by_year[year].get(kind, zero)[k] for k in _ADDITIVE}}
                 for kind, label in Invitation.Kind.choices]
        year_total = {k: sum(row[k] for row in kinds) for k in _ADDITIVE}
        years.append({"year": year, "kinds": kinds, "total": year_total, "deputies": deputies_by_year.get(year, 0)})
        for k in _ADDITIVE:
            total[k] += year_total[k]
            if year in recent_years:
                recent[k] += year_total[k]
    recent["deputies"] = recent_deputies
    return {"years": years, "total": total, "recent": recent, "recent_years": recent_years}


# --- a deputy's own -----------------------------------------------------------------------------------------

def invitations_of(person_id: int, *, from_date: date | None = None) -> QuerySet[Invitee]:
    """A deputy's invitations; with ``from_date``, only those on that day or later (the coming ones)."""
    qs = Invitee.objects.filter(person_id=person_id)
    return qs.filter(invitation__date__gte=from_date) if from_date else qs


def my_invitations(person_id: int, *, from_date: date | None = None) -> list[Invitee]:
    """A deputy's invitations, newest first, each with their opinions and outcomes."""
    return list(invitations_of(person_id, from_date=from_date).select_related("invitation")
                .prefetch_related(Prefetch("opinions", queryset=Opinion.objects.order_by("pk")))
                .order_by("-invitation__date", "-pk"))


def my_recommendations(person_id: int) -> list[Recommendation]:
    return list(Recommendation.objects.filter(person_id=person_id).order_by("-start_date", "pk"))


# --- recommendations ----------------------------------------------------------------------------------------

def visible_recommendations(user) -> QuerySet[Recommendation]:
    if not user.has_perm("liaison.view_recommendation"):
        return Recommendation.objects.none()
    return Recommendation.objects.filter(jurisdiction_scope(user))


def recommendation_rows(qs: QuerySet[Recommendation], *, q: str = "", role: str = "", year: int | None = None,
                        current: bool = False, today: date | None = None) -> QuerySet[Recommendation]:
    """The recommendation list, filtered: by name (or pinyin initials), role, a year it covers, or serving now."""
    if q:
        qs = qs.filter(search_filter(q))
    if role:
        qs = qs.filter(role=role)
    if year:
        qs = qs.filter(Q(start_date__year__lte=year) & (Q(end_date__isnull=True) | Q(end_date__year__gte=year)))
    if current:
        today = today or timezone.localdate()
        qs = qs.filter(Q(start_date__lte=today) & (Q(end_date__isnull=True) | Q(end_date__gte=today)))
    return qs.select_related("person", "jurisdiction").order_by("-start_date", "pk")


def recommendation_for_user(user, pk: int) -> Recommendation:
    recommendation = visible_recommendations(user).select_related("person").filter(pk=pk).first()
    if recommendation is None:
        raise Http404
    return recommendation
