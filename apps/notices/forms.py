"""The notices' forms: validation and normalisation only; the services write."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core import roles as role_names
from apps.core.access import is_pk, jurisdiction_scope
from apps.core.registry import meeting_targets
from apps.core.models import Jurisdiction
from apps.deputies.forms import DateInput
from apps.deputies.models import Delegation, DeputyGroup, Level, Mandate, Person
from apps.deputies.validators import normalize_text
from apps.notices import rules
from apps.notices.models import Notice, NoticeReceipt

NAMES_MAX = 500


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by content in the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class NoticeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Notice.Kind.choices, initial=Notice.Kind.NOTICE)
    title = forms.CharField(label=_("Title"), max_length=rules.TITLE_MAX)
    body = forms.CharField(label=_("Body"), max_length=rules.BODY_MAX, widget=forms.Textarea(attrs={"rows": 8}),
                           help_text=_("Paragraphs, bold, lists, tables and links are kept; anything else is "
                                       "removed."))
    attachments = MultipleFileField(label=_("Attachments"), required=False)
    remove_attachments = forms.ModelMultipleChoiceField(
        label=_("Remove attachments"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick the files to take off the notice."))
    pinned = forms.BooleanField(label=_("Pinned"), required=False)
    publish_at = forms.DateTimeField(label=_("Publish at"), required=False, widget=DateTimeInput(),
                                     help_text=_("Leave empty to publish now."))
    ends_on = forms.DateField(label=_("Shown until"), required=False, widget=DateInput())
    meeting_at = forms.DateTimeField(label=_("Meeting time"), required=False, widget=DateTimeInput())
    reply_deadline = forms.DateTimeField(label=_("Reply deadline"), required=False, widget=DateTimeInput())
    target = forms.CharField(label=_("Meeting announced"), required=False, max_length=60, widget=forms.Select,
                             help_text=_("For a meeting notice: the activity, training session or committee meeting "
                                         "it announces. The replies then pre-fill its attendance, which you confirm "
                                         "there."))
    all_serving = forms.BooleanField(label=_("All serving deputies of my scope"), required=False)
    levels = forms.MultipleChoiceField(label=_("Levels"), choices=Level.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple)
    roles = forms.MultipleChoiceField(label=_("Roles"), required=False, widget=forms.CheckboxSelectMultiple,
                                      choices=[(r, role_names.ROLE_LABELS[r]) for r in
                                               (role_names.STAFF, role_names.SUPERVISOR, role_names.MEMBER)])
    jurisdictions = forms.ModelMultipleChoiceField(label=_("Jurisdictions"), queryset=None, required=False)
    delegations = forms.ModelMultipleChoiceField(label=_("Delegations"), queryset=None, required=False)
    groups = forms.ModelMultipleChoiceField(label=_("Deputy groups"), queryset=None, required=False)
    people = forms.CharField(label=_("Named people"), required=False, max_length=NAMES_MAX * 12,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Names of serving deputies, separated by commas or new lines."))

    def __init__(self, *args, user, notice=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if notice is not None and notice.attachments.exists():  # editing: its own files may be taken off
            self.fields["remove_attachments"].queryset = notice.attachments.all()
            self.fields["remove_attachments"].label_from_instance = lambda attachment: attachment.name
        else:
            del self.fields["remove_attachments"]
        self.fields["jurisdictions"].queryset = Jurisdiction.objects.filter(_within(user))
        self.fields["delegations"].queryset = (Delegation.objects.filter(jurisdiction_scope(user, "term__jurisdiction"))
                                               .select_related("term"))
        self.fields["groups"].queryset = DeputyGroup.objects.filter(jurisdiction_scope(user))
        self.fields["target"].widget.choices = target_choices(user)

    def clean_title(self):
        title = normalize_text(self.cleaned_data["title"])
        if not title:
            raise ValidationError(_("Write the title of the notice."))
        return title

    def clean_body(self):
        body = rules.clean_html(self.cleaned_data["body"])
        if not re.sub(r"<[^>]*>", "", body).strip():
            raise ValidationError(_("Write the body of the notice."))
        return body

    def clean_people(self):
        names = [normalize_text(n) for n in re.split(r"[,，、;；\n]+", self.cleaned_data["people"] or "")]
        names = list(dict.fromkeys(n for n in names if n))
        if not names:
            return []
        if len(names) > NAMES_MAX:
            raise ValidationError(_("Name at most %(max)d people; choose a group or a delegation instead.")
                                  % {"max": NAMES_MAX})
        mandates = Mandate.objects.current().organised_in(self.user.jurisdiction)
        people = list(Person.objects.filter(mandates__in=mandates, name__in=names).distinct())
        unknown = sorted(set(names) - {p.name for p in people})
        if unknown:
            raise ValidationError(_("No serving deputy of your scope is named: %(names)s.")
                                  % {"names": "、".join(unknown)})
        return people

    def clean_target(self) -> tuple[str, int] | None:
        """``<kind>:<id>`` as the list offers it; whether the user may name that record is the service's check."""
        value = self.cleaned_data["target"]
        if not value:
            return None
        kind, _sep, pk = value.partition(":")
        if not (kind in meeting_targets() and is_pk(pk)):
            raise ValidationError(_("Choose the meeting from the list."))
        return kind, int(pk)

    def clean(self):
        data = super().clean()
        for field in ("publish_at", "meeting_at", "reply_deadline"):
            value = data.get(field)
            if value is not None and not 2000 <= value.year <= 2100:
                self.add_error(field, _("Enter a date between 2000 and 2100."))
        return data

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["jurisdiction"] = self.user.jurisdiction
        target = data.pop("target", None)
        if target:
            data["target_kind"], data["target_id"] = target
        return data


def target_choices(user) -> list:
    """The records a meeting notice may name, grouped by kind: the recent and coming ones of the user's scope."""
    today = timezone.localdate()
    choices: list = [("", "—")]
    for key, target in meeting_targets().items():
        offered = target.offered(user, today)
        if offered:
            choices.append((target.label, [(f"{key}:{pk}", text) for pk, text in offered]))
    return choices


def initial_of(notice: Notice) -> dict:
    """The form's values for editing ``notice`` (times in local time, as the inputs show them)."""
    local = lambda value: timezone.localtime(value) if value else None  # noqa: E731
    return {"kind": notice.kind, "title": notice.title, "body": notice.body, "pinned": notice.pinned,
            "publish_at": local(notice.publish_at), "ends_on": notice.ends_on, "meeting_at": local(notice.meeting_at),
            "reply_deadline": local(notice.reply_deadline), "all_serving": notice.all_serving,
            "levels": notice.levels, "roles": notice.roles, "jurisdictions": list(notice.jurisdictions.all()),
            "delegations": list(notice.delegations.all()), "groups": list(notice.groups.all()),
            "people": "，".join(p.name for p in notice.people.all()),
            "target": f"{notice.target_kind}:{notice.target_id}" if notice.target_kind else ""}


class EndForm(forms.Form):
    """When a published notice ends: it leaves the recipients' inboxes after this day."""

    ends_on = forms.DateField(label=_("Shown until"), widget=DateInput())

    def clean_ends_on(self):
        value = self.cleaned_data["ends_on"]
        if not 2000 <= value.year <= 2100:
            raise ValidationError(_("Enter a date between 2000 and 2100."))
        return value


def _within(user):
    from django.db.models import Q

    jurisdiction = user.jurisdiction
    return Q(path__startswith=jurisdiction.path) if jurisdiction is not None else Q(pk__in=[])


class ReplyForm(forms.Form):
    reply = forms.ChoiceField(label=pgettext_lazy("meeting reply", "Reply"), widget=forms.RadioSelect,
                              choices=[(NoticeReceipt.Reply.ATTEND.value, NoticeReceipt.Reply.ATTEND.label),
                                       (NoticeReceipt.Reply.LEAVE.value, NoticeReceipt.Reply.LEAVE.label)])
    reason = forms.CharField(label=_("Reason for leave"), max_length=500, required=False)

    def clean_reason(self):
        return normalize_text(self.cleaned_data["reason"])
