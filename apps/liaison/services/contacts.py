"""Writes of contacts (联系记录), deputies' requests (诉求/意见) and the director's mailbox (主任信箱).

A contact is with one deputy, or a delegation or deputy-group meeting that counts for every deputy present
(its ``participants``, one row per person however many mandates they hold). The compliance page counts these
rows, so every contact is written here.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, pgettext

from apps.accounts.models import User
from apps.committee.models import CommitteeMember
from apps.core.models import HandlingUnit
from apps.core.services import notify
from apps.deputies.models import Delegation, DeputyGroup, Person
from apps.liaison.models import Channel, Contact, DeputyRequest, MailboxMessage, MailboxThread, RequestNote

# A new request's due date, unless the user sets another: a month to answer.
REQUEST_DUE_DAYS = 30


def default_due_date(today: datetime.date | None = None) -> datetime.date:
    return (today or timezone.localdate()) + datetime.timedelta(days=REQUEST_DUE_DAYS)


def _user_of(person: Person) -> list[User]:
    """The deputy's account, if they have one (notifications go nowhere otherwise)."""
    return list(User.objects.filter(person=person, is_active=True))


# --- contacts ---------------------------------------------------------------------------------------------

@transaction.atomic
def contact_create(*, member: CommitteeMember, date: datetime.date, channel: str, summary: str,
                   participants: Iterable[Person], delegation: Delegation | None = None,
                   group: DeputyGroup | None = None, created_by: User | None,
                   requests: Iterable[dict] = ()) -> Contact:
    """Record a contact; ``requests`` (dicts of ``deputy_request_create``'s arguments) are raised in it.

    A contact with neither a delegation nor a group is with exactly one deputy; a meeting's participants
    must hold a serving mandate in that delegation or group.
    """
    from apps.liaison.selectors.contacts import body_members

    people = list({p.pk: p for p in participants}.values())  # one participant per person
    summary = (summary or "").strip()
    errors: dict[str, list[str]] = {}
    if date > timezone.localdate():
        errors.setdefault("date", []).append(_("The date of a contact cannot be in the future."))
    if channel not in Channel.values:
        errors.setdefault("channel", []).append(_("Choose how the contact was made."))
    if not summary:
        errors.setdefault("summary", []).append(_("Write a short summary of the contact."))
    if delegation is not None and group is not None:
        errors.setdefault("__all__", []).append(_("Choose a delegation or a deputy group, not both."))
    elif delegation is not None or group is not None:
        if not people:
            errors.setdefault("participants", []).append(_("Tick at least one deputy who was present."))
        else:
            members = set(body_members(delegation=delegation, group=group)
                          .filter(pk__in=[p.pk for p in people]).values_list("pk", flat=True))
            strangers = [p.name for p in people if p.pk not in members]
            if strangers:
                errors.setdefault("participants", []).append(
                    _("Not serving in this delegation or group: %(names)s.") % {"names": pgettext("list separator", ", ").join(strangers)})
    elif len(people) != 1:
        errors.setdefault("person", []).append(_("Choose the deputy contacted."))
    if errors:
        raise ValidationError(errors)

    contact = Contact.objects.create(member=member, date=date, channel=channel, summary=summary,
                                     delegation=delegation, group=group, created_by=created_by)
    contact.participants.set(people)
    for data in requests:
        data = dict(data)
        if data.get("person") is None and len(people) == 1:
            data["person"] = people[0]
        deputy_request_create(contact=contact, created_by=created_by, **data)
    return contact


# --- deputies' requests -------------------------------------------------------------------------------------

def _check_office(office: HandlingUnit | None, office_name: str) -> None:
    if office is None and not office_name:
        raise ValidationError({"office": _("Choose the office responsible, or type its name.")})
    if office is not None and office_name:
        raise ValidationError({"office_name": _("Choose a handling unit or type an office name, not both.")})


@transaction.atomic
def deputy_request_create(*, contact: Contact, person: Person | None, category: str, content: str,
                          due_date: datetime.date, office: HandlingUnit | None = None, office_name: str = "",
                          created_by: User | None = None) -> DeputyRequest:
    """A request a deputy raised in a contact, given to an office with a due date."""
    content, office_name = (content or "").strip(), (office_name or "").strip()
    if person is None:
        raise ValidationError({"person": _("Choose the deputy who raised this request.")})
    if not contact.participants.filter(pk=person.pk).exists():
        raise ValidationError({"person": _("%(name)s did not take part in this contact.") % {"name": person.name}})
    if category not in DeputyRequest.Category.values:
        raise ValidationError({"category": _("Choose a category.")})
    if not content:
        raise ValidationError({"content": _("Write what the deputy asked for.")})
    _check_office(office, office_name)
    if due_date < contact.date:
        raise ValidationError({"due_date": _("The due date cannot be before the contact.")})
    return DeputyRequest.objects.create(contact=contact, person=person, category=category, content=content,
                                        office=office, office_name=office_name, due_date=due_date)


def _locked(request: DeputyRequest) -> DeputyRequest:
    return DeputyRequest.objects.select_for_update().select_related("person").get(pk=request.pk)


@transaction.atomic
def deputy_request_update(*, request: DeputyRequest, category: str, content: str, due_date: datetime.date,
                          office: HandlingUnit | None = None, office_name: str = "") -> DeputyRequest:
    """Change what a request is about, who handles it, or when it is due (not once it is closed)."""
    request = _locked(request)
    if request.status == DeputyRequest.Status.CLOSED:
        raise ValidationError(_("This request is closed and can no longer be changed."))
    content, office_name = (content or "").strip(), (office_name or "").strip()
    if not content:
        raise ValidationError({"content": _("Write what the deputy asked for.")})
    _check_office(office, office_name)
    request.category, request.content, request.due_date = category, content, due_date
    request.office, request.office_name = office, office_name
    request.full_clean(exclude=["contact", "person"])
    request.save()
    return request


@transaction.atomic
def request_note_add(*, request: DeputyRequest, author: User, text: str) -> RequestNote:
    """A follow-up note; the first one on an open request puts it in progress."""
    request = _locked(request)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the follow-up note.")})
    if request.status == DeputyRequest.Status.CLOSED:
        raise ValidationError(_("This request is closed and can no longer be changed."))
    if request.status == DeputyRequest.Status.OPEN:
        request.status = DeputyRequest.Status.IN_PROGRESS
        request.save(update_fields=["status"])
    return RequestNote.objects.create(request=request, author=author, text=text)


@transaction.atomic
def deputy_request_close(*, request: DeputyRequest, answer: str, closed_by: User) -> DeputyRequest:
    """Close a request with the answer given to the deputy, and tell the deputy the answer."""
    request = _locked(request)
    answer = (answer or "").strip()
    if request.status == DeputyRequest.Status.CLOSED:
        raise ValidationError(_("This request is already closed."))
    if not answer:
        raise ValidationError({"answer": _("Write the answer given to the deputy before closing.")})
    request.status = DeputyRequest.Status.CLOSED
    request.answer = answer
    request.closed_at = timezone.now()
    request._history_user = closed_by  # the history names who closed it, from a task as from a page
    request.save(update_fields=["status", "answer", "closed_at"])
    notify(recipients=_user_of(request.person), title=_("Your request has been answered"),
           body=f"{request.content[:100]}\n\n{answer}",
           url=reverse("liaison:my_request_detail", args=[request.pk]))
    return request


# --- the director's mailbox --------------------------------------------------------------------------------

@transaction.atomic
def mailbox_thread_create(*, person: Person, author: User, jurisdiction, subject: str, body: str) -> MailboxThread:
    """A deputy writes to the director's mailbox of a committee where they hold a serving mandate."""
    from apps.liaison.selectors.contacts import mailbox_jurisdictions

    subject, body = (subject or "").strip(), (body or "").strip()
    if not author.person_id or author.person_id != person.pk:
        raise ValidationError(_("Only the deputy themself may write to the director's mailbox."))
    if jurisdiction is None or not mailbox_jurisdictions(author).filter(pk=jurisdiction.pk).exists():
        raise ValidationError({"jurisdiction": _("You hold no serving mandate in this congress.")})
    if not subject:
        raise ValidationError({"subject": _("Write a subject.")})
    if not body:
        raise ValidationError({"body": _("Write your message.")})
    thread = MailboxThread.objects.create(jurisdiction=jurisdiction, person=person, subject=subject)
    MailboxMessage.objects.create(thread=thread, author=author, body=body)
    return thread


def _locked_thread(thread: MailboxThread) -> MailboxThread:
    return MailboxThread.objects.select_for_update().select_related("person").get(pk=thread.pk)


@transaction.atomic
def mailbox_followup_add(*, thread: MailboxThread, author: User, body: str) -> MailboxMessage:
    """The deputy adds to their own thread; an answered thread goes back to whoever handles it."""
    thread = _locked_thread(thread)
    body = (body or "").strip()
    if author.person_id != thread.person_id:
        raise ValidationError(_("Only the deputy who wrote may add to this thread."))
    if thread.status == MailboxThread.Status.CLOSED:
        raise ValidationError(_("This thread is closed; write a new letter instead."))
    if not body:
        raise ValidationError({"body": _("Write your message.")})
    message = MailboxMessage.objects.create(thread=thread, author=author, body=body)
    if thread.status == MailboxThread.Status.ANSWERED:
        thread.status = MailboxThread.Status.ASSIGNED if thread.assigned_to_id else MailboxThread.Status.NEW
        thread.save(update_fields=["status"])
    if thread.assigned_to_id:
        notify(recipients=[thread.assigned_to], title=_("A deputy added to a mailbox thread"),
               body=thread.subject, url=reverse("liaison:mailbox_detail", args=[thread.pk]))
    return message


@transaction.atomic
def mailbox_thread_assign(*, thread: MailboxThread, assignee: User, user: User) -> MailboxThread:
    """Give a thread to a member of staff of the committee it was written to."""
    from apps.liaison.selectors.contacts import mailbox_assignees

    thread = _locked_thread(thread)
    if thread.status == MailboxThread.Status.CLOSED:
        raise ValidationError(_("This thread is closed."))
    if not mailbox_assignees(thread).filter(pk=assignee.pk).exists():
        raise ValidationError({"assignee": _("Choose a member of staff of this committee.")})
    thread.assigned_to = assignee
    if thread.status == MailboxThread.Status.NEW:
        thread.status = MailboxThread.Status.ASSIGNED
    thread.save(update_fields=["assigned_to", "status"])
    if assignee.pk != user.pk:
        notify(recipients=[assignee], title=_("A mailbox thread was assigned to you"), body=thread.subject,
               url=reverse("liaison:mailbox_detail", args=[thread.pk]))
    return thread


@transaction.atomic
def mailbox_thread_answer(*, thread: MailboxThread, author: User, body: str) -> MailboxMessage:
    """Answer the deputy (who is notified); an unassigned thread becomes the answerer's."""
    thread = _locked_thread(thread)
    body = (body or "").strip()
    if thread.status == MailboxThread.Status.CLOSED:
        raise ValidationError(_("This thread is closed."))
    if not body:
        raise ValidationError({"body": _("Write the answer.")})
    message = MailboxMessage.objects.create(thread=thread, author=author, body=body, is_answer=True)
    thread.status = MailboxThread.Status.ANSWERED
    if thread.assigned_to_id is None:
        thread.assigned_to = author
    thread.save(update_fields=["status", "assigned_to"])
    notify(recipients=_user_of(thread.person), title=_("Your letter to the director's mailbox was answered"),
           body=f"{thread.subject}\n\n{body}", url=reverse("liaison:my_thread_detail", args=[thread.pk]))
    return message


@transaction.atomic
def mailbox_thread_close(*, thread: MailboxThread, user: User) -> MailboxThread:
    thread = _locked_thread(thread)
    if thread.status == MailboxThread.Status.CLOSED:
        raise ValidationError(_("This thread is already closed."))
    thread.status = MailboxThread.Status.CLOSED
    thread.save(update_fields=["status"])
    return thread
