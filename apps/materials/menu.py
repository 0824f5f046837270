"""Materials' entry in the main menu (``apps.core.registry``): on the bar, for the office and for deputies."""

from django.utils.translation import gettext_lazy as _

from apps.core.menu import has_deputy_record, scoped
from apps.core.registry import MenuEntry

_office = scoped("materials.view_document")

ENTRIES = [
    MenuEntry(_("Materials library"), "nav-materials", None, 62, lambda user: _office(user) or has_deputy_record(user),
              url_name="materials:document_list"),
]
