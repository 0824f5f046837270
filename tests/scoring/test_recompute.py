"""Recomputation: the button queues one job through the outbox (a second click while it waits queues nothing),
the page says it is waiting, the task is idempotent, publishing computes, and a nightly task recomputes this
year's published sets."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from apps.core.models import OutboxMessage
from apps.deputies.models import Level
from apps.scoring import tasks
from apps.scoring.models import RuleSet, Score
from apps.scoring.selectors.scores import RECOMPUTE_TASK, pending_recompute
from apps.scoring.services import rules as rule_services
from apps.scoring.services import scores as services
from tests.reliability.support import broker_back
from tests.scoring.factories import YEAR, typical_rule_set
from tests.scoring.rules_support import attend, city_published, make_activity, score_of  # noqa: F401


def _run(message: OutboxMessage):
    """What a worker does with the job."""
    return tasks.recompute_rule_set(*message.args, **message.kwargs)


def test_the_button_queues_one_job_and_the_page_says_it_waits(client_for, staff_user, city_published):
    client = client_for(staff_user)
    url = reverse("scoring:recompute", args=[city_published.pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    message = OutboxMessage.objects.get(task=RECOMPUTE_TASK)
    assert message.kwargs["rule_set_id"] == city_published.pk
    detail = client.get(reverse("scoring:rule_set_detail", args=[city_published.pk]))
    assert detail.context["pending"] == message
    assert 'id="recompute-pending"' in detail.content.decode()
    listed = client.get(reverse("scoring:score_list"), {"year": YEAR, "level": Level.MUNICIPAL})
    assert [rs.pending for rs in listed.context["rule_sets"]] == [message]

    assert _run(message) == 1
    assert pending_recompute(RuleSet.objects.get(pk=city_published.pk)) is None
    assert client.post(url).status_code == 302
    assert OutboxMessage.objects.filter(task=RECOMPUTE_TASK).count() == 2


def test_the_job_is_idempotent(staff_user, city_published, municipal_mandate, city):
    message = services.scores_recompute_request(user=staff_user, rule_set=city_published)
    before = score_of(city_published, municipal_mandate).total
    attend(make_activity(city, title="补录的视察"), municipal_mandate)
    assert _run(message) == 1
    computed = RuleSet.objects.get(pk=city_published.pk).computed_at
    after = score_of(city_published, municipal_mandate)
    assert after.total == before + 2
    assert _run(message) is None  # delivered twice: the scores were computed after it was asked for
    assert RuleSet.objects.get(pk=city_published.pk).computed_at == computed
    assert Score.objects.filter(rule_set=city_published).count() == 1


def test_a_job_asked_for_before_a_later_computation_does_nothing(staff_user, city_published):
    asked = (timezone.now() - datetime.timedelta(minutes=5)).isoformat()
    assert tasks.recompute_rule_set(city_published.pk, asked) is None
    assert tasks.recompute_rule_set(city_published.pk) == 1  # no time given: always


def test_only_a_published_sets_scores_are_recomputed(staff_user, city, city_published):
    draft = rule_services.rule_set_copy(user=staff_user, source=city_published, name="草案")
    with pytest.raises(ValidationError) as exc:
        services.scores_recompute_request(user=staff_user, rule_set=draft)
    assert exc.value.code == "not_published"
    RuleSet.objects.filter(pk=city_published.pk).update(status=RuleSet.Status.SUPERSEDED)
    assert tasks.recompute_rule_set(city_published.pk) is None
    assert tasks.recompute_rule_set(987654) is None


def test_publishing_computes_the_scores_through_the_outbox(settings, staff_user, city, municipal_mandate,
                                                           django_capture_on_commit_callbacks):
    draft = typical_rule_set(city, status=RuleSet.Status.DRAFT)
    with broker_back(settings), django_capture_on_commit_callbacks(execute=True):
        rule_services.rule_set_publish(user=staff_user, rule_set=draft)
    draft.refresh_from_db()
    assert draft.computed_at is not None
    assert score_of(draft, municipal_mandate).total == 60
    assert OutboxMessage.objects.get(task=RECOMPUTE_TASK).dispatched_at is not None


def test_the_nightly_task_recomputes_this_years_published_sets(city, county, municipal_mandate, county_mandate):
    this_year = typical_rule_set(city, year=YEAR)
    county_set = typical_rule_set(county, level=Level.COUNTY, year=YEAR)
    draft = typical_rule_set(city, year=YEAR, status=RuleSet.Status.DRAFT)
    last_year = typical_rule_set(city, year=YEAR - 1)
    with time_machine.travel(datetime.datetime(YEAR, 6, 1, 3, 0, tzinfo=datetime.UTC), tick=False):
        assert tasks.recompute_current_year() == {"rule_sets": 2, "scores": 2}
    assert {rs.pk for rs in RuleSet.objects.filter(computed_at__isnull=False)} == {this_year.pk, county_set.pk}
    assert not Score.objects.filter(rule_set__in=[draft, last_year]).exists()
    assert tasks.recompute_current_year(YEAR - 1) == {"rule_sets": 1, "scores": 1}


def test_the_nightly_task_is_declared_and_installed(db):
    from django_celery_beat.models import PeriodicTask

    entry = next(e for e in tasks.PERIODIC_TASKS if e["task"] == "apps.scoring.tasks.recompute_current_year")
    assert entry["crontab"] == {"minute": "30", "hour": "2"}
    call_command("setup_periodic_tasks", verbosity=0)
    assert PeriodicTask.objects.get(name=entry["name"]).task == entry["task"]
