"""PostgreSQL backend whose test databases get a UTF-8 ctype, which Chinese trigram search needs."""

from django.db.backends.postgresql import base
from django.db.backends.postgresql.creation import DatabaseCreation as PgCreation


class DatabaseCreation(PgCreation):
    def sql_table_creation_suffix(self):
        suffix = super().sql_table_creation_suffix()
        if "LC_CTYPE" not in suffix:
            suffix = f"{suffix} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
        return suffix.strip()


class DatabaseWrapper(base.DatabaseWrapper):
    creation_class = DatabaseCreation
