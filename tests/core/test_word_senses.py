"""Words with two senses are translated by their context: a voter's issue about education is 教育, a deputy's
schooling 学历; a committee meeting is 会议, a unit's talk with deputies 座谈; a congress session 会次, a training
session 课次."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation

from apps.deputies.models import Education, Session
from apps.proposals.models import Communication, SupervisionRecord
from apps.stations.models import VoterVisit
from apps.training.models import TrainingAttendance
from tests.covenant import factories as covenant
from tests.stations.conftest import make_station, make_visit

pytestmark = pytest.mark.django_db


def _cells(page: str, table_id: str) -> str:
    return page[page.index(f'id="{table_id}"'):][:4000]


def test_a_voters_issue_about_education_reads_jiaoyu(client_for, staff_user, city):
    station = make_station(city)
    make_visit(station, category=VoterVisit.Category.EDUCATION, issue="学校门口交通拥堵")
    page = client_for(staff_user).get(reverse("stations:visit_list")).content.decode()
    assert re.search(r"<td>\s*教育\s*</td>", page)
    assert "学历" not in page


def test_a_deputys_schooling_reads_xueli(client_for, staff_user, municipal_mandate):
    person = municipal_mandate.person
    person.education = Education.values[0]
    person.save()
    page = client_for(staff_user).get(reverse("deputies:person_detail", args=[person.pk])).content.decode()
    assert '<dt class="col-4">学历</dt>' in page
    assert '<dt class="col-4">教育</dt>' not in page


def test_the_committees_meetings_column_reads_huiyi(client_for, staff_user, city_term):
    covenant.meeting(city_term, datetime.date(2026, 6, 24), title="市人大常委会第二十次会议")
    page = client_for(staff_user).get(reverse("covenant:meeting_list")).content.decode()
    header = page[page.index("<thead>"):page.index("</thead>")]
    assert "<th>会议</th>" in header
    assert "座谈" not in header


def test_a_units_talk_with_deputies_reads_zuotan():
    with translation.override("zh-hans"):
        assert str(Communication.Means.MEETING.label) == "座谈"
        assert str(SupervisionRecord.Kind.MEETING.label) == "座谈"


def test_a_congress_session_and_a_training_session_have_their_own_words():
    with translation.override("zh-hans"):
        assert str(Session._meta.verbose_name) == "会次"
        assert str(TrainingAttendance._meta.get_field("session").verbose_name) == "课次"
        assert str(VoterVisit.Category.EDUCATION.label) == "教育"
