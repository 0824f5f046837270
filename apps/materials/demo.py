"""Demo materials for deputies (知情知政): the documents of the city congress's sessions of last year and this year
in a pack each (会议材料包), laws and regulations, training materials and government reports, and the session
documents of the counties, each a small real PDF.

Run by ``manage.py seed_demo`` after ``apps.proposals.demo`` (whose congress sessions the packs belong to).
``small``: 20 documents of the city and 2 of 南关区 (its session pack); ``changchun``: the same 20 and 2 of every
county. The city's session documents and government reports are for the municipal deputies, laws and training
materials for every level; the counties' for their county deputies. Each PDF (one A4 page: the title and a few
paragraphs, the CJK font of ``apps.core.pdf`` embedded) is written once under ``materials/demo/`` of the media
storage, named by a digest of what it says, and reused by a later seed; ``reset`` deletes the rows, not the files.
Rows are bulk-inserted: adding a document writes no state a service would move.

It draws nothing at random (``ctx.rng`` untouched, so the seeders after it draw as they always did).
"""

from __future__ import annotations

import datetime
import hashlib
import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from apps.core.demo import DemoContext, wipe
from apps.deputies.models import Level, Session
from apps.materials.models import Category, Document, DocumentPack

FILE_VERSION = "v1"  # in the digest naming each file: bump it when the layout of the PDFs changes
# The documents of a session of the city congress: (title, category).
CITY_SESSION = [
    ("{year}年长春市人民政府工作报告", Category.GOVERNMENT),
    ("关于长春市{prev}年国民经济和社会发展计划执行情况与{year}年计划草案的报告", Category.SESSION),
    ("关于长春市{prev}年预算执行情况和{year}年预算草案的报告", Category.SESSION),
    ("长春市人民代表大会常务委员会工作报告", Category.SESSION),
    ("长春市中级人民法院工作报告", Category.SESSION),
]
LAWS = [
    "中华人民共和国宪法",
    "中华人民共和国全国人民代表大会和地方各级人民代表大会代表法",
    "中华人民共和国地方各级人民代表大会和地方各级人民政府组织法",
    "吉林省实施《中华人民共和国全国人民代表大会和地方各级人民代表大会代表法》办法",
    "长春市物业管理条例",
]
TRAINING = ["市人大代表履职学习手册", "如何提出高质量的代表建议（培训课件）", "审查预算决算的基本知识（培训课件）"]
GOVERNMENT = ["市人民政府关于城市更新工作情况的报告", "市人民政府关于优化营商环境工作情况的报告"]
COUNTY_SESSION = ["{year}年{county}人民政府工作报告", "{county}人民代表大会常务委员会工作报告"]
PARAGRAPHS = {
    Category.SESSION: ["现将报告提请大会审议，并请各位代表提出意见。",
                       "过去一年，在市委的坚强领导下，全市上下坚持稳中求进工作总基调，经济社会发展取得新成效。",
                       "今年工作的总体要求是：深入贯彻落实党中央决策部署，扎实推动高质量发展，持续保障和改善民生。"],
    Category.GOVERNMENT: ["各位代表：现在，我代表市人民政府向大会报告工作，请予审议。",
                          "过去一年，全市地区生产总值稳步增长，城乡居民收入持续提高，民生实事项目全部完成。",
                          "新的一年，我们将坚持以人民为中心的发展思想，加快建设现代化都市圈。"],
    Category.LAW: ["本文本为代表学习参考文本，以正式公布的文本为准。",
                   "第一条 为保证代表依法行使职权，履行代表的义务，发挥代表作用，根据宪法，制定本法。",
                   "第二条 代表依照法律规定选举产生，代表人民的利益和意志，依照法律赋予的职权参加行使国家权力。"],
    Category.TRAINING: ["本材料供人大代表学习培训使用。",
                        "一、代表建议应当一事一议，内容具体，有情况、有分析、有建议。",
                        "二、提出建议前应当深入调查研究，广泛听取人民群众的意见。"],
}
TAGS = {Category.SESSION: ["会议材料"], Category.GOVERNMENT: ["政府报告"], Category.LAW: ["法律法规", "代表法"],
        Category.TRAINING: ["培训", "履职"]}


def has_data() -> bool:
    return Document.objects.exists()


def seed(ctx: DemoContext) -> None:
    _MaterialsBuilder(ctx).build()


def reset(ctx: DemoContext) -> None:
    """Delete the documents and packs (before ``apps.proposals.demo.reset`` deletes the sessions); the files stay,
    for the next seed to reuse."""
    wipe(Document, DocumentPack)


class _MaterialsBuilder:
    def __init__(self, ctx: DemoContext):
        self.ctx = ctx
        self.today = timezone.localdate()
        self.staff = ctx.accounts["staff"]
        self.county_staff = ctx.accounts.get("staff_nanguan")
        self.rows: list[Document] = []
        self.uploaded: list[datetime.date] = []
        self.written = 0

    def build(self) -> None:
        ctx = self.ctx
        city = ctx.city
        years = (self.today.year - 1, self.today.year)
        sessions = {(s.term.jurisdiction_id, s.opens_on.year): s for s in Session.objects.filter(
            term__level__in=(Level.MUNICIPAL, Level.COUNTY), opens_on__year__in=years).select_related("term")}
        packs = []
        for year in years:
            session = sessions.get((city.pk, year))
            if session is None:  # this year's session is not held yet (early January)
                continue
            pack = DocumentPack(title=f"{session.name}会议材料", session=session, jurisdiction=city)
            packs.append(pack)
            for title, category in CITY_SESSION:
                self.add(title.format(year=year, prev=year - 1), category, city, Level.MUNICIPAL, session.opens_on,
                         pack=pack, tags=[str(year)])
        for i, title in enumerate(LAWS):
            self.add(title, Category.LAW, city, "", self.days_ago(300 - 40 * i))
        for i, title in enumerate(TRAINING):
            self.add(title, Category.TRAINING, city, "", self.days_ago(200 - 50 * i))
        for i, title in enumerate(GOVERNMENT):
            self.add(title, Category.GOVERNMENT, city, Level.MUNICIPAL, self.days_ago(120 - 60 * i))
        counties = ctx.counties.items() if ctx.large else [(n, c) for n, c in ctx.counties.items() if n == "南关区"]
        for name, county in counties:
            session = sessions.get((county.pk, self.today.year)) or sessions.get((county.pk, self.today.year - 1))
            if session is None:
                continue
            pack = DocumentPack(title=f"{session.name}会议材料", session=session, jurisdiction=county)
            packs.append(pack)
            for title in COUNTY_SESSION:
                self.add(title.format(year=session.opens_on.year, county=name), Category.SESSION, county,
                         Level.COUNTY, session.opens_on, pack=pack, tags=[str(session.opens_on.year)],
                         user=self.county_staff if name == "南关区" else None)
        DocumentPack.objects.bulk_create(packs)
        for row in self.rows:
            row.pack_id = row.pack.pk if row.pack else None
        documents = Document.objects.bulk_create(self.rows)
        with connection.cursor() as cursor:  # uploaded on their day (auto_now_add said now)
            cursor.executemany(
                f'UPDATE "{Document._meta.db_table}" SET uploaded_at = %s WHERE id = %s',
                [(self.at(day), d.pk) for d, day in zip(documents, self.uploaded)])
            cursor.executemany(
                f'UPDATE "{DocumentPack._meta.db_table}" SET created_at = %s WHERE id = %s',
                [(self.at(p.session.opens_on - datetime.timedelta(days=3)), p.pk) for p in packs])
        self.ctx.log(f"materials: {len(documents)} documents in {len(packs)} packs ({self.written} files written)")

    def days_ago(self, days: int) -> datetime.date:
        return self.today - datetime.timedelta(days=max(days, 0))

    def at(self, day: datetime.date) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(min(day, self.today), datetime.time(9, 30)))

    def add(self, title, category, jurisdiction, level, day, *, pack=None, tags=(), user=None) -> None:
        digest = hashlib.sha256(f"{FILE_VERSION}|{category}|{title}".encode()).hexdigest()[:16]
        name = f"materials/demo/{digest}.pdf"
        content = None
        if not default_storage.exists(name):
            content = _pdf(title, PARAGRAPHS[category])
            name = default_storage.save(name, ContentFile(content))
            self.written += 1
        size = len(content) if content is not None else default_storage.size(name)
        self.rows.append(Document(
            title=title, category=category, tags=TAGS[category] + list(tags), level=level, jurisdiction=jurisdiction,
            pack=pack, file=name, original_name=f"{title}.pdf"[-200:], content_type="application/pdf", size=size,
            uploaded_by=user or self.staff))
        self.uploaded.append(day)


def _pdf(title: str, paragraphs: list[str]) -> bytes:
    """A one-page A4 PDF: the title and the paragraphs, in the embedded CJK font (reportlab's built-in 宋体 CID
    font, not embedded, where no font file is installed)."""
    from django.core.exceptions import ImproperlyConfigured
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    try:
        from apps.core.pdf import cjk_font

        font = cjk_font()
    except ImproperlyConfigured:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont

        font = "STSong-Light"
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    width, height = A4
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4, invariant=True)  # invariant: the same text gives the same bytes
    page.setTitle(title)
    page.setFont(font, 16)
    y = height - 90
    for line in _wrap(title, 28):
        page.drawCentredString(width / 2, y, line)
        y -= 24
    page.setFont(font, 11)
    y -= 16
    for paragraph in paragraphs:
        for line in _wrap("　　" + paragraph, 40):
            page.drawString(70, y, line)
            y -= 20
        y -= 6
    page.setFont(font, 9)
    page.drawCentredString(width / 2, 50, "长春市人大常委会 · 代表履职服务平台演示材料")
    page.showPage()
    page.save()
    return out.getvalue()


def _wrap(text: str, width: int) -> list[str]:
    return [text[i:i + width] for i in range(0, len(text), width)] or [""]
