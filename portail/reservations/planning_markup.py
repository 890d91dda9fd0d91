"""The planning grid's columns of blocks as HTML, built in Python.

A week holds dozens of blocks and each says a lot (its state, price, deadline, reason, its
checkbox with its accessible name and what ticking it adds): written by the template, that
was some 35 variable look-ups a block, most of the page's rendering. The grid's template
(reservations/_planning_grid.html) still draws the week's frame (hours, days, their links);
each child's column of a day comes from here, with the markup, ids and aria attributes the
template wrote. The markup is made when the template asks for it, so after the view has
ticked the blocks (Block.checked) and set their errors (Block.error).

Escaping: every value written goes through _e(), which is the template's autoescaping
(django.utils.html.conditional_escape) without its per-call overhead; the column is marked
safe once, in column_html(). format_html() for each piece was tried: it cost as much time
as the template did.
"""

from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from portail.reservations.states import LATE_LABEL, CellState

if TYPE_CHECKING:
    from portail.reservations.planning_grid import Block, ChildColumn


def _e(value: object) -> str:
    """`value` escaped for HTML text and attributes, as conditional_escape() does: Django's
    escape() is html.escape(str(value)); markup already safe is kept as it is."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape(str(value))


@dataclass(frozen=True)
class GridTexts:
    """What every block of a page says alike: read once per page, in its language, and
    escaped once."""

    late: str
    pending: str
    no_activity: str
    waitlist_url: str


def grid_texts() -> GridTexts:
    return GridTexts(
        late=_e(LATE_LABEL),
        pending=_e(_("Change in progress")),
        no_activity=_e(_("No activity")),
        waitlist_url=_e(reverse("reservations:waiting_list")),
    )


def _span(name: str, text: str) -> str:
    """A piece of the block's visible text (escaped here); "" when there is none."""
    return f'<span class="block__{name}">{_e(text)}</span>' if text else ""


def _input(block: "Block") -> str:
    """The block's checkbox: its hint (and error) describe it; data-* feed planning.js."""
    described = f"hint-{block.cell.action}" + (f" {block.error_id}" if block.error else "")
    checked = "checked " if block.checked else ""
    invalid = ' aria-invalid="true"' if block.error else ""
    return (
        f'<input type="checkbox" class="block__input" name="change" value="{_e(block.value)}"'
        f' id="{_e(block.input_id)}" {checked}aria-describedby="{_e(described)}"{invalid}'
        f' data-summary="{_e(block.summary)}" data-action="{_e(block.action_label)}"'
        f' data-delta-cents="{int(block.delta_cents)}" data-delta-text="{_e(block.delta_text)}">'
    )


def _visible(block: "Block", texts: GridTexts) -> str:
    """What the block shows (hidden from screen readers: its accessible name says it all)."""
    cell = block.cell
    recorded = "* " if cell.state == CellState.ATTENDANCE_RECORDED else ""
    parts = [
        '<span class="block__visible" aria-hidden="true">',
        _span("activity", cell.activity),
        _span("time", block.times),
        f'<span class="block__state">{recorded}{_e(block.state_label)}</span>',
        f'<span class="block__late">{texts.late}</span>' if cell.late else "",
        _span("price", block.price),
        _span("billing", block.billing),
        _span("reason", block.reason),
        _span("few", block.few_places),
        _span("until", block.until),
    ]
    if block.value:
        parts.append(
            f'<span class="block__action">{_e(block.action_label)}</span>'
            f'<span class="block__pending">{texts.pending}</span>'
        )
    parts.append("</span>")
    return "\n".join(part for part in parts if part)


def block_html(block: "Block", texts: GridTexts) -> str:
    """One block (escaped, not yet marked safe): an <li> with its checkbox and label when
    it can change, else a plain body named by its sentence; then its error and its
    waiting-list button."""
    dom_id = _e(block.dom_id)
    name_id = f"{dom_id}-name"
    error = " block--error" if block.error else ""
    labelled = "" if block.value else f' aria-labelledby="{name_id}"'
    parts = [
        f'<li class="block state {_e(block.state_class)}{error}" id="{dom_id}"{labelled}'
        f' style="grid-row: {_e(block.grid_row)}; grid-column: {_e(block.grid_column)};">'
    ]
    if block.value:
        parts.append(_input(block))
        parts.append(f'<label for="{_e(block.input_id)}" class="block__body">')
    else:
        parts.append('<div class="block__body">')
    parts.append(f'<span class="visually-hidden" id="{name_id}">{_e(block.sentence)}</span>')
    parts.append(_visible(block, texts))
    parts.append("</label>" if block.value else "</div>")
    if block.error:
        parts.append(f'<p class="block__error" id="{_e(block.error_id)}">{_e(block.error)}</p>')
    if block.waitlist:
        parts.append(
            f'<button type="submit" class="block__waitlist" formaction="{texts.waitlist_url}"'
            f' formnovalidate name="waitlist" value="{_e(block.waitlist)}"'
            f' aria-describedby="{name_id}">{_e(block.waitlist_label)}</button>'
        )
    parts.append("</li>")
    return "\n".join(parts)


def column_html(column: "ChildColumn", day_name: str, texts: GridTexts) -> SafeString:
    """One child's column of a day: the child's name, then the blocks (or "No activity")."""
    grid_column = _e(column.grid_column)
    if column.blocks:
        blocks = "\n".join(block_html(block, texts) for block in column.blocks)
        blocks = f'<ul class="planning__blocks" role="list">\n{blocks}\n</ul>'
    else:
        blocks = (
            f'<p class="planning__none" style="grid-column: {grid_column}; grid-row: 3 / span 2;">'
            f"{texts.no_activity}</p>"
        )
    html = (
        f'<div class="planning__child">\n<h4 class="planning__child-name"'
        f' style="grid-column: {grid_column};"><span class="visually-hidden">{_e(day_name)} – '
        f"</span>{_e(column.child.first_name)}</h4>\n{blocks}\n</div>"
    )
    # Every value above went through _e(): the column is safe as a whole.
    return mark_safe(html)  # noqa: S308
