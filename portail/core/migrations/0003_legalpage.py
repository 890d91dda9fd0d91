from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("core", "0002_organisation_family_file_required_from")]

    operations = [
        migrations.CreateModel(
            name="LegalPage",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(choices=[("legal_notice", "Legal notice"), ("personal_data", "Personal data"), ("accessibility", "Accessibility statement"), ("terms", "Terms of use"), ("browsers", "Supported browsers")], max_length=20, verbose_name="page")),
                ("language", models.CharField(choices=[("fr", "Français"), ("en", "English")], max_length=2, verbose_name="language")),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                ("body", models.TextField(help_text="Plain text: a blank line starts a new paragraph; addresses become links.", verbose_name="text")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
            ],
            options={"verbose_name": "legal page", "verbose_name_plural": "legal pages", "ordering": ["kind", "language"]},
        ),
        migrations.AddConstraint(
            model_name="legalpage",
            constraint=models.UniqueConstraint(fields=("kind", "language"), name="legal_page_one_per_language"),
        ),
    ]
