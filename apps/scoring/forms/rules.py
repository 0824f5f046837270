"""Forms of the staff's scoring pages (rule sets, scores, disputes): validation and normalisation only; saving
is a service's."""

from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.activities.models import ActivityType
from apps.core.locking import VersionField
from apps.core.models import Jurisdiction
from apps.deputies.models import Level
from apps.scoring.models import Dispute, Grade, RuleItem, RuleSet, Source
from apps.scoring.services.rules import GRADE_ORDER

LEVEL_OF_KIND = {Jurisdiction.Kind.CITY: Level.MUNICIPAL, Jurisdiction.Kind.COUNTY: Level.COUNTY,
                 Jurisdiction.Kind.TOWNSHIP: Level.TOWNSHIP}


def default_level(user) -> str:
    """The level of the deputies of the user's own congress."""
    jurisdiction = getattr(user, "jurisdiction", None)
    return LEVEL_OF_KIND.get(getattr(jurisdiction, "kind", None), Level.MUNICIPAL)


class _NameChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def _small(form: forms.Form) -> None:
    for f in form.fields.values():
        f.widget.attrs["class"] = ("form-select form-select-sm" if isinstance(f.widget, forms.Select)
                                   else "form-control form-control-sm")


def _points(label, help_text="", required=True):
    return forms.DecimalField(label=label, max_digits=5, decimal_places=2, required=required, help_text=help_text,
                              validators=[MinValueValidator(0), MaxValueValidator(100)])


# --- rule sets -----------------------------------------------------------------------------------------------------

class RuleSetFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    level = forms.ChoiceField(label=_("Level"), required=False, choices=[("", _("All")), *Level.choices])
    jurisdiction = _NameChoiceField(label=_("Jurisdiction"), required=False, queryset=Jurisdiction.objects.none(),
                                    empty_label=_("All"))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *RuleSet.Status.choices])

    def __init__(self, *args, jurisdictions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = jurisdictions
        _small(self)

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"year": data.get("year"), "level": data.get("level") or "", "jurisdiction": data.get("jurisdiction"),
                "status": data.get("status") or ""}


class RuleSetCreateForm(forms.Form):
    jurisdiction = _NameChoiceField(label=_("Jurisdiction"), queryset=Jurisdiction.objects.none(),
                                    help_text=_("The rules apply to the deputies of this congress and those below "
                                                "it that have no rules of their own."))
    level = forms.ChoiceField(label=_("Level of the deputies"), choices=Level.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("Name"), max_length=200, help_text=_("e.g. 2024年度市人大代表履职考核办法"))
    base_points = _points(_("Base points"), _("Every deputy starts from these; items add or deduct."))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, jurisdictions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = jurisdictions
        self.fields["jurisdiction"].initial = user.jurisdiction_id
        self.fields["level"].initial = default_level(user)
        self.fields["year"].initial = timezone.localdate().year
        self.fields["base_points"].initial = Decimal("60")


class RuleSetEditForm(forms.Form):
    """A draft's header; ``lock_version`` carries the version the form was opened on (optimistic locking)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    base_points = _points(_("Base points"), _("Every deputy starts from these; items add or deduct."))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    lock_version = VersionField()

    def __init__(self, *args, rule_set: RuleSet, **kwargs):
        kwargs.setdefault("initial", {"name": rule_set.name, "base_points": rule_set.base_points,
                                      "notes": rule_set.notes, "lock_version": rule_set.lock_version})
        super().__init__(*args, **kwargs)


class RuleSetCopyForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100,
                              help_text=_("The copy is the next version of the rules of this year."))
    name = forms.CharField(label=_("Name of the copy"), max_length=200)

    def __init__(self, *args, source: RuleSet, **kwargs):
        kwargs.setdefault("initial", {"year": source.year, "name": source.name})
        super().__init__(*args, **kwargs)


class RuleItemForm(forms.Form):
    label = forms.CharField(label=_("Scoring item"), max_length=100, help_text=_("e.g. 出席人代会会议, 领衔提出建议"))
    kind = forms.ChoiceField(label=_("Kind"), choices=RuleItem.Kind.choices,
                             help_text=_("A deduction subtracts its points."))
    source = forms.ChoiceField(label=_("Counts"), choices=Source.choices)
    activity_type = forms.ModelChoiceField(
        label=_("Activity type"), required=False, queryset=ActivityType.objects.none(),
        help_text=_("Only for the activity counts (attended, on leave, absent); leave empty otherwise."))
    points = _points(_("Points per occurrence"))
    cap = _points(_("Cap"), _("The most points this item can give; empty for no cap."), required=False)
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=32767, required=False,
                                  help_text=_("Items are listed by position; empty puts a new item last."))

    def __init__(self, *args, item: RuleItem | None = None, **kwargs):
        if item is not None:
            kwargs.setdefault("initial", {"label": item.label, "kind": item.kind, "source": item.source,
                                          "activity_type": item.activity_type_id, "points": item.points,
                                          "cap": item.cap, "position": item.position})
        super().__init__(*args, **kwargs)
        types = ActivityType.objects.order_by("position", "pk")
        if item is not None and item.activity_type_id:
            types = types.filter(is_active=True) | ActivityType.objects.filter(pk=item.activity_type_id)
        else:
            types = types.filter(is_active=True)
        self.fields["activity_type"].queryset = types.order_by("position", "pk")
        if item is not None:
            self.fields["position"].required = True


class GradeBandsForm(forms.Form):
    """The least total of each of the four grades, best first."""

    def __init__(self, *args, rule_set: RuleSet, **kwargs):
        current = {band.grade: band.min_total for band in rule_set.bands.all()}
        kwargs.setdefault("initial", current)
        super().__init__(*args, **kwargs)
        for grade in GRADE_ORDER:
            self.fields[grade] = forms.DecimalField(
                label=Grade(grade).label, max_digits=5, decimal_places=1, required=False,
                help_text=_("Least total (0 to 100)"))

    def cutoffs(self) -> dict:
        return {grade: self.cleaned_data.get(grade) for grade in GRADE_ORDER}


class PublishForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have checked the items and the what-if: publish these rules (they can no longer be changed)."))


class WhatIfFilterForm(forms.Form):
    changed = forms.BooleanField(label=_("Only deputies whose score or grade changes"), required=False)
    q = forms.CharField(label=_("Name"), required=False, max_length=50)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["class"] = "form-control form-control-sm"
        self.fields["changed"].widget.attrs["class"] = "form-check-input"


# --- scores --------------------------------------------------------------------------------------------------------

class ScoreFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=())
    level = forms.ChoiceField(label=_("Level"), required=False, choices=[("", _("All")), *Level.choices])
    jurisdiction = _NameChoiceField(label=_("Jurisdiction"), required=False, queryset=Jurisdiction.objects.none(),
                                    empty_label=_("All"))
    grade = forms.ChoiceField(label=_("Grade"), required=False, choices=[("", _("All")), *Grade.choices])
    q = forms.CharField(label=_("Name"), required=False, max_length=50)
    stale = forms.BooleanField(label=_("Waiting to be recomputed"), required=False)

    def __init__(self, data=None, *, user, years: list[int], jurisdictions, **kwargs):
        today = timezone.localdate().year
        default_year = max((y for y in years if y <= today), default=today)
        years = sorted(set(years) | {today}, reverse=True)
        self.defaults = {"year": default_year, "level": default_level(user)}
        if data is not None:
            data = data.copy()
            for key, value in self.defaults.items():
                if key not in data:
                    data[key] = value
        else:
            data = {k: str(v) for k, v in self.defaults.items()}
        super().__init__(data, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]
        self.fields["jurisdiction"].queryset = jurisdictions
        _small(self)
        self.fields["stale"].widget.attrs["class"] = "form-check-input d-block"

    def filters(self) -> dict:
        if not self.is_valid():
            return {"year": self.defaults["year"], "level": self.defaults["level"]}
        data = self.cleaned_data
        return {"year": data["year"], "level": data.get("level") or "", "jurisdiction": data.get("jurisdiction"),
                "grade": data.get("grade") or "", "q": (data.get("q") or "").strip(), "stale": bool(data.get("stale"))}


# --- disputes ------------------------------------------------------------------------------------------------------

class DisputeFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *Dispute.Status.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _small(self)


class DisputeResolveForm(forms.Form):
    decision = forms.TypedChoiceField(
        label=_("Decision"), widget=forms.RadioSelect, coerce=lambda value: value == "upheld",
        choices=[("upheld", _("Uphold: the records were corrected (the scores are recomputed now)")),
                 ("rejected", _("Reject"))])
    resolution = forms.CharField(label=_("Resolution"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000,
                                 help_text=_("What was corrected, or why the dispute is rejected; the deputy "
                                             "reads it."))
