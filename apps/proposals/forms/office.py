"""Forms of the committee office's pages: validation only, every write is a service's.

Each form that changes an item carries the ``version`` of the item as the page showed it: a page left open
while someone else acted on the item is refused (and the input kept) rather than acting on what the user did
not see.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.committee.forms import MemberChoiceField
from apps.deputies.forms import DateInput
from apps.proposals.models import ExtensionRequest, Kind, Proposal, SupervisionRecord
from apps.proposals.selectors import office as selectors


def _small_widgets(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, (forms.CheckboxInput, forms.HiddenInput, forms.CheckboxSelectMultiple,
                               forms.RadioSelect)):
            continue
        if isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select form-select-sm")
        else:
            widget.attrs.setdefault("class", "form-control form-control-sm")


class MandateField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        place = obj.jurisdiction.short_name or obj.jurisdiction.name
        return f"{obj.person.name}（{place} · {obj.get_level_display()}）"


class MandatesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return MandateField.label_from_instance(self, obj)


class UnitsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


# --- the list ----------------------------------------------------------------------------------------------------

class ProposalFilterForm(forms.Form):
    """The list's filters. Sessions, categories and units are plain choices read once (one query each): a
    choice is checked against them without another query."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    session = forms.TypedChoiceField(label=_("Session"), coerce=int, required=False, empty_value=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All")), *Kind.choices], required=False)
    state = forms.ChoiceField(label=_("State"), required=False,
                              choices=[("", _("All")), *[c for c in Proposal.State.choices
                                                          if c[0] != Proposal.State.DRAFT]])
    category = forms.TypedChoiceField(label=_("Category"), coerce=int, required=False, empty_value=None)
    unit = forms.TypedChoiceField(label=_("Handling unit"), coerce=int, required=False, empty_value=None)
    key = forms.BooleanField(label=_("Key items only"), required=False)
    overdue = forms.BooleanField(label=_("Overdue"), required=False)
    due_soon = forms.BooleanField(label=_("Due within 14 days"), required=False)
    q = forms.CharField(label=_("Number, title or deputy"), required=False, max_length=100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["year"].choices = everything + [(y, str(y)) for y in selectors.year_choices(user)]
        self.fields["session"].choices = everything + [(s.pk, s.name) for s in selectors.session_choices(user)]
        self.fields["category"].choices = everything + [
            (c.pk, c.name) for c in selectors.category_choices(active_only=False).only("id", "name")]
        self.fields["unit"].choices = everything + [(u.pk, u.name) for u in selectors.unit_choices(user)]
        _small_widgets(self)


# --- actions on an item ------------------------------------------------------------------------------------------

class ItemForm(forms.Form):
    """A form acting on an item: the item's version as the page showed it."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, proposal, user=None, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("version", proposal.version)
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        self.user = user
        _small_widgets(self)


class ReturnForm(ItemForm):
    reason = forms.CharField(label=_("Reason for returning"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": _("Give the reason for returning the item.")},
                             help_text=_("e.g. outside the jurisdiction, a personal matter of the deputy, no "
                                         "substance. The deputy sees it and may edit and submit again."))

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give the reason for returning the item."))
        return reason


class WaiveOpinionForm(forms.Form):
    """The office lets the lead unit reply without one co-unit's opinion (the service locks the row)."""

    reason = forms.CharField(label=_("Reason for waiving the opinion"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("Write why the lead unit may reply without this "
                                                           "co-unit's opinion.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _small_widgets(self)


class RegisterForm(ItemForm):
    category = forms.ModelChoiceField(label=_("Category"), queryset=None, empty_label=None)
    is_key = forms.BooleanField(label=_("Key suggestion (重点建议)"), required=False)

    def __init__(self, *args, proposal, **kwargs):
        kwargs.setdefault("initial", {})
        if proposal.category_id:
            kwargs["initial"].setdefault("category", proposal.category_id)
        kwargs["initial"].setdefault("is_key", proposal.is_key)
        super().__init__(*args, proposal=proposal, **kwargs)
        self.fields["category"].queryset = selectors.category_choices()
        self.fields["category"].empty_label = "---------"


class ReviewForm(ItemForm):
    DOCKET, CONVERT = "docket", "convert"
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect, choices=[
        (DOCKET, _("Docket the motion (立案)")), (CONVERT, _("Do not docket: convert it to a suggestion"))])
    text = forms.CharField(label=_("Review opinion or reason"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": _("Write the review opinion or the reason.")},
                           help_text=_("Recorded with the item: the opinion of the review, or why it is converted "
                                       "to a suggestion."))

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Write the review opinion or the reason."))
        return text


class AssignForm(ItemForm):
    lead_unit = forms.ModelChoiceField(label=_("Lead unit (主办)"), queryset=None)
    co_units = UnitsField(label=_("Co-units (协办/会办)"), queryset=None, required=False,
                          widget=forms.SelectMultiple(attrs={"size": 6}))

    def __init__(self, *args, proposal, user, **kwargs):
        super().__init__(*args, proposal=proposal, user=user, **kwargs)
        units = selectors.unit_choices(user)
        self.fields["lead_unit"].queryset = units
        self.fields["co_units"].queryset = units
        for name in ("lead_unit", "co_units"):
            self.fields[name].widget.attrs["data-search-select"] = "1"

    def clean(self):
        data = super().clean()
        lead, co = data.get("lead_unit"), data.get("co_units") or []
        if lead is not None and lead in co:
            self.add_error("co_units", _("The lead unit cannot also be a co-unit."))
        return data


class MergeForm(ItemForm):
    items = forms.ModelMultipleChoiceField(label=_("Items to handle together with this one"), queryset=None,
                                           widget=forms.CheckboxSelectMultiple,
                                           error_messages={"required": _("Tick at least one similar item.")})
    name = forms.CharField(label=_("Name of the merged handling"), max_length=200)

    def __init__(self, *args, proposal, user, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("name", proposal.title)
        super().__init__(*args, proposal=proposal, user=user, **kwargs)
        from apps.proposals import access

        self.fields["items"].queryset = access.office_proposals(user).exclude(pk=proposal.pk)


class SupervisionForm(ItemForm):
    leader = MemberChoiceField(label=_("Leading supervisor (主任会议成员)"), queryset=None)
    committee = forms.ModelChoiceField(label=_("Tracking special committee"), queryset=None, required=False)

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, proposal=proposal, **kwargs)
        self.fields["leader"].queryset = selectors.leader_choices(proposal)
        self.fields["committee"].queryset = selectors.committee_choices(proposal)


class SupervisionRecordForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SupervisionRecord.Kind.choices)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    content = forms.CharField(label=_("Content"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"required": _("Describe what was done.")})

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("date", timezone.localdate())
        super().__init__(*args, **kwargs)
        _small_widgets(self)

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("A supervision record cannot be dated in the future."))
        return date

    def clean_content(self):
        content = self.cleaned_data["content"].strip()
        if not content:
            raise forms.ValidationError(_("Describe what was done."))
        return content


# --- a paper submission ------------------------------------------------------------------------------------------

class EnterForm(forms.Form):
    """A submission handed in on paper, entered by staff on the deputies' behalf."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, initial=Kind.SUGGESTION)
    mandate = MandateField(label=_("Lead deputy (领衔)"), queryset=None)
    cosigner_mandates = MandatesField(label=_("Co-signers (附议)"), queryset=None, required=False,
                              help_text=_("Co-signers who signed the paper: recorded as confirmed."))
    period = forms.ChoiceField(label=_("Raised"), choices=Proposal.Period.choices,
                               initial=Proposal.Period.BETWEEN_SESSIONS)
    session = forms.ModelChoiceField(label=_("Session"), queryset=None, required=False)
    title = forms.CharField(label=_("Title (案由)"), max_length=200)
    content = forms.CharField(label=_("Content"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    grounds = forms.CharField(label=_("Grounds (案据)"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("Motions only."))
    plan = forms.CharField(label=_("Proposed solution (方案)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 4}), help_text=_("Motions only."))
    is_legislative = forms.BooleanField(label=_("Legislative motion"), required=False)
    draft_text = forms.CharField(label=_("Draft text"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    category = forms.ModelChoiceField(label=_("Category"), queryset=None, required=False)
    keywords = forms.CharField(label=_("Keywords"), max_length=200, required=False)
    file = forms.FileField(label=_("Scan of the paper submission"), required=False,
                           help_text=_("PDF, JPEG or PNG."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        mandates = selectors.mandate_choices(user)
        self.fields["mandate"].queryset = mandates
        self.fields["cosigner_mandates"].queryset = mandates
        self.fields["session"].queryset = selectors.session_choices(user)
        self.fields["category"].queryset = selectors.category_choices()
        _small_widgets(self)
        self.fields["mandate"].widget.attrs["data-search-select"] = "1"
        self.fields["cosigner_mandates"].widget.attrs["data-search-select"] = "1"

    def clean(self):
        data = super().clean()
        mandate, cosigners = data.get("mandate"), data.get("cosigner_mandates") or []
        if mandate is not None and any(m.person_id == mandate.person_id for m in cosigners):
            self.add_error("cosigner_mandates", _("The lead deputy cannot also be a co-signer."))
        if data.get("kind") == Kind.MOTION:
            for name in ("grounds", "plan"):
                if not (data.get(name) or "").strip():
                    self.add_error(name, _("A motion needs its grounds and its proposed solution."))
        elif not (data.get("content") or "").strip():
            self.add_error("content", _("Write the content of the suggestion."))
        if data.get("is_legislative") and data.get("kind") != Kind.MOTION:
            self.add_error("is_legislative", _("Only a motion can be a legislative motion."))
        if data.get("period") == Proposal.Period.DURING_SESSION and not data.get("session"):
            self.add_error("session", _("Choose the session during which it was raised."))
        return data


# --- extension requests ------------------------------------------------------------------------------------------

class ExtensionDecisionForm(forms.Form):
    APPROVE, REFUSE = "approve", "refuse"
    decision = forms.ChoiceField(label=_("Decision"), choices=[(APPROVE, _("Approve")), (REFUSE, _("Refuse"))])
    note = forms.CharField(label=_("Note"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("Note (required when refusing)")}))

    def __init__(self, *args, extension: ExtensionRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.extension = extension
        _small_widgets(self)

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.REFUSE and not (data.get("note") or "").strip():
            self.add_error("note", _("Give the reason for refusing the extension."))
        return data

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == self.APPROVE


class ConfidentialForm(forms.Form):
    """Mark the item confidential (its replies not published) or lift the mark."""

    confidential = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")
