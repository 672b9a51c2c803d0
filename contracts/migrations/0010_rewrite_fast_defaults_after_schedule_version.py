from django.db import migrations

from core.fast_defaults import rewrite_columns_with_fast_defaults


class Migration(migrations.Migration):
    # After schedule_version was added with a default (core.fast_defaults).
    dependencies = [
        ("contracts", "0009_schedule_version"),
        ("finance", "0007_schedule_version"),
    ]

    operations = [
        migrations.RunPython(rewrite_columns_with_fast_defaults, migrations.RunPython.noop),
    ]
