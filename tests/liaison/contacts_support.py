"""Builders shared by the contact, request and mailbox tests (plain functions, not fixtures)."""

import datetime

from django.utils import timezone

from apps.core import roles
from apps.liaison.models import Channel, Contact, DeputyRequest, MailboxThread
from apps.liaison.services import contacts as services
from tests.factories import UserFactory


def make_contact(member, people, *, date: datetime.date | None = None, channel: str = Channel.VISIT,
                 summary: str = "走访代表，了解履职情况", delegation=None, group=None) -> Contact:
    return services.contact_create(member=member, date=date or timezone.localdate(), channel=channel,
                                   summary=summary, participants=people, delegation=delegation, group=group,
                                   created_by=member.user)


def make_request(contact: Contact, person=None, *, due_date: datetime.date | None = None, office=None,
                 office_name: str = "市住建局", content: str = "小区加装电梯进展缓慢",
                 category: str = DeputyRequest.Category.URBAN) -> DeputyRequest:
    return services.deputy_request_create(
        contact=contact, person=person or contact.participants.get(), category=category, content=content,
        office=office, office_name="" if office else office_name,
        due_date=due_date or contact.date + datetime.timedelta(days=30))


def make_thread(user, *, subject: str = "关于农村道路养护的建议", body: str = "我所在乡镇道路破损严重，建议列入计划。"
                ) -> MailboxThread:
    jurisdiction = user.person.mandates.filter(status="serving").first().jurisdiction
    return services.mailbox_thread_create(person=user.person, author=user, jurisdiction=jurisdiction,
                                          subject=subject, body=body)


def deputy_account(mandate, username: str):
    """An account of the deputy role linked to ``mandate``'s person."""
    return UserFactory(username=username, roles=[roles.DEPUTY], person=mandate.person)
