from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0022_split_partial_sums"),
    ]

    operations = [
        # Alike clusters are now cut into groups of at most 250 (monitoring.rollups.sql.groups):
        # the partial sums stored under the old groups' leaders no longer match, so each period
        # is rebuilt whole once, by its next recompute, before an approval sums its group alone.
        migrations.RunSQL("DELETE FROM monitoring_rolluppartialsbuilt", migrations.RunSQL.noop),
    ]
