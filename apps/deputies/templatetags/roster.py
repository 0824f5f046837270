"""Fast renderers for the roster list, the busiest page of the product.

The list shows 50 rows of 14 cells and filter drop-downs with several hundred options (every deputy group
of the city). Rendered with template loops that took most of the request's time; these tags build the same
HTML in Python, escaping every value, at a fraction of the cost (see ``make bench``).
"""

from functools import lru_cache
from html import escape as _escape

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from apps.deputies.models import Gender, Level, Mandate, Party
from apps.deputies.selectors import roster_names


def escape(value) -> str:
    """HTML-escape like django.utils.html.escape, without its per-call lazy-string check."""
    return _escape(str(value), quote=True)

register = template.Library()


@lru_cache(maxsize=256)
def _options_html(choices: tuple[tuple[str, str], ...]) -> str:
    return "".join(f'<option value="{escape(key)}">{escape(label)}</option>' for key, label in choices)


@register.simple_tag
def fast_select(bound_field, css_class: str = "form-select form-select-sm") -> SafeString:
    """A ``<select>`` for a choice field of a bound form, with its current value selected.

    The options' HTML is kept per distinct list of choices (they change only when terms, groups ... do),
    so the several hundred options of the roster's filters are not escaped again on every request.
    """
    value = bound_field.value()
    choices = tuple(("" if k is None else str(k), str(label)) for k, label in bound_field.field.choices)
    options = _options_html(choices)
    if value not in (None, ""):
        marker = f'<option value="{escape(value)}">'
        options = options.replace(marker, marker[:-1] + " selected>", 1)
    return mark_safe(f'<select name="{bound_field.html_name}" id="{bound_field.auto_id}" class="{css_class}">'
                     f"{options}</select>")


_PK = 987654321


@register.simple_tag
def roster_rows(mandates, options) -> SafeString:
    """The ``<tr>`` rows of the roster table for the mandates of one page (``selectors.roster_rows``);
    ``options`` are the filter options, which carry the names of terms, jurisdictions, delegations, groups."""
    mandates = list(mandates)
    names = roster_names(options, mandates)
    terms, places, delegations, groups = (names["term"], names["jurisdiction"], names["delegation"],
                                          names["group"])
    levels = {k: escape(v) for k, v in Level.choices}
    genders = {k: escape(v) for k, v in Gender.choices}
    parties = {k: escape(v) for k, v in Party.choices}
    statuses = {k: escape(v) for k, v in Mandate.Status.choices}
    detail = reverse("deputies:person_detail", args=[_PK])
    dash = "\u2014"
    out = []
    for m in mandates:
        p = m.person
        employer = escape(f"{p.employer}{p.post}")
        badge = "text-bg-success" if m.is_serving else "text-bg-secondary"
        out.append(
            "<tr>"
            f'<td><a href="{detail.replace(str(_PK), str(p.id))}" class="fw-semibold">{escape(p.name)}</a></td>'
            f"<td>{genders.get(p.gender, '')}</td>"
            f"<td>{escape(p.ethnicity)}</td>"
            f"<td>{parties.get(p.party, '')}</td>"
            f"<td>{p.birth_date.strftime('%Y-%m') if p.birth_date else ''}</td>"
            f"<td>{levels.get(m.level, '')}</td>"
            f"<td>{escape(terms.get(m.term_id, ''))}</td>"
            f"<td>{escape(places.get(m.jurisdiction_id, ''))}</td>"
            f"<td>{escape(delegations[m.delegation_id]) if m.delegation_id else dash}</td>"
            f"<td>{escape(groups[m.group_id]) if m.group_id else dash}</td>"
            f'<td class="text-truncate max-w-18rem" title="{employer}">{employer}</td>'
            f'<td class="masked text-nowrap">{escape(p.masked_id_number)}</td>'
            f'<td class="masked">{escape(p.masked_phone)}</td>'
            f'<td><span class="badge {badge}">{statuses.get(m.status, "")}</span></td>'
            "</tr>"
        )
    if not out:
        empty = escape(_("No deputies match these filters."))
        out.append(f'<tr><td colspan="14" class="text-center text-secondary py-4">{empty}</td></tr>')
    return mark_safe("".join(out))
