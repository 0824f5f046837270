"""Reports to voters (述职) and commendations entered by staff: validation (evaluations within the voters present,
a date within the mandate and not in the future), edit and delete, the scoped lists, and the yearly counts
computed from the records ("N名代表向选民述职，参加选民M人次，满意率x%")."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.deputies.models import Level
from apps.scoring.models import Commendation, VoterReport
from apps.scoring.selectors.voter_reports import yearly_counts
from apps.scoring.services import records as services
from tests.factories import ElectoralUnitFactory, MandateFactory
from tests.scoring.factories import YEAR, CommendationFactory, VoterReportFactory

DAY = datetime.date(YEAR, 6, 1)


def _report_data(**overrides):
    data = {"date": DAY.isoformat(), "place": "南关区代表联络站", "attendance": "50", "satisfied": "40",
            "basically_satisfied": "8", "unsatisfied": "2", "text": "一年来的履职情况"}
    data.update(overrides)
    return data


# --- the services ---------------------------------------------------------------------------------------------

def test_a_report_takes_the_mandates_electoral_unit(municipal_mandate, staff_user, city):
    unit = ElectoralUnitFactory(jurisdiction=city)
    municipal_mandate.electoral_unit = unit
    municipal_mandate.save()
    report = services.voter_report_create(user=staff_user, mandate=municipal_mandate, date=DAY, place=" 联络站 ",
                                          attendance=30, satisfied=20, basically_satisfied=5, unsatisfied=1)
    assert (report.electoral_unit, report.place, report.created_by, report.evaluations) == (unit, "联络站",
                                                                                            staff_user, 26)


@pytest.mark.parametrize("counts, field", [
    ({"attendance": 10, "satisfied": 8, "basically_satisfied": 2, "unsatisfied": 1}, "attendance"),
    ({"attendance": 0}, "attendance"),
    ({"attendance": 10, "satisfied": -1}, "satisfied"),
])
def test_evaluations_beyond_the_voters_present_are_refused(municipal_mandate, staff_user, counts, field):
    with pytest.raises(ValidationError) as exc:
        services.voter_report_create(user=staff_user, mandate=municipal_mandate, date=DAY, place="联络站", **counts)
    assert field in exc.value.message_dict
    assert not VoterReport.objects.exists()


def test_evaluations_equal_to_the_voters_present_are_fine(municipal_mandate, staff_user):
    report = services.voter_report_create(user=staff_user, mandate=municipal_mandate, date=DAY, place="联络站",
                                          attendance=10, satisfied=7, basically_satisfied=2, unsatisfied=1)
    assert report.evaluations == report.attendance


@pytest.mark.parametrize("date", [datetime.date(2021, 12, 31),  # before the mandate (from 2022-01-01)
                                  datetime.date(2024, 7, 1)])  # after it ended (2024-06-30)
def test_a_date_outside_the_mandate_is_refused(city_term, staff_user, date):
    mandate = MandateFactory(term=city_term, end_date=datetime.date(2024, 6, 30), status="ended",
                             end_reason="resigned")
    with pytest.raises(ValidationError) as exc:
        services.voter_report_create(user=staff_user, mandate=mandate, date=date, place="联络站", attendance=5)
    assert "date" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.commendation_create(user=staff_user, mandate=mandate, date=date, title="优秀人大代表",
                                     awarded_by="市人大常委会")


def test_a_date_on_the_mandates_last_day_is_fine(city_term, staff_user):
    mandate = MandateFactory(term=city_term, end_date=datetime.date(2024, 6, 30), status="ended",
                             end_reason="resigned")
    report = services.voter_report_create(user=staff_user, mandate=mandate, date=datetime.date(2024, 6, 30),
                                          place="联络站", attendance=5)
    assert report.pk


def test_a_date_in_the_future_is_refused(municipal_mandate, staff_user):
    from django.utils import timezone

    with pytest.raises(ValidationError) as exc:
        services.voter_report_create(user=staff_user, mandate=municipal_mandate, place="联络站", attendance=5,
                                     date=timezone.localdate() + datetime.timedelta(days=1))
    assert "date" in exc.value.message_dict


def test_a_commendation_needs_a_title_and_who_awarded_it(municipal_mandate, staff_user):
    with pytest.raises(ValidationError) as exc:
        services.commendation_create(user=staff_user, mandate=municipal_mandate, date=DAY, title=" ", awarded_by="")
    assert set(exc.value.message_dict) == {"title", "awarded_by"}
    assert not Commendation.objects.exists()


def test_an_update_is_validated_against_the_reports_own_mandate(municipal_mandate, staff_user):
    report = VoterReportFactory(mandate=municipal_mandate)
    with pytest.raises(ValidationError):
        services.voter_report_update(user=staff_user, report=report, date=DAY, place="联络站", attendance=3,
                                     satisfied=4)
    report.refresh_from_db()
    assert report.attendance == 50


# --- the pages ------------------------------------------------------------------------------------------------

def test_staff_add_a_report_from_the_deputys_record(client_for, staff_user, municipal_mandate):
    person = municipal_mandate.person
    url = reverse("scoring:voter_report_create", args=[person.pk])
    response = client_for(staff_user).post(url, _report_data(mandate=municipal_mandate.pk))
    report = VoterReport.objects.get()
    assert (report.mandate, report.attendance, report.satisfied, report.created_by) == (municipal_mandate, 50, 40,
                                                                                        staff_user)
    assert response["Location"] == (reverse("scoring:deputy_record", args=[person.pk])
                                    + f"?year={YEAR}#section-voter-reports")


def test_the_form_shows_the_error_and_writes_nothing(client_for, staff_user, municipal_mandate):
    url = reverse("scoring:voter_report_create", args=[municipal_mandate.person_id])
    response = client_for(staff_user).post(url, _report_data(mandate=municipal_mandate.pk, satisfied="49"))
    assert response.status_code == 200
    assert response.context["form"].errors["attendance"]
    assert not VoterReport.objects.exists()


def test_the_form_offers_only_the_mandates_in_the_users_scope(client_for, county_staff_user, county_mandate,
                                                              city_term):
    city_mandate = MandateFactory(term=city_term, person=county_mandate.person)
    url = reverse("scoring:voter_report_create", args=[county_mandate.person_id])
    client = client_for(county_staff_user)
    form = client.get(url).context["form"]
    assert list(form.fields["mandate"].queryset) == [county_mandate]
    response = client.post(url, _report_data(mandate=city_mandate.pk))
    assert response.status_code == 200 and "mandate" in response.context["form"].errors
    assert not VoterReport.objects.exists()


def test_staff_edit_and_delete_a_report(client_for, staff_user, municipal_mandate):
    report = VoterReportFactory(mandate=municipal_mandate)
    client = client_for(staff_user)
    client.post(reverse("scoring:voter_report_edit", args=[report.pk]), _report_data(place="曙光社区", attendance="60"))
    report.refresh_from_db()
    assert (report.place, report.attendance) == ("曙光社区", 60)
    client.post(reverse("scoring:voter_report_delete", args=[report.pk]))
    assert not VoterReport.objects.filter(pk=report.pk).exists()


def test_staff_add_edit_and_delete_a_commendation(client_for, staff_user, municipal_mandate):
    client = client_for(staff_user)
    client.post(reverse("scoring:commendation_create", args=[municipal_mandate.person_id]),
                {"mandate": municipal_mandate.pk, "date": DAY.isoformat(), "title": "优秀人大代表",
                 "awarded_by": "市人大常委会"})
    commendation = Commendation.objects.get()
    assert (commendation.mandate, commendation.title) == (municipal_mandate, "优秀人大代表")
    client.post(reverse("scoring:commendation_edit", args=[commendation.pk]),
                {"date": DAY.isoformat(), "title": "优秀建议", "awarded_by": "市政府"})
    commendation.refresh_from_db()
    assert (commendation.title, commendation.awarded_by) == ("优秀建议", "市政府")
    client.post(reverse("scoring:commendation_delete", args=[commendation.pk]))
    assert not Commendation.objects.exists()


def test_the_lists_show_the_users_jurisdiction_only(client_for, county_staff_user, staff_user, municipal_mandate,
                                                    county_mandate, other_county_mandate):
    reports = {m.pk: VoterReportFactory(mandate=m) for m in (municipal_mandate, county_mandate, other_county_mandate)}
    commendations = {m.pk: CommendationFactory(mandate=m) for m in (municipal_mandate, county_mandate)}
    county = client_for(county_staff_user)
    assert [r.pk for r in county.get(reverse("scoring:voter_report_list")).context["page"]] == [
        reports[county_mandate.pk].pk]
    assert [c.pk for c in county.get(reverse("scoring:commendation_list")).context["page"]] == [
        commendations[county_mandate.pk].pk]
    assert len(client_for(staff_user).get(reverse("scoring:voter_report_list")).context["page"]) == 3


def test_the_list_filters_by_year_level_and_name(client_for, staff_user, municipal_mandate, county_mandate):
    VoterReportFactory(mandate=municipal_mandate)
    VoterReportFactory(mandate=county_mandate, date=datetime.date(YEAR - 1, 5, 1))
    client = client_for(staff_user)
    url = reverse("scoring:voter_report_list")
    assert [r.mandate_id for r in client.get(url, {"year": YEAR}).context["page"]] == [municipal_mandate.pk]
    assert [r.mandate_id for r in client.get(url, {"level": Level.COUNTY}).context["page"]] == [county_mandate.pk]
    response = client.get(url, {"q": "李四"})
    assert [r.mandate_id for r in response.context["page"]] == [county_mandate.pk]
    assert [p.pk for p in response.context["people"]] == [county_mandate.person_id]
    assert reverse("scoring:voter_report_create", args=[county_mandate.person_id]) in response.content.decode()


def test_the_lists_take_a_fixed_number_of_queries(client_for, staff_user, city_term, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(staff_user)
    client.get(reverse("core:home"))
    VoterReportFactory(mandate=MandateFactory(term=city_term))
    CommendationFactory(mandate=MandateFactory(term=city_term))
    counts = {}
    for name in ("voter_report_list", "commendation_list"):
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse(f"scoring:{name}"))
        counts[name] = len(ctx.captured_queries)
    for _ in range(5):
        VoterReportFactory(mandate=MandateFactory(term=city_term))
        CommendationFactory(mandate=MandateFactory(term=city_term))
    for name, count in counts.items():
        with django_assert_num_queries(count):
            client.get(reverse(f"scoring:{name}"))


# --- the yearly counts ------------------------------------------------------------------------------------------

@pytest.fixture
def reports(municipal_mandate, county_mandate, other_county_mandate, city_term):
    second = MandateFactory(term=city_term)
    return [
        # 2 municipal deputies in YEAR, one of them twice: 3 reports, 50 + 30 + 20 voters present
        VoterReportFactory(mandate=municipal_mandate, attendance=50, satisfied=40, basically_satisfied=8,
                           unsatisfied=2),
        VoterReportFactory(mandate=municipal_mandate, date=datetime.date(YEAR, 11, 1), attendance=30, satisfied=20,
                           basically_satisfied=5, unsatisfied=5),
        VoterReportFactory(mandate=second, attendance=20, satisfied=10, basically_satisfied=0, unsatisfied=0),
        # county deputies: one in YEAR, one the year before
        VoterReportFactory(mandate=county_mandate, attendance=15, satisfied=5, basically_satisfied=5, unsatisfied=0),
        VoterReportFactory(mandate=other_county_mandate, date=datetime.date(YEAR - 1, 3, 1), attendance=8,
                           satisfied=0, basically_satisfied=0, unsatisfied=0),
    ]


def test_yearly_counts_are_computed_from_the_records(reports, staff_user):
    counts = {(c.year, c.level): c for c in yearly_counts(staff_user)}
    assert list(counts) == [(YEAR, Level.MUNICIPAL), (YEAR, Level.COUNTY), (YEAR - 1, Level.COUNTY)]
    municipal = counts[(YEAR, Level.MUNICIPAL)]
    assert (municipal.deputies, municipal.reports, municipal.voters) == (2, 3, 100)
    # (40 + 8 + 20 + 5 + 10 + 0) / (50 + 30 + 10) = 83 / 90
    assert municipal.satisfaction_rate == Decimal("92.2")
    county = counts[(YEAR, Level.COUNTY)]
    assert (county.deputies, county.voters, county.satisfaction_rate) == (1, 15, Decimal("100.0"))
    assert counts[(YEAR - 1, Level.COUNTY)].satisfaction_rate is None  # nobody evaluated


def test_yearly_counts_are_scoped_to_the_users_jurisdiction(reports, county_staff_user):
    assert [(c.year, c.level, c.deputies) for c in yearly_counts(county_staff_user)] == [(YEAR, Level.COUNTY, 1)]


def test_the_counts_page_states_each_year_and_level(reports, client_for, staff_user):
    response = client_for(staff_user).get(reverse("scoring:voter_report_counts"))
    html = response.content.decode()
    assert f'id="count-{YEAR}-municipal"' in html
    assert f'data-year="{YEAR}" data-level="municipal"' in html
    assert 'data-deputies="2"' in html and 'data-voters="100"' in html and 'data-rate="92.2"' in html


@pytest.mark.parametrize("model, factory, prefix", [("voterreport", VoterReportFactory, "voter_report"),
                                                    ("commendation", CommendationFactory, "commendation")])
def test_deleting_needs_its_own_permission_beside_editing(client_for, staff_user, municipal_mandate, model, factory,
                                                          prefix):
    from django.contrib.auth.models import Group, Permission

    from apps.core import roles

    record = factory(mandate=municipal_mandate)
    client = client_for(staff_user)
    edit = reverse(f"scoring:{prefix}_edit", args=[record.pk])
    delete = reverse(f"scoring:{prefix}_delete", args=[record.pk])
    assert f'action="{delete}"' in client.get(edit).content.decode()

    Group.objects.get(name=roles.STAFF).permissions.remove(
        Permission.objects.get(content_type__app_label="scoring", codename=f"delete_{model}"))
    client = client_for(type(staff_user).objects.get(pk=staff_user.pk))  # permissions are cached per user object
    page = client.get(edit)
    assert page.status_code == 200 and f'action="{delete}"' not in page.content.decode()
    assert client.post(delete).status_code == 403
    assert type(record).objects.filter(pk=record.pk).exists()
