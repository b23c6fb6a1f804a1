"""Portuguese names of the age groups (the bands of 0012, named in Portuguese)."""

from django.db import migrations, models

NAMES_PT = {"youth": "Jovens (15-24)", "25-34": "25-34", "35-plus": "35 e mais"}


def name_in_portuguese(apps, schema_editor):
    AgeGroup = apps.get_model("scorecards", "AgeGroup")
    for code, name in NAMES_PT.items():
        AgeGroup.objects.filter(code=code, name_pt__isnull=True).update(name_pt=name)


class Migration(migrations.Migration):
    dependencies = [
        ("scorecards", "0012_kpi_splits_and_age_groups"),
    ]

    operations = [
        migrations.AddField(
            model_name="agegroup",
            name="name_pt",
            field=models.CharField(max_length=100, null=True, verbose_name="name"),
        ),
        migrations.RunPython(name_in_portuguese, migrations.RunPython.noop),
    ]
