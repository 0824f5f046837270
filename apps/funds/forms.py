"""The funds' forms: validation and normalisation only; the services write."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.models import Jurisdiction
from apps.deputies.models import Delegation
from apps.funds.models import AMOUNT_DIGITS, MIN_AMOUNT, Expenditure
from apps.stations.models import Station


def _in_scope(user, qs, field):
    path = user.jurisdiction.path if getattr(user, "jurisdiction", None) else "\x00"
    return qs.filter(**{f"{field}__path__startswith": path})


class BudgetForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    jurisdiction = forms.ModelChoiceField(label=_("Jurisdiction"), queryset=Jurisdiction.objects.none())
    delegation = forms.ModelChoiceField(label=_("Delegation"), queryset=Delegation.objects.none(), required=False)
    station = forms.ModelChoiceField(label=_("Work station"), queryset=Station.objects.none(), required=False)
    name = forms.CharField(label=pgettext_lazy("budget", "Name"), max_length=100)
    amount = forms.DecimalField(label=_("Budgeted amount (yuan)"), max_digits=AMOUNT_DIGITS, decimal_places=2,
                                min_value=MIN_AMOUNT)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        path = user.jurisdiction.path if getattr(user, "jurisdiction", None) else "\x00"
        self.fields["jurisdiction"].queryset = Jurisdiction.objects.filter(path__startswith=path).order_by("path")
        self.fields["delegation"].queryset = Delegation.objects.filter(
            term__jurisdiction__path__startswith=path).select_related("term")
        self.fields["station"].queryset = _in_scope(user, Station.objects.all(), "jurisdiction")


class ExpenditureForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    category = forms.ChoiceField(label=_("Category"), choices=Expenditure.Category.choices)
    payee = forms.CharField(label=_("Payee"), max_length=100)
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=AMOUNT_DIGITS, decimal_places=2,
                                min_value=MIN_AMOUNT)
    purpose = forms.CharField(label=_("Purpose"), max_length=200)
    receipt = forms.FileField(label=_("Receipt"), required=False)
    override_reason = forms.CharField(label=_("Reason for exceeding the balance (leaders only)"), max_length=500,
                                      required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, leader: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not leader:
            del self.fields["override_reason"]


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Reason for return"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
