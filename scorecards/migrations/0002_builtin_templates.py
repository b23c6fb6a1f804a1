"""Load the two published scorecards (Scottish Enterprise, Thai Food Cluster Initiative)."""

from django.db import migrations


def load(apps, schema_editor):
    from scorecards.builtin import load_builtin_templates

    load_builtin_templates(apps)


class Migration(migrations.Migration):
    dependencies = [("scorecards", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
