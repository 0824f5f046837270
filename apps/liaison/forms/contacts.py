"""Forms of contacts, deputies' requests and the director's mailbox: validation only, saving is a service's."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.deputies.forms import DateInput
from apps.liaison.models import Channel, DeputyRequest, MailboxThread
from apps.liaison.selectors import contacts as selectors
from apps.liaison.services.contacts import default_due_date


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("%(name)s (%(post)s)") % {"name": obj.person.name, "post": obj.get_post_display()}


class DelegationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("%(name)s (%(term)s)") % {"name": obj.name, "term": obj.term.name}


class ContactForm(forms.Form):
    """A contact with one deputy (``person``) or a delegation/group meeting with the deputies present."""

    member = MemberChoiceField(label=_("Committee member"), queryset=None)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    channel = forms.ChoiceField(label=_("Channel"), choices=[("", "---------"), *Channel.choices])
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}))
    person = forms.ModelChoiceField(label=_("Deputy"), queryset=None, required=False)
    delegation = DelegationChoiceField(label=_("Delegation meeting"), queryset=None, required=False)
    group = forms.ModelChoiceField(label=_("Deputy group meeting"), queryset=None, required=False)
    participants = forms.ModelMultipleChoiceField(label=_("Deputies present"), queryset=None, required=False,
                                                  widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["member"].queryset = selectors.members_for_contacts(user)
        self.fields["person"].queryset = selectors.contactable_people(user)
        self.fields["delegation"].queryset = selectors.delegations_for_contacts(user)
        self.fields["group"].queryset = selectors.groups_for_contacts(user)
        delegation, group = self.chosen_body()
        self.fields["participants"].queryset = selectors.body_members(delegation=delegation, group=group)
        if not self.is_bound and "date" not in self.initial:
            self.initial["date"] = timezone.localdate()

    def _raw(self, name):
        """The posted (or initial) primary key of ``name`` when it is a plausible one (digits that fit a bigint),
        else None."""
        value = self.data.get(name) if self.is_bound else self.initial.get(name)
        value = getattr(value, "pk", value)
        text = str(value) if value else ""
        return int(text) if text.isdigit() and len(text) <= 18 else None

    def chosen_body(self):
        """The delegation or group chosen (in the posted data or the initial values), if it is in scope."""
        delegation = group = None
        if pk := self._raw("delegation"):
            delegation = self.fields["delegation"].queryset.filter(pk=pk).first()
        if delegation is None and (pk := self._raw("group")):
            group = self.fields["group"].queryset.filter(pk=pk).first()
        return delegation, group

    def chosen_person(self):
        pk = self._raw("person")
        if pk:
            return self.fields["person"].queryset.filter(pk=pk).first()
        return None

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("The date of a contact cannot be in the future."))
        return date

    def clean(self):
        data = super().clean()
        person, delegation, group = data.get("person"), data.get("delegation"), data.get("group")
        if delegation and group:
            self.add_error("group", _("Choose a delegation or a deputy group, not both."))
        elif person and (delegation or group):
            self.add_error("person", _("Choose either one deputy or a meeting, not both."))
        elif delegation or group:
            if not data.get("participants") and "participants" not in self.errors:
                self.add_error("participants", _("Tick at least one deputy who was present."))
        elif not person and "person" not in self.errors:
            self.add_error("person", _("Choose the deputy contacted, or a delegation or group meeting."))
        return data

    def people(self) -> list:
        """The deputies contacted: the one chosen, or those ticked as present at the meeting."""
        data = self.cleaned_data
        if data.get("delegation") or data.get("group"):
            return list(data["participants"])
        return [data["person"]]


class RequestForm(forms.Form):
    """A request raised by a deputy; ``person`` is asked only when the contact had several deputies."""

    person = forms.ModelChoiceField(label=_("Raised by"), queryset=None, required=False)
    category = forms.ChoiceField(label=_("Category"), choices=[("", "---------"), *DeputyRequest.Category.choices])
    content = forms.CharField(label=_("Request"), widget=forms.Textarea(attrs={"rows": 3}))
    office = forms.ModelChoiceField(label=_("Office responsible"), queryset=None, required=False)
    office_name = forms.CharField(label=_("Or another office"), max_length=100, required=False)
    due_date = forms.DateField(label=_("Due date"), widget=DateInput())

    def __init__(self, *args, user, participants=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = selectors.offices_for(user)
        self.fields["due_date"].initial = default_due_date()
        if participants is None:
            del self.fields["person"]
        else:
            self.fields["person"].queryset = participants
            self.fields["person"].required = True
            if len(participants) == 1:
                self.fields["person"].initial = participants[0]

    def clean(self):
        data = super().clean()
        office, name = data.get("office"), (data.get("office_name") or "").strip()
        if office is None and not name and "office" not in self.errors:
            self.add_error("office", _("Choose the office responsible, or type its name."))
        elif office is not None and name:
            self.add_error("office_name", _("Choose a handling unit or type an office name, not both."))
        return data


class BaseRequestFormSet(forms.BaseFormSet):
    def requests(self) -> list[dict]:
        """The filled rows (empty extra rows are skipped), as ``deputy_request_create`` arguments."""
        return [form.cleaned_data for form in self.forms if form.has_changed() and form.cleaned_data]


RequestFormSet = forms.formset_factory(RequestForm, formset=BaseRequestFormSet, extra=1, max_num=10,
                                       validate_max=True)


def _small_widgets(form):
    """Filter panels use small Bootstrap controls (they are rendered field by field, not by crispy)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs["class"] = "form-check-input"
        elif isinstance(widget, forms.Select):
            widget.attrs["class"] = "form-select form-select-sm"
        else:
            widget.attrs["class"] = "form-control form-control-sm"


class ContactFilterForm(forms.Form):
    member = MemberChoiceField(label=_("Committee member"), queryset=None, required=False)
    channel = forms.ChoiceField(label=_("Channel"), choices=[("", _("All")), *Channel.choices], required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = selectors.members_for_contacts(user)
        _small_widgets(self)


class RequestFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *DeputyRequest.Status.choices],
                               required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    office = forms.ModelChoiceField(label=_("Office responsible"), queryset=None, required=False)
    office_name = forms.CharField(label=_("Office name contains"), required=False, max_length=100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = selectors.offices_for(user)
        _small_widgets(self)


class RequestNoteForm(forms.Form):
    text = forms.CharField(label=_("Follow-up note"), widget=forms.Textarea(attrs={"rows": 3}))


class RequestCloseForm(forms.Form):
    answer = forms.CharField(label=_("Answer given to the deputy"), widget=forms.Textarea(attrs={"rows": 5}))


class MailboxThreadForm(forms.Form):
    """A deputy's letter; phone-friendly: two fields, the committee asked only if they sit in several."""

    jurisdiction = forms.ModelChoiceField(label=_("To the standing committee of"), queryset=None)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        choices = selectors.mailbox_jurisdictions(user)
        self.fields["jurisdiction"].queryset = choices
        options = list(choices)
        if len(options) == 1:
            self.fields["jurisdiction"].initial = options[0]
            self.fields["jurisdiction"].widget = forms.HiddenInput()


class MailboxMessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 5}))


class MailboxAssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Assign to"), queryset=None)

    def __init__(self, *args, thread: MailboxThread, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = selectors.mailbox_assignees(thread)
        self.fields["assignee"].initial = thread.assigned_to_id


class MailboxFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *MailboxThread.Status.choices],
                               required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _small_widgets(self)
