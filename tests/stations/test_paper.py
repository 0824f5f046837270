"""A reception day's printed form (apps/stations/paper.py): the deputies on duty in the visit form's order, blank
rows for the voters, and the code that opens the day's visit form with the day and its deputies filled in."""

from django.urls import reverse

from apps.core.models import PaperCode
from apps.core.paper import display
from apps.stations.models import VoterVisit
from apps.stations.paper import VISITOR_ROWS
from tests.activities.staff_support import deputies
from tests.paper_support import assert_sheet, order_in
from tests.stations.conftest import make_day


def test_the_reception_form_lists_the_deputies_on_duty_and_its_code_opens_the_days_visit_form(
        client_for, django_assert_max_num_queries, city_station, today, city_term, municipal_mandate, staff_user,
        county_staff_user):
    reception_day = make_day(city_station, today, deputies=[municipal_mandate.person])  # the paper comes back
    others = [m.person for m in deputies(city_term, ["韩东升", "白云飞"])]
    city_station.deputies.add(*others)
    reception_day.deputies.add(*others)
    client = client_for(staff_user)

    with django_assert_max_num_queries(12):  # whatever the number of deputies: no query per row
        response = client.get(reverse("stations:reception_day_form", args=[reception_day.pk]))
    code = PaperCode.objects.get(kind="reception_day", object_id=reception_day.pk).code
    text = assert_sheet(response, code_shown=display(code))
    assert order_in(text, ["白云飞", "韩东升", "张三丰"]) == ["白云飞", "韩东升", "张三丰"]  # the visit form's order
    assert "接待选民登记表" in text and "反映问题" in text and "来访人姓名" in text
    assert VISITOR_ROWS >= 8

    response = client.get(reverse("core:paper_open", args=[code]), follow=True)
    form = response.context["form"]
    assert response.context["station"] == city_station
    assert form.initial["reception_day"] == reception_day.pk and form.initial["date"] == reception_day.date
    assert set(form.initial["deputies"]) == {municipal_mandate.person_id, *(p.pk for p in others)}
    assert client_for(county_staff_user).get(reverse("core:paper_open", args=[code])).status_code == 404

    # The paper's visitors one after the other: each saved against the day, back to the day's form for the next.
    entry = response.redirect_chain[-1][0]
    posted = client.post(entry, {"date": reception_day.date.isoformat(), "reception_day": reception_day.pk,
                                 "deputies": [municipal_mandate.person_id], "visitor_name": "赵女士",
                                 "issue": "小区路灯不亮", "category": "urban"})
    assert posted.status_code == 302, posted.context["form"].errors
    assert posted["Location"] == entry
    assert VoterVisit.objects.get().reception_day == reception_day
