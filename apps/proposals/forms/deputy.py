"""Forms of the deputy's side: validation and normalisation only; saving is a service's."""

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.locking import VersionField
from apps.proposals.models import Category, Kind, Proposal, Rating
from apps.proposals.selectors import deputy as selectors

_KEYWORD_SPLIT = re.compile(r"[\s,，、;；]+")


class ProposalForm(forms.Form):
    """A new suggestion or motion, or the edit of a draft or a returned item.

    New: the deputy chooses the mandate (the congress) when they hold several. A motion's 案由 is its title;
    it has 案据 and 方案 instead of a content, and a draft text when it is a legislative motion.
    """

    mandate = forms.ModelChoiceField(label=_("Raised as a deputy of"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("Title"), max_length=200)
    category = forms.ModelChoiceField(label=_("Category"), queryset=None, required=False,
                                      empty_label=_("Leave it to the staff"))
    keywords = forms.CharField(label=_("Keywords"), max_length=200, required=False,
                               help_text=_("A few words, separated by spaces or commas."))
    content = forms.CharField(label=_("Content"), required=False, widget=forms.Textarea(attrs={"rows": 8}))
    grounds = forms.CharField(label=_("Grounds (案据)"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
                              help_text=_("Why the matter needs the congress: facts, problems, the law."))
    plan = forms.CharField(label=_("Proposed solution (方案)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 6}))
    is_legislative = forms.BooleanField(label=_("A legislative motion (with a draft text)"), required=False)
    draft_text = forms.CharField(label=_("Draft text"), required=False, widget=forms.Textarea(attrs={"rows": 8}))
    period = forms.ChoiceField(label=_("Raised"), choices=Proposal.Period.choices, widget=forms.RadioSelect,
                               initial=Proposal.Period.BETWEEN_SESSIONS)
    session = forms.ModelChoiceField(label=_("Session"), queryset=None, required=False,
                                     empty_label=_("Not tied to a session"))
    version = VersionField()

    def __init__(self, *args, kind: str, mandates=None, proposal: Proposal | None = None, lead_mandate=None,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["category"].queryset = Category.objects.filter(is_active=True)
        if proposal is None:
            self.fields["mandate"].queryset = mandates
            choices = list(mandates)
            self.fields["mandate"].label_from_instance = lambda m: f"{m.term.name}（{m.get_level_display()}）"
            terms = [m.term_id for m in choices]
            if len(choices) == 1:
                self.fields["mandate"].widget = forms.HiddenInput()
                self.initial.setdefault("mandate", choices[0].pk)
            del self.fields["version"]
        else:
            del self.fields["mandate"]
            terms = [lead_mandate.term_id] if lead_mandate is not None else []
        self.fields["session"].queryset = selectors.sessions_of(terms)
        if kind == Kind.MOTION:
            self.fields["title"].label = _("Subject of the motion (案由)")
            self.fields["title"].help_text = _("One matter per motion.")
            del self.fields["content"]
            self._require("grounds", _("Write the grounds of the motion (案据)."))
            self._require("plan", _("Write the proposed solution of the motion (方案)."))
        else:
            for name in ("grounds", "plan", "is_legislative", "draft_text"):
                del self.fields[name]
            self.fields["content"].help_text = _("The situation, the problem, and what you suggest.")
            self._require("content", _("Write what you suggest."))
        if not self.is_bound and proposal is None:
            self._suggest_session()
        self.fields["title"].widget.attrs["autocomplete"] = "off"

    def _require(self, name: str, message: str):
        self.fields[name].required = True
        self.fields[name].error_messages["required"] = message

    def _suggest_session(self):
        """While a session of the deputy's congress sits, what they raise is raised during it."""
        today = timezone.localdate()
        sitting = self.fields["session"].queryset.filter(opens_on__lte=today, closes_on__gte=today).first()
        if sitting is not None:
            self.initial.setdefault("period", Proposal.Period.DURING_SESSION)
            self.initial.setdefault("session", sitting.pk)

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())

    def clean_keywords(self):
        words = [w for w in _KEYWORD_SPLIT.split(self.cleaned_data.get("keywords", "")) if w]
        keywords = "、".join(dict.fromkeys(words))
        if len(keywords) > 200:
            raise forms.ValidationError(_("Too many keywords: keep to a few words."))
        return keywords

    def clean(self):
        data = super().clean()
        if self.kind == Kind.MOTION and data.get("is_legislative") and not data.get("draft_text"):
            self.add_error("draft_text", _("A legislative motion needs its draft text."))
        period, session = data.get("period"), data.get("session")
        if period == Proposal.Period.DURING_SESSION and session is None and "session" not in self.errors:
            self.add_error("session", _("Choose the session during which it is raised."))
        mandate = data.get("mandate")
        if mandate is not None and session is not None and session.term_id != mandate.term_id:
            self.add_error("session", _("This session is not one of the congress you chose above."))
        return data

    def service_fields(self) -> dict:
        """What ``proposal_create`` / ``proposal_update`` take from this form."""
        names = ["title", "category", "keywords", "period", "session"]
        names += ["grounds", "plan", "is_legislative", "draft_text"] if self.kind == Kind.MOTION else ["content"]
        return {name: self.cleaned_data.get(name) for name in names}


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("A PDF, a Word document, an Excel workbook, or a photo."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".pdf,.docx,.xlsx,.jpg,.jpeg,.png"


class CosignerInviteForm(forms.Form):
    mandates = forms.ModelMultipleChoiceField(
        label=_("Deputies to invite"), queryset=None, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one deputy to invite."),
                        "invalid_choice": _("One of the deputies chosen cannot be invited: search again.")})

    def __init__(self, *args, proposal: Proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mandates"].queryset = selectors.invitable_mandates(proposal)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason for withdrawing"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 4}),
                             error_messages={"required": _("Write why you withdraw it.")},
                             help_text=_("The withdrawal is in writing: the staff and your co-signers read it."))

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Write why you withdraw it."))
        return reason


class RatingForm(forms.Form):
    result = forms.ChoiceField(label=_("Your rating of the reply"), choices=Rating.Result.choices,
                               widget=forms.RadioSelect,
                               error_messages={"required": _("Choose satisfied, basically satisfied or "
                                                             "unsatisfied.")})
    comment = forms.CharField(label=_("Comment"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))

    def clean(self):
        data = super().clean()
        if data.get("result") == Rating.Result.UNSATISFIED and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Say what is unsatisfactory, so that the unit can handle it again."))
        return data


class FollowUpAnswerForm(forms.Form):
    is_solved = forms.TypedChoiceField(
        label=_("Is it solved?"), widget=forms.RadioSelect, coerce=lambda v: v == "yes",
        choices=[("yes", _("Yes, it is solved")), ("no", _("No, not yet"))],
        error_messages={"required": _("Answer whether it is solved.")})


class MyProposalsFilterForm(forms.Form):
    show = forms.ChoiceField(label=_("Show"), required=False, choices=[
        ("", _("All")), ("awaiting", _("Awaiting me")), ("cosign", _("Invitations to co-sign")),
        ("rating", _("Replies awaiting my rating")), ("follow_up", _("Follow-ups awaiting my answer")),
        ("open", _("In progress")), ("finished", _("Finished"))])
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Motions and suggestions")),
                                                                      *Kind.choices])
    q = forms.CharField(label=_("Number or title"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("show", "kind"):
            self.fields[name].widget.attrs.update({"class": "form-select form-select-sm", "data-autosubmit": ""})
        self.fields["q"].widget.attrs.update({"class": "form-control form-control-sm",
                                              "placeholder": _("Number or title")})
