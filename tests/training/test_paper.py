"""A training session's printed sign-in sheet (apps/training/paper.py): the recorded people in the attendance
table's order, the code that opens the session's attendance for the office in scope."""

from django.urls import reverse

from apps.core.models import PaperCode
from apps.core.paper import display
from apps.training.models import TrainingAttendance
from apps.training.selectors import attendance_rows
from tests.activities.staff_support import deputies
from tests.paper_support import assert_sheet, order_in


def test_the_sign_in_sheet_lists_the_attendance_in_the_tables_order_and_its_code_opens_it(
        client_for, django_assert_max_num_queries, session, city_term, staff_user, county_staff_user):
    for mandate in deputies(city_term, ["周五星", "吴六合", "郑七彩"]):
        TrainingAttendance.objects.create(session=session, person=mandate.person, mandate=mandate)
    client = client_for(staff_user)

    with django_assert_max_num_queries(12):  # whatever the number of people: no query per row
        response = client.get(reverse("training:session_sign_in_sheet", args=[session.pk]))
    text = assert_sheet(response,
                        code_shown=display(PaperCode.objects.get(kind="training_session").code))
    table = [row.person.name for row in attendance_rows(session)]
    assert table == ["吴六合", "郑七彩", "周五星"]
    assert order_in(text, table) == table
    assert "履职能力专题讲座 签到表" in text

    code = PaperCode.objects.get().code
    response = client.get(reverse("core:paper_open", args=[code]))
    assert response["Location"] == reverse("training:session_detail", args=[session.pk]) + "#attendance"
    assert client_for(county_staff_user).get(reverse("core:paper_open", args=[code])).status_code == 404
