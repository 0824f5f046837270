"""Test databases from a committed schema dump instead of ~110 migrations (Rails' ``structure.sql``, for tests).

Migrating an empty database costs about 40 s of CPU here, nearly all of it Django re-rendering model states
(every model is related to the user and the person, so each new model re-renders dozens), and every pytest worker
pays it. ``tests/schema.sql`` is what those migrations leave behind — tables, indexes, triggers, functions, and
the rows the migrations and ``post_migrate`` write (content types, permissions, role groups, reference data,
``django_migrations``) — stamped with a digest of every installed app's migration files, of the code of the
``post_migrate`` receivers, and of the versions of Django and chinese-calendar (which fills the calendar).
Building a test database loads it in about a second when the digest matches; otherwise it migrates as before.

Guards that keep the shortcut honest:
- ``tests/core/test_schema_dump.py`` fails when the digest no longer matches (``make schema`` writes a new dump);
- ``make schema-check`` (run by ``.ci/run``) migrates a new database on this machine's PostgreSQL and fails unless
  its dump equals the file, rows included;
- after loading, ``post_migrate`` is sent as after migrating, so what the apps keep up to date there (content
  types, permissions, role groups, reference data) follows the code;
- ``TEST_SCHEMA=migrate`` builds test databases by migrating (the CI smoke stage, on the embedded PostgreSQL, whose
  newer version would print some expressions of the file differently); ``make run`` and ``make bench`` migrate.
"""

from __future__ import annotations

import contextvars
import hashlib
import os
import pathlib
import re
import subprocess
import weakref
from importlib import import_module
from importlib.metadata import version

SCHEMA = pathlib.Path(__file__).with_name("schema.sql")
DIGEST_PREFIX = "-- migrations digest: "

# when a row was written (django_migrations.applied, the calendar's synced_at): the same in every dump
_STAMP = re.compile(r"'\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?\+00'")

_building = contextvars.ContextVar("building_test_db", default=False)

def migrations_digest() -> str:
    """sha256 over the versions of Django and chinese-calendar, every migration file of every installed app and the
    modules of the ``post_migrate`` receivers, in a stable order."""
    import django
    from django.apps import apps

    # chinese-calendar fills the working-day calendar after migrating (apps/core/apps.py)
    digest = hashlib.sha256(f"django {django.get_version()} chinese-calendar {version('chinese-calendar')}\n".encode())
    for config in sorted(apps.get_app_configs(), key=lambda c: c.label):
        try:
            module = import_module(f"{config.name}.migrations")
        except ModuleNotFoundError:
            continue
        folder = pathlib.Path(module.__file__).parent
        for path in sorted(folder.glob("*.py")):
            digest.update(f"{config.label}/{path.name}\n".encode())
            digest.update(path.read_bytes())
    for path in _post_migrate_modules():  # the data written after migrating (role groups, reference data)
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _post_migrate_modules() -> list[pathlib.Path]:
    import inspect

    from django.db.models.signals import post_migrate

    files = set()
    for entry in post_migrate.receivers:
        receiver = entry[1]
        if isinstance(receiver, weakref.ReferenceType):  # WeakMethod is one too
            receiver = receiver()
        source = inspect.getsourcefile(receiver) if receiver is not None else None
        if source and "site-packages" not in source:
            files.add(pathlib.Path(source))
    return sorted(files)


def committed_digest() -> str | None:
    if not SCHEMA.exists():
        return None
    with SCHEMA.open(encoding="utf-8") as handle:
        first = handle.readline()
    return first[len(DIGEST_PREFIX):].strip() if first.startswith(DIGEST_PREFIX) else None


def _pg_dump(settings_dict: dict) -> str:
    """The pg_dump of the server's own major version (pg_dump refuses a newer server): Debian's for this machine's
    PostgreSQL, the embedded package's for the embedded one."""
    import psycopg

    with psycopg.connect(**_connect_args(settings_dict, settings_dict["NAME"])) as conn:
        major = int(conn.execute("SHOW server_version_num").fetchone()[0]) // 10000
    candidates = [pathlib.Path(f"/usr/lib/postgresql/{major}/bin/pg_dump")]
    try:
        from deputies_platform.embedded_db import _bin

        candidates.append(pathlib.Path(_bin("pg_dump")))
    except ImportError:
        pass
    for candidate in candidates:
        if candidate.exists():
            version = subprocess.run([str(candidate), "--version"], capture_output=True, text=True).stdout
            if re.search(rf"\) {major}\.", version):
                return str(candidate)
    return "pg_dump"


def _connect_args(settings_dict: dict, name: str) -> dict:
    args = {"dbname": name, "host": settings_dict.get("HOST") or None, "user": settings_dict.get("USER") or None,
            "password": settings_dict.get("PASSWORD") or None, "autocommit": True}
    if settings_dict.get("PORT"):
        args["port"] = int(settings_dict["PORT"])
    return args


def dump(settings_dict: dict, name: str | None = None) -> str:
    """The database's schema and rows as plain SQL, without what changes from machine to machine (pg_dump's
    version comments, the random key of its ``\\restrict`` lines, owners, privileges, when each row was written)."""
    from psycopg.conninfo import make_conninfo

    env = dict(os.environ)
    connect = _connect_args(settings_dict, name or settings_dict["NAME"])
    if connect.pop("password"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]  # not on pg_dump's command line
    connect.pop("autocommit")
    args = [_pg_dump(settings_dict), "--no-owner", "--no-privileges", "--no-comments", "--inserts",
            "--rows-per-insert=500", "--dbname", make_conninfo(**{k: v for k, v in connect.items() if v is not None})]
    text = subprocess.run(args, env=env, check=True, capture_output=True, text=True).stdout
    kept = [_STAMP.sub("'2000-01-01 00:00:00+00'", line) if line.startswith("\t(") else line
            for line in text.splitlines() if line and not line.startswith(("--", "\\"))]
    return "\n".join(kept) + "\n"


def write(settings_dict: dict) -> None:
    SCHEMA.write_text(f"{DIGEST_PREFIX}{migrations_digest()}\n{dump(settings_dict)}", encoding="utf-8")


def _load(connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute(_body())
    connection.close()  # the dump set search_path to '' for its session


def install() -> None:
    """Patch test database creation (tests only): ``migrate`` while a new test database is being created loads the
    committed dump when it is current (a database kept by ``--reuse-db`` is migrated as before)."""
    from django.core import management
    from django.db.backends.base.creation import BaseDatabaseCreation

    create_test_db = BaseDatabaseCreation.create_test_db
    call_command = management.call_command

    def create_test_db_from_dump(self, *args, **kwargs):
        token = _building.set(True)
        try:
            return create_test_db(self, *args, **kwargs)
        finally:
            _building.reset(token)

    def call_command_or_load(name, *args, **options):
        if not (_building.get() and name == "migrate"):
            return call_command(name, *args, **options)
        from django.core.management.sql import emit_post_migrate_signal
        from django.db import connections

        connection = connections[options.get("database", "default")]
        mode = os.environ.get("TEST_SCHEMA", "")  # "migrate": always migrate
        empty = "django_migrations" not in connection.introspection.table_names()  # not a kept (--reuse-db) one
        if mode != "migrate" and empty and committed_digest() == migrations_digest():
            _load(connection)
            emit_post_migrate_signal(0, False, connection.alias)
            return None
        return call_command(name, *args, **options)

    BaseDatabaseCreation.create_test_db = create_test_db_from_dump
    management.call_command = call_command_or_load


def _body() -> str:
    return SCHEMA.read_text(encoding="utf-8").split("\n", 1)[1] if SCHEMA.exists() else ""


def difference(settings_dict: dict) -> str | None:
    """None when a dump of the database equals tests/schema.sql, else the first lines that differ."""
    import difflib

    dumped, committed = dump(settings_dict), _body()
    if dumped == committed:
        return None
    diff = difflib.unified_diff(committed.splitlines(), dumped.splitlines(), "tests/schema.sql", "migrated",
                                lineterm="", n=1)
    return "\n".join(list(diff)[:80])
