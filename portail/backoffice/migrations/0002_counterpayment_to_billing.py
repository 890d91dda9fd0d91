# CounterPayment now belongs to billing (billing 0003 took it over, state only): the back
# office forgets it without dropping its table, backoffice_counterpayment.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('backoffice', '0001_initial'),
        ('billing', '0003_counterpayment_from_backoffice'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name='CounterPayment',
                ),
            ],
            database_operations=[],
        ),
    ]
