"""Published replies (公开答复): read-only pages for every business role (not the administrators)."""

from django import forms
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from apps.core import roles
from apps.core.access import role_required
from apps.core.web import page_with_query
from apps.proposals.selectors import published as selectors

READERS = (roles.DEPUTY, roles.STAFF, roles.SUPERVISOR, roles.MEMBER, roles.UNIT)
PAGE_SIZE = 30


class PublishedFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years")), *((y, y) for y in years)]


@require_safe
@role_required(*READERS)
def published_list(request):
    form = PublishedFilterForm(request.GET or None, years=selectors.published_years())
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    replies = selectors.published_replies(q=(filters.get("q") or "").strip(), year=filters.get("year"))
    page, query = page_with_query(request, replies, PAGE_SIZE)
    return render(request, "proposals/published_list.html", {"form": form, "page": page, "query": query})


@require_safe
@role_required(*READERS)
def published_detail(request, pk):
    found = selectors.published_item(pk)
    if found is None:
        raise Http404
    proposal, replies = found
    return render(request, "proposals/published_detail.html", {"proposal": proposal, "replies": replies})
