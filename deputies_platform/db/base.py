"""PostgreSQL backend whose test databases get a UTF-8 ctype, which Chinese trigram search needs, and whose
connections run without PostgreSQL's JIT compilation."""

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

    def get_connection_params(self):
        """``jit=off``: our queries are short and planned with large estimates (counts filtered by subqueries),
        which crossed ``jit_above_cost`` and spent about a second compiling a query that runs in 0.1 s (the
        training section of the analysis, cold, at the city's scale)."""
        params = super().get_connection_params()
        params["options"] = f"{params.get('options', '')} -c jit=off".strip()
        return params
