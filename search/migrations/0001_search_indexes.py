"""GIN indexes on each searched table's search vector, on PostgreSQL only
(SQLite, for development, searches with LIKE and has no GIN indexes).

The search app owns these indexes, not the apps whose tables they are on:
those apps do not know they are searched, and their models' Meta would
otherwise break migrate on SQLite. Django's migration state does not track
them, so a change to a searched column needs a migration here that drops
and recreates its index (decision 34).
"""

from django.db import migrations


def _indexes(apps):
    from django.contrib.postgres.indexes import GinIndex

    from search.sources import SOURCES

    for source in SOURCES:
        model = apps.get_model(source.model)
        yield model, GinIndex(source.vector(), name=source.index_name)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, index in _indexes(apps):
        schema_editor.add_index(model, index)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, index in _indexes(apps):
        schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0011_value_inputs"),
        ("providers", "0003_version_for_lost_update"),
        ("procurement", "0004_version_for_lost_update"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
