"""What the services tests share: the cast of one item (lead deputy, staff, a unit), a snapshot of every
proposals row to show that a refused action wrote nothing, and the text of a ValidationError."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError

from apps.core.models import AuditEvent, Notification
from apps.proposals.models import (
    Assignment, Communication, Deadline, ExtensionRequest, FollowUp, MergeGroup, Proposal, ProposalAttachment,
    Rating, Reply, Signature, Supervision, SupervisionRecord,
)
from tests.factories import HandlingUnitFactory
from tests.proposals.factories import unit_user_for

WATCHED = (Proposal, Signature, Assignment, Deadline, Reply, Rating, FollowUp, ExtensionRequest, Communication,
           MergeGroup, ProposalAttachment, Supervision, SupervisionRecord, Notification, AuditEvent)


def snapshot() -> dict:
    """Every row of the proposals tables, notifications and audit events, as values."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in WATCHED}


def text(exc: pytest.ExceptionInfo | ValidationError) -> str:
    """All messages of a ValidationError in one string."""
    error = exc.value if isinstance(exc, pytest.ExceptionInfo) else exc
    return " ".join(error.messages)


@dataclass
class Cast:
    mandate: object
    deputy: object
    staff: object
    unit: object
    unit_user: object

    def other_unit(self):
        unit = HandlingUnitFactory(jurisdiction=self.unit.jurisdiction)
        unit_user_for(unit)
        return unit


@pytest.fixture
def cast(municipal_mandate, deputy_user, staff_user, unit_user):
    return Cast(mandate=municipal_mandate, deputy=deputy_user, staff=staff_user, unit=unit_user.handling_unit,
                unit_user=unit_user)
