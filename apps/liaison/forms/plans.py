"""Forms of quota rules, plans and the compliance page: validation only."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.committee.forms import MemberChoiceField
from apps.committee.models import CommitteeMember, Post
from apps.deputies.models import Delegation, DeputyGroup, Mandate
from apps.deputies.selectors import mandate_distinction
from apps.liaison import rules
from apps.liaison.models import QuotaRule, QuotaTarget


class QuotaRuleForm(forms.Form):
    """A jurisdiction's own rule for one (post, target, collective)."""

    post = forms.ChoiceField(label=_("Post"), choices=QuotaRule.POST_CHOICES)
    target = forms.ChoiceField(label=_("Target"), choices=QuotaTarget.choices)
    collective = forms.BooleanField(label=_("For the council as a whole"), required=False)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=0, max_value=500,
                                  help_text=_("0 switches the default off."))
    contacts_per_year = forms.IntegerField(label=_("Contacts per year"), min_value=1, max_value=52)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("post", css_class="col-md-4"), Column("target", css_class="col-md-4"),
                Column("collective", css_class="col-md-4 pt-md-4")),
            Row(Column("quantity", css_class="col-md-6"), Column("contacts_per_year", css_class="col-md-6")),
            Submit("save", _("Save")),
        )


class AssignmentForm(forms.Form):
    """One assignment: a member and one deputy (found by a search), delegation or group."""

    member = MemberChoiceField(label=_("Committee member"), queryset=CommitteeMember.objects.none())
    mandate = forms.ModelChoiceField(label=_("Deputy"), queryset=Mandate.objects.none(), required=False)
    delegation = forms.ModelChoiceField(label=_("Delegation"), queryset=Delegation.objects.none(), required=False)
    group = forms.ModelChoiceField(label=_("Deputy group"), queryset=DeputyGroup.objects.none(), required=False)

    def __init__(self, *args, plan, members, deputies=(), delegations, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = CommitteeMember.objects.filter(jurisdiction_id=plan.jurisdiction_id)
        member_field = self.fields["member"]
        member_field.choices = [("", "---------")] + [(m.pk, member_field.label_from_instance(m)) for m in members]
        self.fields["mandate"].queryset = (Mandate.objects.current()
                                           .filter(jurisdiction__path__startswith=plan.jurisdiction.path)
                                           .select_related("person", "jurisdiction"))
        self.fields["mandate"].choices = [("", "---------")] + [
            (m.pk, f"{m.person.name} · {mandate_distinction(m)} · {m.term.name}") for m in deputies]
        self.fields["delegation"].queryset = delegations
        self.fields["group"].queryset = groups

    def clean(self):
        data = super().clean()
        chosen = [name for name in ("mandate", "delegation", "group") if data.get(name)]
        if len(chosen) != 1 and not self.errors:
            raise forms.ValidationError(_("Choose one deputy, delegation or deputy group."))
        return data


class ComplianceFilterForm(forms.Form):
    jurisdiction = forms.ModelChoiceField(label=_("Jurisdiction"), queryset=None, required=False,
                                          empty_label=None)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    post = forms.ChoiceField(label=_("Post"), required=False, choices=[("", _("All posts")), *Post.choices])
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All")), *rules.STATUS_CHOICES])
    q = forms.CharField(label=_("Member"), required=False, max_length=50)

    def __init__(self, *args, jurisdictions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = jurisdictions
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = "form-select form-select-sm" if select else "form-control form-control-sm"
