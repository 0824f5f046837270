"""Forms of work stations, reception days and voter visits: validation only, saving is a service's."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.deputies.forms import DateInput
from apps.stations import selectors
from apps.stations.models import VoterVisit
from apps.core.access import is_pk


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class DeputyChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def _small_widgets(form):
    """Filter panels use small Bootstrap controls (they are rendered field by field)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs["class"] = "form-check-input"
        elif isinstance(widget, forms.Select):
            widget.attrs["class"] = "form-select form-select-sm"
        else:
            widget.attrs["class"] = "form-control form-control-sm"


class StationForm(forms.Form):
    """A station; its deputies are found by name or pinyin initials and ticked (see the station form page)."""

    name = forms.CharField(label=_("Name"), max_length=100)
    jurisdiction = forms.ModelChoiceField(label=_("Jurisdiction"), queryset=None)
    community = forms.CharField(label=_("Community"), max_length=100, required=False)
    address = forms.CharField(label=_("Address"), max_length=200)
    responsible_name = forms.CharField(label=_("Person responsible"), max_length=50)
    responsible_phone = forms.CharField(label=_("Phone of the person responsible"), max_length=30, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    deputies = DeputyChoiceField(label=_("Deputies attached"), queryset=None, required=False,
                                 widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = selectors.jurisdictions_for(user)
        self.fields["deputies"].queryset = selectors.attachable_people(user)

    def chosen_jurisdiction(self):
        value = self.data.get("jurisdiction") if self.is_bound else self.initial.get("jurisdiction")
        pk = getattr(value, "pk", value)
        if pk and is_pk(pk):
            return self.fields["jurisdiction"].queryset.filter(pk=pk).first()
        return None

    def checked_ids(self) -> set[int]:
        if self.is_bound:
            return {int(pk) for pk in self.data.getlist("deputies") if is_pk(pk)}
        return {getattr(p, "pk", p) for p in self.initial.get("deputies", ())}


class ReceptionDayForm(forms.Form):
    """A reception day; the deputies on duty are chosen among those attached to the station."""

    date = forms.DateField(label=_("Date"), widget=DateInput())
    start_time = forms.TimeField(label=pgettext_lazy("time of day", "From"), required=False, widget=TimeInput())
    end_time = forms.TimeField(label=pgettext_lazy("time of day", "To"), required=False, widget=TimeInput())
    deputies = DeputyChoiceField(label=_("Deputies on duty"), queryset=None, required=False,
                                 widget=forms.CheckboxSelectMultiple,
                                 help_text=_("Only deputies attached to the station can be on duty."))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, station, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputies"].queryset = station.deputies.order_by("name_pinyin", "pk")


class ReceptionDayChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.date:%Y-%m-%d}"


class VisitForm(forms.Form):
    """A voter's visit at one station (chosen before the form is shown)."""

    date = forms.DateField(label=_("Date"), widget=DateInput())
    reception_day = ReceptionDayChoiceField(label=_("Reception day"), queryset=None, required=False)
    deputies = DeputyChoiceField(label=_("Deputies present"), queryset=None, required=False,
                                 widget=forms.CheckboxSelectMultiple)
    visitor_name = forms.CharField(label=_("Visitor's name"), max_length=50, required=False,
                                   help_text=_("Optional: a visitor may stay anonymous."))
    visitor_phone = forms.CharField(label=_("Visitor's phone"), max_length=30, required=False,
                                    help_text=_("Shown masked to everyone; staff may reveal it, which is logged."))
    issue = forms.CharField(label=_("Issue raised"), widget=forms.Textarea(attrs={"rows": 4}))
    category = forms.ChoiceField(label=_("Category"), choices=[("", "---------"), *VoterVisit.Category.choices])

    def __init__(self, *args, station, show_phone: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reception_day"].queryset = station.reception_days.order_by("-date")
        self.fields["deputies"].queryset = station.deputies.order_by("name_pinyin", "pk")
        if not show_phone:
            del self.fields["visitor_phone"]
        if not self.is_bound and "date" not in self.initial:
            self.initial["date"] = timezone.localdate()


class StationChoiceForm(forms.Form):
    """The first step of logging a visit: which station."""

    station = forms.ModelChoiceField(label=_("Station"), queryset=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = selectors.visible_stations(user).filter(is_active=True)


class FollowUpForm(forms.Form):
    follow_up_by = forms.CharField(label=_("Followed up by"), max_length=100)
    follow_up_action = forms.CharField(label=_("Follow-up"), widget=forms.Textarea(attrs={"rows": 3}))
    follow_up_due = forms.DateField(label=_("Follow-up due"), widget=DateInput())


class CloseForm(forms.Form):
    result = forms.CharField(label=_("Result told to the visitor"), widget=forms.Textarea(attrs={"rows": 4}))
    result_told_at = forms.DateField(label=_("Result told on"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["result_told_at"].initial = timezone.localdate()


class StationFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or community"), max_length=100, required=False)
    jurisdiction = forms.ModelChoiceField(label=_("Jurisdiction"), queryset=None, required=False)
    active = forms.ChoiceField(label=_("Active"), required=False,
                               choices=[("", _("All")), ("yes", _("Active")), ("no", _("Inactive"))])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = selectors.jurisdictions_for(user)
        _small_widgets(self)


class VisitFilterForm(forms.Form):
    station = forms.ModelChoiceField(label=_("Station"), queryset=None, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *VoterVisit.Status.choices],
                               required=False)
    category = forms.ChoiceField(label=_("Category"), choices=[("", _("All")), *VoterVisit.Category.choices],
                                 required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    overdue = forms.BooleanField(label=_("Overdue follow-ups only"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = selectors.visible_stations(user).select_related("jurisdiction")
        _small_widgets(self)


class SuggestionDraftForm(forms.Form):
    """A suggestion draft from a voter's issue: the lead (a deputy on duty that day), a title and the content."""

    person = forms.TypedChoiceField(label=_("Lead deputy"), coerce=int, choices=(),
                                    help_text=_("A deputy on duty on the reception day of the visit."))
    title = forms.CharField(label=_("Title"), max_length=200)
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args, deputies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(p.pk, p.name) for p in deputies]
