"""Roster forms: validation and normal forms only; saving goes through ``services``."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core import locking
from apps.deputies import validators
from apps.deputies.models import Delegation, DeputyGroup, ElectoralUnit, Mandate, Person, Term


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name", "gender", "ethnicity", "birth_date", "id_number", "phone", "party", "education",
                  "employer", "post", "sector", "occupation", "address", "photo"]
        widgets = {"birth_date": DateInput()}

    def __init__(self, *args, show_personal_data: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("name", css_class="col-md-4"), Column("gender", css_class="col-md-2"),
                Column("ethnicity", css_class="col-md-3"), Column("birth_date", css_class="col-md-3")),
            Row(Column("id_number", css_class="col-md-6"), Column("phone", css_class="col-md-6")),
            Row(Column("party", css_class="col-md-4"), Column("education", css_class="col-md-4"),
                Column("occupation", css_class="col-md-4")),
            Row(Column("employer", css_class="col-md-6"), Column("post", css_class="col-md-3"),
                Column("sector", css_class="col-md-3")),
            "address", "photo",
        )
        if self.instance.pk:  # the version the form was opened on (optimistic locking)
            self.fields["version"] = locking.VersionField()
            self.initial["version"] = self.instance.version
        if not show_personal_data and self.instance.pk:
            # Editing without the right to see them: the values stay, only the masked form is shown.
            for name in ("id_number", "phone"):
                self.fields[name].disabled = True
                self.initial[name] = getattr(self.instance, f"masked_{name}")

    def clean_name(self):
        return validators.normalize_text(self.cleaned_data["name"]).replace(" ", "")

    def clean_id_number(self):
        if self.fields["id_number"].disabled:
            return self.instance.id_number
        return validators.normalize_id_number(self.cleaned_data["id_number"])

    def clean_phone(self):
        if self.fields["phone"].disabled:
            return self.instance.phone
        return validators.normalize_phone(self.cleaned_data["phone"])

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and hasattr(photo, "size") and photo.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The photo is larger than 5 MB."))
        if photo is False:  # "clear" was ticked: the service stores an empty file name
            return ""
        return photo

    def clean(self):
        data = super().clean()
        id_number, birth = data.get("id_number"), data.get("birth_date")
        if id_number and not birth:
            data["birth_date"] = validators.id_birth_date(id_number)
        elif id_number and birth and validators.id_birth_date(id_number) != birth:
            self.add_error("birth_date", _("The birth date does not match the ID number."))
        return data


class MandateForm(forms.ModelForm):
    class Meta:
        model = Mandate
        fields = ["term", "electoral_unit", "delegation", "group", "start_date"]
        widgets = {"start_date": DateInput()}

    def __init__(self, *args, scope_path: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = Term.objects.filter(jurisdiction__path__startswith=scope_path)
        self.fields["electoral_unit"].queryset = ElectoralUnit.objects.filter(
            jurisdiction__path__startswith=scope_path)
        self.fields["delegation"].queryset = Delegation.objects.filter(
            term__jurisdiction__path__startswith=scope_path).select_related("term")
        self.fields["group"].queryset = DeputyGroup.objects.filter(jurisdiction__path__startswith=scope_path)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("term", css_class="col-md-6"), Column("start_date", css_class="col-md-6")),
            Row(Column("electoral_unit", css_class="col-md-4"), Column("delegation", css_class="col-md-4"),
                Column("group", css_class="col-md-4")),
            Submit("save", _("Save")),
        )

    def clean(self):
        data = super().clean()
        term, delegation = data.get("term"), data.get("delegation")
        if term and delegation and delegation.term_id != term.pk:
            self.add_error("delegation", _("This delegation belongs to another term."))
        if term and data.get("start_date") and data["start_date"] < term.start_date:
            self.add_error("start_date", _("The mandate cannot start before its term (%(date)s).")
                           % {"date": term.start_date.strftime("%Y-%m-%d")})
        return data


class MandateEndForm(forms.Form):
    end_date = forms.DateField(label=_("End date"), widget=DateInput())
    end_reason = forms.ChoiceField(label=_("End reason"),
                                   choices=[c for c in Mandate.EndReason.choices])

    def __init__(self, *args, mandate: Mandate, **kwargs):
        super().__init__(*args, **kwargs)
        self.mandate = mandate
        self.helper = FormHelper()
        self.helper.layout = Layout(Row(Column("end_date"), Column("end_reason")),
                                    Submit("end", _("End the mandate"), css_class="btn-danger"))

    def clean_end_date(self):
        end = self.cleaned_data["end_date"]
        if end < self.mandate.start_date:
            raise forms.ValidationError(_("The end date is before the mandate started."))
        return end


class RosterImportForm(forms.Form):
    file = forms.FileField(label=_("Roster workbook (.xlsx)"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Please upload an Excel workbook ending in .xlsx."))
        return f
