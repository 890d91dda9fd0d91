"""A planning form's submission: the ticked blocks as the basket's changes.

The parents' planning page and the staff's booking page read the form
(reservations.forms.ChangesForm), split its changes here into the `add` and `cancel`
lists of basket.submit_changes() (which judges every rule), and tell what went wrong at
the top of the page (PageErrors).
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from portail.reservations.forms import ParsedChange
from portail.reservations.judging import Change, Refusal
from portail.reservations.planning import WeekPlanning
from portail.reservations.states import CellAction


@dataclass
class PageErrors:
    """What went wrong with a submission, for the message at the top of the page."""

    summary: str = ""
    items: list[tuple[str, str]] = field(default_factory=list)  # (message, target id or "")


def split_changes(
    parsed: list[ParsedChange], planning: WeekPlanning
) -> tuple[list[Change], list[Change], list[Refusal]]:
    """The `add` and `cancel` lists for submit_changes(), and the changes refused here.

    "reserve" always adds and "cancel" always cancels (the service judges them). "Undo"
    depends on what it undoes: withdrawing a request cancels it, withdrawing a cancellation
    adds the day back; it is only accepted on a block whose page state is still current,
    since guessing wrong could cancel a paid day."""
    cells = {(c.child_id, c.session_id): c for c in planning.cells}
    add: list[Change] = []
    cancel: list[Change] = []
    refused: list[Refusal] = []
    for change in parsed:
        if change.action == CellAction.RESERVE:
            add.append(change.change)
        elif change.action == CellAction.CANCEL:
            cancel.append(change.change)
        else:
            cell = cells.get((change.child_id, change.session_id))
            if cell is None or cell.action != CellAction.UNDO_REQUEST:
                refused.append(
                    Refusal(
                        change.child_id,
                        change.session_id,
                        "changed",
                        _("This block changed since the page was shown; check it and try again."),
                    )
                )
            elif cell.change_kind == "add":
                add.append(change.change)
            else:
                cancel.append(change.change)
    return add, cancel, refused
