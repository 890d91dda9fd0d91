"""What a gestionnaire configures of each procedure (démarche): its title, the help text
shown to families above its form, whether it is open, and the documents it asks for.

update_procedure() is the one writer of these settings from the back office: it checks
every field, writes nothing when one is wrong (SettingsRefused lists them all), and saves
the row. A closed procedure takes no new request and no submission
(procedures.services refuses them); requests already submitted go on.

Not in the staff audit trail (backoffice.audit): its kinds (StaffActionKind) have none for
a procedure's settings, and a change here concerns no household.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from portail.accounts.models import User
from portail.core.locking import locked
from portail.procedures.models import Procedure, RequestAttachment

TITLE_MAX = Procedure._meta.get_field("title").max_length
DESCRIPTION_MAX = 5000
# A required document is what a family's file says it is (RequestAttachment.document).
DOCUMENT_MAX = RequestAttachment._meta.get_field("document").max_length
DOCUMENTS_MAX = 20


@dataclass
class SettingsRefused(Exception):
    """The settings were not saved; `fields` {name: message}, every wrong field."""

    fields: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return "; ".join(self.fields.values())


def document_lines(text: str) -> list[str]:
    """The required documents typed one per line: trimmed, empty lines left out."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _check(title, description, required_documents) -> tuple[str, str, list[str]]:
    errors: dict[str, str] = {}
    title = title.strip() if isinstance(title, str) else ""
    if not title:
        errors["title"] = _("Give the procedure a title.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("At most %(count)d characters.") % {"count": TITLE_MAX}
    description = description.strip() if isinstance(description, str) else ""
    if len(description) > DESCRIPTION_MAX:
        errors["description"] = _("At most %(count)d characters.") % {"count": DESCRIPTION_MAX}
    lines = document_lines(required_documents if isinstance(required_documents, str) else "")
    long_lines = [line for line in lines if len(line) > DOCUMENT_MAX]
    if len(lines) > DOCUMENTS_MAX:
        errors["required_documents"] = _("At most %(count)d documents.") % {"count": DOCUMENTS_MAX}
    elif long_lines:
        errors["required_documents"] = _(
            "At most %(count)d characters per document: “%(line)s…” is longer."
        ) % {"count": DOCUMENT_MAX, "line": long_lines[0][:40]}
    elif len({line.casefold() for line in lines}) != len(lines):
        errors["required_documents"] = _("Each document once: one of them is listed twice.")
    if errors:
        raise SettingsRefused(errors)
    return title, description, lines


def update_procedure(
    procedure_id: int,
    *,
    title: str,
    description: str,
    is_open: bool,
    required_documents: str,
    actor: User,
) -> Procedure:
    """Save a procedure's settings (all checked first); Procedure.DoesNotExist for an
    unknown id."""
    if actor is None or not actor.is_staff or not actor.is_active:
        raise SettingsRefused({"__all__": _("You may not do this.")})
    title, description, lines = _check(title, description, required_documents)
    with transaction.atomic():
        found = locked(Procedure.objects.filter(pk=procedure_id))
        if not found:
            raise Procedure.DoesNotExist
        procedure = found[0]
        procedure.title = title
        procedure.description = description
        procedure.is_open = bool(is_open)
        procedure.required_documents = "\n".join(lines)
        procedure.save(update_fields=["title", "description", "is_open", "required_documents"])
    return procedure
