"""The figures of voters' opinions for ``manage.py bench`` (``FIGURES``, ``--only intake``; see that command for
the shared machinery):

- ``intake_p95_ms``: gunicorn with 2 workers, ``--clients`` clients (20; wrk when installed, else Python threads)
  posting opinions to a station's code page for ``--duration`` seconds, each post from another address (behind one trusted proxy, the address is the
  X-Forwarded-For entry, so the rate limit counts each apart); the p95 of those posts (target ≤ 150 ms);
- ``intake_lost``: the 2xx answers minus the opinions stored in the run, i.e. opinions answered as received but
  not stored (must be 0; posts in flight when wrk stops are stored without their answer being counted, noted);
- ``intake_throttle_ok``: 1 when one more client, posting from a single address throughout, had exactly
  ``rules.ADDRESS_LIMIT`` posts accepted and the rest refused (429) while the others ran; else 0.

The run's opinions are deleted afterwards (the bench database is kept between runs).
"""

import http.client
import os
import random
import re
import subprocess
import tempfile
import threading
import time
from urllib.parse import urlencode

from django.core.management.base import CommandError

from apps.core.registry import BenchFamily

TOKEN_RE = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
COOKIE_RE = re.compile(r"csrftoken=([^;]+)")
TEXTS = ["小区门口的路灯坏了一个月，晚上很黑，希望尽快修复。", "希望在社区增设老年人日间照料中心。",
         "学校门口早晚高峰拥堵，建议增设交通协管员。", "小区垃圾清运不及时，夏天气味很大。"]


def _session(port: int, url: str, address: str):
    """A connection that opened the page once: its CSRF cookie and the form's token."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", url, headers={"X-Forwarded-For": address})
    response = conn.getresponse()
    body = response.read()
    cookie = COOKIE_RE.search(response.getheader("Set-Cookie") or "")
    token = TOKEN_RE.search(body)
    if response.status != 200 or cookie is None or token is None:
        raise CommandError(f"GET {url} answered {response.status} without a form to post")
    return conn, cookie.group(1), token.group(1).decode()


def _post(conn, url, cookie, token, address, n):
    body = urlencode({"csrfmiddlewaretoken": token, "category": "urban", "text": TEXTS[n % len(TEXTS)],
                      "name": "", "phone": "", "website": ""})
    conn.request("POST", url, body=body, headers={
        "Cookie": f"csrftoken={cookie}", "X-Forwarded-For": address,
        "Content-Type": "application/x-www-form-urlencoded"})
    response = conn.getresponse()
    response.read()
    return response


# wrk: each request from another address (thread id, then a counter), the same form and CSRF pair throughout.
WRK_POST = """
local counter = 0
local next_id = 1
setup = function(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end
request = function()
  counter = counter + 1
  local address = string.format("10.%%d.%%d.%%d", (RUN + id) %% 250, math.floor(counter / 250) %% 250, counter %% 250 + 1)
  return wrk.format("POST", nil, {["Cookie"] = "csrftoken=COOKIE", ["X-Forwarded-For"] = address,
                                  ["Content-Type"] = "application/x-www-form-urlencoded"}, "BODY")
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK p95_us=%%d requests=%%d non2xx=%%d socket_errors=%%d\\n",
    latency:percentile(95), summary.requests, e.status, e.connect + e.read + e.write + e.timeout))
end
"""


def _load_wrk(port: int, url: str, *, clients: int, seconds: int, run: int) -> dict:
    """The clients' posts through wrk (far lighter than Python threads on the same machine)."""
    _conn, cookie, token = _session(port, url, f"10.{run}.0.1")
    body = urlencode({"csrfmiddlewaretoken": token, "category": "urban", "text": TEXTS[0], "name": "", "phone": "",
                      "website": ""})
    script = (WRK_POST % ()).replace("RUN", str(run)).replace("COOKIE", cookie).replace("BODY", body)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        done = subprocess.run(["/usr/bin/wrk", "-t", "2", "-c", str(clients), "-d", f"{seconds}s", "--timeout", "10s",
                               "-s", handle.name, f"http://127.0.0.1:{port}{url}"],
                              capture_output=True, text=True, timeout=seconds + 60)
    finally:
        os.unlink(handle.name)
    match = re.search(r"WRK p95_us=(\d+) requests=(\d+) non2xx=(\d+) socket_errors=(\d+)", done.stdout)
    if not match:
        raise CommandError(f"wrk failed:\n{done.stdout}\n{done.stderr}")
    p95_us, requests, non2xx, socket_errors = map(int, match.groups())
    return {"p95_ms": p95_us / 1000, "ok": requests - non2xx, "non2xx": non2xx, "socket_errors": socket_errors,
            "posts": requests}


def _load(port: int, url: str, *, clients: int, seconds: int, limit: int, tool: str = "python") -> dict:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    abuser = {"ok": 0, "refused": 0, "other": 0}
    failures: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    run = random.randrange(1, 250)

    def client(index: int):
        mine, counts, n = [], {}, 0
        conn, cookie, token = _session(port, url, f"10.{run}.{index}.1")
        while time.monotonic() < stop_at and n < 100_000:
            n += 1
            address = f"10.{run}.{index}.{n}" if n < 250 else f"10.{(run + n // 250) % 250}.{index}.{n % 250}"
            started = time.perf_counter()
            try:
                response = _post(conn, url, cookie, token, address, n)
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                with lock:
                    failures.append(repr(exc))
                continue
            mine.append(time.perf_counter() - started)
            counts[response.status] = counts.get(response.status, 0) + 1
            if response.will_close:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        with lock:
            latencies.extend(mine)
            for status, count in counts.items():
                statuses[status] = statuses.get(status, 0) + count

    def over_the_limit():
        address = f"198.18.{run}.{random.randrange(1, 250)}"  # one address for the whole run
        conn, cookie, token = _session(port, url, address)
        n = 0
        # Past the limit at least once, however short the run or slow the answers; at most 200 posts.
        while (time.monotonic() < stop_at or n <= limit) and n < 200:
            n += 1
            try:
                response = _post(conn, url, cookie, token, address, n)
            except (OSError, http.client.HTTPException):
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            key = "ok" if response.status == 200 else "refused" if response.status == 429 else "other"
            with lock:
                abuser[key] += 1
                statuses[response.status] = statuses.get(response.status, 0) + 1
            time.sleep(0.05)  # steady, not a flood: the limit must hold while the others post

    if tool == "wrk":
        abusing = threading.Thread(target=over_the_limit, daemon=True)
        abusing.start()
        result = _load_wrk(port, url, clients=clients, seconds=seconds, run=run)
        abusing.join(timeout=seconds + 60)
        statuses[200] = statuses.get(200, 0) + result["ok"]
        if result["socket_errors"]:
            failures.append(f"{result['socket_errors']} socket errors")
        return {"p95_ms": result["p95_ms"], "statuses": statuses, "abuser": abuser, "failures": failures,
                "posts": result["posts"], "non2xx": result["non2xx"]}
    threads = [threading.Thread(target=client, args=(i + 1,), daemon=True) for i in range(clients)]
    threads.append(threading.Thread(target=over_the_limit, daemon=True))
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 60)
    if not latencies:
        raise CommandError(f"no opinion was posted: {failures[:3]}")
    latencies.sort()
    p95 = latencies[min(len(latencies) - 1, int(round(0.95 * len(latencies))) - 1)]
    return {"p95_ms": p95 * 1000, "statuses": statuses, "abuser": abuser, "failures": failures,
            "posts": len(latencies)}


def intake_figures(bench) -> None:
    from apps.intake import rules, services
    from apps.intake.models import Intake
    from apps.stations.models import Station

    station = Station.objects.filter(is_active=True).order_by("pk").first()
    if station is None:
        raise CommandError("no active work station to post opinions to")
    code = services.intake_code_get_or_create(station=station)
    url = f"/intake/v/{code.token}/"
    last = Intake.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    saved = os.environ.get("NUM_PROXIES")
    os.environ["NUM_PROXIES"] = "1"  # the load generator stands for the proxy: X-Forwarded-For is the address
    try:
        with bench.gunicorn() as (port, tool):
            result = _load(port, url, clients=bench.clients, seconds=bench.duration, limit=rules.ADDRESS_LIMIT,
                           tool=tool)
    finally:
        if saved is None:
            os.environ.pop("NUM_PROXIES", None)
        else:
            os.environ["NUM_PROXIES"] = saved
    stored = Intake.objects.filter(pk__gt=last)
    stored_count = stored.count()
    accepted = sum(count for status, count in result["statuses"].items() if 200 <= status < 300)
    abuser = result["abuser"]
    bench.note(f"intake: {result['posts']} posts by {bench.clients} clients ({tool}) in {bench.duration} s, answers "
               f"{dict(sorted(result['statuses'].items()))}, {stored_count} stored; one address over the limit: "
               f"{abuser['ok']} accepted, {abuser['refused']} refused; {len(result['failures'])} connection errors")
    bench.figure("intake_p95_ms", round(result["p95_ms"], 1), "ms")
    # wrk stops with up to one post per connection in flight: stored, but its answer never counted. What matters is
    # an opinion answered as received but not stored.
    if stored_count > accepted:
        bench.note(f"intake: {stored_count - accepted} posts were in flight when the load stopped (stored, answer "
                   f"not counted)")
    bench.figure("intake_lost", max(0, accepted - stored_count), "opinions")
    bench.figure("intake_throttle_ok", int(abuser["ok"] == rules.ADDRESS_LIMIT and abuser["refused"] > 0
                                           and abuser["other"] == 0), "bool")
    Intake.history.filter(id__in=stored.values("pk")).delete()
    stored.delete()


FIGURES = [BenchFamily("intake", 540, intake_figures)]
