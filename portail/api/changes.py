"""The changes a JSON body asks for: its `add` and `cancel` lists of {child_id, session_id}.

Read the same way by the guardian's POST /basket and the staff's POST
/staff/households/{id}/basket; the rules that judge them are reservations.basket's.
"""

from typing import Any

from portail.api.fields import optional, read_int, read_list, read_object
from portail.api.openapi import MAX_ID
from portail.reservations.judging import Change

# A week of a large family is a few dozen blocks; more than this is a mistake.
MAX_CHANGES = 500
__all__ = ["MAX_CHANGES", "MAX_ID", "read_changes"]


def read_changes(data: dict[str, Any], name: str) -> list[Change]:
    """The list `name` of the body (absent: empty), each item a child and a session id;
    an invalid_field error for a list too long or an item that is not one."""
    items = optional(read_list, data, name, default=[], of=read_object, max_length=MAX_CHANGES)
    return [
        Change(
            child_id=read_int(item, "child_id", min_value=1, max_value=MAX_ID),
            session_id=read_int(item, "session_id", min_value=1, max_value=MAX_ID),
        )
        for item in items
    ]
