"""Materials on the root cast: a city document for municipal deputies, and a document of 朝阳区 (other_county)."""

import datetime

import pytest
from django.core.files.base import ContentFile

from apps.deputies.models import Level, Session
from apps.materials.models import Category, Document, DocumentPack

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n"


def make_document(jurisdiction, *, title="市人民政府工作报告", level="", category=Category.GOVERNMENT, pack=None,
                  tags=()):
    document = Document(title=title, category=category, jurisdiction=jurisdiction, level=level, pack=pack,
                        tags=list(tags), original_name=f"{title}.pdf", content_type="application/pdf",
                        size=len(PDF))
    document.file.save("document.pdf", ContentFile(PDF), save=False)
    document.save()
    return document


def make_session(term, number=3):
    return Session.objects.create(term=term, number=number, name=f"{term.name}第{number}次会议",
                                  opens_on=datetime.date(2026, 1, 10), closes_on=datetime.date(2026, 1, 14))


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def city_document(city):
    return make_document(city, level=Level.MUNICIPAL)


@pytest.fixture
def other_pack(other_county_term, other_county):
    return DocumentPack.objects.create(title="朝阳区第十九届人大第三次会议材料", session=make_session(other_county_term),
                                       jurisdiction=other_county)


@pytest.fixture
def other_document(other_county, other_pack):
    return make_document(other_county, title="朝阳区财政预算报告", level=Level.COUNTY, pack=other_pack,
                         category=Category.SESSION)
