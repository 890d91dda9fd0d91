"""Which of a procedure's required documents (justificatifs) a request provides.

A city lists, per procedure, the documents it asks for (`Procedure.required_documents`, one
per line). A family adds files to its request (services.add_attachment), each optionally
saying which required document it is (`RequestAttachment.document`). A required document is
provided when a file says it is that document; files that say nothing ("other document")
count for the required documents still missing, in the list's order, so a family (or an API
client) that does not say which file is which is not held back by it.

Documents are not enforced at submission: the API creates and submits a request in one
call, before any file can be sent, and a family may bring a document to the counter. The
family sees what is missing before and after submitting; staff see it in the inbox and ask
for more (status needs_info) when they need it.
"""

from collections.abc import Iterable

from portail.procedures.models import Request


def checklist_of(required: list[str], tags: Iterable[str]) -> list[tuple[str, bool]]:
    """Each required document and whether it is provided, given the `document` of each
    attachment ("" for an untagged one)."""
    tags = list(tags)
    provided = {label: label in tags for label in required}
    untagged = sum(1 for tag in tags if tag not in provided)
    for label in required:
        if not provided[label] and untagged:
            provided[label] = True
            untagged -= 1
    return [(label, provided[label]) for label in required]


def checklist(request: Request) -> list[tuple[str, bool]]:
    """The request's required documents and whether each is provided. Uses the request's
    prefetched attachments when there are (prefetch_related("attachments"))."""
    required = request.procedure.required_document_list
    if not required:
        return []
    return checklist_of(required, (a.document for a in request.attachments.all()))


def missing(request: Request) -> list[str]:
    """The labels of the required documents the request does not provide yet."""
    return [label for label, provided in checklist(request) if not provided]
