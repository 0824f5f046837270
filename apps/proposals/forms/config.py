"""Forms of the reference data pages: validation and normalisation only, saving is a service's."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.locking import VersionField
from apps.core.models import HandlingUnit
from apps.deputies.forms import DateInput
from apps.proposals.models import HandlingRule, Kind
from apps.proposals.selectors import config as selectors


class _NameChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def _months(label, help_text=""):
    return forms.IntegerField(label=label, min_value=1, max_value=36, help_text=help_text)


def _working_days(label, help_text=""):
    return forms.IntegerField(label=label, min_value=1, max_value=120, help_text=help_text)


class RuleForm(forms.Form):
    """A handling rule; its jurisdiction and kind are chosen when it is created and fixed afterwards."""

    jurisdiction = _NameChoiceField(label=_("Jurisdiction"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    clock_start = forms.ChoiceField(label=_("Clock starts"), choices=HandlingRule.ClockStart.choices)
    base_months = _months(_("Handling period (months)"), _("The lead unit replies within this period."))
    max_total_months = _months(_("Longest period with extensions (months)"),
                               _("Extensions may be approved up to this, counted from the same start."))
    co_opinion_months = _months(_("Co-unit opinion period (months)"))
    rehandling_months = _months(_("Re-handling period (months)"), _("After an “unsatisfied” rating."))
    return_working_days = _working_days(_("Sign or return within (working days)"))
    rating_working_days = _working_days(_("Rating within (working days)"),
                                        _("The deputies rate the reply within this many working days."))
    min_signers = forms.IntegerField(label=_("Least signers"), min_value=1, max_value=100,
                                     help_text=_("Motions: deputies who must sign jointly (10; 5 at township "
                                                 "level). Suggestions: 1."))
    version = VersionField()

    def __init__(self, *args, user, rule=None, **kwargs):
        if rule is not None:
            kwargs.setdefault("initial", {field: getattr(rule, field) for field in
                                          ("clock_start", "base_months", "max_total_months", "co_opinion_months",
                                           "rehandling_months", "return_working_days", "rating_working_days",
                                           "min_signers", "version")})
        super().__init__(*args, **kwargs)
        if rule is not None:
            del self.fields["jurisdiction"], self.fields["kind"]
        else:
            self.fields["jurisdiction"].queryset = selectors.jurisdictions_for(user)
            self.fields["jurisdiction"].initial = user.jurisdiction_id
            del self.fields["version"]
            for name in ("base_months", "max_total_months", "co_opinion_months", "rehandling_months",
                         "return_working_days", "rating_working_days", "min_signers"):
                self.fields[name].initial = HandlingRule._meta.get_field(name).default


class CalendarDayForm(forms.Form):
    """A holiday or a make-up working day (调休)."""

    is_working_day = forms.TypedChoiceField(
        label=_("This day is"), widget=forms.RadioSelect, coerce=lambda value: value == "1",
        choices=[("0", _("A holiday (not a working day)")), ("1", _("A make-up working day (调休)"))])
    name = forms.CharField(label=_("Name of the day"), max_length=50, required=False,
                           help_text=_("e.g. 国庆节, or 国庆节调休 for a make-up working day."))


class CalendarSyncForm(forms.Form):
    overwrite_staff = forms.BooleanField(label=_("Also overwrite the days entered by staff"), required=False)


class UnitFilterForm(forms.Form):
    q = forms.CharField(label=_("Name contains"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All")), *HandlingUnit.Kind.choices])
    active = forms.ChoiceField(label=_("Active"), required=False,
                               choices=[("", _("All")), ("yes", _("Active")), ("no", _("Inactive"))])
    behind = forms.BooleanField(label=_("Falling behind (items overdue)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs["class"] = "form-check-input d-block"
                continue
            field.widget.attrs["class"] = ("form-select form-select-sm" if isinstance(field.widget, forms.Select)
                                           else "form-control form-control-sm")


class UnitForm(forms.Form):
    name = forms.CharField(label=_("Unit name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=HandlingUnit.Kind.choices)
    jurisdiction = _NameChoiceField(label=_("Jurisdiction"), queryset=None)
    contact_name = forms.CharField(label=_("Contact person"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=30, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True,
                                   help_text=_("An inactive unit is no longer offered for new assignments."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = selectors.jurisdictions_for(user)
        self.fields["jurisdiction"].initial = user.jurisdiction_id


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Category name"), max_length=50)
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=32767, initial=100,
                                  help_text=_("Categories are listed by position, then by name."))
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True,
                                   help_text=_("An inactive category is no longer offered for new items."))


class SessionForm(forms.Form):
    term = forms.ModelChoiceField(label=_("Term"), queryset=None)
    number = forms.IntegerField(label=_("Session number"), min_value=1, max_value=99,
                                help_text=_("1 for the first session of the term."))
    name = forms.CharField(label=_("Session name"), max_length=100,
                           help_text=_("e.g. 市第十六届人民代表大会第三次会议"))
    opens_on = forms.DateField(label=_("Opens on"), widget=DateInput())
    closes_on = forms.DateField(label=_("Closes on"), widget=DateInput())

    def __init__(self, *args, user, session=None, **kwargs):
        super().__init__(*args, **kwargs)
        if session is not None:
            del self.fields["term"]
        else:
            self.fields["term"].queryset = selectors.terms_for(user)
