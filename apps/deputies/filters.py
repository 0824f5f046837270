"""The roster list's filters, sorting and search."""

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


class _Select(forms.Select):
    def __init__(self, attrs=None, choices=()):
        super().__init__({"class": "form-select form-select-sm", **(attrs or {})}, choices)


class RosterFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name, pinyin or initials"), method="filter_q",
                                  widget=forms.TextInput(attrs={"class": "form-control form-control-sm",
                                                                "placeholder": _("e.g. 张三丰 / zsf")}))
    level = django_filters.ChoiceFilter(label=_("Level"), choices=Level.choices, widget=_Select)
    # The choices of these four are the user's ``selectors.filter_options`` (read in one query): a value
    # outside the user's scope is not a valid choice and is ignored, and no query is spent validating one.
    term = django_filters.ChoiceFilter(label=_("Term"), choices=[], widget=_Select)
    jurisdiction = django_filters.ChoiceFilter(label=_("Jurisdiction"), choices=[], method="filter_jurisdiction",
                                               widget=_Select)
    delegation = django_filters.ChoiceFilter(label=_("Delegation"), choices=[], widget=_Select)
    group = django_filters.ChoiceFilter(label=_("Deputy group"), choices=[], widget=_Select)
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
            self.filters[name].extra["choices"] = [(str(pk), label) for pk, label in options.get(name, [])]

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
