"""The liaison plan's allocator on plain data: no database (pytest-django refuses a query without ``db``)."""

from apps.liaison.allocation import Collective, Deputy, Held, Member, Proposed, allocate

MUNICIPAL, COUNTY, DELEGATION, GROUP = "municipal", "county", "delegation", "group"


def deputies(*person_ids, level=MUNICIPAL, first_mandate=1000):
    """One mandate of ``level`` per person, in the order given; mandate ids follow the person ids."""
    return [Deputy(first_mandate + p, p, level) for p in person_ids]


def test_a_member_gets_the_first_deputies_in_order_never_themself():
    me = Member(1, person_id=11, term_id=100, needs=((MUNICIPAL, 2),))

    proposed = allocate(members=[me], deputies=deputies(11, 12, 13, 14))

    assert proposed == [Proposed(1, MUNICIPAL, 1012), Proposed(1, MUNICIPAL, 1013)]


def test_deputies_are_spread_nobody_gets_a_second_member_before_each_has_one():
    members = [Member(i, person_id=90 + i, term_id=100, needs=((MUNICIPAL, 1),)) for i in (1, 2, 3)]

    proposed = allocate(members=members, deputies=deputies(11, 12))

    # the third member gets the least assigned again, the first in order among equals
    assert proposed == [Proposed(1, MUNICIPAL, 1011), Proposed(2, MUNICIPAL, 1012), Proposed(3, MUNICIPAL, 1011)]


def test_held_assignments_count_against_the_quota_and_the_load():
    members = [Member(1, 91, 100, needs=((MUNICIPAL, 2),)), Member(2, 92, 100, needs=((MUNICIPAL, 1),))]

    proposed = allocate(members=members, deputies=deputies(11, 12, 13), held=[Held(1, MUNICIPAL, 11)])

    assert proposed == [Proposed(1, MUNICIPAL, 1012), Proposed(2, MUNICIPAL, 1013)]


def test_a_quota_already_met_proposes_nothing():
    me = Member(1, 91, 100, needs=((MUNICIPAL, 1), (GROUP, 1)))

    assert allocate(members=[me], deputies=deputies(11, 12), groups=[701],
                    held=[Held(1, MUNICIPAL, 12), Held(1, GROUP, 701)]) == []


def test_a_person_counts_once_across_levels():
    municipal, county = deputies(11, 12), deputies(11, 12, 13, level=COUNTY, first_mandate=2000)
    members = [Member(1, 91, 100, needs=((MUNICIPAL, 1), (COUNTY, 1))), Member(2, 92, 100, needs=((COUNTY, 1),))]

    proposed = allocate(members=members, deputies=municipal + county)

    # member 1 has person 11 already (municipal): not again as a county deputy; person 12 is then assigned once,
    # so member 2 gets person 13, the only one nobody has
    assert proposed == [Proposed(1, MUNICIPAL, 1011), Proposed(1, COUNTY, 2012), Proposed(2, COUNTY, 2013)]


def test_a_member_who_is_a_deputy_of_the_level_is_not_given_themself_even_when_least_assigned():
    members = [Member(1, 91, 100, needs=((MUNICIPAL, 1),)), Member(2, 12, 100, needs=((MUNICIPAL, 1),))]

    proposed = allocate(members=members, deputies=deputies(11, 12))

    # person 12 is nobody's yet, but is member 2 themself: member 2 gets person 11 a second time
    assert proposed == [Proposed(1, MUNICIPAL, 1011), Proposed(2, MUNICIPAL, 1011)]


def test_delegations_are_the_members_own_terms_and_spread_across_terms():
    members = [Member(1, 91, 100, needs=((DELEGATION, 1),)), Member(2, 92, 100, needs=((DELEGATION, 1),)),
               Member(3, 93, 200, needs=((DELEGATION, 1),)), Member(4, 94, 100, needs=((DELEGATION, 1),)),
               Member(5, 95, 300, needs=((DELEGATION, 1),))]

    proposed = allocate(members=members, delegations={100: [501, 502], 200: [601]}, held=[Held(9, DELEGATION, 601)])

    assert proposed == [Proposed(1, DELEGATION, 501), Proposed(2, DELEGATION, 502),
                        Proposed(3, DELEGATION, 601), Proposed(4, DELEGATION, 501)]  # term 300 has none


def test_a_collective_quota_is_dealt_to_the_covered_member_with_the_fewest():
    members = [Member(1, 91, 100), Member(2, 92, 100), Member(3, 93, 100)]
    council = Collective(GROUP, quantity=4, member_ids=(1, 2))

    proposed = allocate(members=members, collective=[council], groups=[701, 702, 703, 704, 705],
                        held=[Held(2, GROUP, 701), Held(3, GROUP, 702)])

    # 701 counts as covered; member 1 has fewest, then both have one (the first among equals), then member 2;
    # 702 is held by a member outside the council: it may be given, but after the groups nobody has
    assert proposed == [Proposed(1, GROUP, 703), Proposed(1, GROUP, 704), Proposed(2, GROUP, 705)]


def test_it_stops_when_the_candidates_run_out():
    members = [Member(1, 91, 100, needs=((MUNICIPAL, 3), (GROUP, 2)))]
    council = Collective(GROUP, quantity=5, member_ids=(1,))

    proposed = allocate(members=members, collective=[council], deputies=deputies(11), groups=[701])

    assert proposed == [Proposed(1, MUNICIPAL, 1011), Proposed(1, GROUP, 701)]


def test_a_collective_quota_with_no_member_covered_proposes_nothing():
    council = Collective(GROUP, quantity=3, member_ids=())

    assert allocate(members=[Member(1, 91, 100)], collective=[council], groups=[701, 702]) == []


def test_the_same_data_gives_the_same_proposal_whatever_the_order_of_the_held_assignments():
    members = [Member(i, 90 + i, 100, needs=((MUNICIPAL, 2), (DELEGATION, 1))) for i in range(1, 6)]
    data = {"members": members, "deputies": deputies(*range(11, 20)), "delegations": {100: [501, 502, 503]},
            "collective": [Collective(GROUP, 3, (1, 2))], "groups": [701, 702, 703, 704]}
    held = [Held(1, MUNICIPAL, 13), Held(2, MUNICIPAL, 13), Held(3, DELEGATION, 502), Held(2, GROUP, 704)]

    first = allocate(**data, held=held)

    assert first == allocate(**data, held=list(reversed(held)))
    assert len(first) == (5 * 2 - 2) + (5 - 1) + (3 - 1)  # deputies, delegations, the council's groups
