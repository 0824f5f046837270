"""Every write of the funds. Each change is audited by apps.core.audit (the app is in AUDITED_APPS)."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.uploads import check_upload
from apps.funds import rules
from apps.funds.models import Budget, Expenditure
from apps.funds.selectors import ZERO


def _check_budget(*, year: int, jurisdiction, name: str, delegation, station, exclude_pk=None) -> None:
    if delegation is not None and station is not None:
        raise ValidationError(_("A budget belongs to a delegation or to a work station, not both."))
    if station is not None and station.jurisdiction_id != jurisdiction.pk:
        raise ValidationError({"station": _("The work station is not in the chosen jurisdiction.")})
    if Budget.objects.filter(year=year, jurisdiction=jurisdiction, name=name).exclude(pk=exclude_pk).exists():
        raise ValidationError({"name": _("This jurisdiction already has a budget of that name for the year.")})


@transaction.atomic
def budget_create(*, user, year: int, jurisdiction, name: str, amount: Decimal, delegation=None,
                  station=None) -> Budget:
    _check_budget(year=year, jurisdiction=jurisdiction, name=name, delegation=delegation, station=station)
    return Budget.objects.create(year=year, jurisdiction=jurisdiction, name=name, amount=amount,
                                 delegation=delegation, station=station, created_by=user)


@transaction.atomic
def budget_update(*, user, budget: Budget, year: int, jurisdiction, name: str, amount: Decimal, delegation=None,
                  station=None) -> Budget:
    """Change a budget (audited by the model signals). Its row is locked, as an entry locks it, so the amount
    is checked against what is approved or pending at that moment: it may not fall below it; nor may the year
    change while expenditures of that year are charged to it."""
    budget = Budget.objects.select_for_update().get(pk=budget.pk)
    _check_budget(year=year, jurisdiction=jurisdiction, name=name, delegation=delegation, station=station,
                  exclude_pk=budget.pk)
    if year != budget.year and budget.expenditures.exists():
        raise ValidationError({"year": _("The year cannot change: expenditures of %(year)s are charged to the "
                                         "budget.") % {"year": budget.year}})
    committed = _committed(budget.pk)
    if amount < committed:
        raise ValidationError({"amount": _("The amount cannot be less than what is approved or awaiting approval "
                                           "(%(committed)s yuan).") % {"committed": f"{committed:,.2f}"}})
    budget.year, budget.jurisdiction, budget.name, budget.amount = year, jurisdiction, name, amount
    budget.delegation, budget.station = delegation, station
    budget.save()
    return budget


@transaction.atomic
def budget_delete(*, user, budget: Budget) -> None:
    """Delete a budget that has no expenditure, of any status (audited by the model signals)."""
    budget = Budget.objects.select_for_update().get(pk=budget.pk)
    if budget.expenditures.exists():
        raise ValidationError(_("A budget with expenditures cannot be deleted: delete its expenditures that are "
                                "not approved first."), code="has_expenditures")
    budget.delete()


def _committed(budget_pk) -> Decimal:
    """What is approved or pending on the budget (read after the budget row is locked)."""
    from django.db.models import Sum

    total = (Expenditure.objects.filter(budget_id=budget_pk)
             .exclude(status=Expenditure.Status.RETURNED).aggregate(s=Sum("amount"))["s"])
    return total or ZERO


def _check_entry(*, user, budget: Budget, date, amount: Decimal, receipt, override_reason: str,
                 available: Decimal) -> str:
    """The rules of an entry (new or changed) against the locked budget; the override reason to store."""
    if date.year != budget.year:
        raise ValidationError({"date": _("The date must fall in the budget's year (%(year)s).")
                               % {"year": budget.year}})
    if amount < Decimal("0.01"):
        raise ValidationError({"amount": _("The amount must be positive.")})
    if receipt:
        check_upload(receipt)
    override_reason = (override_reason or "").strip()
    if override_reason and not rules.is_leader(user):
        raise ValidationError({"override_reason": _("Only a leader may record an override.")})
    if amount > available and not override_reason:
        raise ValidationError({"amount": _(
            "The amount exceeds the budget's balance (%(balance)s yuan). A leader may record an override "
            "with a reason.") % {"balance": f"{available:,.2f}"}}, code="over_balance")
    return override_reason if amount > available else ""


@transaction.atomic
def expenditure_create(*, user, budget: Budget, date, category: str, payee: str, amount: Decimal, purpose: str,
                       receipt=None, override_reason: str = "") -> Expenditure:
    """Enter an expenditure, pending a leader's approval.

    Beyond the balance it is refused, unless a leader records an override with a reason. The budget row is
    locked first (``select_for_update``), so two entries at once are checked one after the other and cannot
    both pass on the same balance."""
    budget = Budget.objects.select_for_update().get(pk=budget.pk)
    override_reason = _check_entry(user=user, budget=budget, date=date, amount=amount, receipt=receipt,
                                   override_reason=override_reason,
                                   available=budget.amount - _committed(budget.pk))
    return Expenditure.objects.create(
        budget=budget, date=date, category=category, payee=payee, amount=amount, purpose=purpose,
        receipt=receipt or "", entered_by=user, override_reason=override_reason)


def _changeable(expenditure: Expenditure) -> tuple[Budget, Expenditure]:
    """The budget and the expenditure, locked in that order (as an entry and a decision lock them); an approved
    expenditure is refused."""
    budget = Budget.objects.select_for_update().get(pk=expenditure.budget_id)
    locked = Expenditure.objects.select_for_update().get(pk=expenditure.pk)
    if locked.status == Expenditure.Status.APPROVED:
        raise ValidationError(_("An approved expenditure cannot be changed or deleted."), code="state")
    return budget, locked


@transaction.atomic
def expenditure_update(*, user, expenditure: Expenditure, date, category: str, payee: str, amount: Decimal,
                       purpose: str, receipt=None, override_reason: str = "") -> Expenditure:
    """Correct an expenditure that is not approved (audited by the model signals): a pending one stays pending;
    a returned one is resubmitted, pending a leader's decision again. The balance rule is the entry's, its own
    amount left out of what is committed; a new receipt replaces the old one, none keeps it."""
    budget, locked = _changeable(expenditure)
    own = locked.amount if locked.status == Expenditure.Status.PENDING else ZERO
    locked.override_reason = _check_entry(user=user, budget=budget, date=date, amount=amount, receipt=receipt,
                                          override_reason=override_reason,
                                          available=budget.amount - _committed(budget.pk) + own)
    locked.date, locked.category, locked.payee, locked.amount, locked.purpose = (date, category, payee, amount,
                                                                                 purpose)
    if receipt:
        locked.receipt = receipt
    locked.status, locked.decided_by, locked.decided_at = Expenditure.Status.PENDING, None, None
    locked.save()
    return locked


@transaction.atomic
def expenditure_delete(*, user, expenditure: Expenditure) -> None:
    """Delete an expenditure that is not approved (audited by the model signals)."""
    _budget, locked = _changeable(expenditure)
    locked.delete()


def _decide(*, expenditure: Expenditure, user) -> Expenditure:
    if not rules.is_leader(user):
        raise PermissionDenied
    locked = Expenditure.objects.select_for_update().get(pk=expenditure.pk)
    if locked.status != Expenditure.Status.PENDING:
        raise ValidationError(_("This expenditure has already been decided."), code="state")
    if locked.entered_by_id == user.pk:
        raise ValidationError(_("An expenditure is approved by a leader other than the person who entered it."),
                              code="own")
    return locked


@transaction.atomic
def expenditure_approve(*, expenditure: Expenditure, user) -> Expenditure:
    locked = _decide(expenditure=expenditure, user=user)
    locked.status, locked.decided_by, locked.decided_at = Expenditure.Status.APPROVED, user, timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    return locked


@transaction.atomic
def expenditure_return(*, expenditure: Expenditure, user, reason: str) -> Expenditure:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for returning the expenditure.")})
    locked = _decide(expenditure=expenditure, user=user)
    locked.status, locked.decided_by, locked.decided_at = Expenditure.Status.RETURNED, user, timezone.now()
    locked.return_reason = reason
    locked.save(update_fields=["status", "decided_by", "decided_at", "return_reason"])
    return locked
