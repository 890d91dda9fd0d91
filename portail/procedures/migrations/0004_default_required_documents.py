"""The documents the field usually asks for (the city edits them afterwards), set only where
the city has set none."""

from django.db import migrations

DOCUMENTS = {
    "address_change": "Justificatif de domicile de moins de 3 mois",
    "qf_declaration": "Avis d'imposition ou attestation CAF de quotient familial",
    "early_childhood": "Justificatif de domicile de moins de 3 mois\n"
    "Acte de naissance ou certificat de grossesse",
}


def set_defaults(apps, schema_editor):
    Procedure = apps.get_model("procedures", "Procedure")
    for code, documents in DOCUMENTS.items():
        Procedure.objects.filter(code=code, required_documents="").update(
            required_documents=documents
        )


class Migration(migrations.Migration):
    dependencies = [("procedures", "0003_attachment_document")]

    operations = [migrations.RunPython(set_defaults, migrations.RunPython.noop)]
