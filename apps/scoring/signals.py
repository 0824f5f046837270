"""Receivers that keep the stored scores in step with the records they count (registered in
``ScoringConfig.ready``).

Scoring sits above the apps whose records it counts, so it listens to their models' signals: for every
``Source`` of the engine, a write of the record (or of what decides whether it counts: an activity's date and
type, a proposal's state, an invitation's date, a mandate's dates and level) marks the affected mandates
(``apps.scoring.services.freshness``). Bulk writes that fire no model signal send ``apps.core.signals
.records_written`` from their service, handled here too.

| Source | records | also |
|---|---|---|
| activity_present/leave/absent | ``Participation`` | ``Activity`` (date, type) |
| training | ``TrainingAttendance`` | ``TrainingSession`` (date) |
| reception | ``ReceptionDay.deputies`` (persons) | ``ReceptionDay`` (date, deletion) |
| suggestion/motion lead/cosign, key_suggestion | ``Signature`` | ``Proposal`` (state, kind, key, year) |
| voter_report, commendation | ``VoterReport``, ``Commendation`` | |
| adopted_opinion | ``Opinion`` (the invitee's person) | ``Invitation`` (date), ``Invitee`` |
| every source (the scope) | ``Mandate`` (level, dates, jurisdiction) | |
"""

from __future__ import annotations

from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from apps.core.signals import records_written


def _t(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _mark(*, mandate_ids=(), person_ids=()) -> None:
    from apps.scoring.services.freshness import scores_mark_stale

    scores_mark_stale(mandate_ids=mandate_ids, person_ids=person_ids)


def _mark_where(sql: str, params: dict) -> None:
    from apps.scoring.services.freshness import scores_mark_stale_where

    scores_mark_stale_where(sql, params)


# --- records of one mandate or person ----------------------------------------------------------------------------

def record_of_mandate_changed(sender, instance, raw=False, **kwargs):
    """A participation, training attendance, signature, report to voters or commendation: its mandate."""
    if raw:
        return
    _mark(mandate_ids=[instance.mandate_id])


def opinion_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from apps.liaison.models import Invitee

    _mark_where(f"SELECT NULL, person_id FROM {_t(Invitee)} WHERE id = %(pk)s", {"pk": instance.invitee_id})


def invitee_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    _mark(person_ids=[instance.person_id])


def mandate_changed(sender, instance, raw=False, created=False, **kwargs):
    if raw:
        return
    _mark(mandate_ids=[instance.pk])


# --- what decides whether a record counts ------------------------------------------------------------------------

def activity_changed(sender, instance, raw=False, created=False, **kwargs):
    if raw or created:  # a new activity has no participant yet
        return
    from apps.activities.models import Participation

    _mark_where(f"SELECT DISTINCT mandate_id, NULL FROM {_t(Participation)} WHERE activity_id = %(pk)s",
                {"pk": instance.pk})


def training_session_changed(sender, instance, raw=False, created=False, **kwargs):
    if raw or created:
        return
    from apps.training.models import TrainingAttendance

    _mark_where(f"SELECT DISTINCT mandate_id, NULL FROM {_t(TrainingAttendance)} WHERE session_id = %(pk)s",
                {"pk": instance.pk})


def proposal_changed(sender, instance, raw=False, created=False, **kwargs):
    if raw or created:  # a new proposal's signatures mark their mandates themselves
        return
    _mark_proposals([instance.pk])


def _mark_proposals(pks) -> None:
    from apps.proposals.models import Signature

    _mark_where(f"SELECT DISTINCT mandate_id, NULL FROM {_t(Signature)} WHERE proposal_id = ANY(%(pks)s)",
                {"pks": list(pks)})


def reception_day_changed(sender, instance, raw=False, created=False, **kwargs):
    if raw or created:  # its deputies are added afterwards (m2m_changed)
        return
    _mark_reception_day(instance.pk)


def _mark_reception_day(pk) -> None:
    from apps.stations.models import ReceptionDay

    through = ReceptionDay.deputies.through
    _mark_where(f"SELECT NULL, person_id FROM {_t(through)} WHERE receptionday_id = %(pk)s", {"pk": pk})


def reception_day_deleting(sender, instance, **kwargs):
    _mark_reception_day(instance.pk)  # before its duty rows go with it


def reception_deputies_changed(sender, instance, action, pk_set=None, reverse=False, **kwargs):
    """Deputies put on or taken off a reception day's duty (either side of the relation)."""
    if action == "pre_clear":
        if reverse:  # a person's duties cleared
            _mark(person_ids=[instance.pk])
        else:
            _mark_reception_day(instance.pk)
    elif action in ("post_add", "post_remove"):
        if reverse:
            _mark(person_ids=[instance.pk])
        else:
            _mark(person_ids=pk_set or ())


def invitation_changed(sender, instance, raw=False, created=False, **kwargs):
    if raw or created:
        return
    from apps.liaison.models import Invitee

    _mark_where(f"SELECT DISTINCT NULL::bigint, person_id FROM {_t(Invitee)} WHERE invitation_id = %(pk)s",
                {"pk": instance.pk})


# --- bulk writes (``apps.core.signals.records_written``) -----------------------------------------------------------

def records_written_in_bulk(sender, pks=(), mandate_ids=(), person_ids=(), **kwargs):
    from apps.proposals.models import Proposal

    if sender is Proposal and pks:
        _mark_proposals(pks)
    _mark(mandate_ids=mandate_ids, person_ids=person_ids)


def connect() -> None:
    """Connect the receivers (``ScoringConfig.ready``)."""
    from apps.activities.models import Activity, Participation
    from apps.deputies.models import Mandate
    from apps.liaison.models import Invitation, Invitee, Opinion
    from apps.proposals.models import Proposal, Signature
    from apps.scoring.models import Commendation, VoterReport
    from apps.stations.models import ReceptionDay
    from apps.training.models import TrainingAttendance, TrainingSession

    uid = "scoring.freshness"
    for model in (Participation, TrainingAttendance, Signature, VoterReport, Commendation):
        post_save.connect(record_of_mandate_changed, sender=model, dispatch_uid=f"{uid}.save.{model.__name__}")
        post_delete.connect(record_of_mandate_changed, sender=model, dispatch_uid=f"{uid}.delete.{model.__name__}")
    post_save.connect(opinion_changed, sender=Opinion, dispatch_uid=f"{uid}.save.Opinion")
    post_delete.connect(opinion_changed, sender=Opinion, dispatch_uid=f"{uid}.delete.Opinion")
    post_delete.connect(invitee_changed, sender=Invitee, dispatch_uid=f"{uid}.delete.Invitee")
    post_save.connect(mandate_changed, sender=Mandate, dispatch_uid=f"{uid}.save.Mandate")
    post_save.connect(activity_changed, sender=Activity, dispatch_uid=f"{uid}.save.Activity")
    post_save.connect(training_session_changed, sender=TrainingSession, dispatch_uid=f"{uid}.save.TrainingSession")
    post_save.connect(proposal_changed, sender=Proposal, dispatch_uid=f"{uid}.save.Proposal")
    post_save.connect(reception_day_changed, sender=ReceptionDay, dispatch_uid=f"{uid}.save.ReceptionDay")
    pre_delete.connect(reception_day_deleting, sender=ReceptionDay, dispatch_uid=f"{uid}.delete.ReceptionDay")
    m2m_changed.connect(reception_deputies_changed, sender=ReceptionDay.deputies.through,
                        dispatch_uid=f"{uid}.m2m.ReceptionDay.deputies")
    post_save.connect(invitation_changed, sender=Invitation, dispatch_uid=f"{uid}.save.Invitation")
    records_written.connect(records_written_in_bulk, dispatch_uid=f"{uid}.bulk")
