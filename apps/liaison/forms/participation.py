"""Forms of the participation pages: validation and normalisation only; saving goes through the services."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.committee.forms import PeriodForm
from apps.deputies.forms import DateInput
from apps.deputies.validators import normalize_text
from apps.liaison.models import Invitation, Opinion, Recommendation

DECIDED = [c for c in Opinion.Outcome.choices if c[0] != Opinion.Outcome.PENDING]


class InvitationForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["kind", "title", "date"]
        widgets = {"date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("kind", css_class="col-md-4"), Column("date", css_class="col-md-3")),
            "title",
            Submit("save", _("Save")),
        )

    def clean_title(self):
        return normalize_text(self.cleaned_data["title"]).strip()


class InvitationFilterForm(forms.Form):
    q = forms.CharField(label=_("Title"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *Invitation.Kind.choices])
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1949, max_value=2100)


class _DelegationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.term.name} · {obj.name}"


class InviteForm(forms.Form):
    """Deputies to invite: some found by name or pinyin initials, or a whole delegation or deputy group."""

    people = forms.ModelMultipleChoiceField(label=_("Deputies"), queryset=None, required=False)
    delegation = _DelegationChoice(label=_("A whole delegation"), queryset=None, required=False)
    group = forms.ModelChoiceField(label=_("A whole deputy group"), queryset=None, required=False)

    def __init__(self, *args, people, delegations, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people
        self.fields["delegation"].queryset = delegations
        self.fields["group"].queryset = groups
        for name in ("delegation", "group"):
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("people") or data.get("delegation") or data.get("group")):
            raise forms.ValidationError(_("Choose deputies, a delegation or a deputy group to invite."))
        return data


class OpinionForm(forms.ModelForm):
    class Meta:
        model = Opinion
        fields = ["content"]
        widgets = {"content": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout("content", Submit("save", _("Save")))

    def clean_content(self):
        content = normalize_text(self.cleaned_data["content"]).strip()
        if not content:
            raise forms.ValidationError(_("Write down the opinion."))
        return content


class OpinionOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=DECIDED, widget=forms.RadioSelect)
    explanation = forms.CharField(label=_("Explanation to the deputy"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text=_("Required when the opinion is not adopted; the deputy reads it."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout("outcome", "explanation", Submit("save", _("Save and tell the deputy")))

    def clean(self):
        data = super().clean()
        data["explanation"] = (data.get("explanation") or "").strip()
        if data.get("outcome") == Opinion.Outcome.NOT_ADOPTED and not data["explanation"]:
            self.add_error("explanation", _("Explain to the deputy why the opinion was not adopted."))
        return data


class RecommendationForm(PeriodForm):
    class Meta:
        model = Recommendation
        fields = ["role", "organisation", "start_date", "end_date"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("role", css_class="col-md-4"), Column("organisation", css_class="col-md-8")),
            Row(Column("start_date", css_class="col-md-4"), Column("end_date", css_class="col-md-4")),
            Submit("save", _("Save")),
        )

    def clean_organisation(self):
        return normalize_text(self.cleaned_data["organisation"]).strip()


class RecommendationFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or pinyin initials"), required=False)
    role = forms.ChoiceField(label=_("Role"), required=False,
                             choices=[("", _("All roles")), *Recommendation.Role.choices])
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1949, max_value=2100)
    current = forms.BooleanField(label=_("Serving now"), required=False)
