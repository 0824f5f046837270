"""Reads of contacts, deputies' requests and the director's mailbox, always scoped to what the user may see.

Staff and supervisors see the rows of their jurisdiction and below; a committee member sees the contacts they
made and the requests raised in them; a deputy sees their own requests and mailbox threads. Anything else is
a 404 for an object and an empty list for a list.
"""

from django.db.models import (
    Case, Count, DateField, DurationField, Exists, ExpressionWrapper, F, IntegerField, OuterRef, Prefetch, Q,
    QuerySet, Value, When,
)
from django.http import Http404
from django.utils import timezone

from apps.accounts.models import User
from apps.committee.models import CommitteeMember
from apps.core import roles
from apps.core.access import is_office, jurisdiction_scope
from apps.core.models import HandlingUnit
from apps.deputies.models import Delegation, DeputyGroup, Mandate, Person
from apps.deputies.selectors import search_filter, visible_mandates
from apps.liaison.models import Contact, DeputyRequest, MailboxMessage, MailboxThread

NOTHING = Q(pk__in=[])


def _office_scope(user, field: str) -> Q:
    """Staff and supervisors: rows whose ``field`` jurisdiction is theirs or below it."""
    if is_office(user):
        return jurisdiction_scope(user, field)
    return NOTHING


# --- contacts ---------------------------------------------------------------------------------------------

def contact_scope(user) -> Q:
    q = _office_scope(user, "member__jurisdiction")
    if user.has_role(roles.MEMBER):
        q |= Q(member__user=user)
    return q


def visible_contacts(user) -> QuerySet[Contact]:
    return Contact.objects.filter(contact_scope(user))


def contact_rows(qs: QuerySet[Contact]) -> QuerySet[Contact]:
    """What a row of the contact list shows, in two queries whatever the number of rows."""
    return (qs.select_related("member__person", "delegation", "group")
            .prefetch_related(Prefetch("participants", queryset=Person.objects.only("id", "name")))
            .annotate(request_count=Count("requests")).order_by("-date", "-pk"))


def contact_for_user(user, pk: int) -> Contact:
    contact = (visible_contacts(user)
               .select_related("member__person", "member__jurisdiction", "delegation", "group", "created_by")
               .prefetch_related("participants",
                                 Prefetch("requests", queryset=DeputyRequest.objects.select_related(
                                     "person", "office")))
               .filter(pk=pk).first())
    if contact is None:
        raise Http404
    return contact


def filter_contacts(qs: QuerySet[Contact], data: dict) -> QuerySet[Contact]:
    """Apply the list's filters (``data`` is a filter form's cleaned data)."""
    if data.get("member"):
        qs = qs.filter(member=data["member"])
    if data.get("channel"):
        qs = qs.filter(channel=data["channel"])
    if data.get("date_from"):
        qs = qs.filter(date__gte=data["date_from"])
    if data.get("date_to"):
        qs = qs.filter(date__lte=data["date_to"])
    return qs


def members_for_contacts(user) -> QuerySet[CommitteeMember]:
    """The members a user may log a contact for (or filter the list by): staff their scope's, a member themself."""
    q = _office_scope(user, "jurisdiction")
    if user.has_role(roles.MEMBER):
        q |= Q(user=user)
    return CommitteeMember.objects.filter(q).select_related("person").order_by("post", "person__name_pinyin", "pk")


def contactable_people(user) -> QuerySet[Person]:
    """Deputies a user may log a contact with: those holding a serving mandate in the user's scope."""
    serving = visible_mandates(user).current().filter(person=OuterRef("pk"))
    return Person.objects.filter(Exists(serving))


def search_deputies(user, q: str, limit: int = 20) -> list[Person]:
    """Serving deputies in scope matching a name, pinyin or pinyin initials (the roster's search)."""
    if not (q or "").strip():
        return []
    mandates = visible_mandates(user).current().filter(search_filter(q))
    return list(Person.objects.filter(pk__in=mandates.values("person_id"))
                .prefetch_related(Prefetch("mandates", queryset=mandates.select_related("term"), to_attr="found"))
                .order_by("name_pinyin", "pk")[:limit])


def delegations_for_contacts(user) -> QuerySet[Delegation]:
    if not user.jurisdiction_id:
        return Delegation.objects.none()
    return (Delegation.objects.filter(jurisdiction_scope(user, "term__jurisdiction"))
            .select_related("term").order_by("-term__start_date", "name"))


def groups_for_contacts(user) -> QuerySet[DeputyGroup]:
    if not user.jurisdiction_id:
        return DeputyGroup.objects.none()
    return DeputyGroup.objects.filter(jurisdiction_scope(user)).order_by("name")


def body_members(*, delegation: Delegation | None = None, group: DeputyGroup | None = None) -> QuerySet[Person]:
    """The people holding a serving mandate in a delegation or a deputy group (each person once)."""
    if delegation is not None:
        mandates = Mandate.objects.filter(delegation=delegation)
    elif group is not None:
        mandates = Mandate.objects.filter(group=group)
    else:
        return Person.objects.none()
    mandates = mandates.current().filter(person=OuterRef("pk"))
    return Person.objects.filter(Exists(mandates)).order_by("name_pinyin", "pk")


# --- deputies' requests -------------------------------------------------------------------------------------

def request_scope(user) -> Q:
    q = _office_scope(user, "contact__member__jurisdiction")
    if user.has_role(roles.MEMBER):
        q |= Q(contact__member__user=user)
    return q


def visible_requests(user) -> QuerySet[DeputyRequest]:
    return DeputyRequest.objects.filter(request_scope(user))


def overdue_q(today=None) -> Q:
    """Past the due date and not closed."""
    today = today or timezone.localdate()
    return Q(due_date__lt=today) & ~Q(status=DeputyRequest.Status.CLOSED)


def request_rows(qs: QuerySet[DeputyRequest]) -> QuerySet[DeputyRequest]:
    return qs.select_related("person", "office", "contact__member__person")


def filter_requests(qs: QuerySet[DeputyRequest], data: dict) -> QuerySet[DeputyRequest]:
    if data.get("status"):
        qs = qs.filter(status=data["status"])
    if data.get("overdue"):
        qs = qs.filter(overdue_q())
    if data.get("office"):
        qs = qs.filter(office=data["office"])
    if data.get("office_name"):
        qs = qs.filter(Q(office_name__icontains=data["office_name"]) | Q(office__name__icontains=data["office_name"]))
    return qs


def overdue_requests(user) -> QuerySet[DeputyRequest]:
    """The supervisor's page: requests past due and not closed, the longest overdue first."""
    if not is_office(user):
        return DeputyRequest.objects.none()
    today = timezone.localdate()
    days = ExpressionWrapper(Value(today, output_field=DateField()) - F("due_date"), output_field=DurationField())
    return (request_rows(visible_requests(user).filter(overdue_q(today))).annotate(days_overdue=days)
            .order_by("due_date", "pk"))


def request_for_user(user, pk: int) -> DeputyRequest:
    request = (request_rows(visible_requests(user))
               .select_related("contact__member__jurisdiction")
               .prefetch_related(Prefetch("notes", queryset=_notes()))
               .filter(pk=pk).first())
    if request is None:
        raise Http404
    return request


def _notes():
    from apps.liaison.models import RequestNote

    return RequestNote.objects.select_related("author")


def offices_for(user) -> QuerySet[HandlingUnit]:
    """Handling units a request may be given to: the active units of the user's jurisdiction and below."""
    if not user.jurisdiction_id:
        return HandlingUnit.objects.none()
    return HandlingUnit.objects.filter(jurisdiction_scope(user), is_active=True).order_by("name")


def requests_of_deputy(user) -> QuerySet[DeputyRequest]:
    """A deputy's own requests, newest first."""
    if not (user.has_role(roles.DEPUTY) and user.person_id):
        return DeputyRequest.objects.none()
    return (DeputyRequest.objects.filter(person_id=user.person_id)
            .select_related("office", "contact__member__person").order_by("-created_at", "-pk"))


def contacts_of_deputy(user, *, member=None) -> QuerySet[Contact]:
    """The contacts a deputy took part in (a participant), newest first; ``member`` (a committee member's id)
    keeps that member's contacts with them. A member id that is not a number keeps nothing."""
    if not (user.has_role(roles.DEPUTY) and user.person_id):
        return Contact.objects.none()
    qs = Contact.objects.filter(participants=user.person_id)
    if member not in (None, ""):
        qs = qs.filter(member_id=member) if str(member).isdigit() else qs.none()
    return qs.select_related("member__person").order_by("-date", "-pk")


def deputy_request_for_user(user, pk: int) -> DeputyRequest:
    request = requests_of_deputy(user).filter(pk=pk).first()
    if request is None:
        raise Http404
    return request


# --- the director's mailbox --------------------------------------------------------------------------------

def visible_threads(user) -> QuerySet[MailboxThread]:
    """Staff and supervisors: the threads written to their jurisdiction and below."""
    return MailboxThread.objects.filter(_office_scope(user, "jurisdiction"))


def thread_rows(qs: QuerySet[MailboxThread]) -> QuerySet[MailboxThread]:
    return (qs.select_related("person", "jurisdiction", "assigned_to")
            .annotate(message_count=Count("messages")))


def triage_rows(qs: QuerySet[MailboxThread]) -> QuerySet[MailboxThread]:
    """Triage order: new letters first, then assigned, answered and closed; the newest first within each."""
    rank = Case(*[When(status=s, then=Value(i)) for i, s in enumerate(MailboxThread.Status.values)],
                output_field=IntegerField())
    return thread_rows(qs).order_by(rank, "-created_at", "-pk")


def _messages():
    return MailboxMessage.objects.select_related("author")


def thread_for_user(user, pk: int) -> MailboxThread:
    thread = (visible_threads(user).select_related("person", "jurisdiction", "assigned_to")
              .prefetch_related(Prefetch("messages", queryset=_messages())).filter(pk=pk).first())
    if thread is None:
        raise Http404
    return thread


def threads_of_deputy(user) -> QuerySet[MailboxThread]:
    if not (user.has_role(roles.DEPUTY) and user.person_id):
        return MailboxThread.objects.none()
    return (MailboxThread.objects.filter(person_id=user.person_id).select_related("jurisdiction")
            .annotate(answer_count=Count("messages", filter=Q(messages__is_answer=True)))
            .order_by("-created_at", "-pk"))


def deputy_thread_for_user(user, pk: int) -> MailboxThread:
    thread = (threads_of_deputy(user).prefetch_related(Prefetch("messages", queryset=_messages()))
              .filter(pk=pk).first())
    if thread is None:
        raise Http404
    return thread


def mailbox_jurisdictions(user):
    """The committees a deputy may write to: the jurisdictions of their serving mandates."""
    from apps.core.models import Jurisdiction

    if not user.person_id:
        return Jurisdiction.objects.none()
    held = Mandate.objects.current().filter(person_id=user.person_id)
    return Jurisdiction.objects.filter(pk__in=held.values("jurisdiction_id")).order_by("path")


def mailbox_assignees(thread: MailboxThread) -> QuerySet[User]:
    """Staff of the committee the letter was written to."""
    return (User.objects.filter(groups__name=roles.STAFF, jurisdiction_id=thread.jurisdiction_id, is_active=True)
            .order_by("full_name", "username"))
