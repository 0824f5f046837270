"""Forms of the public page (an opinion, a lookup) and of the inbox: validation and normalisation only; the
services save. Every field has a size limit, so a hostile post is refused before anything is read into memory
beyond it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.deputies.models import Person
from apps.intake import rules
from apps.stations.models import Station, VoterVisit


class OpinionForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=[("", "—")] + VoterVisit.Category.choices)
    text = forms.CharField(label=_("Your opinion"), max_length=rules.TEXT_MAX,
                           widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=_("What happened, where, and what you ask for (at most 2,000 characters)."))
    photo = forms.FileField(label=_("Photo (optional)"), required=False,
                            help_text=_("A JPEG or PNG photo of at most 5 MB; its location data are removed."),
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}))
    name = forms.CharField(label=_("Your name (optional)"), max_length=rules.NAME_MAX, required=False)
    phone = forms.CharField(label=_("Your phone (optional)"), max_length=30, required=False,
                            help_text=_("Only the staff handling your opinion see it, to reach you."),
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    # The honeypot: hidden from people (and from screen readers), filled in by form-filling robots.
    website = forms.CharField(label=_("Leave this empty"), max_length=200, required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))

    def is_robot(self) -> bool:
        return bool(self.data.get("website"))


class LookupForm(forms.Form):
    code = forms.CharField(label=_("Lookup code"), max_length=20,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}))

    def clean_code(self):
        code = "".join(ch for ch in self.cleaned_data["code"].upper() if ch.isalnum())
        if len(code) != rules.CODE_LENGTH or any(ch not in rules.CODE_ALPHABET for ch in code):
            return ""  # answered as an unknown code: the same page
        return code


class AcceptForm(forms.Form):
    station = forms.ModelChoiceField(label=_("Work station"), queryset=Station.objects.none(), required=False)

    def __init__(self, *args, stations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations


class CloseForm(forms.Form):
    reason = forms.CharField(label=_("Reason (shown to the voter who looks it up)"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 3}))
    spam = forms.BooleanField(label=_("Spam (the voter's lookup then shows nothing)"), required=False)
    block = forms.BooleanField(label=_("Block the sender's address and phone"), required=False)


class SuggestionForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Lead deputy"), queryset=Person.objects.none(), required=False)
    title = forms.CharField(label=_("Title"), max_length=200)
    content = forms.CharField(label=_("Content"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
