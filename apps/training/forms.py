"""Training forms: validation and normalisation only; saving goes through ``services``."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.deputies.attendance import Attendance
from apps.deputies.forms import DateInput
from apps.deputies.models import Level
from apps.training import selectors
from apps.training.models import Form, Topic, TrainingProgram, TrainingSession
from apps.core.access import is_pk


def _bootstrap(form, small: bool = False):
    """Controls rendered field by field take Bootstrap classes here."""
    size = " form-select-sm" if small else ""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs["class"] = "form-check-input"
        elif isinstance(widget, forms.Select):
            widget.attrs["class"] = "form-select" + size
        else:
            widget.attrs["class"] = "form-control" + (" form-control-sm" if small else "")


class ProgramForm(forms.ModelForm):
    class Meta:
        model = TrainingProgram
        fields = ["title", "form", "topic", "jurisdiction", "level", "organiser", "start_date", "end_date",
                  "description"]
        widgets = {"start_date": DateInput(), "end_date": DateInput(),
                   "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = selectors.scope_jurisdictions(user)
        if not self.instance.pk and user.jurisdiction_id:
            self.initial.setdefault("jurisdiction", user.jurisdiction_id)
        _bootstrap(self)

    def _post_clean(self):
        # The service validates the domain rules and writes; the instance is not built here.
        pass


class SessionForm(forms.ModelForm):
    class Meta:
        model = TrainingSession
        fields = ["title", "date", "hours", "lecturer", "place"]
        widgets = {"date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hours"].min_value = 0
        _bootstrap(self)

    def _post_clean(self):
        pass


class MaterialForm(forms.Form):
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self, small=True)


def _year_choices():
    this_year = timezone.localdate().year
    return [(y, str(y)) for y in range(this_year + 1, this_year - 10, -1)]


class ProgramFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    form = forms.ChoiceField(label=_("Form"), choices=[("", _("All")), *Form.choices], required=False)
    topic = forms.ChoiceField(label=_("Topic"), choices=[("", _("All")), *Topic.choices], required=False)
    level = forms.ChoiceField(label=_("Level"), choices=[("", _("All")), *Level.choices], required=False)
    jurisdiction = forms.ModelChoiceField(label=_("Jurisdiction"), queryset=None, required=False,
                                          empty_label=_("All"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All")), *_year_choices()]
        self.fields["jurisdiction"].queryset = selectors.scope_jurisdictions(user)
        _bootstrap(self, small=True)


class CoverageForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices()
        _bootstrap(self, small=True)

    def chosen_year(self) -> int:
        if self.is_valid() and self.cleaned_data.get("year"):
            return self.cleaned_data["year"]
        return timezone.localdate().year


class UntrainedForm(CoverageForm):
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    jurisdiction = forms.IntegerField(required=False)


class AttendanceForm(forms.Form):
    """One row's attendance: present, on leave (with the reason) or absent."""

    attendance = forms.ChoiceField(label=_("Attendance"), choices=Attendance.choices)
    leave_reason = forms.CharField(label=_("Reason for leave"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self, small=True)


class PeopleForm(AttendanceForm):
    """Add the deputies ticked in a search, or a whole delegation / group / level (``body``)."""

    people = forms.TypedMultipleChoiceField(coerce=int, required=False)
    body = forms.CharField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].valid_value = is_pk

    def clean_body(self):
        body = self.cleaned_data.get("body") or ""
        if not body:
            return None
        kind, _sep, value = body.partition(":")
        if kind in ("delegation", "group") and is_pk(value):
            return kind, int(value)
        if kind == "level" and value in Level.values:
            return kind, value
        raise forms.ValidationError(_("Choose a delegation, a deputy group or a level."))

    def clean(self):
        data = super().clean()
        if not data.get("people") and not data.get("body") and not self.errors:
            raise forms.ValidationError(_("Tick the deputies to add, or choose a delegation, group or level."))
        return data


class PasteForm(AttendanceForm):
    names = forms.CharField(label=_("Names"), widget=forms.Textarea(attrs={"rows": 4}),
                            help_text=_("One name a line, or separated by commas, 、 or spaces."))


class SignInImportForm(forms.Form):
    file = forms.FileField(label=_("Sign-in workbook (.xlsx)"), required=False)
    rows = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self, small=True)

    def clean(self):
        data = super().clean()
        if not data.get("file") and not data.get("rows"):
            raise forms.ValidationError(_("Choose the sign-in workbook."))
        return data


def choices_from(post) -> dict[str, int]:
    """``{name: person_id}`` from the radio buttons ``choice:<name>`` of ambiguous names."""
    chosen = {}
    for key, value in post.items():
        if key.startswith("choice:") and is_pk(value):
            chosen[key[len("choice:"):]] = int(value)
    return chosen
