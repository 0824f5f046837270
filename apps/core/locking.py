"""Optimistic locking for records people edit: no lost update when two people change one record.

A model taking part has an integer ``version`` field (``models.PositiveIntegerField(default=1,
editable=False)``). The edit form carries the version it was opened on (``VersionField``, hidden); the
service saves through ``save_with_version``, which first moves the row from that version to the next one
with ``UPDATE ... SET version = version + 1 WHERE id = %s AND version = %s``. The update takes the row lock,
so of two concurrent saves of one version exactly one touches the row; the other finds 0 rows and raises
``StaleObjectError`` without writing anything. The view then shows the form again with the person's input
and the record's current values, carrying the new version, so a deliberate second save goes through.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Model
from django.utils.translation import gettext_lazy as _

STALE_MESSAGE = _("Someone else changed this record since you opened it. Your input is kept below with the "
                  "current values; check them and save again.")


class StaleObjectError(ValidationError):
    """The record changed since the form was opened; nothing was written."""

    def __init__(self, obj: Model, *, current_version: int | None = None):
        super().__init__(STALE_MESSAGE, code="stale")
        self.obj = obj
        self.current_version = current_version


class VersionField(forms.IntegerField):
    """The hidden form field with the version the form was opened on.

    Not required by default: a post without it (a script, an old page) saves unchecked, as before; the
    pages always send it. Pass ``required=True`` to refuse such posts.
    """

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


def save_with_version(obj: Model, *, version: int | None, field: str = "version", **save_kwargs) -> Model:
    """Save ``obj`` if its row is still at ``version`` (the one the editor saw), bumping the version.

    Runs ``obj.save()`` (signals and history as usual) after the conditional update, in one transaction.
    ``version=None`` skips the check (writes that are not a person's edit) but still bumps the version.
    Raises ``StaleObjectError`` when another save came first.
    """
    model = type(obj)
    with transaction.atomic():
        rows = model._default_manager.filter(pk=obj.pk)
        if version is not None:
            rows = rows.filter(**{field: version})
        if not rows.update(**{field: F(field) + 1}):
            current = model._default_manager.filter(pk=obj.pk).values_list(field, flat=True).first()
            raise StaleObjectError(obj, current_version=current)
        if version is None:
            version = model._default_manager.filter(pk=obj.pk).values_list(field, flat=True).get() - 1
        setattr(obj, field, version + 1)
        obj.save(**save_kwargs)
    return obj


def current_differences(form: forms.Form, current: Model, *, masked: dict | None = None) -> list[dict]:
    """The fields where the record as it is now differs from what the person submitted: label, current value
    (as shown to people: choices by their label; ``masked`` maps a field to the value to show instead)."""
    masked = masked or {}
    rows = []
    for name, field in form.fields.items():
        if isinstance(field, (VersionField, forms.FileField)) or name not in form.cleaned_data:
            continue
        try:
            value = getattr(current, name)
        except AttributeError:
            continue
        if value == form.cleaned_data[name]:
            continue
        display = getattr(current, f"get_{name}_display", None)
        shown = masked[name] if name in masked else (display() if display else value)
        rows.append({"name": name, "label": field.label, "current": "" if shown is None else shown})
    return rows


def form_with_current_version(form: forms.Form, version: int, *, field: str = "version") -> None:
    """After a stale save: keep the person's input but carry the current version, so saving again is
    a deliberate overwrite of what they have now seen."""
    data = form.data.copy()
    data[form.add_prefix(field)] = str(version)
    form.data = data
