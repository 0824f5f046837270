"""The deputy's performance record (履职档案) for one year: everything on ``/me/``, the staff's page of a deputy
and the annual PDF, read in a fixed number of queries whatever the number of records.

``performance_record(person, year)`` returns a frozen :class:`PerformanceRecord`. The page and the PDF both
render it, so they show the same items and numbers. ``performance_records(persons, year)`` reads the records of
many persons in the same queries (the annual batch reads a chunk of deputies at once; the single record is that
call with one person). Queries (ten, at most, whatever the data and the number of persons):

1. the person's mandates (with the person, term, jurisdiction, electoral unit, delegation and group) — the
   caller may pass them in (``mandates=``) when it has read them already for the access check;
2. the published scores of the year with every item of their rule set and the stored line of each (one
   ``LEFT JOIN``, so an item the deputy did not score on is listed with 0);
3. activity participations of the year (split into meetings, inspections and surveys, group activities and
   other activities by activity type);
4. training attendances; 5. motions and suggestions signed (with the latest reply's class and the deputy's
   own latest rating, as subqueries); 6. contacts from committee members; 7. reception days on duty (with the
   visits received, as a subquery); 8. voter visits; 9. reports to voters and commendations (one ``UNION
   ALL``); 10. score disputes.

The year selector offers the years the person served in (from the mandates: no query).

Scores are the *effective* ones, as the staff's score list shows them (``apps.scoring.selectors.scores``): of a
mandate's scores under published sets of its level, the one of the nearest (deepest) jurisdiction.

Quality figures beside the counts (the issue: never a bare league table), with the definitions of the staff's
score list and the supervisors' board:

- attendance rate: activities present ÷ (present + on leave + absent), activities starting in the year;
- of the suggestions the deputy led: the A-class rate (latest reply of a class that counts as solved ÷ replied)
  and the satisfaction rate (no 不满意 in the latest rated round ÷ rated).
"""

from __future__ import annotations

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import connection
from django.db.models import CharField, Count, F, IntegerField, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.activities.models import ActivityType, Participation
from apps.core.models import Jurisdiction
from apps.deputies.attendance import Attendance
from apps.deputies.models import LEVEL_ORDER, Mandate, Person
from apps.liaison.models import Contact
from apps.proposals.models import Kind, Rating, Reply, Signature
from apps.scoring import engine, sources
from apps.scoring.models import (
    Commendation, Dispute, Grade, RuleItem, RuleSet, Score, ScoreLine, StaleMandate, VoterReport,
)
from apps.scoring.sections import SECTION_GROUP, SECTION_INSPECTIONS, SECTION_MEETINGS, SECTION_OTHER, activity_section
from apps.scoring.selectors.record.text import kind_labels
from apps.scoring.selectors.record.types import (
    ActivityRow, BreakdownLine, CommendationRow, ContactRow, DisputeRow, Facts, MandateRow, PerformanceRecord,
    ProposalRow, Quality, ReceptionRow, ScoreCard, TrainingRow, VisitRow, VoterReportRow,
)
from apps.stations.models import ReceptionDay, VoterVisit
from apps.training.models import TrainingAttendance


def person_mandates(person_id: int) -> list[Mandate]:
    """A person's mandates with everything the record shows of them (one query)."""
    return mandates_of([person_id]).get(person_id, [])


def mandates_of(person_ids) -> dict[int, list[Mandate]]:
    """The mandates of each of these persons with everything the record shows of them, current ones first and
    then by level (one query)."""
    level_rank = {level: rank for rank, level in enumerate(LEVEL_ORDER)}
    by_person: dict[int, list[Mandate]] = {}
    for m in (Mandate.objects.filter(person_id__in=list(person_ids))
              .select_related("person", "term", "jurisdiction", "electoral_unit", "delegation", "group")
              .order_by("-start_date", "pk")):
        by_person.setdefault(m.person_id, []).append(m)
    for mandates in by_person.values():
        mandates.sort(key=lambda m: (m.status == Mandate.Status.ENDED, level_rank.get(m.level, 9)))
    return by_person


def record_years(mandates, today: datetime.date | None = None) -> tuple[int, ...]:
    """The years the person served in (newest first), never past this year."""
    this_year = (today or timezone.localdate()).year
    years = set()
    for m in mandates:
        last = min(m.end_date.year if m.end_date else this_year, this_year)
        years.update(range(m.start_date.year, last + 1))
    return tuple(sorted(years, reverse=True))


def default_year(mandates, today: datetime.date | None = None) -> int:
    """This year if the person serves in it, else the last year they served in."""
    years = record_years(mandates, today)
    this_year = (today or timezone.localdate()).year
    return this_year if not years or this_year in years else years[0]


def performance_record(person: Person, year: int, *, mandates: list[Mandate] | None = None,
                       for_deputy: bool = False, scored_in: str | None = None) -> PerformanceRecord:
    """The person's record for ``year``. ``mandates``: the person's mandates as :func:`person_mandates` reads them
    (saves a query when the caller has them); ``for_deputy``: links to the deputy's own pages (staff pages
    otherwise); ``scored_in``: a jurisdiction's path — only the scores of the person's mandates in it or below
    (the staff of a county see the scores of their own congress, not a city's score of a person who is a
    deputy at both levels)."""
    known = None if mandates is None else {person.pk: mandates}
    return performance_records([person], year, mandates=known, for_deputy=for_deputy,
                               scored_in=scored_in)[person.pk]


def performance_records(persons, year: int, *, mandates: dict[int, list[Mandate]] | None = None,
                        for_deputy: bool = False, scored_in: str | None = None) -> dict[int, PerformanceRecord]:
    """The records of several persons for ``year`` (by person id), in the same ten queries as one record: the
    annual batch reads a chunk of deputies at once. ``mandates``: each person's mandates as :func:`mandates_of`
    reads them, when the caller has them."""
    persons = list(persons)
    ids = [p.pk for p in persons]
    if mandates is None:
        mandates = mandates_of(ids)
    first, last = engine.year_bounds(year)
    all_mandates = {m.pk: m for rows in mandates.values() for m in rows}
    scores = _scores(ids, year, all_mandates)
    if scored_in is not None:
        shown = {pk for pk, m in all_mandates.items() if m.jurisdiction.path.startswith(scored_in)}
        scores = {pk: tuple(card for card in cards if card.mandate_id in shown) for pk, cards in scores.items()}
    activities = _activities(ids, first, last, for_deputy)
    training = _training(ids, first, last, for_deputy)
    proposals = _proposals(ids, year, for_deputy)
    contacts = _contacts(ids, first, last)
    receptions = _receptions(ids, first, last, for_deputy)
    visits = _visits(ids, first, last)
    reports, commendations = _mandate_records(ids, first, last, for_deputy)
    disputes = _disputes(ids, year)
    empty_sections = {key: () for key in (SECTION_MEETINGS, SECTION_INSPECTIONS, SECTION_GROUP, SECTION_OTHER)}
    records = {}
    for person in persons:
        pk = person.pk
        own_mandates = mandates.get(pk, [])
        own_activities = activities.get(pk, empty_sections)
        own_proposals = proposals.get(pk, ())
        led = [p for p in own_proposals if p.kind == Kind.SUGGESTION and p.role == Signature.Role.LEAD]
        quality = Quality(
            attended=sum(1 for rows in own_activities.values() for r in rows if r.attendance == Attendance.PRESENT),
            recorded=sum(len(rows) for rows in own_activities.values()),
            solved=sum(1 for p in led if p.solved), replied=sum(1 for p in led if p.solved is not None),
            satisfied=sum(1 for p in led if p.item_satisfied), rated=sum(1 for p in led if p.item_rated))
        years = record_years(own_mandates)
        if year not in years:
            years = tuple(sorted({*years, year}, reverse=True))
        records[pk] = PerformanceRecord(
            year=year, years=years, facts=_facts(person), mandates=tuple(_mandate_row(m) for m in own_mandates),
            scores=scores.get(pk, ()), quality=quality,
            meetings=own_activities[SECTION_MEETINGS], inspections=own_activities[SECTION_INSPECTIONS],
            group_activities=own_activities[SECTION_GROUP], other_activities=own_activities[SECTION_OTHER],
            training=training.get(pk, ()), proposals=own_proposals, contacts=contacts.get(pk, ()),
            receptions=receptions.get(pk, ()), visits=visits.get(pk, ()), voter_reports=reports.get(pk, ()),
            commendations=commendations.get(pk, ()), disputes=disputes.get(pk, ()))
    return records


def _grouped(pairs) -> dict[int, tuple]:
    """``{person id: (row, ...)}`` from ``(person id, row)`` pairs, in their order."""
    grouped: dict[int, list] = {}
    for pk, row in pairs:
        grouped.setdefault(pk, []).append(row)
    return {pk: tuple(rows) for pk, rows in grouped.items()}


def _facts(person: Person) -> Facts:
    return Facts(person_id=person.pk, name=person.name, gender=person.get_gender_display(),
                 ethnicity=person.ethnicity, party=person.get_party_display(), employer=person.employer,
                 post=person.post)


def _mandate_row(m: Mandate) -> MandateRow:
    return MandateRow(
        pk=m.pk, level=m.level, level_label=m.get_level_display(), term=m.term.name,
        jurisdiction=m.jurisdiction.name, electoral_unit=m.electoral_unit.name if m.electoral_unit else "",
        delegation=m.delegation.name if m.delegation else "", group=m.group.name if m.group else "",
        status=m.status, status_label=m.get_status_display(), start_date=m.start_date, end_date=m.end_date)


def _t(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _scores_sql() -> str:
    return f"""
    SELECT m.person_id, s.id, s.mandate_id, s.raw_total, s.total, s.grade,
           GREATEST(s.computed_at, rs.computed_at),
           EXISTS (SELECT 1 FROM {_t(StaleMandate)} sm WHERE sm.mandate_id = s.mandate_id),
           rs.id, rs.name, rs.version, rs.base_points,
           i.id, i.label, i.kind, i.source, t.code, i.points, i.cap,
           l.count, l.uncapped_points, l.points
      FROM {_t(Score)} s
      JOIN {_t(Mandate)} m ON m.id = s.mandate_id
      JOIN {_t(RuleSet)} rs ON rs.id = s.rule_set_id
      JOIN {_t(Jurisdiction)} j ON j.id = rs.jurisdiction_id
      LEFT JOIN {_t(RuleItem)} i ON i.rule_set_id = rs.id
      LEFT JOIN {_t(ActivityType)} t ON t.id = i.activity_type_id
      LEFT JOIN {_t(ScoreLine)} l ON l.score_id = s.id AND l.item_id = i.id
     WHERE m.person_id = ANY(%(persons)s) AND s.year = %(year)s AND rs.status = %(published)s
       AND NOT EXISTS (
           SELECT 1 FROM {_t(Score)} s2
             JOIN {_t(RuleSet)} rs2 ON rs2.id = s2.rule_set_id
             JOIN {_t(Jurisdiction)} j2 ON j2.id = rs2.jurisdiction_id
            WHERE s2.mandate_id = s.mandate_id AND s2.year = s.year AND rs2.status = %(published)s
              AND rs2.level = rs.level AND length(j2.path) > length(j.path))
     ORDER BY s.id, i.position, i.id"""


def _scores(person_ids, year: int, mandates: dict[int, Mandate]) -> dict[int, tuple[ScoreCard, ...]]:
    """The published scores of the year of each person, every item of the rule set with its line (one
    query)."""
    with connection.cursor() as cursor:
        cursor.execute(_scores_sql(), {"persons": list(person_ids), "year": year,
                                       "published": RuleSet.Status.PUBLISHED})
        rows = cursor.fetchall()
    kinds, grades = kind_labels(), dict(Grade.choices)
    cards: dict[int, dict] = {}
    zero = Decimal("0")
    for (person_id, score_id, mandate_id, raw_total, total, grade, computed_at, refreshing, rule_set_id, name,
         version, base,
         item_id, label, kind, source, type_code, points, cap, count, uncapped, line_points) in rows:
        card = cards.get(score_id)
        if card is None:
            mandate = mandates.get(mandate_id)
            card = cards[score_id] = {
                "person_id": person_id, "score_id": score_id, "mandate_id": mandate_id,
                "level": mandate.level if mandate else "",
                "level_label": mandate.get_level_display() if mandate else "",
                "term": mandate.term.name if mandate else "", "rule_set_id": rule_set_id,
                "rule_set_name": name, "rule_set_version": version, "base_points": base, "raw_total": raw_total,
                "total": total, "grade": grade, "grade_label": str(grades.get(grade, "")),
                "computed_at": computed_at, "refreshing": refreshing, "lines": []}
        if item_id is None:
            continue
        section = sources.section_of(source, type_code)
        card["lines"].append(BreakdownLine(
            item_id=item_id, label=label, kind=kind, kind_label=str(kinds.get(kind, kind)), source=source,
            count=count or 0, rule_points=points, cap=cap,
            uncapped_points=uncapped if uncapped is not None else zero,
            points=line_points if line_points is not None else zero, section=section))
    level_rank = {level: rank for rank, level in enumerate(LEVEL_ORDER)}
    ordered = sorted(cards.values(), key=lambda c: (level_rank.get(c["level"], 9), c["score_id"]))
    return _grouped((c.pop("person_id"), ScoreCard(**{**c, "lines": tuple(c["lines"])})) for c in ordered)


def _activities(person_ids, first, last, for_deputy) -> dict[int, dict[str, tuple[ActivityRow, ...]]]:
    sections: dict[int, dict[str, list[ActivityRow]]] = {}
    participations = (Participation.objects.filter(person_id__in=person_ids,
                                                   activity__start_date__range=(first, last))
                      .select_related("activity", "activity__type").order_by("activity__start_date", "pk"))
    for p in participations:
        activity = p.activity
        own = sections.setdefault(p.person_id, {SECTION_MEETINGS: [], SECTION_INSPECTIONS: [], SECTION_GROUP: [],
                                                SECTION_OTHER: []})
        own[activity_section(activity.type.code)].append(ActivityRow(
            participation_id=p.pk, activity_id=activity.pk, date=activity.start_date, title=activity.title,
            type_name=activity.type.name, type_code=activity.type.code, place=activity.place,
            attendance=p.attendance, attendance_label=p.get_attendance_display(),
            url=engine.record_url(p, for_deputy=for_deputy)))
    return {pk: {key: tuple(rows) for key, rows in own.items()} for pk, own in sections.items()}


def _training(person_ids, first, last, for_deputy) -> dict[int, tuple[TrainingRow, ...]]:
    attendances = (TrainingAttendance.objects.filter(person_id__in=person_ids, session__date__range=(first, last))
                   .select_related("session", "session__program").order_by("session__date", "pk"))
    return _grouped((a.person_id, TrainingRow(
        attendance_id=a.pk, date=a.session.date, program=a.session.program.title, session=a.session.title,
        hours=a.session.hours, attendance=a.attendance, attendance_label=a.get_attendance_display(),
        url=engine.record_url(a, for_deputy=for_deputy))) for a in attendances)


def _proposals(person_ids, year, for_deputy) -> dict[int, tuple[ProposalRow, ...]]:
    """Items of the year each person signed and that count (lead, or confirmed co-signer; submitted or
    further), with the class of the latest reply and the person's own latest rating."""
    latest_reply = Reply.objects.filter(proposal=OuterRef("proposal_id")).order_by("-round", "-replied_at", "-pk")
    own_rating = Rating.objects.filter(signature=OuterRef("pk")).order_by("-round", "-rated_at", "-pk")
    item_ratings = Rating.objects.filter(proposal=OuterRef("proposal_id")).order_by().values("proposal_id")
    signatures = (Signature.objects.filter(person_id__in=person_ids, proposal__year=year,
                                           proposal__state__in=sources.COUNTED_STATES)
                  .filter(Q(role=Signature.Role.LEAD) | Q(confirmed_at__isnull=False))
                  .select_related("proposal")
                  .annotate(reply_class=Subquery(latest_reply.values("reply_class__code")[:1]),
                            solved=Subquery(latest_reply.values("reply_class__counts_as_solved")[:1]),
                            rating=Subquery(own_rating.values("result")[:1]),
                            rated_round=Subquery(item_ratings.annotate(r=Max("round")).values("r")),
                            unsatisfied_round=Subquery(
                                item_ratings.filter(result=Rating.Result.UNSATISFIED).annotate(r=Max("round"))
                                .values("r")))
                  .order_by("proposal__kind", "proposal__number", "proposal_id"))
    ratings = dict(Rating.Result.choices)
    rows = []
    for s in signatures:
        proposal = s.proposal
        rows.append((s.person_id, ProposalRow(
            signature_id=s.pk, proposal_id=proposal.pk, number=proposal.number, kind=proposal.kind,
            kind_label=proposal.get_kind_display(), title=proposal.title, state=proposal.state,
            state_label=proposal.get_state_display(), role=s.role, role_label=s.get_role_display(),
            is_key=proposal.is_key, reply_class=s.reply_class or "", solved=s.solved, rating=s.rating or "",
            rating_label=str(ratings.get(s.rating, "")), item_rated=s.rated_round is not None,
            item_satisfied=(s.rated_round is not None
                            and (s.unsatisfied_round is None or s.unsatisfied_round < s.rated_round)),
            url=engine.record_url(s, for_deputy=for_deputy))))
    return _grouped(rows)


def _contacts(person_ids, first, last) -> dict[int, tuple[ContactRow, ...]]:
    links = (Contact.participants.through.objects.filter(person_id__in=person_ids, contact__date__range=(first, last))
             .select_related("contact", "contact__member__person").order_by("contact__date", "contact_id"))
    return _grouped((link.person_id, ContactRow(
        contact_id=c.pk, date=c.date, member=c.member.person.name, channel_label=c.get_channel_display(),
        summary=c.summary)) for link in links for c in (link.contact,))


def _receptions(person_ids, first, last, for_deputy) -> dict[int, tuple[ReceptionRow, ...]]:
    visits = (VoterVisit.objects.filter(reception_day=OuterRef("receptionday_id"), deputies=OuterRef("person_id"))
              .order_by().values("reception_day").annotate(n=Count("pk")).values("n"))
    duties = (ReceptionDay.deputies.through.objects
              .filter(person_id__in=person_ids, receptionday__date__range=(first, last))
              .select_related("receptionday", "receptionday__station")
              .annotate(visits_received=Coalesce(Subquery(visits), 0))
              .order_by("receptionday__date", "receptionday_id"))
    return _grouped((duty.person_id, ReceptionRow(
        reception_day_id=d.pk, date=d.date, station=d.station.name, visits=duty.visits_received,
        url=engine.record_url(d, for_deputy=for_deputy))) for duty in duties for d in (duty.receptionday,))


def _visits(person_ids, first, last) -> dict[int, tuple[VisitRow, ...]]:
    links = (VoterVisit.deputies.through.objects.filter(person_id__in=person_ids, votervisit__date__range=(first, last))
             .select_related("votervisit", "votervisit__station")
             .only("person_id", "votervisit__id", "votervisit__date", "votervisit__station__name",
                   "votervisit__category", "votervisit__status", "votervisit__issue")
             .order_by("votervisit__date", "votervisit_id"))
    return _grouped((link.person_id, VisitRow(
        visit_id=v.pk, date=v.date, station=v.station.name, category_label=v.get_category_display(),
        status_label=v.get_status_display(), issue=v.issue)) for link in links for v in (link.votervisit,))


def _mandate_records(person_ids, first, last, for_deputy):
    """Reports to voters and commendations of the persons' mandates, in one ``UNION ALL``: two dicts by person
    id."""
    text, number = CharField(), IntegerField()
    reports = (VoterReport.objects.filter(mandate__person_id__in=person_ids, date__range=(first, last))
               .values_list(Value("report", output_field=text), "pk", "mandate_id", "date", "place",
                            Value("", output_field=text), "attendance", "satisfied", "basically_satisfied",
                            "unsatisfied", "mandate__person_id"))
    commendations = (Commendation.objects.filter(mandate__person_id__in=person_ids, date__range=(first, last))
                     .values_list(Value("commendation", output_field=text), "pk", "mandate_id", "date", "title",
                                  "awarded_by", Value(0, output_field=number), Value(0, output_field=number),
                                  Value(0, output_field=number), Value(0, output_field=number),
                                  "mandate__person_id"))
    rows = sorted(reports.union(commendations, all=True), key=lambda r: (r[3], r[1]))
    report_rows, commendation_rows = [], []
    for kind, pk, mandate_id, date, text1, text2, attendance, satisfied, basically, unsatisfied, person_id in rows:
        if kind == "report":
            url = "" if for_deputy else engine.record_url(VoterReport(pk=pk))
            report_rows.append((person_id, VoterReportRow(
                pk=pk, mandate_id=mandate_id, date=date, place=text1, attendance=attendance, satisfied=satisfied,
                basically_satisfied=basically, unsatisfied=unsatisfied, url=url)))
        else:
            url = "" if for_deputy else engine.record_url(Commendation(pk=pk))
            commendation_rows.append((person_id, CommendationRow(
                pk=pk, mandate_id=mandate_id, date=date, title=text1, awarded_by=text2, url=url)))
    return _grouped(report_rows), _grouped(commendation_rows)


def _disputes(person_ids, year) -> dict[int, tuple[DisputeRow, ...]]:
    disputes = (Dispute.objects.filter(mandate__person_id__in=person_ids, year=year)
                .annotate(person_id=F("mandate__person_id")).order_by("-raised_at", "-pk"))
    return _grouped((d.person_id, DisputeRow(
        pk=d.pk, item_id=d.item_id, item_label=d.item_label, comment=d.comment, status=d.status,
        status_label=d.get_status_display(), resolution=d.resolution, raised_at=d.raised_at,
        resolved_at=d.resolved_at, total_before=d.total_before, total_after=d.total_after)) for d in disputes)
