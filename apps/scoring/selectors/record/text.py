"""How the performance record writes its figures: points, rates and the kinds of rule items (the page and the
PDF print the same text)."""

from decimal import Decimal

from django.utils.translation import gettext as _

from apps.scoring.models import RuleItem


def kind_labels() -> dict[str, str]:
    """Labels of the kinds of rule items on the record (基本项 / 加分项 / 扣分项)."""
    return {RuleItem.Kind.ITEM: _("Basic item"), RuleItem.Kind.BONUS: _("Bonus item"),
            RuleItem.Kind.DEDUCTION: _("Deduction item")}


def points_text(value) -> str:
    """Points as the page and the PDF show them: no trailing zeros ("2", "0.5", "-4", "83.5")."""
    if value is None:
        return ""
    text = format(Decimal(value).normalize(), "f")
    return "0" if text in ("-0", "0") else text


def rate_text(value) -> str:
    """A percentage for display ("87.5%"; "—" when there is nothing to rate)."""
    return "—" if value is None else f"{points_text(value)}%"


def rate(part: int, whole: int) -> Decimal | None:
    """``part / whole`` as a percentage with one decimal (None when there is nothing to divide)."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))
