"""The database connection's settings (deputies_platform/db/base.py)."""

from django.db import connection


def test_connections_run_without_jit_compilation(db):
    """JIT spent about a second compiling the analysis' training query at the city's scale (0.3 s to run)."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
