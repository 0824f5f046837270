"""The activities, training and work station demo data, and that of the newest apps (notices, materials,
publicity, funds) whose pages it fills (``seed_demo`` at small scale, seeded once for the module on 15 June 2026)."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.core.files.storage import default_storage
from django.db.models import Count
from django.test import Client

from apps.accounts.models import User
from apps.activities.models import Activity, ActivityType, Participation, SelfReport
from apps.core.management.commands.seed_demo import demo_modules
from apps.core.demo import DemoContext
from apps.deputies.attendance import Attendance
from apps.deputies.models import Level, Mandate
from apps.funds.models import Budget, Expenditure
from apps.intake.models import Intake, IntakeCode
from apps.intake.selectors import public_answer
from apps.materials.models import Category, Document, DocumentPack
from apps.notices.models import Notice, NoticeReceipt
from apps.publicity.models import PublicityItem
from apps.stations.models import ReceptionDay, Station, VoterVisit
from apps.training.models import Form, TrainingAttendance, TrainingProgram, TrainingSession
from tests.demo_seed import demo_seeded_once

TODAY = datetime.date(2026, 6, 15)
MODELS = (Activity, Participation, SelfReport, TrainingProgram, TrainingSession, TrainingAttendance, Station,
          ReceptionDay, VoterVisit, Notice, NoticeReceipt, Document, DocumentPack, PublicityItem,
          PublicityItem.deputies.through, PublicityItem.activities.through, Budget, Expenditure, Intake, IntakeCode)

JUNE_15 = datetime.datetime(2026, 6, 15, 9, 0)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The small demo, seeded once for the module on 15 June 2026 (rolled back after its last test)."""
    with demo_seeded_once(django_db_blocker, at=JUNE_15):
        yield


@pytest.fixture
def frozen(seeded, db):
    """Each test reads the module's demo on 15 June 2026; what it writes is rolled back after it."""
    with time_machine.travel(JUNE_15, tick=False):
        yield


pytestmark = pytest.mark.usefixtures("frozen")


def seed(**options):
    call_command("seed_demo", scale="small", verbosity=0, **options)


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.mark.smoke
def test_small_demo_has_a_few_hundred_participations_of_every_activity_type(db):
    assert 300 <= Participation.objects.count() <= 1500
    assert set(Activity.objects.values_list("type__code", flat=True)) == set(
        ActivityType.objects.values_list("code", flat=True))
    years = {d.year for d in Activity.objects.values_list("start_date", flat=True)}
    assert years == {2024, 2025, 2026}
    assert not Activity.objects.filter(start_date__gt=TODAY, participations__isnull=False).exists()
    states = dict(Participation.objects.values_list("attendance").annotate(n=Count("pk")))
    assert set(states) == set(Attendance.values)
    assert states[Attendance.PRESENT] > 0.8 * sum(states.values())
    assert not Participation.objects.filter(attendance=Attendance.LEAVE, leave_reason="").exists()


def test_demo_participants_serve_in_the_organisers_jurisdiction_under_the_organisers_level(db):
    rows = Participation.objects.select_related("activity__jurisdiction", "mandate__jurisdiction")
    for p in rows:
        mandate, activity = p.mandate, p.activity
        assert mandate.person_id == p.person_id
        assert mandate.jurisdiction.path.startswith(activity.jurisdiction.path)
        assert mandate.start_date <= activity.start_date
        assert mandate.end_date is None or mandate.end_date >= activity.start_date
        assert mandate.status != Mandate.Status.SUSPENDED
        others = Mandate.objects.filter(person_id=p.person_id, level=activity.level,
                                        jurisdiction__path__startswith=activity.jurisdiction.path)
        if others.exists():
            assert mandate.level == activity.level


def test_theme_practice_outcomes_add_up_to_the_yearly_statement_scaled_down(db):
    from django.db.models import Sum

    for year in (2024, 2025):
        totals = Participation.objects.filter(activity__type__code="theme_practice",
                                              activity__start_date__year=year).aggregate(
            s=Sum("suggestions_raised"), h=Sum("households_helped"), p=Sum("people_helped"), f=Sum("funds_donated"))
        assert 15 <= totals["s"] <= 18 and 150 <= totals["h"] <= 180 and 450 <= totals["p"] <= 490
        assert 1_400_000 <= totals["f"] <= 1_450_000
    assert not Participation.objects.exclude(activity__type__code="theme_practice").exclude(
        suggestions_raised=0, households_helped=0, people_helped=0, funds_donated=0).exists()


def test_demo_self_reports_in_every_status_verified_ones_with_their_activity(db):
    assert set(SelfReport.objects.values_list("status", flat=True)) == set(SelfReport.Status.values)
    for report in SelfReport.objects.filter(status=SelfReport.Status.VERIFIED):
        assert report.activity.source == Activity.Source.SELF_REPORT
        assert report.activity.participations.filter(person_id=report.person_id).exists()
        assert report.decided_by is not None
    assert not SelfReport.objects.filter(status=SelfReport.Status.REJECTED, reason="").exists()
    assert not SelfReport.objects.filter(status=SelfReport.Status.PENDING, decided_at__isnull=False).exists()


def test_demo_training_covers_most_county_deputies_this_year(db):
    forms = set(TrainingProgram.objects.values_list("form", flat=True))
    assert {Form.CENTRAL, Form.THEMATIC, Form.ONLINE, Form.INDIVIDUAL} <= forms
    county_programs = TrainingProgram.objects.filter(level=Level.COUNTY, start_date__year=2026)
    organisers = set(county_programs.values_list("jurisdiction_id", flat=True))
    serving = set(Mandate.objects.filter(level=Level.COUNTY, jurisdiction_id__in=organisers,
                                         status=Mandate.Status.SERVING).values_list("person_id", flat=True))
    trained = set(TrainingAttendance.objects.filter(
        attendance=Attendance.PRESENT, session__date__year=2026, person_id__in=serving)
        .values_list("person_id", flat=True))
    assert serving and 0.75 <= len(trained) / len(serving) <= 0.95
    assert TrainingAttendance.objects.exclude(attendance=Attendance.PRESENT).exists()
    assert not TrainingAttendance.objects.filter(session__date__gt=TODAY).exists()
    assert TrainingSession.objects.filter(date__gt=TODAY).exists()  # an upcoming program


def test_demo_stations_have_deputies_reception_days_and_visits_in_every_status(db):
    assert Station.objects.count() == 8
    assert not Station.objects.filter(deputies__isnull=True).exists()
    assert ReceptionDay.objects.filter(date__lte=TODAY).exists()
    assert ReceptionDay.objects.filter(date__gt=TODAY).exists()
    assert not ReceptionDay.objects.filter(deputies__isnull=True).exists()
    assert set(VoterVisit.objects.values_list("status", flat=True)) == set(VoterVisit.Status.values)
    closed = VoterVisit.objects.filter(status=VoterVisit.Status.CLOSED)
    assert not closed.filter(result="").exists() and not closed.filter(result_told_at__isnull=True).exists()
    assert not VoterVisit.objects.filter(date__gt=TODAY).exists()
    held = ReceptionDay.objects.filter(date__lte=TODAY).count()
    receptions = Activity.objects.filter(type__code="station_reception")
    assert 0 < receptions.count() <= held  # recorded by the activities demo, which the stations demo hands them
    assert not receptions.filter(participations__isnull=True).exists()
    assert not Participation.objects.filter(activity__in=receptions).exclude(attendance=Attendance.PRESENT).exists()


def test_the_deputy_account_has_participations_training_and_self_reports(db):
    person = User.objects.get(username="deputy").person
    assert Participation.objects.filter(person=person, attendance=Attendance.PRESENT).count() >= 3
    assert Participation.objects.filter(person=person, attendance=Attendance.LEAVE).exists()
    assert TrainingAttendance.objects.filter(person=person, attendance=Attendance.PRESENT,
                                             session__date__year=2026).exists()
    statuses = set(SelfReport.objects.filter(person=person).values_list("status", flat=True))
    assert {SelfReport.Status.PENDING, SelfReport.Status.REJECTED, SelfReport.Status.VERIFIED} <= statuses
    assert SelfReport.objects.filter(person=person, submitted_by__username="deputy").exists()
    assert Station.objects.filter(deputies=person).exists()
    assert ReceptionDay.objects.filter(deputies=person, date__gt=TODAY).exists()


def client_of(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_demo_notices_are_published_to_their_recipients_and_read_or_replied(db):
    city = Notice.objects.filter(jurisdiction__code="220100")
    assert city.count() == 13 and city.filter(pinned=True).count() == 3
    scheduled = Notice.objects.get(status=Notice.Status.SCHEDULED)
    assert scheduled.publish_at.date() == TODAY + datetime.timedelta(days=7) and not scheduled.receipts.exists()
    published = Notice.objects.filter(status=Notice.Status.PUBLISHED)
    assert not published.filter(receipts__isnull=True).exists()
    assert not published.filter(published_at__date__gt=TODAY).exists()
    assert published.filter(published_at__date__lt=TODAY - datetime.timedelta(days=90)).exists()
    training = Notice.objects.get(kind=Notice.Kind.TRAINING_SESSION)
    assert training.target_kind == "training_session"
    assert TrainingSession.objects.get(pk=training.target_id).date > TODAY
    replies = dict(NoticeReceipt.objects.exclude(reply="").values_list("reply").annotate(n=Count("pk")))
    assert replies[NoticeReceipt.Reply.ATTEND] >= 2 and replies[NoticeReceipt.Reply.LEAVE] == 1
    assert not NoticeReceipt.objects.filter(reply=NoticeReceipt.Reply.LEAVE, reason="").exists()
    mine = NoticeReceipt.objects.filter(user__username="deputy")
    assert mine.filter(read_at__isnull=False).count() >= 5 and mine.filter(read_at__isnull=True).count() == 2
    page = client_of("deputy").get("/notices/")
    assert page.status_code == 200 and "关于做好年度代表述职工作的通知" in page.content.decode()
    office = client_of("staff").get("/notices/office/")
    assert office.status_code == 200 and "关于召开全市代表工作会议的预通知" in office.content.decode()


def test_demo_materials_are_pdfs_in_categories_and_session_packs_scoped_to_their_level(db):
    documents = Document.objects.all()
    assert documents.count() == 22
    assert {Category.SESSION, Category.LAW, Category.TRAINING, Category.GOVERNMENT} <= set(
        documents.values_list("category", flat=True))
    assert DocumentPack.objects.count() == 3 and not DocumentPack.objects.filter(documents__isnull=True).exists()
    for document in documents:
        assert document.content_type == "application/pdf" and document.size == default_storage.size(document.file.name)
    with default_storage.open(documents.first().file.name, "rb") as file:
        assert file.read(5) == b"%PDF-"
    county = Document.objects.filter(jurisdiction__name="南关区")
    assert county.count() == 2 and set(county.values_list("level", flat=True)) == {Level.COUNTY}
    page = client_of("deputy").get("/materials/").content.decode()
    assert "长春市人民政府工作报告" in page and "中华人民共和国宪法" in page and "南关区人民政府工作报告" not in page
    download = client_of("deputy").get(f"/materials/{Document.objects.get(title='中华人民共和国宪法').pk}/download/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF-")


def test_demo_publicity_gives_the_yearly_figures_featuring_demo_deputies_and_activities(db):
    staff = client_of("staff")
    for year, figures in ((2025, "专版13期、专题片2部、媒体报道6篇、公众号文章10篇"), (2024, "专版12期、专题片1部")):
        page = staff.get("/publicity/", {"year": year})
        assert page.status_code == 200 and figures in page.context["counts_text"]
    this_year = dict(PublicityItem.objects.filter(date__year=2026).values_list("kind").annotate(n=Count("pk")))
    assert 6 <= this_year[PublicityItem.Kind.COLUMN] <= 7 and PublicityItem.Kind.FEATURE not in this_year
    assert not PublicityItem.objects.filter(date__gt=TODAY).exists()
    assert PublicityItem.objects.filter(deputies__name="张三丰", kind=PublicityItem.Kind.COLUMN).count() >= 3
    assert PublicityItem.objects.filter(activities__isnull=False).exists()
    assert not PublicityItem.objects.filter(kind=PublicityItem.Kind.COLUMN, issue_number="").exists()


def test_demo_funds_have_budgets_and_expenditures_in_every_state_one_over_its_balance(db):
    from apps.funds.selectors import balance, with_sums

    assert set(Budget.objects.values_list("year", flat=True)) == {2025, 2026}
    assert Budget.objects.filter(delegation__isnull=False).exists() and Budget.objects.filter(station__isnull=False).exists()
    expenditures = Expenditure.objects.all()
    assert set(expenditures.values_list("status", flat=True)) == set(Expenditure.Status.values)
    assert len(set(expenditures.values_list("category", flat=True))) >= 4
    returned = expenditures.filter(status=Expenditure.Status.RETURNED)
    assert not returned.filter(return_reason="").exists()
    decided = expenditures.exclude(status=Expenditure.Status.PENDING)
    assert set(decided.values_list("decided_by__username", flat=True)) == {"supervisor"}
    assert not decided.filter(decided_at__date__gt=TODAY).exists()
    assert not expenditures.filter(date__gt=TODAY).exists()
    override = expenditures.exclude(override_reason="").get()
    assert override.status == Expenditure.Status.PENDING and override.entered_by.username == "supervisor"
    budgets = with_sums(Budget.objects.all())
    assert [b.pk for b in budgets if balance(b) < 0] == [override.budget_id]
    page = client_of("staff").get("/funds/", {"year": 2026})
    assert page.status_code == 200 and "市人大代表活动经费" in page.content.decode()


def test_demo_opinions_through_the_deputys_code_wait_in_his_inbox_and_one_is_told_back(db):
    mine = Intake.objects.filter(person__name="张三丰")
    assert set(Intake.objects.values_list("status", flat=True)) == {"new", "accepted", "closed", "spam"}
    assert mine.filter(status="new").exists() and Intake.objects.filter(station__isnull=False).exists()
    assert not Intake.objects.filter(created_at__date__gt=TODAY).exists()
    told = Intake.objects.get(visit__status=VoterVisit.Status.CLOSED)
    assert "路灯" in public_answer(told.lookup_code).answer
    assert public_answer(Intake.objects.filter(status="spam").get().lookup_code).answer == ""
    page = client_of("deputy").get("/intake/", {"status": "new"})
    waiting = set(mine.filter(status="new").values_list("lookup_code", flat=True))
    assert page.status_code == 200 and {i.lookup_code for i in page.context["page"].object_list} == waiting


def test_if_empty_does_not_duplicate_the_demo(db):
    before = counts()
    seed(if_empty=True)
    assert counts() == before


def test_reset_removes_what_the_demo_made_and_reseeding_gives_the_same(db):
    types = ActivityType.objects.count()  # the demo adds no activity type
    before = counts()
    seed(reset=True)
    assert counts() == before
    ctx = DemoContext(scale="small")
    for module in reversed(demo_modules()):
        if hasattr(module, "reset"):
            module.reset(ctx)
    assert all(n == 0 for n in counts().values())
    assert ActivityType.objects.count() == types  # the migration's types stay
