import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='organisation',
            name='family_file_required_from',
            field=models.PositiveSmallIntegerField(blank=True, help_text='The first school year, by the year it starts in (2027 for 2027-2028), whose days a family may book only once its family file for that year is accepted; every later year needs its own. Empty: never required. Staff members booking for a family are not held back.', null=True, validators=[django.core.validators.MinValueValidator(2000), django.core.validators.MaxValueValidator(2099)], verbose_name='family file required from (school year)'),
        ),
    ]
