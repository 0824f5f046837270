from django import template

from apps.deputies.validators import mask_phone as _mask_phone

register = template.Library()


@register.filter
def mask_phone(value):
    """138****5678: a visitor's phone as everyone sees it unless it was revealed (and audited)."""
    return _mask_phone(value or "")
