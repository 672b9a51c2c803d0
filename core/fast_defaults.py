"""Clearing PostgreSQL's "fast default" from columns added with a default.

`ALTER TABLE … ADD COLUMN … DEFAULT` (Django's AddField) keeps the default in
the catalogue (`pg_attribute.atthasmissing`) instead of writing it into each
row, and PostgreSQL then reads every row of that table on a slower path, on
every scan: the register's paginator COUNT(*) took 4.3 ms instead of 1.1 ms
at 20,000 contracts once `version` was added (benchmarks/register.py). Only
a rewrite of the table for that column clears it, so the column is changed
to a wider type and back: the second change rewrites the table.
"""

MISSING_SQL = """
SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod)
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE a.atthasmissing AND NOT a.attisdropped AND c.relkind = 'r'
  AND n.nspname = current_schema()
ORDER BY c.relname, a.attnum
"""

# The wider type each kind of column goes through.
_VIA = {"integer": "bigint", "smallint": "bigint", "character varying": "text"}


def columns_with_fast_defaults(connection) -> list[tuple[str, str, str]]:
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(MISSING_SQL)
        return cursor.fetchall()


def rewrite_columns_with_fast_defaults(apps, schema_editor) -> None:
    """A migration step, run after migrations that add columns with a
    default. Row triggers do not fire on a rewrite, so the historical
    tables' append-only trigger stays quiet."""
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    for table, column, kind in columns_with_fast_defaults(connection):
        name = quote(column)
        if kind == "text":
            # No wider type than text; a USING expression PostgreSQL cannot
            # prove leaves the value alone makes it rewrite the table.
            steps = [f"text USING {name} || ''"]
        elif (via := _VIA.get(kind.split("(")[0])) is not None:
            steps = [via, kind]
        else:
            continue
        for step in steps:
            # Only catalogue names and types, quoted, go into the statement.
            sql = f"ALTER TABLE {quote(table)} ALTER COLUMN {name} TYPE {step}"
            schema_editor.execute(sql)
