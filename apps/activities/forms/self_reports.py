"""Forms of self-reports (履职登记): validation only, saving is a service's."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.activities.models import SelfReport
from apps.activities.selectors import self_reports as selectors
from apps.deputies.forms import DateInput

NEW_ACTIVITY = "new"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Zero or more files from one input (the Django documentation's recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class SelfReportForm(forms.Form):
    """What a deputy reports: the activity, its date(s) and place, what they did, and evidence."""

    type = forms.ModelChoiceField(label=_("Type of activity"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("Title"), max_length=200)
    start_date = forms.DateField(label=_("Date"), widget=DateInput())
    end_date = forms.DateField(label=_("End date"), widget=DateInput(), required=False,
                               help_text=_("Only for an activity over several days."))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    description = forms.CharField(label=_("What you did"), widget=forms.Textarea(attrs={"rows": 5}))
    evidence = MultipleFileField(label=_("Evidence"), required=False,
                                 help_text=_("Photos (JPEG, PNG) or documents (PDF, Word, Excel); optional."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].queryset = selectors.active_types()
        self.fields["evidence"].widget.attrs["accept"] = ".jpg,.jpeg,.png,.pdf,.docx,.xlsx"
        if not self.is_bound and "start_date" not in self.initial:
            self.initial["start_date"] = timezone.localdate()

    def clean_start_date(self):
        date = self.cleaned_data["start_date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future: report an activity once it has "
                                          "taken place."))
        return date

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return data


class SelfReportFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All")), *SelfReport.Status.choices])
    type = forms.ModelChoiceField(label=_("Type of activity"), queryset=None, required=False,
                                  empty_label=_("All"))
    date_from = forms.DateField(label=_("From"), widget=DateInput(), required=False)
    date_to = forms.DateField(label=_("To"), widget=DateInput(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from apps.activities.models import ActivityType

        self.fields["type"].queryset = ActivityType.objects.all()
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-select form-select-sm" if isinstance(
                field.widget, forms.Select) else "form-control form-control-sm")


class SelfReportVerifyForm(forms.Form):
    """Verify into a new activity, or add the deputy to one of the matching activities."""

    activity = forms.ChoiceField(label=_("Record as"), widget=forms.RadioSelect)

    def __init__(self, *args, activities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.activities = {str(a.pk): a for a in activities}
        self.fields["activity"].choices = [
            (NEW_ACTIVITY, _("A new activity, with the deputy as its participant")),
            *[(pk, f"{a.title} · {a.start_date:%Y-%m-%d} · {a.jurisdiction}") for pk, a in self.activities.items()],
        ]
        self.initial.setdefault("activity", NEW_ACTIVITY)

    def chosen_activity(self):
        """The existing activity chosen, or None for a new one."""
        return self.activities.get(self.cleaned_data["activity"])


class SelfReportRejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason for rejection"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("The deputy is told this reason."))


class SelfReportUnverifyForm(forms.Form):
    reason = forms.CharField(label=_("Reason for reversing the verification"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("The deputy is told this reason; the self-report is pending again."))


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years")), *[(y, str(y)) for y in years]]
        self.fields["year"].widget.attrs.update({"class": "form-select form-select-sm", "data-autosubmit": ""})
