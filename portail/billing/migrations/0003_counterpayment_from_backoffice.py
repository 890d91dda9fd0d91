# CounterPayment moves from the back office to billing (state only): the table
# backoffice_counterpayment, created by backoffice 0001, stays as it is, with its rows.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('backoffice', '0001_initial'),
        ('billing', '0002_justified_absence_credit'),
        ('families', '0002_calendar_feed_and_attachments'),
        ('reservations', '0003_history_attendance_actions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='CounterPayment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('means', models.CharField(choices=[('cash', 'Cash'), ('cheque', 'Cheque'), ('card', 'Card at the counter')], max_length=10, verbose_name='means of payment')),
                        ('reference', models.CharField(blank=True, help_text='Cheque number, receipt...', max_length=100, verbose_name='reference')),
                        ('amount_cents', models.PositiveIntegerField(verbose_name='amount (cents)')),
                        ('reservations_cents', models.PositiveIntegerField(verbose_name='reservations (cents)')),
                        ('cancellations_cents', models.PositiveIntegerField(verbose_name='cancellations (cents)')),
                        ('credit_applied_cents', models.PositiveIntegerField(verbose_name='credit applied (cents)')),
                        ('actor_label', models.CharField(max_length=254, verbose_name='received by (e-mail)')),
                        ('created_at', models.DateTimeField(db_index=True, verbose_name='received at')),
                        ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='received by')),
                        ('basket', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='counter_payment', to='reservations.basket', verbose_name='basket')),
                        ('household', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='counter_payments', to='families.household', verbose_name='household')),
                    ],
                    options={
                        'verbose_name': 'payment at the counter',
                        'verbose_name_plural': 'payments at the counter',
                        'db_table': 'backoffice_counterpayment',
                        'ordering': ['-created_at', '-pk'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('amount_cents__gt', 0)), name='counter_payment_positive')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
