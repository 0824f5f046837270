"""Forms of the covenant pages: validation and normalisation only; saving goes through ``apps.covenant.services``."""

from __future__ import annotations

import datetime
import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from apps.committee.models import CommitteeMember, SpecialCommittee
from apps.core.access import jurisdiction_scope
from apps.covenant import access, selectors
from apps.covenant.models import MAX_MEETING_DAYS, Admonition, CommitteeMeeting, LeaveRequest
from apps.deputies.forms import DateInput
from apps.deputies.models import Level, Term
from apps.deputies.validators import normalize_text

_SELECT = "form-select form-select-sm"


class _MemberChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.person.name}（{obj.get_post_display()} · {obj.term.name}）"


class _TermChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class _MeetingChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title}（{date_format(obj.start_date)}）"


def _text(value) -> str:
    return normalize_text(value)


class YearFilterForm(forms.Form):
    """The year (and the committee) a page shows; anything unreadable falls back to this year and the user's own
    jurisdiction."""

    year = forms.IntegerField(label=_("Year"), required=False, min_value=selectors.MIN_YEAR,
                              max_value=selectors.MAX_YEAR)
    jurisdiction = forms.ModelChoiceField(label=_("Committee of"), queryset=None, required=False, empty_label=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["jurisdiction"].queryset = access.office_jurisdictions(user)
        self.fields["year"].widget.attrs.update({"class": "form-control form-control-sm", "id": "year-filter"})
        self.fields["jurisdiction"].widget.attrs.update({"class": _SELECT, "id": "jurisdiction-filter"})

    def chosen(self):
        """(jurisdiction, year) to show."""
        year = timezone.localdate().year
        jurisdiction = self.user.jurisdiction
        if self.is_bound and self.is_valid():
            year = self.cleaned_data.get("year") or year
            jurisdiction = self.cleaned_data.get("jurisdiction") or jurisdiction
        return jurisdiction, year


# --- meetings --------------------------------------------------------------------------------------------------

class MeetingForm(forms.Form):
    term = _TermChoice(label=_("Term"), queryset=None)
    number = forms.IntegerField(label=_("Meeting number"), min_value=1, max_value=999)
    title = forms.CharField(label=_("Title"), max_length=200)
    start_date = forms.DateField(label=_("First day"), widget=DateInput())
    days = forms.IntegerField(label=_("Number of days"), min_value=1, max_value=MAX_MEETING_DAYS, initial=1)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, meeting: CommitteeMeeting | None = None, **kwargs):
        if meeting is not None and not args and "data" not in kwargs:
            kwargs.setdefault("initial", {"term": meeting.term_id, "number": meeting.number, "title": meeting.title,
                                          "start_date": meeting.start_date, "days": meeting.days,
                                          "notes": meeting.notes})
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = (Term.objects.filter(jurisdiction_scope(user)).filter(level__in=[Level.MUNICIPAL, Level.COUNTY])
                                        .select_related("jurisdiction").order_by("jurisdiction__path", "-number"))
        self.helper = FormHelper()
        self.helper.form_id = "meeting-form"
        self.helper.layout = Layout(
            Row(Column("term", css_class="col-md-5"), Column("number", css_class="col-md-2")),
            "title",
            Row(Column("start_date", css_class="col-md-3"), Column("days", css_class="col-md-2")),
            "notes",
            Submit("save", _("Save"), css_id="meeting-save"),
        )

    def clean_title(self):
        return _text(self.cleaned_data["title"])


class AttendanceGrid:
    """The posted attendance grid: a status ``s-<member pk>-<yyyymmdd>`` and a leave reason
    ``r-<member pk>-<yyyymmdd>`` per cell. ``fill_present`` records the blank cells that hold no record yet as
    present. Names that are not cells are refused (a stale or forged page)."""

    NAME = re.compile(r"^s-(\d{1,18})-(\d{8})$")

    def __init__(self, data, *, grid):
        self.data = data
        self.grid = grid
        self.errors: dict[str, list[str]] = {}
        self.fill_present = data.get("fill_present") in ("on", "1", "true")

    def entries(self) -> dict:
        recorded = {(row.member.pk, day) for row in self.grid for day, record, _served in row.cells if record}
        entries = {}
        for name in self.data:
            if not name.startswith("s-"):
                continue
            match = self.NAME.match(name)
            day = None
            if match:
                try:
                    day = datetime.datetime.strptime(match.group(2), "%Y%m%d").date()
                except ValueError:
                    day = None
            if day is None:
                self.errors[name[2:]] = [str(_("This cell is not a member and a day of this meeting; reload the "
                                               "page."))]
                continue
            member_id = int(match.group(1))
            status = self.data.get(name, "")
            if not status and self.fill_present and (member_id, day) not in recorded:
                status = "present"
            entries[(member_id, day)] = (status, self.data.get(f"r-{match.group(1)}-{match.group(2)}", ""))
        return entries

    def value(self, key: str) -> tuple[str, str]:
        """What was posted for a cell (to show the grid again as it was sent)."""
        return self.data.get(f"s-{key}", ""), self.data.get(f"r-{key}", "")


class SpeechForm(forms.Form):
    member = _MemberChoice(label=_("Member"), queryset=None)
    date = forms.TypedChoiceField(label=_("Day"), choices=(), coerce=datetime.date.fromisoformat)
    topic = forms.CharField(label=_("Topic"), max_length=200)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, meeting: CommitteeMeeting, **kwargs):
        super().__init__(*args, **kwargs)
        members = selectors.meeting_members(meeting)
        self.fields["member"].queryset = (CommitteeMember.objects.filter(pk__in=[m.pk for m in members])
                                          .select_related("person", "term").order_by("person__name_pinyin", "pk"))
        self.fields["date"].choices = [(d.isoformat(), date_format(d)) for d in meeting.dates]
        self.helper = FormHelper()
        self.helper.form_id = "speech-form"
        self.helper.layout = Layout(
            Row(Column("member", css_class="col-md-5"), Column("date", css_class="col-md-3")),
            "topic", "summary",
            Submit("save", _("Save"), css_id="speech-save"),
        )

    def clean_topic(self):
        return _text(self.cleaned_data["topic"])


# --- the notice ----------------------------------------------------------------------------------------------------

class NoticeCreateForm(forms.Form):
    jurisdiction = forms.ModelChoiceField(label=_("Committee of"), queryset=None, empty_label=None)
    year = forms.IntegerField(label=_("Year"), min_value=selectors.MIN_YEAR, max_value=selectors.MAX_YEAR)
    title = forms.CharField(label=_("Title"), max_length=200, required=False,
                            help_text=_("Leave blank for the usual title."))
    text = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {"year": timezone.localdate().year, "jurisdiction": user.jurisdiction_id})
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = access.office_jurisdictions(user)
        self.helper = FormHelper()
        self.helper.form_id = "notice-form"
        self.helper.layout = Layout(
            Row(Column("jurisdiction", css_class="col-md-4"), Column("year", css_class="col-md-2")),
            "title", "text",
            Submit("save", _("Save the draft"), css_id="notice-save"),
        )

    def clean_title(self):
        return _text(self.cleaned_data["title"])


class NoticeEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False,
                            help_text=_("Leave blank for the usual title."))
    text = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "notice-form"
        self.helper.layout = Layout("title", "text", Submit("save", _("Save the draft"), css_id="notice-save"))

    def clean_title(self):
        return _text(self.cleaned_data["title"])


# --- leave requests ------------------------------------------------------------------------------------------------

class LeaveRequestForm(forms.Form):
    member = _MemberChoice(label=_("Member"), queryset=None)
    special_committee = forms.ModelChoiceField(label=_("Special committee"), queryset=None)
    meeting = _MeetingChoice(label=_("Standing committee meeting"), queryset=None, required=False)
    occasion = forms.CharField(label=_("Or leave from"), max_length=200, required=False,
                               help_text=_("The meeting or activity, if not a standing committee meeting."))
    start_date = forms.DateField(label=_("From"), required=False, widget=DateInput(),
                                 help_text=_("Blank: the meeting's days."))
    end_date = forms.DateField(label=_("To"), required=False, widget=DateInput())
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        recent = timezone.localdate() - datetime.timedelta(days=366)
        if access.is_office(user):
            members = access.office_members(user).filter(special_committees__isnull=False).distinct()
            committees = SpecialCommittee.objects.filter(jurisdiction_scope(user))
            meetings = access.office_meetings(user)
        else:
            members = access.own_members(user).filter(special_committees__isnull=False).distinct()
            committees = SpecialCommittee.objects.filter(members__in=access.own_members(user)).distinct()
            own = access.own_members(user).filter(term=OuterRef("term"), jurisdiction=OuterRef("jurisdiction"))
            meetings = CommitteeMeeting.objects.filter(Exists(own))
        self.fields["member"].queryset = members.select_related("person", "term").order_by("person__name_pinyin", "pk")
        self.fields["special_committee"].queryset = committees.order_by("name")
        self.fields["meeting"].queryset = meetings.filter(start_date__gte=recent).order_by("-start_date", "-pk")
        self.helper = FormHelper()
        self.helper.form_id = "leave-form"
        self.helper.layout = Layout(
            Row(Column("member", css_class="col-md-6"), Column("special_committee", css_class="col-md-6")),
            Row(Column("meeting", css_class="col-md-6"), Column("occasion", css_class="col-md-6")),
            Row(Column("start_date", css_class="col-md-3"), Column("end_date", css_class="col-md-3")),
            "reason",
            Submit("save", _("Ask for leave"), css_id="leave-save"),
        )

    def clean_reason(self):
        return _text(self.cleaned_data["reason"])

    def clean_occasion(self):
        return _text(self.cleaned_data["occasion"])


class LeaveDecisionForm(forms.Form):
    APPROVE, REFUSE = "approve", "refuse"
    decision = forms.ChoiceField(label=_("Decision"), choices=[(APPROVE, _("Approve")), (REFUSE, _("Refuse"))])
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].widget.attrs["class"] = _SELECT
        self.fields["note"].widget.attrs.update({"class": "form-control form-control-sm",
                                                 "placeholder": _("Note (required to refuse)")})

    @property
    def approve(self) -> bool:
        return self.cleaned_data.get("decision") == self.APPROVE


# --- talks ------------------------------------------------------------------------------------------------------

class AdmonitionForm(forms.Form):
    member = _MemberChoice(label=_("Member"), queryset=None)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    held_by = forms.CharField(label=_("Held by"), max_length=100)
    reason = forms.CharField(label=_("Reason"), max_length=200)
    record = forms.CharField(label=_("Record of the talk"), widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, user, admonition: Admonition | None = None, **kwargs):
        if admonition is not None and not args and "data" not in kwargs:
            kwargs.setdefault("initial", {"member": admonition.member_id, "date": admonition.date,
                                          "held_by": admonition.held_by, "reason": admonition.reason,
                                          "record": admonition.record})
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = (access.office_members(user).select_related("person", "term")
                                          .order_by("person__name_pinyin", "pk"))
        self.helper = FormHelper()
        self.helper.form_id = "admonition-form"
        self.helper.layout = Layout(
            Row(Column("member", css_class="col-md-6"), Column("date", css_class="col-md-3")),
            Row(Column("held_by", css_class="col-md-6"), Column("reason", css_class="col-md-6")),
            "record",
            Submit("save", _("Save"), css_id="admonition-save"),
        )

    def clean_held_by(self):
        return _text(self.cleaned_data["held_by"])

    def clean_reason(self):
        return _text(self.cleaned_data["reason"])


LEAVE_STATES = [(LeaveRequest.Status.PENDING, _("Awaiting decision")), (LeaveRequest.Status.APPROVED, _("Approved")),
                (LeaveRequest.Status.REFUSED, _("Refused")), ("all", _("All"))]
