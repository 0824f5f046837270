"""The board's figures equal a plain-Python recomputation from the raw rows on random data, and each figure's
list holds exactly the items it counts."""

import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.core.models import Jurisdiction
from apps.proposals.models import Assignment, Deadline, Kind, Proposal, Rating
from apps.proposals.selectors.board import FIGURES, MEASURES, RATES, board, board_scope, figure_items, percent
from tests.factories import HandlingUnitFactory, JurisdictionFactory, MandateFactory, TermFactory
from tests.proposals import board_support as support
from tests.proposals.factories import CategoryFactory, SessionFactory

TODAY = support.TODAY

# Weighted towards what the board counts: lead assignments that are live, filters that keep most items.
LEAD, CO = Assignment.Role.LEAD, Assignment.Role.CO
A = Assignment.State
assignment_strategy = st.tuples(
    st.integers(0, 2),  # unit
    st.sampled_from([LEAD, LEAD, CO]),
    st.sampled_from([1, 1, 2]),  # round
    st.sampled_from([A.ACCEPTED, A.ACCEPTED, A.PENDING, A.RETURNED, A.CANCELLED]),
)
deadline_strategy = st.tuples(
    st.sampled_from(Deadline.Kind.values),
    st.booleans(),  # open
    st.integers(-30, 30),  # due, days from today
)
reply_strategy = st.tuples(
    st.sampled_from([1, 2]),  # round
    st.sampled_from(["A", "B", "C", "D"]),
    st.lists(st.sampled_from([None, *Rating.Result.values]), min_size=3, max_size=3),  # per signer
)
item_strategy = st.fixed_dictionaries({
    "state": st.sampled_from(Proposal.State.values),
    "kind": st.sampled_from(Kind.values),
    "place": st.sampled_from([0, 0, 1, 2]),  # the city, its county, another city
    "category": st.integers(0, 3),  # 3: none
    "session": st.integers(0, 2),  # 2: none
    "year": st.sampled_from([2025, 2026]),
    "cosigners": st.integers(0, 2),
    "assignments": st.lists(assignment_strategy, max_size=4),
    "deadlines": st.lists(deadline_strategy, max_size=3),
    "replies": st.lists(reply_strategy, max_size=2),
})
filter_strategy = st.fixed_dictionaries({
    "session": st.sampled_from([2, 2, 2, 0, 1]),  # 2: all sessions
    "year": st.sampled_from([None, None, 2025, 2026]),
    "kind": st.sampled_from([None, None, *Kind.values]),
    "root": st.sampled_from([0, 0, 1]),  # the city's board or the county's
})


class _Rollback(Exception):
    pass


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(items=st.lists(item_strategy, min_size=1, max_size=12), filters=filter_strategy)
def test_every_figure_equals_a_recomputation_from_raw_rows(items, filters):
    try:
        with transaction.atomic():
            _property(items, filters)
            raise _Rollback
    except _Rollback:
        pass


def _build(items):
    city = JurisdictionFactory(kind=Jurisdiction.Kind.CITY)
    county = JurisdictionFactory(parent=city)
    elsewhere = JurisdictionFactory(kind=Jurisdiction.Kind.CITY)
    places = [city, county, elsewhere]
    terms = [TermFactory(jurisdiction=j) for j in places]
    signers = {j.pk: [MandateFactory(term=t) for _i in range(3)] for j, t in zip(places, terms)}
    units = [HandlingUnitFactory(jurisdiction=city) for _i in range(3)]
    categories = [CategoryFactory(name=name) for name in ("经济", "教育", "卫生")]
    sessions = [SessionFactory(term=terms[0], number=n) for n in (1, 2)]
    for number, spec in enumerate(items, start=1):
        place = places[spec["place"]]
        mandates = signers[place.pk]
        proposal = support.item(
            mandate=mandates[0], cosigners=mandates[1:1 + spec["cosigners"]], state=spec["state"],
            kind=spec["kind"], year=spec["year"], number=number,
            category=categories[spec["category"]] if spec["category"] < 3 else None,
            session=sessions[spec["session"]] if spec["session"] < 2 else None)
        rows = []
        for unit, role, round_, state in spec["assignments"]:
            live = state in support.LIVE
            clash = any(r.round == round_ and r.state in support.LIVE and live
                        and (r.unit_id == units[unit].pk or (r.role == role == Assignment.Role.LEAD))
                        for r in rows)
            if not clash:
                rows.append(support.assign(proposal, units[unit], role=role, round_=round_, state=state))
        for kind, is_open, due in spec["deadlines"]:
            support.deadline(rows[0] if rows else None, proposal=proposal, kind=kind, is_open=is_open,
                             due_on=TODAY + datetime.timedelta(days=due))
        leads = [r for r in rows if r.role == Assignment.Role.LEAD]
        signatures = list(proposal.signatures.order_by("pk"))
        done_rounds = set()
        for round_, code, results in spec["replies"]:
            if not leads or round_ in done_rounds:
                continue  # a reply is written on a lead assignment, once per round
            done_rounds.add(round_)
            answer = support.reply(leads[0], code=code, round_=round_)
            for signature, result in zip(signatures, results):
                if result is not None:
                    support.rate(answer, signature, result)
    return places, sessions


def _property(items, filters):
    places, sessions = _build(items)
    root = places[filters["root"]]
    session = sessions[filters["session"]] if filters["session"] < 2 else None
    base = Proposal.objects.filter(jurisdiction__path__startswith=root.path)
    scope = board_scope(base, session=session, year=filters["year"], kind=filters["kind"])

    figures = board(scope, today=TODAY)

    expected = support.recompute(path=root.path, today=TODAY, session_id=session.pk if session else None,
                                 year=filters["year"], kind=filters["kind"])
    assert support.board_lines(figures) == support.sizes(expected)
    for name, (numerator, denominator) in RATES.items():
        total = expected["total"]
        assert getattr(figures.totals, name) == percent(len(total[numerator]), len(total[denominator]))
    # The list behind each figure of each line is exactly the items counted.
    for name in FIGURES:
        listed = set(figure_items(scope, figure=name, today=TODAY).values_list("pk", flat=True))
        assert listed == expected["total"][name], name
    for line, members in expected.items():
        if line == "total":
            continue
        for figure in MEASURES:
            kwargs = {"unit_id": line[1]} if line[0] == "unit" else {"category": line[1]}
            listed = set(figure_items(scope, figure=figure.name, today=TODAY, **kwargs).values_list("pk", flat=True))
            assert listed == members[figure.name], (line, figure.name)
