"""The publicity forms: validation and normalisation only; the services write."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.activities.models import Activity
from apps.core.models import Jurisdiction
from apps.deputies.participants import split_names
from apps.deputies.selectors import visible_people
from apps.publicity.models import PublicityItem


class PublicityItemForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=PublicityItem.Kind.choices)
    jurisdiction = forms.ModelChoiceField(label=gettext_lazy("Jurisdiction"), queryset=Jurisdiction.objects.none())
    date = forms.DateField(label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    outlet = forms.CharField(label=gettext_lazy("Outlet"), max_length=100)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    issue_number = forms.CharField(label=gettext_lazy("Issue number (newspaper columns)"), max_length=30,
                                   required=False)
    url = forms.URLField(label=gettext_lazy("Link"), max_length=500, required=False, assume_scheme="https")
    attachment = forms.FileField(label=gettext_lazy("Attachment"), required=False)
    deputy_names = forms.CharField(label=gettext_lazy("Featured deputies (names, separated by commas)"),
                                   max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    activities = forms.ModelMultipleChoiceField(label=gettext_lazy("Featured activities"),
                                                queryset=Activity.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        path = user.jurisdiction.path if getattr(user, "jurisdiction", None) else "\x00"
        self.fields["jurisdiction"].queryset = Jurisdiction.objects.filter(path__startswith=path).order_by("path")
        self.fields["activities"].queryset = Activity.objects.filter(
            jurisdiction__path__startswith=path).order_by("-pk")

    def clean_deputy_names(self):
        names = split_names(self.cleaned_data["deputy_names"])
        if not names:
            return []
        people = {}
        for person in visible_people(self.user).filter(name__in=names).only("pk", "name"):
            people.setdefault(person.name, []).append(person)
        unknown = [n for n in names if n not in people]
        ambiguous = [n for n in names if len(people.get(n, ())) > 1]
        if unknown:
            raise ValidationError(_("No deputy in your scope is named: %(names)s.") % {"names": "、".join(unknown)})
        if ambiguous:
            raise ValidationError(_("Several deputies in your scope are named %(names)s.")
                                  % {"names": "、".join(ambiguous)})
        return [people[n][0] for n in names]

    @staticmethod
    def initial_of(item: PublicityItem) -> dict:
        """The form's values for editing ``item``."""
        return {"kind": item.kind, "jurisdiction": item.jurisdiction_id, "date": item.date, "outlet": item.outlet,
                "title": item.title, "issue_number": item.issue_number, "url": item.url,
                "deputy_names": "，".join(p.name for p in item.deputies.all()),
                "activities": [a.pk for a in item.activities.all()]}

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["deputies"] = data.pop("deputy_names")
        return data


class YearForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100, required=False)
    kind = forms.ChoiceField(choices=[("", "")] + list(PublicityItem.Kind.choices), required=False)
