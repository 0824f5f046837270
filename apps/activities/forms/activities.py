"""Forms of the staff side of activities: validation only, saving is a service's."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.activities.models import Attachment
from apps.activities.selectors import activities as selectors
from apps.deputies.attendance import Attendance
from apps.deputies.forms import DateInput
from apps.deputies.models import Level

# The level of the congress of a jurisdiction of each kind (the default organiser's level of a new activity).
LEVEL_OF_KIND = {"city": Level.MUNICIPAL, "county": Level.COUNTY, "township": Level.TOWNSHIP}


def _small_widgets(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs["class"] = "form-check-input"
        elif isinstance(widget, forms.Select):
            widget.attrs["class"] = "form-select form-select-sm"
        else:
            widget.attrs["class"] = "form-control form-control-sm"


class JurisdictionField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ActivityTypeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    code = forms.SlugField(label=_("Code"), max_length=40,
                           help_text=_("A stable English name, e.g. inspection (letters, digits, underscores)."))
    has_outcomes = forms.BooleanField(label=_("Records outcomes"), required=False,
                                      help_text=_("Suggestions raised, households and people helped, funds."))
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=32767, initial=100)


class ActivityFilterForm(forms.Form):
    type = forms.ModelChoiceField(label=_("Type"), queryset=None, required=False, empty_label=_("All"))
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    jurisdiction = JurisdictionField(label=_("Organiser"), queryset=None, required=False, empty_label=_("All"))
    level = forms.ChoiceField(label=_("Level"), choices=[("", _("All")), *Level.choices], required=False)
    q = forms.CharField(label=_("Title contains"), required=False, max_length=100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].queryset = selectors.activity_types()
        self.fields["jurisdiction"].queryset = selectors.jurisdictions_for(user)
        _small_widgets(self)


class ActivityForm(forms.Form):
    type = forms.ModelChoiceField(label=_("Type"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=200)
    jurisdiction = JurisdictionField(label=_("Organiser's jurisdiction"), queryset=None)
    level = forms.ChoiceField(label=_("Organiser's level"), choices=[("", "---------"), *Level.choices])
    organiser = forms.CharField(label=_("Organising body"), max_length=100, required=False,
                                help_text=_("e.g. the standing committee's office, a deputy group"))
    start_date = forms.DateField(label=_("Date"), widget=DateInput())
    end_date = forms.DateField(label=_("End date"), required=False, widget=DateInput(),
                               help_text=_("Only for an activity lasting several days."))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, user, activity=None, **kwargs):
        super().__init__(*args, **kwargs)
        types = selectors.activity_types()
        self.fields["type"].queryset = types if activity else types.filter(is_active=True)
        self.fields["jurisdiction"].queryset = selectors.jurisdictions_for(user)
        if not self.is_bound and activity is None and user.jurisdiction_id:
            self.initial.setdefault("jurisdiction", user.jurisdiction_id)
            # The organiser is usually the user's own congress: a city's staff organise municipal activities.
            self.initial.setdefault("level", LEVEL_OF_KIND.get(user.jurisdiction.kind, ""))

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return data


ATTENDANCE_CHOICES = Attendance.choices


class AddPeopleForm(forms.Form):
    """Add the people chosen in the search box."""

    person = forms.TypedMultipleChoiceField(label=_("Deputies"), coerce=int, choices=(), required=True)
    attendance = forms.ChoiceField(label=_("Attendance"), choices=ATTENDANCE_CHOICES, initial=Attendance.PRESENT)
    leave_reason = forms.CharField(label=_("Reason for leave"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The choices come from the remote search: any id is accepted here, the service checks eligibility.
        self.fields["person"].valid_value = lambda value: str(value).isdigit()

    def clean(self):
        data = super().clean()
        if data.get("attendance") == Attendance.LEAVE and not (data.get("leave_reason") or "").strip():
            self.add_error("leave_reason", _("Give the reason for leave."))
        return data


class AddBodyForm(forms.Form):
    """A whole delegation, deputy group or level."""

    delegation = forms.IntegerField(required=False)
    group = forms.IntegerField(required=False)
    mandate_level = forms.ChoiceField(label=_("Level"), choices=[("", "---------"), *Level.choices], required=False)

    def clean(self):
        data = super().clean()
        chosen = [k for k in ("delegation", "group", "mandate_level") if data.get(k)]
        if len(chosen) != 1:
            raise forms.ValidationError(_("Choose one delegation, one deputy group or one level."))
        return data


class PasteForm(forms.Form):
    text = forms.CharField(label=_("Names"), widget=forms.Textarea(attrs={"rows": 6, "id": "paste-names"}),
                           help_text=_("One name per line, or separated by commas, 、 or spaces."))
    attendance = forms.ChoiceField(label=_("Attendance"), choices=ATTENDANCE_CHOICES, initial=Attendance.PRESENT,
                                   widget=forms.Select(attrs={"id": "paste-attendance", "aria-label": _("Attendance")}))
    leave_reason = forms.CharField(label=_("Reason for leave"), max_length=200, required=False,
                                   widget=forms.TextInput(attrs={"id": "paste-leave-reason",
                                                                 "aria-label": _("Reason for leave")}))

    def clean(self):
        data = super().clean()
        if data.get("attendance") == Attendance.LEAVE and not (data.get("leave_reason") or "").strip():
            self.add_error("leave_reason", _("Give the reason for leave."))
        return data


class SignInImportForm(forms.Form):
    file = forms.FileField(label=_("Sign-in workbook (.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"id": "signin-file", "accept": ".xlsx",
                                                                   "aria-label": _("Sign-in workbook (.xlsx)")}))


class ParticipationForm(forms.Form):
    attendance = forms.ChoiceField(label=_("Attendance"), choices=ATTENDANCE_CHOICES)
    leave_reason = forms.CharField(label=_("Reason for leave"), max_length=200, required=False)
    suggestions_raised = forms.IntegerField(label=_("Suggestions raised"), min_value=0, required=False)
    households_helped = forms.IntegerField(label=_("Households helped"), min_value=0, required=False)
    people_helped = forms.IntegerField(label=_("People helped"), min_value=0, required=False)
    funds_donated = forms.DecimalField(label=_("Funds (yuan)"), min_value=0, max_digits=14, decimal_places=2,
                                       required=False)


class BulkLeaveForm(forms.Form):
    person = forms.TypedMultipleChoiceField(coerce=int, choices=(), required=False)
    leave_reason = forms.CharField(label=_("Reason for leave"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].valid_value = lambda value: str(value).isdigit()


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Attachment.Kind.choices, initial=Attachment.Kind.PHOTO)
    file = forms.FileField(label=_("File"), widget=forms.ClearableFileInput(
        attrs={"id": "attachment-file", "aria-label": _("File")}))


class TotalsForm(forms.Form):
    date_from = forms.DateField(label=_("From"), widget=DateInput())
    date_to = forms.DateField(label=_("To"), widget=DateInput())
    jurisdiction = JurisdictionField(label=_("Organiser"), queryset=None, required=False, empty_label=_("All"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = selectors.jurisdictions_for(user)
        _small_widgets(self)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end date cannot be before the start date."))
        return data


class ParticipantsGrid:
    """The posted participants grid: per participation ``attendance-<pk>``, ``leave_reason-<pk>`` and, for a
    type recording outcomes, ``suggestions_raised-<pk>`` ... ``funds_donated-<pk>``. A name that is not a
    participation pk is refused (a stale or forged page)."""

    NAME = re.compile(r"^attendance-(\d{1,18})$")
    FIELDS = ("attendance", "leave_reason", "suggestions_raised", "households_helped", "people_helped",
              "funds_donated")

    def __init__(self, data):
        self.data = data
        self.errors: dict[str, list[str]] = {}

    def rows(self) -> dict[int, dict]:
        rows = {}
        for name in self.data:
            if not name.startswith("attendance-"):
                continue
            match = self.NAME.match(name)
            if not match:
                self.errors[name] = [str(_("A row of the grid is not a participant of this activity; reload the "
                                           "page."))]
                continue
            pk = int(match.group(1))
            rows[pk] = {f: self.data.get(f"{f}-{pk}") for f in self.FIELDS if f"{f}-{pk}" in self.data}
        if not rows and not self.errors:
            self.errors["__all__"] = [str(_("There is no participant to save."))]
        return rows

    def value(self, pk: int, field: str):
        return self.data.get(f"{field}-{pk}")
