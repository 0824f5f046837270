"""The roster list's filters, sorting and search."""

import copy

import django_filters
from django import forms
from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _

from apps.deputies.models import LEVEL_ORDER, Gender, Level, Mandate, Party
from apps.deputies.selectors import search_filter

# Levels sort from national down to township, not alphabetically.
_LEVEL_RANK = Case(*[When(level=value, then=Value(rank)) for rank, value in enumerate(LEVEL_ORDER)],
                   output_field=IntegerField())

SORTS = {
    "name": ("person__name_pinyin", "pk"),
    "-name": ("-person__name_pinyin", "-pk"),
    "level": (_LEVEL_RANK.asc(), "person__name_pinyin", "pk"),
    "-level": (_LEVEL_RANK.desc(), "person__name_pinyin", "pk"),
    "birth": ("person__birth_date", "pk"),
    "-birth": ("-person__birth_date", "pk"),
    "start": ("start_date", "pk"),
    "-start": ("-start_date", "pk"),
}


class OptionField(forms.Field):
    """A choice among the records in the user's scope (terms, jurisdictions, delegations, groups).

    Unlike ``ChoiceField`` it neither normalises nor deep-copies its several hundred choices for every form
    built (the roster list is the busiest page); a value outside the options is invalid and so ignored.
    """

    default_error_messages = {
        "invalid_choice": _("Select a valid choice. That choice is not one of the available choices."),
    }

    def __init__(self, *, options=(), empty_label="---------", **kwargs):
        kwargs.pop("choices", None)
        super().__init__(**kwargs)
        self.options = list(options)
        self.empty_label = empty_label
        self._allowed = {str(pk) for pk, _label in self.options}

    def __deepcopy__(self, memo):
        result = copy.copy(self)
        result.widget = copy.copy(self.widget)
        result.error_messages = self.error_messages.copy()
        memo[id(self)] = result
        return result

    @property
    def choices(self):
        return [("", self.empty_label), *self.options]

    def clean(self, value):
        value = super().clean(value)
        if value in (None, ""):
            return None
        if str(value) not in self._allowed:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return str(value)


class OptionFilter(django_filters.Filter):
    field_class = OptionField


class _Select(forms.Select):
    def __init__(self, attrs=None, choices=()):
        super().__init__({"class": "form-select form-select-sm", **(attrs or {})}, choices)


class RosterFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name, pinyin or initials"), method="filter_q",
                                  widget=forms.TextInput(attrs={"class": "form-control form-control-sm",
                                                                "placeholder": _("e.g. Zhang Sanfeng / zsf")}))
    level = django_filters.ChoiceFilter(label=_("Level"), choices=Level.choices, widget=_Select)
    # The choices of these four are the user's ``selectors.filter_options`` (read in one query): a value
    # outside the user's scope is not a valid choice and is ignored, and no query is spent validating one.
    term = OptionFilter(label=_("Term"))
    jurisdiction = OptionFilter(label=_("Jurisdiction"), method="filter_jurisdiction")
    delegation = OptionFilter(label=_("Delegation"))
    group = OptionFilter(label=_("Deputy group"))
    party = django_filters.ChoiceFilter(label=_("Party"), field_name="person__party", choices=Party.choices,
                                        widget=_Select)
    gender = django_filters.ChoiceFilter(label=_("Gender"), field_name="person__gender", choices=Gender.choices,
                                         widget=_Select)
    ethnicity = django_filters.CharFilter(label=_("Ethnicity"), field_name="person__ethnicity",
                                          widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}))
    sector = django_filters.CharFilter(label=_("Sector"), field_name="person__sector", lookup_expr="contains",
                                       widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Mandate.Status.choices, widget=_Select,
                                         empty_label=_("All statuses"))
    sort = django_filters.ChoiceFilter(label=_("Sort by"), method="filter_sort", widget=_Select, choices=[
        ("name", _("Name (pinyin)")), ("-name", _("Name (pinyin, descending)")),
        ("level", _("Level")), ("-birth", _("Youngest first")), ("birth", _("Oldest first")),
        ("-start", _("Newest mandate first")), ("start", _("Oldest mandate first")),
    ], empty_label=None)

    class Meta:
        model = Mandate
        fields = []

    def __init__(self, data=None, *args, options=None, **kwargs):
        """``options``: ``selectors.filter_options(user)``, the (pk, name) choices in the user's scope."""
        super().__init__(data, *args, **kwargs)
        options = options or {}
        for name in ("term", "jurisdiction", "delegation", "group"):
            self.filters[name].extra["options"] = options.get(name, [])

    def filter_q(self, qs, name, value):
        return qs.filter(search_filter(value))

    def filter_jurisdiction(self, qs, name, value):
        # The jurisdiction and every one below it: their materialised paths all contain "/<pk>/".
        return qs.filter(jurisdiction__path__contains=f"/{int(value)}/")

    def filter_sort(self, qs, name, value):
        return qs.order_by(*SORTS.get(value, SORTS["name"]))

    @property
    def qs(self):
        qs = super().qs
        # An invalid value in another filter must not drop the chosen sort (cleaned_data keeps the valid ones).
        if not (self.is_bound and getattr(self.form, "cleaned_data", {}).get("sort")):
            qs = qs.order_by(*SORTS["name"])
        return qs
