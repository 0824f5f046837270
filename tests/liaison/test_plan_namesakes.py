"""Two deputies of the same name in one liaison plan (吕栋 twice) are told apart on the plan page and in the
deputy search of the assignment form, as the roster's name resolution does: place, level, work, birth year."""

import datetime

from django.urls import reverse
from django.utils import timezone

from tests.factories import MandateFactory, PersonFactory
from tests.liaison import plans_support as support


def _namesakes(city_term, county_term):
    first = MandateFactory(term=city_term, person=PersonFactory(name="吕栋", employer="长春一汽", post="工程师",
                                                                birth_date=datetime.date(1971, 5, 1)))
    second = MandateFactory(term=county_term, person=PersonFactory(name="吕栋", employer="朝阳区实验小学",
                                                                   post="校长", birth_date=datetime.date(1980, 2, 3)))
    return first, second


def test_the_plan_tells_two_deputies_of_the_same_name_apart(client_for, staff_user, liaison_plan, plain_member,
                                                             city_term, county_term):
    first, second = _namesakes(city_term, county_term)
    support.assign(liaison_plan, plain_member, mandate=first)
    support.assign(liaison_plan, plain_member, mandate=second)
    page = client_for(staff_user).get(reverse("liaison:plan_detail", args=[timezone.localdate().year]))
    html = page.content.decode()
    assert "长春一汽 工程师 · 1971年生" in html
    assert "朝阳区实验小学 校长 · 1980年生" in html


def test_a_deputy_whose_name_is_unique_in_the_plan_shows_only_the_level(client_for, staff_user, liaison_plan,
                                                                       plain_member, city_term):
    only = MandateFactory(term=city_term, person=PersonFactory(name="独一", employer="长春一汽", post="工程师"))
    support.assign(liaison_plan, plain_member, mandate=only)
    html = client_for(staff_user).get(reverse("liaison:plan_detail", args=[timezone.localdate().year])).content
    assert "长春一汽 工程师" not in html.decode()
    assert 'class="namesake"' not in html.decode()


def test_the_deputy_search_of_the_assignment_form_tells_namesakes_apart(client_for, staff_user, liaison_plan,
                                                                        plain_member, city_term, county_term):
    _namesakes(city_term, county_term)
    url = reverse("liaison:plan_detail", args=[timezone.localdate().year])
    html = client_for(staff_user).get(url, {"q": "吕栋"}).content.decode()
    assert "吕栋 · " in html
    assert "长春一汽 工程师 · 1971年生" in html
    assert "朝阳区实验小学 校长 · 1980年生" in html
