"""Builders shared by the plans, compliance and reminder tests."""

import datetime

from apps.committee.models import CommitteeMember, Post
from apps.deputies.models import Level
from apps.liaison.models import Contact, LiaisonAssignment
from tests.factories import DelegationFactory, DeputyGroupFactory, MandateFactory, PersonFactory, TermFactory

START = datetime.date(2022, 1, 1)
STEMS = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥"


def member(term, post=Post.MEMBER, *, name=None, user=None, **kwargs) -> CommitteeMember:
    person = PersonFactory(name=name) if name else PersonFactory()
    return CommitteeMember.objects.create(term=term, jurisdiction=term.jurisdiction, person=person, post=post,
                                          user=user, start_date=kwargs.pop("start_date", START), **kwargs)


def deputies(term, n: int, *, prefix: str, **kwargs) -> list:
    """``n`` serving mandates in ``term``: 市甲, 市乙, 市丙, ... (up to 22)."""
    return [MandateFactory(term=term, person=PersonFactory(name=f"{prefix}{STEMS[i]}"), **kwargs) for i in range(n)]


def city_roster(city, city_term, *, national=2, provincial=3, municipal=10, delegations=3, groups=14) -> dict:
    """The city's national, provincial and municipal deputies, the municipal congress's delegations and the
    city's deputy groups."""
    national_term = TermFactory(jurisdiction=city, level=Level.NATIONAL, number=14, name="全国第十四届")
    provincial_term = TermFactory(jurisdiction=city, level=Level.PROVINCIAL, number=14, name="省第十四届")
    return {
        "national": deputies(national_term, national, prefix="国"),
        "provincial": deputies(provincial_term, provincial, prefix="省"),
        "municipal": deputies(city_term, municipal, prefix="市"),
        "delegations": [DelegationFactory(term=city_term, name=f"代表团{i}") for i in range(delegations)],
        "groups": [DeputyGroupFactory(jurisdiction=city, name=f"小组{i:02d}") for i in range(groups)],
    }


def council(city_term) -> list[CommitteeMember]:
    return [member(city_term, Post.DIRECTOR, name="主任甲"), member(city_term, Post.VICE_DIRECTOR, name="副主任乙"),
            member(city_term, Post.VICE_DIRECTOR, name="副主任丙"),
            member(city_term, Post.SECRETARY_GENERAL, name="秘书长丁")]


def assign(plan, member, *, mandate=None, delegation=None, group=None, per_year=4) -> LiaisonAssignment:
    return LiaisonAssignment.objects.create(plan=plan, member=member, mandate=mandate, delegation=delegation,
                                            group=group, contacts_per_year=per_year)


def contact(member, day: datetime.date, *, people=(), delegation=None, group=None) -> Contact:
    c = Contact.objects.create(member=member, date=day, channel="visit", delegation=delegation, group=group,
                               summary="走访")
    c.participants.set(list(people))
    return c


def ensure_default_quota_rules() -> None:
    """The default quota rules (kept present by the app's post_migrate handler after every flush)."""
    from apps.liaison.apps import ensure_default_quota_rules as ensure

    ensure()
