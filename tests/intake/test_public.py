"""The public page of a code: a voter leaves an opinion (category, text, optional photo, name and phone) and gets
a lookup code; the page refuses robots (honeypot), the 11th opinion from one address in 10 minutes, blocked
senders and hostile photos, with a clear message and nothing written; the lookup tells nothing about codes that
do not exist."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PIL import Image

from apps.intake import rules, services
from apps.intake.models import Intake, IntakeBlock
from apps.stations.models import Station
from tests.intake.conftest import PHONE, jpeg_with_exif, opinion, submit, submit_url


@pytest.fixture
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_code_page_shows_the_deputys_public_facts_to_anyone(client, deputy_code):
    page = client.get(submit_url(deputy_code)).content.decode()
    assert "张三丰" in page and "南湖社区代表工作站" in page and 'name="website"' in page
    assert "13" not in page.split("intake-form")[0][-50:]  # nothing personal


def test_an_unknown_or_numeric_token_is_a_404(client, deputy_code):
    assert client.get(reverse("intake:submit", args=["x" * 16])).status_code == 404
    assert client.get(reverse("intake:submit", args=[str(deputy_code.person_id)])).status_code == 404


def test_a_voter_leaves_an_opinion_and_gets_a_lookup_code(client, deputy_code, frozen):
    response = client.post(submit_url(deputy_code), opinion(), REMOTE_ADDR="10.1.1.1")
    assert response.status_code == 200
    intake = Intake.objects.get()
    assert intake.lookup_code in response.content.decode()
    assert len(intake.lookup_code) == 8 and set(intake.lookup_code) <= set(rules.CODE_ALPHABET)
    assert (intake.person_id, intake.station_id, intake.status) == (deputy_code.person_id, None, "new")
    assert intake.jurisdiction == deputy_code.person.mandates.get().jurisdiction
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, sender_hash FROM intake_intake")
        stored_phone, sender = cursor.fetchone()
    assert PHONE not in stored_phone and intake.phone == PHONE  # encrypted at rest
    assert "10.1.1.1" not in sender and sender == services.address_hash("10.1.1.1")


def test_a_post_reads_the_code_once_a_minute_not_once_a_post(client, station_code, frozen,
                                                             django_assert_num_queries):
    """Every post of the public form needs the code and its owner's facts; the shared cache keeps them, so a
    post after the first costs the sender's lock and checks and the write (and the pages' own reads), no more."""
    assert client.post(submit_url(station_code), opinion(phone=""), REMOTE_ADDR="10.2.2.1").status_code == 200
    # the transaction (2), the sender's lock (1) and checks (1), the opinion and its history row (2)
    with django_assert_num_queries(6):
        assert client.post(submit_url(station_code), opinion(phone=""), REMOTE_ADDR="10.2.2.2").status_code == 200
    assert Intake.objects.count() == 2


def test_the_honeypot_refuses_a_robot_and_writes_nothing(client, deputy_code):
    response = client.post(submit_url(deputy_code), opinion(website="http://spam.example"))
    assert response.status_code == 400
    assert "您的意见未能提交" in response.content.decode()
    assert not Intake.objects.exists()


def test_the_eleventh_opinion_from_one_address_in_ten_minutes_is_refused(client, deputy_code, frozen):
    for i in range(rules.ADDRESS_LIMIT - 1):
        submit(deputy_code, address="10.9.9.9", phone="", text=f"第{i}条")
    assert client.post(submit_url(deputy_code), opinion(phone=""), REMOTE_ADDR="10.9.9.9").status_code == 200
    refused = client.post(submit_url(deputy_code), opinion(phone=""), REMOTE_ADDR="10.9.9.9")
    assert refused.status_code == 429
    assert "提交过于频繁，请10分钟后再试" in refused.content.decode()
    assert Intake.objects.count() == rules.ADDRESS_LIMIT
    # another address is not held back; and ten minutes later this one may send again
    assert client.post(submit_url(deputy_code), opinion(phone=""), REMOTE_ADDR="10.9.9.8").status_code == 200
    frozen.shift(rules.WINDOW + datetime.timedelta(seconds=1))
    assert client.post(submit_url(deputy_code), opinion(phone=""), REMOTE_ADDR="10.9.9.9").status_code == 200


def test_one_phone_is_limited_whatever_the_address(deputy_code, frozen):
    for i in range(rules.PHONE_LIMIT):
        submit(deputy_code, address=f"10.0.1.{i}")
    with pytest.raises(services.Refused):
        submit(deputy_code, address="10.0.2.1", phone="138 1234 5678")
    assert Intake.objects.count() == rules.PHONE_LIMIT


def test_the_proxy_header_counts_only_behind_a_trusted_proxy(client, deputy_code, settings, frozen):
    settings.NUM_PROXIES = 1
    client.post(submit_url(deputy_code), opinion(), REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 10.3.3.3")
    assert Intake.objects.get().sender_hash == services.address_hash("10.3.3.3")


def test_a_blocked_sender_is_refused(client, deputy_code, staff_user):
    intake = submit(deputy_code, address="10.4.4.4")
    services.intake_close(intake=intake, user=staff_user, reason="广告", spam=True, block=True)
    assert set(IntakeBlock.objects.values_list("kind", flat=True)) == {"address", "phone"}
    refused = client.post(submit_url(deputy_code), opinion(phone=""), REMOTE_ADDR="10.4.4.4")
    assert refused.status_code == 429 and "不再受理" in refused.content.decode()
    with pytest.raises(services.Refused):
        submit(deputy_code, address="10.4.4.5")  # the phone
    assert Intake.objects.count() == 1


def test_a_deputy_who_serves_no_more_or_an_inactive_station_takes_no_opinions(client, deputy_code, station_code):
    Station.objects.filter(pk=station_code.station_id).update(is_active=False)
    assert client.get(submit_url(station_code)).status_code == 404
    deputy_code.person.mandates.update(end_date=datetime.date(2020, 1, 1), status="ended", end_reason="other")
    assert client.get(submit_url(deputy_code)).status_code == 404
    assert not Intake.objects.exists()


def test_a_photo_is_re_encoded_without_its_metadata(client, deputy_code, _media):
    photo = SimpleUploadedFile("路灯.jpg", jpeg_with_exif(), content_type="image/jpeg")
    assert client.post(submit_url(deputy_code), opinion(photo=photo)).status_code == 200
    intake = Intake.objects.get()
    with intake.photo.open("rb") as stored:
        data = stored.read()
        stored.seek(0)
        image = Image.open(stored)
        assert image.format == "JPEG" and image.size == (64, 48) and not image.getexif()
    assert b"SecretPhoneMaker" not in data and intake.photo.name.endswith(".jpg") and "路灯" not in intake.photo.name


@pytest.mark.parametrize(("content", "message"), [
    (b"%PDF-1.4\n%%EOF\n", "只能附一张照片"),
    (b"\xff\xd8\xff" + b"\x00" * 200, "照片无法读取"),
    (b"MZ\x90\x00 not an image", "类型不被接受"),
])
def test_a_hostile_photo_is_refused_with_a_clear_message(client, deputy_code, _media, content, message):
    photo = SimpleUploadedFile("x.jpg", content, content_type="image/jpeg")
    response = client.post(submit_url(deputy_code), opinion(photo=photo))
    assert response.status_code == 400 and message in response.content.decode()
    assert not Intake.objects.exists()


def test_a_photo_over_the_size_limit_is_refused(client, deputy_code, _media, monkeypatch):
    monkeypatch.setattr(rules, "PHOTO_MAX_BYTES", 100)
    photo = SimpleUploadedFile("big.jpg", jpeg_with_exif(), content_type="image/jpeg")
    response = client.post(submit_url(deputy_code), opinion(photo=photo))
    assert response.status_code == 400 and "照片太大" in response.content.decode()


def test_an_unknown_code_looks_exactly_like_one_still_waiting(client, deputy_code):
    intake = submit(deputy_code)
    known = client.post(reverse("intake:lookup"), {"code": intake.lookup_code})
    unknown = client.post(reverse("intake:lookup"), {"code": "ZZZZ2222"})
    bad = client.post(reverse("intake:lookup"), {"code": "<script>"})
    assert known.status_code == unknown.status_code == bad.status_code == 200
    strip = lambda r: r.content.decode().split('id="lookup-answer"')[1].split("</main>")[0]  # noqa: E731
    assert strip(known) == strip(unknown) == strip(bad)
    assert "暂无可显示的进展" in strip(known)


def test_a_closed_opinion_shows_its_reason_and_spam_shows_nothing(client, deputy_code, staff_user):
    closed, spam = submit(deputy_code, address="10.5.5.1"), submit(deputy_code, address="10.5.5.2", phone="")
    services.intake_close(intake=closed, user=staff_user, reason="已由社区当场修复。")
    services.intake_close(intake=spam, user=staff_user, reason="广告内容", spam=True)
    page = client.post(reverse("intake:lookup"), {"code": closed.lookup_code.lower()}).content.decode()
    assert "已关闭" in page and "已由社区当场修复。" in page
    page = client.post(reverse("intake:lookup"), {"code": spam.lookup_code}).content.decode()
    assert "广告内容" not in page and "暂无可显示的进展" in page


def test_lookups_from_one_address_are_limited(client, db, frozen, monkeypatch):
    monkeypatch.setattr(rules, "LOOKUP_LIMIT", 3)
    for _i in range(rules.LOOKUP_LIMIT):
        assert client.post(reverse("intake:lookup"), {"code": "ABCD2345"}).status_code == 200
    refused = client.post(reverse("intake:lookup"), {"code": "ABCD2345"})
    assert refused.status_code == 429 and "查询过于频繁" in refused.content.decode()
    assert client.post(reverse("intake:lookup"), {"code": "ABCD2345"}, REMOTE_ADDR="10.8.8.8").status_code == 200


def test_the_form_needs_its_csrf_token(deputy_code):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(submit_url(deputy_code), opinion()).status_code == 403
    assert not Intake.objects.exists()


TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80)


@pytest.mark.django_db(transaction=False)
@settings(max_examples=6, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(category=st.one_of(TEXT, st.sampled_from(["urban", "other", ""])),
       text=st.one_of(TEXT, st.just("长" * (rules.TEXT_MAX + 1))),
       name=st.one_of(TEXT, st.just("名" * 51)), phone=st.one_of(TEXT, st.just("1" * 40)))
@example(category="urban", text="a\x00b", name="", phone="")
@example(category="urban", text="正常", name="", phone="-sNaN")
def test_fuzzed_posts_never_fail_and_a_refused_post_writes_nothing(client, deputy_code, category, text, name, phone):
    before = Intake.objects.count()
    response = client.post(submit_url(deputy_code), {"category": category, "text": text, "name": name,
                                                     "phone": phone}, REMOTE_ADDR="10.7.7.7")
    assert response.status_code in (200, 400, 429)
    assert Intake.objects.count() == before + (1 if response.status_code == 200 else 0)
    Intake.objects.all().delete()


def test_a_lookup_code_drawn_twice_is_drawn_again(deputy_code, monkeypatch):
    first = submit(deputy_code, address="10.1.2.3")
    drawn = iter([first.lookup_code, "ABCD2345"])
    monkeypatch.setattr(services, "_new_lookup_code", lambda: next(drawn))
    assert submit(deputy_code, address="10.1.2.4").lookup_code == "ABCD2345"
    assert Intake.objects.count() == 2
