"""A deputy's performance record (履职档案) is one place: the deputy's home card and their single menu entry open
``/me/``; the roster's person page and the names in participant lists lead the office (staff and supervisors)
to the staff view of the record in scoring, and nobody else gets such a link."""

from django.urls import reverse

from tests.activities.staff_support import make_activity, participate


def _record(person_id) -> str:
    return reverse("scoring:deputy_record", args=[person_id])


def test_the_deputys_home_card_opens_the_performance_record(client_for, deputy_user):
    html = client_for(deputy_user).get(reverse("core:home")).content.decode()
    assert f'href="{reverse("me:me")}" id="home-my-record"' in html
    assert reverse("deputies:person_detail", args=[deputy_user.person_id]) not in html


def test_the_deputys_menu_has_one_performance_record_entry(client_for, deputy_user):
    html = client_for(deputy_user).get(reverse("core:home")).content.decode()
    assert html.count('id="nav-me"') == 1
    assert "我的履职档案" in html
    assert "我的档案" not in html  # the second entry, which opened the roster entry


def test_the_performance_record_links_back_to_the_roster_entry(client_for, deputy_user):
    html = client_for(deputy_user).get(reverse("me:me")).content.decode()
    assert reverse("deputies:person_detail", args=[deputy_user.person_id]) in html


def test_the_person_page_leads_staff_and_supervisors_to_the_record(client_for, staff_user, supervisor_user,
                                                                    municipal_mandate):
    url = reverse("deputies:person_detail", args=[municipal_mandate.person_id])
    for user in (staff_user, supervisor_user):
        html = client_for(user).get(url).content.decode()
        assert f'href="{_record(municipal_mandate.person_id)}" id="person-record"' in html


def test_the_person_page_offers_no_record_link_to_who_may_not_open_records(client_for, member_user, deputy_user,
                                                                           municipal_mandate):
    for user, person_id in ((member_user, municipal_mandate.person_id), (deputy_user, deputy_user.person_id)):
        response = client_for(user).get(reverse("deputies:person_detail", args=[person_id]))
        assert response.status_code == 200
        assert 'id="person-record"' not in response.content.decode()
        assert "/scoring/deputies/" not in response.content.decode()


def test_the_record_link_opens_the_record(client_for, staff_user, municipal_mandate):
    client = client_for(staff_user)
    html = client.get(reverse("deputies:person_detail", args=[municipal_mandate.person_id])).content.decode()
    assert _record(municipal_mandate.person_id) in html
    assert client.get(_record(municipal_mandate.person_id)).status_code == 200


def test_participant_names_of_an_activity_link_to_their_records_for_the_office(client_for, city, staff_user,
                                                                               municipal_mandate,
                                                                               django_assert_max_num_queries):
    activity = make_activity(city, user=staff_user)
    participate(activity, municipal_mandate)
    client = client_for(staff_user)
    url = reverse("activities:activity_detail", args=[activity.pk])
    client.get(url)  # warm the menu cache
    with django_assert_max_num_queries(40):
        html = client.get(url).content.decode()
    assert f'<a href="{_record(municipal_mandate.person_id)}"' in html
