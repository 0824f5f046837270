"""An activity's printed sign-in sheet (apps/activities/paper.py): the participants in the grid's order, the code
that opens the grid again, one code however often it is printed; the print is audited; out of scope is a 404."""

from django.urls import reverse

from apps.activities.selectors.activities import participants_of
from apps.core.models import AuditEvent, PaperCode
from apps.core.paper import display
from tests.activities.staff_support import deputies, make_activity, participate
from tests.paper_support import assert_sheet, order_in


def test_the_sign_in_sheet_lists_the_participants_in_the_grids_order_under_its_code(
        client_for, django_assert_max_num_queries, city, city_term, staff_user, county_staff_user):
    activity = make_activity(city, title="视察<b>城市供热 & 管网", place="南关区供热公司")  # markup is text
    for mandate in deputies(city_term, ["赵一鸣", "钱二宝", "孙三立", "艾小文"]):
        participate(activity, mandate)
    url = reverse("activities:activity_sign_in_sheet", args=[activity.pk])
    client = client_for(staff_user)

    with django_assert_max_num_queries(12):  # whatever the number of people: no query per row
        response = client.get(url)
    code = PaperCode.objects.get(kind="activity", object_id=activity.pk).code
    text = assert_sheet(response, code_shown=display(code))
    assert "视察<b>城市供热 & 管网 签到表" in text and "南关区供热公司" in text and "签名" in text
    grid = [p.person.name for p in participants_of(activity)]
    assert grid == ["艾小文", "钱二宝", "孙三立", "赵一鸣"]  # pinyin order, not the order they were added
    assert order_in(text, grid) == grid
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT, object_id=str(activity.pk),
                                     detail__contains=display(code)).exists()

    assert_sheet(client.get(url), code_shown=display(code))  # printed again: the same code
    assert PaperCode.objects.count() == 1
    assert client_for(county_staff_user).get(url).status_code == 404
    page = client.get(reverse("activities:activity_detail", args=[activity.pk])).content.decode()
    assert url in page
