"""Forms of the supervisors' board: the filters, and what a drill-down link names. Validation only."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.deputies.models import Session
from apps.proposals.models import Kind
from apps.proposals.selectors.board import FIGURES

NO_CATEGORY = "none"


def _year_choices():
    this_year = timezone.localdate().year
    return [("", _("Any year"))] + [(y, str(y)) for y in range(this_year + 1, this_year - 10, -1)]


class BoardFilterForm(forms.Form):
    """Session, year and kind; sessions of the user's congress and those below it."""

    session = forms.ModelChoiceField(label=_("Session"), queryset=Session.objects.none(), required=False,
                                     empty_label=_("All sessions"))
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    kind = forms.ChoiceField(label=_("Type of item"), choices=[("", _("Motions and suggestions")), *Kind.choices],
                             required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The sessions of the user's own congress: a city has a few a term, while the terms of every county
        # and township below would put hundreds in the list.
        self.fields["session"].queryset = (Session.objects.filter(term__jurisdiction=user.jurisdiction)
                                           .order_by("-opens_on", "-pk"))
        self.fields["year"].choices = _year_choices()
        for item in self.fields.values():
            item.widget.attrs["class"] = "form-select form-select-sm"

    def filters(self) -> dict:
        """The valid filters as ``board_scope`` keywords (none when the form is unbound or invalid)."""
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"session": data.get("session"), "year": data.get("year"), "kind": data.get("kind") or None}

    def query(self) -> str:
        """The valid filters as a query string (``&session=..&year=..``) for the figures' links."""
        filters = self.filters()
        parts = []
        if filters.get("session") is not None:
            parts.append(f"&session={filters['session'].pk}")
        if filters.get("year"):
            parts.append(f"&year={filters['year']}")
        if filters.get("kind"):
            parts.append(f"&kind={filters['kind']}")
        return "".join(parts)


class BoardItemsForm(BoardFilterForm):
    """A drill-down: the figure, and the unit's or category's line of the board it was clicked on."""

    figure = forms.ChoiceField(label=_("Figure"), choices=[(name, f.label) for name, f in FIGURES.items()],
                               required=False)
    unit = forms.IntegerField(label=_("Handling unit"), required=False, min_value=1, max_value=2**62)
    category = forms.CharField(label=_("Category"), required=False, max_length=20)

    def clean_figure(self):
        return self.cleaned_data.get("figure") or "total"

    def clean_category(self):
        value = (self.cleaned_data.get("category") or "").strip()
        if value in ("", NO_CATEGORY):
            return value
        if not value.isdigit() or len(value) > 18:
            raise ValidationError(_("Choose a category of the board (or “none” for items without one)."))
        return int(value)

    def category_line(self) -> int | None | str:
        """``selectors.figure_items``'s ``category``: a pk, ``None`` for items without one, ``""`` for none."""
        value = self.cleaned_data.get("category", "")
        return None if value == NO_CATEGORY else value
