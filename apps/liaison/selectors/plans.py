"""Reads of quota rules, yearly liaison plans and their compliance, scoped to the user."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce
from django.http import Http404

from apps.committee.models import CommitteeMember, serving_q, year_bounds
from apps.core.access import sees_roster
from apps.core.models import Jurisdiction
from apps.deputies.models import Delegation, DeputyGroup, Mandate
from apps.deputies.selectors import mandate_distinction, search_filter
from apps.liaison import rules
from apps.liaison.models import Contact, LiaisonAssignment, LiaisonPlan

# Jurisdictions that have a standing committee of their own (townships have a presidium instead).
COMMITTEE_KINDS = (Jurisdiction.Kind.CITY, Jurisdiction.Kind.COUNTY)


# --- scope -----------------------------------------------------------------------------------------------------

def scope_jurisdictions(user) -> QuerySet[Jurisdiction]:
    """The city or county standing committees the user works for: their own and those below it."""
    if not sees_roster(user):
        return Jurisdiction.objects.none()
    return Jurisdiction.objects.filter(path__startswith=user.jurisdiction.path, kind__in=COMMITTEE_KINDS)


def jurisdiction_for_user(user, pk=None) -> Jurisdiction:
    """The jurisdiction a page works on: ``pk`` if it is in the user's scope (else 404), by default their own."""
    if not sees_roster(user):
        raise Http404
    if pk in (None, ""):
        return user.jurisdiction
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    if pk == user.jurisdiction_id:
        return user.jurisdiction
    jurisdiction = scope_jurisdictions(user).filter(pk=pk).first()
    if jurisdiction is None:
        raise Http404
    return jurisdiction


# --- members of a year -------------------------------------------------------------------------------------------

def members_serving(jurisdiction, year: int, *, plan: LiaisonPlan | None = None) -> QuerySet[CommitteeMember]:
    """Members of ``jurisdiction``'s standing committee who serve at some time in ``year`` (and any member
    ``plan`` already assigns deputies to), with their person and account."""
    condition = Q(jurisdiction=jurisdiction) & serving_q(*year_bounds(year))
    if plan is not None and plan.pk:
        condition |= Q(pk__in=LiaisonAssignment.objects.filter(plan=plan).values("member_id"))
    return CommitteeMember.objects.filter(condition).select_related("person", "user")


def sort_members(members) -> list[CommitteeMember]:
    """Council posts first (director, vice directors, secretary-general), then members; by pinyin within."""
    return sorted(members, key=lambda m: (rules.POST_ORDER[m.post], m.person.name_pinyin, m.pk))


def plan_for(jurisdiction, year: int) -> LiaisonPlan | None:
    return (LiaisonPlan.objects.filter(jurisdiction=jurisdiction, year=year)
            .select_related("jurisdiction", "published_by").first())


def plan_assignments(plan_filter: Q) -> QuerySet[LiaisonAssignment]:
    return (LiaisonAssignment.objects.filter(plan_filter)
            .select_related("mandate__person", "mandate__term", "mandate__jurisdiction", "delegation", "group"))


# --- the plan page -------------------------------------------------------------------------------------------

@dataclass
class RequirementRow:
    """One target of a quota, and how many of it the plan assigns."""

    requirement: rules.Requirement
    assigned: int

    @property
    def shortfall(self) -> int:
        return max(0, self.requirement.quantity - self.assigned)


@dataclass
class MemberPlanRow:
    member: CommitteeMember
    assignments: list[LiaisonAssignment]
    requirements: list[RequirementRow]

    @property
    def shortfall(self) -> int:
        return sum(r.shortfall for r in self.requirements)


@dataclass
class CollectiveRow:
    """A quota of several members together (the council covers 12 deputy groups)."""

    requirement: rules.Requirement
    members: list[CommitteeMember]
    names: list[str]

    @property
    def assigned(self) -> int:
        return len(self.names)

    @property
    def shortfall(self) -> int:
        return max(0, self.requirement.quantity - self.assigned)


@dataclass
class PlanOverview:
    plan: LiaisonPlan
    rows: list[MemberPlanRow]
    collective: list[CollectiveRow]

    @property
    def shortfall(self) -> int:
        return sum(r.shortfall for r in self.rows) + sum(c.shortfall for c in self.collective)


def _target_key(assignment) -> int:
    return assignment.mandate.person_id if assignment.mandate_id else (assignment.delegation_id or assignment.group_id)


def _sort_key(assignment) -> tuple:
    """Assignments in quota order (national deputies first), then by pinyin or name."""
    name = assignment.mandate.person.name_pinyin if assignment.mandate_id else str(
        assignment.delegation or assignment.group)
    return rules.TARGET_ORDER[rules.target_of(assignment)], name, assignment.pk


def _target_name(assignment) -> str:
    return assignment.mandate.person.name if assignment.mandate_id else str(assignment.delegation or assignment.group)


def _tell_namesakes_apart(assignments) -> None:
    """Give ``distinction`` (place, level, work, birth year) to each assignment of a deputy who shares a name with
    another person in the plan (two 吕栋), and "" to the others."""
    people_by_name = defaultdict(set)
    for a in assignments:
        if a.mandate_id:
            people_by_name[a.mandate.person.name].add(a.mandate.person_id)
    for a in assignments:
        a.distinction = (mandate_distinction(a.mandate) if a.mandate_id
                         and len(people_by_name[a.mandate.person.name]) > 1 else "")


def plan_overview(*, plan: LiaisonPlan) -> PlanOverview:
    """Each member's assignments and shortfall against their quota, and the collective quotas. Three queries."""
    quota_rules = rules.effective_rules(plan.jurisdiction_id)
    members = sort_members(members_serving(plan.jurisdiction_id, plan.year, plan=plan))
    by_member: dict[int, list] = defaultdict(list)
    assignments = list(plan_assignments(Q(plan=plan)))
    _tell_namesakes_apart(assignments)
    for assignment in assignments:
        assignment.target = rules.target_of(assignment)
        by_member[assignment.member_id].append(assignment)
    rows = []
    for member in members:
        assignments = sorted(by_member[member.pk], key=_sort_key)
        counts = defaultdict(int)
        for a in assignments:
            counts[a.target] += 1
        requirements = [RequirementRow(req, counts[req.target])
                        for req in rules.required_for(member, rules=quota_rules)]
        rows.append(MemberPlanRow(member, assignments, requirements))
    collective = []
    for req in rules.collective_requirements(quota_rules):
        covered = [m for m in members if m.post in rules.rule_posts(req.post)]
        names = {_target_key(a): _target_name(a) for m in covered for a in by_member[m.pk] if a.target == req.target}
        collective.append(CollectiveRow(req, covered, sorted(names.values())))
    return PlanOverview(plan, rows, collective)


def deputy_choices(*, jurisdiction, q: str, limit: int = 30) -> list[Mandate]:
    """Serving mandates in ``jurisdiction``'s scope whose person matches ``q`` (name or pinyin initials)."""
    if not (q or "").strip():
        return []
    return list(Mandate.objects.current()
                .filter(search_filter(q), jurisdiction__path__startswith=jurisdiction.path)
                .select_related("person", "term", "jurisdiction")
                .order_by("person__name_pinyin", "level", "pk")[:limit])


def delegation_choices(jurisdiction) -> QuerySet[Delegation]:
    """Delegations of the congresses looked after by ``jurisdiction`` (its own terms)."""
    return Delegation.objects.filter(term__jurisdiction=jurisdiction).select_related("term").order_by(
        "term__level", "name", "pk")


def group_choices(jurisdiction) -> QuerySet[DeputyGroup]:
    """Deputy groups kept by ``jurisdiction`` itself (those of its counties and townships are theirs)."""
    return DeputyGroup.objects.filter(jurisdiction=jurisdiction).order_by("name", "pk")


# --- compliance ------------------------------------------------------------------------------------------------

@dataclass
class AssignmentCompliance:
    assignment: LiaisonAssignment
    target: str
    contacts: int
    quota: int
    expected: int
    status: str

    @property
    def status_label(self) -> str:
        return rules.STATUS_LABELS[self.status]

    @property
    def target_label(self) -> str:
        from apps.liaison.models import QuotaTarget

        return QuotaTarget(self.target).label

    @property
    def name(self) -> str:
        a = self.assignment
        return a.mandate.person.name if a.mandate_id else str(a.delegation or a.group)


@dataclass
class MemberCompliance:
    member: CommitteeMember
    assignments: list[AssignmentCompliance] = field(default_factory=list)
    contacts_made: int = 0

    @property
    def status(self) -> str | None:
        """The worst status of the member's assignments (None without assignments)."""
        return rules.worst(a.status for a in self.assignments)

    @property
    def status_label(self) -> str:
        return rules.STATUS_LABELS.get(self.status, "")

    @property
    def behind(self) -> bool:
        return rules.is_behind(self.status)

    @property
    def behind_assignments(self) -> list[AssignmentCompliance]:
        return [a for a in self.assignments if rules.is_behind(a.status)]


def _counted_contacts(start: datetime.date, end: datetime.date):
    """The number of an assignment's contacts between ``start`` and ``end``, as an annotation.

    A contact counts for an assignment when the assigned member made it and the assigned deputy took part, or,
    for a delegation or group assignment, when it was a meeting of that delegation or group.
    """
    window = Contact.objects.filter(member_id=OuterRef("member_id"), date__gte=start, date__lte=end).order_by()

    def count(qs):
        return Coalesce(Subquery(qs.values("member_id").annotate(n=Count("pk", distinct=True)).values("n")[:1]), 0)

    return Case(
        When(mandate__isnull=False, then=count(window.filter(participants=OuterRef("mandate__person_id")))),
        When(delegation__isnull=False, then=count(window.filter(delegation_id=OuterRef("delegation_id")))),
        default=count(window.filter(group_id=OuterRef("group_id"))),
        output_field=IntegerField(),
    )


def compliance_rows(*, jurisdiction, year: int, on_date: datetime.date, members: QuerySet | None = None,
                    published_only: bool = False) -> list[MemberCompliance]:
    """Per member and per assignment of ``jurisdiction``'s plan for ``year``: contacts made by ``on_date``
    against the quota and the pace expected by then (``rules.expected_contacts``), green/amber/red.

    ``members`` narrows the members (e.g. a member's own posts); ``published_only`` ignores a draft plan.
    Three queries whatever the number of members: the members, the assignments with their contact counts,
    the contacts each member made.
    """
    jurisdiction_id = getattr(jurisdiction, "pk", jurisdiction)
    start, year_end = year_bounds(year)
    end = min(on_date, year_end)
    plan_filter = Q(plan__jurisdiction_id=jurisdiction_id, plan__year=year)
    if published_only:
        plan_filter &= Q(plan__status=LiaisonPlan.Status.PUBLISHED)
    member_qs = CommitteeMember.objects.filter(
        Q(jurisdiction_id=jurisdiction_id) & serving_q(*year_bounds(year))
        | Q(pk__in=LiaisonAssignment.objects.filter(plan_filter).values("member_id"))
    ).select_related("person", "user")
    if members is not None:
        member_qs = member_qs.filter(pk__in=members.values("pk"))
    rows = {m.pk: MemberCompliance(m) for m in sort_members(member_qs)}
    if not rows:
        return []
    assignments = (plan_assignments(plan_filter).filter(member_id__in=list(rows))
                   .annotate(contacts=_counted_contacts(start, end)))
    for a in assignments:
        target = rules.target_of(a)
        expected = rules.expected_contacts(a.contacts_per_year, on_date, year=year)
        rows[a.member_id].assignments.append(AssignmentCompliance(
            assignment=a, target=target, contacts=a.contacts, quota=a.contacts_per_year, expected=expected,
            status=rules.pace_status(a.contacts, expected)))
    made = (Contact.objects.filter(member_id__in=list(rows), date__gte=start, date__lte=end).order_by()
            .values("member_id").annotate(n=Count("pk")))
    for item in made:
        rows[item["member_id"]].contacts_made = item["n"]
    for row in rows.values():
        row.assignments.sort(key=lambda c: _sort_key(c.assignment))
    return list(rows.values())


# --- a deputy's contact member ------------------------------------------------------------------------------

def contact_assignments_for_person(person, *, year: int, scope_path: str | None = None) -> list[LiaisonAssignment]:
    """The published plans' assignments of ``year`` through which a member contacts ``person``: directly, or
    through the delegation or group of one of their serving mandates. One query.

    ``scope_path`` keeps only plans of that jurisdiction and below (what a staff user may see).
    """
    serving = Mandate.objects.current().filter(person=person)
    qs = (LiaisonAssignment.objects
          .filter(plan__year=year, plan__status=LiaisonPlan.Status.PUBLISHED)
          .filter(Q(mandate__person=person)
                  | Q(delegation_id__in=serving.filter(delegation__isnull=False).values("delegation_id"))
                  | Q(group_id__in=serving.filter(group__isnull=False).values("group_id")))
          .select_related("member__person", "delegation", "group"))
    if scope_path is not None:
        qs = qs.filter(plan__jurisdiction__path__startswith=scope_path)
    return sorted(qs, key=lambda a: (a.mandate_id is None, rules.POST_ORDER[a.member.post],
                                     a.member.person.name_pinyin, a.pk))


def member_year_rows(user, today: datetime.date, *, behind_only: bool = False) -> tuple[list[MemberCompliance], bool]:
    """A committee member's own posts with their assignments in this year's published plan and their pace
    ("my liaison assignments"), and whether the account is linked to any post. With ``behind_only``, only the
    assignments behind pace (amber or red) are kept: the contacts due."""
    from apps.committee import selectors as committee_selectors

    own = list(committee_selectors.own_members(user))
    rows: list[MemberCompliance] = []
    for jurisdiction_id in dict.fromkeys(m.jurisdiction_id for m in own):
        rows += compliance_rows(jurisdiction=jurisdiction_id, year=today.year, on_date=today,
                                members=committee_selectors.own_members(user), published_only=True)
    if behind_only:
        for row in rows:
            row.assignments = [a for a in row.assignments if a.status != rules.GREEN]
    return rows, bool(own)
