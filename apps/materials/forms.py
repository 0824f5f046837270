"""Forms of the materials library: validation and normalisation only; saving is the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.models import Jurisdiction
from apps.deputies.models import Level, Session
from apps.materials.models import Category, DocumentPack


def _jurisdictions(user):
    path = user.jurisdiction.path if user.jurisdiction_id else "-"
    return Jurisdiction.objects.filter(path__startswith=path).order_by("path")


class DocumentFilterForm(forms.Form):
    q = forms.CharField(label=_("Title"), max_length=100, required=False)
    category = forms.ChoiceField(label=_("Category"), choices=[("", _("All"))] + Category.choices, required=False)
    pack = forms.ModelChoiceField(label=_("Document pack"), queryset=DocumentPack.objects.none(), required=False,
                                  empty_label=_("All"))

    def __init__(self, *args, packs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pack"].queryset = packs
        self.fields["q"].widget.attrs.update(placeholder=_("Search by title"), type="search")


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    tags = forms.CharField(label=_("Tags"), max_length=300, required=False,
                           help_text=_("Separate tags with commas."))
    level = forms.ChoiceField(label=_("Level"), choices=[("", _("All levels"))] + Level.choices, required=False)
    jurisdiction = forms.ModelChoiceField(label=_("Jurisdiction"), queryset=Jurisdiction.objects.none())
    pack = forms.ModelChoiceField(label=_("Document pack"), queryset=DocumentPack.objects.none(), required=False)
    file = forms.FileField(label=_("File"), required=False,
                           help_text=_("A PDF, a Word document (.docx), an Excel workbook (.xlsx) or an image."))

    def __init__(self, *args, user, document=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.document = document
        self.fields["jurisdiction"].queryset = _jurisdictions(user)
        self.fields["pack"].queryset = DocumentPack.objects.filter(
            jurisdiction__in=_jurisdictions(user)).order_by("-pk")
        if document is None:
            self.fields["file"].required = True
            self.initial.setdefault("jurisdiction", user.jurisdiction_id)
        else:
            self.initial.update(title=document.title, category=document.category, tags=", ".join(document.tags),
                                level=document.level, jurisdiction=document.jurisdiction_id,
                                pack=document.pack_id)

    def clean_tags(self):
        text = self.cleaned_data["tags"].replace("，", ",")
        return [tag.strip() for tag in text.split(",") if tag.strip()]


class PackForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    session = forms.ModelChoiceField(label=_("Congress session"), queryset=Session.objects.none())
    jurisdiction = forms.ModelChoiceField(label=_("Jurisdiction"), queryset=Jurisdiction.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = _jurisdictions(user)
        self.fields["session"].queryset = Session.objects.filter(
            term__jurisdiction__in=_jurisdictions(user)).select_related("term").order_by("-opens_on")
        self.initial.setdefault("jurisdiction", user.jurisdiction_id)
