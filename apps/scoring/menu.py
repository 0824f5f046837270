"""Scoring's entries in the main menu (``apps.core.registry``): the deputy's own record on the bar, and the
performance pages under 考核."""

from django.utils.translation import gettext_lazy as _

from apps.core.menu import has_deputy_record, scoped
from apps.core.registry import MenuEntry

assessor = scoped("scoring.view_ruleset")


def _assessor_and(perm: str):
    return lambda user: assessor(user) and user.has_perm(perm)


ENTRIES = [
    MenuEntry(_("My performance record"), "nav-me", None, 10, has_deputy_record, url_name="me:me"),
    MenuEntry(_("Performance"), "nav-scoring", "assessment", 10, assessor, header=True),
    MenuEntry(_("Scores"), "nav-scores", "assessment", 20, assessor, url_name="scoring:score_list"),
    MenuEntry(_("Scoring rules"), "nav-rule-sets", "assessment", 30, assessor, url_name="scoring:rule_set_list"),
    MenuEntry(_("Disputes"), "nav-disputes", "assessment", 40, assessor, url_name="scoring:dispute_list"),
    MenuEntry(_("Reports to voters"), "nav-voter-reports", "assessment", 50, _assessor_and("scoring.view_voterreport"),
              url_name="scoring:voter_report_list"),
    MenuEntry(_("Commendations"), "nav-commendations", "assessment", 60, _assessor_and("scoring.view_voterreport"),
              url_name="scoring:commendation_list"),
]
