"""Training's entry in the main menu (``apps.core.registry``)."""

from django.utils.translation import gettext_lazy as _

from apps.core.menu import scoped
from apps.core.registry import MenuEntry

ENTRIES = [
    MenuEntry(_("Training"), "nav-training", "deputies", 30, scoped("training.view_trainingprogram"),
              url_name="training:program_list"),
]
