from django.db import migrations, models

# Added empty-able first and then given its default: ADD COLUMN … DEFAULT
# would leave a PostgreSQL fast default (decision 11), and a text column has
# no wider type for core.fast_defaults to rewrite it through. Making the
# column NOT NULL afterwards fills every row, so nothing is left "missing".
NULLABLE = models.TextField(null=True, blank=True, verbose_name="approved despite")
FINAL = models.TextField(blank=True, default="", verbose_name="approved despite")


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0005_monitoring_return_reminders"),
    ]

    operations = [
        migrations.AddField(model_name=model, name="approved_despite", field=NULLABLE)
        for model in ("extensionrequest", "historicalextensionrequest")
    ] + [
        migrations.AlterField(model_name=model, name="approved_despite", field=FINAL)
        for model in ("extensionrequest", "historicalextensionrequest")
    ]
