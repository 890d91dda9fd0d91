"""The six procedures, with the seed's titles (French, the default language): data the
city edits in the admin afterwards."""

from django.db import migrations

PROCEDURES = [
    ("contact", "CONTACTER UN SERVICE", ""),
    ("address_change", "DECLARER UN CHANGEMENT D'ADRESSE", ""),
    (
        "qf_declaration",
        "QUOTIENT FAMILIAL - DECLARATION REVENUS",
        "Le nouveau quotient s'applique aux journées réservées à partir de sa date de "
        "validité ; les journées déjà payées gardent leur prix.",
    ),
    ("family_file", "MISE A JOUR DOSSIER UNIQUE D'INSCRIPTION", ""),
    ("enrolment", "INSCRIPTION A UNE ACTIVITE", ""),
    ("early_childhood", "INSCRIPTIONS PETITE ENFANCE", ""),
]


def create(apps, schema_editor):
    Procedure = apps.get_model("procedures", "Procedure")
    for position, (code, title, description) in enumerate(PROCEDURES):
        Procedure.objects.get_or_create(
            code=code,
            defaults={"title": title, "description": description, "position": position},
        )


class Migration(migrations.Migration):
    dependencies = [("procedures", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
