"""A leader's story: a vice director of the city's council (主任会议) is named the leading supervisor of a key
suggestion whose reply is overdue; they sign in, see the notification, open their list of items (我督办的建议),
open the item from it and record an instruction they gave the unit."""

import datetime

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from apps.proposals.models import Proposal, SupervisionRecord
from apps.proposals.services.supervision import supervision_start
from tests.browser.conftest import login, open_menu_item
from tests.factories import HandlingUnitFactory
from tests.proposals import board_support as support
from tests.proposals.leader_support import council_account


def test_a_leader_is_notified_opens_the_item_from_their_list_and_records_supervision(
        page, live_server, transactional_db, city, city_term, municipal_mandate, staff_user):
    user, leader = council_account(city, city_term, username="leader", name="赵副主任")
    item = support.item(mandate=municipal_mandate, state=Proposal.State.HANDLING, number=12,
                        title="关于加快城区积水点改造的建议")
    lead = support.assign(item, HandlingUnitFactory(jurisdiction=city, name="市水务局"))
    today = timezone.localdate()
    support.deadline(lead, due_on=today - datetime.timedelta(days=5))
    supervision_start(proposal=item, user=staff_user, leader=leader)

    login(page, "leader")
    # The notification: one unread, naming the item; it opens the item's page.
    expect(page.locator("#nav-unread")).to_have_text("1")
    page.get_by_title("通知").click()
    notification = page.get_by_role("link", name="请您领衔督办")
    expect(notification).to_contain_text("关于加快城区积水点改造的建议")
    notification.click()
    page.wait_for_url(f"**{reverse('proposals:leader_detail', args=[item.pk])}")
    expect(page.locator("#proposal-title")).to_contain_text("关于加快城区积水点改造的建议")

    # The list of the items they lead: state, unit, deadline overdue, no record yet.
    open_menu_item(page, "nav-leader-items")
    page.wait_for_url(f"**{reverse('proposals:leader_list')}")
    row = page.locator(f"#led-{item.pk}")
    expect(row).to_contain_text("市水务局")
    expect(row.locator(".overdue")).to_have_text("逾期")
    expect(row.locator(".last-record")).to_contain_text("暂无督办记录")
    row.get_by_role("link", name="关于加快城区积水点改造的建议").click()
    page.wait_for_url(f"**{reverse('proposals:leader_detail', args=[item.pk])}")

    # Record the instruction given to the unit.
    page.locator("#record-kind").select_option("instruction")
    page.locator("#record-content").fill("要求市水务局本月底前拿出整改方案并答复代表")
    page.locator("#record-submit").click()
    expect(page.get_by_text("督办记录已添加")).to_be_visible()
    expect(page.locator("#supervision-records")).to_contain_text("要求市水务局本月底前拿出整改方案并答复代表")
    record = SupervisionRecord.objects.get()
    assert (record.supervision.proposal_id, record.kind, record.recorded_by_id) == (item.pk, "instruction", user.pk)

    open_menu_item(page, "nav-leader-items")
    expect(page.locator(f"#led-{item.pk} .last-record")).to_contain_text("批示")
