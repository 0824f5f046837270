"""``make schema``: migrate a fresh test database and write ``tests/schema.sql`` from it (tests/schema_dump.py)."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "deputies_platform.settings")
os.environ["TEST_SCHEMA"] = "migrate"
os.environ.setdefault("TESTING", "1")


def main() -> None:
    django.setup()
    from django.db import connection

    from tests import schema_dump

    schema_dump.install()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        schema_dump.write(connection.settings_dict)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(f"wrote {schema_dump.SCHEMA} ({schema_dump.SCHEMA.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
