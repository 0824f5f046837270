"""Materials' entries in the main menu (``apps.core.registry``): for the office in the 代表 drop-down (its bar is
full), for deputies on the bar."""

from django.utils.translation import gettext_lazy as _

from apps.core.menu import has_deputy_record, scoped
from apps.core.registry import MenuEntry

ENTRIES = [
    MenuEntry(_("Materials library"), "nav-materials", "deputies", 40, scoped("materials.view_document"),
              url_name="materials:document_list"),
    MenuEntry(_("Materials library"), "nav-my-materials", None, 62, has_deputy_record,
              url_name="materials:document_list"),
]
