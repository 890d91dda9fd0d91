"""The planning grid's columns of blocks as HTML, built in Python.

A week holds dozens of blocks and each says a lot (its state, price, deadline, reason, its
checkbox with its accessible name and what ticking it adds): written by the template, that
was several hundred variable look-ups per page. The grid's template
(reservations/_planning_grid.html) still draws the week's frame (hours, days, their links);
each child's column of a day comes from here, with the same markup, ids and aria attributes
the template wrote. Every value goes through format_html / format_html_join: escaped, as the
template's autoescaping did. The markup is made when the template asks for it, so after the
view has ticked the blocks (Block.checked) and set their errors (Block.error).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from portail.reservations.states import LATE_LABEL, CellState

if TYPE_CHECKING:
    from portail.reservations.planning_grid import Block, ChildColumn


@dataclass(frozen=True)
class GridTexts:
    """What every block of a page says alike: read once per page, in its language."""

    late: str
    pending: str
    no_activity: str
    waitlist_url: str


def grid_texts() -> GridTexts:
    return GridTexts(
        late=str(LATE_LABEL),
        pending=_("Change in progress"),
        no_activity=_("No activity"),
        waitlist_url=reverse("reservations:waiting_list"),
    )


def _lines(parts: Iterable[SafeString | str]) -> SafeString:
    """The parts (already safe) one per line, the empty ones left out."""
    return format_html_join("\n", "{}", ((part,) for part in parts if part))


def _span(name: str, text: str) -> SafeString | str:
    return format_html('<span class="block__{}">{}</span>', name, text) if text else ""


def _input(block: "Block") -> SafeString:
    """The block's checkbox: its hint (and error) describe it; data-* feed planning.js."""
    described = f"hint-{block.cell.action}" + (f" {block.error_id}" if block.error else "")
    return format_html(
        '<input type="checkbox" class="block__input" name="change" value="{}" id="{}"'
        ' {}aria-describedby="{}"{} data-summary="{}" data-action="{}"'
        ' data-delta-cents="{}" data-delta-text="{}">',
        block.value,
        block.input_id,
        "checked " if block.checked else "",
        described,
        format_html(' aria-invalid="{}"', "true") if block.error else "",
        block.summary,
        block.action_label,
        block.delta_cents,
        block.delta_text,
    )


def _visible(block: "Block", texts: GridTexts) -> SafeString:
    """What the block shows (hidden from screen readers: its accessible name says it all)."""
    cell = block.cell
    recorded = "* " if cell.state == CellState.ATTENDANCE_RECORDED else ""
    action = (
        format_html(
            '<span class="block__action">{}</span><span class="block__pending">{}</span>',
            block.action_label,
            texts.pending,
        )
        if block.value
        else ""
    )
    return format_html(
        '<span class="block__visible" aria-hidden="true">\n{}\n</span>',
        _lines(
            [
                _span("activity", cell.activity),
                _span("time", block.times),
                format_html('<span class="block__state">{}{}</span>', recorded, block.state_label),
                _span("late", texts.late if cell.late else ""),
                _span("price", block.price),
                _span("billing", block.billing),
                _span("reason", block.reason),
                _span("few", block.few_places),
                _span("until", block.until),
                action,
            ]
        ),
    )


def block_html(block: "Block", texts: GridTexts) -> SafeString:
    """One block: an <li> with its checkbox and label when it can change, else a plain
    body named by its sentence; then its error and its waiting-list button."""
    name_id = f"{block.dom_id}-name"
    if block.value:
        body = [
            _input(block),
            format_html('<label for="{}" class="block__body">', block.input_id),
        ]
        closing = format_html("</{}>", "label")
    else:
        body = [format_html('<div class="{}">', "block__body")]
        closing = format_html("</{}>", "div")
    opening = format_html(
        '<li class="block state {}{}" id="{}"{} style="grid-row: {}; grid-column: {};">',
        block.state_class,
        " block--error" if block.error else "",
        block.dom_id,
        "" if block.value else format_html(' aria-labelledby="{}"', name_id),
        block.grid_row,
        block.grid_column,
    )
    error = block.error and format_html(
        '<p class="block__error" id="{}">{}</p>', block.error_id, block.error
    )
    waitlist = block.waitlist and format_html(
        '<button type="submit" class="block__waitlist" formaction="{}" formnovalidate'
        ' name="waitlist" value="{}" aria-describedby="{}">{}</button>',
        texts.waitlist_url,
        block.waitlist,
        name_id,
        block.waitlist_label,
    )
    name = format_html('<span class="visually-hidden" id="{}">{}</span>', name_id, block.sentence)
    return format_html(
        "{}\n</li>",
        _lines([opening, *body, name, _visible(block, texts), closing, error, waitlist]),
    )


def column_html(column: "ChildColumn", day_name: str, texts: GridTexts) -> SafeString:
    """One child's column of a day: the child's name, then the blocks (or "No activity")."""
    if column.blocks:
        blocks = format_html(
            '<ul class="planning__blocks" role="list">\n{}\n</ul>',
            format_html_join("\n", "{}", ((block_html(b, texts),) for b in column.blocks)),
        )
    else:
        blocks = format_html(
            '<p class="planning__none" style="grid-column: {}; grid-row: 3 / span 2;">{}</p>',
            column.grid_column,
            texts.no_activity,
        )
    return format_html(
        '<div class="planning__child">\n<h4 class="planning__child-name" style="grid-column: {};">'
        '<span class="visually-hidden">{} – </span>{}</h4>\n{}\n</div>',
        column.grid_column,
        day_name,
        column.child.first_name,
        blocks,
    )
