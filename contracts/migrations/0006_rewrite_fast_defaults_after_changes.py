from django.db import migrations

from core.fast_defaults import rewrite_columns_with_fast_defaults


class Migration(migrations.Migration):
    # After the contract change columns were added with a default.
    dependencies = [
        ("contracts", "0005_contract_changes"),
        ("finance", "0006_contract_changes"),
    ]

    operations = [
        migrations.RunPython(rewrite_columns_with_fast_defaults, migrations.RunPython.noop),
    ]
