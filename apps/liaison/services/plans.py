"""Writes of quota rules, yearly liaison plans (联系代表安排) and the reminders sent to members behind pace.
History (who changed what) is kept by django-simple-history."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from apps.accounts.models import User
from apps.committee.models import CommitteeMember
from apps.core import roles
from apps.core.models import Jurisdiction
from apps.core.audit import bulk_change_record
from apps.core.services import notify
from apps.deputies.models import Delegation, DeputyGroup, Mandate
from apps.liaison import allocation, rules
from apps.liaison.models import LiaisonAssignment, LiaisonPlan, QuotaRule, QuotaTarget, ReminderLog

BEHIND_PACE = "behind_pace"


# --- quota rules -----------------------------------------------------------------------------------------------

@transaction.atomic
def quota_rule_set(*, jurisdiction: Jurisdiction, post: str, target: str, collective: bool, quantity: int,
                   contacts_per_year: int) -> QuotaRule:
    """Set ``jurisdiction``'s own rule for (post, target, collective), overriding the default.

    Quantity 0 switches the default off. The frequency (contacts a year) also applies from now on to the
    assignments of this year's and later plans that the rule governs.
    """
    if contacts_per_year < 1:
        raise ValidationError({"contacts_per_year": _("At least one contact a year.")})
    rule, _created = QuotaRule.objects.update_or_create(
        jurisdiction=jurisdiction, post=post, target=target, collective=collective,
        defaults={"quantity": quantity, "contacts_per_year": contacts_per_year},
    )
    effective = rules.effective_rules(jurisdiction)
    target_filter = (Q(mandate__level=target) if target in rules.LEVEL_TARGETS
                     else Q(delegation__isnull=False) if target == QuotaTarget.DELEGATION
                     else Q(group__isnull=False))
    for member_post in rules.rule_posts(post):
        frequency = rules.contacts_per_year_for(member_post, target, effective)
        changed = (LiaisonAssignment.objects
                   .filter(target_filter, plan__jurisdiction=jurisdiction,
                           plan__year__gte=timezone.localdate().year, member__post=member_post)
                   .exclude(contacts_per_year=frequency)
                   .update(contacts_per_year=frequency))
        if changed:
            bulk_change_record(obj=rule, detail=f"contacts per year of {changed} assignments set to {frequency}")
    return rule


# --- plans -------------------------------------------------------------------------------------------------------

@transaction.atomic
def plan_create(*, jurisdiction: Jurisdiction, year: int) -> LiaisonPlan:
    """The year's plan of ``jurisdiction``, created (as a draft) if it does not exist yet."""
    plan, _created = LiaisonPlan.objects.get_or_create(jurisdiction=jurisdiction, year=year)
    return plan


def _check_target(plan: LiaisonPlan, *, mandate, delegation, group) -> None:
    if sum(x is not None for x in (mandate, delegation, group)) != 1:
        raise ValidationError(_("Choose one deputy, delegation or deputy group."))
    path = plan.jurisdiction.path
    if mandate is not None:
        # Who may be assigned now: the record's present status, not a date (see apps.deputies.models.serving_q).
        if not mandate.is_serving or not mandate.jurisdiction.path.startswith(path):
            raise ValidationError({"mandate": _("This deputy is not serving in this plan's jurisdiction.")})
    elif delegation is not None and not delegation.term.jurisdiction.path.startswith(path):
        raise ValidationError({"delegation": _("This delegation is outside this plan's jurisdiction.")})
    elif group is not None and not group.jurisdiction.path.startswith(path):
        raise ValidationError({"group": _("This deputy group is outside this plan's jurisdiction.")})


def _assignment_label(assignment: LiaisonAssignment) -> str:
    if assignment.mandate_id:
        return f"{assignment.mandate.person.name} ({assignment.mandate.get_level_display()})"
    if assignment.delegation_id:
        return f"{assignment.delegation.name} ({QuotaTarget.DELEGATION.label})"
    return f"{assignment.group.name} ({QuotaTarget.GROUP.label})"


def _notify_change(assignment: LiaisonAssignment, *, added: bool) -> None:
    """Once a plan is published, a member hears of each change to their assignments."""
    if assignment.member.user_id is None or not LiaisonPlan.objects.filter(
            pk=assignment.plan_id, status=LiaisonPlan.Status.PUBLISHED).exists():
        return
    title = (_("A deputy was added to your liaison plan") if added
             else _("A deputy was removed from your liaison plan"))
    notify(recipients=[assignment.member.user], title=title, body=_assignment_label(assignment),
           url=reverse("liaison:member_my"))


@transaction.atomic
def assignment_add(*, plan: LiaisonPlan, member: CommitteeMember, mandate: Mandate | None = None,
                   delegation: Delegation | None = None, group: DeputyGroup | None = None) -> LiaisonAssignment:
    """Assign ``member`` one deputy (a mandate), delegation or group in ``plan``; how often they contact it
    comes from the quota rules."""
    plan = LiaisonPlan.objects.select_for_update().select_related("jurisdiction").get(pk=plan.pk)
    if member.jurisdiction_id != plan.jurisdiction_id:
        raise ValidationError({"member": _("This member is not on this plan's standing committee.")})
    _check_target(plan, mandate=mandate, delegation=delegation, group=group)
    if mandate is not None and mandate.person_id == member.person_id:
        raise ValidationError({"mandate": _("A member cannot be assigned to contact themself.")})
    existing = LiaisonAssignment.objects.filter(plan=plan, member=member)
    if (mandate is not None and existing.filter(mandate__person_id=mandate.person_id).exists()
            or delegation is not None and existing.filter(delegation=delegation).exists()
            or group is not None and existing.filter(group=group).exists()):
        raise ValidationError(_("%(member)s is already assigned to this.") % {"member": member.person.name})
    target = mandate.level if mandate is not None else (
        QuotaTarget.DELEGATION if delegation is not None else QuotaTarget.GROUP)
    frequency = rules.contacts_per_year_for(member.post, target, rules.effective_rules(plan.jurisdiction_id))
    assignment = LiaisonAssignment.objects.create(plan=plan, member=member, mandate=mandate, delegation=delegation,
                                                  group=group, contacts_per_year=frequency)
    _notify_change(assignment, added=True)
    return assignment


@transaction.atomic
def assignment_remove(*, assignment: LiaisonAssignment) -> None:
    _notify_change(assignment, added=False)
    assignment.delete()


@transaction.atomic
def plan_propose(*, plan: LiaisonPlan) -> list[LiaisonAssignment]:
    """Fill every gap between the plan and the quota rules; existing assignments are kept.

    Members are taken in post order (director first), then by pinyin; their targets in quota order. A deputy is
    picked among the serving mandates of the needed level in the plan's jurisdiction, preferring those nobody
    is assigned yet (then the least assigned), in pinyin order; never the member themself. Delegations (of the
    member's own congress) are spread: none gets a second member before each has one. The council's groups
    are the jurisdiction's own groups not yet covered, dealt out to the council member with the fewest groups.
    Deterministic: the same data always gives the same proposal (``allocation.allocate`` chooses; this loads
    and writes). Returns the assignments created.
    """
    plan = LiaisonPlan.objects.select_for_update().select_related("jurisdiction").get(pk=plan.pk)
    quota_rules = rules.effective_rules(plan.jurisdiction_id)
    from apps.liaison.selectors.plans import members_serving, sort_members

    members = sort_members(members_serving(plan.jurisdiction_id, plan.year))
    existing = list(plan.assignments.select_related("mandate"))
    needs = {m.pk: rules.required_for(m, rules=quota_rules) for m in members}
    collective = rules.collective_requirements(quota_rules)
    wanted = {r.target for reqs in needs.values() for r in reqs} | {r.target for r in collective}

    levels = [t for t in rules.LEVEL_TARGETS if t in wanted]
    # The deputies who may be assigned now, as in _check_target: the record's present status, not a date.
    mandates = list(Mandate.objects.current()
                    .filter(level__in=levels, jurisdiction__path__startswith=plan.jurisdiction.path)
                    .only("pk", "person_id", "level").order_by("person__name_pinyin", "person_id", "pk")
                    ) if levels else []
    delegations = list(Delegation.objects.filter(term_id__in={m.term_id for m in members}).order_by("name", "pk")
                       ) if QuotaTarget.DELEGATION in wanted else []
    groups = list(DeputyGroup.objects.filter(jurisdiction_id=plan.jurisdiction_id).order_by("name", "pk")
                  ) if QuotaTarget.GROUP in wanted else []

    by_term = defaultdict(list)  # a member's delegations are their own congress's
    for d in delegations:
        by_term[d.term_id].append(d.pk)
    proposed = allocation.allocate(
        members=[allocation.Member(m.pk, m.person_id, m.term_id, tuple((r.target, r.quantity) for r in needs[m.pk]))
                 for m in members],
        collective=[allocation.Collective(r.target, r.quantity,
                                          tuple(m.pk for m in members if m.post in rules.rule_posts(r.post)))
                    for r in collective],
        deputies=[allocation.Deputy(m.pk, m.person_id, m.level) for m in mandates],
        delegations=by_term, groups=[g.pk for g in groups], held=[_held(a) for a in existing])
    if not proposed:
        return []
    member_by_pk = {m.pk: m for m in members}
    items = {"mandate": {m.pk: m for m in mandates}, "delegation": {d.pk: d for d in delegations},
             "group": {g.pk: g for g in groups}}
    new = []
    for p in proposed:
        member = member_by_pk[p.member_id]
        field = ("mandate" if p.target in rules.LEVEL_TARGETS
                 else "delegation" if p.target == QuotaTarget.DELEGATION else "group")
        new.append(LiaisonAssignment(plan=plan, member=member, **{field: items[field][p.item_id]},
                                     contacts_per_year=rules.contacts_per_year_for(member.post, p.target, quota_rules)))
    created = bulk_create_with_history(new, LiaisonAssignment)
    bulk_change_record(obj=plan, detail=f"proposed {len(created)} assignments")
    return created


def _held(assignment: LiaisonAssignment) -> allocation.Held:
    """An existing assignment as the allocator counts it: a deputy by person and level."""
    if assignment.mandate_id:
        return allocation.Held(assignment.member_id, assignment.mandate.level, assignment.mandate.person_id)
    if assignment.delegation_id:
        return allocation.Held(assignment.member_id, QuotaTarget.DELEGATION, assignment.delegation_id)
    return allocation.Held(assignment.member_id, QuotaTarget.GROUP, assignment.group_id)


@transaction.atomic
def plan_publish(*, plan: LiaisonPlan, user: User | None) -> LiaisonPlan:
    """Publish the plan and tell each member (with an account) whom they are to contact. Staff may still
    adjust it afterwards; each change is then notified to the member concerned."""
    plan = LiaisonPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status == LiaisonPlan.Status.PUBLISHED:
        raise ValidationError(_("The plan is already published."))
    plan.status = LiaisonPlan.Status.PUBLISHED
    plan.published_at = timezone.now()
    plan.published_by = user if user is not None and user.pk else None
    plan.save()
    by_member = defaultdict(list)
    for a in (plan.assignments.select_related("member__user", "mandate__person", "delegation", "group")
              .order_by("member_id", "pk")):
        by_member[a.member_id].append(a)
    url = reverse("liaison:member_my")
    for assignments in by_member.values():
        member = assignments[0].member
        if member.user_id is None or not member.user.is_active:
            continue
        body = "\n".join(_assignment_label(a) for a in assignments)
        notify(recipients=[member.user], url=url, body=body,
               title=_("Your liaison assignments for %(year)s") % {"year": plan.year})
    return plan


# --- reminders ---------------------------------------------------------------------------------------------------

def reminder_period(on_date: datetime.date) -> str:
    """The period a reminder is sent once in: the month, "YYYY-MM"."""
    return f"{on_date:%Y-%m}"


def members_remind_behind_pace(*, on_date: datetime.date) -> dict[str, int]:
    """Remind each member behind pace in this year's published plans, once per month, and send the staff of
    each jurisdiction one summary of the members reminded.

    A member is claimed by creating their ``ReminderLog`` row for the period (unique per member, period and
    kind) in the same transaction as the notification: a second run in the same month finds the rows and
    sends nothing. Returns the numbers of members reminded and of staff summaries sent.
    """
    from apps.liaison.selectors.plans import compliance_rows

    period = reminder_period(on_date)
    reminded = summaries = 0
    plans = LiaisonPlan.objects.filter(year=on_date.year, status=LiaisonPlan.Status.PUBLISHED).select_related(
        "jurisdiction").order_by("jurisdiction__path")
    for plan in plans:
        behind = [row for row in compliance_rows(jurisdiction=plan.jurisdiction, year=plan.year, on_date=on_date,
                                                 published_only=True) if row.behind]
        claimed = [row for row in behind if _remind_member(row, period=period, on_date=on_date)]
        reminded += len(claimed)
        if claimed and _send_staff_summary(plan, claimed, on_date=on_date):
            summaries += 1
    return {"reminded": reminded, "summaries": summaries}


@transaction.atomic
def _remind_member(row, *, period: str, on_date: datetime.date) -> bool:
    """Claim the member's reminder for ``period`` and notify them; False if it was already sent."""
    _log, created = ReminderLog.objects.get_or_create(member=row.member, period=period, kind=BEHIND_PACE)
    if not created:
        return False
    user = row.member.user
    if user is not None and user.is_active:
        lines = [_("%(name)s: %(contacts)s of %(quota)s contacts, %(expected)s expected by %(date)s") % {
            "name": a.name, "contacts": a.contacts, "quota": a.quota, "expected": a.expected,
            "date": on_date.strftime("%Y-%m-%d")} for a in row.behind_assignments]
        notify(recipients=[user], title=_("You are behind pace in contacting your deputies"),
               body="\n".join(lines), url=reverse("liaison:member_my"), sms=True)
    return True


@transaction.atomic
def _send_staff_summary(plan: LiaisonPlan, rows: list, *, on_date: datetime.date) -> bool:
    staff = list(User.objects.filter(jurisdiction=plan.jurisdiction, is_active=True, groups__name=roles.STAFF))
    if not staff:
        return False
    lines = [_("%(name)s (%(post)s): %(count)s deputies behind pace") % {
        "name": row.member.person.name, "post": row.member.get_post_display(),
        "count": len(row.behind_assignments)} for row in rows]
    notify(recipients=staff, url=f"{reverse('liaison:compliance')}?jurisdiction={plan.jurisdiction_id}",
           title=_("%(count)s members are behind pace in contacting deputies (%(period)s)") % {
               "count": len(rows), "period": reminder_period(on_date)},
           body="\n".join(lines))
    return True
