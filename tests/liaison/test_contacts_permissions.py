"""Every contact, request and mailbox URL × every role: login, the page, 403 for a role that may not open it,
404 for a record outside the user's scope (county staff, another member's contact, another deputy's request).

The records: a contact that the vice director (``member_user``) made with 张三丰 (``deputy_user``), a request
张三丰 raised in it, and a letter 张三丰 wrote to the city's director's mailbox.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.core.models import Notification
from apps.liaison.models import Contact, DeputyRequest, MailboxMessage, MailboxThread, RequestNote
from tests.liaison.contacts_support import deputy_account, make_contact, make_request, make_thread
from tests.security.matrix_support import LOGIN, Matrix, assert_outcome

OUTSIDERS = ["unit_user", "sysadmin_user", "secadmin_user", "auditor_user", "outsider"]
ROLES = ["anonymous", "staff_user", "county_staff_user", "supervisor_user", "member_user", "other_member",
         "deputy_user", "other_deputy", *OUTSIDERS]

# url name → the record its argument names (None: no argument)
URLS = {
    "contact_list": None,
    "contact_export": None,
    "contact_create": None,
    "contact_deputy_search": None,
    "contact_attendees": None,
    "contact_detail": "contact",
    "request_create": "contact",
    "request_list": None,
    "request_export": None,
    "request_overdue": None,
    "request_detail": "request",
    "request_edit": "request",
    "request_note_add": "request",
    "request_close": "request",
    "my_request_list": None,
    "my_request_detail": "request",
    "my_contact_list": None,
    "mailbox_list": None,
    "mailbox_detail": "thread",
    "mailbox_assign": "thread",
    "mailbox_answer": "thread",
    "mailbox_close": "thread",
    "my_thread_list": None,
    "my_thread_create": None,
    "my_thread_detail": "thread",
}
POST_ONLY = {"request_note_add", "mailbox_assign", "mailbox_answer", "mailbox_close"}
GET_ONLY = {"contact_list", "contact_export", "request_export", "contact_deputy_search", "contact_attendees", "contact_detail", "request_list",
            "request_overdue", "request_detail", "my_request_list", "my_request_detail", "my_contact_list", "mailbox_list",
            "mailbox_detail", "my_thread_list"}
WRITE_URLS = sorted(set(URLS) - GET_ONLY - {"mailbox_close"})

MEMBERS = {"member_user", "other_member"}
DEPUTIES = {"deputy_user", "other_deputy"}
OFFICE = {"staff_user", "county_staff_user", "supervisor_user"}
STAFF = {"staff_user", "county_staff_user"}
# Who may open each page at all (the others get 403).
OPENS = {
    "contact_list": OFFICE | MEMBERS,
    "contact_export": OFFICE | MEMBERS,
    "contact_create": STAFF | MEMBERS,
    "contact_deputy_search": STAFF | MEMBERS,
    "contact_attendees": STAFF | MEMBERS,
    "contact_detail": OFFICE | MEMBERS,
    "request_create": STAFF | MEMBERS,
    "request_list": OFFICE | MEMBERS,
    "request_export": OFFICE | MEMBERS,
    "request_overdue": OFFICE,
    "request_detail": OFFICE | MEMBERS,
    "request_edit": STAFF,
    "request_note_add": STAFF,
    "request_close": STAFF,
    "my_request_list": DEPUTIES,
    "my_request_detail": DEPUTIES,
    "my_contact_list": DEPUTIES,
    "mailbox_list": OFFICE,
    "mailbox_detail": OFFICE,
    "mailbox_assign": STAFF,
    "mailbox_answer": STAFF,
    "mailbox_close": STAFF,
    "my_thread_list": DEPUTIES,
    "my_thread_create": DEPUTIES,
    "my_thread_detail": DEPUTIES,
}
# Those who open the page but for whom the record is out of scope (404).
OUT_OF_SCOPE = {"county_staff_user", "other_member", "other_deputy"}


@pytest.fixture
def other_member(plain_member):
    return plain_member.user


@pytest.fixture
def other_deputy(county_mandate):
    return deputy_account(county_mandate, "deputy2")


@pytest.fixture
def records(committee_member, municipal_mandate, deputy_user, other_member, other_deputy):
    contact = make_contact(committee_member, [municipal_mandate.person],
                           date=timezone.localdate() - datetime.timedelta(days=3))
    request = make_request(contact)
    thread = make_thread(deputy_user)
    return {"contact": contact, "request": request, "thread": thread}


def _url(url_name, records):
    kind = URLS[url_name]
    args = [] if kind is None else [records[kind].pk]
    return reverse(f"liaison:{url_name}", args=args)


def _expected(url_name, role, method):
    if role == "anonymous":
        return LOGIN
    if method == "get" and url_name in POST_ONLY:
        return 405
    if role not in OPENS[url_name]:
        return 403
    if URLS[url_name] is not None and role in OUT_OF_SCOPE:
        return 404
    return 200


def _state():
    return (Contact.objects.count(), DeputyRequest.objects.count(), RequestNote.objects.count(),
            MailboxThread.objects.count(), MailboxMessage.objects.count(), Notification.objects.count(),
            sorted(DeputyRequest.objects.values_list("status", "answer", "office_name", "due_date")),
            sorted(MailboxThread.objects.values_list("status", "assigned_to")))


MATRIX = Matrix(namespace="liaison", urls=URLS, roles=ROLES, urlconf="apps.liaison.urls_contacts",
                expected=_expected, url=_url, state=lambda records: _state())

test_get_by_role = MATRIX.get_test()
# Where the page may be used, an empty form comes back with its errors (200).
test_empty_post_by_role_writes_nothing = MATRIX.post_test(WRITE_URLS)


def test_every_contacts_url_is_in_the_matrix():
    from apps.liaison.urls_contacts import urlpatterns

    assert {p.name for p in urlpatterns} == set(URLS) == set(OPENS)


def test_closing_a_thread_by_role(request):
    def cell(client, url, role, expected):
        response = client.post(url)
        if expected == 200:
            assert response.status_code == 302
            expected_status = MailboxThread.Status.CLOSED
        else:
            assert_outcome(response, expected)
            expected_status = MailboxThread.Status.NEW
        assert MailboxThread.objects.get(pk=records["thread"].pk).status == expected_status

    records = request.getfixturevalue("records")
    MATRIX.check_roles(request, "mailbox_close", "post", cell, records=records)


@pytest.mark.smoke
def test_deputy_opening_another_deputys_request_gets_404(client_for, records, other_deputy):
    url = reverse("liaison:my_request_detail", args=[records["request"].pk])
    assert client_for(other_deputy).get(url).status_code == 404


@pytest.mark.smoke
def test_deputy_opening_another_deputys_thread_gets_404(client_for, records, other_deputy):
    url = reverse("liaison:my_thread_detail", args=[records["thread"].pk])
    assert client_for(other_deputy).get(url).status_code == 404


def test_another_member_cannot_open_a_members_contact(client_for, records, other_member):
    url = reverse("liaison:contact_detail", args=[records["contact"].pk])
    assert client_for(other_member).get(url).status_code == 404


def test_county_staff_see_none_of_the_citys_records_in_their_lists(client_for, records, county_staff_user):
    client = client_for(county_staff_user)
    assert list(client.get(reverse("liaison:contact_list")).context["page"].object_list) == []
    assert list(client.get(reverse("liaison:request_list")).context["page"].object_list) == []
    assert list(client.get(reverse("liaison:mailbox_list")).context["page"].object_list) == []
