"""Forms of the three administrators' pages: an account (no roles in it), an account's roles, the audit filter."""

from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html, validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.accounts import services_admin
from apps.accounts.models import User
from apps.core import roles
from apps.core.models import AuditEvent, HandlingUnit

# Actions the audit log holds besides AuditEvent.Action's (written by services_admin until the lead adds them).
EXTRA_ACTIONS = [
    (services_admin.ROLE_CHANGED, _("Roles changed")),
    (services_admin.PERMISSION_CHANGED, _("Permissions changed")),
    (services_admin.ACCOUNT_CREATED, _("Account created")),
    (services_admin.ACCOUNT_UPDATED, _("Account changed")),
    (services_admin.ACCOUNT_DEACTIVATED, _("Account deactivated")),
    (services_admin.ACCOUNT_REACTIVATED, _("Account reactivated")),
]


def action_choices():
    known = dict(AuditEvent.Action.choices)
    return [*known.items(), *[(value, label) for value, label in EXTRA_ACTIONS if value not in known]]


def action_label(value: str) -> str:
    return str(dict(action_choices()).get(value, value))


class AccountForm(forms.ModelForm):
    """An account as the system administrator keeps it. Roles are deliberately absent: the security
    administrator grants them. A password typed here is temporary: it must be changed at the next login."""

    password1 = forms.CharField(label=_("Temporary password"), strip=False, required=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text=password_validators_help_text_html())
    password2 = forms.CharField(label=_("Temporary password again"), strip=False, required=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    class Meta:
        model = User
        fields = ["username", "full_name", "phone", "email", "jurisdiction", "handling_unit", "person"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        Person = User._meta.get_field("person").related_model  # accounts sits below deputies: no import of it

        creating = self.instance.pk is None
        self.fields["password1"].required = creating
        self.fields["password2"].required = creating
        if not creating:
            self.fields["username"].disabled = True
            self.fields["password1"].label = _("New temporary password (leave empty to keep the current one)")
        self.fields["full_name"].required = True
        self.fields["handling_unit"].queryset = HandlingUnit.objects.filter(is_active=True).order_by("name")
        # Only people not yet linked to another account; the name is all a system administrator sees of them.
        free = Person.objects.filter(user__isnull=True)
        if self.instance.person_id:
            free = free | Person.objects.filter(pk=self.instance.person_id)
        self.fields["person"].queryset = free.only("id", "name").order_by("name_pinyin", "id")
        self.fields["person"].label_from_instance = lambda p: f"{p.name} (#{p.pk})"
        self.fields["person"].help_text = _("Only for a deputy's account: the deputy's record in the roster.")

    def clean_username(self):
        username = self.cleaned_data["username"]
        others = User.objects.filter(username__iexact=username)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise ValidationError(_("An account with this username already exists."), code="duplicate_username")
        return username

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 or p2:
            if p1 != p2:
                self.add_error("password2", _("The two passwords do not match."))
            else:
                probe = User(username=cleaned.get("username") or self.instance.username,
                             full_name=cleaned.get("full_name", ""), email=cleaned.get("email", ""))
                try:
                    validate_password(p1, user=probe)
                except ValidationError as exc:
                    self.add_error("password1", exc)
        return cleaned

    def account_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in services_admin.ACCOUNT_FIELDS}


class RolesForm(forms.Form):
    """The roles an account holds, as the security administrator sets them."""

    roles = forms.MultipleChoiceField(label=_("Roles"), required=False, widget=forms.CheckboxSelectMultiple,
                                      choices=[(r, roles.ROLE_LABELS[r]) for r in roles.ALL_ROLES])

    def clean_roles(self):
        chosen = self.cleaned_data["roles"]
        services_admin.validate_role_set(chosen)
        return chosen


class AccountFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    active = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All")), ("1", _("Active")), ("0", _("Deactivated"))])
    role = forms.ChoiceField(label=_("Role"), required=False,
                             choices=[("", _("All")), ("none", _("No role")),
                                      *[(r, roles.ROLE_LABELS[r]) for r in roles.ALL_ROLES]])
    two_factor = forms.ChoiceField(label=_("Two-factor authentication"), required=False,
                                   choices=[("", _("All")), ("on", _("Two-factor on")), ("off", _("Two-factor off"))])


class AuditFilterForm(forms.Form):
    """The auditor's search of the audit log."""

    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    user = forms.CharField(label=_("User"), required=False, max_length=150)
    action = forms.ChoiceField(label=_("Action"), required=False)
    object_type = forms.CharField(label=_("Object type"), required=False, max_length=100)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    outcome = forms.ChoiceField(label=_("Outcome"), required=False,
                                choices=[("", _("All")), ("ok", _("Succeeded")), ("failed", _("Failed"))])
    ip_address = forms.GenericIPAddressField(label=_("Client address"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All")), *action_choices()]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date_from") and cleaned.get("date_to") and cleaned["date_from"] > cleaned["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned

    def filters(self) -> dict:
        """The selector's arguments from a valid form (an invalid one filters nothing out of caution: empty)."""
        data = self.cleaned_data
        return {name: data.get(name) or ("" if name not in ("date_from", "date_to") else None)
                for name in ("date_from", "date_to", "user", "action", "object_type", "object_id", "outcome",
                             "ip_address")}
