"""Core's registries: the apps declare their menu entries, home cards and bench figures, and core finds them
(core imports no app above it; `make lint` checks that)."""

import pytest
from django.urls import reverse

from apps.core import registry
from apps.core.management.commands.bench import _family_names

# The main menu each role saw when base.html still named every entry itself: the same ids, in the same order
# (and, on the bar after 考核, the office's data analysis, declared by apps/analytics/menu.py; the office's
# activity funds and publicity under 履职, declared by apps/funds/menu.py and apps/publicity/menu.py; the
# materials library, declared by apps/materials/menu.py: in the office's 代表 drop-down, on the deputies' bar;
# voters' opinions and the deputies' codes, declared by apps/intake/menu.py: after the office's work stations, after
# the deputy's reception days).
MENUS = {
    "staff_user": "nav-home nav-group-deputies nav-roster nav-stations nav-intake nav-intake-codes nav-training nav-materials nav-group-duties "
                  "nav-activities nav-self-reports nav-participation nav-funds nav-publicity nav-proposals nav-proposal-list nav-published "
                  "nav-proposal-board nav-proposal-enter nav-extensions nav-units nav-rules nav-calendar "
                  "nav-group-liaison nav-liaison-plan nav-contacts nav-requests nav-mailbox nav-my-notices "
                  "nav-notices-office nav-group-assessment "
                  "nav-scoring nav-scores nav-rule-sets nav-disputes nav-voter-reports nav-commendations "
                  "nav-covenant nav-reports nav-analytics",
    "supervisor_user": "nav-home nav-group-deputies nav-roster nav-stations nav-intake nav-intake-codes nav-training nav-materials "
                       "nav-group-duties nav-activities nav-self-reports nav-participation nav-funds nav-publicity nav-proposals nav-proposal-list "
                       "nav-published nav-proposal-board nav-units nav-rules nav-calendar nav-group-liaison "
                       "nav-liaison-plan nav-contacts nav-requests nav-mailbox nav-my-notices nav-group-assessment nav-scoring "
                       "nav-scores nav-rule-sets nav-disputes nav-voter-reports nav-commendations nav-covenant "
                       "nav-reports nav-analytics",
    "deputy_user": "nav-home nav-notices nav-me nav-group-duties nav-my-activities nav-my-reception-days nav-my-intake nav-my-code "
                   "nav-my-participation "
                   "nav-proposals nav-my-proposals nav-published-replies nav-group-liaison nav-my-requests "
                   "nav-my-mailbox nav-my-materials",
    "unit_user": "nav-home nav-notices nav-proposals nav-unit-inbox nav-published-replies",
    "member_user": "nav-home nav-group-deputies nav-roster nav-proposals nav-leader-items nav-published-replies "
                   "nav-group-liaison nav-member-my nav-contacts nav-requests nav-my-notices nav-group-assessment "
                   "nav-my-covenant",
    "sysadmin_user": "nav-home nav-notices nav-group-system nav-accounts",
    "secadmin_user": "nav-home nav-notices nav-group-system nav-roles nav-otp-devices nav-lockouts nav-security-policy",
    "auditor_user": "nav-home nav-notices nav-group-system nav-audit",
    "outsider": "nav-home",
}


def _ids(items) -> list[str]:
    ids = []
    for item in items:
        ids.append(item.html_id)
        ids.extend(entry.html_id for entry in item.entries)
    return ids


@pytest.mark.parametrize("role", sorted(MENUS))
def test_each_role_sees_the_menu_it_saw_before(role, request):
    assert _ids(registry.menu_for(request.getfixturevalue(role))) == MENUS[role].split()


def test_the_rendered_menu_has_each_entry_once_with_its_link(client_for, staff_user):
    page = client_for(staff_user).get(reverse("core:home")).content.decode()
    for html_id in MENUS["staff_user"].split():
        assert page.count(f'id="{html_id}"') == 1, html_id
    assert f'href="{reverse("proposals:board")}" id="nav-proposal-board"' in page
    assert '<li><h6 class="dropdown-header" id="nav-scoring">' in page
    assert page.count('<li><hr class="dropdown-divider"></li>') >= 3  # before units, the covenant, the reports


def test_the_django_admin_entry_is_for_superusers_only(staff_user):
    assert "nav-admin" not in _ids(registry.menu_for(staff_user))
    staff_user.is_superuser = True
    ids = _ids(registry.menu_for(staff_user))
    assert ids[-2:] == ["nav-group-system", "nav-admin"]


def test_every_menu_entry_has_a_unique_id_a_known_group_and_a_link_that_resolves():
    groups, entries = registry.menu_declarations()
    ids = [g.html_id for g in groups] + [e.html_id for e in entries]
    assert len(ids) == len(set(ids))
    assert {e.group for e in entries} - {None} <= {g.key for g in groups}
    for entry in entries:
        assert entry.header or entry.url().startswith("/"), entry.html_id


def test_an_entry_naming_an_undeclared_group_is_refused(monkeypatch):
    stray = registry.MenuEntry("x", "nav-x", "nowhere", 1, lambda user: True, url_name="core:home")
    real = registry._declared
    monkeypatch.setattr(registry, "_declared",
                        lambda module, attribute: real(module, attribute) + ([stray] if attribute == "ENTRIES" else []))
    registry.menu_declarations.cache_clear()
    try:
        with pytest.raises(LookupError, match="nav-x"):
            registry.menu_declarations()
    finally:
        monkeypatch.undo()
        registry.menu_declarations.cache_clear()


def test_home_cards_come_from_the_apps_in_order():
    assert [card.name for card in registry.home_cards()] == [
        "liaison_member", "proposals_leader", "proposals_office", "liaison_office", "activities_office",
        "scoring_office", "covenant_office", "reports_office", "admin_queue", "serving_by_level", "proposals_year",
        "activities_year", "liaison_year", "own_record", "notices", "deputy_awaiting", "stations_deputy",
        "liaison_deputy", "liaison_contact_member", "intake", "unit_inbox", "administration"]


def test_a_card_that_is_not_for_the_user_is_left_out(client_for, staff_user, unit_user):
    from apps.core.selectors import home_summary

    staff_cards = [card["name"] for card in home_summary(staff_user)["cards"]]
    assert staff_cards == ["proposals_office", "liaison_office", "activities_office", "scoring_office",
                           "covenant_office", "reports_office", "serving_by_level", "proposals_year", "notices",
                           "intake"]
    unit_cards = [card["template"] for card in home_summary(unit_user)["cards"]]
    assert unit_cards == ["core/fragment_home_queue.html", "proposals/fragment_home_unit_inbox.html"]  # notices first


def test_bench_families_keep_the_only_choices_and_run_in_order():
    assert sorted(_family_names()) == sorted(["queries", "load", "import", "work", "security", "search",
                                              "proposals", "scoring", "reports", "workbench", "analytics", "notices",
                                              "assign", "opendata", "intake"])
    orders = [family.order for family in registry.bench_families()]
    assert orders == sorted(orders)
    owners = {family.measure.__module__ for family in registry.bench_families()}
    assert owners == {f"apps.{app}.bench" for app in ("core", "deputies", "liaison", "activities", "training",
                                                      "proposals", "scoring", "reports", "analytics", "notices",
                                                      "opendata", "intake")}


def test_the_search_kinds_are_declared_by_their_apps_in_order():
    providers = registry.search_providers()
    assert [p.key for p in providers] == ["people", "proposals", "activities", "units"]
    assert {p.search.__module__ for p in providers} == {"apps.deputies.search", "apps.proposals.search",
                                                         "apps.activities.search"}


def test_app_modules_finds_each_apps_module_in_installed_apps_order():
    names = [module.__name__ for module in registry.app_modules("demo")]
    assert names[:3] == ["apps.core.demo", "apps.accounts.demo", "apps.deputies.demo"]


def test_the_records_a_meeting_notice_may_name_are_declared_by_the_apps_that_record_attendance():
    targets = registry.meeting_targets()
    assert list(targets) == ["activity", "training_session", "committee_meeting"]
    assert {t.records.__module__ for t in targets.values()} == {
        "apps.activities.selectors.activities", "apps.training.selectors", "apps.covenant.access"}
    assert [s.name for s in registry.reply_sources()] == ["notices"]
