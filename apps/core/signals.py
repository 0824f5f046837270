"""Signals the lower apps send for writes that bypass Django's model signals.

``records_written`` is sent by a service after a bulk write (``bulk_create``, ``QuerySet.update``, raw SQL) of
records other apps may derive figures from, e.g. the scores (``apps.scoring`` listens). The sender is the model
written; keyword arguments say which rows where known: ``pks`` (of the sender), ``mandate_ids``, ``person_ids``.
An app above registers its receiver in its ``AppConfig.ready``; the lower app imports nothing from it.
"""

from django.dispatch import Signal

records_written = Signal()


def send_records_written(model, *, pks=(), mandate_ids=(), person_ids=()) -> None:
    """Tell the listening apps that rows of ``model`` were written in bulk (in the current transaction)."""
    records_written.send(sender=model, pks=list(pks), mandate_ids=list(mandate_ids), person_ids=list(person_ids))
