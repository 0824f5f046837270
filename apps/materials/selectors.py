"""Reads of the materials library: who sees which documents (one rule for every view), search, the pack list."""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from apps.core import roles
from apps.core.access import is_office, jurisdiction_scope
from apps.deputies.models import Mandate
from apps.materials.models import Document, DocumentPack


def _ancestor_paths(path: str) -> list[str]:
    """``/1/4/9/`` → ``/1/``, ``/1/4/``, ``/1/4/9/``: the jurisdiction and those above it."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]


def is_materials_office(user) -> bool:
    return is_office(user, "materials.view_document")


def may_read(user) -> bool:
    return is_materials_office(user) or bool(user.person_id and user.has_role(roles.DEPUTY))


def visible_documents(user) -> QuerySet[Document]:
    """The office: its jurisdiction and below. A deputy: documents of the level of a serving mandate (or of no
    level) published by the mandate's jurisdiction or one above it. Anybody else: nothing."""
    documents = Document.objects.all()
    if is_materials_office(user):
        return documents.filter(jurisdiction_scope(user))
    if not (user.person_id and user.has_role(roles.DEPUTY)):
        return documents.none()
    allowed = Q(pk__in=[])
    for level, path in (Mandate.objects.serving(on=timezone.localdate()).filter(person_id=user.person_id)
                        .values_list("level", "jurisdiction__path")):
        allowed |= Q(level__in=["", level], jurisdiction__path__in=_ancestor_paths(path))
    return documents.filter(allowed)


def document_rows(qs: QuerySet[Document], *, q: str = "", category: str = "", pack=None) -> QuerySet[Document]:
    """The list: filtered by title (a trigram-indexed ILIKE), category and pack, with what a row shows."""
    if q:
        qs = qs.filter(title__icontains=q)
    if category:
        qs = qs.filter(category=category)
    if pack is not None:
        qs = qs.filter(pack=pack)
    return qs.select_related("jurisdiction", "pack", "pack__session")


def document_for_user(user, pk) -> Document:
    """A document the user may see, or 404."""
    try:
        return visible_documents(user).select_related("jurisdiction").get(pk=pk)
    except (Document.DoesNotExist, ValueError):
        raise Http404 from None


def editable_document(user, pk) -> Document:
    """A document the office user may change (their jurisdiction and below), or 404."""
    if not is_materials_office(user):
        raise Http404
    return document_for_user(user, pk)


def visible_packs(user) -> QuerySet[DocumentPack]:
    if is_materials_office(user):
        return DocumentPack.objects.filter(jurisdiction_scope(user)).select_related("session")
    return DocumentPack.objects.filter(documents__in=visible_documents(user)).distinct().select_related("session")
