"""Forms of the performance record's pages: the year, a dispute of a score line, reports to voters and
commendations, and the staff lists' filters. Validation and normalisation only: the services write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.deputies.models import Level, Mandate
from apps.scoring.services.disputes import COMMENT_MAX

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
TEXT = {"class": "form-control"}
NUMBER = {"class": "form-control", "min": "0", "inputmode": "numeric"}
MAX_PEOPLE = 1_000_000


class MandateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, mandate: Mandate) -> str:
        return f"{mandate.get_level_display()} · {mandate.term.name}"


class YearForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100, required=False)


class DisputeForm(forms.Form):
    """A deputy's dispute of one line of their score (the score and item come from the line's form)."""

    score = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    item = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    comment = forms.CharField(label=_("What is wrong, counted twice or missing"), max_length=COMMENT_MAX,
                              widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}))


class _MandateForm(forms.Form):
    def __init__(self, *args, mandates=None, **kwargs):
        super().__init__(*args, **kwargs)
        if "mandate" in self.fields:
            qs = mandates if mandates is not None else Mandate.objects.none()
            self.fields["mandate"].queryset = qs.select_related("term")
            if len(self.fields["mandate"].queryset) == 1:
                self.fields["mandate"].initial = self.fields["mandate"].queryset[0].pk


class VoterReportForm(_MandateForm):
    mandate = MandateChoiceField(label=_("Mandate"), queryset=Mandate.objects.none(), empty_label=None,
                                 widget=forms.Select(attrs={"class": "form-select"}))
    date = forms.DateField(label=_("Date of the report"), widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=200, widget=forms.TextInput(attrs=TEXT))
    attendance = forms.IntegerField(label=_("Voters present"), min_value=0, max_value=MAX_PEOPLE,
                                    widget=forms.NumberInput(attrs=NUMBER))
    satisfied = forms.IntegerField(label=_("Satisfied"), min_value=0, max_value=MAX_PEOPLE, initial=0,
                                   widget=forms.NumberInput(attrs=NUMBER))
    basically_satisfied = forms.IntegerField(label=_("Basically satisfied"), min_value=0, max_value=MAX_PEOPLE,
                                             initial=0, widget=forms.NumberInput(attrs=NUMBER))
    unsatisfied = forms.IntegerField(label=_("Unsatisfied"), min_value=0, max_value=MAX_PEOPLE, initial=0,
                                     widget=forms.NumberInput(attrs=NUMBER))
    text = forms.CharField(label=_("The report"), required=False,
                           widget=forms.Textarea(attrs={"class": "form-control", "rows": 5}))

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in ("date", "place", "attendance", "satisfied", "basically_satisfied",
                                              "unsatisfied", "text")}


class VoterReportEditForm(VoterReportForm):
    """The same without the mandate (a report stays with its deputy)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["mandate"]


class CommendationForm(_MandateForm):
    mandate = MandateChoiceField(label=_("Mandate"), queryset=Mandate.objects.none(), empty_label=None,
                                 widget=forms.Select(attrs={"class": "form-select"}))
    date = forms.DateField(label=_("Date awarded"), widget=DATE)
    title = forms.CharField(label=_("Commendation"), max_length=200, widget=forms.TextInput(attrs=TEXT))
    awarded_by = forms.CharField(label=_("Awarded by"), max_length=100, widget=forms.TextInput(attrs=TEXT))

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("date", "title", "awarded_by")}


class CommendationEditForm(CommendationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["mandate"]


class RecordFilterForm(forms.Form):
    """Filters of the staff's lists of reports to voters and commendations."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False,
                              widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}))
    level = forms.ChoiceField(label=_("Level"), required=False, choices=[("", _("All levels")), *Level.choices],
                              widget=forms.Select(attrs={"class": "form-select form-select-sm",
                                                         "data-autosubmit": ""}))
    q = forms.CharField(label=_("Deputy"), required=False, max_length=50,
                        widget=forms.TextInput(attrs={"class": "form-control form-control-sm",
                                                      "placeholder": _("Name or pinyin")}))

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {"year": None, "level": "", "q": ""}
        data = self.cleaned_data
        return {"year": data.get("year"), "level": data.get("level") or "", "q": (data.get("q") or "").strip()}

