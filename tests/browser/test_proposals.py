"""Motions and suggestions in a browser, the whole story of one suggestion: a deputy writes it and invites a
co-signer, who confirms on their own account; staff register and assign it; the unit signs for it, records a
communication and replies with class B; the deputy rates 不满意, so it is handled again and the unit replies
once more; the deputy (and the co-signer) rate 满意, and the supervisor sees it counted on the board."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from apps.core import roles
from apps.proposals.models import Assignment, Proposal, Rating, Signature
from tests.browser.conftest import login
from tests.factories import MandateFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.browser

TITLE = "关于加快推进南关区老旧小区改造的建议"


@pytest.fixture
def cosigner(city_term):
    """A second deputy of the city congress, with an account of their own."""
    mandate = MandateFactory(term=city_term, person=PersonFactory(name="李秀梅"))
    return UserFactory(username="cosigner", roles=[roles.DEPUTY], person=mandate.person)


def as_user(browser, live_server, username):
    """A fresh browser context signed in as ``username`` (confirm dialogs accepted, as a person would)."""
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1366, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, username)
    return context, page


def unit_page(page, assignment: Assignment):
    page.goto(reverse("proposals:unit_inbox"))
    page.locator(f"#assignment-{assignment.pk} a").click()
    page.wait_for_url(f"**{reverse('proposals:unit_assignment', args=[assignment.pk])}")


def reply(page, *, code: str, text: str, promised_on: datetime.date | None = None) -> None:
    form = page.locator("#reply-form")
    form.locator("select[name$=reply_class]").select_option(label=_class_label(page, code))
    if promised_on is not None:
        form.locator("input[name$=promised_on]").fill(promised_on.isoformat())
    form.locator("textarea[name$=text]").fill(text)
    page.locator("#reply-submit").click()


def _class_label(page, code: str) -> str:
    """The option of the reply class select whose text starts with the class's code."""
    options = page.locator("#reply-form select[name$=reply_class] option").all_inner_texts()
    return next(o for o in options if o.strip().startswith(code))


def rate(page, proposal: Proposal, result: str, comment: str = "") -> None:
    page.goto(reverse("proposals:my_proposal_detail", args=[proposal.pk]))
    page.locator("#proposal-rate").click()
    page.locator(f"#rating-form input[name$=result][value={result}]").check()
    if comment:
        page.locator("#rating-form textarea[name$=comment]").fill(comment)
    page.locator("#rating-submit").click()
    page.wait_for_url(f"**{reverse('proposals:my_proposal_detail', args=[proposal.pk])}")


def test_a_suggestion_from_submission_to_a_satisfied_rating_after_rehandling(
        browser, live_server, transactional_db, deputy_user, cosigner, staff_user, unit_user, supervisor_user):
    today = timezone.localdate()
    unit = unit_user.handling_unit

    # 1. The deputy writes the suggestion, invites the co-signer and, once they confirmed, submits it.
    context, page = as_user(browser, live_server, "deputy")
    page.goto(reverse("proposals:proposal_new"))
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_content").fill("南关区部分老旧小区管网老化、外墙保温缺失。建议纳入年度改造计划，统筹实施。")
    page.locator("#proposal-save").click()
    page.wait_for_url("**/proposals/mine/*/")
    proposal = Proposal.objects.get(title=TITLE)
    assert proposal.state == Proposal.State.DRAFT
    page.locator("#proposal-cosigners").click()
    page.locator("#deputy-q").fill("李秀梅")
    candidate = page.locator(f"#candidate-{cosigner.person.mandates.get().pk}")
    candidate.check()
    page.locator("#invite-submit").click()
    signature = Signature.objects.get(proposal=proposal, person=cosigner.person)
    expect(page.locator(f"#signature-{signature.pk}")).to_be_visible()
    context.close()

    context, page = as_user(browser, live_server, "cosigner")
    page.goto(reverse("proposals:cosign_list"))
    page.locator(f"#confirm-{signature.pk}").click()
    expect(page.locator(f"#invitation-{signature.pk}")).to_have_attribute("data-pending", "0")
    context.close()
    signature.refresh_from_db()
    assert signature.confirmed_at is not None

    context, page = as_user(browser, live_server, "deputy")
    page.goto(reverse("proposals:my_proposal_detail", args=[proposal.pk]))
    page.locator("#proposal-submit").click()
    expect(page.locator("#proposal")).to_have_attribute("data-state", "submitted")
    context.close()

    # 2. Staff register it (a number of its session and kind) and assign it to the unit.
    context, page = as_user(browser, live_server, "staff")
    page.goto(reverse("proposals:proposal_detail", args=[proposal.pk]))
    page.locator("#register-category").select_option(label="城建")
    page.locator("#register-submit").click()
    expect(page.locator("#proposal-number")).to_have_text("第0001号")
    page.locator("#assign-lead_unit-ts-control").press_sequentially(unit.name[:4])
    page.locator("#assign-form .ts-dropdown .option", has_text=unit.name).first.click()
    # the choice is in the form before it is sent (under load a submit could go before the click had landed)
    expect(page.locator("#assign-lead_unit")).to_have_value(str(unit.pk))
    page.locator("#assign-submit").click()
    expect(page.locator(".assignment").first).to_contain_text(unit.name)
    context.close()
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.ASSIGNED and proposal.number == 1
    lead = Assignment.objects.get(proposal=proposal, role=Assignment.Role.LEAD, round=1)

    # 3. The unit signs for it, records a call with the deputy and replies with class B.
    context, page = as_user(browser, live_server, "unit")
    unit_page(page, lead)
    page.locator("#accept-submit").click()
    expect(page.locator("#communication-form")).to_be_visible()  # offered once the unit has signed for it
    form = page.locator("#communication-form")
    form.locator("input[name$=date]").fill(today.isoformat())
    form.locator("select[name$=means]").select_option(value="phone")
    form.locator("textarea[name$=content]").fill("电话联系张三丰代表，了解小区管网情况，听取改造意见。")
    page.locator("#communication-submit").click()
    expect(page.locator("#communication-list")).to_contain_text("电话联系张三丰代表")
    reply(page, code="B", text="该小区已列入明年老旧小区改造计划，计划明年10月前完成管网更新和外墙保温。",
          promised_on=today + datetime.timedelta(days=200))
    expect(page.locator("#replies")).to_contain_text("已列入明年老旧小区改造计划")
    context.close()
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.REPLIED
    assert proposal.replies.get().reply_class.code == "B" and proposal.follow_ups.count() == 1

    # 4. The deputy is not satisfied: the item goes back to the unit for re-handling (round 2).
    context, page = as_user(browser, live_server, "deputy")
    rate(page, proposal, "unsatisfied", "答复未明确资金来源，希望重新办理。")
    expect(page.locator("#proposal")).to_have_attribute("data-state", "rehandling")
    expect(page.locator("#proposal")).to_have_attribute("data-round", "2")
    context.close()
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.REHANDLING and proposal.round == 2
    again = Assignment.objects.get(proposal=proposal, role=Assignment.Role.LEAD, round=2)
    assert again.unit == unit and again.state == Assignment.State.ACCEPTED

    # 5. The unit handles it again and replies (class A).
    context, page = as_user(browser, live_server, "unit")
    unit_page(page, again)
    reply(page, code="A", text="经再次研究，已落实专项资金，管网更新工程已完成，外墙保温年内完工。")
    expect(page.locator("#replies")).to_contain_text("已落实专项资金")
    context.close()
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.REPLIED and proposal.replies.count() == 2

    # 6. Both signers rate the second reply 满意: the item is closed.
    for username in ("deputy", "cosigner"):
        context, page = as_user(browser, live_server, username)
        rate(page, proposal, "satisfied", "办理认真，问题已解决。" if username == "deputy" else "")
        context.close()
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.CLOSED
    assert list(Rating.objects.filter(proposal=proposal).order_by("round", "rated_at")
                .values_list("round", "result")) == [(1, "unsatisfied"), (2, "satisfied"), (2, "satisfied")]

    # 7. The supervisor sees it counted on the board: one item, closed, replied, satisfied after re-handling.
    context, page = as_user(browser, live_server, "supervisor")
    page.goto(reverse("proposals:board"))
    expect(page.locator("#figure-total a")).to_have_text("1")
    expect(page.locator("#figure-state_closed .badge")).to_have_text("1")
    expect(page.locator("#figure-satisfaction_rate .rate")).to_have_text("100.0%")
    expect(page.locator("#figure-first_round_satisfaction_rate .rate")).to_have_text("0.0%")
    expect(page.locator(f"#unit-{unit.pk}")).to_contain_text("100.0%")
    page.locator("#figure-state_closed").click()
    expect(page.locator("body")).to_contain_text(TITLE)
    context.close()
