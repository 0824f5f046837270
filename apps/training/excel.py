"""Training workbooks: the coverage table and the untrained deputies of a coverage row (exports only)."""

from django.utils.translation import gettext as _

from apps.core.excel import simple_workbook
from apps.training.selectors import CoverageTable




def coverage_workbook(table: CoverageTable) -> bytes:
    """One row per level and jurisdiction, then each level's total."""
    from apps.deputies.models import Level

    labels = dict(Level.choices)
    rows = []
    for level in table.levels:
        for row in table.rows_of(level):
            name = row.jurisdiction.name + (f" ({_('own deputies')})" if row.own else "")
            rows.append([str(labels[level]), name, row.serving, row.trained, row.rate / 100, row.person_times])
        total = table.totals[level]
        rows.append([str(labels[level]), _("Total"), total.serving, total.trained, total.rate / 100,
                     total.person_times])
    return simple_workbook(_("Training coverage %(year)s") % {"year": table.year},
                           [_("Level"), _("Jurisdiction"), _("Serving deputies"), _("Trained"), _("Coverage rate"),
                            _("Person-times")], rows, widths=[16, 24, 14, 12, 14, 14], number_formats={4: "0.0%"})


def untrained_workbook(mandates, *, year: int) -> bytes:
    """The untrained deputies, phones masked."""
    rows = ([m.person.name, m.get_level_display(), m.jurisdiction.name, m.delegation.name if m.delegation else "",
             m.group.name if m.group else "", m.person.masked_phone] for m in mandates.iterator(chunk_size=2000))
    return simple_workbook(_("Untrained %(year)s") % {"year": year},
                           [_("Name"), _("Level"), _("Jurisdiction"), _("Delegation"), _("Deputy group"), _("Phone")],
                           rows, widths=[12, 14, 20, 20, 20, 16])
