"""A full recompute runs one task per year (not per KPI); cluster-level rows are no longer
stored (they are computed on read from the approved values); the oldest computed_at (the
admin dashboard) is read from an index."""

from django.db import migrations, models


def drop_cluster_rows(apps, schema_editor):
    apps.get_model("monitoring", "Rollup").objects.filter(level="cluster").delete()


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0005_activities")]

    operations = [
        migrations.RunPython(drop_cluster_rows, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="rolluprunitem", name="rollup_run_item_once"),
        migrations.RemoveField(model_name="rolluprunitem", name="kpi_id"),
        migrations.AddField(
            model_name="rolluprunitem",
            name="year",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="year"),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name="rolluprunitem",
            constraint=models.UniqueConstraint(fields=("run", "year"), name="rollup_run_item_once"),
        ),
        migrations.AddIndex(
            model_name="rollup",
            index=models.Index(fields=["computed_at"], name="rollup_computed_at"),
        ),
    ]
