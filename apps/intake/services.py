"""Writes of the deputy's code (代表码) and voters' opinions (选民意见).

Rules kept here:
- a code's token is random (not the pk), made when staff or the deputy first open it, renewed by staff (the old
  printed codes then stop working); only a serving deputy's or an active station's code takes opinions;
- a submission is refused when its address or phone is blocked, or when that address (or phone) already sent
  ``rules.ADDRESS_LIMIT`` (``PHONE_LIMIT``) in the last ``rules.WINDOW``. The count is of the stored opinions,
  taken under a PostgreSQL advisory lock per address and per phone, so concurrent requests to any worker cannot
  slip past it (a cache counter is exact only on Redis; the file cache of one machine reads and writes);
- an opinion waiting is accepted into a voter visit (apps.stations), turned into a suggestion draft
  (apps.proposals), or closed with a reason (as spam, optionally blocking the sender); once handled it is not
  handled again. The visit is then followed up and told back through apps.stations' services.

Changes of records are kept by django-simple-history; renewing a code and showing a phone are audit events.
"""

import secrets

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core import roles
from apps.core.crypto import lookup_hash
from apps.core.models import AuditEvent
from apps.core.services import audit_event
from apps.deputies.models import Mandate, Person
from apps.deputies.validators import normalize_phone, validate_phone
from apps.intake import rules, selectors
from apps.intake.models import Intake, IntakeBlock, IntakeCode
from apps.intake.photos import clean_photo
from apps.stations.models import Station, VoterVisit


class Refused(ValidationError):
    """A submission or lookup refused as a whole (rate limit, blocked sender): the view answers 429."""


def address_hash(address: str | None) -> str:
    return lookup_hash(address or "unknown", "address")


# --- codes --------------------------------------------------------------------------------------------------

def _new_token() -> str:
    return secrets.token_urlsafe(rules.TOKEN_BYTES)


@transaction.atomic
def intake_code_get_or_create(*, station: Station | None = None, person: Person | None = None) -> IntakeCode:
    """The code of a station or a deputy, made on first use."""
    owner = {"station": station} if station is not None else {"person": person}
    code = IntakeCode.objects.filter(**owner).first()
    if code is None:
        code, _created = IntakeCode.objects.get_or_create(**owner, defaults={"token": _new_token()})
    return code


@transaction.atomic
def intake_code_rotate(*, code: IntakeCode, user: User, request=None) -> IntakeCode:
    """Renew a code's token (a lost or misused poster): the printed codes of the old token stop working."""
    code = IntakeCode.objects.select_for_update().get(pk=code.pk)
    old_keys = selectors.code_cache_keys(code.token)
    code.token, code.rotated_at = _new_token(), timezone.now()
    code.save(update_fields=["token", "rotated_at"])
    transaction.on_commit(lambda: cache.delete_many(old_keys))  # the old token's page stops at once
    audit_event(request=request, user=user, action=AuditEvent.Action.UPDATE, obj=code,
                detail=f"deputy's code renewed for {code}")
    return code


def nearest_mandate(person: Person, path: str | None = None) -> Mandate | None:
    """The deputy's serving mandate nearest to ``path`` (the one covering it most closely), else the most local
    serving mandate; None when the person serves no more."""
    mandates = list(Mandate.objects.current().filter(person=person).select_related("jurisdiction", "person"))
    if path is not None:
        covering = [m for m in mandates if path.startswith(m.jurisdiction.path)]
        if covering:
            return max(covering, key=lambda m: len(m.jurisdiction.path))
    return max(mandates, key=lambda m: len(m.jurisdiction.path), default=None)


# --- the public submission ----------------------------------------------------------------------------------

def _lock(keys: list[str]) -> None:
    """Hold the transaction's advisory locks of ``keys`` (taken in the order given: sorted, so two requests never
    wait for each other's second lock)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(["pg_advisory_xact_lock(hashtextextended(%s, 0))"] * len(keys)), keys)


def _sender_counts(sender: str, phone_key: str, since) -> tuple[bool, int, int]:
    """In one query: whether the address or phone is blocked, and how many opinions each sent since ``since``."""
    intakes, blocks = Intake._meta.db_table, IntakeBlock._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT EXISTS (SELECT 1 FROM {blocks} WHERE (kind = %s AND value_hash = %s) "
            f"                                         OR (kind = %s AND value_hash = %s AND value_hash <> '')), "
            f"       (SELECT COUNT(*) FROM {intakes} WHERE sender_hash = %s AND created_at >= %s), "
            f"       (SELECT COUNT(*) FROM {intakes} WHERE phone_hash = %s AND phone_hash <> '' AND created_at >= %s)",
            [IntakeBlock.Kind.ADDRESS, sender, IntakeBlock.Kind.PHONE, phone_key, sender, since, phone_key, since])
        return cursor.fetchone()


def _new_lookup_code() -> str:
    return "".join(secrets.choice(rules.CODE_ALPHABET) for _i in range(rules.CODE_LENGTH))


def _too_many() -> Refused:
    minutes = int(rules.WINDOW.total_seconds() // 60)
    return Refused(_("Too many opinions were sent from here in a short time. Please try again in %(minutes)s "
                     "minutes.") % {"minutes": minutes}, code="throttled")


def intake_submit(*, code: IntakeCode, category: str, text: str, sender_address: str | None, name: str = "",
                  phone: str = "", photo=None) -> Intake:
    """A voter's opinion through a code's public page, with a new lookup code.

    The photo is re-encoded before the transaction (its CPU time holds no lock); the checks of the sender and
    the write happen under the sender's advisory locks, so that the limit holds across workers."""
    text, name, phone = (text or "").strip(), (name or "").strip(), normalize_phone(phone or "")
    errors: dict[str, list[str]] = {}
    if category not in VoterVisit.Category.values:
        errors.setdefault("category", []).append(_("Choose a category."))
    if not text:
        errors.setdefault("text", []).append(_("Write your opinion."))
    elif len(text) > rules.TEXT_MAX:
        errors.setdefault("text", []).append(_("Write at most %(max)s characters.") % {"max": rules.TEXT_MAX})
    if len(name) > rules.NAME_MAX:
        errors.setdefault("name", []).append(_("Write at most %(max)s characters.") % {"max": rules.NAME_MAX})
    try:
        validate_phone(phone)
    except ValidationError as exc:
        errors.setdefault("phone", []).extend(exc.messages)
    stored_photo = None
    if photo is not None:
        try:
            stored_photo = clean_photo(photo)
        except ValidationError as exc:
            errors.setdefault("photo", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    sender = address_hash(sender_address)
    phone_key = lookup_hash(phone, "phone") if phone else ""
    jurisdiction = _addressee_jurisdiction(code)
    if jurisdiction is None:
        raise ValidationError(_("This code no longer takes opinions."), code="inactive")
    for attempt in range(3):
        try:
            return _store(code=code, jurisdiction=jurisdiction, category=category, text=text, name=name, phone=phone,
                          sender=sender, phone_key=phone_key, photo=stored_photo)
        except IntegrityError as exc:
            # A lookup code drawn twice (1 in 2^40 per pair): draw again; any other integrity error is a bug.
            if attempt == 2 or "lookup_code" not in str(exc):
                raise
    raise AssertionError("unreachable")


@transaction.atomic
def _store(*, code, jurisdiction, category, text, name, phone, sender, phone_key, photo) -> Intake:
    """The sender's checks and the write, under the sender's advisory locks (one round trip each: the locks, the
    checks, the row and its history row), with a new lookup code."""
    _lock(sorted({f"intake:address:{sender}", *([f"intake:phone:{phone_key}"] if phone_key else [])}))
    blocked, from_address, from_phone = _sender_counts(sender, phone_key, timezone.now() - rules.WINDOW)
    if blocked:
        raise Refused(_("Opinions from here are not accepted. Please contact the work station in person."),
                      code="blocked")
    if from_address >= rules.ADDRESS_LIMIT or (phone_key and from_phone >= rules.PHONE_LIMIT):
        raise _too_many()
    intake = Intake(person=code.person, station=code.station, jurisdiction=jurisdiction, category=category,
                    text=text, name=name, phone=phone, sender_hash=sender, lookup_code=_new_lookup_code())
    if photo is not None:
        intake.photo.save(photo.name, photo, save=False)
    intake.save()
    return intake


def _addressee_jurisdiction(code: IntakeCode | None):
    """Whose office sees what comes through ``code``: an active station's jurisdiction, or that of a serving
    deputy's most local mandate; None when the code no longer takes opinions."""
    if code is None:
        return None
    if code.station_id is not None:
        return code.station.jurisdiction if code.station.is_active else None
    mandate = nearest_mandate(code.person)
    return mandate.jurisdiction if mandate is not None else None


# --- lookups ------------------------------------------------------------------------------------------------

def lookup_attempt_record(*, sender_address: str | None) -> None:
    """Count a lookup from the address in the shared cache; ``Refused`` past ``rules.LOOKUP_LIMIT`` in the window.
    A slight overcount across workers is harmless here: nothing is written and a code has 40 bits."""
    window = int(rules.WINDOW.total_seconds())
    key = f"intake:lookup:{address_hash(sender_address)}:{int(timezone.now().timestamp()) // window}"
    cache.add(key, 0, timeout=window + 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 60)
        count = 1
    if count > rules.LOOKUP_LIMIT:
        raise Refused(_("Too many lookups from here in a short time. Please try again later."), code="throttled")


# --- handling -----------------------------------------------------------------------------------------------

def _locked_waiting(intake: Intake) -> Intake:
    intake = (Intake.objects.select_for_update(of=("self",))
              .select_related("station__jurisdiction", "person").get(pk=intake.pk))
    if intake.status != Intake.Status.NEW:
        raise ValidationError(_("This opinion has already been handled."), code="handled")
    return intake


def _handled(intake: Intake, user: User, status: str) -> None:
    intake.status, intake.handled_by, intake.handled_at = status, user, timezone.now()
    intake._history_user = user


def stations_for(intake: Intake):
    """The stations an opinion may be accepted at: its own, or the active stations the deputy is attached to."""
    if intake.station_id is not None:
        return Station.objects.filter(pk=intake.station_id)
    return Station.objects.filter(deputies=intake.person_id, is_active=True).order_by("name", "pk")


@transaction.atomic
def intake_accept(*, intake: Intake, user: User, station: Station | None = None) -> VoterVisit:
    """Accept an opinion into a voter visit (status open) at its station, or at a station the deputy is attached
    to; the visit is then followed up and its result told back as any visit."""
    from apps.stations.services import visit_create

    intake = _locked_waiting(intake)
    allowed = list(stations_for(intake))
    if station is None and len(allowed) == 1:
        station = allowed[0]
    if not allowed:
        raise ValidationError({"station": _("%(name)s is attached to no work station: attach them to one first.")
                               % {"name": intake.person.name}})
    if station is None or station.pk not in {s.pk for s in allowed}:
        raise ValidationError({"station": _("Choose one of the deputy's work stations.")})
    deputies = [intake.person] if intake.person_id and station.deputies.filter(pk=intake.person_id).exists() else []
    visit = visit_create(station=station, date=timezone.localdate(intake.created_at), issue=intake.text,
                         category=intake.category, deputies=deputies, visitor_name=intake.name,
                         visitor_phone=intake.phone, created_by=user)
    intake.visit = visit
    _handled(intake, user, Intake.Status.ACCEPTED)
    intake.save()
    return visit


def draft_deputies(intake: Intake):
    """Who may lead a suggestion draft from the opinion: its deputy, or the deputies attached to its station."""
    if intake.person_id is not None:
        return Person.objects.filter(pk=intake.person_id)
    return Person.objects.filter(stations=intake.station_id).order_by("name_pinyin", "pk")


@transaction.atomic
def intake_suggestion_draft(*, intake: Intake, user: User, title: str, content: str,
                            person: Person | None = None):
    """Turn an opinion into a suggestion draft (建议草稿) led by its deputy (or a deputy of its station); a deputy
    makes it only for themself."""
    from apps.proposals.services.submission import suggestion_draft_from_voter_issue

    intake = _locked_waiting(intake)
    candidates = set(draft_deputies(intake).values_list("pk", flat=True))
    person = intake.person if intake.person_id else person
    if person is None or person.pk not in candidates:
        raise ValidationError({"person": _("Choose a deputy attached to the station.")})
    if user.person_id and not user.has_role(roles.STAFF) and user.person_id != person.pk:
        raise ValidationError({"person": _("You can make a suggestion draft only for yourself.")})
    path = intake.station.jurisdiction.path if intake.station_id else intake.jurisdiction.path
    mandate = nearest_mandate(person, path)
    if mandate is None:
        raise ValidationError({"person": _("%(name)s holds no serving mandate and cannot lead a suggestion.")
                               % {"name": person.name}})
    origin = _("(From a voter's opinion to %(addressee)s received on %(date)s, lookup code %(code)s.)") % {
        "addressee": intake.addressee, "date": formats.date_format(timezone.localdate(intake.created_at)),
        "code": intake.lookup_code}
    proposal = suggestion_draft_from_voter_issue(user=user, mandate=mandate, title=title, content=content,
                                                 origin=origin)
    intake.suggestion = proposal
    _handled(intake, user, Intake.Status.DRAFTED)
    intake.save()
    return proposal


@transaction.atomic
def intake_close(*, intake: Intake, user: User, reason: str, spam: bool = False, block: bool = False) -> Intake:
    """Close an opinion with the reason the voter will read; as spam (the voter's lookup then shows nothing),
    optionally blocking the sender's address and phone."""
    intake = _locked_waiting(intake)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Write the reason for closing.")})
    if block and not spam:
        raise ValidationError({"block": _("Only spam can block its sender.")})
    _handled(intake, user, Intake.Status.SPAM if spam else Intake.Status.CLOSED)
    intake.close_reason = reason
    intake.save()
    if block:
        for kind, value in ((IntakeBlock.Kind.ADDRESS, intake.sender_hash), (IntakeBlock.Kind.PHONE, intake.phone_hash)):
            if value:
                IntakeBlock.objects.get_or_create(kind=kind, value_hash=value,
                                                  defaults={"intake": intake, "created_by": user})
    return intake


def intake_phone_reveal(*, intake: Intake, user: User, request=None) -> str:
    """The sender's full phone, recorded in the audit log."""
    audit_event(request=request, user=user, action=AuditEvent.Action.VIEW_PERSONAL_DATA, obj=intake,
                detail="voter's phone of an opinion")
    return intake.phone
