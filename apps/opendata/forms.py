"""The portal's search: validation only (a bad value is a message on the page, never an error page)."""

from django import forms
from django.utils.translation import gettext_lazy as _

Q_MAX_LENGTH = 50


class OpenSearchForm(forms.Form):
    """Year (the latest year with published replies unless chosen), category, replying unit and text."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    category = forms.TypedChoiceField(label=_("Category"), coerce=int, required=False, empty_value=None)
    unit = forms.TypedChoiceField(label=_("Handling unit"), coerce=int, required=False, empty_value=None)
    q = forms.CharField(label=_("Search"), max_length=Q_MAX_LENGTH, required=False, strip=True)

    def __init__(self, *args, years, categories, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, year) for year in years]
        self.fields["category"].choices = [("", _("All categories")), *categories]
        self.fields["unit"].choices = [("", _("All units")), *units]
        self.default_year = years[0] if years else None

    def filters(self) -> dict:
        """The filters to apply: the valid ones' values (the default year when none was chosen)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {"year": data.get("year") or self.default_year, "category_id": data.get("category"),
                "unit_id": data.get("unit"), "q": data.get("q", "")}
