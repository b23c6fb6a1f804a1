"""Portuguese columns of the translated names (django-modeltranslation), and the Portuguese
names of the two built-in scorecards."""

from django.db import migrations, models


def portuguese_names(apps, schema_editor):
    from scorecards.builtin import fill_builtin_translations

    fill_builtin_translations(apps, "pt")


class Migration(migrations.Migration):

    dependencies = [
        ('scorecards', '0010_kpi_network_sources'),
    ]

    operations = [
        migrations.AddField(
            model_name='csf',
            name='name_pt',
            field=models.CharField(max_length=200, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='kpi',
            name='description_pt',
            field=models.TextField(blank=True, null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='kpi',
            name='name_pt',
            field=models.CharField(max_length=300, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='perspective',
            name='name_pt',
            field=models.CharField(max_length=200, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='template',
            name='description_pt',
            field=models.TextField(blank=True, null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='template',
            name='name_pt',
            field=models.CharField(max_length=200, null=True, verbose_name='name'),
        ),
        migrations.RunPython(portuguese_names, migrations.RunPython.noop),
    ]
