"""factory-boy factories for every model, with valid Chinese ID numbers."""

import datetime
import random

import factory
from django.contrib.auth.models import Group

from apps.accounts.models import User
from apps.core.models import HandlingUnit, Jurisdiction, Notification
from apps.deputies.models import Delegation, DeputyGroup, ElectoralUnit, Level, Mandate, Person, Term
from apps.deputies.validators import id_check_digit

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉梅海燕文斌宇浩凯鹏辉晶"


def make_id_number(birth: datetime.date, region: str = "220102", seq: int | None = None) -> str:
    seq = random.randint(0, 999) if seq is None else seq
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_check_digit(first17)


class JurisdictionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Jurisdiction

    name = factory.Sequence(lambda n: f"测试区{n}")
    code = factory.Sequence(lambda n: f"J{n:05d}")
    kind = Jurisdiction.Kind.COUNTY
    parent = None


class HandlingUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HandlingUnit

    name = factory.Sequence(lambda n: f"市测试局{n}")
    jurisdiction = factory.SubFactory(JurisdictionFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.gov.cn")
    password = factory.django.Password("Renda@2026")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*[Group.objects.get_or_create(name=r)[0] for r in extracted])


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.LazyFunction(lambda: random.choice(SURNAMES) + "".join(random.sample(GIVEN, random.choice([1, 2]))))
    gender = factory.Iterator(["male", "female"])
    ethnicity = "汉族"
    id_number = factory.Sequence(lambda n: make_id_number(datetime.date(1970, 1, 1) + datetime.timedelta(days=n % 9000),
                                                          seq=n % 1000))
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    party = "cpc"
    education = "bachelor"
    employer = "长春市某单位"
    post = "职员"

    @factory.lazy_attribute
    def birth_date(self):
        from apps.deputies.validators import id_birth_date

        return id_birth_date(self.id_number)


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term
        django_get_or_create = ["jurisdiction", "level", "number"]

    jurisdiction = factory.SubFactory(JurisdictionFactory)
    level = Level.MUNICIPAL
    number = 16
    name = factory.LazyAttribute(lambda o: f"{o.jurisdiction.name}第{o.number}届")
    start_date = datetime.date(2022, 1, 1)


class ElectoralUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ElectoralUnit

    jurisdiction = factory.SubFactory(JurisdictionFactory)
    level = Level.MUNICIPAL
    name = factory.Sequence(lambda n: f"选举单位{n}")


class DelegationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delegation

    term = factory.SubFactory(TermFactory)
    name = factory.Sequence(lambda n: f"代表团{n}")


class DeputyGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeputyGroup

    jurisdiction = factory.SubFactory(JurisdictionFactory)
    name = factory.Sequence(lambda n: f"代表小组{n}")


class MandateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mandate

    person = factory.SubFactory(PersonFactory)
    term = factory.SubFactory(TermFactory)
    level = factory.SelfAttribute("term.level")
    jurisdiction = factory.SelfAttribute("term.jurisdiction")
    start_date = factory.SelfAttribute("term.start_date")
    status = Mandate.Status.SERVING


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"通知{n}")
