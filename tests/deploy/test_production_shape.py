"""The production shape of docker-compose.yml, run on this machine without containers.

One topology per module (started once, shared by the tests below, stopped at the end):

- an env file generated with every variable of ``.env.example`` (fresh secrets for the required ones);
- the app's environment and the services' commands read from ``docker-compose.yml`` and interpolated with
  that file, as ``docker compose`` does (``DEV_DEFAULTS=false``, ``DEBUG=false``, ``HTTPS=true``,
  ``NUM_PROXIES=1``); only the container addresses and paths are translated to this machine's;
- a fresh database on this machine's PostgreSQL, migrated by the migrate service's own command, and dropped
  at the end; a Redis server of its own on a free loopback port (nothing shared with other tests);
- gunicorn (web), a Celery worker and beat, with the demo data (``seed_demo --scale small``) to work on;
- Debian's nginx (``apt-get install nginx``; ``.ci/run`` installs it), configured from the same template the
  nginx service uses (``deploy/nginx/templates``), terminating TLS with a certificate ``openssl`` makes now.
"""

from __future__ import annotations

import base64
import datetime
import io
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
import pytest
import requests
import yaml
from django.conf import settings

# One xdist worker runs the whole module (`make test` distributes by group): one topology, not one per worker.
pytestmark = [pytest.mark.production, pytest.mark.xdist_group("production_shape")]

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
TEMPLATE = ROOT / "deploy" / "nginx" / "templates" / "default.conf.template"
NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
COMPOSE_VAR = re.compile(r"\$\$|\$\{(\w+)(?:(:?[-?])([^}]*))?\}")
STATIC_IN_IMAGE = "/app/var/staticfiles"  # settings' STATIC_ROOT in the image: the compose file's static volume
# Where the topology's processes (not TESTING) collect static files here: their settings' STATIC_ROOT.
STATIC_HERE = settings.VAR_DIR / "staticfiles"
APP_VAR = "/app/var"
STARTUP_SECONDS = 90
DEMO_PASSWORD = f"Prod-{secrets.token_hex(6)}!Aa1"  # the demo accounts' password in this topology

# How the test makes each required (empty) value of .env.example; .env.example's comments give the same commands.
SECRETS = {
    "POSTGRES_PASSWORD": lambda: secrets.token_hex(24),
    "SECRET_KEY": lambda: secrets.token_urlsafe(50),
    "OTP_ENCRYPTION_KEYS": lambda: secrets.token_urlsafe(32),
    "PII_KEYS": lambda: base64.urlsafe_b64encode(os.urandom(32)).decode(),
    "PII_HASH_KEY": lambda: secrets.token_hex(32),
    "ALLOWED_HOSTS": lambda: "127.0.0.1,localhost",
}


def env_example() -> dict[str, str]:
    pairs = {}
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            pairs[name.strip()] = value.strip()
    return pairs


def interpolate(value, variables: dict[str, str]):
    """docker compose's interpolation: ``${VAR}``, ``${VAR:-default}``, ``${VAR-default}``, ``${VAR:?error}``."""
    if isinstance(value, list):
        return [interpolate(item, variables) for item in value]
    if isinstance(value, dict):
        return {key: interpolate(item, variables) for key, item in value.items()}
    if not isinstance(value, str):
        return value

    def one(match):
        if match.group(0) == "$$":
            return "$"
        name, operator, argument = match.groups()
        present = name in variables
        current = variables.get(name, "")
        if operator in (":?", "?") and (not present or (operator == ":?" and not current)):
            raise AssertionError(f"compose would refuse to start: {name}: {argument}")
        if operator == ":-" and not current or operator == "-" and not present:
            return argument
        return current

    return COMPOSE_VAR.sub(one, value)


def render_template(text: str, variables: dict[str, str]) -> str:
    """What the nginx image's envsubst step does: replace the defined ``${NAME}``s, leave nginx's ``$vars``."""
    rendered = re.sub(r"\$\{(\w+)\}", lambda m: variables.get(m.group(1), m.group(0)), text)
    left = re.findall(r"\$\{\w+\}", rendered)
    assert left == [], f"the nginx template needs {left}"
    return rendered


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Process:
    name: str
    proc: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
            except ProcessLookupError:
                pass
        # Nothing of its process group may be left (a prefork pool's children, nginx's workers).
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


@dataclass
class Topology:
    root: Path
    env: dict[str, str]
    compose: dict
    variables: dict[str, str]
    base_url: str = ""
    http_url: str = ""
    cert: str = ""
    database: str = ""
    processes: dict[str, Process] = field(default_factory=dict)

    def start(self, name: str, command: list[str], env: dict | None = None) -> Process:
        log = self.root / "logs" / f"{name}.log"
        handle = log.open("w")
        proc = subprocess.Popen(command, cwd=ROOT, env=env or self.env, stdout=handle, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        handle.close()
        self.processes[name] = Process(name, proc, log)
        return self.processes[name]

    def run(self, command: list[str], *, timeout: float = 600, env: dict | None = None) -> str:
        done = subprocess.run(command, cwd=ROOT, env=env or self.env, capture_output=True, text=True,
                              timeout=timeout, stdin=subprocess.DEVNULL)
        output = f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        assert done.returncode == 0, f"{command} exited {done.returncode}:\n{output}"
        return done.stdout

    def logs(self) -> str:
        return "\n".join(f"--- {p.name} (exit {p.proc.poll()}):\n{p.output()[-2500:]}" for p in self.processes.values())

    def command(self, service: str) -> list[str]:
        """The service's command from the compose file, with this machine's programs, ports and paths."""
        command = [self.path(part) for part in self.compose["services"][service]["command"]]
        if (BIN / command[0]).exists():
            command[0] = str(BIN / command[0])
        return command

    def path(self, value: str) -> str:
        value = value.replace(STATIC_IN_IMAGE, str(STATIC_HERE))
        return value.replace(APP_VAR, str(self.root / "var"))

    def query(self, sql: str, *params):
        with psycopg.connect(self.env["DATABASE_URL"]) as conn:
            return conn.execute(sql, params).fetchall()


def _server_url(database: str) -> str:
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{database}"


def _wait_for(check, *, timeout: float, what: str, topology: Topology):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        for process in topology.processes.values():
            if process.proc.poll() is not None:
                raise AssertionError(f"{process.name} exited while waiting for {what}:\n{topology.logs()}")
        try:
            value = check()
            if value:
                return value
        except (OSError, requests.RequestException) as exc:
            last = exc
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what} ({last}):\n{topology.logs()}")


def _write_nginx_conf(topology: Topology, https_port: int, http_port: int, upstream: str) -> Path:
    nginx_env = interpolate(topology.compose["services"]["nginx"]["environment"], topology.variables)
    tls = topology.root / "tls"
    nginx_env.update(NGINX_UPSTREAM=upstream, NGINX_HTTP_PORT=str(http_port), NGINX_HTTPS_PORT=str(https_port),
                     NGINX_TLS_CERT=str(tls / "fullchain.pem"), NGINX_TLS_KEY=str(tls / "privkey.pem"),
                     NGINX_STATIC_ROOT=str(STATIC_HERE))
    prefix = topology.root / "nginx"
    for sub in ("conf.d", "temp", "logs"):
        (prefix / sub).mkdir(parents=True)
    (prefix / "conf.d" / "default.conf").write_text(render_template(TEMPLATE.read_text(encoding="utf-8"), nginx_env))
    temp = prefix / "temp"
    # The main file of the nginx image, reduced: the site itself is the rendered template.
    main = f"""
{"user root;" if os.geteuid() == 0 else ""}
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {prefix}/logs/access.log;
    sendfile on;
    keepalive_timeout 65;
    client_body_temp_path {temp}/client_body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {prefix}/conf.d/*.conf;
}}
"""
    conf = prefix / "nginx.conf"
    conf.write_text(main)
    return conf


@pytest.fixture(scope="module")
def topology():
    assert NGINX, "nginx is not installed: `apt-get install -y nginx` (.ci/run does)"
    assert shutil.which("openssl"), "openssl is not installed"
    redis_server = shutil.which("redis-server")
    assert redis_server, "redis-server is not installed: `apt-get install -y redis-server`"

    compose_text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    required = {m.group(1) for m in COMPOSE_VAR.finditer(compose_text) if m.group(2) in (":?", "?")}
    variables = {}
    for name, value in env_example().items():
        if name in required:
            assert name in SECRETS, f"docker-compose.yml requires {name}: teach this test to make it (SECRETS)"
            variables[name] = SECRETS[name]()
        else:
            variables[name] = value
    root = Path(tempfile.mkdtemp(prefix="prod-shape-"))
    (root / "logs").mkdir()
    (root / "var").mkdir()
    topo: Topology | None = None
    created = False
    try:
        https_port, http_port, web_port, redis_port = free_port(), free_port(), free_port(), free_port()
        variables.update(HTTPS_PORT=str(https_port), HTTP_PORT=str(http_port), TLS_DIR=str(root / "tls"),
                         UPLOAD_MAX_BYTES=str(2 * 1024 * 1024))
        env_file = root / ".env"
        env_file.write_text("".join(f"{name}={value}\n" for name, value in variables.items()))
        env_file.chmod(0o600)
        # What compose reads: the generated file, exactly (no variable of this test process leaks in).
        file_variables = dict(line.split("=", 1) for line in env_file.read_text().splitlines())

        compose = yaml.safe_load(compose_text)
        app_env = interpolate(compose["services"]["web"]["environment"], file_variables)
        production = {"DEV_DEFAULTS": "false", "DEBUG": "false", "HTTPS": "true"}
        assert {name: app_env.get(name) for name in production} == production, "the compose file's app environment"
        database = f"dp_prodshape_{secrets.token_hex(4)}"
        app_env.update(DATABASE_URL=_server_url(database), REDIS_URL=f"redis://127.0.0.1:{redis_port}/0")
        env = {"PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}", "HOME": str(root),
               "LANG": "C.UTF-8", "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
        env.update({name: value.replace(APP_VAR, str(root / "var")) for name, value in app_env.items()})
        for name in ("MEDIA_ROOT", "BACKUP_DIR"):
            Path(env[name]).mkdir(parents=True, exist_ok=True)

        topo = Topology(root=root, env=env, compose=compose, variables=file_variables, database=database)
        (root / "tls").mkdir()
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                        "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                        "-keyout", str(root / "tls" / "privkey.pem"), "-out", str(root / "tls" / "fullchain.pem")],
                       check=True, capture_output=True, timeout=60)
        topo.cert = str(root / "tls" / "fullchain.pem")

        with psycopg.connect(_server_url("postgres"), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {database} TEMPLATE template0 ENCODING 'UTF8' "
                         "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'")
        created = True
        topo.start("redis", [redis_server, "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(root)])
        _wait_for(lambda: socket.create_connection(("127.0.0.1", redis_port), timeout=1).close() or True,
                  timeout=30, what="redis", topology=topo)

        topo.run(topo.command("migrate"))  # migrations, periodic tasks, collectstatic: the one-shot service
        topo.run([str(BIN / "python"), "manage.py", "seed_demo", "--scale", "small", "-v", "0"],
                 env={**env, "DEMO_PASSWORD": DEMO_PASSWORD})

        web = topo.command("web")
        web[web.index("0.0.0.0:8000")] = f"127.0.0.1:{web_port}"
        topo.start("web", web)
        topo.start("worker", topo.command("worker"))
        topo.start("beat", topo.command("beat"))
        conf = _write_nginx_conf(topo, https_port, http_port, f"127.0.0.1:{web_port}")
        subprocess.run([NGINX, "-t", "-p", str(root / "nginx"), "-c", str(conf)], check=True, capture_output=True,
                       timeout=30)
        topo.start("nginx", [NGINX, "-p", str(root / "nginx"), "-c", str(conf), "-g", "daemon off;"])
        topo.base_url = f"https://127.0.0.1:{https_port}"
        topo.http_url = f"http://127.0.0.1:{http_port}"
        _wait_for(lambda: client(topo).get(f"{topo.base_url}/healthz", timeout=5).status_code == 200,
                  timeout=STARTUP_SECONDS, what="/healthz through nginx", topology=topo)
        yield topo
    finally:
        for name in ("nginx", "beat", "worker", "web", "redis"):
            if topo is not None and name in topo.processes:
                topo.processes[name].stop()
        if created:
            with psycopg.connect(_server_url("postgres"), autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {topo.database} WITH (FORCE)")
        shutil.rmtree(root, ignore_errors=True)


def client(topology: Topology) -> requests.Session:
    """A client that trusts the topology's certificate; nothing of the environment (a CA bundle, a proxy)."""
    session = requests.Session()
    session.trust_env = False
    session.verify = topology.cert
    return session


def login(topology: Topology, username: str = "staff") -> tuple[requests.Session, requests.Response]:
    """Log in through nginx as a person would: the form, its CSRF token, the Origin header a browser sends."""
    session = client(topology)
    session.headers["Origin"] = topology.base_url
    page = session.get(f"{topology.base_url}/accounts/login/", timeout=30)
    assert page.status_code == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(f"{topology.base_url}/accounts/login/", timeout=30, allow_redirects=False,
                            data={"csrfmiddlewaretoken": token, "username": username,
                                  "password": DEMO_PASSWORD},
                            headers={"Referer": f"{topology.base_url}/accounts/login/"})
    assert response.status_code == 302, response.text[:2000]
    assert response.headers["Location"] == "/"  # no password change or second factor for the demo staff
    return session, response


def test_plain_http_only_redirects_to_https(topology):
    response = client(topology).get(f"{topology.http_url}/deputies/?page=2", allow_redirects=False,
                                timeout=10)
    assert response.status_code == 301
    assert response.headers["Location"] == "https://127.0.0.1/deputies/?page=2"


def test_staff_logs_in_through_nginx_with_secure_cookies(topology):
    session, response = login(topology)
    cookies = {c.split("=", 1)[0]: c for c in response.raw.headers.getlist("Set-Cookie")}
    session_cookie = cookies["sessionid"]
    assert "; Secure" in session_cookie and "HttpOnly" in session_cookie and "SameSite=Lax" in session_cookie
    assert "; Secure" in cookies["csrftoken"]


@pytest.mark.parametrize("path, text", [
    ("/", "<main"),
    ("/deputies/", "<table"),
    ("/reports/", 'name="jurisdiction"'),
    ("/proposals/", "<main"),
    ("/notifications/", "<main"),
])
def test_key_pages_answer_through_nginx_with_the_security_headers(topology, path, text):
    session, _ = login(topology)
    response = session.get(f"{topology.base_url}{path}", timeout=60, allow_redirects=False)
    assert response.status_code == 200, (path, response.status_code, response.text[:500])
    assert text in response.text
    assert 'action="/accounts/logout/"' in response.text  # signed in, not a login page
    headers = response.headers
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "Server" not in headers or "gunicorn" not in headers["Server"]


def test_static_files_are_served_by_nginx_itself(topology):
    page = client(topology).get(f"{topology.base_url}/accounts/login/", timeout=30)
    css = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', page.text)
    assert css, "the login page links no hashed stylesheet (CompressedManifestStaticFilesStorage)"
    response = client(topology).get(f"{topology.base_url}{css.group(1)}", timeout=30,
                            headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/css")
    assert response.headers["Content-Encoding"] == "gzip"  # the .gz collectstatic wrote, sent by gzip_static
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    # gunicorn logs every request it answers (--access-logfile -): it never saw this one.
    assert "GET /accounts/login/" in topology.processes["web"].output()
    assert "/static/" not in topology.processes["web"].output()


def test_request_bodies_over_the_upload_limit_stop_at_nginx(topology):
    limit = int(topology.env["UPLOAD_MAX_BYTES"])
    response = client(topology).post(f"{topology.base_url}/accounts/login/", data=b"x" * (limit + 1), timeout=60,
                                    headers={"Content-Type": "application/octet-stream"})
    assert response.status_code == 413
    assert "413 Request Entity Too Large" in response.text


def test_a_report_batch_runs_through_the_worker_and_its_zip_downloads(topology):
    session, _ = login(topology)
    [(town,)] = topology.query("SELECT id FROM core_jurisdiction WHERE name = %s", "英俊镇")
    page = session.get(f"{topology.base_url}/reports/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    year = datetime.datetime.now(ZoneInfo(settings.TIME_ZONE)).year
    response = session.post(f"{topology.base_url}/reports/start/", allow_redirects=False, timeout=30,
                            data={"csrfmiddlewaretoken": token, "year": year, "jurisdiction": town, "level": ""},
                            headers={"Referer": f"{topology.base_url}/reports/"})
    assert response.status_code == 302, response.text[:2000]
    batch = int(re.fullmatch(r"/reports/(\d+)/", response.headers["Location"]).group(1))

    def finished():
        [(status, error)] = topology.query("SELECT status, error FROM reports_reportbatch WHERE id = %s", batch)
        assert status != "failed", error
        return status == "done"

    _wait_for(finished, timeout=180, what=f"report batch {batch}", topology=topology)
    progress = session.get(f"{topology.base_url}/reports/{batch}/progress/", timeout=30)
    assert progress.status_code == 200
    download = session.get(f"{topology.base_url}/reports/{batch}/download/", timeout=60)
    assert download.status_code == 200
    assert download.headers["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(download.content)).namelist()
    assert sum(name.endswith(".pdf") for name in names) >= 3  # 英俊镇's three deputies at least


def test_a_backup_runs_pg_dump_in_the_production_environment(topology):
    out = topology.run([str(BIN / "python"), "manage.py", "backup"]).strip()
    dump = Path(out)
    assert dump.parent == Path(topology.env["BACKUP_DIR"])
    assert dump.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format


def test_healthz_through_nginx_sees_the_database_the_broker_and_beats_heartbeat_on_the_worker(topology):
    def healthy():
        state = client(topology).get(f"{topology.base_url}/healthz", timeout=10).json()
        assert state["database"] == "ok" and state["broker"] == "ok", state
        return state["worker"] == "ok" and state

    # beat sends the heartbeat task every minute, the worker records it.
    state = _wait_for(healthy, timeout=150, what="the worker's heartbeat", topology=topology)
    assert state["status"] == "ok"


@pytest.mark.browser
def test_a_person_signs_in_through_nginx_in_chromium_and_the_policy_blocks_nothing_of_ours(topology):
    """Chromium over nginx's TLS: the login form, the roster with its stylesheets and scripts from nginx, and no
    request refused, no script or style blocked by the Content-Security-Policy, no console error."""
    from playwright.sync_api import expect, sync_playwright

    from tests.browser.conftest import CHROMIUM_ARGS, chromium_path

    problems = []
    with sync_playwright() as playwright:
        launch = {"headless": True, "args": CHROMIUM_ARGS}
        if executable := chromium_path():
            launch["executable_path"] = executable
        browser = playwright.chromium.launch(**launch)
        try:
            # The certificate is the test's own: the browser is told to accept it, as a person would once.
            context = browser.new_context(base_url=topology.base_url, ignore_https_errors=True, locale="zh-CN")
            page = context.new_page()
            page.on("console", lambda message: message.type == "error"
                    and problems.append(f"{message.text} ({message.location.get('url')})"))
            page.on("requestfailed", lambda request: problems.append(f"{request.url}: {request.failure}"))
            page.on("response", lambda response: response.status >= 400
                    and problems.append(f"{response.status} {response.url}"))
            page.goto("/accounts/login/")
            page.get_by_label("用户名").fill("staff")
            page.get_by_label("密码").fill(DEMO_PASSWORD)
            page.get_by_role("button", name="登录").click()
            page.wait_for_url(f"{topology.base_url}/")
            page.goto("/deputies/")
            expect(page.locator("table").first).to_be_visible()
            rules = page.evaluate("[...document.styleSheets].filter(s => s.href && s.href.includes('/static/'))"
                                  ".map(s => s.cssRules.length)")
            scripts = page.evaluate("typeof window.htmx")
        finally:
            browser.close()
    assert rules and all(count > 0 for count in rules)  # every stylesheet of ours arrived and applies
    assert scripts == "object"  # htmx, from nginx, ran under the policy
    assert problems == []
