"""Staff pages of scoring rule sets (履职考核办法): the list, a set with its items and bands (the preview),
drafting, copying, editing, publishing, and the what-if comparison of a draft with the published rules.

Staff and supervisors read (rule sets of their jurisdiction and below; another one's is a 404); staff edit
(403 for any other role). A published set is frozen: the services refuse every edit with a message, which the
pages show.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from apps.core import locking, roles
from apps.core.access import role_required
from apps.core.web import add_service_errors, page_with_query, submit_form
from apps.scoring import access
from apps.scoring.forms.rules import (
    GradeBandsForm, PublishForm, RuleItemForm, RuleSetCopyForm, RuleSetCreateForm, RuleSetEditForm,
    RuleSetFilterForm, WhatIfFilterForm,
)
from apps.scoring.models import RuleSet
from apps.scoring.selectors import rules as selectors
from apps.scoring.selectors.scores import pending_recompute
from apps.scoring.services import rules as services

PAGE_SIZE = 30
WHAT_IF_PAGE_SIZE = 50


def _frozen_redirect(request, exc: ValidationError, rule_set: RuleSet):
    messages.error(request, " ".join(exc.messages))
    return redirect("scoring:rule_set_detail", rule_set.pk)


def _is_frozen_error(exc: ValidationError) -> bool:
    return getattr(exc, "code", None) == "frozen"


@require_safe
@never_cache
@access.office_required
def rule_set_list(request):
    base = access.office_rule_sets(request.user)
    filters = RuleSetFilterForm(request.GET or None, jurisdictions=selectors.jurisdictions_for(request.user))
    page, query = page_with_query(request, selectors.rule_set_rows(base, **filters.filters()), PAGE_SIZE)
    return render(request, "scoring/rules_list.html", {
        "filters": filters, "page": page, "query": query, "can_edit": access.can_edit_rules(request.user)})


@never_cache
@role_required(roles.STAFF)
def rule_set_create(request):
    access.require(access.can_edit_rules(request.user))
    form = RuleSetCreateForm(request.POST or None, user=request.user,
                             jurisdictions=selectors.jurisdictions_for(request.user))
    if response := submit_form(
            request, form, lambda data: services.rule_set_create(user=request.user, **data),
            message=_("The draft was created: add its items and grade bands."),
            done=lambda rule_set: redirect("scoring:rule_set_detail", rule_set.pk)):
        return response
    return render(request, "scoring/rules_form.html", {"form": form})


@require_safe
@never_cache
@access.office_required
def rule_set_detail(request, pk):
    rule_set = access.rule_set_for_office(request.user, pk)
    context = selectors.rule_set_detail(rule_set)
    editable = not rule_set.is_frozen and access.can_edit_rules(request.user)
    return render(request, "scoring/rules_detail.html", {
        "rule_set": rule_set, **context, "editable": editable, "can_edit": access.can_edit_rules(request.user),
        "can_publish": not rule_set.is_frozen and access.can_publish(request.user),
        "can_recompute": rule_set.status == RuleSet.Status.PUBLISHED and access.can_recompute(request.user),
        "pending": pending_recompute(rule_set) if rule_set.status == RuleSet.Status.PUBLISHED else None,
        "problems": services.publish_problems(rule_set) if not rule_set.is_frozen else []})


@never_cache
@role_required(roles.STAFF)
def rule_set_edit(request, pk):
    access.require(access.can_edit_rules(request.user))
    rule_set = access.rule_set_for_office(request.user, pk)
    form = RuleSetEditForm(request.POST or None, rule_set=rule_set)
    changed_since = None
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "lock_version"}
        try:
            services.rule_set_update(user=request.user, rule_set=rule_set,
                                     version=form.cleaned_data.get("lock_version"), **data)
        except locking.StaleObjectError as exc:
            current = access.rule_set_for_office(request.user, pk)
            form.add_error(None, exc)
            locking.form_with_current_version(form, current.lock_version, field="lock_version")
            changed_since = locking.current_differences(form, current)
        except ValidationError as exc:
            if _is_frozen_error(exc):
                return _frozen_redirect(request, exc, rule_set)
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("scoring:rule_set_detail", rule_set.pk)
    elif rule_set.is_frozen:
        return _frozen_redirect(request, services.frozen_error(rule_set), rule_set)
    return render(request, "scoring/rules_form.html", {"form": form, "rule_set": rule_set,
                                                       "changed_since": changed_since})


@never_cache
@role_required(roles.STAFF)
def rule_set_copy(request, pk):
    access.require(access.can_edit_rules(request.user))
    source = access.rule_set_for_office(request.user, pk)
    form = RuleSetCopyForm(request.POST or None, source=source)
    if response := submit_form(
            request, form, lambda data: services.rule_set_copy(user=request.user, source=source, **data),
            message=lambda copy: _("Version %(version)s was created as a draft from “%(name)s”.")
                        % {"version": copy.version, "name": source.name},
            done=lambda copy: redirect("scoring:rule_set_detail", copy.pk)):
        return response
    return render(request, "scoring/rules_copy.html", {"form": form, "rule_set": source})


def _item_form_page(request, rule_set, form, item=None):
    return render(request, "scoring/rules_item_form.html", {"form": form, "rule_set": rule_set, "item": item})


@never_cache
@role_required(roles.STAFF)
def rule_item_create(request, pk):
    access.require(access.can_edit_rules(request.user))
    rule_set = access.rule_set_for_office(request.user, pk)
    if rule_set.is_frozen:
        return _frozen_redirect(request, services.frozen_error(rule_set), rule_set)
    form = RuleItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_item_create(user=request.user, rule_set=rule_set, **form.cleaned_data)
        except ValidationError as exc:
            if _is_frozen_error(exc):
                return _frozen_redirect(request, exc, rule_set)
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The item was added."))
            return redirect("scoring:rule_set_detail", rule_set.pk)
    return _item_form_page(request, rule_set, form)


@never_cache
@role_required(roles.STAFF)
def rule_item_edit(request, pk):
    access.require(access.can_edit_rules(request.user))
    item = access.rule_item_for_office(request.user, pk)
    rule_set = item.rule_set
    if rule_set.is_frozen:
        return _frozen_redirect(request, services.frozen_error(rule_set), rule_set)
    form = RuleItemForm(request.POST or None, item=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_item_update(user=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            if _is_frozen_error(exc):
                return _frozen_redirect(request, exc, rule_set)
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The item was saved."))
            return redirect("scoring:rule_set_detail", rule_set.pk)
    return _item_form_page(request, rule_set, form, item)


@require_POST
@role_required(roles.STAFF)
def rule_item_delete(request, pk):
    access.require(access.can_edit_rules(request.user))
    item = access.rule_item_for_office(request.user, pk)
    try:
        services.rule_item_delete(user=request.user, item=item)
    except ValidationError as exc:
        return _frozen_redirect(request, exc, item.rule_set)
    messages.success(request, _("“%(label)s” was removed.") % {"label": item.label})
    return redirect("scoring:rule_set_detail", item.rule_set_id)


@never_cache
@role_required(roles.STAFF)
def grade_band_edit(request, pk):
    access.require(access.can_edit_rules(request.user))
    rule_set = access.rule_set_for_office(request.user, pk)
    if rule_set.is_frozen:
        return _frozen_redirect(request, services.frozen_error(rule_set), rule_set)
    form = GradeBandsForm(request.POST or None, rule_set=rule_set)
    if request.method == "POST" and form.is_valid():
        try:
            services.grade_bands_save(user=request.user, rule_set=rule_set, cutoffs=form.cutoffs())
        except ValidationError as exc:
            if _is_frozen_error(exc):
                return _frozen_redirect(request, exc, rule_set)
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The grade bands were saved."))
            return redirect("scoring:rule_set_detail", rule_set.pk)
    return render(request, "scoring/rules_bands.html", {"form": form, "rule_set": rule_set})


@never_cache
@role_required(roles.STAFF)
def rule_set_publish(request, pk):
    access.require(access.can_publish(request.user))
    rule_set = access.rule_set_for_office(request.user, pk)
    if rule_set.is_frozen:
        return _frozen_redirect(request, services.frozen_error(rule_set), rule_set)
    form = PublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_set_publish(user=request.user, rule_set=rule_set)
        except ValidationError as exc:
            if _is_frozen_error(exc):
                return _frozen_redirect(request, exc, rule_set)
            add_service_errors(form, exc)
        else:
            messages.success(request, _("“%(name)s” was published; the scores are being computed.")
                             % {"name": rule_set.name})
            return redirect("scoring:rule_set_detail", rule_set.pk)
    current = (RuleSet.objects.filter(jurisdiction_id=rule_set.jurisdiction_id, level=rule_set.level,
                                      year=rule_set.year, status=RuleSet.Status.PUBLISHED).first())
    return render(request, "scoring/rules_publish.html", {
        "form": form, "rule_set": rule_set, "superseded": current, "problems": services.publish_problems(rule_set)})


@require_safe
@never_cache
@access.office_required
def rule_set_whatif(request, pk):
    rule_set = access.rule_set_for_office(request.user, pk)
    filters = WhatIfFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_bound and filters.is_valid() else {}
    result = selectors.what_if(rule_set)
    mandates = selectors.what_if_mandates(result, only_changed=bool(criteria.get("changed")),
                                          q=(criteria.get("q") or "").strip())
    page, query = page_with_query(request, mandates, WHAT_IF_PAGE_SIZE)
    rows = [result.row(mandate) for mandate in page.object_list]
    return render(request, "scoring/rules_whatif.html", {
        "rule_set": rule_set, "result": result, "filters": filters, "page": page, "query": query, "rows": rows,
        "in_scope": len(result.draft_results), "changed": len(result.changed_ids),
        "grade_counts": result.grade_counts()})
