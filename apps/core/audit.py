"""Change auditing: an AuditEvent for every create, update and delete of a business record.

Business records are the models of the apps in ``AUDITED_APPS`` (not their simple-history tables, not the
automatic many-to-many tables) and accounts changed by an administrator (a user changing another account).
Each change is one INSERT into the audit log, in the same transaction as the change: a rolled-back change
leaves no entry. Who and from where come from the request simple-history's ``HistoryRequestMiddleware``
keeps in ``HistoricalRecords.context``; outside a request (a task, a command) the user is empty.

``detail`` never holds a value, only the names of the fields an update changed (values may be ID numbers or
phones). The changed fields are found by comparing with a snapshot of the row's concrete fields taken when
the instance is built (``post_init``): a small dict per loaded row, no query. Comparing with simple-history's
previous record instead would cost a SELECT on every update and does not exist for the models kept without
history (participations, attendances, attachments ...).

Bulk writes (``bulk_create``, ``bulk_update``, ``QuerySet.update``, imports) send no signals: the services
that make them write one summary entry themselves (action ``bulk_change`` or ``import``).

Deletes cascaded from a deleted record are covered by the entry of the record the delete started from
(``origin``); one INSERT per delete asked for, not per row swept along.
"""

from django.apps import apps
from django.db import connections, router
from django.db.models import QuerySet
from django.utils import timezone
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save

AUDITED_APPS = ("deputies", "committee", "liaison", "activities", "training", "stations", "proposals", "scoring",
                "covenant", "reports", "funds",
                "publicity")

# Until the lead adds them to AuditEvent.Action, the values are plain strings (the column is free text).
ACTION_CREATE = "create"
ACTION_UPDATE = "update"
ACTION_DELETE = "delete"

# Bookkeeping tables of the audited apps that record no one's change (a reminder already sent).
# Bookkeeping and derived rows: reminders sent; scores and their lines (written in bulk by the engine, which
# records one entry per computation); the files of a report batch (the batch itself is audited).
NOT_AUDITED = frozenset({"proposals.ReminderSent", "scoring.Score", "scoring.ScoreLine", "reports.ReportFile"})

# Account fields written as a side effect of signing in (audited as a login): not an administrator's change.
_USER_BOOKKEEPING = frozenset({"last_login"})

_SNAPSHOT = "_audit_initial"
_UID = "core.audit"

# model -> (attnames compared, attnames not reported). Not reported: the columns nobody edits, derived or
# bookkeeping (auto_now timestamps, version counters, lookup hashes, materialised paths).
_FIELDS: dict[type, tuple[tuple[str, ...], frozenset[str]]] = {}
_FILES: dict[type, frozenset[str]] = {}


def _is_historical(model) -> bool:
    from simple_history.models import HistoricalChanges

    return issubclass(model, HistoricalChanges) or model.__name__.startswith("Historical")


def audited_models() -> list[type]:
    """The models whose changes are audited (proxies included: their signals name the proxy)."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    models = []
    for model in apps.get_models():
        meta = model._meta
        if model is user_model or (
                meta.app_label in AUDITED_APPS and meta.managed and not meta.auto_created
                and not _is_historical(model) and meta.label not in NOT_AUDITED):
            models.append(model)
    return models


def _fields(model) -> tuple[tuple[str, ...], frozenset[str]]:
    fields = _FIELDS.get(model)
    if fields is None:
        concrete = model._meta.concrete_fields
        fields = _FIELDS[model] = (
            tuple(f.attname for f in concrete if not f.primary_key),
            frozenset(f.attname for f in concrete if not f.editable),
        )
    return fields


def _snapshot(instance) -> dict:
    values = instance.__dict__
    return {name: values[name] for name in _fields(type(instance))[0] if name in values}


def _request():
    from simple_history.models import HistoricalRecords

    return getattr(HistoricalRecords.context, "request", None)


def _request_user(request):
    user = getattr(request, "user", None) if request is not None else None
    return user if user is not None and user.is_authenticated else None


def _insert_sql() -> str:
    from apps.core.models import AuditEvent

    global _INSERT
    if _INSERT is None:
        columns = ("created_at", "user_id", "username", "ip_address", "action", "object_type", "object_id",
                   "detail", "success")
        _INSERT = (f"INSERT INTO {AuditEvent._meta.db_table} ({', '.join(columns)}) "
                   f"VALUES ({', '.join(['%s'] * len(columns))})")
    return _INSERT


_INSERT = None


def _write(*, instance, action: str, detail: str = "", request=None) -> None:
    """One INSERT, written directly: the ORM's ``create`` would double the cost of an audited edit's entry
    (building and saving a model instance) for the same row."""
    from apps.core.services import client_ip

    # Outside a request, a service names the acting user the way simple-history expects it.
    user = _request_user(request) or getattr(instance, "_history_user", None)
    if user is not None and not user.pk:
        user = None
    with connections[router.db_for_write(type(instance), instance=instance)].cursor() as cursor:
        cursor.execute(_insert_sql(), [
            timezone.now(),
            user.pk if user is not None else None,
            user.get_username()[:150] if user is not None else "",
            client_ip(request),
            action,
            instance._meta.concrete_model._meta.label,
            str(instance.pk)[:64],
            detail[:500],
            True,
        ])


def _changed_fields(instance, update_fields) -> list[str]:
    names, hidden = _fields(type(instance))
    if update_fields is not None:
        wanted = set(update_fields)  # names or attnames
        return [_field_name(instance, n) for n in names
                if n not in hidden and (n in wanted or (n.endswith("_id") and n[:-3] in wanted))]
    before = instance.__dict__.get(_SNAPSHOT)
    if before is None:
        return []
    now = instance.__dict__
    return [_field_name(instance, n) for n in names
            if n not in hidden and n in before and n in now and before[n] != now[n]
            and not (n in _file_fields(type(instance)) and _file_name(before[n]) == _file_name(now[n]))]


def _file_fields(model) -> frozenset[str]:
    from django.db.models import FileField

    names = _FILES.get(model)
    if names is None:
        names = _FILES[model] = frozenset(f.attname for f in model._meta.concrete_fields if isinstance(f, FileField))
    return names


def _file_name(value) -> str:
    """A file column holds "" or None (no file), a name, or a FieldFile once read: compare the names."""
    return getattr(value, "name", value) or ""


def _field_name(instance, attname: str) -> str:
    """``jurisdiction`` rather than ``jurisdiction_id``: the name people see in forms and history."""
    return attname[:-3] if attname.endswith("_id") and attname[:-3] in _relation_names(type(instance)) else attname


def _relation_names(model) -> frozenset[str]:
    return frozenset(f.name for f in model._meta.concrete_fields if f.is_relation)


def _is_admin_change(instance, request) -> bool:
    """An account is audited here when someone changes another account; a user's own sign-in bookkeeping
    and password change have their own entries (login, password_changed)."""
    user = _request_user(request)
    return user is not None and user.pk != instance.pk


def on_post_init(sender, instance, **kwargs):
    instance.__dict__[_SNAPSHOT] = _snapshot(instance)


def on_post_save(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw:  # loaddata
        return
    request = _request()
    is_user = sender._meta.concrete_model is _user_model()
    if not is_user or _is_admin_change(instance, request):
        if created:
            _write(instance=instance, action=ACTION_CREATE, request=request)
        else:
            changed = _changed_fields(instance, update_fields)
            if not (is_user and changed and set(changed) <= _USER_BOOKKEEPING):
                _write(instance=instance, action=ACTION_UPDATE, request=request,
                       detail=f"changed: {', '.join(changed)}" if changed else "")
    instance.__dict__[_SNAPSHOT] = _snapshot(instance)


def on_post_delete(sender, instance, origin=None, **kwargs):
    if origin is not None and origin is not instance and not isinstance(origin, QuerySet):
        return  # swept along by the delete of ``origin``, which has its own entry
    request = _request()
    if sender._meta.concrete_model is _user_model() and not _is_admin_change(instance, request):
        return
    _write(instance=instance, action=ACTION_DELETE, request=request)


def on_m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """Adding or removing people of a station, a contact, a reception day ... changes that record."""
    if action not in ("post_add", "post_remove", "post_clear") or (action != "post_clear" and not pk_set):
        return
    if type(instance)._meta.concrete_model not in _audited_set():
        return
    field = _m2m_field_name(sender, instance, reverse)
    _write(instance=instance, action=ACTION_UPDATE, request=_request(), detail=f"changed: {field}")


def _m2m_field_name(through, instance, reverse: bool) -> str:
    for field in type(instance)._meta.get_fields():
        if not field.many_to_many:
            continue
        if field.auto_created:  # the reverse side (person.stations)
            if field.through is through:
                return field.get_accessor_name()
        elif field.remote_field.through is through:
            return field.name
    return through._meta.model_name


_AUDITED: set[type] = set()


def _audited_set() -> set[type]:
    return _AUDITED


def _user_model():
    from django.contrib.auth import get_user_model

    return get_user_model()


def connect() -> None:
    """Register the handlers for every audited model (called from CoreConfig.ready)."""
    through_models = set()
    for model in audited_models():
        _AUDITED.add(model._meta.concrete_model)
        key = f"{_UID}:{model._meta.label}"
        post_init.connect(on_post_init, sender=model, dispatch_uid=key, weak=False)
        post_save.connect(on_post_save, sender=model, dispatch_uid=key, weak=False)
        post_delete.connect(on_post_delete, sender=model, dispatch_uid=key, weak=False)
        if model._meta.app_label in AUDITED_APPS:
            for field in model._meta.local_many_to_many:
                through = field.remote_field.through
                if through._meta.auto_created:
                    through_models.add(through)
    for through in through_models:
        m2m_changed.connect(on_m2m_changed, sender=through, dispatch_uid=f"{_UID}:{through._meta.label}",
                            weak=False)


def disconnect() -> None:
    """Remove the handlers (the bench's "auditing off" runs; tests)."""
    for model in audited_models():
        key = f"{_UID}:{model._meta.label}"
        post_init.disconnect(sender=model, dispatch_uid=key)
        post_save.disconnect(sender=model, dispatch_uid=key)
        post_delete.disconnect(sender=model, dispatch_uid=key)
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.disconnect(sender=through, dispatch_uid=f"{_UID}:{through._meta.label}")


def bulk_change_record(*, obj, detail: str) -> None:
    """One summary entry for a bulk write (bulk_create/bulk_update fire no signals), by the user of the current
    request when there is one."""
    from apps.core.models import AuditEvent

    _write(instance=obj, action=AuditEvent.Action.BULK_CHANGE, detail=detail, request=_request())


# --- what the auditor reads ------------------------------------------------------------------------------------
# The log keeps machine names ("deputies.Person", "changed: phone, post"): stable, searchable, language-free.
# The audit log page and its export show them in the reader's language through the models' verbose names.

CHANGED_PREFIX = "changed: "

# Models that moved to another app: the entries written before the move keep the old name (the log is
# append-only) and are read as the model's new name.
MOVED_MODELS = {"liaison.CommitteeMember": "committee.CommitteeMember",
                "liaison.SpecialCommittee": "committee.SpecialCommittee"}


def _model(object_type: str):
    try:
        return apps.get_model(MOVED_MODELS.get(object_type, object_type))
    except (LookupError, ValueError):
        return None


def object_type_label(object_type: str) -> str:
    """The model's verbose name ("代表" for ``deputies.Person``); the stored name when no model has it."""
    model = _model(object_type) if object_type else None
    return str(model._meta.verbose_name) if model is not None else object_type


def field_label(model, name: str) -> str:
    """A field's verbose name (a reverse relation: the related model's plural name); else the name itself."""
    from django.core.exceptions import FieldDoesNotExist

    if model is None:
        return name
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    if hasattr(field, "verbose_name"):
        return str(field.verbose_name)
    return str(field.related_model._meta.verbose_name_plural)


def detail_label(object_type: str, detail: str) -> str:
    """``detail`` as the auditor reads it: the fields of a change entry by their verbose names ("修改：电话、职务");
    any other detail unchanged."""
    from django.utils.translation import gettext as _
    from django.utils.translation import pgettext

    if not detail.startswith(CHANGED_PREFIX):
        return detail
    model = _model(object_type) if object_type else None
    names = [name.strip() for name in detail.removeprefix(CHANGED_PREFIX).split(",") if name.strip()]
    return _("Changed: %(fields)s") % {"fields": pgettext("list separator", ", ").join(field_label(model, name) for name in names)}
