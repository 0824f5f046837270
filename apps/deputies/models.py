"""The roster: people, their mandates, and the bodies a mandate belongs to (terms, delegations, groups)."""

from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from apps.core.crypto import EncryptedCharField, LookupHashField, lookup_hash
from apps.deputies import validators


class Level(models.TextChoices):
    """The five levels of people's congresses (五级)."""

    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    MUNICIPAL = "municipal", _("Municipal")
    COUNTY = "county", _("County")
    TOWNSHIP = "township", _("Township")


LEVEL_ORDER = [c.value for c in Level]


class Term(models.Model):
    """A term of one congress (届), e.g. 市第十六届人民代表大会."""

    jurisdiction = models.ForeignKey("core.Jurisdiction", models.PROTECT, related_name="terms",
                                     verbose_name=_("jurisdiction"))
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    number = models.PositiveSmallIntegerField(_("term number"))
    name = models.CharField(_("name"), max_length=100)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["jurisdiction__path", "level", "-number"]
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "level", "number"], name="term_unique")]

    def __str__(self):
        return self.name


class Session(models.Model):
    """A session of a congress in a term (次会议), e.g. 市第十六届人民代表大会第三次会议.

    Suggestions raised while it sits are "during the session" (大会期间); deadlines may count from its
    closing day (闭会日).
    """

    term = models.ForeignKey(Term, models.PROTECT, related_name="sessions", verbose_name=_("term"))
    number = models.PositiveSmallIntegerField(_("session number"))
    name = models.CharField(_("name"), max_length=100)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))

    class Meta:
        ordering = ["term", "-number"]
        verbose_name = pgettext_lazy("congress", "session")
        verbose_name_plural = pgettext_lazy("congress", "sessions")
        constraints = [
            models.UniqueConstraint(fields=["term", "number"], name="session_unique"),
            models.CheckConstraint(condition=models.Q(closes_on__gte=models.F("opens_on")),
                                   name="session_closes_after_opening"),
        ]

    def __str__(self):
        return self.name


class ElectoralUnit(models.Model):
    """Who elected a mandate (选举单位 / 选区); reports to voters go back to it."""

    jurisdiction = models.ForeignKey("core.Jurisdiction", models.PROTECT, related_name="electoral_units",
                                     verbose_name=_("jurisdiction"))
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    name = models.CharField(_("name"), max_length=100)
    # The area the unit elects from, when it lies below the congress's own jurisdiction: 南关区人民代表大会 elects
    # municipal deputies in 南关区. Its office sees those deputies (read-only) and organises their activities.
    area = models.ForeignKey("core.Jurisdiction", models.PROTECT, null=True, blank=True,
                             related_name="elected_units", verbose_name=_("area elected from"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["level", "name"]
        verbose_name = _("electoral unit")
        verbose_name_plural = _("electoral units")
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "level", "name"],
                                               name="electoral_unit_unique")]

    def __str__(self):
        return self.name


class Delegation(models.Model):
    """Deputies grouped for a congress session (代表团)."""

    term = models.ForeignKey(Term, models.PROTECT, related_name="delegations", verbose_name=_("term"))
    name = models.CharField(_("name"), max_length=100)
    history = HistoricalRecords()

    class Meta:
        ordering = ["term", "name"]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        constraints = [models.UniqueConstraint(fields=["term", "name"], name="delegation_unique")]

    def __str__(self):
        return self.name


class DeputyGroup(models.Model):
    """A standing local group of deputies (代表小组)."""

    jurisdiction = models.ForeignKey("core.Jurisdiction", models.PROTECT, related_name="deputy_groups",
                                     verbose_name=_("jurisdiction"))
    name = models.CharField(_("name"), max_length=100)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("deputy group")
        verbose_name_plural = _("deputy groups")
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "name"], name="deputy_group_unique")]

    def __str__(self):
        return self.name


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Party(models.TextChoices):
    CPC = "cpc", _("Communist Party of China")
    RCCK = "rcck", _("Revolutionary Committee of the Kuomintang")
    CDL = "cdl", _("China Democratic League")
    CNDCA = "cndca", _("China National Democratic Construction Association")
    CAPD = "capd", _("China Association for Promoting Democracy")
    CPWDP = "cpwdp", _("Chinese Peasants' and Workers' Democratic Party")
    ZHI_GONG = "zhigong", _("China Zhi Gong Party")
    JIUSAN = "jiusan", _("Jiusan Society")
    TDSGL = "tdsgl", _("Taiwan Democratic Self-Government League")
    NONPARTISAN = "nonpartisan", _("Without party affiliation")
    MASSES = "masses", _("The masses")


class Education(models.TextChoices):
    DOCTORATE = "doctorate", _("Doctorate")
    MASTER = "master", _("Master's degree")
    GRADUATE = "graduate", pgettext_lazy("education", "Postgraduate")  # GB/T 4658 研究生, the degree not given
    BACHELOR = "bachelor", _("Bachelor's degree")
    COLLEGE = "college", _("College")
    SECONDARY = "secondary", _("Secondary school")
    PRIMARY = "primary", _("Primary school or below")


class Occupation(models.TextChoices):
    """Occupation categories used in congress composition statistics."""

    WORKER = "worker", _("Worker")
    FARMER = "farmer", _("Farmer")
    PROFESSIONAL = "professional", _("Professional and technical")
    OFFICIAL = "official", _("Party and government cadre")
    BUSINESS = "business", _("Enterprise manager")
    MILITARY = "military", _("Military")
    OTHER = "other", _("Other")


class PersonQuerySet(models.QuerySet):
    """ID numbers and phones are encrypted: they are found by their lookup hashes, exactly, never in part."""

    def with_id_number(self, value: str):
        return self.filter(id_number_hash=lookup_hash(value, "id_number"))

    def with_id_numbers(self, values):
        return self.filter(id_number_hash__in={lookup_hash(v, "id_number") for v in values})

    def with_phone(self, value: str):
        return self.filter(phone_hash=lookup_hash(value, "phone")) if lookup_hash(value, "phone") else self.none()


class Person(models.Model):
    """A human being in the roster (人大代表); holds zero or more mandates.

    The ID number and phone are encrypted at rest (``apps.core.crypto``); ``id_number_hash`` and
    ``phone_hash`` find them (``Person.objects.with_id_number(...)``) and keep ID numbers unique.
    """

    # plaintext field -> its lookup hash; a bulk write of the first must write the second too
    LOOKUP_HASHES = {"id_number": "id_number_hash", "phone": "phone_hash"}

    name = models.CharField(_("name"), max_length=50)
    name_pinyin = models.CharField(_("name in pinyin"), max_length=200, editable=False, db_index=True)
    name_initials = models.CharField(_("pinyin initials"), max_length=50, editable=False, db_index=True)
    gender = models.CharField(_("gender"), max_length=6, choices=Gender.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=20)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    id_number = EncryptedCharField(_("ID number"), max_length=18, validators=[validators.validate_id_number])
    id_number_hash = LookupHashField(_("ID number"), source="id_number", kind="id_number", unique=True,
                                     blank=True)
    phone = EncryptedCharField(_("phone"), max_length=30, blank=True, validators=[validators.validate_phone])
    phone_hash = LookupHashField(_("phone"), source="phone", kind="phone", blank=True, db_index=True)
    party = models.CharField(_("party"), max_length=12, choices=Party.choices)
    education = models.CharField(pgettext_lazy("schooling", "education"), max_length=12, choices=Education.choices, blank=True)
    employer = models.CharField(_("employer"), max_length=200, blank=True)
    post = models.CharField(_("post"), max_length=100, blank=True)
    sector = models.CharField(_("sector"), max_length=50, blank=True)
    occupation = models.CharField(_("occupation category"), max_length=12, choices=Occupation.choices,
                                  blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    photo = models.ImageField(_("photo"), upload_to="photos/", blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)  # optimistic locking
    history = HistoricalRecords(excluded_fields=["id_number_hash", "phone_hash"])

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name_pinyin", "pk"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        permissions = [
            ("view_personal_data", _("Can see unmasked ID numbers and phones")),
            ("import_roster", _("Can import the roster from Excel")),
            ("export_roster", _("Can export the roster to Excel")),
            ("export_personal_data", _("Can export unmasked ID numbers and phones")),
            ("view_history", _("Can see the change history of roster records")),
        ]
        indexes = [
            GinIndex(name="person_name_trgm", fields=["name"], opclasses=["gin_trgm_ops"]),
            models.Index(name="person_initials_like", fields=["name_initials"], opclasses=["varchar_pattern_ops"]),
            models.Index(name="person_pinyin_like", fields=["name_pinyin"], opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_pinyin, self.name_initials = validators.pinyin_of(self.name)
        super().save(*args, **kwargs)

    def validate_unique(self, exclude=None):
        """Uniqueness is checked on the lookup hash but reported on the ID number the user typed."""
        exclude = set(exclude or ())
        for plain, hashed in self.LOOKUP_HASHES.items():
            (exclude.add if plain in exclude else exclude.discard)(hashed)
        try:
            super().validate_unique(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict({})
            for plain, hashed in self.LOOKUP_HASHES.items():
                if hashed in errors:
                    errors.setdefault(plain, []).extend(errors.pop(hashed))
            raise ValidationError(errors) from None

    @property
    def masked_id_number(self) -> str:
        return validators.mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return validators.mask_phone(self.phone)


def elected_in_q(path: str, prefix: str = "") -> models.Q:
    """Mandates elected in the area at ``path`` (a jurisdiction's materialised path) or below it by a congress
    above it: their electoral unit's ``area`` lies there (南关区人民代表大会 elects municipal deputies in 南关区).
    ``prefix`` is the lookup path from the queried model to the mandate (``"mandate__"``)."""
    return models.Q(**{f"{prefix}electoral_unit__area__path__startswith": path})


def managed_or_elected_in_q(path: str, prefix: str = "") -> models.Q:
    """Mandates an office at ``path`` manages (its congress or one below) or whose deputies were elected in its area:
    the deputies it organises (activities, group meetings, contacts)."""
    return models.Q(**{f"{prefix}jurisdiction__path__startswith": path}) | elected_in_q(path, prefix)


def unit_area(jurisdiction_path: str, name: str, places) -> int | None:
    """The jurisdiction below ``jurisdiction_path`` an electoral unit named ``name`` elects from: the one whose
    name (or short name) begins it, longest first (南关区人民代表大会 → 南关区). ``places`` are
    ``(pk, path, name, short_name)`` of the jurisdictions. None when no name fits."""
    matches = sorted(((len(label), pk) for pk, path, place, short in places
                      if path.startswith(jurisdiction_path) and path != jurisdiction_path
                      for label in (place, short) if label and name.startswith(label)), reverse=True)
    return matches[0][1] if matches else None


def serving_q(first, last, prefix: str = "", *, including_suspended: bool = False) -> models.Q:
    """Mandates serving at some time from ``first`` to ``last`` (both included): the one definition of serving,
    which ``MandateQuerySet.serving``/``serving_during``, ``serving_sql`` and ``Mandate.serves_on`` apply.

    A mandate serves on a day if it started on or before it and has not ended before it: its ``end_date`` is its
    last day served (one ended that day still served it), with or without an end reason; no end date means it
    serves still. A suspended mandate (暂停执行代表职务) does not serve: its deputy may not act while suspended.
    The roster records a suspension only as the mandate's present status, with no dates, so it counts on every
    day asked about. ``including_suspended`` is for the few questions about who held a seat rather than who
    served (a year's score, see ``apps.scoring.engine.mandates_in_scope``). ``prefix`` is the lookup path from
    the queried model to the mandate (``"mandate__"``).

    Not a date question: who may act now (submit an item, be invited, be assigned to a member) is read from the
    mandate's present status (``MandateQuerySet.current``, ``Mandate.is_serving``), which the office sets: a mandate it has ended
    stops at once even if its end date is still ahead, and one entered ahead of its start may be chosen already.
    """
    q = (models.Q(**{f"{prefix}start_date__lte": last})
         & (models.Q(**{f"{prefix}end_date__isnull": True}) | models.Q(**{f"{prefix}end_date__gte": first})))
    if not including_suspended:
        q &= ~models.Q(**{f"{prefix}status": Mandate.Status.SUSPENDED})
    return q


def serving_sql(alias: str, first: str, last: str, *, including_suspended: bool = False) -> str:
    """``serving_q`` as an SQL condition on the mandate table aliased ``alias``, for set-based statements;
    ``first`` and ``last`` are SQL expressions (a placeholder such as ``%(first)s``, or ``make_date(...)``)."""
    sql = f"{alias}.start_date <= {last} AND ({alias}.end_date IS NULL OR {alias}.end_date >= {first})"
    if not including_suspended:
        sql += f" AND {alias}.status <> '{Mandate.Status.SUSPENDED.value}'"
    return sql


class MandateQuerySet(models.QuerySet):
    def serving(self, *, on) -> "MandateQuerySet":
        """Mandates serving on the day ``on`` (see ``serving_q``: started, not ended before it, not suspended)."""
        return self.serving_during(on, on)

    def serving_during(self, first, last, *, including_suspended: bool = False) -> "MandateQuerySet":
        """Mandates serving on at least one day from ``first`` to ``last``, both included (see ``serving_q``)."""
        return self.filter(serving_q(first, last, including_suspended=including_suspended))

    def current(self) -> "MandateQuerySet":
        """Mandates whose present status is serving: who may act now (submit an item, be invited, be assigned to
        a member, be contacted). Not a date question: the office sets the status (see ``serving_q``), and
        ``Mandate.is_serving`` says the same of one mandate in memory."""
        return self.filter(status=Mandate.Status.SERVING)

    def managed_by(self, jurisdiction) -> "MandateQuerySet":
        """Mandates of ``jurisdiction``'s congress or one below it: the ones its office edits."""
        return self.filter(jurisdiction__path__startswith=jurisdiction.path)

    def elected_in(self, jurisdiction) -> "MandateQuerySet":
        """Higher congresses' mandates elected in ``jurisdiction``'s area (see ``elected_in_q``)."""
        return self.filter(elected_in_q(jurisdiction.path))

    def organised_in(self, jurisdiction) -> "MandateQuerySet":
        """Managed by ``jurisdiction`` or elected in its area: whom its office organises."""
        return self.filter(managed_or_elected_in_q(jurisdiction.path))


class Mandate(models.Model):
    """One seat (代表资格): a person at one level, in one term, from one electoral unit."""

    class Status(models.TextChoices):
        SERVING = "serving", _("Serving")
        SUSPENDED = "suspended", _("Suspended")
        ENDED = "ended", _("Ended")

    class EndReason(models.TextChoices):
        RESIGNED = "resigned", _("Resigned")
        RECALLED = "recalled", _("Recalled")
        TRANSFERRED = "transferred", _("Transferred away")
        DECEASED = "deceased", _("Deceased")
        TERMINATED = "terminated", _("Terminated by law")
        TERM_ENDED = "term_ended", _("Term ended")

    person = models.ForeignKey(Person, models.CASCADE, related_name="mandates", verbose_name=_("person"))
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, db_index=True)
    term = models.ForeignKey(Term, models.PROTECT, related_name="mandates", verbose_name=_("term"))
    jurisdiction = models.ForeignKey("core.Jurisdiction", models.PROTECT, related_name="mandates",
                                     verbose_name=_("jurisdiction"))
    electoral_unit = models.ForeignKey(ElectoralUnit, models.PROTECT, null=True, blank=True,
                                       related_name="mandates", verbose_name=_("electoral unit"))
    delegation = models.ForeignKey(Delegation, models.SET_NULL, null=True, blank=True, related_name="mandates",
                                   verbose_name=_("delegation"))
    group = models.ForeignKey(DeputyGroup, models.SET_NULL, null=True, blank=True, related_name="mandates",
                              verbose_name=_("deputy group"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    end_reason = models.CharField(_("end reason"), max_length=12, choices=EndReason.choices, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SERVING,
                              db_index=True)
    history = HistoricalRecords()

    objects = MandateQuerySet.as_manager()

    class Meta:
        ordering = ["person__name_pinyin", "level"]
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")
        constraints = [
            models.UniqueConstraint(fields=["person", "term"], name="mandate_one_per_term"),
            models.CheckConstraint(
                condition=Q(status="ended", end_date__isnull=False) & ~Q(end_reason="")
                | ~Q(status="ended"),
                name="mandate_ended_has_date_and_reason",
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.term}"

    @property
    def is_serving(self) -> bool:
        """``Mandate.objects.current()`` for one mandate in memory: its present status is serving."""
        return self.status == self.Status.SERVING

    def serves_on(self, day) -> bool:
        """``Mandate.objects.serving(on=day)`` for one mandate in memory, without a query (see ``serving_q``)."""
        return (self.status != self.Status.SUSPENDED and self.start_date <= day
                and (self.end_date is None or self.end_date >= day))
