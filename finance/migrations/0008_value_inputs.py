import django.db.models.deletion
from django.db import migrations, models


def forget_commitment_years(apps, schema_editor):
    apps.get_model("finance", "CommitmentYear").objects.all().delete()


class Migration(migrations.Migration):
    # Commitments are derived data (finance.commitments), worked out again
    # the next time a page needs them. The table is made anew rather than
    # altered: PostgreSQL reads every row of a table that has had columns
    # dropped more slowly, and the budget page reads all of this one.
    dependencies = [
        ("contracts", "0011_value_inputs"),
        ("finance", "0007_schedule_version"),
    ]

    operations = [
        migrations.RunPython(forget_commitment_years, migrations.RunPython.noop),
        migrations.DeleteModel(name="Commitment"),
        migrations.CreateModel(
            name="Commitment",
            fields=[
                (
                    "contract",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="commitment",
                        serialize=False,
                        to="contracts.contract",
                    ),
                ),
                ("value_inputs", models.TextField()),
            ],
        ),
    ]
