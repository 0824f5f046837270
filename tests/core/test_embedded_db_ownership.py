"""A make target stops the embedded PostgreSQL at its end only if it started it: `make test` (or `make bench`)
run while `make run` serves must leave that server running. Real servers in a temporary VAR_DIR, driven
through the Makefile's own DB_UP/DB_DOWN lines (a probe target added with `make --eval`, nothing installed)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
# A target shaped like `test` and `bench`: DB_UP, then DB_DOWN when the shell exits, whatever happens between.
PROBE = "probe: ; @$(DB_UP); trap '$(DB_DOWN)' EXIT; echo state=$$db_state"

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs GNU make")


@pytest.fixture
def var_dir(tmp_path):
    var = tmp_path / "var"
    yield var
    embedded(var, "stop")


def environment(var: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DATABASE_NAME"}}
    return {**env, "VAR_DIR": str(var)}


def embedded(var: Path, command: str) -> str:
    result = subprocess.run([sys.executable, "-m", "deputies_platform.embedded_db", command], cwd=BASE_DIR,
                            env=environment(var), capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def probe(var: Path) -> str:
    result = subprocess.run(["make", "--no-print-directory", "--eval", PROBE, "probe"], cwd=BASE_DIR,
                            env=environment(var), capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip()


def test_a_target_that_started_the_server_stops_it(var_dir):
    assert embedded(var_dir, "status") == "stopped"
    assert probe(var_dir) == "state=started"
    assert embedded(var_dir, "status") == "stopped"


def test_a_target_that_found_the_server_running_leaves_it_running(var_dir):
    embedded(var_dir, "start")  # as `make run` does, and keeps serving
    assert probe(var_dir) == "state=running"
    assert embedded(var_dir, "status") == "running"
    assert probe(var_dir) == "state=running"  # and again: the server of `make run` is never taken down
    assert embedded(var_dir, "status") == "running"


def test_ensure_says_external_when_a_database_url_is_set(tmp_path, monkeypatch):
    from deputies_platform import embedded_db

    monkeypatch.setenv("DATABASE_URL", "postgres://u@127.0.0.1:1/x")
    monkeypatch.setattr(embedded_db, "ensure_database", lambda url: None)
    monkeypatch.setattr(embedded_db, "start", lambda: pytest.fail("must not start the embedded server"))
    assert embedded_db.main(["embedded_db", "ensure"]) == 0


def test_make_run_stops_only_a_server_it_started():
    """devrun is told by make run whether it started the server (EMBEDDED_DB_STARTED)."""
    text = (BASE_DIR / "Makefile").read_text()
    assert "EMBEDDED_DB_STARTED=$$db_state exec $(PY) -m deputies_platform.devrun" in text
    source = (BASE_DIR / "deputies_platform" / "devrun.py").read_text()
    assert 'os.environ.get("EMBEDDED_DB_STARTED") == "started"' in source
