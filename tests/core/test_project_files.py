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
