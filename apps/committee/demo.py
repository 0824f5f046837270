"""Demo composition of 长春's standing committee: its special committees and its members (常委会组成人员).

Run by ``manage.py seed_demo`` after ``apps.deputies.demo`` and before the apps that name committee members
(liaison's plan and contacts, proposals' supervisions, the covenant's attendance). ``changchun`` scale: 60
members (a director, 6 vice directors, a secretary-general, 52 members); ``small``: 10. Members are municipal
deputies (the congress elects its standing committee from among its deputies); the ``member`` account is a vice
director, a man renamed after the account (孙建国), who contacts 张三丰 (the ``deputy`` account) in the liaison demo.
The members are left in ``ctx.committee`` (in post order) and the account's row in ``ctx.account_member``.
"""

from __future__ import annotations

from django.db import connection
from simple_history.utils import bulk_create_with_history

from apps.committee.models import CommitteeMember, Post, SpecialCommittee
from apps.core.demo import DemoContext, wipe
from apps.deputies.models import Level, Mandate, Person

SPECIAL_COMMITTEES = ["法制委员会", "监察和司法委员会", "财政经济委员会", "教育科学文化卫生委员会", "城乡建设环境保护委员会",
                      "农业与农村委员会", "民族侨务外事委员会", "社会建设委员会"]
# Posts: director, vice directors, secretary-general, members.
COMPOSITION = {"changchun": (1, 6, 1, 52), "small": (1, 2, 1, 6)}
MEMBER_ACCOUNT_NAME = "孙建国"


def has_data() -> bool:
    return CommitteeMember.objects.exists()


def seed(ctx: DemoContext) -> None:
    rng, term, city = ctx.rng, ctx.municipal_term, ctx.city
    municipal = [m for m in ctx.mandates if m.status == Mandate.Status.SERVING and m.level == Level.MUNICIPAL]
    people_by_pk = {p.pk: p for p in ctx.people}
    committees = bulk_create_with_history(
        [SpecialCommittee(jurisdiction=city, name=name) for name in SPECIAL_COMMITTEES], SpecialCommittee)
    director, vice, secretary, members = COMPOSITION[ctx.scale]
    posts = ([Post.DIRECTOR] * director + [Post.VICE_DIRECTOR] * vice + [Post.SECRETARY_GENERAL] * secretary
             + [Post.MEMBER] * members)
    known = ctx.zhang_sanfeng.pk
    pool = sorted({m.person_id for m in municipal} - {known})
    chosen = rng.sample(pool, len(posts))
    # The ``member`` account: the first vice director, a man renamed after the account (孙建国).
    account = ctx.accounts["member"]
    men = [pk for pk in chosen if people_by_pk[pk].gender == "male"]
    account_pk = men[0] if men else chosen[0]
    vice_index = posts.index(Post.VICE_DIRECTOR)
    chosen.remove(account_pk)
    chosen.insert(vice_index, account_pk)
    person = Person.objects.get(pk=account_pk)
    person.name = MEMBER_ACCOUNT_NAME
    person.save()  # recomputes the pinyin; the roster's history shows the change

    committee = bulk_create_with_history([
        CommitteeMember(term=term, jurisdiction=city, person_id=pk, post=post,
                        user=account if pk == account_pk else None, start_date=term.start_date)
        for pk, post in zip(chosen, posts)
    ], CommitteeMember)
    account_member = committee[vice_index]
    account_member.person = person  # renamed: later seeders read the name from here
    through = CommitteeMember.special_committees.through
    links = []
    for index, member in enumerate(committee):
        if member.post == Post.MEMBER and rng.random() < 0.7:
            links.append(through(committeemember_id=member.pk,
                                 specialcommittee_id=committees[index % len(committees)].pk))
    through.objects.bulk_create(links)
    ctx.committee, ctx.account_member = committee, account_member
    ctx.log(f"committee: {len(committee)} members, {len(committees)} special committees")


def reset(ctx: DemoContext) -> None:
    """Delete the committee's demo members and special committees (the apps above have deleted their rows
    naming them first: ``seed_demo`` resets in reverse order)."""
    from django.apps import apps

    history = apps.get_model("committee", "HistoricalCommitteeMember_special_committees")
    with connection.cursor() as cursor:
        for model in (history, CommitteeMember.special_committees.through):
            cursor.execute(f'DELETE FROM "{model._meta.db_table}"')
    wipe(CommitteeMember, SpecialCommittee)
