"""The form that starts a batch: validation and normalisation only; the service writes."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import Jurisdiction
from apps.deputies.models import Level
from apps.reports.services import MIN_YEAR

YEARS_OFFERED = 6


class _NameChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class BatchStartForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=())
    jurisdiction = _NameChoiceField(label=_("Jurisdiction"), queryset=Jurisdiction.objects.none(),
                                    help_text=_("Its deputies and those of the jurisdictions below it."))
    level = forms.ChoiceField(label=_("Level"), required=False,
                              choices=[("", _("All levels")), *Level.choices])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        years = range(this_year, max(MIN_YEAR, this_year - YEARS_OFFERED) - 1, -1)
        self.fields["year"].choices = [(year, str(year)) for year in years]
        self.fields["year"].initial = this_year
        own = user.jurisdiction
        self.fields["jurisdiction"].queryset = (Jurisdiction.objects.filter(path__startswith=own.path)
                                                if own else Jurisdiction.objects.none())
        self.fields["jurisdiction"].initial = user.jurisdiction_id
