"""The one check every upload passes (attachments, evidence, training materials): size, then type by content.

The browser's content type and the file name are not trusted: the first bytes say what the file is. Allowed:
JPEG and PNG images, PDF, and Office Open XML workbooks (.xlsx) and documents (.docx), which are zip files
told apart by the part they contain.
"""

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from apps.core.excel import XLSX_CONTENT_TYPE as XLSX

JPEG, PNG, PDF = "image/jpeg", "image/png", "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ALLOWED_TYPES = (JPEG, PNG, PDF, XLSX, DOCX)


def _sniff(head: bytes, file) -> str | None:
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        try:
            file.seek(0)
            with zipfile.ZipFile(file) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        if "xl/workbook.xml" in names:
            return XLSX
        if "word/document.xml" in names:
            return DOCX
    return None


def check_upload(file) -> str:
    """The content type of an acceptable upload, read from its content; ``ValidationError`` otherwise."""
    if file is None:
        raise ValidationError(_("Choose a file to upload."))
    size = getattr(file, "size", None)
    if not size:
        raise ValidationError(_("The file %(name)s is empty.") % {"name": getattr(file, "name", "")})
    limit = settings.UPLOAD_MAX_BYTES
    if size > limit:
        raise ValidationError(_("The file %(name)s is too large (%(size)s): files may be at most %(limit)s.") % {
            "name": getattr(file, "name", ""), "size": filesizeformat(size), "limit": filesizeformat(limit)})
    try:
        file.seek(0)
        head = file.read(8)
        content_type = _sniff(head, file)
    finally:
        file.seek(0)
    if content_type is None:
        raise ValidationError(_(
            "The file %(name)s is not an accepted type: upload a JPEG or PNG image, a PDF, an Excel workbook "
            "(.xlsx) or a Word document (.docx).") % {"name": getattr(file, "name", "")})
    return content_type
