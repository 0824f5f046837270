"""A committee meeting's printed sign-in sheet (apps/covenant/paper.py): the members in the attendance grid's order
(post, then name), a signature column for each day, and the code that opens the grid for staff (the meeting's
page for a supervisor) in scope."""

from django.urls import reverse

from apps.committee.models import Post
from apps.core.models import PaperCode
from apps.core.paper import display
from apps.covenant import selectors
from tests.covenant import factories as f
from tests.paper_support import assert_sheet, order_in


def test_the_sign_in_sheet_lists_the_members_in_the_grids_order_with_a_column_a_day(
        client_for, django_assert_max_num_queries, committee, city_term, city_meeting, staff_user, supervisor_user,
        county_staff_user):
    f.member(city_term, Post.MEMBER, name="艾委员")
    client = client_for(staff_user)

    with django_assert_max_num_queries(14):  # whatever the number of members: no query per row
        response = client.get(reverse("covenant:meeting_sign_in_sheet", args=[city_meeting.pk]))
    code = PaperCode.objects.get(kind="committee_meeting", object_id=city_meeting.pk).code
    text = assert_sheet(response, code_shown=display(code))
    grid = [row.member.person.name for row in selectors.attendance_grid(city_meeting)]
    assert grid == ["常委甲", "艾委员", "委员乙"]  # the vice director first, then by pinyin
    assert order_in(text, grid) == grid
    assert "6月24日 签名" in text and "6月25日 签名" in text

    opened = reverse("core:paper_open", args=[code])
    assert client.get(opened)["Location"] == reverse("covenant:meeting_attendance", args=[city_meeting.pk])
    assert client_for(supervisor_user).get(opened)["Location"] == reverse("covenant:meeting_detail",
                                                                          args=[city_meeting.pk])
    assert client_for(county_staff_user).get(opened).status_code == 404
