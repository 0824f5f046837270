"""The main menu is cached per user's roles, permissions and linked records: a change of role shows on the next
page, and one user's menu is never another's."""

from django.contrib.auth.models import Group
from django.urls import reverse

from apps.core import roles


def _menu(client_for, user) -> str:
    return client_for(user).get(reverse("core:home")).content.decode()


def test_a_role_granted_shows_in_the_menu_on_the_next_page(client_for, member_user):
    assert 'id="nav-scoring"' not in _menu(client_for, member_user)  # cached now, without the scoring menu
    member_user.groups.add(Group.objects.get(name=roles.STAFF))
    assert 'id="nav-scoring"' in _menu(client_for, member_user)
    member_user.groups.remove(Group.objects.get(name=roles.STAFF))
    assert 'id="nav-scoring"' not in _menu(client_for, member_user)


def test_users_with_the_same_roles_do_not_share_a_menu(client_for, deputy_user, municipal_mandate):
    from tests.factories import MandateFactory, PersonFactory, UserFactory

    other_person = PersonFactory(name="另一位代表")
    MandateFactory(term=municipal_mandate.term, person=other_person)
    other = UserFactory(username="deputy2", person=other_person)
    other.groups.add(Group.objects.get(name=roles.DEPUTY))
    mine = _menu(client_for, deputy_user)
    theirs = _menu(client_for, other)
    assert 'id="nav-me"' in mine and 'id="nav-me"' in theirs
    # The menu itself no longer holds a per-person link (see below); the user's name in the user menu does.
    assert f'</i> {deputy_user}</a>' in mine and f'</i> {other}</a>' in theirs
    assert f'</i> {deputy_user}</a>' not in theirs
