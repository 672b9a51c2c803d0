from django.db import migrations

from core.fast_defaults import rewrite_columns_with_fast_defaults


class Migration(migrations.Migration):
    # 0005 and 0006 added columns with defaults (cancellation and standstill
    # reasons, the criterion's version): see tests/core/test_fast_defaults.py.
    dependencies = [
        ('procurement', '0006_award_standstill'),
    ]

    operations = [
        migrations.RunPython(rewrite_columns_with_fast_defaults, migrations.RunPython.noop),
    ]
