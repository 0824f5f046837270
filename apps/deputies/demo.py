"""Demo roster modelled on 长春: terms of the five levels, delegations, deputy groups, electoral units, people.

``changchun`` scale gives about 9,000 mandates (national ~40, provincial ~150, municipal 500, county 3,000,
township ~5,200; a few hundred people hold two), ``small`` about 200. Rows are written with
``bulk_create_with_history`` so the large set takes seconds. Called by ``manage.py seed_demo`` after
``apps.core.demo``; leaves ``ctx.terms``, ``ctx.municipal_term``, ``ctx.delegations``, ``ctx.groups``,
``ctx.people``, ``ctx.mandates`` and ``ctx.zhang_sanfeng`` (the ``deputy`` account's person) for later seeders.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

from simple_history.utils import bulk_create_with_history

from apps.core.demo import HANDLING_UNITS, SURNAMES, DemoContext, person_name, wipe
from apps.deputies.demo_support import PHONE_PREFIXES, ROADS, VILLAGES, chinese_numeral
from apps.deputies.models import (
    Delegation, DeputyGroup, Education, ElectoralUnit, Gender, Level, Mandate, Occupation, Party, Person, Term,
)
from apps.deputies.validators import id_check_digit, pinyin_of

# Seats per level; county seats per county; township seats drawn per township.
LARGE = {"national": 40, "provincial": 150, "municipal": 500, "township": (42, 77)}
SMALL = {"national": 2, "provincial": 6, "municipal": 40, "county": 8, "township": (3, 3)}
COUNTY_SEATS = {"南关区": 250, "宽城区": 240, "朝阳区": 270, "二道区": 230, "绿园区": 250, "双阳区": 180,
                "九台区": 280, "农安县": 330, "榆树市": 340, "德惠市": 310, "公主岭市": 320}
# People holding a second mandate: (from level, to level) → how many (large, small).
SECOND_MANDATES = {("provincial", "municipal"): (15, 1), ("municipal", "county"): (150, 3),
                   ("county", "township"): (180, 3)}

DEV_ZONE_DELEGATIONS = [("长春新区代表团", 35), ("经济技术开发区代表团", 28), ("净月高新技术产业开发区代表团", 28),
                        ("汽车经济技术开发区代表团", 26)]
MILITARY_DELEGATION = ("解放军代表团", 20)

# Composition by level (weights).
FEMALE_SHARE = {"national": 0.27, "provincial": 0.29, "municipal": 0.31, "county": 0.30, "township": 0.28}
DEMOCRATIC_PARTIES = [(Party.CDL, 3), (Party.CNDCA, 3), (Party.CAPD, 2), (Party.JIUSAN, 2), (Party.CPWDP, 2),
                      (Party.RCCK, 1), (Party.ZHI_GONG, 1), (Party.TDSGL, 0.3)]
PARTY_MIX = {  # CPC, democratic parties, without party affiliation, the masses
    "national": (70, 12, 6, 12), "provincial": (70, 10, 6, 14), "municipal": (68, 9, 5, 18),
    "county": (64, 4, 3, 29), "township": (60, 1, 1, 38),
}
EDUCATION_MIX = {
    "national": [(Education.DOCTORATE, 12), (Education.MASTER, 35), (Education.BACHELOR, 43),
                 (Education.COLLEGE, 7), (Education.SECONDARY, 3)],
    "provincial": [(Education.DOCTORATE, 8), (Education.MASTER, 30), (Education.BACHELOR, 45),
                   (Education.COLLEGE, 12), (Education.SECONDARY, 5)],
    "municipal": [(Education.DOCTORATE, 5), (Education.MASTER, 25), (Education.BACHELOR, 50),
                  (Education.COLLEGE, 14), (Education.SECONDARY, 6)],
    "county": [(Education.DOCTORATE, 1), (Education.MASTER, 10), (Education.BACHELOR, 50),
               (Education.COLLEGE, 25), (Education.SECONDARY, 13), (Education.PRIMARY, 1)],
    "township": [(Education.MASTER, 3), (Education.BACHELOR, 30), (Education.COLLEGE, 32),
                 (Education.SECONDARY, 32), (Education.PRIMARY, 3)],
}
MANUAL_EDUCATION = [(Education.BACHELOR, 10), (Education.COLLEGE, 30), (Education.SECONDARY, 55),
                    (Education.PRIMARY, 5)]
OCCUPATION_MIX = {
    "national": [(Occupation.OFFICIAL, 33), (Occupation.WORKER, 10), (Occupation.FARMER, 8),
                 (Occupation.PROFESSIONAL, 22), (Occupation.BUSINESS, 20), (Occupation.MILITARY, 4),
                 (Occupation.OTHER, 3)],
    "provincial": [(Occupation.OFFICIAL, 35), (Occupation.WORKER, 12), (Occupation.FARMER, 10),
                   (Occupation.PROFESSIONAL, 20), (Occupation.BUSINESS, 18), (Occupation.MILITARY, 3),
                   (Occupation.OTHER, 2)],
    "municipal": [(Occupation.OFFICIAL, 33), (Occupation.WORKER, 14), (Occupation.FARMER, 10),
                  (Occupation.PROFESSIONAL, 20), (Occupation.BUSINESS, 18), (Occupation.OTHER, 5)],
    "county": [(Occupation.OFFICIAL, 30), (Occupation.WORKER, 15), (Occupation.FARMER, 20),
               (Occupation.PROFESSIONAL, 17), (Occupation.BUSINESS, 13), (Occupation.OTHER, 5)],
    "township": [(Occupation.OFFICIAL, 22), (Occupation.WORKER, 10), (Occupation.FARMER, 45),
                 (Occupation.PROFESSIONAL, 10), (Occupation.BUSINESS, 8), (Occupation.OTHER, 5)],
}
SECTORS = {
    Occupation.OFFICIAL: "党政机关", Occupation.WORKER: "工人", Occupation.FARMER: "农民",
    Occupation.PROFESSIONAL: "专业技术人员", Occupation.BUSINESS: "企业", Occupation.MILITARY: "解放军",
    Occupation.OTHER: "社会组织和其他",
}
ETHNICITIES = [("汉族", 925), ("满族", 40), ("朝鲜族", 15), ("回族", 12), ("蒙古族", 6), ("锡伯族", 2)]
ETHNIC_SURNAMES = {"满族": "关佟那赵王富金", "朝鲜族": "金朴李崔郑姜全", "回族": "马回杨白米", "蒙古族": "包白宝韩",
                   "锡伯族": "关吴韩"}
ETHNIC_TOWNSHIPS = {"回族乡": "回族", "满族乡": "满族", "满族镇": "满族", "朝鲜族乡": "朝鲜族"}
OTHER_REGIONS = ["220202", "220203", "220302", "220402", "220502", "220602", "220702", "220802",
                 "230102", "230103", "210102", "210202", "150102", "370102", "130102", "110105"]

WORK_UNITS = [
    "中国第一汽车集团有限公司", "一汽-大众汽车有限公司", "一汽解放集团股份有限公司", "中车长春轨道客车股份有限公司",
    "长春一汽富维汽车零部件股份有限公司", "吉林亚泰（集团）股份有限公司", "长春欧亚集团股份有限公司",
    "国网长春供电公司", "长春燃气股份有限公司", "长春市公共交通（集团）有限责任公司", "吉林皓月清真肉业股份有限公司",
    "长春长光辰芯微电子股份有限公司", "长春市供热（集团）有限公司", "长春水务集团有限公司",
]
WORKER_POSTS = ["装配工", "钳工", "电焊工", "高级技师", "技师", "班组长", "车间主任", "调度员", "质检员", "驾驶员"]
FARMER_POSTS = ["村民", "村民", "村党支部书记", "村民委员会主任", "种粮大户", "家庭农场主", "农民专业合作社理事长"]
PROFESSIONAL_UNITS = [
    ("吉林大学", ["教授", "副教授", "研究员"]), ("东北师范大学", ["教授", "副教授"]),
    ("长春理工大学", ["教授", "副教授"]), ("长春工业大学", ["教授", "副教授"]), ("长春中医药大学", ["教授"]),
    ("吉林大学第一医院", ["主任医师", "副主任医师", "护士长"]), ("吉林大学第二医院", ["主任医师", "副主任医师"]),
    ("长春市中心医院", ["院长", "主任医师", "护士长"]), ("长春市儿童医院", ["主任医师", "副主任医师"]),
    ("东北师范大学附属中学", ["校长", "高级教师"]), ("长春市实验中学", ["校长", "高级教师", "教师"]),
    ("长春市第十一高级中学", ["校长", "高级教师"]), ("中国科学院长春光学精密机械与物理研究所", ["研究员", "高级工程师"]),
    ("中国科学院长春应用化学研究所", ["研究员", "副研究员"]), ("吉林省农业科学院", ["研究员", "农艺师"]),
    ("吉林长风律师事务所", ["主任", "律师"]), ("长春电影制片厂", ["导演", "演员"]),
]
BRANDS = ["华信", "宏达", "金源", "长盛", "北方", "天成", "润达", "鸿业", "嘉禾", "盛世", "永信", "东盛", "瑞丰",
          "恒泰", "吉祥", "万通", "新星", "泰和", "宏图", "丰源", "黑土地", "春城", "关东", "松辽"]
INDUSTRIES = ["农业发展", "建筑工程", "食品", "汽车零部件", "物流", "科技", "商贸", "医药", "米业", "牧业", "光电",
              "新材料", "房地产开发", "装饰工程"]
BUSINESS_POSTS = ["董事长", "总经理", "董事长兼总经理", "执行董事", "副总经理"]
MILITARY_UNITS = [("中国人民解放军某部", ["政治委员", "司令员", "参谋长", "团长", "营长", "四级军士长"]),
                  ("长春警备区", ["司令员", "政治委员"]), ("武警吉林省总队长春支队", ["支队长", "政治委员", "中队长"])]
COUNTY_DEPARTMENTS = ["教育局", "财政局", "农业农村局", "卫生健康局", "住房和城乡建设局", "民政局",
                      "人力资源和社会保障局", "市场监督管理局"]
END_REASONS = [(Mandate.EndReason.TRANSFERRED, 35), (Mandate.EndReason.RESIGNED, 30),
               (Mandate.EndReason.TERMINATED, 20), (Mandate.EndReason.DECEASED, 10),
               (Mandate.EndReason.RECALLED, 5)]
TODAY = date(2026, 1, 1)  # fixed, so that the same seed gives the same data whatever the day


def has_data() -> bool:
    return Person.objects.exists()


def seed(ctx: DemoContext) -> None:
    builder = _RosterBuilder(ctx)
    builder.build()
    builder.save()
    _seed_deputy_account(ctx)


def reset(ctx: DemoContext) -> None:
    from apps.accounts.models import User

    User.objects.filter(person__isnull=False).update(person=None)
    wipe(Mandate, Person, DeputyGroup, Delegation, ElectoralUnit, Term)


def _pick(rng, weighted):
    values, weights = zip(*weighted)
    return rng.choices(values, weights)[0]


class _RosterBuilder:
    """Builds the roster in memory (terms, bodies, people, mandates), then writes it in a few bulk inserts."""

    def __init__(self, ctx: DemoContext):
        self.ctx = ctx
        self.rng = ctx.rng
        self.terms: list[Term] = []
        self.units: list[ElectoralUnit] = []
        self.delegations: list[Delegation] = []
        self.groups: list[DeputyGroup] = []
        self.people: list[Person] = []
        self.mandates: list[Mandate] = []
        self.id_numbers: set[str] = set()
        self.home: dict[int, tuple[str, object]] = {}  # id(person) → (county name, township or None)
        self.held: dict[int, int] = {}  # id(person) → mandates held
        self.by_level: dict[str, list[Person]] = {lvl.value: [] for lvl in Level}

    # --- bodies -------------------------------------------------------------------------------------
    def _term(self, jurisdiction, level, number, name, start):
        term = Term(jurisdiction=jurisdiction, level=level, number=number, name=name, start_date=start)
        self.terms.append(term)
        return term

    def _unit(self, jurisdiction, level, name, area=None):
        unit = ElectoralUnit(jurisdiction=jurisdiction, level=level, name=name, area=area)
        self.units.append(unit)
        return unit

    def _group(self, jurisdiction, name):
        group = DeputyGroup(jurisdiction=jurisdiction, name=name)
        self.groups.append(group)
        return group

    def _delegation(self, term, name):
        delegation = Delegation(term=term, name=name)
        self.delegations.append(delegation)
        return delegation

    # --- people -------------------------------------------------------------------------------------
    def _id_number(self, region: str, birth: date, female: bool) -> str:
        while True:
            seq = self.rng.randrange(0, 1000)
            if (seq % 2 == 0) != female:  # the 17th digit is odd for men, even for women
                seq = (seq + 1) % 1000
            first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
            number = first17 + id_check_digit(first17)
            if number not in self.id_numbers:
                self.id_numbers.add(number)
                return number

    def _person(self, level: str, county: str, township=None, occupation=None) -> Person:
        rng, ctx = self.rng, self.ctx
        female = rng.random() < FEMALE_SHARE[level]
        ethnicity = _pick(rng, ETHNICITIES)
        if township is not None:
            for suffix, people in ETHNIC_TOWNSHIPS.items():
                if township.name.endswith(suffix) and rng.random() < 0.45:
                    ethnicity = people
        surname = rng.choice(ETHNIC_SURNAMES[ethnicity]) if ethnicity in ETHNIC_SURNAMES and rng.random() < 0.7 \
            else rng.choice(SURNAMES)
        low_age = {"national": 40, "provincial": 38, "municipal": 32, "county": 28, "township": 25}[level]
        birth = date(2022 - rng.randint(low_age, 62), 1, 1) + timedelta(days=rng.randrange(365))
        region = ctx.id_regions[county] if rng.random() < 0.88 else rng.choice(OTHER_REGIONS)
        occupation = occupation or _pick(rng, OCCUPATION_MIX[level])
        if occupation == Occupation.FARMER and township is None and ctx.townships[county]:
            township = rng.choice(ctx.townships[county])
        employer, post = self._job(level, occupation, county, township)
        education = _pick(rng, MANUAL_EDUCATION if occupation in (Occupation.WORKER, Occupation.FARMER)
                          else EDUCATION_MIX[level])
        kind = rng.choices(["cpc", "dem", "none", "masses"], PARTY_MIX[level])[0]
        if occupation in (Occupation.OFFICIAL, Occupation.MILITARY):
            kind = "cpc"
        party = {"cpc": Party.CPC, "none": Party.NONPARTISAN, "masses": Party.MASSES}.get(kind) \
            or _pick(rng, DEMOCRATIC_PARTIES)
        person = Person(
            name=person_name(rng, female, surname), gender=Gender.FEMALE if female else Gender.MALE,
            ethnicity=ethnicity, birth_date=birth, id_number=self._id_number(region, birth, female),
            phone=rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10 ** 8):08d}", party=party,
            education=education, employer=employer, post=post, sector=SECTORS[occupation], occupation=occupation,
            address=self._address(county, township if occupation == Occupation.FARMER else None),
        )
        person.name_pinyin, person.name_initials = pinyin_of(person.name)  # bulk_create skips save()
        self.people.append(person)
        self.home[id(person)] = (county, township)
        return person

    def _job(self, level, occupation, county, township) -> tuple[str, str]:
        rng = self.rng
        street = rng.choice(self.ctx.streets[county])
        if occupation == Occupation.OFFICIAL:
            head = {"区": "区长", "县": "县长", "市": "市长"}[county[-1]]
            if township is not None and level in ("county", "township") and rng.random() < 0.6:
                chief = "乡长" if township.name.endswith("乡") else "镇长"
                return rng.choice([
                    (f"中共{county}{township.name}委员会", rng.choice(["书记", "副书记", "组织委员", "宣传委员"])),
                    (f"{county}{township.name}人民政府", rng.choice([chief, "副" + chief])),
                    (f"{county}{township.name}人大主席团", rng.choice(["主席", "副主席"])),
                ])
            if level in ("national", "provincial", "municipal") and rng.random() < 0.6:
                unit = rng.choice(HANDLING_UNITS[:40])
                if unit.endswith("局"):
                    post = rng.choice(["局长", "党组书记", "副局长"])
                elif unit.endswith("有限公司"):
                    post = rng.choice(["董事长", "总经理"])
                else:
                    post = rng.choice(["主任", "副主任", "党组书记"])
                return "长春" + unit, post
            return rng.choice([
                (f"中共{county}委员会", rng.choice(["书记", "副书记", "常委"])),
                (f"{county}人民政府", rng.choice([head, "副" + head])),
                (f"{county}人大常委会", rng.choice(["主任", "副主任"])),
                (f"{county}{rng.choice(COUNTY_DEPARTMENTS)}", rng.choice(["局长", "副局长"])),
                (f"{county}{street}", rng.choice(["党工委书记", "办事处主任"])),
            ])
        if occupation == Occupation.WORKER:
            return rng.choice(WORK_UNITS), rng.choice(WORKER_POSTS)
        if occupation == Occupation.FARMER:
            place = township.name if township is not None else street
            return f"{county}{place}{rng.choice(VILLAGES)}村", rng.choice(FARMER_POSTS)
        if occupation == Occupation.PROFESSIONAL:
            if level in ("county", "township") and rng.random() < 0.6:
                return rng.choice([
                    (f"{county}人民医院", rng.choice(["院长", "主任医师", "护士长"])),
                    (f"{county}第一中学", rng.choice(["校长", "高级教师"])),
                    (f"{county}{township.name if township else street}中心小学", rng.choice(["校长", "教师"])),
                    (f"{county}{township.name + '卫生院' if township else '疾病预防控制中心'}",
                     rng.choice(["院长", "医生"]) if township else "主任"),
                ])
            unit, posts = rng.choice(PROFESSIONAL_UNITS)
            return unit, rng.choice(posts)
        if occupation == Occupation.BUSINESS:
            prefix = "长春" if level in ("national", "provincial", "municipal") else county[:-1]
            return f"{prefix}{rng.choice(BRANDS)}{rng.choice(INDUSTRIES)}有限公司", rng.choice(BUSINESS_POSTS)
        if occupation == Occupation.MILITARY:
            unit, posts = rng.choice(MILITARY_UNITS)
            return unit, rng.choice(posts)
        return rng.choice([
            (f"{county}{street}{rng.choice(VILLAGES)}社区居民委员会", rng.choice(["党委书记", "主任"])),
            ("个体工商户", "业主"), (f"{county}残疾人联合会", "理事长"), ("长春市慈善总会", "副会长"),
        ])

    def _address(self, county, township) -> str:
        rng = self.rng
        if township is not None:
            return f"吉林省长春市{county}{township.name}{rng.choice(VILLAGES)}村{rng.randint(1, 9)}组"
        return f"吉林省长春市{county}{rng.choice(ROADS)}{rng.randint(1, 3999)}号"

    # --- mandates -----------------------------------------------------------------------------------
    def _mandate(self, person, term, unit, delegation=None, group=None) -> Mandate:
        rng = self.rng
        start = term.start_date
        if rng.random() < 0.03:  # elected in a by-election during the term
            start = term.start_date + timedelta(days=rng.randint(200, 1200))
        mandate = Mandate(person=person, level=term.level, term=term, jurisdiction=term.jurisdiction,
                          electoral_unit=unit, delegation=delegation, group=group, start_date=start)
        roll = rng.random()
        if roll < 0.02:
            mandate.status = Mandate.Status.ENDED
            mandate.end_reason = _pick(rng, END_REASONS)
            mandate.end_date = min(start + timedelta(days=rng.randint(90, 1400)), TODAY)
        elif roll < 0.023:
            mandate.status = Mandate.Status.SUSPENDED
        self.mandates.append(mandate)
        self.held[id(person)] = self.held.get(id(person), 0) + 1
        self.by_level[term.level].append(person)
        return mandate

    def _second_mandates(self, from_level: str, to_level: str, county: str, count: int) -> list[Person]:
        """Holders of a ``from_level`` mandate living in ``county`` who get a second one at ``to_level``."""
        known = getattr(self.ctx, "zhang_sanfeng", None)  # keeps his one mandate, as the demo describes him
        pool = [p for p in self.by_level[from_level]
                if self.home[id(p)][0] == county and self.held[id(p)] == 1 and p is not known]
        return self.rng.sample(pool, min(count, len(pool)))

    def _second_count(self, pair: tuple[str, str], index: int, parts: int) -> int:
        """How many second mandates the ``index``-th of ``parts`` places gives (spread evenly; one each in
        the first few places at small scale)."""
        large, small = SECOND_MANDATES[pair]
        if self.ctx.large:
            return max(1, round(large / parts))
        return 1 if index < small else 0

    # --- the whole roster ---------------------------------------------------------------------------
    def build(self) -> None:
        ctx, rng = self.ctx, self.rng
        seats = LARGE if ctx.large else SMALL
        city, counties = ctx.city, ctx.counties
        county_names = list(counties)

        national = self._term(city, Level.NATIONAL, 14, "第十四届全国人民代表大会", date(2023, 3, 5))
        provincial = self._term(city, Level.PROVINCIAL, 14, "吉林省第十四届人民代表大会", date(2023, 1, 12))
        municipal = self._term(city, Level.MUNICIPAL, 16, "长春市第十六届人民代表大会", date(2022, 1, 6))
        county_terms = {name: self._term(j, Level.COUNTY, 19, f"{name}第十九届人民代表大会",
                                         date(2021, 12, 10) + timedelta(days=i))
                        for i, (name, j) in enumerate(counties.items())}
        township_terms = {t.pk: self._term(t, Level.TOWNSHIP, 18, f"{t.name}第十八届人民代表大会",
                                           date(2021, 11, 15) + timedelta(days=i % 20))
                          for i, t in enumerate(t for ts in ctx.townships.values() for t in ts)}

        # National and provincial deputies elected in 长春, looked after by the city.
        unit = self._unit(city, Level.NATIONAL, "吉林省人民代表大会")
        delegation = self._delegation(national, "吉林代表团")
        group = self._group(city, "在长全国人大代表小组")
        for _ in range(seats["national"]):
            self._mandate(self._person("national", rng.choice(county_names)), national, unit, delegation, group)

        unit = self._unit(city, Level.PROVINCIAL, "长春市人民代表大会")
        delegation = self._delegation(provincial, "长春代表团")
        groups = [self._group(city, f"在长省人大代表第{chinese_numeral(i)}小组") for i in range(1, (5 if ctx.large else 1) + 1)]
        for i in range(seats["provincial"]):
            self._mandate(self._person("provincial", rng.choice(county_names)), provincial, unit, delegation,
                          groups[i % len(groups)])

        # Municipal deputies: elected by the county congresses (and the army), in 16 delegations.
        county_units = {name: self._unit(city, Level.MUNICIPAL, f"{name}人民代表大会", area=counties.get(name))
                        for name in county_names}
        military_unit = self._unit(city, Level.MUNICIPAL, "中国人民解放军驻长春部队")
        spec = [(f"{name}代表团", name, 33) for name in county_names]
        spec += [(name, None, n) for name, n in DEV_ZONE_DELEGATIONS]
        spec.append((MILITARY_DELEGATION[0], "military", MILITARY_DELEGATION[1]))
        scale = seats["municipal"] / sum(n for _name, _c, n in spec)
        urban = county_names[:5]
        ctx.delegations = {}
        for name, county, n in spec:
            delegation = self._delegation(municipal, name)
            ctx.delegations[name] = delegation
            short = name.removesuffix("代表团")
            n_groups = 1 if county == "military" or not ctx.large else 2
            groups = [self._group(city, f"{short}市人大代表第{chinese_numeral(i)}小组") for i in range(1, n_groups + 1)]
            seats_here = max(2, round(n * scale))
            members = []
            if name == "南关区代表团":
                members.append(self._zhang_sanfeng())
            if county not in (None, "military"):
                index = county_names.index(county)
                members += self._second_mandates("provincial", "municipal", county, self._second_count(
                    ("provincial", "municipal"), index, len(county_names)))
            while len(members) < seats_here:
                home = county if county not in (None, "military") else rng.choice(urban)
                members.append(self._person("municipal", home, occupation=Occupation.MILITARY
                                            if county == "military" else None))
            for i, person in enumerate(members):
                unit = military_unit if county == "military" else county_units[self.home[id(person)][0]]
                self._mandate(person, municipal, unit, delegation, groups[i % len(groups)])

        # County deputies, by electoral district; groups named after the township or street.
        for index, (name, jurisdiction) in enumerate(counties.items()):
            term = county_terms[name]
            n = COUNTY_SEATS[name] if ctx.large else seats["county"]
            places = [t.name for t in ctx.townships[name]] + ctx.streets[name]
            n_groups = min(len(places), math.ceil(n / 30)) if ctx.large else 1
            groups = [self._group(jurisdiction, f"{place}代表小组") for place in places[:n_groups]]
            units = [self._unit(jurisdiction, Level.COUNTY, f"{name}第{i}选区")
                     for i in range(1, math.ceil(n / 2.5) + 1)]
            members = self._second_mandates("municipal", "county", name, self._second_count(
                ("municipal", "county"), index, len(county_names)))
            while len(members) < n:
                members.append(self._person("county", name))
            for i, person in enumerate(members):
                self._mandate(person, term, units[i * len(units) // n], None, groups[i % len(groups)])

        # Township deputies.
        n_townships = sum(len(ts) for ts in ctx.townships.values())
        low, high = seats["township"]
        index = 0
        for county, townships in ctx.townships.items():
            for township in townships:
                second = self._second_count(("county", "township"), index, n_townships)
                index += 1
                term = township_terms[township.pk]
                n = rng.randint(low, high)
                n_groups = 2 if ctx.large else 1
                groups = [self._group(township, f"{township.name}第{chinese_numeral(i)}代表小组")
                          for i in range(1, n_groups + 1)]
                units = [self._unit(township, Level.TOWNSHIP, f"{township.name}第{i}选区")
                         for i in range(1, math.ceil(n / 2) + 1)]
                members = self._second_mandates("county", "township", county, second)
                while len(members) < n:
                    members.append(self._person("township", county, township))
                for i, person in enumerate(members):
                    self._mandate(person, term, units[i * len(units) // n], None, groups[i % len(groups)])

        ctx.terms = self.terms
        ctx.municipal_term = municipal

    def _zhang_sanfeng(self) -> Person:
        """The demo's known deputy: ``zsf`` finds him, and the ``deputy`` account is his."""
        birth = date(1966, 4, 9)
        person = Person(
            name="张三丰", gender=Gender.MALE, ethnicity="汉族", birth_date=birth,
            id_number=self._id_number("220102", birth, female=False), phone="13804310001", party=Party.CPC,
            education=Education.MASTER, employer="长春市武术协会", post="会长", sector=SECTORS[Occupation.OTHER],
            occupation=Occupation.OTHER, address="吉林省长春市南关区人民大街1999号",
        )
        person.name_pinyin, person.name_initials = pinyin_of(person.name)
        self.people.append(person)
        self.home[id(person)] = ("南关区", None)
        self.ctx.zhang_sanfeng = person
        return person

    def save(self) -> None:
        ctx = self.ctx
        bulk_create_with_history(self.terms, Term)
        bulk_create_with_history(self.units, ElectoralUnit, batch_size=2000)
        bulk_create_with_history(self.delegations, Delegation)
        bulk_create_with_history(self.groups, DeputyGroup)
        bulk_create_with_history(self.people, Person, batch_size=2000)
        bulk_create_with_history(self.mandates, Mandate, batch_size=2000)
        ctx.groups = self.groups
        ctx.people = self.people
        ctx.mandates = self.mandates
        two = sum(1 for held in self.held.values() if held > 1)
        ctx.log(f"roster: {len(self.terms)} terms, {len(self.delegations)} delegations, {len(self.groups)} deputy "
                f"groups, {len(self.units)} electoral units, {len(self.people)} people, {len(self.mandates)} "
                f"mandates ({two} people hold two)")


def _seed_deputy_account(ctx: DemoContext) -> None:
    from apps.accounts.models import User
    from apps.core import roles

    user = User.objects.create(username="deputy", full_name="张三丰", password=ctx.demo_password_hash,
                               email="deputy@demo.renda.local", person=ctx.zhang_sanfeng)
    user.groups.add(ctx.role_groups[roles.DEPUTY])
    ctx.accounts["deputy"] = user
