"""Forms of the handling unit's pages: validation only, the writing is ``apps.proposals.services.handling``'s."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from apps.core.locking import VersionField
from apps.core.uploads import check_upload
from apps.deputies.forms import DateInput
from apps.proposals.models import Communication, ReplyClass
from apps.proposals.selectors.unit import GROUPS


def _small_widgets(form):
    for item in form.fields.values():
        widget = item.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs["class"] = "form-check-input"
        elif isinstance(widget, forms.Select):
            widget.attrs["class"] = "form-select form-select-sm"
        elif not isinstance(widget, forms.HiddenInput):
            widget.attrs["class"] = "form-control form-control-sm"


def _text(label, *, rows=3, max_length=5000, **kwargs):
    return forms.CharField(label=label, max_length=max_length, strip=True,
                           widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


class UnitForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", self.form_prefix)
        super().__init__(*args, **kwargs)
        _small_widgets(self)


class InboxFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    state = forms.ChoiceField(label=_("Show"), required=False, choices=[("", _("All")), *GROUPS])
    due = forms.ChoiceField(label=_("Deadline"), required=False, choices=[
        ("", _("All")), ("overdue", _("Overdue")), ("soon", _("Due within 14 days"))])
    extension = forms.ChoiceField(label=_("Extension"), required=False, choices=[
        ("", _("All")), ("decided", _("Decided in the last 30 days"))])
    q = forms.CharField(label=_("Number or title"), required=False, max_length=100)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Any year")), *[(y, str(y)) for y in years]]
        _small_widgets(self)


class ReturnForm(UnitForm):
    """Returning an assignment as not the unit's business (退回)."""

    form_prefix = "return"
    reason = _text(_("Why it is not your unit's business"),
                   help_text=_("Say which unit should handle it, if you know."))


class CommunicationForm(UnitForm):
    """A contact with the deputy (沟通): date, means, content."""

    form_prefix = "communication"
    date = forms.DateField(label=_("Date"), widget=DateInput())
    means = forms.ChoiceField(label=_("Means"), choices=[("", "---------"), *Communication.Means.choices])
    content = _text(_("What was discussed"))

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise ValidationError(_("The date of a communication cannot be in the future."))
        return date


class OpinionForm(UnitForm):
    """A co-unit's opinion to the lead unit (协办意见)."""

    form_prefix = "opinion"
    opinion = _text(_("Opinion to the lead unit"), rows=5, max_length=10000)


class ReplyFields(UnitForm):
    reply_class = forms.ModelChoiceField(label=_("Class of the reply"), queryset=ReplyClass.objects.all(),
                                         empty_label="---------")
    text = _text(_("Reply"), rows=8, max_length=20000)
    promised_on = forms.DateField(label=_("Promised solution date"), required=False, widget=DateInput(),
                                  help_text=_("Required for classes that are followed up until solved (B, C)."))
    confidential = forms.BooleanField(label=_("Confidential: do not publish the reply"), required=False)

    def clean(self):
        data = super().clean()
        reply_class = data.get("reply_class")
        promised_on = data.get("promised_on")
        if reply_class is not None and reply_class.needs_follow_up and promised_on is None:
            self.add_error("promised_on", _("A reply of class %(code)s is followed up: give the date by which "
                                            "it will be solved.") % {"code": reply_class.code})
        if reply_class is not None and not reply_class.needs_follow_up:
            data["promised_on"] = None  # only followed-up classes promise a date
        elif promised_on is not None and promised_on <= timezone.localdate():
            self.add_error("promised_on", _("The promised solution date must be after today."))
        return data


class ReplyForm(ReplyFields):
    """The lead unit's answer (答复) with its document."""

    form_prefix = "reply"
    field_order = ["reply_class", "text", "document", "promised_on", "confidential"]
    document = forms.FileField(label=_("Reply document"), required=False,
                               help_text=_("The signed reply letter: PDF, Word document or image."))

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document:
            check_upload(document)
        return document


class ReplyEditForm(ReplyFields):
    """Correcting a reply before any signer has rated it (optimistic locking on ``Reply.version``)."""

    form_prefix = "reply"
    version = VersionField()


class ExtensionForm(UnitForm):
    """Asking for more time (延期) on the reply deadline."""

    form_prefix = "extension"
    requested_due_on = forms.DateField(label=_("New date asked for"), widget=DateInput())
    reason = _text(_("Reason"))

    def __init__(self, *args, current_due=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_due = current_due

    def clean_requested_due_on(self):
        day = self.cleaned_data["requested_due_on"]
        if self.current_due is not None and day <= self.current_due:
            raise ValidationError(_("The new date must be after the present deadline, %(date)s.")
                                  % {"date": date_format(self.current_due)})
        return day


class FollowUpReportForm(UnitForm):
    """The unit's progress report on a followed-up reply (跟踪办理)."""

    form_prefix = "follow_up"
    progress = _text(_("Progress"), rows=4)
