"""factory-boy factories for the proposals models, and helpers that bring an item to a state through the
real services (``make_submitted`` ... ``make_closed``).

Factories write rows directly (fast, any shape); the ``make_*`` helpers go through
``apps.proposals.services`` so that the rows are exactly what the services write (deadlines, numbers,
signatures). Every helper takes the same keyword arguments as the one before it, plus its own:

    make_draft(mandate=None, kind="suggestion", **proposal_fields)
    make_submitted(..., cosigners=0)                 # motions: enough confirmed co-signers added by default
    make_registered(..., staff=None, category="教育", is_key=False)
    make_docketed(...)                               # motions only
    make_assigned(..., lead_unit=None, co_units=())
    make_handling(...)                               # the lead unit has signed for it
    make_replied(..., reply_class="A", promised_on=None)   # co-units send their opinions first
    make_rehandling(...)                             # the lead rated 不满意 in round 1
    make_closed(...)                                 # every counting signer rated 满意
"""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from apps.core import roles
from apps.deputies.models import Mandate, Session
from apps.proposals.models import (
    Assignment, Category, Communication, Deadline, ExtensionRequest, FollowUp, Kind, MergeGroup, Proposal,
    ProposalAttachment, Rating, Reply, ReplyClass, Signature,
)
from tests.factories import HandlingUnitFactory, MandateFactory, TermFactory, UserFactory


# --- reference data ---------------------------------------------------------------------------------------

def category(name: str = "教育") -> Category:
    """A default category (ensured on migrate/flush): 经济, 城建, 教育, 卫生 ..."""
    return Category.objects.get(name=name)


def reply_class(code: str = "A") -> ReplyClass:
    """A default reply class: A (solved), B and C (followed up), D (for reference)."""
    return ReplyClass.objects.get(code=code)


class CategoryFactory(factory.django.DjangoModelFactory):
    """Returns the existing default category of that name (or makes a new one)."""

    class Meta:
        model = Category
        django_get_or_create = ["name"]

    name = "教育"
    position = 500


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session
        django_get_or_create = ["term", "number"]

    term = factory.SubFactory(TermFactory)
    number = factory.Sequence(lambda n: n % 5 + 1)
    name = factory.LazyAttribute(lambda o: f"{o.term.name}第{o.number}次会议")
    opens_on = datetime.date(2026, 1, 10)
    closes_on = datetime.date(2026, 1, 14)


# --- items and signatures ---------------------------------------------------------------------------------

class ProposalFactory(factory.django.DjangoModelFactory):
    """An item with its lead signature (``mandate`` is the lead's mandate; a new one unless given).

    ``mandate=None`` makes an item without any signature (give ``jurisdiction`` and ``level`` then)."""

    class Meta:
        model = Proposal

    mandate = factory.SubFactory(MandateFactory)
    kind = Kind.SUGGESTION
    state = Proposal.State.DRAFT
    jurisdiction = factory.LazyAttribute(lambda o: o.mandate.jurisdiction)
    level = factory.LazyAttribute(lambda o: o.mandate.level)
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    title = factory.Sequence(lambda n: f"关于改善第{n}号小区周边道路交通的建议")
    content = "小区周边道路早晚高峰拥堵，建议增设信号灯并拓宽路口。"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        mandate = kwargs.pop("mandate", None)
        proposal = super()._create(model_class, *args, **kwargs)
        if mandate is not None:
            Signature.objects.create(proposal=proposal, person=mandate.person, mandate=mandate,
                                     role=Signature.Role.LEAD, confirmed_at=timezone.now())
        return proposal

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        kwargs.pop("mandate", None)
        return super()._build(model_class, *args, **kwargs)


class SuggestionFactory(ProposalFactory):
    kind = Kind.SUGGESTION


class MotionFactory(ProposalFactory):
    kind = Kind.MOTION
    title = factory.Sequence(lambda n: f"关于制定第{n}号地方性法规的议案")
    grounds = "现行规定已不适应实际需要。"
    plan = "建议由市人大常委会制定相关条例。"


def lead_signature(proposal: Proposal) -> Signature:
    return proposal.signatures.get(role=Signature.Role.LEAD)


def _cosigner_mandate(proposal: Proposal) -> Mandate:
    lead = proposal.signatures.select_related("mandate__term").filter(role=Signature.Role.LEAD).first()
    if lead is not None:
        return MandateFactory(term=lead.mandate.term)
    return MandateFactory(term=TermFactory(jurisdiction=proposal.jurisdiction, level=proposal.level))


class SignatureFactory(factory.django.DjangoModelFactory):
    """A co-signer, invited and not yet confirmed (``confirmed=True`` trait for a confirmed one); the mandate is
    a new one in the lead's term unless given."""

    class Meta:
        model = Signature

    proposal = factory.SubFactory(SuggestionFactory)
    mandate = factory.LazyAttribute(lambda o: _cosigner_mandate(o.proposal))
    person = factory.LazyAttribute(lambda o: o.mandate.person)
    role = Signature.Role.COSIGNER
    confirmed_at = None

    class Params:
        confirmed = factory.Trait(confirmed_at=factory.LazyFunction(timezone.now))


def add_cosigners(proposal: Proposal, count: int, *, confirmed: bool = True) -> list[Signature]:
    """``count`` new co-signers in the lead's term (rows written directly, no notification)."""
    return [SignatureFactory(proposal=proposal, confirmed=confirmed) for _ in range(count)]


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProposalAttachment

    proposal = factory.SubFactory(SuggestionFactory)
    file = factory.django.FileField(filename="材料.pdf", data=b"%PDF-1.4 test")
    name = "材料.pdf"
    content_type = "application/pdf"
    size = 13


class MergeGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MergeGroup

    name = factory.Sequence(lambda n: f"并案{n}")


# --- handling ---------------------------------------------------------------------------------------------

class AssignmentFactory(factory.django.DjangoModelFactory):
    """A lead assignment of round 1, awaiting signature, to a new unit of the item's jurisdiction."""

    class Meta:
        model = Assignment

    proposal = factory.SubFactory(SuggestionFactory, state=Proposal.State.ASSIGNED)
    unit = factory.SubFactory(HandlingUnitFactory, jurisdiction=factory.SelfAttribute("..proposal.jurisdiction"))
    role = Assignment.Role.LEAD
    round = 1
    state = Assignment.State.PENDING
    assigned_at = factory.LazyFunction(timezone.now)


def _rule(proposal: Proposal):
    from apps.proposals import rules

    return rules.rule_for(proposal.jurisdiction, proposal.kind)


class DeadlineFactory(factory.django.DjangoModelFactory):
    """A reply deadline of an assignment, 3 months from today, naming the rule of the item."""

    class Meta:
        model = Deadline

    assignment = factory.SubFactory(AssignmentFactory)
    proposal = factory.LazyAttribute(lambda o: o.assignment.proposal if o.assignment else None)
    kind = Deadline.Kind.REPLY
    round = factory.LazyAttribute(lambda o: o.assignment.round if o.assignment else 1)
    starts_on = factory.LazyFunction(timezone.localdate)
    due_on = factory.LazyAttribute(lambda o: o.starts_on + datetime.timedelta(days=91))
    rule = factory.LazyAttribute(lambda o: _rule(o.proposal))
    rule_field = "base_months"
    rule_value = 3


class CommunicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Communication

    assignment = factory.SubFactory(AssignmentFactory, state=Assignment.State.ACCEPTED)
    date = factory.LazyFunction(timezone.localdate)
    means = Communication.Means.PHONE
    content = "电话联系代表，介绍办理思路。"


class ReplyFactory(factory.django.DjangoModelFactory):
    """A class-A reply of round 1 by the assignment's unit."""

    class Meta:
        model = Reply

    assignment = factory.SubFactory(AssignmentFactory, state=Assignment.State.ACCEPTED,
                                    proposal__state=Proposal.State.REPLIED)
    proposal = factory.SelfAttribute("assignment.proposal")
    round = factory.SelfAttribute("assignment.round")
    reply_class = factory.LazyFunction(lambda: reply_class("A"))
    text = "经研究，已将该路口改造列入今年计划并已完工。"
    replied_at = factory.LazyFunction(timezone.now)


class RatingFactory(factory.django.DjangoModelFactory):
    """The lead signer's 满意 rating of a reply (the reply's round)."""

    class Meta:
        model = Rating

    reply = factory.SubFactory(ReplyFactory)
    proposal = factory.SelfAttribute("reply.proposal")
    signature = factory.LazyAttribute(lambda o: lead_signature(o.proposal))
    round = factory.SelfAttribute("reply.round")
    result = Rating.Result.SATISFIED
    comment = ""
    rated_at = factory.LazyFunction(timezone.now)


class FollowUpFactory(factory.django.DjangoModelFactory):
    """A follow-up of a class-B reply, due three months from today."""

    class Meta:
        model = FollowUp

    reply = factory.SubFactory(ReplyFactory, reply_class=factory.LazyFunction(lambda: reply_class("B")))
    proposal = factory.SelfAttribute("reply.proposal")
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=91))


class ExtensionRequestFactory(factory.django.DjangoModelFactory):
    """A pending request to move a reply deadline by a month."""

    class Meta:
        model = ExtensionRequest

    deadline = factory.SubFactory(DeadlineFactory, assignment__state=Assignment.State.ACCEPTED,
                                  assignment__proposal__state=Proposal.State.HANDLING)
    assignment = factory.SelfAttribute("deadline.assignment")
    requested_due_on = factory.LazyAttribute(lambda o: o.deadline.due_on + datetime.timedelta(days=30))
    reason = "需协调多个部门，申请延期一个月。"


# --- users for a party ------------------------------------------------------------------------------------

def staff_for(jurisdiction, username: str | None = None):
    """A staff account of ``jurisdiction`` (one per jurisdiction unless a username is given)."""
    from apps.accounts.models import User

    username = username or f"staff_{jurisdiction.code}"
    user = User.objects.filter(username=username).first()
    return user or UserFactory(username=username, roles=[roles.STAFF], jurisdiction=jurisdiction)


def deputy_for(person):
    """The deputy account of ``person`` (made when there is none)."""
    from apps.accounts.models import User

    user = User.objects.filter(person=person, is_active=True).first()
    return user or UserFactory(username=f"deputy_{person.pk}", roles=[roles.DEPUTY], person=person)


def unit_user_for(unit):
    """An account of handling unit ``unit`` (made when there is none)."""
    from apps.accounts.models import User

    user = User.objects.filter(handling_unit=unit, is_active=True).first()
    return user or UserFactory(username=f"unit_{unit.pk}", roles=[roles.UNIT], handling_unit=unit)


# --- items in a state, through the services ---------------------------------------------------------------

def _fresh(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_related("jurisdiction", "session").get(pk=proposal.pk)


def make_draft(*, mandate=None, kind: str = Kind.SUGGESTION, user=None, **fields) -> Proposal:
    """A draft through ``proposal_create``; ``mandate`` is the lead's (a new municipal one unless given)."""
    from apps.proposals.services import submission

    mandate = mandate or MandateFactory()
    fields.setdefault("title", "关于改善老旧小区供暖条件的建议" if kind == Kind.SUGGESTION else "关于制定物业管理条例的议案")
    fields.setdefault("content", "部分老旧小区冬季室温不达标，建议改造供热管网。")
    if kind == Kind.MOTION:
        fields.setdefault("grounds", "现行规定已不适应实际需要。")
        fields.setdefault("plan", "建议由常委会制定相关条例。")
    return submission.proposal_create(user=user or deputy_for(mandate.person), mandate=mandate, kind=kind,
                                      **fields)


def make_submitted(*, cosigners: int | None = None, **kwargs) -> Proposal:
    """Submitted by the lead; motions get enough confirmed co-signers (``rules.min_signers``) unless
    ``cosigners`` says how many."""
    from apps.proposals import rules
    from apps.proposals.services import submission

    proposal = make_draft(**kwargs)
    if cosigners is None:
        cosigners = rules.min_signers(proposal) - 1 if proposal.kind == Kind.MOTION else 0
    if cosigners:
        add_cosigners(proposal, cosigners, confirmed=True)
    lead = lead_signature(proposal)
    submission.proposal_submit(proposal=_fresh(proposal), user=deputy_for(lead.person))
    return _fresh(proposal)


def make_registered(*, staff=None, category: str | Category = "教育", is_key: bool = False, **kwargs) -> Proposal:
    from apps.proposals.services import submission

    proposal = make_submitted(**kwargs)
    staff = staff or staff_for(proposal.jurisdiction)
    if isinstance(category, str):
        category = Category.objects.get(name=category)
    submission.proposal_register(proposal=proposal, user=staff, category=category, is_key=is_key)
    return _fresh(proposal)


def make_docketed(*, opinion: str = "符合议案要求，同意立案。", **kwargs) -> Proposal:
    from apps.proposals.services import submission

    kwargs.setdefault("kind", Kind.MOTION)
    proposal = make_registered(**kwargs)
    staff = kwargs.get("staff") or staff_for(proposal.jurisdiction)
    submission.motion_docket(proposal=proposal, user=staff, opinion=opinion)
    return _fresh(proposal)


def make_assigned(*, lead_unit=None, co_units=(), **kwargs) -> Proposal:
    """Assigned to ``lead_unit`` (a new unit of the item's jurisdiction unless given) and ``co_units``; motions
    are docketed first."""
    from apps.proposals.services import handling

    if kwargs.get("kind") == Kind.MOTION:
        proposal = make_docketed(**kwargs)
    else:
        proposal = make_registered(**kwargs)
    staff = kwargs.get("staff") or staff_for(proposal.jurisdiction)
    lead_unit = lead_unit or HandlingUnitFactory(jurisdiction=proposal.jurisdiction)
    handling.proposal_assign(proposal=proposal, user=staff, lead_unit=lead_unit, co_units=list(co_units))
    return _fresh(proposal)


def lead_assignment(proposal: Proposal, round_: int | None = None) -> Assignment:
    """The live lead assignment of the item's present round (or of ``round_``)."""
    return proposal.assignments.select_related("unit").get(
        role=Assignment.Role.LEAD, round=round_ or proposal.round,
        state__in=[Assignment.State.PENDING, Assignment.State.ACCEPTED])


def send_co_opinions(proposal: Proposal, opinion: str = "同意主办单位的办理意见。") -> None:
    """Every co-unit of the present round signs for the item and sends its opinion (the lead unit's reply
    waits for them)."""
    from apps.proposals.services import handling

    for co in proposal.assignments.filter(role=Assignment.Role.CO, round=proposal.round,
                                          state__in=[Assignment.State.PENDING, Assignment.State.ACCEPTED],
                                          opinion_at__isnull=True, opinion_waived_at__isnull=True):
        user = unit_user_for(co.unit)
        if co.state == Assignment.State.PENDING:
            handling.assignment_accept(assignment=co, user=user)
        handling.co_opinion_submit(assignment=co, user=user, opinion=opinion)


def make_handling(**kwargs) -> Proposal:
    """Assigned, and the lead unit has signed for it (co-units have not)."""
    from apps.proposals.services import handling

    proposal = make_assigned(**kwargs)
    assignment = lead_assignment(proposal)
    handling.assignment_accept(assignment=assignment, user=unit_user_for(assignment.unit))
    return _fresh(proposal)


def make_replied(*, reply_class: str = "A", promised_on: datetime.date | None = None,
                 reply_text: str = "经研究，已将该事项列入年度计划并组织实施。", **kwargs) -> Proposal:
    """Handled and replied by the lead unit with ``reply_class`` (B and C get a promised date a quarter on)."""
    from apps.proposals.services import handling

    proposal = make_handling(**kwargs)
    assignment = lead_assignment(proposal)
    send_co_opinions(proposal)
    code = reply_class
    if code in ("B", "C") and promised_on is None:
        promised_on = timezone.localdate() + datetime.timedelta(days=91)
    handling.reply_submit(assignment=assignment, user=unit_user_for(assignment.unit),
                          reply_class=ReplyClass.objects.get(code=code), text=reply_text, promised_on=promised_on)
    return _fresh(proposal)


def rate_all(proposal: Proposal, result: str = Rating.Result.SATISFIED) -> Proposal:
    """Every counting signer rates the present reply ``result``."""
    from apps.proposals.services import ratings

    for signature in proposal.signatures.select_related("person").all():
        if signature.counts:
            current = _fresh(proposal)
            if current.state != Proposal.State.REPLIED:
                break
            ratings.rating_submit(proposal=current, user=deputy_for(signature.person), result=result,
                                  comment="")
    return _fresh(proposal)


def make_rehandling(**kwargs) -> Proposal:
    """Replied in round 1 and rated 不满意 by the lead: being re-handled in round 2."""
    from apps.proposals.services import ratings

    proposal = make_replied(**kwargs)
    lead = lead_signature(proposal)
    ratings.rating_submit(proposal=proposal, user=deputy_for(lead.person), result=Rating.Result.UNSATISFIED,
                          comment="答复没有解决实际问题。")
    return _fresh(proposal)


def make_closed(**kwargs) -> Proposal:
    """Replied and rated 满意 by every counting signer."""
    return rate_all(make_replied(**kwargs), Rating.Result.SATISFIED)
