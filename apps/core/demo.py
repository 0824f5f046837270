"""Demo data for the shared tables: the 长春 jurisdiction tree and the handling units.

``manage.py seed_demo`` calls ``seed(ctx)`` here first, then the ``demo.py`` of every later app (see that
command; ``apps.accounts.demo`` makes the demo accounts next); they find what is made here on the context:
``ctx.city``, ``ctx.counties`` (name → Jurisdiction), ``ctx.townships`` (county name → [Jurisdiction]),
``ctx.handling_units``.
"""

from __future__ import annotations

import random
from types import SimpleNamespace

from django.db import connection

from apps.core.models import AuditEvent, HandlingUnit, Jurisdiction, Notification

SCALES = ("small", "changchun")


class DemoContext(SimpleNamespace):
    """What a seeder needs (the scale, a seeded random generator, a logger) and what earlier seeders made."""

    def __init__(self, *, scale: str, seed: int = 2026, log=None):
        super().__init__(scale=scale, rng=random.Random(seed), log=log or (lambda message: None))

    @property
    def large(self) -> bool:
        return self.scale == "changchun"


# County-level divisions of 长春 with a people's congress: name, code (GB/T 2260), the region code their
# residents' ID numbers carry (九台 and 公主岭 kept their old codes), townships (乡镇, which have congresses)
# and streets (街道, which do not, but name deputy groups).
COUNTIES = [
    ("南关区", "220102", "220102", ["幸福乡", "新湖镇"],
     ["南岭街道", "自强街道", "民康街道", "新春街道", "长通街道", "全安街道", "曙光街道", "永吉街道", "桃源街道", "鸿城街道"]),
    ("宽城区", "220103", "220103", ["兰家镇", "奋进乡"],
     ["新发街道", "站前街道", "南广场街道", "东广场街道", "群英街道", "兴业街道", "凯旋街道", "团山街道", "欣园街道"]),
    ("朝阳区", "220104", "220104", ["乐山镇", "永春镇"],
     ["前进街道", "桂林街道", "南湖街道", "永昌街道", "重庆街道", "清和街道", "红旗街道", "湖西街道", "富锋街道"]),
    ("二道区", "220105", "220105", ["英俊镇", "劝农山镇", "泉眼镇", "四家乡"],
     ["东盛街道", "吉林街道", "荣光街道", "东站街道", "远达街道", "八里堡街道", "长青街道", "鲁辉街道"]),
    ("绿园区", "220106", "220106", ["合心镇", "西新镇", "城西镇"],
     ["正阳街道", "青年街道", "春城街道", "普阳街道", "铁西街道", "林园街道", "同心街道", "锦程街道"]),
    ("双阳区", "220112", "220112", ["鹿乡镇", "齐家镇", "太平镇", "双营子回族乡"],
     ["云山街道", "奢岭街道", "平湖街道", "山河街道"]),
    ("九台区", "220113", "220181", ["其塔木镇", "上河湾镇", "城子街镇", "兴隆镇", "胡家回族乡", "莽卡满族乡", "波泥河镇"],
     ["九郊街道", "营城街道", "卡伦湖街道", "西营城街道", "土们岭街道"]),
    ("农安县", "220122", "220122",
     ["农安镇", "伏龙泉镇", "哈拉海镇", "靠山镇", "开安镇", "烧锅镇", "高家店镇", "华家镇", "三盛玉镇", "巴吉垒镇",
      "三岗镇", "前岗乡", "龙王乡", "万顺乡", "杨树林乡", "永安乡", "青山口乡", "黄鱼圈乡"],
     ["宝塔街道", "黄龙街道", "兴农街道"]),
    ("榆树市", "220182", "220182",
     ["五棵树镇", "弓棚镇", "闵家镇", "大岭镇", "于家镇", "泗河镇", "八号镇", "刘家镇", "秀水镇", "保寿镇", "新立镇",
      "黑林镇", "土桥镇", "新庄镇", "青山乡", "延和朝鲜族乡", "恩育乡", "城发乡", "环城乡", "先锋乡"],
     ["华昌街道", "正阳街道", "培英街道", "城郊街道"]),
    ("德惠市", "220183", "220183",
     ["米沙子镇", "万宝镇", "布海镇", "天台镇", "菜园子镇", "松花江镇", "达家沟镇", "岔路口镇", "朱城子镇", "郭家镇",
      "大房身镇", "同太乡", "边岗乡", "五台乡"],
     ["胜利街道", "建设街道", "惠发街道", "夏家店街道"]),
    ("公主岭市", "220184", "220381",
     ["范家屯镇", "怀德镇", "黑林子镇", "响水镇", "双城堡镇", "秦家屯镇", "杨大城子镇", "毛城子镇", "玻璃城子镇",
      "朝阳坡镇", "大榆树镇", "陶家屯镇", "桑树台镇", "二十家子满族镇", "龙山满族乡"],
     ["河北街道", "河南街道", "铁北街道", "岭东街道", "岭西街道"]),
]
SMALL_TOWNSHIPS_PER_COUNTY = 2

HANDLING_UNITS = [
    "市发展和改革委员会", "市教育局", "市科学技术局", "市工业和信息化局", "市民族宗教事务局", "市公安局", "市民政局",
    "市司法局", "市财政局", "市人力资源和社会保障局", "市自然资源局", "市生态环境局", "市住房和城乡建设局",
    "市交通运输局", "市水务局", "市农业农村局", "市商务局", "市文化广电和旅游局", "市卫生健康委员会",
    "市退役军人事务局", "市应急管理局", "市审计局", "市人民政府国有资产监督管理委员会", "市市场监督管理局", "市体育局",
    "市统计局", "市林业和园林局", "市医疗保障局", "市城市管理局", "市信访局", "市政务服务和数字化建设管理局",
    "市粮食和物资储备局", "市人民防空办公室", "市机关事务管理局", "市乡村振兴局", "市地方金融监督管理局",
    "市人民政府外事办公室", "市住房公积金管理中心", "市房地产管理局", "市营商环境建设局", "市公共交通集团有限公司",
    "市轨道交通集团有限公司", "市城市发展投资控股（集团）有限公司", "市供热（集团）有限公司", "长春水务集团有限公司",
    "长春燃气股份有限公司", "国网长春供电公司", "中国移动长春分公司", "中国联通长春市分公司", "中国电信长春分公司",
    "国家税务总局长春市税务局", "长春海关", "市邮政管理局", "市气象局", "市消防救援支队", "市总工会",
    "共青团长春市委", "市妇女联合会", "市残疾人联合会", "市工商业联合会",
]

UNIT_ACCOUNT_UNIT = "市住房和城乡建设局"  # the handling unit of the demo ``unit`` account (apps.accounts.demo)

# Surnames weighted roughly as in China's north-east; given-name characters by gender.
SURNAMES = (
    "王" * 14 + "李" * 14 + "张" * 13 + "刘" * 11 + "陈" * 6 + "杨" * 6 + "赵" * 5 + "孙" * 5 + "于" * 4 + "徐" * 3
    + "马" * 3 + "高" * 3 + "郭" * 3 + "姜" * 3 + "周" * 3 + "吴" * 2 + "朱" * 2 + "胡" * 2 + "林" * 2 + "何" * 2
    + "黄" * 2 + "宋" * 2 + "韩" * 2 + "曲" * 2 + "崔" * 2 + "董" * 2 + "田" * 2 + "吕" * 2 + "尹" * 2 + "邢"
    + "郑谢唐冯程曹袁邓许傅沈曾彭苏卢蒋蔡贾丁魏薛叶阎罗梁潘杜范石付方白邹孟秦邱江侯史贺顾毛郝邵钱武常康"
    + "齐安乔庞聂鲁岳耿关焦包宁尚季霍苗盛祁房滕解牟车栾隋丛初鞠迟修佟那"
)
MALE_GIVEN = ("伟刚勇毅俊峰强军平东文辉力明永健广志义兴良海山波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信杰涛"
              "昌成康光天达安岩中茂进林有坚和博诚先振会群豪承乐绍功松善厚庆磊民友江超浩亮政鸣朋斌栋维启克翔旭鹏泽晨建家树德盛雄宏春长玉宝")
FEMALE_GIVEN = ("秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红玲芬芳燕彩春菊兰凤洁梅琳素云莲雪荣爱霞香月媛艳瑞佳嘉琼"
                "勤珍莉桂晶妍秋珊丽婷婉颖露瑶怡丹蓉君琴蕊薇岚馨悦冰爽欣晓亚宁敏杰")


def person_name(rng: random.Random, female: bool, surname: str | None = None) -> str:
    """A plausible Chinese name: a surname and one or two given-name characters."""
    pool = FEMALE_GIVEN if female else MALE_GIVEN
    given = rng.choice(pool) if rng.random() < 0.3 else rng.choice(pool) + rng.choice(pool)
    return (surname or rng.choice(SURNAMES)) + given


def has_data() -> bool:
    return Jurisdiction.objects.exists()


def seeded_large() -> bool:
    """Whether the database holds the changchun-scale demo (every township, not ``SMALL_TOWNSHIPS_PER_COUNTY``)."""
    townships = Jurisdiction.objects.filter(kind=Jurisdiction.Kind.TOWNSHIP).count()
    return townships > SMALL_TOWNSHIPS_PER_COUNTY * len(COUNTIES)


def seed(ctx: DemoContext) -> None:
    _seed_jurisdictions(ctx)
    _seed_handling_units(ctx)


def _seed_jurisdictions(ctx: DemoContext) -> None:
    # Fewer than a hundred rows: save() keeps the materialised path right and records the history.
    ctx.city = Jurisdiction.objects.create(name="长春市", short_name="长春", code="220100",
                                           kind=Jurisdiction.Kind.CITY)
    ctx.counties, ctx.townships, ctx.streets, ctx.id_regions = {}, {}, {}, {}
    for name, code, id_region, townships, streets in COUNTIES:
        county = Jurisdiction.objects.create(name=name, short_name=name[:-1], code=code,
                                             kind=Jurisdiction.Kind.COUNTY, parent=ctx.city)
        ctx.counties[name] = county
        ctx.id_regions[name] = id_region
        ctx.streets[name] = streets
        kept = townships if ctx.large else townships[:SMALL_TOWNSHIPS_PER_COUNTY]
        ctx.townships[name] = [
            Jurisdiction.objects.create(name=township, short_name=township[:-1], code=f"{code}{i:03d}",
                                        kind=Jurisdiction.Kind.TOWNSHIP, parent=county)
            for i, township in enumerate(kept, start=101)
        ]
    ctx.log(f"jurisdictions: 1 city, {len(ctx.counties)} counties, "
            f"{sum(len(t) for t in ctx.townships.values())} townships")


def _seed_handling_units(ctx: DemoContext) -> None:
    from simple_history.utils import bulk_create_with_history

    rng = ctx.rng
    units = [
        HandlingUnit(name=name, kind=unit_kind(name), jurisdiction=ctx.city,
                     contact_name=person_name(rng, rng.random() < 0.5),
                     contact_phone=f"0431-8{rng.randint(0, 9_999_999):07d}")
        for name in HANDLING_UNITS
    ]
    ctx.handling_units = bulk_create_with_history(units, HandlingUnit)
    ctx.log(f"handling units: {len(units)}")


def unit_kind(name: str) -> str:
    """The kind of a demo handling unit, read from its name."""
    if "法院" in name:
        return HandlingUnit.Kind.COURT
    if "检察院" in name:
        return HandlingUnit.Kind.PROCURATORATE
    if "公司" in name:
        return HandlingUnit.Kind.STATE_COMPANY
    if any(word in name for word in ("联合会", "总工会", "共青团")):
        return HandlingUnit.Kind.OTHER
    return HandlingUnit.Kind.DEPARTMENT


def reset(ctx: DemoContext) -> None:
    """Remove what ``seed`` made (called after later apps removed theirs)."""
    Notification.objects.all().delete()
    # The audit log is append-only (a trigger refuses DELETE); the demo database's is emptied as a whole.
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {AuditEvent._meta.db_table}")
    wipe(HandlingUnit, Jurisdiction)


def wipe(*models) -> None:
    """Delete every row of the models and of their history tables, without loading them (children first).

    The demo database holds demo data only; a row-by-row delete would also write a history row for each.
    """
    with connection.cursor() as cursor:
        for model in models:
            tables = [model._meta.db_table]
            history = getattr(model, "history", None)
            if history is not None:
                tables.append(history.model._meta.db_table)
            for table in tables:
                cursor.execute(f'DELETE FROM "{table}"')
