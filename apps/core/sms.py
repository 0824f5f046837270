"""The SMS gateway (短信网关): one interface for text messages, used by notices and the reminders.

``sms_send(number=..., text=..., purpose=...)`` (or ``sms_send_many`` for many at once) stores an
``SmsMessage`` in the caller's transaction and queues its delivery through the outbox, so a message exists
exactly when the write that asked for it does. The backend is chosen by ``SMS_BACKEND``:

- ``console`` (development default): one line on standard output;
- ``file``: one line per message appended to ``SMS_FILE_DIR/sms-<date>.log``;
- ``http``: a POST of ``SMS_HTTP_TEMPLATE`` (JSON with ``$number`` and ``$text``) to ``SMS_HTTP_URL`` with the
  key ``SMS_HTTP_KEY`` as a bearer token. A 5xx answer, a timeout or a refused connection is temporary: the
  message is tried again through the outbox after a growing delay, up to ``SMS_MAX_ATTEMPTS``; a 4xx answer
  is final.

A number gets at most ``SMS_DAILY_LIMIT`` messages a day: the day's count of every number asked for is taken
in one query under a lock, and messages beyond it are recorded as refused. Nothing here logs or stores a
number in the clear (the row keeps it encrypted; logs and the file backend show it masked).
"""

from __future__ import annotations

import json
import logging
import re
import string
import sys
from collections.abc import Iterable
from datetime import datetime, time, timedelta
from pathlib import Path

import requests
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F
from django.utils import timezone

from apps.core import outbox
from apps.core.crypto import lookup_hash
from apps.core.models import SmsMessage

logger = logging.getLogger(__name__)

TASK = "apps.core.tasks.send_sms"
CHUNK = 200  # messages per delivery job
_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
_COUNTED = (SmsMessage.Status.QUEUED, SmsMessage.Status.SENDING, SmsMessage.Status.SENT, SmsMessage.Status.FAILED)


class SmsError(Exception):
    """The gateway refused the message for good (a bad request): it is not tried again."""


class SmsTemporaryError(SmsError):
    """The gateway could not take the message now (5xx, timeout, no connection): it is tried again later."""


def normalise_number(number: str) -> str:
    """A mainland mobile number as its 11 digits (``+86``/``86`` prefix, spaces and dashes dropped), or ``""``
    if it is not one."""
    digits = re.sub(r"[\s\-()]", "", number or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits if _MOBILE_RE.match(digits) else ""


def mask_number(number: str) -> str:
    """``138****5678``: enough to tell messages apart in a log, not enough to call anybody."""
    digits = re.sub(r"\D", "", number or "")
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


def _day_start() -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate(), time.min))


def sms_send(*, number: str, text: str, purpose: str = "") -> SmsMessage:
    """Queue one text message; the returned row's status says whether it was refused (limit, bad number)."""
    return sms_send_many(messages=[(number, text)], purpose=purpose)[0]


@transaction.atomic
def sms_send_many(*, messages: Iterable[tuple[str, str]], purpose: str = "") -> list[SmsMessage]:
    """Queue text messages ``(number, text)`` set-based: one count of the day's messages per number, one insert,
    one delivery job per ``CHUNK`` messages; over the daily limit or not a mobile number → recorded, not sent."""
    pairs = [(normalise_number(number), number, str(text)[:500]) for number, text in messages]
    if not pairs:
        return []
    with connection.cursor() as cursor:  # serialises the count and the insert of concurrent senders
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('apps.core.sms.daily_limit'))")
    hashes = {lookup_hash(number, "phone") for number, _raw, _text in pairs if number}
    sent_today = dict(SmsMessage.objects.filter(number_hash__in=hashes, created_at__gte=_day_start(),
                                                status__in=_COUNTED)
                      .values_list("number_hash").annotate(n=Count("pk")).values_list("number_hash", "n"))
    rows = []
    limit = settings.SMS_DAILY_LIMIT
    for number, raw, text in pairs:
        row = SmsMessage(number=number, number_masked=mask_number(number or raw), text=text, purpose=purpose[:100])
        if not number:
            row.status, row.last_error = SmsMessage.Status.INVALID, "not a mainland mobile number"
        else:
            key = row.number_hash
            if sent_today.get(key, 0) >= limit:
                row.status = SmsMessage.Status.LIMITED
            else:
                sent_today[key] = sent_today.get(key, 0) + 1
        rows.append(row)
    rows = SmsMessage.objects.bulk_create(rows)
    queued = [row.pk for row in rows if row.status == SmsMessage.Status.QUEUED]
    for start in range(0, len(queued), CHUNK):
        outbox.enqueue(TASK, queued[start:start + CHUNK])
    for row in rows:
        logger.info("sms %s to %s (%s): %s", row.pk, row.number_masked, purpose or "-", row.status)
    return rows


def _backoff(attempts: int) -> float:
    """Seconds before another try: 30 s, 1 min, 2 min, … at most an hour."""
    return float(min(30 * 2 ** max(attempts - 1, 0), 3600))


def sms_deliver(*, sms_id: int) -> str:
    """Send one queued message once (its row is claimed first); the status it ends in."""
    claimed = SmsMessage.objects.filter(pk=sms_id, status=SmsMessage.Status.QUEUED).update(
        status=SmsMessage.Status.SENDING, attempts=F("attempts") + 1, claimed_at=timezone.now())
    if not claimed:
        return ""
    message = SmsMessage.objects.get(pk=sms_id)
    try:
        get_backend().send(number=message.number, text=message.text, masked=message.number_masked)
    except SmsTemporaryError as exc:
        final = message.attempts >= settings.SMS_MAX_ATTEMPTS
        status = SmsMessage.Status.FAILED if final else SmsMessage.Status.QUEUED
        with transaction.atomic():
            SmsMessage.objects.filter(pk=sms_id).update(status=status, last_error=str(exc)[:500])
            if not final:
                outbox.enqueue(TASK, [sms_id], dedup_key=f"sms:{sms_id}:{message.attempts}",
                               countdown=_backoff(message.attempts))
        logger.warning("sms %s to %s: attempt %s failed: %s", sms_id, message.number_masked, message.attempts, exc)
        return status
    except SmsError as exc:
        SmsMessage.objects.filter(pk=sms_id).update(status=SmsMessage.Status.FAILED, last_error=str(exc)[:500])
        logger.warning("sms %s to %s refused: %s", sms_id, message.number_masked, exc)
        return SmsMessage.Status.FAILED
    SmsMessage.objects.filter(pk=sms_id).update(status=SmsMessage.Status.SENT, sent_at=timezone.now(),
                                                last_error="")
    logger.info("sms %s to %s sent", sms_id, message.number_masked)
    return SmsMessage.Status.SENT


_REQUEUE_STUCK = f"""
    UPDATE {SmsMessage._meta.db_table}
       SET status = CASE WHEN attempts >= %(max)s THEN %(failed)s ELSE %(queued)s END,
           last_error = CASE WHEN attempts >= %(max)s THEN %(gave_up)s ELSE %(requeued)s END
     WHERE status = %(sending)s AND COALESCE(claimed_at, created_at) < %(cutoff)s
 RETURNING id, status, attempts"""


@transaction.atomic
def sms_requeue_stuck(*, older_than_minutes: int | None = None) -> dict[str, int]:
    """Queue again the messages left ``sending`` longer than ``SMS_STUCK_MINUTES`` (claimed by a worker that died
    before it recorded the outcome), or fail those whose attempts are used up (``SMS_MAX_ATTEMPTS``).

    One conditional UPDATE … WHERE status = 'sending' takes the rows, so a message a live worker finishes
    meanwhile (sent, failed) is left alone, and two sweeps at once never queue one message twice. The attempt
    the dead worker made counts: it was counted when the row was claimed."""
    minutes = settings.SMS_STUCK_MINUTES if older_than_minutes is None else older_than_minutes
    params = {"max": settings.SMS_MAX_ATTEMPTS, "failed": SmsMessage.Status.FAILED.value,
              "queued": SmsMessage.Status.QUEUED.value, "sending": SmsMessage.Status.SENDING.value,
              "gave_up": "worker lost; no attempts left", "requeued": "worker lost; queued again",
              "cutoff": timezone.now() - timedelta(minutes=minutes)}
    with connection.cursor() as cursor:
        cursor.execute(_REQUEUE_STUCK, params)
        rows = cursor.fetchall()
    requeued = sorted(pk for pk, status, _attempts in rows if status == SmsMessage.Status.QUEUED)
    for start in range(0, len(requeued), CHUNK):
        outbox.enqueue(TASK, requeued[start:start + CHUNK])
    failed = len(rows) - len(requeued)
    if rows:
        logger.warning("sms sweep: %s stuck messages queued again, %s failed for good", len(requeued), failed)
    return {"requeued": len(requeued), "failed": failed}


# --- backends -------------------------------------------------------------------------------------------------

class ConsoleBackend:
    def send(self, *, number: str, text: str, masked: str) -> None:
        sys.stdout.write(f"[SMS to {masked}] {text}\n")


class FileBackend:
    def send(self, *, number: str, text: str, masked: str) -> None:
        folder = Path(settings.SMS_FILE_DIR)
        folder.mkdir(parents=True, exist_ok=True)
        line = json.dumps({"time": timezone.now().isoformat(), "to": masked, "text": text}, ensure_ascii=False)
        with open(folder / f"sms-{timezone.localdate():%Y-%m-%d}.log", "a", encoding="utf-8") as handle:
            handle.write(line + "\n")


class HttpBackend:
    """POST ``SMS_HTTP_TEMPLATE`` with ``$number`` and ``$text`` replaced by JSON strings."""

    def send(self, *, number: str, text: str, masked: str) -> None:
        body = string.Template(settings.SMS_HTTP_TEMPLATE).substitute(
            number=json.dumps(number), text=json.dumps(text, ensure_ascii=False))
        try:
            response = requests.post(settings.SMS_HTTP_URL, data=body.encode(), timeout=settings.SMS_HTTP_TIMEOUT,
                                     headers={"Content-Type": "application/json; charset=utf-8",
                                              "Authorization": f"Bearer {settings.SMS_HTTP_KEY}"})
        except requests.RequestException as exc:  # timeout, refused connection, reset
            raise SmsTemporaryError(f"{exc.__class__.__name__}") from exc
        if response.status_code >= 500:
            raise SmsTemporaryError(f"HTTP {response.status_code}")
        if response.status_code >= 400:
            raise SmsError(f"HTTP {response.status_code}: {response.text[:200]}")


BACKENDS = {"console": ConsoleBackend, "file": FileBackend, "http": HttpBackend}


def get_backend():
    return BACKENDS[settings.SMS_BACKEND]()


__all__ = ["sms_send", "sms_send_many", "sms_deliver", "sms_requeue_stuck", "mask_number", "normalise_number", "SmsError",
           "SmsTemporaryError"]
