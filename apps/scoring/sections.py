"""The sections of a deputy's performance record (履职档案): their anchors on the page (``#section-...``), their
order (the PDF follows it too), and which activity types go in which.

A line of a score links to the section that lists the records it counted: which section lists a source's records
is said in its entry of ``apps.scoring.sources``, hence this module outside ``selectors.record`` (whose reader
imports the engine, which reads the sources).
"""

# Activity types (``ActivityType.code``) of each section; any other type is an "other activity".
MEETING_TYPES = ("session", "standing_meeting")
INSPECTION_TYPES = ("inspection", "survey", "enforcement_check")
GROUP_TYPES = ("group_activity", "theme_practice")

# Section anchors on the page (``#section-...``): a breakdown line links to the section its records are in.
SECTION_MEETINGS = "meetings"
SECTION_INSPECTIONS = "inspections"
SECTION_GROUP = "group-activities"
SECTION_OTHER = "other-activities"
SECTION_TRAINING = "training"
SECTION_PROPOSALS = "proposals"
SECTION_CONTACTS = "contacts"
SECTION_RECEPTIONS = "receptions"
SECTION_VOTER_REPORTS = "voter-reports"
SECTION_COMMENDATIONS = "commendations"

# (anchor, attribute) of the sections in page order (the PDF follows it too).
SECTIONS = [
    (SECTION_MEETINGS, "meetings"),
    (SECTION_INSPECTIONS, "inspections"),
    (SECTION_TRAINING, "training"),
    (SECTION_GROUP, "group_activities"),
    (SECTION_OTHER, "other_activities"),
    (SECTION_PROPOSALS, "proposals"),
    (SECTION_CONTACTS, "contacts"),
    (SECTION_RECEPTIONS, "receptions"),
    (SECTION_VOTER_REPORTS, "voter_reports"),
    (SECTION_COMMENDATIONS, "commendations"),
]


def activity_section(type_code: str | None) -> str:
    if type_code in MEETING_TYPES:
        return SECTION_MEETINGS
    if type_code in INSPECTION_TYPES:
        return SECTION_INSPECTIONS
    if type_code in GROUP_TYPES:
        return SECTION_GROUP
    return SECTION_OTHER
