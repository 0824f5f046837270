"""tests/schema.sql stands for the migrations: test databases are loaded from it (tests/schema_dump.py);
`make schema-check`, run by .ci/run, holds its content equal to what migrating builds."""

from tests import schema_dump


def test_the_committed_schema_is_from_the_current_migrations():
    assert schema_dump.committed_digest() == schema_dump.migrations_digest(), (
        "tests/schema.sql was written before the latest migration change: run `make schema` and commit it")


def test_the_digest_covers_the_code_that_writes_rows_after_migrating():
    modules = {path.name for path in schema_dump._post_migrate_modules()}
    assert {"roles.py", "apps.py"} <= modules
