"""The CJK font every PDF of ours embeds (the performance record, the annual reports, the covenant's notice)."""

from __future__ import annotations

import threading
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_NAME = "ReportCJK"
_font_lock = threading.Lock()
_font: str | None = None


def cjk_font() -> str:
    """Register (once per process) and return the name of the embedded CJK TrueType font.

    The first path of ``settings.REPORT_FONT_PATHS`` that exists is used; a TrueType collection (``.ttc``) gives
    its first face. Raises ``ImproperlyConfigured`` when none exists.
    """
    global _font
    if _font is not None:
        return _font
    with _font_lock:
        if _font is None:
            for path in settings.REPORT_FONT_PATHS:
                path = Path(path)
                if not path.is_file():
                    continue
                extra = {"subfontIndex": 0} if path.suffix.lower() == ".ttc" else {}
                pdfmetrics.registerFont(TTFont(FONT_NAME, str(path), **extra))
                _font = FONT_NAME
                break
            else:
                raise ImproperlyConfigured("No CJK font found: install the npm packages (make install) or "
                                           f"fonts-wqy-microhei; looked in {settings.REPORT_FONT_PATHS}")
    return _font
