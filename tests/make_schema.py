"""``make schema``: migrate a new test database and write ``tests/schema.sql`` from it (tests/schema_dump.py).
``make schema-check`` (``--check``): migrate one and fail unless its dump equals the committed file."""

import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "deputies_platform.settings")
os.environ["TEST_SCHEMA"] = "migrate"
os.environ.setdefault("TESTING", "1")


def main(argv: list[str]) -> int:
    django.setup()
    from django.db import connection

    from tests import schema_dump

    schema_dump.install()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        if "--check" in argv:
            if schema_dump.committed_digest() != schema_dump.migrations_digest():
                print("tests/schema.sql was written before the latest migration change: run `make schema`")
                return 1
            difference = schema_dump.difference(connection.settings_dict)
            if difference is not None:
                print("tests/schema.sql differs from what the migrations build (run `make schema`):\n" + difference)
                return 1
            print("tests/schema.sql is what the migrations build")
            return 0
        schema_dump.write(connection.settings_dict)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(f"wrote {schema_dump.SCHEMA} ({schema_dump.SCHEMA.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
