"""The deputy's own record at /me/: the PDF download (audited), disputing a line of the score (错重漏申报) and
seeing the answer, and only ever their own record."""

import pytest
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.scoring.models import Dispute
from apps.scoring.services.disputes import dispute_resolve
from tests.proposals.factories import deputy_for
from tests.scoring.factories import YEAR
from tests.scoring.record_support import record_world

ME = reverse("me:me")


@pytest.fixture
def world(municipal_mandate, city):
    return record_world(mandate=municipal_mandate, city=city)


@pytest.fixture
def deputy(world):
    return deputy_for(world["person"])


def _line(world, label):
    return world["score"], world["rule_set"].items.get(label=label)


def test_the_deputy_downloads_their_annual_report_and_it_is_audited(world, deputy, client_for):
    response = client_for(deputy).get(f"{reverse('me:me_pdf')}?year={YEAR}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"] and ".pdf" in response["Content-Disposition"]
    event = AuditEvent.objects.get(action=AuditEvent.Action.DOWNLOAD)
    assert (event.user, event.object_type, event.object_id) == (deputy, "deputies.Person", str(world["person"].pk))
    assert str(YEAR) in event.detail


def test_staff_download_a_deputys_report_audited_too(world, client_for, staff_user):
    url = reverse("scoring:deputy_record_pdf", args=[world["person"].pk]) + f"?year={YEAR}"
    response = client_for(staff_user).get(url)
    assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD, user=staff_user,
                                     object_id=str(world["person"].pk)).exists()


def test_the_deputy_disputes_a_line_and_sees_it_open(world, deputy, client_for):
    score, item = _line(world, "参加培训")
    client = client_for(deputy)
    response = client.post(reverse("me:me_dispute"), {"score": score.pk, "item": item.pk,
                                                      "comment": "3月的培训我出席了，记成了请假"})
    assert response.status_code == 302
    assert response["Location"] == f"{ME}?year={YEAR}#disputes"
    dispute = Dispute.objects.get(item=item)
    assert (dispute.score, dispute.mandate, dispute.year, dispute.status, dispute.raised_by) == (
        score, world["mandate"], YEAR, Dispute.Status.OPEN, deputy)
    page = client.get(response["Location"])
    rows = page.context["record"].disputes
    assert rows[0].pk == dispute.pk and rows[0].status == Dispute.Status.OPEN
    assert "3月的培训我出席了，记成了请假" in page.content.decode()


def test_the_answer_and_the_new_score_show_on_the_record(world, deputy, client_for, staff_user):
    score, item = _line(world, "参加培训")
    client = client_for(deputy)
    client.post(reverse("me:me_dispute"), {"score": score.pk, "item": item.pk, "comment": "漏记一次培训"})
    dispute = Dispute.objects.get(comment="漏记一次培训")
    # Staff correct the record (the leave was an attendance) and uphold the dispute: the score is recomputed.
    leave = next(a for a in world["training"] if a.attendance == "leave")
    leave.attendance = "present"
    leave.save()
    dispute_resolve(user=staff_user, dispute=dispute, upheld=True, resolution="已更正为出席")
    html = client.get(f"{ME}?year={YEAR}").content.decode()
    row = next(d for d in client.get(f"{ME}?year={YEAR}").context["record"].disputes if d.pk == dispute.pk)
    assert (row.status, row.resolution) == (Dispute.Status.UPHELD, "已更正为出席")
    assert row.total_after == row.total_before + 2
    assert "已更正为出席" in html
    card = client.get(f"{ME}?year={YEAR}").context["record"].scores[0]
    assert next(line for line in card.lines if line.label == "参加培训").count == 3


def test_a_dispute_without_a_comment_is_refused_and_nothing_is_written(world, deputy, client_for):
    score, item = _line(world, "视察")
    before = Dispute.objects.count()
    response = client_for(deputy).post(reverse("me:me_dispute"), {"score": score.pk, "item": item.pk,
                                                                  "comment": "  "}, follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert Dispute.objects.count() == before


def test_a_second_open_dispute_of_the_same_item_is_refused(world, deputy, client_for):
    score, item = _line(world, "视察")
    client = client_for(deputy)
    client.post(reverse("me:me_dispute"), {"score": score.pk, "item": item.pk, "comment": "第一次"}, follow=True)
    response = client.post(reverse("me:me_dispute"), {"score": score.pk, "item": item.pk, "comment": "第二次"},
                           follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not Dispute.objects.filter(comment="第二次").exists()


def test_a_made_up_score_is_404(world, deputy, client_for):
    response = client_for(deputy).post(reverse("me:me_dispute"), {"score": 999999, "item": 999999,
                                                                  "comment": "x"})
    assert response.status_code == 404


def test_the_dispute_form_is_on_every_line_of_the_deputys_own_page(world, deputy, client_for):
    html = client_for(deputy).get(f"{ME}?year={YEAR}").content.decode()
    for item in world["rule_set"].items.all():
        assert f'id="dispute-{world["score"].pk}-{item.pk}"' in html
    assert html.count('class="mt-1 dispute-form"') == world["rule_set"].items.count()


def test_the_deputy_only_ever_sees_their_own_record(world, client_for, county_mandate):
    """/me/ names no person: another deputy gets their own record, never this one's."""
    other = client_for(deputy_for(county_mandate.person)).get(f"{ME}?year={YEAR}")
    record = other.context["record"]
    assert record.person_id == county_mandate.person_id
    assert world["person"].name not in other.content.decode()


def test_other_roles_get_403_on_me(client_for, staff_user, member_user):
    assert client_for(staff_user).get(ME).status_code == 403
    assert client_for(member_user).get(reverse("me:me_pdf")).status_code == 403
