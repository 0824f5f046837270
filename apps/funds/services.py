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


@transaction.atomic
def budget_create(*, user, year: int, jurisdiction, name: str, amount: Decimal, delegation=None,
                  station=None) -> Budget:
    if delegation is not None and station is not None:
        raise ValidationError(_("A budget belongs to a delegation or to a work station, not both."))
    if station is not None and station.jurisdiction_id != jurisdiction.pk:
        raise ValidationError({"station": _("The work station is not in the chosen jurisdiction.")})
    if Budget.objects.filter(year=year, jurisdiction=jurisdiction, name=name).exists():
        raise ValidationError({"name": _("This jurisdiction already has a budget of that name for the year.")})
    return Budget.objects.create(year=year, jurisdiction=jurisdiction, name=name, amount=amount,
                                 delegation=delegation, station=station, created_by=user)


def _committed(budget_pk) -> Decimal:
    """What is approved or pending on the budget (read after the budget row is locked)."""
    from django.db.models import Sum

    total = (Expenditure.objects.filter(budget_id=budget_pk)
             .exclude(status=Expenditure.Status.RETURNED).aggregate(s=Sum("amount"))["s"])
    return total or ZERO


@transaction.atomic
def expenditure_create(*, user, budget: Budget, date, category: str, payee: str, amount: Decimal, purpose: str,
                       receipt=None, override_reason: str = "") -> Expenditure:
    """Enter an expenditure, pending a leader's approval.

    Beyond the balance it is refused, unless a leader records an override with a reason. The budget row is
    locked first (``select_for_update``), so two entries at once are checked one after the other and cannot
    both pass on the same balance."""
    budget = Budget.objects.select_for_update().get(pk=budget.pk)
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
    available = budget.amount - _committed(budget.pk)
    if amount > available and not override_reason:
        raise ValidationError({"amount": _(
            "The amount exceeds the budget's balance (%(balance)s yuan). A leader may record an override "
            "with a reason.") % {"balance": f"{available:,.2f}"}}, code="over_balance")
    return Expenditure.objects.create(
        budget=budget, date=date, category=category, payee=payee, amount=amount, purpose=purpose,
        receipt=receipt or "", entered_by=user,
        override_reason=override_reason if amount > available else "")


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
