"""Forms of the standing committee's composition: validation only."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.committee.models import CommitteeMember, SpecialCommittee
from apps.core import roles
from apps.deputies.forms import DateInput
from apps.deputies.models import Mandate, Person, Term
from apps.deputies.selectors import search_filter


class MemberChoiceField(forms.ModelChoiceField):
    """A choice of committee members, each shown as "name · post" (a leading supervisor, a member assigned
    deputies)."""

    def label_from_instance(self, obj: CommitteeMember) -> str:
        return f"{obj.person.name} · {obj.get_post_display()}"


class PeriodForm(forms.ModelForm):
    """A model form with ``start_date`` and an optional ``end_date`` (a committee post, a liaison recommendation):
    the end may not come before the start."""

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date is before the start date."))
        return data


class CommitteeMemberForm(PeriodForm):
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
