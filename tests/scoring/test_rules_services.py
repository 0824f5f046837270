"""Rule set services: drafting and version numbers, validation naming the field, the freeze of published and
superseded sets, publishing (supersedes, queues the computation), copying, optimistic locking."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.core.locking import StaleObjectError
from apps.core.models import OutboxMessage
from apps.deputies.models import Level
from apps.scoring.models import Grade, GradeBand, RuleItem, RuleSet, Source
from apps.scoring.selectors.scores import RECOMPUTE_TASK
from apps.scoring.services import rules as services
from tests.scoring.factories import DEFAULT_BANDS, activity_type, typical_rule_set
from tests.scoring.rules_support import city_draft, city_published  # noqa: F401

D = Decimal


def _error_fields(exc: pytest.ExceptionInfo) -> set[str]:
    return set(exc.value.error_dict)


def _create(user, jurisdiction, **kwargs):
    values = {"level": Level.MUNICIPAL, "year": 2024, "name": "2024年度考核办法", "base_points": D("60")} | kwargs
    return services.rule_set_create(user=user, jurisdiction=jurisdiction, **values)


def _item_values(**kwargs):
    return {"label": "视察", "kind": RuleItem.Kind.ITEM, "source": Source.ACTIVITY_PRESENT,
            "activity_type": activity_type("inspection"), "points": D("2"), "cap": D("8")} | kwargs


def test_a_new_draft_is_the_next_version_of_its_jurisdiction_level_and_year(staff_user, city, county):
    first = _create(staff_user, city)
    second = _create(staff_user, city)
    other_level = _create(staff_user, city, level=Level.COUNTY)
    other_year = _create(staff_user, city, year=2025)
    county_set = _create(staff_user, county)
    assert (first.version, second.version, other_level.version, other_year.version, county_set.version) == (
        1, 2, 1, 1, 1)
    assert first.status == RuleSet.Status.DRAFT and first.created_by == staff_user


def test_a_draft_needs_a_name_base_points_within_0_100_a_year_and_the_users_scope(county_staff_user, city, county):
    with pytest.raises(ValidationError) as exc:
        _create(county_staff_user, city, name="  ", base_points=D("101"), year=1999, level="galactic")
    assert _error_fields(exc) == {"jurisdiction", "name", "base_points", "year", "level"}
    assert not RuleSet.objects.exists()
    assert _create(county_staff_user, county).jurisdiction == county


def test_an_item_is_validated_field_by_field(staff_user, city):
    draft = _create(staff_user, city)
    services.rule_item_create(user=staff_user, rule_set=draft, **_item_values())
    with pytest.raises(ValidationError) as exc:
        services.rule_item_create(user=staff_user, rule_set=draft, **_item_values(
            label="视察", kind="bogus", points=D("101"), cap=D("0"), position=-1))
    assert _error_fields(exc) == {"label", "kind", "points", "cap", "position"}  # label: already there


def test_an_activity_type_is_required_exactly_for_the_activity_sources(staff_user, city):
    draft = _create(staff_user, city)
    for source in (Source.ACTIVITY_PRESENT, Source.ACTIVITY_LEAVE, Source.ACTIVITY_ABSENT):
        with pytest.raises(ValidationError) as exc:
            services.rule_item_create(user=staff_user, rule_set=draft,
                                      **_item_values(label=source, source=source, activity_type=None))
        assert _error_fields(exc) == {"activity_type"}
    with pytest.raises(ValidationError) as exc:
        services.rule_item_create(user=staff_user, rule_set=draft, **_item_values(label="培训", source=Source.TRAINING))
    assert _error_fields(exc) == {"activity_type"}
    training = services.rule_item_create(user=staff_user, rule_set=draft,
                                         **_item_values(label="培训", source=Source.TRAINING, activity_type=None))
    assert training.activity_type is None and training.position == 10
    later = services.rule_item_create(user=staff_user, rule_set=draft, **_item_values(label="视察"))
    assert later.position == 20


def test_grade_bands_need_four_distinct_descending_cut_offs_starting_at_zero(staff_user, city):
    draft = _create(staff_user, city)
    good = {Grade.EXCELLENT: D("90"), Grade.COMPETENT: D("75"), Grade.BASICALLY_COMPETENT: D("60"),
            Grade.INCOMPETENT: D("0")}
    for bad, fields in [
        (good | {Grade.COMPETENT: D("90")}, {Grade.COMPETENT}),  # not distinct
        (good | {Grade.BASICALLY_COMPETENT: D("80")}, {Grade.BASICALLY_COMPETENT}),  # above the grade before
        (good | {Grade.INCOMPETENT: D("10")}, {Grade.INCOMPETENT}),  # the lowest starts at 0
        (good | {Grade.EXCELLENT: None}, {Grade.EXCELLENT}),
        (good | {Grade.EXCELLENT: D("120")}, {Grade.EXCELLENT}),
    ]:
        with pytest.raises(ValidationError) as exc:
            services.grade_bands_save(user=staff_user, rule_set=draft, cutoffs=bad)
        assert _error_fields(exc) == {f.value for f in fields}
        assert not draft.bands.exists()
    services.grade_bands_save(user=staff_user, rule_set=draft, cutoffs=good)
    services.grade_bands_save(user=staff_user, rule_set=draft, cutoffs=good | {Grade.EXCELLENT: D("95")})
    assert dict(draft.bands.values_list("grade", "min_total")) == {k.value: v for k, v in
                                                                   (good | {Grade.EXCELLENT: D("95")}).items()}


@pytest.mark.parametrize("status", [RuleSet.Status.PUBLISHED, RuleSet.Status.SUPERSEDED])
def test_a_published_or_superseded_set_refuses_every_edit(staff_user, city, status):
    frozen = typical_rule_set(city, status=status)
    item = frozen.items.first()
    attempts = [
        lambda: services.rule_set_update(user=staff_user, rule_set=frozen, version=frozen.lock_version,
                                         name="改名", base_points=D("50"), notes=""),
        lambda: services.rule_item_create(user=staff_user, rule_set=frozen, **_item_values(label="新项目")),
        lambda: services.rule_item_update(user=staff_user, item=item, **_item_values(label="改", position=1)),
        lambda: services.rule_item_delete(user=staff_user, item=item),
        lambda: services.grade_bands_save(user=staff_user, rule_set=frozen, cutoffs=DEFAULT_BANDS),
        lambda: services.rule_set_publish(user=staff_user, rule_set=frozen),
    ]
    before = (list(RuleSet.objects.values_list("name", "base_points", "status", "lock_version")),
              list(RuleItem.objects.values_list("pk", "label", "points")),
              list(GradeBand.objects.values_list("pk", "min_total")))
    for attempt in attempts:
        with pytest.raises(ValidationError) as exc:
            attempt()
        assert exc.value.code == "frozen"
        assert frozen.name in exc.value.messages[0]
    assert before == (list(RuleSet.objects.values_list("name", "base_points", "status", "lock_version")),
                      list(RuleItem.objects.values_list("pk", "label", "points")),
                      list(GradeBand.objects.values_list("pk", "min_total")))


def test_an_edit_of_a_set_published_meanwhile_is_refused(staff_user, city):
    """The services re-read the set under a lock: an object loaded while it was a draft does not help."""
    draft = typical_rule_set(city, status=RuleSet.Status.DRAFT)
    stale_copy = RuleSet.objects.get(pk=draft.pk)
    services.rule_set_publish(user=staff_user, rule_set=draft)
    assert stale_copy.status == RuleSet.Status.DRAFT
    with pytest.raises(ValidationError) as exc:
        services.rule_item_create(user=staff_user, rule_set=stale_copy, **_item_values(label="新项目"))
    assert exc.value.code == "frozen"


def test_publishing_supersedes_the_published_version_and_queues_the_computation(staff_user, city, county):
    old = typical_rule_set(city)
    other_year = typical_rule_set(city, year=2025)
    other_jurisdiction = typical_rule_set(county)
    draft = typical_rule_set(city, status=RuleSet.Status.DRAFT)
    published = services.rule_set_publish(user=staff_user, rule_set=draft)
    assert published.status == RuleSet.Status.PUBLISHED
    assert published.published_by == staff_user and published.published_at is not None
    old.refresh_from_db(), other_year.refresh_from_db(), other_jurisdiction.refresh_from_db()
    assert old.status == RuleSet.Status.SUPERSEDED
    assert other_year.status == other_jurisdiction.status == RuleSet.Status.PUBLISHED
    message = OutboxMessage.objects.get(task=RECOMPUTE_TASK)
    assert message.kwargs["rule_set_id"] == published.pk


def test_a_draft_without_items_or_all_four_bands_is_not_published(staff_user, city):
    draft = _create(staff_user, city)
    with pytest.raises(ValidationError) as exc:
        services.rule_set_publish(user=staff_user, rule_set=draft)
    assert len(exc.value.messages) == 2
    services.rule_item_create(user=staff_user, rule_set=draft, **_item_values())
    GradeBand.objects.create(rule_set=draft, grade=Grade.EXCELLENT, min_total=90)
    with pytest.raises(ValidationError):
        services.rule_set_publish(user=staff_user, rule_set=draft)
    draft.refresh_from_db()
    assert draft.status == RuleSet.Status.DRAFT and not OutboxMessage.objects.exists()


def test_a_copy_is_a_new_draft_version_with_the_same_items_and_bands(staff_user, city_published):
    copy = services.rule_set_copy(user=staff_user, source=city_published, name="修订稿")
    assert (copy.status, copy.version, copy.year, copy.name) == (RuleSet.Status.DRAFT, city_published.version + 1,
                                                                 2024, "修订稿")

    def items(rule_set):
        return list(rule_set.items.order_by("position").values_list(
            "label", "kind", "source", "activity_type", "points", "cap", "position"))

    assert items(copy) == items(city_published)
    assert (sorted(copy.bands.values_list("grade", "min_total"))
            == sorted(city_published.bands.values_list("grade", "min_total")))
    next_year = services.rule_set_copy(user=staff_user, source=city_published, year=2025, name="2025年度")
    assert (next_year.year, next_year.version) == (2025, 1)


def test_the_header_edit_is_refused_when_someone_saved_since(staff_user, city_draft):
    opened = city_draft.lock_version
    services.rule_set_update(user=staff_user, rule_set=city_draft, version=opened, name="第一次",
                             base_points=D("55"), notes="")
    with pytest.raises(StaleObjectError):
        services.rule_set_update(user=staff_user, rule_set=city_draft, version=opened, name="第二次",
                                 base_points=D("65"), notes="")
    city_draft.refresh_from_db()
    assert (city_draft.name, city_draft.base_points, city_draft.lock_version) == ("第一次", D("55"), opened + 1)
