"""The filters every analysis page shares: year, level and jurisdiction (within the user's scope)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.deputies.models import Level

FIRST_YEAR = 1990
LAST_YEAR = 2100


class FilterForm(forms.Form):
    """Validation only; a value that is not valid is reported and the page falls back to its default."""

    year = forms.IntegerField(
        label=_("Year"), required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR,
        error_messages={"invalid": _("The year must be a number such as 2026; the current year is shown."),
                        "min_value": _("The year must be from 1990 to 2100; the current year is shown."),
                        "max_value": _("The year must be from 1990 to 2100; the current year is shown.")},
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}))
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("All levels")), *Level.choices],
        error_messages={"invalid_choice": _("Choose a level from the list; all levels are shown.")},
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    jurisdiction = forms.ChoiceField(
        label=_("Jurisdiction"), required=False,
        error_messages={"invalid_choice": _("Choose a jurisdiction of your own area; your whole area is shown.")},
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}))

    def __init__(self, data, *, jurisdictions, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["jurisdiction"].choices = [("", _("My whole area")),
                                               *((str(j.pk), j.name) for j in jurisdictions)]
