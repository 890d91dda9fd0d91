"""The six procedures as the data migrations create them (0002: codes, the seed's titles,
help texts; 0004: the documents usually required), made again where they are missing: a
database a test flushed, then the demo loaded again. Never changes a procedure the city
has edited."""

import importlib

from portail.procedures.models import Procedure

_SIX = importlib.import_module("portail.procedures.migrations.0002_the_six_procedures")
_DOCUMENTS = importlib.import_module(
    "portail.procedures.migrations.0004_default_required_documents"
).DOCUMENTS


def ensure_procedures() -> None:
    """Create the procedures that are missing, as migrated; keep those that exist."""
    for position, (code, title, description) in enumerate(_SIX.PROCEDURES):
        Procedure.objects.get_or_create(
            code=code,
            defaults={
                "title": title,
                "description": description,
                "position": position,
                "required_documents": _DOCUMENTS.get(code, ""),
            },
        )
