"""search.Document, and on PostgreSQL a GIN index on its tsvector for each
kind of record and the triggers that keep it: one per searched table, firing when a record is
added or removed or one of its searched columns changes (decision 34).
SQLite, for development, gets the table only and searches the records'
own columns."""

import django.contrib.postgres.search
from django.db import migrations, models


def _trigger_sql(source, table):
    new = source.columns_sql("NEW.")
    function = f"search_document_{source.kind}"
    columns = ", ".join(source.searched_columns)
    return f"""
CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM search_document WHERE kind = '{source.kind}' AND record_id = OLD.id;
    RETURN OLD;
  END IF;
  INSERT INTO search_document (kind, record_id, "references", name, document)
  VALUES ('{source.kind}', NEW.id, {new["references"]}, {new["name"]}, {new["document"]})
  ON CONFLICT (kind, record_id) DO UPDATE SET "references" = EXCLUDED."references",
    name = EXCLUDED.name, document = EXCLUDED.document;
  RETURN NEW;
END $$;
CREATE TRIGGER search_document AFTER INSERT OR DELETE OR UPDATE OF {columns}
  ON {table} FOR EACH ROW EXECUTE FUNCTION {function}();
INSERT INTO search_document (kind, record_id, "references", name, document)
  SELECT '{source.kind}', id, {(row := source.columns_sql())["references"]}, {row["name"]},
    {row["document"]} FROM {table};
"""  # nosec B608: table, column and kind names come from search.sources, in code, not from input


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from search.sources import SOURCES

    for source in SOURCES:
        # One index a kind: each search reads one kind's index, no larger
        # than that kind's documents, and nothing of the others.
        schema_editor.execute(
            f"CREATE INDEX search_document_{source.kind} ON search_document "
            f"USING gin (document) WHERE kind = '{source.kind}'"
        )
        table = apps.get_model(source.model)._meta.db_table
        schema_editor.execute(_trigger_sql(source, table))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from search.sources import SOURCES

    for source in SOURCES:
        table = apps.get_model(source.model)._meta.db_table
        schema_editor.execute(f"DROP TRIGGER search_document ON {table}")
        schema_editor.execute(f"DROP FUNCTION search_document_{source.kind}()")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contracts", "0011_value_inputs"),
        ("providers", "0003_version_for_lost_update"),
        ("procurement", "0004_version_for_lost_update"),
    ]

    operations = [
        migrations.CreateModel(
            name="Document",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=20)),
                ("record_id", models.BigIntegerField()),
                ("references", models.TextField(default="")),
                ("name", models.TextField(default="")),
                ("document", django.contrib.postgres.search.SearchVectorField(null=True)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kind", "record_id"), name="one_document_per_record"
                    )
                ]
            },
        ),
        migrations.RunPython(create, drop, elidable=False),
    ]
