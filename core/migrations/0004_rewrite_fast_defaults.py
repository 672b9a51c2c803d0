from django.db import migrations

from core.fast_defaults import rewrite_columns_with_fast_defaults


class Migration(migrations.Migration):
    # After every migration that added a column with a default.
    dependencies = [
        ('core', '0003_outbox'),
        ('contracts', '0004_version_for_lost_update'),
        ('providers', '0003_version_for_lost_update'),
        ('procurement', '0004_version_for_lost_update'),
        ('finance', '0005_cabinet_report_started_at'),
        ('axes', '0010_accessattemptexpiration'),
    ]

    operations = [
        migrations.RunPython(rewrite_columns_with_fast_defaults, migrations.RunPython.noop),
    ]
