"""`make run`'s foreground supervisor: gunicorn, a Celery worker and Celery beat; Ctrl-C stops all of them
(and the embedded PostgreSQL when `make run` started it: EMBEDDED_DB_STARTED=started)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def commands(port: str) -> dict[str, list[str]]:
    """The processes of `make run`: two gunicorn workers (which share sessions and the cache through the database
    or Redis, never a memory of their own), a Celery worker and beat. The access log names the worker (pid)."""
    return {
        "web": [str(BIN / "gunicorn"), "deputies_platform.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2",
                "--access-logfile", "-", "--access-logformat", '%(h)s %(p)s "%(r)s" %(s)s %(b)s %(L)ss'],
        "worker": [str(BIN / "celery"), "-A", "deputies_platform", "worker", "-l", "warning", "--concurrency", "2"],
        "beat": [str(BIN / "celery"), "-A", "deputies_platform", "beat", "-l", "warning",
                 "-s", str(BASE_DIR / "var" / "celerybeat-schedule")],
    }


def main() -> int:
    port = os.environ.get("PORT", "8000")
    procs = {name: subprocess.Popen(cmd, cwd=BASE_DIR, start_new_session=True)
             for name, cmd in commands(port).items()}
    stopping = False

    def stop(*_args):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        while not stopping:
            for name, proc in procs.items():
                if proc.poll() is not None:
                    print(f"{name} exited with {proc.returncode}; stopping the others", file=sys.stderr)
                    stopping = True
            time.sleep(0.5)
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.terminate()  # each main process stops its own children (gunicorn and celery workers)
        deadline = time.monotonic() + 15
        for proc in procs.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        # Only the server make run started: one another target started (make test, make bench) is theirs to stop.
        if not os.environ.get("DATABASE_URL") and os.environ.get("EMBEDDED_DB_STARTED") == "started":
            from deputies_platform import embedded_db

            embedded_db.stop()
        print("stopped web, worker and beat", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
