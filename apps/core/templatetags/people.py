"""``{% person_name person %}``: a deputy's name, linked to their performance record for the users who may open
it (``apps.core.person_links``); ``{% person_record_url person.pk as url %}`` for a button."""

from django import template
from django.utils.html import format_html

from apps.core.person_links import record_url

register = template.Library()


@register.simple_tag(takes_context=True)
def person_name(context, person, css_class: str = ""):
    url = record_url(context.get("user"), getattr(person, "pk", None)) if person else None
    if url is None:
        return person.name if person else ""
    return format_html('<a href="{}" class="{}" title="{}">{}</a>', url, css_class or "person-record-link",
                       context.get("record_link_title", ""), person.name)


@register.simple_tag(takes_context=True)
def person_record_url(context, person_id):
    return record_url(context.get("user"), person_id) or ""
