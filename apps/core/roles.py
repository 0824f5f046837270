"""The roles of the platform, each a group with permissions, kept in step with this table by ``migrate``.

Administrators may add permissions to a group in the admin; ``sync_role_groups`` only adds what is listed
here, it never removes what was granted by hand.
"""

from django.utils.translation import gettext_lazy as _

STAFF = "staff"
SUPERVISOR = "supervisor"
DEPUTY = "deputy"
UNIT = "unit"
MEMBER = "member"
SYSADMIN = "sysadmin"
SECADMIN = "secadmin"
AUDITOR = "auditor"

ROLE_LABELS = {
    STAFF: _("Committee staff"),
    SUPERVISOR: _("Supervisor"),
    DEPUTY: _("Deputy"),
    UNIT: _("Handling unit"),
    MEMBER: _("Committee member"),
    SYSADMIN: _("System administrator"),
    SECADMIN: _("Security administrator"),
    AUDITOR: _("Audit administrator"),
}
ALL_ROLES = tuple(ROLE_LABELS)
ADMIN_ROLES = (SYSADMIN, SECADMIN, AUDITOR)
# The committee's office (工作人员 and 督办): they work on everything of their jurisdiction (and below).
OFFICE_ROLES = (STAFF, SUPERVISOR)
# Roles that work with the roster of their jurisdiction (and below).
ROSTER_ROLES = (STAFF, SUPERVISOR, MEMBER)

_COMMITTEE_MODELS = ["specialcommittee", "committeemember"]
_LIAISON_MODELS = ["quotarule", "liaisonplan", "liaisonassignment", "contact", "deputyrequest", "mailboxthread",
                   "invitation", "invitee", "opinion", "recommendation"]

_ACTIVITY_MODELS = ["activity", "participation", "selfreport", "attachment"]
_TRAINING_MODELS = ["trainingprogram", "trainingsession", "trainingattendance", "trainingmaterial"]
_STATION_MODELS = ["station", "receptionday", "votervisit"]
_PROPOSAL_MODELS = ["proposal", "signature", "proposalattachment", "assignment", "deadline", "communication",
                    "reply", "rating", "followup", "extensionrequest", "supervision", "supervisionrecord",
                    "mergegroup", "category", "replyclass", "handlingrule"]
_SCORING_MODELS = ["ruleset", "ruleitem", "gradeband", "score", "scoreline", "dispute", "voterreport",
                   "commendation"]
_COVENANT_MODELS = ["committeemeeting", "meetingattendance", "speech", "covenantnotice", "leaverequest",
                    "admonition"]
_REPORT_MODELS = ["reportbatch", "reportfile"]
# Activity funds (经费): staff keep the budgets and enter expenditures; a supervisor approves (below).
_FUNDS_STAFF = ["funds.view_budget", "funds.add_budget", "funds.change_budget", "funds.view_expenditure",
                "funds.add_expenditure", "funds.change_expenditure", "funds.delete_budget",
                "funds.delete_expenditure"]
_MATERIAL_MODELS = ["document", "documentpack"]
_NOTICE_MODELS = ["notice", "noticeattachment", "noticereceipt"]
_RECORDS = ([f"scoring.{m}" for m in _SCORING_MODELS] + [f"covenant.{m}" for m in _COVENANT_MODELS]
            + [f"reports.{m}" for m in _REPORT_MODELS])
_WORK = ([f"activities.{m}" for m in _ACTIVITY_MODELS] + [f"training.{m}" for m in _TRAINING_MODELS]
         + [f"stations.{m}" for m in _STATION_MODELS] + [f"materials.{m}" for m in _MATERIAL_MODELS])

ROLE_PERMISSIONS = {
    STAFF: [
        "deputies.view_person", "deputies.add_person", "deputies.change_person",
        "deputies.view_mandate", "deputies.add_mandate", "deputies.change_mandate",
        "deputies.view_personal_data", "deputies.import_roster", "deputies.export_roster",
        "deputies.view_history",
        *[f"committee.{action}_{model}" for model in _COMMITTEE_MODELS for action in ("view", "add", "change")],
        *[f"liaison.{action}_{model}" for model in _LIAISON_MODELS for action in ("view", "add", "change")],
        "liaison.delete_liaisonassignment",
        *[f"{app}_{model}".replace("_", f".{action}_", 1) for app, model in (w.split(".") for w in _WORK)
          for action in ("view", "add", "change", "delete")],
        "activities.verify_selfreport", "activities.view_activitytype", "activities.add_activitytype",
        "activities.change_activitytype",
        *[f"proposals.{action}_{model}" for model in _PROPOSAL_MODELS for action in ("view", "add", "change")],
        "proposals.handle_proposal", "proposals.supervise_proposal",
        "core.view_calendarday", "core.add_calendarday", "core.change_calendarday", "core.delete_calendarday",
        "core.view_handlingunit", "core.add_handlingunit", "core.change_handlingunit",
        *[f"{w.split('.')[0]}.{action}_{w.split('.')[1]}" for w in _RECORDS for action in ("view", "add", "change")],
        "scoring.publish_ruleset", "scoring.delete_voterreport", "scoring.delete_commendation",
        *_FUNDS_STAFF,
        "publicity.view_publicityitem", "publicity.add_publicityitem", "publicity.change_publicityitem",
        "publicity.delete_publicityitem",
        *[f"notices.{action}_{model}" for model in _NOTICE_MODELS for action in ("view", "add", "change")],
    ],
    SUPERVISOR: ["deputies.view_person", "deputies.view_mandate", "deputies.export_roster",
                 "deputies.view_history", *[f"committee.view_{model}" for model in _COMMITTEE_MODELS],
                 *[f"liaison.view_{model}" for model in _LIAISON_MODELS],
                 *[w.replace(".", ".view_", 1) for w in _WORK], "activities.view_activitytype",
                 *[f"proposals.view_{model}" for model in _PROPOSAL_MODELS], "proposals.supervise_proposal",
                 "proposals.add_supervisionrecord", "core.view_calendarday", "core.view_handlingunit",
                 *[w.replace(".", ".view_", 1) for w in _RECORDS],
                 # the leader of the activity funds (apps/funds/rules.py): approves, returns, overrides
                 "funds.view_budget", "funds.view_expenditure", "funds.add_expenditure",
                 "funds.approve_expenditure", "publicity.view_publicityitem",
                 *[f"notices.view_{m}" for m in _NOTICE_MODELS]],
    MEMBER: ["deputies.view_person", "deputies.view_mandate", "liaison.view_liaisonplan", "liaison.view_contact",
             "liaison.add_contact", "liaison.view_deputyrequest", "liaison.add_deputyrequest"],
    DEPUTY: [],
    UNIT: [],
    SYSADMIN: ["accounts.view_user", "accounts.add_user", "accounts.change_user"],
    SECADMIN: ["accounts.view_user", "auth.view_group", "auth.change_group"],
    AUDITOR: ["core.view_auditevent"],
}


def sync_role_groups(**kwargs):
    """Create the role groups and give them the permissions listed above (post_migrate).

    Runs once, after the last app's permissions exist.
    """
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    if kwargs.get("app_config") is not None and kwargs["app_config"] != list(apps.get_app_configs())[-1]:
        return

    listed = {tuple(dotted.split(".")) for perms in ROLE_PERMISSIONS.values() for dotted in perms}
    codenames = {codename for _app_label, codename in listed}
    existing = {(app_label, codename): pk for pk, app_label, codename in Permission.objects.filter(
        codename__in=codenames).values_list("pk", "content_type__app_label", "codename")}
    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        wanted = [existing[key] for key in (tuple(dotted.split(".")) for dotted in perms) if key in existing]
        group.permissions.add(*wanted)
