"""A voter's photo: checked by its content (apps.core.uploads), size- and pixel-limited, and re-encoded with
Pillow so that nothing of the original file is kept: no EXIF (the phone's location, its serial number), no
trailing bytes, no second image hidden in it."""

import io
import secrets

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from apps.core.uploads import JPEG, PNG, check_upload
from apps.intake import rules


def clean_photo(upload) -> ContentFile:
    """The photo re-encoded as a JPEG without metadata; ``ValidationError`` for anything but a sound JPEG or
    PNG image within the limits."""
    size = getattr(upload, "size", 0) or 0
    if size > rules.PHOTO_MAX_BYTES:
        raise ValidationError(_("The photo is too large (%(size)s): it may be at most %(limit)s.") % {
            "size": filesizeformat(size), "limit": filesizeformat(rules.PHOTO_MAX_BYTES)}, code="photo")
    content_type = check_upload(upload)
    if content_type not in (JPEG, PNG):
        raise ValidationError(_("Only a photo (JPEG or PNG) can be attached."), code="photo")
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            width, height = probe.size
            if width * height > rules.PHOTO_MAX_PIXELS:
                raise ValidationError(_("The photo has too many pixels: take a smaller one."), code="photo")
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            image = ImageOps.exif_transpose(image)  # keep the photo upright once its orientation tag is gone
            image = image.convert("RGB")
            image.thumbnail((rules.PHOTO_MAX_SIDE, rules.PHOTO_MAX_SIDE))
            out = io.BytesIO()
            image.save(out, "JPEG", quality=85, optimize=True)  # no exif= argument: no metadata is written
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(_("The photo could not be read: attach a JPEG or PNG photo."), code="photo")
    finally:
        upload.seek(0)
    return ContentFile(out.getvalue(), name=f"{secrets.token_hex(8)}.jpg")
