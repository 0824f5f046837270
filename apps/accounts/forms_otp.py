"""The one form of the second factor: a 6-digit code from the authenticator app."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.accounts.otp import DIGITS


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Code from the authenticator app"), max_length=20, widget=forms.TextInput(attrs={
        "class": "form-control form-control-lg text-center", "autocomplete": "one-time-code", "inputmode": "numeric",
        "autofocus": True, "placeholder": "000000"}))

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if len(code) != DIGITS or not code.isascii() or not code.isdigit():
            raise ValidationError(_("Type the 6 digits shown in your authenticator app."), code="format")
        return code
