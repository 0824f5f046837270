"""Demo motions and suggestions modelled on 长春: three years (the current year and the two before it, up to
today) of what the municipal deputies raised and how the city's 60 handling units answered.

Run by ``manage.py seed_demo`` last. Every congress term gets its yearly sessions (次会议); the city congress's
deputies raise ``changchun``: about 1,500 suggestions and 5–10 motions a year (most during the session in
January, the rest between sessions); ``small``: about 100 suggestions and 2 motions a year. Each item lives
through the same story the services write — submitted, registered with a number per session and kind, a motion
docketed or converted, assigned to a lead unit and sometimes co-units (deadlines from ``apps.proposals.rules``
naming the rule), signed for or returned and reassigned, communications, co-unit opinions, an extension asked
for now and then, the reply (A≈45%, B≈30%, C≈15%, D≈10%), the signers' ratings (≈85% satisfied or basically
satisfied in round 1), re-handling after 不满意, follow-ups of B and C replies — and stops where today falls:
older items are closed, recent ones are anywhere on the way, some are late. A few are returned to the deputy
or withdrawn, some handled together (并案), key items (重点建议) supervised by a 主任会议 member.

The ``deputy`` account's person (张三丰) leads or co-signs an item in every state (a draft, one awaiting his
rating, a follow-up awaiting his answer, a co-signature to confirm ...), the ``unit`` account's unit (市住房和城乡
建设局) has items in every state of its work (to sign for, overdue, to re-handle, an extension pending, a
follow-up report due, a co-unit opinion to send).

Rows are built in memory — no query per item; working days are counted with the calendar read once
(``apps.core.calendar.preloaded``) — and written with COPY (ids drawn from the sequences first, timestamps
that ``auto_now_add`` would set to now given their story's time), with each item's state changes in the audit
trail as ``services.transitions.move`` writes them. ``reset`` removes it all (the audit log is truncated by
``apps.core.demo.reset``).
"""

from __future__ import annotations

import datetime
import itertools
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone

from apps.core import calendar
from apps.core.demo import UNIT_ACCOUNT_UNIT, DemoContext, wipe
from apps.core.models import AuditEvent
from apps.deputies.demo import _cn
from apps.deputies.models import Level, Mandate, Session
from apps.proposals import rules
from apps.proposals.models import (
    Assignment, Category, Communication, Deadline, ExtensionRequest, FollowUp, HandlingRule, Kind, MergeGroup,
    Proposal, ProposalAttachment, Rating, ReminderSent, Reply, ReplyClass, Signature, Supervision,
    SupervisionRecord,
)

S = Proposal.State
DAY = datetime.timedelta(days=1)

# Suggestions and motions a year (a range for motions) at each scale.
VOLUME = {"changchun": (1500, (5, 10)), "small": (100, (2, 2))}
DURING_SESSION_SHARE = 0.65
MERGE_GROUPS = {"changchun": 10, "small": 1}   # a year, of 2–4 items raised at the session
KEY_ITEMS = {"changchun": 15, "small": 2}       # a year (重点建议)

CATEGORY_WEIGHTS = {"城建": 22, "交通": 10, "教育": 10, "卫生": 8, "社会保障": 9, "经济": 10, "农业": 8, "生态环境": 7,
                    "法治": 4, "科技": 3, "文化": 3, "民政": 4, "其他": 2}
# What the demo's suggestions are about, per category: (what is asked, keywords, the problem, the suggestion).
# "{p}" is a place (a county, a street of it, or 我市), "{c}" a county.
TOPICS = {
    "城建": [
        ("加快推进{p}老旧小区改造", "老旧小区,改造", "部分老旧小区建成年代久远，管网老化、外墙保温缺失，居民生活不便",
         "将相关小区纳入年度改造计划，统筹实施管网更新、外墙保温和楼道整治"),
        ("解决{p}居民停车难问题", "停车,泊位", "居民区停车位严重不足，车辆占道停放现象普遍，影响消防通道畅通",
         "利用边角地和闲置地块建设公共停车场，推行错时共享停车"),
        ("加强{p}冬季供热保障", "供热,室温", "部分小区冬季室温长期不达标，供热管网跑冒滴漏时有发生",
         "加快老旧供热管网改造，建立室温监测和投诉快速处置机制"),
        ("改造{p}雨污水管网", "排水,积水", "雨季部分路段积水严重，雨污合流问题突出", "实施雨污分流改造，增设排水泵站，提升排涝能力"),
        ("推进{p}背街小巷整治", "背街小巷,环境整治", "背街小巷路面破损、照明不足、乱堆乱放现象较多",
         "制定背街小巷整治计划，完善路灯照明和环卫设施"),
        ("加强{p}物业服务管理", "物业,管理", "部分小区物业服务质量不高，收费不透明，业主投诉较多",
         "加强物业企业信用评价，推动成立业主委员会，规范收费公示"),
        ("为{p}老旧住宅加装电梯", "加装电梯,适老化", "多层住宅老年人比例高，上下楼困难", "简化加装电梯审批流程，加大财政补贴力度"),
        ("推进{p}棚户区改造", "棚户区,城市更新", "棚户区房屋老旧、基础设施薄弱、安全隐患多",
         "加快征收安置进度，同步配套学校、医院等公共服务设施"),
    ],
    "交通": [
        ("优化{p}公交线网", "公交,线路", "新建小区周边公交线路少、发车间隔长，居民出行不便", "增设或调整公交线路，加密高峰时段班次"),
        ("缓解{p}学校周边交通拥堵", "交通拥堵,学校", "上下学时段学校周边车辆乱停乱放，交通拥堵且存在安全隐患",
         "设置临时停车区和护学岗，推行错峰放学"),
        ("完善{p}道路交通信号设施", "信号灯,交通安全", "部分路口信号灯配时不合理，缺少行人过街设施",
         "优化信号配时，增设人行横道和过街安全岛"),
        ("加快{c}农村公路建设养护", "农村公路,养护", "部分村屯道路破损严重，雨天通行困难", "加大农村公路养护资金投入，建立路长制管护机制"),
        ("推动轨道交通线网向{c}延伸", "轨道交通,地铁", "区域人口增长较快，公共交通供给不足", "将该区域纳入轨道交通建设规划，先行开通接驳公交"),
        ("规范{p}共享电单车停放", "共享单车,停放", "共享电单车乱停乱放，占用盲道和人行道", "施划停放区域，落实运营企业管理责任"),
    ],
    "教育": [
        ("扩大{p}中小学课后服务覆盖面", "课后服务,双减", "部分学校课后服务内容单一、覆盖面不足", "丰富课后服务内容，引入社会优质资源，加大经费保障"),
        ("增加{p}公办幼儿园学位", "学前教育,幼儿园", "公办幼儿园学位紧张，入园难问题突出", "新建改扩建一批公办幼儿园，支持普惠性民办园发展"),
        ("推进{p}义务教育优质均衡发展", "义务教育,均衡", "城乡学校办学条件和师资差距较大", "推进集团化办学，加强教师交流轮岗"),
        ("加强{p}中小学生心理健康教育", "心理健康,学生", "学生心理问题呈上升趋势，专职心理教师不足", "配齐专兼职心理健康教师，建立家校社协同机制"),
        ("改善{c}农村学校办学条件", "农村学校,办学条件", "部分农村学校校舍陈旧，教学设备落后", "加大农村学校投入，更新教学设备"),
        ("推动职业教育与{p}汽车产业融合发展", "职业教育,产教融合", "职业院校专业设置与产业需求衔接不够",
         "推动校企共建实训基地，订单式培养技能人才"),
    ],
    "卫生": [
        ("提升{p}社区卫生服务中心服务能力", "基层医疗,社区卫生", "社区卫生服务中心设备不足、全科医生缺乏", "加强基层医疗人才培养，推进医联体建设"),
        ("解决{p}群众看病难问题", "看病难,医疗资源", "优质医疗资源集中，群众就医排队时间长", "推动优质医疗资源下沉，推广预约诊疗和分时段就诊"),
        ("加强{p}院前急救体系建设", "急救,120", "急救站点布局不均，偏远地区急救响应时间长", "优化急救站点布局，增加急救车辆和人员配备"),
        ("推进{p}医养结合服务", "医养结合,养老", "失能半失能老人医疗护理需求得不到满足", "支持医疗机构与养老机构签约合作，发展家庭病床"),
        ("加强{p}食品安全监管", "食品安全,监管", "校园周边和农贸市场食品安全隐患较多", "加大抽检频次，推行明厨亮灶，严厉查处违法行为"),
    ],
    "农业": [
        ("加大{c}黑土地保护力度", "黑土地,保护性耕作", "黑土地退化、变薄问题仍然存在", "扩大保护性耕作面积，加大补贴力度，推广秸秆还田"),
        ("完善{c}农田水利设施", "农田水利,灌溉", "部分农田水利设施老化失修，灌溉保障能力不足", "加快高标准农田建设，维修改造灌排设施"),
        ("推进{c}农村人居环境整治", "人居环境,农村", "部分村屯垃圾清运不及时，厕所改造后使用率不高", "完善村屯垃圾收运体系，做好改厕后续管护"),
        ("支持{c}发展特色农业产业", "特色农业,乡村振兴", "农产品加工链条短，附加值不高", "培育农产品加工龙头企业，打造区域公共品牌"),
        ("提高{c}粮食生产防灾减灾能力", "粮食安全,防灾", "极端天气频发，粮食生产受灾风险加大", "完善农业保险，加强气象预警和病虫害防治"),
    ],
    "社会保障": [
        ("完善{p}社区居家养老服务", "养老服务,居家养老", "社区养老服务设施不足，服务内容单一", "建设社区养老服务站，发展助餐、助浴等服务"),
        ("加大{p}就业创业扶持力度", "就业,创业", "高校毕业生和困难群体就业压力较大", "加强职业技能培训，落实创业担保贷款政策"),
        ("方便{p}灵活就业人员参加社会保险", "社会保险,灵活就业", "灵活就业人员参保渠道不畅，缴费负担较重", "简化参保流程，推广线上办理"),
        ("提高{p}城乡居民医疗保障水平", "医疗保障,医保", "部分慢性病患者门诊报销比例偏低", "扩大门诊慢特病病种范围，提高报销比例"),
        ("加强对{p}困难职工的帮扶", "困难职工,帮扶", "部分困难职工家庭生活压力较大", "完善困难职工帮扶机制，加大医疗和助学救助"),
    ],
    "经济": [
        ("进一步优化{p}营商环境", "营商环境,审批", "部分审批事项办理时限长、环节多", "推行一网通办和告知承诺制，压缩办理时限"),
        ("支持{p}中小微企业发展", "中小企业,融资", "中小微企业融资难、融资贵问题突出", "建立政银企对接平台，扩大政策性担保规模"),
        ("推动汽车产业链配套企业落户{c}", "汽车产业,产业链", "本地配套率不高，产业链协同不足", "出台招商引资优惠政策，建设汽车零部件产业园"),
        ("促进{p}夜间经济发展", "夜间经济,消费", "夜间消费场景少，配套设施不足", "打造特色夜市街区，完善夜间公交和停车配套"),
        ("发展{p}冰雪经济", "冰雪经济,旅游", "冰雪资源优势未充分转化为经济优势", "建设冰雪旅游项目，举办冰雪节庆活动"),
        ("加快{c}产业园区基础设施建设", "产业园区,基础设施", "园区道路、供水、供电等配套不完善", "加大园区基础设施投入，提升承载能力"),
    ],
    "生态环境": [
        ("加强{p}大气污染防治", "大气污染,秸秆焚烧", "秋冬季秸秆焚烧和燃煤污染导致空气质量下降", "推广秸秆综合利用，加快散煤替代"),
        ("加强{p}河道综合治理", "河道治理,水环境", "部分河道存在垃圾堆积和排污口问题", "落实河长制，清理河道垃圾，整治违法排污"),
        ("推进{p}生活垃圾分类", "垃圾分类,环境", "居民垃圾分类意识不强，分类设施不完善", "完善分类投放设施，加强宣传引导"),
        ("整治{p}企业噪声扰民问题", "噪声,扰民", "部分企业夜间生产噪声扰民，群众反映强烈", "加强噪声监测和执法，督促企业落实降噪措施"),
        ("加快{p}公园绿地建设", "公园,绿化", "人均公园绿地面积偏低，居民休闲场所不足", "利用闲置地块建设口袋公园，增加绿化面积"),
    ],
    "法治": [
        ("加强{p}社会治安综合治理", "治安,平安建设", "部分区域治安案件多发，视频监控覆盖不足", "增设视频监控，加强巡逻防控"),
        ("加强{p}电信网络诈骗防范", "电信诈骗,反诈", "电信网络诈骗案件时有发生，老年人受骗较多", "加强反诈宣传，推动反诈预警劝阻"),
        ("完善{p}公共法律服务体系", "法律服务,法律援助", "基层群众获得法律服务的渠道有限", "推进村居法律顾问全覆盖，扩大法律援助范围"),
        ("加强{p}安全生产监管", "安全生产,隐患排查", "部分小微企业安全生产主体责任落实不到位", "开展隐患排查整治，加强安全培训"),
        ("加强{p}消防安全隐患整治", "消防安全,隐患", "老旧小区和“九小场所”消防设施不完善", "开展消防安全专项整治，配齐消防器材"),
    ],
    "科技": [
        ("支持{p}科技型企业创新发展", "科技创新,企业", "科技型企业研发投入不足，成果转化率不高", "加大研发费用补助，建设科技成果转化平台"),
        ("加快{p}5G网络和数字基础设施建设", "5G,数字基础设施", "部分区域网络信号差，数字基础设施薄弱", "加快5G基站建设，推进农村网络覆盖"),
        ("推进{p}政务服务数字化", "数字政务,一网通办", "部分政务服务事项仍需多次跑腿", "推动数据共享，实现更多事项掌上办"),
        ("加强{p}科技人才引进培养", "人才,科技", "高层次科技人才流失较为严重", "完善人才安居和子女入学政策，留住用好人才"),
    ],
    "文化": [
        ("加强{p}公共文化服务设施建设", "公共文化,文化站", "基层文化站设施陈旧，活动内容单一", "推进文化站提档升级，开展群众性文化活动"),
        ("加强{p}历史文化街区保护", "历史文化,保护", "部分历史建筑年久失修，保护利用不足", "编制保护规划，推动活化利用"),
        ("建设{p}全民健身场地设施", "全民健身,体育", "社区健身场地不足，器材老化", "利用城市空闲地建设健身场地，更新健身器材"),
        ("推动{p}文旅融合发展", "文旅融合,旅游", "旅游产品同质化，配套服务不完善", "打造特色旅游线路，提升景区服务水平"),
    ],
    "民政": [
        ("加强{p}困难群众兜底保障", "低保,救助", "部分困难群众未及时纳入救助范围", "开展主动发现，及时将符合条件人员纳入救助"),
        ("关爱{c}农村留守老人和儿童", "留守儿童,关爱", "农村留守老人和儿童照料和关爱不足", "建立关爱服务台账，发展志愿服务"),
        ("推进{p}无障碍环境建设", "无障碍,残疾人", "公共场所无障碍设施不完善", "开展无障碍设施排查整改"),
        ("加强{p}社区工作者队伍建设", "社区工作者,基层治理", "社区工作者待遇偏低，队伍不稳定", "完善薪酬体系，拓宽职业发展通道"),
    ],
    "其他": [
        ("推进{p}政务公开", "政务公开,信息公开", "部分政府信息公开不及时、不全面", "完善信息公开目录，及时回应群众关切"),
        ("加强{p}公共资源交易监管", "公共资源交易,监管", "公共资源交易环节监管有待加强", "推行全流程电子化交易"),
        ("提升{p}12345热线办理质效", "12345,热线", "部分诉求办理不及时，群众满意度不高", "建立诉求分类转办和回访机制"),
    ],
}
UNITS_BY_CATEGORY = {
    "经济": ["市发展和改革委员会", "市工业和信息化局", "市商务局", "市营商环境建设局", "市财政局", "市地方金融监督管理局",
           "市人民政府国有资产监督管理委员会", "国家税务总局长春市税务局", "市统计局", "长春海关", "市工商业联合会"],
    "城建": ["市住房和城乡建设局", "市住房和城乡建设局", "市城市管理局", "市自然资源局", "市房地产管理局", "市水务局",
           "市城市发展投资控股（集团）有限公司", "市供热（集团）有限公司", "长春水务集团有限公司", "长春燃气股份有限公司",
           "国网长春供电公司", "市人民防空办公室"],
    "教育": ["市教育局", "市教育局", "市体育局", "共青团长春市委"],
    "卫生": ["市卫生健康委员会", "市卫生健康委员会", "市医疗保障局", "市市场监督管理局"],
    "农业": ["市农业农村局", "市乡村振兴局", "市林业和园林局", "市粮食和物资储备局", "市水务局", "市气象局"],
    "社会保障": ["市人力资源和社会保障局", "市民政局", "市医疗保障局", "市住房公积金管理中心", "市退役军人事务局", "市总工会"],
    "生态环境": ["市生态环境局", "市生态环境局", "市林业和园林局", "市水务局", "市城市管理局"],
    "法治": ["市司法局", "市公安局", "市信访局", "市市场监督管理局", "市应急管理局", "市消防救援支队"],
    "科技": ["市科学技术局", "市工业和信息化局", "市政务服务和数字化建设管理局", "中国移动长春分公司", "中国联通长春市分公司",
           "中国电信长春分公司"],
    "文化": ["市文化广电和旅游局", "市体育局", "市民族宗教事务局"],
    "交通": ["市交通运输局", "市公安局", "市公共交通集团有限公司", "市轨道交通集团有限公司", "市城市管理局"],
    "民政": ["市民政局", "市残疾人联合会", "市妇女联合会", "市退役军人事务局"],
    "其他": ["市政务服务和数字化建设管理局", "市机关事务管理局", "市审计局", "市人民政府外事办公室", "市邮政管理局", "市信访局"],
}
COMMITTEE_BY_CATEGORY = {
    "经济": "财政经济委员会", "城建": "城乡建设环境保护委员会", "交通": "城乡建设环境保护委员会",
    "生态环境": "城乡建设环境保护委员会", "教育": "教育科学文化卫生委员会", "卫生": "教育科学文化卫生委员会",
    "科技": "教育科学文化卫生委员会", "文化": "教育科学文化卫生委员会", "农业": "农业与农村委员会",
    "社会保障": "社会建设委员会", "民政": "社会建设委员会", "法治": "监察和司法委员会",
}
CLOSINGS = ["此事关系群众切身利益，恳请有关部门予以重视。", "群众对此反映较为强烈。", "望有关部门统筹研究解决。", ""]
REGULATIONS = ["黑土地保护", "养老服务", "物业管理", "城市供热", "优化营商环境", "生活垃圾分类管理", "历史文化名城保护",
               "文明行为促进", "公共数据管理", "冰雪旅游发展"]
MOTION_MATTERS = [("城市更新", "城建"), ("冰雪经济发展", "经济"), ("基层医疗卫生服务体系建设", "卫生"),
                  ("黑土地保护利用", "农业"), ("养老服务体系建设", "社会保障"), ("汽车产业集群发展", "经济"),
                  ("中小学生心理健康教育", "教育"), ("松花江流域生态保护", "生态环境")]

RETURN_REASONS = ["所提事项属于个人诉求，建议通过信访渠道反映。", "内容不够具体，缺少事实依据和具体建议，请补充后重新提交。",
                  "所提事项不属于本级人民代表大会及其常务委员会职权范围。", "一件建议涉及多个事项，请按“一事一议”分别提出。"]
WITHDRAW_REASONS = ["经与有关部门沟通，所提问题已得到解决，申请撤回。", "与其他代表所提建议内容重复，申请撤回。",
                    "经进一步调研，需重新完善后再提出，申请撤回。"]
UNIT_RETURN_REASONS = ["该事项不属于我单位职责范围，建议交由{other}办理。", "经研究，该事项主要职责在{other}，特申请退回。"]
DOCKET_OPINION = "经审查，该议案符合立案条件，建议列入本次会议议程，交有关专门委员会审议。"
CONVERT_REASONS = ["该议案所提事项属于政府日常工作范围，不具备议案立案条件，作为建议交有关单位办理。",
                   "该议案所提事项正在制定相关规划，不作为议案立案，转为建议办理。"]
CO_OPINIONS = ["我单位同意主办单位的办理意见，并将在职责范围内配合做好{topic}相关工作。",
               "建议主办单位统筹考虑资金安排，我单位将积极配合落实。", "我单位已就职责范围内事项提出具体意见，请主办单位汇总答复。"]
COMMUNICATIONS = {
    Communication.Means.PHONE: "电话联系{name}代表，了解{topic}的具体情况，听取代表意见。",
    Communication.Means.VISIT: "登门拜访{name}代表，当面沟通{topic}办理思路。",
    Communication.Means.MEETING: "召开办理座谈会，邀请{name}代表参加，通报{topic}办理进展。",
    Communication.Means.LETTER: "致函{name}代表，书面通报{topic}办理情况。",
    Communication.Means.ONLINE: "通过代表履职平台与{name}代表沟通{topic}办理情况。",
    Communication.Means.OTHER: "陪同{name}代表到{place}实地察看{topic}情况。",
}
MEANS_WEIGHTS = [(Communication.Means.PHONE, 40), (Communication.Means.VISIT, 20), (Communication.Means.MEETING, 15),
                 (Communication.Means.ONLINE, 12), (Communication.Means.LETTER, 5), (Communication.Means.OTHER, 8)]
REPLIES = {
    "A": "{name}代表：您提出的《{title}》收悉。经认真研究，我单位会同有关部门已采取措施，{ask}相关工作已落实到位，"
         "所反映的问题已基本解决。感谢您对我们工作的关心和支持。",
    "B": "{name}代表：您提出的《{title}》收悉。经研究，该事项已列入{next_year}年工作计划，目前正在推进，"
         "计划于{promised}前完成。我们将及时向您通报进展。",
    "C": "{name}代表：您提出的《{title}》收悉。该事项涉及资金和规划调整，受现有条件限制暂时难以实施，"
         "我们已将其纳入中长期规划，待条件成熟时逐步解决。",
    "D": "{name}代表：您提出的《{title}》收悉。您的建议对我们改进工作具有重要参考价值，我们将在今后制定相关政策时"
         "认真研究吸收。",
}
CLASS_WEIGHTS = [("A", 45), ("B", 30), ("C", 15), ("D", 10)]
CLASS_WEIGHTS_ROUND_2 = [("A", 50), ("B", 32), ("C", 12), ("D", 6)]
UNSATISFIED_COMMENTS = ["答复内容较为笼统，未提出具体解决措施。", "办理过程中与代表沟通不够，问题未得到实质解决。",
                        "答复与实际情况不符，希望重新办理。"]
SATISFIED_COMMENTS = ["", "", "办理态度认真，沟通及时。", "问题已基本解决，群众反映良好。", "希望继续跟进落实。"]
PROGRESS = ["项目已完成前期手续，正在组织施工，预计按期完成。", "相关资金已落实，工程进度过半。",
            "已纳入年度计划并启动实施，目前进展顺利。", "受季节影响暂停施工，来年开春后继续推进。"]
EXTENSION_REASONS = ["该建议涉及多个部门和资金安排，需进一步协调，申请延期答复。",
                     "所提事项需实地调研论证，办理周期较长，申请延期答复。"]
SUPERVISION_RECORDS = {
    SupervisionRecord.Kind.MEETING: "召开重点建议督办座谈会，听取{unit}办理情况汇报，研究推进措施。",
    SupervisionRecord.Kind.INSPECTION: "组织部分代表到{unit}视察办理情况，实地察看{topic}推进情况。",
    SupervisionRecord.Kind.INSTRUCTION: "督办领导批示：请{unit}加大工作力度，确保按期高质量办结。",
}


def has_data() -> bool:
    return Proposal.objects.exists()


def seed(ctx: DemoContext) -> None:
    with calendar.preloaded():
        _Builder(ctx).build()


def reset(ctx: DemoContext) -> None:
    """Delete the demo's items and everything hanging off them, the sessions, and the handling rules (they point
    at the demo's jurisdictions; categories and reply classes stay: the defaults made them)."""
    wipe(SupervisionRecord, Supervision, ExtensionRequest, FollowUp, Rating, Reply, Communication, Deadline,
         Assignment, ProposalAttachment, Signature, Proposal, MergeGroup, ReminderSent, HandlingRule, Session)


# --- sessions --------------------------------------------------------------------------------------------------

def _session_day(term, year: int, index: int) -> tuple[datetime.date, int]:
    """When the term's yearly session opens in ``year`` and how many days it sits (the city's in January, as
    the activities demo has it; the national congress in March)."""
    if term.level == Level.NATIONAL:
        return datetime.date(year, 3, 5), 7
    if term.level == Level.PROVINCIAL:
        return datetime.date(year, 1, 12), 5
    if term.level == Level.MUNICIPAL:
        return datetime.date(year, 1, 8), 3
    if term.level == Level.COUNTY:
        return datetime.date(year, 1, 12) + datetime.timedelta(days=index % 11), 3
    return datetime.date(year, 1, 18) + datetime.timedelta(days=index % 20), 1


def _sessions(ctx: DemoContext, today: datetime.date) -> dict[int, dict[int, Session]]:
    """Every term's sessions up to today: the first when the term opens, then one early each year."""
    rows = []
    for index, term in enumerate(ctx.terms):
        first = term.start_date
        rows.append(Session(term=term, number=1, name=f"{term.name}第一次会议", opens_on=first,
                            closes_on=first + datetime.timedelta(days=_session_day(term, first.year, index)[1])))
        for year in range(first.year + 1, today.year + 1):
            opens, length = _session_day(term, year, index)
            opens = calendar.roll_to_working_day(opens)
            if opens > today:
                break
            number = year - first.year + 1
            rows.append(Session(term=term, number=number, name=f"{term.name}第{_cn(number)}次会议", opens_on=opens,
                                closes_on=opens + datetime.timedelta(days=length)))
    Session.objects.bulk_create(rows, batch_size=2000)
    by_term: dict[int, dict[int, Session]] = defaultdict(dict)
    for session in rows:
        by_term[session.term_id][session.opens_on.year] = session
    return by_term


# --- one item's story ------------------------------------------------------------------------------------------

@dataclass
class Spec:
    """What an item is and how its story goes; the random draws fill in the rest."""

    year: int
    session: Session
    kind: str
    period: str
    created: datetime.date
    lead: Mandate
    cosigners: list
    category: Category
    title: str
    content: str
    keywords: str = ""
    topic: str = ""
    place: str = ""
    grounds: str = ""
    plan: str = ""
    is_legislative: bool = False
    draft_text: str = ""
    stop: str | None = None          # stop once the item reaches this state
    fate: str = ""                   # "return" | "withdraw" | "withdraw_registered"
    convert: bool = False            # a motion converted to a suggestion
    late: bool = False               # the lead unit replies after its deadline
    lead_return: bool = False        # the first lead unit returns it; staff reassign
    no_reassign: bool = False        # ... and staff have not reassigned it yet
    extension: str = ""              # "approved" | "refused" | "pending"
    key: bool = False
    unsatisfied: bool | None = None  # round 1 rated 不满意 (None: drawn)
    reply_class: str | None = None
    unit: object = None              # the lead unit (None: drawn from the category's units)
    co_units: list | None = None
    co_opinion_pending: bool = False
    follow_up: str = ""              # "due": the report is due | "reported": awaiting the deputy's answer
    pending: frozenset = frozenset()   # co-signers (person ids) who have not answered the invitation
    declined: frozenset = frozenset()  # co-signers who declined
    on_paper: bool = False
    group: object = None             # MergeGroup
    shared: dict = field(default_factory=dict)  # decisions shared by the items of a merge group


class _Rows:
    """The rows of one item, kept only when its story came out as wanted."""

    def __init__(self, proposal):
        self.proposal = proposal
        self.signatures, self.assignments, self.deadlines, self.communications = [], [], [], []
        self.replies, self.ratings, self.follow_ups, self.extensions, self.records = [], [], [], [], []
        self.history = []  # (when, by, action, before, after, note): the audit trail of its state changes
        self.supervision = None


class _Builder:
    def __init__(self, ctx: DemoContext):
        from apps.committee.models import CommitteeMember, Post, SpecialCommittee

        self.ctx, self.rng = ctx, ctx.rng
        self.today = timezone.localdate()
        self.tz = timezone.get_current_timezone()
        self.years = [self.today.year - 2, self.today.year - 1, self.today.year]
        self.city = ctx.city
        self.staff = ctx.accounts["staff"]
        self.unit_user = ctx.accounts["unit"]
        self.deputy_user = ctx.accounts.get("deputy")
        self.units = {u.name: u for u in ctx.handling_units}
        self.all_units = list(ctx.handling_units)
        self.account_unit = self.units[UNIT_ACCOUNT_UNIT]
        self.categories = {c.name: c for c in Category.objects.all()}
        self.classes = {c.code: c for c in ReplyClass.objects.all()}
        self.rule = {kind: rules.rule_for(self.city, kind) for kind in (Kind.SUGGESTION, Kind.MOTION)}
        self.council = list(CommitteeMember.objects.filter(
            jurisdiction=self.city, post__in=[Post.DIRECTOR, Post.VICE_DIRECTOR, Post.SECRETARY_GENERAL])
            .order_by("pk"))
        self.committees = {c.name: c for c in SpecialCommittee.objects.filter(jurisdiction=self.city)}
        self.term = ctx.municipal_term
        self.deputies = sorted((m for m in ctx.mandates if m.term_id == self.term.pk
                                and m.status == Mandate.Status.SERVING), key=lambda m: m.pk)
        self.names = {p.pk: p.name for p in ctx.people}
        self.zhang = next(m for m in self.deputies if m.person_id == ctx.zhang_sanfeng.pk)
        # Some deputies raise many suggestions, most a few.
        self.cum_weights = list(itertools.accumulate(self.rng.paretovariate(1.6) for _m in self.deputies))
        self.kept: list[_Rows] = []
        self.groups: list[MergeGroup] = []

    # --- helpers -----------------------------------------------------------------------------------------------
    def at(self, day: datetime.date, first_hour: int = 8, last_hour: int = 17) -> datetime.datetime:
        rng = self.rng
        return datetime.datetime(day.year, day.month, day.day, rng.randint(first_hour, last_hour - 1),
                                 rng.randint(0, 59), tzinfo=self.tz)

    def wd(self, day: datetime.date, n: int) -> datetime.date:
        return calendar.add_working_days(day, n)

    def office_day(self, day: datetime.date) -> datetime.date:
        return calendar.roll_to_working_day(day)

    def pick_deputies(self, n: int, *, exclude=()) -> list[Mandate]:
        chosen, seen = [], set(exclude)
        while len(chosen) < n:
            mandate = self.rng.choices(self.deputies, cum_weights=self.cum_weights)[0]
            if mandate.person_id not in seen:
                seen.add(mandate.person_id)
                chosen.append(mandate)
        return chosen

    def place(self, with_street: bool = True) -> tuple[str, str]:
        """(place for "{p}", county for "{c}")."""
        rng = self.rng
        county = rng.choice(list(self.ctx.counties))
        roll = rng.random()
        if roll < 0.2 and with_street:
            return "我市", county
        if roll < 0.5 and with_street:
            return county + rng.choice(self.ctx.streets[county]), county
        return county, county

    def suggestion_text(self, category: str) -> dict:
        rng = self.rng
        phrase, keywords, problem, ask = rng.choice(TOPICS[category])
        place, county = self.place()
        what = phrase.format(p=place, c=county)
        title = f"关于{what}的建议" if rng.random() < 0.9 else f"关于{what}的几点建议"
        where = place if "{p}" in phrase else county
        content = (f"{where}{problem}。建议{ask}。" + rng.choice(CLOSINGS))
        return {"title": title, "content": content, "keywords": keywords, "topic": keywords.split(",")[0],
                "place": where, "category": self.categories[category]}

    def motion_text(self) -> dict:
        rng = self.rng
        if rng.random() < 0.5:
            law = rng.choice(REGULATIONS)
            title = f"关于制定《长春市{law}条例》的议案"
            return {"title": title, "content": "", "keywords": f"{law},地方立法", "topic": law, "place": "我市",
                    "category": self.categories["法治"], "is_legislative": True,
                    "grounds": f"我市{law}工作中存在的问题需要通过地方立法予以规范，现行规定层级较低、约束力不强。",
                    "plan": f"建议市人大常委会将《长春市{law}条例》列入年度立法计划，明确管理体制、各方责任和保障措施。",
                    "draft_text": f"长春市{law}条例（草案）\n第一条 为了规范{law}工作，根据有关法律、法规，结合本市实际，制定本条例。"}
        matter, category = rng.choice(MOTION_MATTERS)
        return {"title": f"关于加快推进我市{matter}的议案", "content": "", "keywords": matter, "topic": matter,
                "place": "我市", "category": self.categories[category],
                "grounds": f"{matter}是事关全市高质量发展和民生改善的重要工作，目前仍存在统筹不够、投入不足等问题。",
                "plan": f"一、制定{matter}专项规划；二、加大财政投入；三、建立部门协同推进机制；四、加强督促检查。"}

    def lead_unit_for(self, category: Category):
        rng = self.rng
        if rng.random() < 0.2:
            return rng.choice(self.all_units)
        return self.units[rng.choice(UNITS_BY_CATEGORY[category.name])]

    def co_units_for(self, category: Category, lead) -> list:
        rng = self.rng
        if rng.random() > 0.3:
            return []
        pool = [self.units[n] for n in dict.fromkeys(UNITS_BY_CATEGORY[category.name]) if self.units[n] != lead]
        pool = pool or [u for u in self.all_units if u != lead]
        return rng.sample(pool, min(len(pool), rng.choice([1, 1, 2])))

    def user_of(self, person_id: int):
        return self.deputy_user if self.deputy_user is not None and person_id == self.zhang.person_id else None

    def unit_account(self, unit):
        return self.unit_user if unit.pk == self.account_unit.pk else None

    @staticmethod
    def shared(spec: Spec, key, draw):
        if key not in spec.shared:
            spec.shared[key] = draw()
        return spec.shared[key]

    # --- the story -------------------------------------------------------------------------------------------
    def walk(self, s: Spec) -> _Rows:  # noqa: C901 - one story, told in order
        rng, today = self.rng, self.today
        rule = self.rule[s.kind]
        user = self.staff if s.on_paper else self.user_of(s.lead.person_id)
        p = Proposal(kind=s.kind, state=S.DRAFT, jurisdiction=self.city, level=Level.MUNICIPAL, session=s.session,
                     period=s.period, year=s.year, title=s.title[:200], content=s.content, grounds=s.grounds,
                     plan=s.plan, is_legislative=s.is_legislative, draft_text=s.draft_text, keywords=s.keywords,
                     category=s.category if s.on_paper else None, created_by=user, entered_on_paper=s.on_paper)
        rows = _Rows(p)
        p._created = p._updated = self.at(s.created)
        p._moves = 0

        def move(action, before, after, when, by=None, note=""):
            p._moves += 1
            rows.history.append((when, by, action, before, after, note))

        def end(state, day):
            p.state = state
            p._updated = max(p._updated, day if isinstance(day, datetime.datetime) else self.at(day))
            p.version = 1 + p._moves
            return rows

        lead_sig = Signature(proposal=p, person_id=s.lead.person_id, mandate=s.lead, role=Signature.Role.LEAD,
                             confirmed_at=p._created)
        lead_sig._invited = p._created
        rows.signatures.append(lead_sig)
        submit = s.created if (s.period == Proposal.Period.DURING_SESSION or s.on_paper) else \
            s.created + DAY * rng.randint(0, 3)
        for mandate in s.cosigners:
            sig = Signature(proposal=p, person_id=mandate.person_id, mandate=mandate, role=Signature.Role.COSIGNER)
            sig._invited = p._created
            answer = min(s.created + DAY * rng.randint(0, 2), submit)
            if s.on_paper:
                sig.confirmed_at = p._created
            elif mandate.person_id in s.pending or answer > today:
                pass
            elif mandate.person_id in s.declined:
                sig.declined_at = self.at(answer)
            else:
                sig.confirmed_at = max(self.at(answer), p._created)
            rows.signatures.append(sig)
        if s.stop == S.DRAFT or submit > today:
            return end(S.DRAFT, s.created)

        # Submitted; staff check it.
        p.submitted_at = max(self.at(submit), p._created)
        move("submit", S.DRAFT, S.SUBMITTED, p.submitted_at, user)
        if s.fate == "return":
            day = self.wd(submit, rng.randint(1, 4))
            if day > today:
                return end(S.SUBMITTED, p.submitted_at)
            p.return_reason = rng.choice(RETURN_REASONS)
            move("return", S.SUBMITTED, S.RETURNED, self.at(day), self.staff)
            return end(S.RETURNED, day)
        if s.fate == "withdraw":
            day = submit + DAY * rng.randint(1, 8)
            if day > today:
                return end(S.SUBMITTED, p.submitted_at)
            p.withdraw_reason = rng.choice(WITHDRAW_REASONS)
            move("withdraw", S.SUBMITTED, S.WITHDRAWN, self.at(day), user)
            return end(S.WITHDRAWN, day)

        if s.period == Proposal.Period.DURING_SESSION:
            registered = self.shared(s, "registered", lambda: self.office_day(
                s.session.closes_on + DAY * rng.randint(4, 18)))
        else:
            registered = self.shared(s, "registered", lambda: self.wd(submit, rng.randint(2, 8)))
        if s.stop == S.SUBMITTED or registered > today:
            return end(S.SUBMITTED, p.submitted_at)
        p.registered_at = self.at(registered)
        p.category, p.is_key = s.category, s.key
        move("register", S.SUBMITTED, S.REGISTERED, p.registered_at, self.staff)
        state, ready = S.REGISTERED, registered
        if s.fate == "withdraw_registered":
            day = registered + DAY * rng.randint(3, 20)
            if day > today:
                return end(S.REGISTERED, registered)
            p.withdraw_reason = rng.choice(WITHDRAW_REASONS)
            move("withdraw", S.REGISTERED, S.WITHDRAWN, self.at(day), user)
            return end(S.WITHDRAWN, day)
        if s.kind == Kind.MOTION:
            reviewed = self.wd(registered, rng.randint(3, 8))
            if s.stop == S.REGISTERED or reviewed > today:
                return end(S.REGISTERED, registered)
            ready = reviewed
            if s.convert:
                p.kind, p.converted_from_motion = Kind.SUGGESTION, True
                p._numbered = self.at(reviewed)
                p.docket_reason = rng.choice(CONVERT_REASONS)
                rule = self.rule[Kind.SUGGESTION]
                move("convert", S.REGISTERED, S.REGISTERED, p._numbered, self.staff)
            else:
                p.docket_reason = DOCKET_OPINION
                state = S.DOCKETED
                move("docket", S.REGISTERED, S.DOCKETED, self.at(reviewed), self.staff)
        if s.group is not None:
            p.merge_group = s.group
            self.shared(s, "group_at", lambda: self.at(self.wd(ready, 1)))

        assigned = self.shared(s, "assigned", lambda: self.wd(ready, rng.randint(3, 8)))
        if s.stop == state or assigned > today:
            return end(state, ready)
        p.assigned_at = self.at(assigned)
        lead_unit = s.unit or self.shared(s, "lead_unit", lambda: self.lead_unit_for(s.category))
        move("assign", state, S.ASSIGNED, p.assigned_at, self.staff, lead_unit.name)
        co_units = s.co_units if s.co_units is not None else self.shared(
            s, "co_units", lambda: self.co_units_for(s.category, lead_unit))
        lead = self.assign(rows, rule, lead_unit, Assignment.Role.LEAD, assigned, p.assigned_at)
        co = [self.assign(rows, rule, unit, Assignment.Role.CO, assigned, p.assigned_at) for unit in co_units]
        start = assigned
        if s.lead_return:
            back = self.wd(assigned, rng.randint(1, 4))
            if back > today:
                return end(S.ASSIGNED, assigned)
            other = self.shared(s, "other_unit", lambda: rng.choice(
                [u for u in self.all_units if u != lead_unit and u not in co_units]))
            lead.state, lead.returned_at = Assignment.State.RETURNED, self.at(back)
            lead.return_reason = rng.choice(UNIT_RETURN_REASONS).format(other=other.name)
            for deadline in lead._deadlines:  # closed, not met (services.handling.assignment_return)
                deadline.is_open = False
            p._moves += 1  # the return moves the item's version, not its state
            again = self.wd(back, rng.randint(1, 3))
            if s.no_reassign or again > today:
                return end(S.ASSIGNED, back)
            reassigned = max(self.at(again), lead.returned_at)
            move("reassign", S.ASSIGNED, S.ASSIGNED, reassigned, self.staff, other.name)
            lead_unit = other
            lead = self.assign(rows, rule, lead_unit, Assignment.Role.LEAD, again, reassigned)
            start = again
        # Co-units sign and send their opinion whatever the lead does.
        opinions = []
        for a in co:
            signed = self.shared(s, ("co_sign", a.unit.pk), lambda: self.wd(assigned, rng.randint(0, 4)))
            if signed <= today:
                self.accept(a, signed)
                if not s.co_opinion_pending:
                    opinions.append((a, self.shared(s, ("opinion", a.unit.pk),
                                                    lambda: signed + DAY * rng.randint(7, 28))))
        signed = self.shared(s, ("sign", lead_unit.pk), lambda: self.wd(start, rng.randint(0, 4)))
        if s.stop == S.ASSIGNED or signed > today:
            self.give_opinions(s, opinions, today)
            return end(S.ASSIGNED, start)
        self.accept(lead, signed)
        move("accept", S.ASSIGNED, S.HANDLING, lead.accepted_at, self.unit_account(lead_unit), lead_unit.name)
        reply_deadline = lead._reply
        due = reply_deadline.due_on
        if s.extension:
            due = self.extend(rows, s, lead, reply_deadline, signed)
        if s.late:
            replied = self.shared(s, "replied", lambda: due + DAY * rng.randint(5, 120))
        else:
            replied = self.shared(s, "replied", lambda: self.office_day(
                signed + DAY * rng.randint(20, max(21, (due - signed).days - 3))))
        replied = max(replied, signed + DAY)
        self.give_opinions(s, opinions, min(today, replied - DAY))
        self.communicate(rows, s, lead, signed, min(replied, today + DAY), rng.choice([1, 1, 2, 2, 3]))
        if s.stop == S.HANDLING or replied > today:
            return end(S.HANDLING, signed)

        reply = self.reply(rows, s, lead, 1, replied, rule, self.shared(
            s, "class", lambda: s.reply_class or _pick(rng, CLASS_WEIGHTS)))
        move("reply", S.HANDLING, S.REPLIED, reply.replied_at, reply.replied_by, f"{reply.reply_class.code} · round 1")
        if s.stop == S.REPLIED:
            return end(S.REPLIED, replied)
        rated = self.rate(rows, s, reply, 1)
        if rated is None:
            return end(S.REPLIED, replied)
        when, happy = rated
        if happy:
            p.closed_at = when
            by = rows.ratings[-1].rated_by if rows.ratings and rows.ratings[-1].rated_at == when else None
            move("close", S.REPLIED, S.CLOSED, when, by)
            return end(S.CLOSED, when)

        # 不满意: handled again by the same lead unit within the re-handling period.
        move("rehandle", S.REPLIED, S.REHANDLING, when, rows.ratings[-1].rated_by, "round 1: unsatisfied → round 2")
        p.round, day = 2, when.date()
        again = Assignment(proposal=p, unit=lead.unit, role=Assignment.Role.LEAD, round=2,
                           state=Assignment.State.ACCEPTED, assigned_at=when, accepted_at=when,
                           assigned_by=rows.ratings[-1].rated_by)
        rows.assignments.append(again)
        deadline = rules.rehandling_deadline(p, again, rule, day)
        rows.deadlines.append(deadline)
        if s.stop == S.REHANDLING:
            return end(S.REHANDLING, day)
        window = max(8, (deadline.due_on - day).days - 2)
        second = day + DAY * (rng.randint(8, window) if rng.random() > 0.05 else window + rng.randint(5, 20))
        second = self.office_day(second)
        self.communicate(rows, s, again, day, min(second, today + DAY), 1)
        if second > today:
            return end(S.REHANDLING, day)
        deadline.met_at, deadline.is_open = self.at(second), False
        reply2 = self.reply(rows, s, again, 2, second, rule, _pick(rng, CLASS_WEIGHTS_ROUND_2))
        move("reply", S.REHANDLING, S.REPLIED, reply2.replied_at, reply2.replied_by,
             f"{reply2.reply_class.code} · round 2")
        rated = self.rate(rows, s, reply2, 2)
        if rated is None:
            return end(S.REPLIED, second)
        p.closed_at, _closed = rated
        move("close", S.REPLIED, S.CLOSED, p.closed_at, None)
        return end(S.CLOSED, p.closed_at)

    def assign(self, rows: _Rows, rule, unit, role, day: datetime.date, when: datetime.datetime) -> Assignment:
        p = rows.proposal
        a = Assignment(proposal=p, unit=unit, role=role, round=1, state=Assignment.State.PENDING,
                       assigned_at=when, assigned_by=self.staff)
        a._deadlines = [rules.sign_deadline(p, a, rule, day)]
        if role == Assignment.Role.LEAD:
            a._reply = rules.reply_deadline(p, a, rule, day)
            a._deadlines.append(a._reply)
        else:
            a._opinion = rules.co_opinion_deadline(p, a, rule, day)
            a._deadlines.append(a._opinion)
        rows.assignments.append(a)
        rows.deadlines.extend(a._deadlines)
        return a

    def accept(self, a: Assignment, day: datetime.date) -> None:
        a.state, a.accepted_at = Assignment.State.ACCEPTED, max(self.at(day), a.assigned_at)
        sign = a._deadlines[0]
        sign.met_at, sign.is_open = a.accepted_at, False

    def give_opinions(self, s: Spec, opinions, until: datetime.date) -> None:
        for a, day in opinions:
            day = min(day, until)
            if day < a.accepted_at.date() or day > self.today:
                continue
            a.opinion = self.rng.choice(CO_OPINIONS).format(topic=s.topic)
            a.opinion_at = max(self.at(day), a.accepted_at)
            a._opinion.met_at, a._opinion.is_open = a.opinion_at, False

    def communicate(self, rows: _Rows, s: Spec, a: Assignment, first: datetime.date, last: datetime.date,
                    count: int) -> None:
        rng = self.rng
        span = (last - first).days
        if span < 2:
            return
        name = self.names[s.lead.person_id]
        for day in sorted({first + DAY * rng.randint(1, span - 1) for _i in range(count)}):
            if day > self.today:
                continue
            means = _pick(rng, MEANS_WEIGHTS)
            c = Communication(assignment=a, date=day, means=means, content=COMMUNICATIONS[means].format(
                name=name, topic=s.topic, place=s.place), recorded_by=self.unit_account(a.unit))
            c._recorded = self.at(day, 17, 19)
            rows.communications.append(c)

    def extend(self, rows: _Rows, s: Spec, lead: Assignment, deadline: Deadline, signed: datetime.date):
        """The lead unit asks for more time a few weeks before its reply is due; the office decides."""
        rng, today = self.rng, self.today
        due = deadline.due_on
        asked = max(signed + DAY * 5, due - DAY * rng.randint(10, 25))
        if asked > today:
            return due
        latest = rules.latest_extension_date(deadline)
        wanted = min(calendar.months_deadline(due, rng.choice([1, 2])), latest)
        decided = asked + DAY * rng.randint(2, 7)
        ext = ExtensionRequest(deadline=deadline, assignment=lead, requested_due_on=wanted,
                               reason=rng.choice(EXTENSION_REASONS), requested_by=self.unit_account(lead.unit))
        ext._requested = self.at(asked)
        rows.extensions.append(ext)
        if s.extension == "pending" or decided > today:
            return due
        ext.decided_by, ext.decided_at = self.staff, self.at(decided)
        if s.extension == "refused":
            ext.state, ext.decision_note = ExtensionRequest.State.REFUSED, "理由不充分，请按期答复。"
            return due
        ext.state, ext.decision_note = ExtensionRequest.State.APPROVED, "同意延期。"
        ext.previous_due_on, deadline.due_on = due, wanted
        return wanted

    def reply(self, rows: _Rows, s: Spec, a: Assignment, round_: int, day: datetime.date, rule, code: str) -> Reply:
        rng = self.rng
        p = rows.proposal
        promised = None
        if self.classes[code].needs_follow_up:
            promised = day + DAY * rng.randint(60, 300)
            if s.follow_up and round_ == p.round:
                promised = self.today - DAY * rng.randint(3, 12)
                promised = max(promised, day + DAY * 20)
        text = REPLIES[code].format(name=self.names[s.lead.person_id], title=p.title, ask=s.topic,
                                    next_year=day.year + 1, promised=f"{promised:%Y年%m月}" if promised else "")
        reply = Reply(proposal=p, assignment=a, round=round_, reply_class=self.classes[code], text=text,
                      promised_on=promised, is_public=rng.random() > 0.05, replied_at=self.at(day),
                      replied_by=self.unit_account(a.unit))
        rows.replies.append(reply)
        for deadline in a._deadlines if hasattr(a, "_deadlines") else ():
            if deadline.kind == Deadline.Kind.REPLY:
                deadline.met_at, deadline.is_open = reply.replied_at, False
        rating = rules.rating_deadline(p, rule, day, round_)
        rows.deadlines.append(rating)
        reply._rating = rating
        p.replied_at = reply.replied_at
        if promised is not None:
            self.follow_up(rows, s, reply, rule)
        return reply

    def rate(self, rows: _Rows, s: Spec, reply: Reply, round_: int):
        """The counting signers rate, as ``apps.proposals.services.ratings`` has it: in round 1 the first 不满意
        sends the item back at once; otherwise it closes when all have rated, or when the rating window ends
        (the daily ``ratings_close_expired``; some co-signers never rate). Returns (when it moved on, whether it
        closed) or None while it still awaits ratings."""
        rng, today = self.rng, self.today
        R = Rating.Result
        signers = [sig for sig in rows.signatures if sig.role == Signature.Role.LEAD or sig.confirmed_at]
        if round_ == 1:
            happy = not s.unsatisfied if s.unsatisfied is not None else rng.random() < 0.85
            if happy:
                results = [_pick(rng, [(R.SATISFIED, 65), (R.BASICALLY_SATISFIED, 35)]) for _sig in signers]
            else:
                unhappy = 0 if len(signers) == 1 or s.unsatisfied or rng.random() < 0.7 else \
                    rng.randrange(1, len(signers))
                results = [R.UNSATISFIED if i == unhappy else _pick(rng, [(R.SATISFIED, 40), (
                    R.BASICALLY_SATISFIED, 40), (R.UNSATISFIED, 20)]) for i in range(len(signers))]
        else:
            results = [_pick(rng, [(R.SATISFIED, 35), (R.BASICALLY_SATISFIED, 45), (R.UNSATISFIED, 20)])
                       for _sig in signers]
        replied = reply.replied_at.date()
        events = []
        for index, (sig, result) in enumerate(zip(signers, results)):
            if sig.role == Signature.Role.COSIGNER and not s.unsatisfied and rng.random() < 0.1:
                continue  # never rates
            events.append((self.wd(replied, rng.randint(2, 15)), index, sig, result))
        events.sort(key=lambda event: event[:2])
        window = reply._rating
        for day, _key, sig, result in events:
            if day > today:
                return None
            comment = rng.choice(UNSATISFIED_COMMENTS) if result == R.UNSATISFIED else rng.choice(SATISFIED_COMMENTS)
            rows.ratings.append(Rating(proposal=rows.proposal, reply=reply, signature=sig, round=round_,
                                       result=result, comment=comment, rated_at=self.at(day),
                                       rated_by=self.user_of(sig.person_id)))
            if round_ == 1 and result == R.UNSATISFIED:
                window.met_at, window.is_open = rows.ratings[-1].rated_at, False
                return window.met_at, False
        if len(events) == len(signers):
            window.met_at, window.is_open = rows.ratings[-1].rated_at, False
            return window.met_at, True
        closing = window.due_on + DAY  # the day after the window ended (ratings_close_expired, a daily task)
        if closing > today:
            return None
        window.met_at, window.is_open = self.at(closing, 2, 3), False
        return window.met_at, True

    def follow_up(self, rows: _Rows, s: Spec, reply: Reply, rule) -> None:
        """B and C replies (``services.handling``): a follow-up due at the promised date, with its deadline; the
        unit reports, the signers say whether it is solved — if not, another report three months later."""
        rng, today = self.rng, self.today
        due, start = reply.promised_on, reply.replied_at.date()
        for _i in range(3):
            f = FollowUp(proposal=rows.proposal, reply=reply, due_on=due)
            deadline = Deadline(proposal=rows.proposal, assignment=reply.assignment, kind=Deadline.Kind.FOLLOW_UP,
                                round=reply.round, starts_on=start, due_on=due, rule=rule, rule_field="promised_on")
            rows.follow_ups.append(f)
            rows.deadlines.append(deadline)
            if (s.follow_up == "due" and reply.round == rows.proposal.round) or due - DAY * 7 > today:
                return
            reported = max(min(due - DAY * rng.randint(0, 7), today), start + DAY)
            if reported > today:
                return
            f.progress, f.reported_at = rng.choice(PROGRESS), self.at(reported)
            f.reported_by = self.unit_account(reply.assignment.unit)
            deadline.met_at, deadline.is_open = f.reported_at, False
            answered = reported + DAY * rng.randint(2, 12)
            if (s.follow_up == "reported" and reply.round == rows.proposal.round) or answered > today:
                return
            f.is_solved, f.answered_at = rng.random() < 0.65, self.at(answered)
            f.answered_by = self.user_of(s.lead.person_id)
            if f.is_solved:
                return
            due, start = calendar.months_deadline(answered, 3), answered

    def supervise(self, rows: _Rows, s: Spec) -> None:
        """A key item: a council member leads its supervision, a special committee tracks it."""
        rng, today = self.rng, self.today
        p = rows.proposal
        if not self.council or p.assigned_at is None:
            return
        start = p.assigned_at.date() + DAY * rng.randint(0, 10)
        if start > today:
            return
        committee = self.committees.get(COMMITTEE_BY_CATEGORY.get(s.category.name, ""))
        rows.supervision = Supervision(proposal=p, leader=rng.choice(self.council), committee=committee,
                                       started_on=start, created_by=self.staff)
        end = min(today, p.closed_at.date() if p.closed_at else today)
        unit = next((a.unit for a in rows.assignments if a.role == Assignment.Role.LEAD
                     and a.state != Assignment.State.RETURNED), None)
        if unit is None:
            return
        for _i in range(rng.randint(1, 4)):
            span = (end - start).days
            if span < 1:
                break
            day = start + DAY * rng.randint(1, span)
            kind = rng.choice(list(SUPERVISION_RECORDS))
            record = SupervisionRecord(supervision=rows.supervision, kind=kind, date=day, content=SUPERVISION_RECORDS[
                kind].format(unit=unit.name, topic=s.topic), recorded_by=self.staff)
            record._recorded = self.at(day, 17, 19)
            rows.records.append(record)

    def keep(self, rows: _Rows) -> _Rows:
        self.kept.append(rows)
        return rows

    # --- a year of items ---------------------------------------------------------------------------------------
    def spec(self, year: int, kind: str, **fields) -> Spec:
        rng = self.rng
        session = self.sessions[year]
        period = fields.pop("period", None) or (
            Proposal.Period.DURING_SESSION if rng.random() < DURING_SESSION_SHARE else Proposal.Period.BETWEEN_SESSIONS)
        created = fields.pop("created", None)
        if created is None:
            if period == Proposal.Period.DURING_SESSION:
                created = session.opens_on + DAY * rng.randint(0, (session.closes_on - session.opens_on).days - 1)
            else:
                first = session.closes_on + DAY * 10
                last = min(datetime.date(year, 12, 20), self.today)
                if last < first:  # early in the year: nothing raised between sessions yet
                    period, last = Proposal.Period.DURING_SESSION, session.closes_on
                    first = session.opens_on
                created = first + DAY * rng.randint(0, max(0, (last - first).days))
            created = min(created, self.today)
        lead = fields.pop("lead", None)
        if kind == Kind.MOTION:
            text = self.motion_text()
            lead = lead or self.pick_deputies(1)[0]
            cosigners = fields.pop("cosigners", None) or self.pick_deputies(rng.randint(9, 14),
                                                                            exclude=[lead.person_id])
        else:
            category = fields.pop("category_name", None) or _pick(rng, list(CATEGORY_WEIGHTS.items()))
            text = self.suggestion_text(category)
            lead = lead or self.pick_deputies(1)[0]
            cosigners = fields.pop("cosigners", None)
            if cosigners is None:
                n = rng.choice([0] * 14 + [1, 1, 2, 2, 3, 4])
                cosigners = self.pick_deputies(n, exclude=[lead.person_id]) if n else []
        fields.pop("category_name", None)
        declined = frozenset(m.person_id for m in cosigners if kind == Kind.SUGGESTION and rng.random() < 0.05)
        return Spec(year=year, session=session, kind=kind, period=period, created=created, lead=lead,
                    cosigners=cosigners, declined=fields.pop("declined", declined), **text, **fields)

    def random_fates(self, spec: Spec) -> Spec:
        rng = self.rng
        roll = rng.random()
        if roll < 0.025:
            spec.fate = "return"
        elif roll < 0.035:
            spec.fate = "withdraw"
        elif roll < 0.045:
            spec.fate = "withdraw_registered"
        spec.on_paper = rng.random() < 0.05
        spec.late = rng.random() < 0.1
        spec.lead_return = rng.random() < 0.03
        if rng.random() < 0.04:
            spec.extension = _pick(rng, [("approved", 75), ("refused", 15), ("pending", 10)])
        if spec.kind == Kind.MOTION:
            spec.convert = rng.random() < 0.3
            spec.fate = ""
        return spec

    def year_items(self, year: int) -> None:
        rng, ctx = self.rng, self.ctx
        suggestions, (low, high) = VOLUME[ctx.scale]
        for _i in range(rng.randint(low, high)):
            self.keep(self.walk(self.random_fates(self.spec(year, Kind.MOTION,
                                                            period=Proposal.Period.DURING_SESSION))))
        in_groups = self.merge_groups(year)
        keys = set(rng.sample(range(suggestions), KEY_ITEMS[ctx.scale]))
        for i in range(suggestions - in_groups):
            spec = self.random_fates(self.spec(year, Kind.SUGGESTION))
            if i in keys:
                spec.key, spec.fate, spec.period = True, "", Proposal.Period.DURING_SESSION
                spec.created = self.sessions[year].opens_on
            if year == self.today.year and spec.created >= self.today - DAY * 12 and rng.random() < 0.25:
                spec.stop = S.DRAFT  # still being written
            rows = self.keep(self.walk(spec))
            if spec.key:
                self.supervise(rows, spec)

    def merge_groups(self, year: int) -> int:
        """Deputies raising the same matter at the session: staff handle 2–4 items together."""
        rng, count = self.rng, 0
        session = self.sessions[year]
        for _g in range(MERGE_GROUPS[self.ctx.scale]):
            first = self.spec(year, Kind.SUGGESTION, period=Proposal.Period.DURING_SESSION, created=session.opens_on)
            if first.created > self.today:
                break
            group = MergeGroup(name=f"{first.title.removesuffix('的建议').removesuffix('的几点建议')}（并案办理）"[:200],
                               created_by=self.staff)
            shared = {}
            members = [first] + [
                self.spec(year, Kind.SUGGESTION, period=Proposal.Period.DURING_SESSION,
                          created=session.opens_on + DAY * rng.randint(0, 2), category_name=first.category.name)
                for _i in range(rng.randint(1, 3))]
            for spec in members:
                spec.group, spec.shared = group, shared
                spec.title = spec.title if spec is first else _similar_title(rng, first)
                spec.content, spec.keywords, spec.topic = first.content, first.keywords, first.topic
                spec.category = first.category
                self.keep(self.walk(spec))
            if "group_at" in shared:
                group._created = shared["group_at"]
                self.groups.append(group)
            else:
                for rows in self.kept[-len(members):]:
                    rows.proposal.merge_group = None
            count += len(members)
        return count

    # --- the demo accounts' items ----------------------------------------------------------------------------------
    def forced(self, check, *, days_ago: int, step: int = 7, kind=Kind.SUGGESTION, period=None, **fields) -> _Rows:
        """An item whose story ends as ``check`` wants: started about ``days_ago`` days before today (at that
        year's session when ``period`` is during the session), a little earlier or later until it does."""
        for attempt in range(120):
            shift = (attempt + 1) // 2 * step * (1 if attempt % 2 else -1)  # 0, +step, -step, +2 step ...
            created = self.today - DAY * max(1, days_ago + shift)
            year = created.year
            if year not in self.sessions or created < self.sessions[year].opens_on:
                year -= 1
            if year not in self.sessions:
                continue
            session = self.sessions[year]
            if period == Proposal.Period.DURING_SESSION or created <= session.closes_on:
                when, created = Proposal.Period.DURING_SESSION, session.opens_on
            else:
                when = Proposal.Period.BETWEEN_SESSIONS
            spec = self.spec(year, kind, created=created, period=when, **fields)
            rows = self.walk(spec)
            if check(rows):
                self.keep(rows)
                if spec.key:
                    self.supervise(rows, spec)
                return rows
        raise RuntimeError(f"no demo item came out as wanted: {fields}")

    def deputy_items(self) -> None:
        """张三丰 leads an item in every state, co-signs others, and has an invitation to answer."""
        zhang = self.zhang
        today = self.today

        def state(wanted, extra=lambda rows: True):
            return lambda rows: rows.proposal.state == wanted and extra(rows)

        def open_deadline(kind):
            return lambda rows: any(d.kind == kind and d.is_open and d.due_on >= today for d in rows.deadlines)

        mine = dict(lead=zhang, cosigners=[])
        self.forced(state(S.DRAFT), days_ago=1, stop=S.DRAFT, **mine)
        self.forced(state(S.SUBMITTED), days_ago=4, stop=S.SUBMITTED, **mine)
        self.forced(state(S.RETURNED), days_ago=12, fate="return", **mine)
        self.forced(state(S.WITHDRAWN), days_ago=30, fate="withdraw", **mine)
        self.forced(state(S.REGISTERED), days_ago=14, stop=S.REGISTERED, category_name="交通", **mine)
        self.forced(state(S.DOCKETED), days_ago=300, stop=S.DOCKETED, kind=Kind.MOTION,
                    period=Proposal.Period.DURING_SESSION, lead=zhang)
        self.forced(state(S.ASSIGNED), days_ago=18, stop=S.ASSIGNED, category_name="城建", **mine)
        self.forced(state(S.HANDLING, open_deadline(Deadline.Kind.REPLY)), days_ago=45, stop=S.HANDLING,
                    category_name="教育", **mine)
        self.forced(state(S.REPLIED, open_deadline(Deadline.Kind.RATING)), days_ago=70, step=3, stop=S.REPLIED,
                    category_name="卫生", reply_class="A", **mine)
        self.forced(state(S.REHANDLING, open_deadline(Deadline.Kind.REHANDLING)), days_ago=110, step=4,
                    stop=S.REHANDLING, unsatisfied=True, category_name="城建", unit=self.account_unit, **mine)
        self.forced(state(S.CLOSED), days_ago=300, unsatisfied=False, reply_class="A",
                    period=Proposal.Period.DURING_SESSION, key=True, category_name="城建", **mine)
        self.forced(state(S.CLOSED, lambda rows: rows.proposal.round == 2), days_ago=300, unsatisfied=True,
                    period=Proposal.Period.DURING_SESSION, category_name="社会保障", **mine)
        self.forced(state(S.CLOSED, lambda rows: any(f.reported_at and f.answered_at is None
                                                      for f in rows.follow_ups)),
                    days_ago=200, step=5, unsatisfied=False, reply_class="B", follow_up="reported",
                    category_name="生态环境", **mine)
        # As a co-signer: one awaiting his rating, one closed, one invitation to answer, one declined.
        others = [m for m in self.deputies if m.person_id != zhang.person_id]
        self.forced(state(S.REPLIED, lambda rows: not any(r.signature.person_id == zhang.person_id
                                                          for r in rows.ratings) and open_deadline(
            Deadline.Kind.RATING)(rows)), days_ago=70, step=3, stop=S.REPLIED, lead=others[0],
                    cosigners=[zhang, others[1]], category_name="经济", reply_class="B", declined=frozenset())
        self.forced(state(S.CLOSED), days_ago=300, unsatisfied=False, period=Proposal.Period.DURING_SESSION,
                    lead=others[2], cosigners=[zhang], declined=frozenset())
        self.forced(state(S.DRAFT), days_ago=1, stop=S.DRAFT, lead=others[3], cosigners=[zhang, others[4]],
                    pending=frozenset({zhang.person_id}), declined=frozenset())
        self.forced(state(S.SUBMITTED), days_ago=5, stop=S.SUBMITTED, lead=others[5], cosigners=[zhang],
                    declined=frozenset({zhang.person_id}))

    def unit_items(self) -> None:
        """The ``unit`` account's unit has something at every step of its work."""
        unit, today = self.account_unit, self.today

        def state(wanted, extra=lambda rows: True):
            return lambda rows: rows.proposal.state == wanted and extra(rows)

        def lead_deadline(kind, overdue=False):
            return lambda rows: any(d.kind == kind and d.is_open and (d.due_on < today if overdue else
                                                                       d.due_on >= today) for d in rows.deadlines)

        ours = dict(unit=unit, category_name="城建", cosigners=[])
        self.forced(state(S.ASSIGNED, lead_deadline(Deadline.Kind.SIGN)), days_ago=5, step=1, stop=S.ASSIGNED,
                    **ours)
        self.forced(state(S.HANDLING, lead_deadline(Deadline.Kind.REPLY)), days_ago=30, stop=S.HANDLING, **ours)
        self.forced(state(S.HANDLING, lead_deadline(Deadline.Kind.REPLY, overdue=True)), days_ago=130,
                    stop=S.HANDLING, **ours)
        self.forced(state(S.HANDLING, lambda rows: any(e.state == ExtensionRequest.State.PENDING
                                                       for e in rows.extensions)),
                    days_ago=85, step=3, stop=S.HANDLING, extension="pending", **ours)
        self.forced(state(S.REPLIED, lead_deadline(Deadline.Kind.RATING)), days_ago=70, step=3, stop=S.REPLIED,
                    **ours)
        self.forced(state(S.REHANDLING, lead_deadline(Deadline.Kind.REHANDLING)), days_ago=110, step=4,
                    stop=S.REHANDLING, unsatisfied=True, **ours)
        self.forced(state(S.CLOSED, lambda rows: any(f.reported_at is None and f.due_on < today
                                                      for f in rows.follow_ups)),
                    days_ago=200, step=5, unsatisfied=False, reply_class="C", follow_up="due", **ours)
        self.forced(state(S.HANDLING, lambda rows: any(a.role == Assignment.Role.CO and a.unit == unit
                                                       and a.opinion_at is None for a in rows.assignments)),
                    days_ago=30, stop=S.HANDLING, category_name="交通", co_units=[unit], co_opinion_pending=True,
                    unit=self.units["市交通运输局"], cosigners=[])
        self.forced(state(S.CLOSED), days_ago=280, **ours)
        # A lead unit that returned an item no one has reassigned yet (the office's work list).
        self.forced(state(S.ASSIGNED, lambda rows: not any(a.role == Assignment.Role.LEAD and a.state in (
            Assignment.State.PENDING, Assignment.State.ACCEPTED) for a in rows.assignments)),
                    days_ago=8, step=1, lead_return=True, no_reassign=True, category_name="其他", cosigners=[])

    # --- the whole demo ---------------------------------------------------------------------------------------------
    def build(self) -> None:
        ctx = self.ctx
        self.sessions_by_term = _sessions(ctx, self.today)
        self.sessions = self.sessions_by_term[self.term.pk]
        for year in self.years:
            if year in self.sessions:
                self.year_items(year)
        self.deputy_items()
        self.unit_items()
        self.number()
        self.save()
        states = defaultdict(int)
        for rows in self.kept:
            states[rows.proposal.state] += 1
        ctx.log(f"proposals: {sum(len(s) for s in self.sessions_by_term.values())} sessions, {len(self.kept)} items "
                f"({', '.join(f'{k} {v}' for k, v in sorted(states.items()))}), {len(self.groups)} merge groups")

    def number(self) -> None:
        """Numbers per session and kind, in the order of registration (a converted motion gets a suggestion's
        number when it is converted)."""
        registered = sorted((rows.proposal for rows in self.kept if rows.proposal.registered_at is not None),
                            key=lambda p: (getattr(p, "_numbered", p.registered_at), p._created))
        counters = defaultdict(int)
        for p in registered:
            key = (p.year, p.session.pk, p.kind)
            counters[key] += 1
            p.number = counters[key]

    def save(self) -> None:
        """COPY every row, with ids drawn from the tables' sequences first (the rows point at each other);
        the times ``auto_now_add`` would set to now are each row's own."""
        kept = self.kept

        def flat(name):
            return [row for rows in kept for row in getattr(rows, name)]

        proposals = [rows.proposal for rows in kept]
        for p in proposals:
            p.created_at, p.updated_at = p._created, p._updated
        signatures = flat("signatures")
        for sig in signatures:
            sig.invited_at = sig._invited
        communications = flat("communications")
        for c in communications:
            c.recorded_at = c._recorded
        extensions = flat("extensions")
        for e in extensions:
            e.requested_at = e._requested
        records = flat("records")
        for r in records:
            r.recorded_at = r._recorded
        for g in self.groups:
            g.created_at = g._created
        for model, objs in ((MergeGroup, self.groups), (Proposal, proposals), (Signature, signatures),
                            (Assignment, flat("assignments")), (Deadline, flat("deadlines")),
                            (ExtensionRequest, extensions), (Communication, communications),
                            (Reply, flat("replies")), (Rating, flat("ratings")), (FollowUp, flat("follow_ups")),
                            (Supervision, [rows.supervision for rows in kept if rows.supervision]),
                            (SupervisionRecord, records)):
            _copy(model, objs)
        self.save_history()

    def save_history(self) -> None:
        """The state changes as the services audit them (``AuditEvent.Action.PROPOSAL_STATE``), so that an
        item's page shows its history. The audit log is append-only: COPY adds, the demo reset truncates."""
        label = Proposal._meta.label
        columns = ("created_at", "user_id", "username", "ip_address", "action", "object_type", "object_id",
                   "detail", "success")
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f'COPY "{AuditEvent._meta.db_table}" ({", ".join(columns)}) FROM STDIN') as copy:
                for rows in self.kept:
                    pk = str(rows.proposal.pk)
                    for when, by, action, before, after, note in rows.history:
                        detail = f"{action}: {before} → {after}" + (f" · {note}" if note else "")
                        copy.write_row((when, by.pk if by else None, by.username if by else "", None,
                                        AuditEvent.Action.PROPOSAL_STATE, label, pk, detail[:500], True))


def _similar_title(rng, first: Spec) -> str:
    """Another deputy's title for the same matter."""
    what = first.title.removeprefix("关于").removesuffix("的建议").removesuffix("的几点建议")
    return rng.choice([f"关于{what}的建议", f"关于进一步{what}的建议", f"关于{what}工作的建议",
                       f"关于切实{what}的几点建议"])[:200]


def _pick(rng, weighted):
    values, weights = zip(*weighted)
    return rng.choices(values, weights)[0]


def _copy(model, objs: list) -> None:
    """Write model instances with COPY (ten times faster than ``bulk_create``): ids are drawn from the table's
    sequence and given to the instances, so that rows written after them can point at them."""
    if not objs:
        return
    meta = model._meta
    fields = meta.concrete_fields
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                       [meta.db_table, len(objs)])
        for obj, (pk,) in zip(objs, cursor.fetchall()):
            obj.pk = pk
        columns = ", ".join(f'"{f.column}"' for f in fields)
        getters = []
        for f in fields:
            if f.is_relation:
                getters.append(lambda obj, f=f: getattr(obj, f.attname) if getattr(obj, f.attname) is not None
                               else getattr(obj._state.fields_cache.get(f.name), "pk", None))
            else:
                getters.append(lambda obj, name=f.attname: getattr(obj, name))
        with cursor.cursor.copy(f'COPY "{meta.db_table}" ({columns}) FROM STDIN') as copy:
            for obj in objs:
                copy.write_row([get(obj) for get in getters])
