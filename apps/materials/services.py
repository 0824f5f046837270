"""Writes of the materials library: documents (checked by content, within the writer's scope) and packs."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.models import AuditEvent
from apps.core.services import audit_event
from apps.core.uploads import check_upload
from apps.materials.models import Document, DocumentPack


def _in_scope(user, jurisdiction) -> None:
    if user.jurisdiction is None or not jurisdiction.path.startswith(user.jurisdiction.path):
        raise ValidationError({"jurisdiction": _("Choose your own jurisdiction or one below it.")})


def _clean_tags(tags) -> list[str]:
    seen = []
    for tag in tags or []:
        tag = tag.strip()[:30]
        if tag and tag not in seen:
            seen.append(tag)
    return seen[:20]


@transaction.atomic
def document_create(*, user, title: str, category: str, jurisdiction, file, level: str = "", tags=(),
                    pack: DocumentPack | None = None) -> Document:
    """Add a document; its file's size and type are checked by content, and nothing is written on a refusal."""
    _in_scope(user, jurisdiction)
    try:
        content_type = check_upload(file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    name = (getattr(file, "name", "") or "file").rsplit("/", 1)[-1][:200]
    return Document.objects.create(title=title, category=category, jurisdiction=jurisdiction, level=level,
                                   tags=_clean_tags(tags), pack=pack, file=file, original_name=name,
                                   content_type=content_type, size=file.size, uploaded_by=user)


@transaction.atomic
def document_update(*, user, document: Document, title: str, category: str, jurisdiction, level: str = "",
                    tags=(), pack: DocumentPack | None = None, file=None) -> Document:
    _in_scope(user, jurisdiction)
    old_file = None
    if file is not None:
        try:
            document.content_type = check_upload(file)
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from None
        old_file, document.file = document.file.name, file
        document.original_name = (getattr(file, "name", "") or "file").rsplit("/", 1)[-1][:200]
        document.size = file.size
    document.title, document.category, document.jurisdiction = title, category, jurisdiction
    document.level, document.tags, document.pack = level, _clean_tags(tags), pack
    document.save()
    if old_file:
        storage = document.file.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    return document


@transaction.atomic
def document_delete(*, document: Document) -> None:
    name, storage = document.file.name, document.file.storage
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))


def document_download_record(*, request, document: Document) -> None:
    """The audit entry of a download (who, when, from where, which document)."""
    audit_event(request=request, action=AuditEvent.Action.DOWNLOAD, obj=document, detail=document.title[:500])


@transaction.atomic
def pack_create(*, user, title: str, session, jurisdiction) -> DocumentPack:
    _in_scope(user, jurisdiction)
    return DocumentPack.objects.create(title=title, session=session, jurisdiction=jurisdiction)
