"""Builders for the meeting notices that name a record (an activity, a training session, a committee meeting):
publish one to chosen people and record their replies through the notices' services."""

import datetime

from django.utils import timezone

from apps.notices import services
from apps.notices.models import Notice, NoticeReceipt
from apps.core import roles
from tests.factories import MandateFactory, PersonFactory, UserFactory


def deputy_with_account(term, name):
    """A deputy of ``term`` with an account: (mandate, user)."""
    mandate = MandateFactory(term=term, person=PersonFactory(name=name))
    return mandate, UserFactory(roles=[roles.DEPUTY], person=mandate.person)


def announce(staff, kind, pk, *, people=(), roles_=(), title="关于参加会议的通知"):
    """A published meeting notice naming record ``pk`` of ``kind``, to ``people`` (and holders of ``roles_``)."""
    return services.notice_create(
        user=staff, jurisdiction=staff.jurisdiction, title=title, body="<p>请回复。</p>", kind=Notice.Kind.INSPECTION,
        reply_deadline=timezone.now() + datetime.timedelta(days=3), people=people, roles=roles_,
        target_kind=kind, target_id=pk)


def reply(notice, user, answer, reason=""):
    receipt = NoticeReceipt.objects.select_related("notice").get(notice=notice, user=user)
    return services.notice_reply(receipt=receipt, reply=answer, reason=reason)
