"""The roster list's filters, sorting and search."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.models import Jurisdiction
from apps.deputies.models import Delegation, DeputyGroup, Gender, Level, Mandate, Party, Term
from apps.deputies.selectors import search_filter

SORTS = {
    "name": ("person__name_pinyin", "pk"),
    "-name": ("-person__name_pinyin", "-pk"),
    "level": ("level", "person__name_pinyin", "pk"),
    "-level": ("-level", "person__name_pinyin", "pk"),
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
    term = django_filters.ModelChoiceFilter(label=_("Term"), queryset=Term.objects.none(), widget=_Select)
    jurisdiction = django_filters.ModelChoiceFilter(label=_("Jurisdiction"), queryset=Jurisdiction.objects.none(),
                                                    method="filter_jurisdiction", widget=_Select)
    delegation = django_filters.ModelChoiceFilter(label=_("Delegation"), queryset=Delegation.objects.none(),
                                                  widget=_Select)
    group = django_filters.ModelChoiceFilter(label=_("Deputy group"), queryset=DeputyGroup.objects.none(),
                                             widget=_Select)
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
        super().__init__(data, *args, **kwargs)
        options = options or {}
        for name in ("term", "jurisdiction", "delegation", "group"):
            if name in options:
                self.filters[name].queryset = options[name]
                self.form.fields[name].queryset = options[name]

    def filter_q(self, qs, name, value):
        return qs.filter(search_filter(value))

    def filter_jurisdiction(self, qs, name, value):
        return qs.filter(jurisdiction__path__startswith=value.path)

    def filter_sort(self, qs, name, value):
        return qs.order_by(*SORTS.get(value, SORTS["name"]))

    @property
    def qs(self):
        qs = super().qs
        if not (self.form.is_bound and self.form.is_valid() and self.form.cleaned_data.get("sort")):
            qs = qs.order_by(*SORTS["name"])
        return qs
