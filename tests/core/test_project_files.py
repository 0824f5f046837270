"""The project's own files keep their promises: every environment variable is documented, the compose file
names the services the README promises, and no asset is loaded from the internet."""

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
ENV_READ = re.compile(r'env(?:\.\w+)?\("([A-Z_]+)"|environ(?:\.get)?\(\s*"([A-Z_]+)"|environ\["([A-Z_]+)"\]')


def _variables_read() -> set[str]:
    names = set()
    sources = [*ROOT.joinpath("deputies_platform").glob("*.py"), *ROOT.joinpath("apps").rglob("*.py"),
               ROOT / "tests" / "browser" / "conftest.py"]
    for path in sources:
        for match in ENV_READ.finditer(path.read_text(encoding="utf-8")):
            names.add(next(g for g in match.groups() if g))
    return names - {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}


@pytest.mark.smoke
def test_every_environment_variable_the_code_reads_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    variables = _variables_read()
    assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEMO_PASSWORD"} <= variables
    missing = sorted(v for v in variables if f"`{v}`" not in readme)
    assert missing == []


def test_compose_file_runs_the_promised_services_from_one_image():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)
    app_images = {services[name].get("image") for name in ("web", "worker", "beat")}
    assert len(app_images) == 1
    assert "gunicorn" in " ".join(services["web"]["command"])
    assert services["worker"]["command"][:4] == ["celery", "-A", "deputies_platform", "worker"]


def test_templates_load_nothing_from_the_internet():
    offenders = []
    for path in [*ROOT.joinpath("templates").rglob("*.html"), *ROOT.joinpath("apps").rglob("*.html")]:
        text = path.read_text(encoding="utf-8")
        if re.search(r'(src|href)="(https?:)?//', text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


# --- production with docker compose ----------------------------------------------------------------------
COMPOSE_VAR = re.compile(r"\$\{(\w+)(?::?([-?])[^}]*)?\}")
NGINX_TEMPLATE = ROOT / "deploy" / "nginx" / "templates" / "default.conf.template"


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def _env_example() -> dict[str, str]:
    """The variables .env.example sets (NAME=value lines), with their values."""
    pairs = {}
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            pairs[name.strip()] = value.strip()
    return pairs


def test_every_required_compose_variable_is_in_env_example_and_the_readme():
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    required = {name for name, kind in COMPOSE_VAR.findall(text) if kind == "?"}
    assert {"SECRET_KEY", "OTP_ENCRYPTION_KEYS", "PII_KEYS", "PII_HASH_KEY", "POSTGRES_PASSWORD",
            "ALLOWED_HOSTS"} <= required
    example = _env_example()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert sorted(required - set(example)) == []
    assert sorted(name for name in required if example[name]) == []  # left empty: nobody runs on a sample secret
    assert sorted(name for name in required if f"`{name}`" not in readme) == []


def test_every_compose_variable_is_in_env_example_and_every_example_variable_is_used():
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    used = {name for name, _ in COMPOSE_VAR.findall(text)}
    assert used == set(_env_example())


def test_compose_secrets_have_no_defaults_and_production_settings_are_explicit():
    environment = _compose()["services"]["web"]["environment"]
    assert environment["DEV_DEFAULTS"] == "false"
    assert environment["DEBUG"] == "false"
    assert environment["HTTPS"] == "true"
    assert environment["NUM_PROXIES"] == "1"  # nginx: X-Forwarded-Proto and X-Forwarded-For are trusted
    for name in ("SECRET_KEY", "OTP_ENCRYPTION_KEYS", "PII_KEYS", "PII_HASH_KEY", "ALLOWED_HOSTS"):
        assert environment[name].startswith(f"${{{name}:?"), name


def test_app_services_wait_for_the_one_shot_migrate_service():
    services = _compose()["services"]
    migrate = services["migrate"]
    assert migrate["restart"] == "no"
    assert "manage.py migrate" in " ".join(migrate["command"])
    assert "collectstatic" in " ".join(migrate["command"])
    for name in ("web", "worker", "beat", "nginx"):
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}, name
    assert services["migrate"]["image"] == services["web"]["image"]


def test_nginx_serves_the_static_volume_that_migrate_fills():
    services = _compose()["services"]
    static_root = services["nginx"]["environment"]["NGINX_STATIC_ROOT"]
    assert f"static:{static_root}:ro" in services["nginx"]["volumes"]
    assert "static:/app/var/staticfiles" in services["migrate"]["volumes"]  # settings' STATIC_ROOT in the image
    assert "./deploy/nginx/templates:/etc/nginx/templates:ro" in services["nginx"]["volumes"]
    template = NGINX_TEMPLATE.read_text(encoding="utf-8")
    assert "alias ${NGINX_STATIC_ROOT}/;" in template
    assert "client_max_body_size ${UPLOAD_MAX_BYTES};" in template
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in template
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in template
    assert "location /media/" not in template  # downloads go through the app's access checks and audit
    # The template's placeholders are exactly what the compose file gives nginx.
    placeholders = set(re.findall(r"\$\{(\w+)\}", template))
    assert placeholders == set(services["nginx"]["environment"])
    assert services["nginx"]["environment"]["UPLOAD_MAX_BYTES"] == services["web"]["environment"]["UPLOAD_MAX_BYTES"]


def test_postgres_image_and_the_images_pg_dump_share_the_development_major_version():
    image = _compose()["services"]["postgres"]["image"]
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    major = image.split(":")[1].split(".")[0]
    assert major == "15"
    assert f"postgresql-client-{major}" in dockerfile
    assert "ENV DEV_DEFAULTS=false" in dockerfile


def test_secrets_stay_out_of_git_and_the_image():
    for ignore in (".gitignore", ".dockerignore"):
        lines = (ROOT / ignore).read_text(encoding="utf-8").split()
        assert ".env" in lines and "deploy/tls/*.pem" in lines, ignore
