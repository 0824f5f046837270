"""Forms of the committee's composition, quota rules, plans and the compliance page: validation only."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.core import roles
from apps.deputies.forms import DateInput
from apps.deputies.models import Delegation, DeputyGroup, Mandate, Person, Term
from apps.deputies.selectors import mandate_distinction, search_filter
from apps.liaison import rules
from apps.liaison.models import CommitteeMember, Post, QuotaRule, QuotaTarget, SpecialCommittee


class CommitteeMemberForm(forms.ModelForm):
    """A member's post in a term. The person is picked among those matching the search ``q`` (a name or pinyin
    initials): a select of all 9,000 people would be of no use."""

    class Meta:
        model = CommitteeMember
        fields = ["term", "person", "post", "special_committees", "start_date", "end_date", "user"]
        widgets = {"start_date": DateInput(), "end_date": DateInput(),
                   "special_committees": forms.CheckboxSelectMultiple}

    def __init__(self, *args, scope_path: str, q: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = Term.objects.filter(jurisdiction__path__startswith=scope_path,
                                                           jurisdiction__kind__in=("city", "county"))
        people = Person.objects.filter(mandates__jurisdiction__path__startswith=scope_path).distinct()
        if self.instance.pk:
            people = Person.objects.filter(Q(pk__in=people.values("pk")) | Q(pk=self.instance.person_id))
        person_field = self.fields["person"]
        person_field.queryset = people
        found = (Mandate.objects.filter(search_filter(q), jurisdiction__path__startswith=scope_path)
                 if q.strip() else Mandate.objects.none())
        matches = list(Person.objects.filter(pk__in=found.values("person_id")).order_by("name_pinyin", "pk")[:50])
        current = self.instance.person if self.instance.pk else None
        if current is not None and current not in matches:
            matches.insert(0, current)
        person_field.choices = [("", _("Search for the person first") if not matches else "---------")] + [
            (p.pk, f"{p.name} ({p.masked_id_number})") for p in matches]
        self.fields["special_committees"].queryset = SpecialCommittee.objects.filter(
            jurisdiction__path__startswith=scope_path).select_related("jurisdiction")
        self.fields["user"].queryset = User.objects.filter(
            groups__name=roles.MEMBER, jurisdiction__path__startswith=scope_path).order_by("username")
        self.fields["user"].help_text = _("The account the member signs in with (role: committee member).")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("term", css_class="col-md-5"), Column("person", css_class="col-md-4"),
                Column("post", css_class="col-md-3")),
            Row(Column("start_date", css_class="col-md-3"), Column("end_date", css_class="col-md-3"),
                Column("user", css_class="col-md-6")),
            "special_committees",
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date is before the start date."))
        return data


class SpecialCommitteeForm(forms.Form):
    jurisdiction = forms.ModelChoiceField(label=_("Jurisdiction"), queryset=None, empty_label=None)
    name = forms.CharField(label=_("Name"), max_length=100)

    def __init__(self, *args, jurisdictions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = jurisdictions
        self.helper = FormHelper()
        self.helper.layout = Layout(Row(Column("jurisdiction", css_class="col-md-4"),
                                        Column("name", css_class="col-md-8")),
                                    Submit("save", _("Add")))


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

    member = forms.ModelChoiceField(label=_("Committee member"), queryset=CommitteeMember.objects.none())
    mandate = forms.ModelChoiceField(label=_("Deputy"), queryset=Mandate.objects.none(), required=False)
    delegation = forms.ModelChoiceField(label=_("Delegation"), queryset=Delegation.objects.none(), required=False)
    group = forms.ModelChoiceField(label=_("Deputy group"), queryset=DeputyGroup.objects.none(), required=False)

    def __init__(self, *args, plan, members, deputies=(), delegations, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = CommitteeMember.objects.filter(jurisdiction_id=plan.jurisdiction_id)
        self.fields["member"].choices = [("", "---------")] + [
            (m.pk, f"{m.person.name} · {m.get_post_display()}") for m in members]
        self.fields["mandate"].queryset = Mandate.objects.filter(
            status=Mandate.Status.SERVING, jurisdiction__path__startswith=plan.jurisdiction.path
        ).select_related("person", "jurisdiction")
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
