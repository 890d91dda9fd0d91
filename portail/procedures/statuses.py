"""A request's statuses: the one-way state machine, and who may make which move.

Statuses (Request.status), moving one way:

    draft → submitted → in_progress → accepted | refused
                 ↑   ↘       ↓   ↗
                 └── needs_info          (the family completes it and submits again)

    early_childhood only: submitted | in_progress → waiting_list → accepted | refused

- draft: the family's, not yet sent; it edits the data as often as it likes (partial data
  is kept; every rule is checked at submission).
- submitted: sent; the data is complete and valid. submitted_at is the first submission.
- in_progress: a staff member took it (and is assigned to it unless someone else was).
- needs_info: staff asked for more (a message is required); the family edits the data,
  adds documents and submits again (→ submitted).
- accepted: final; its effect is applied in the same transaction (effects.py).
- refused: final, with a reason the family reads (required; the database refuses a
  refused row without one).
- waiting_list: early childhood only, the commission's "liste d'attente"; the commission
  accepts or refuses later.

Early childhood, as the seed's "Inscriptions Petite Enfance" shows it: submitted and
in_progress read "en attente de commission"; accepted "accepté", refused "refusé",
waiting_list "liste d'attente" (commission_label()).

Who may move (services.py checks it through `check_move`):
- the family (a guardian of the request's household): create a draft, edit a draft or a
  needs_info request, submit it, write messages and add documents while it is not final;
- staff (User.is_staff; the pages and the API check the gestionnaire role): take in
  progress, assign, ask for more, accept, refuse with a reason, put on the waiting list.
Anything else raises RequestRefused with code "status" (or "forbidden" for the wrong
actor) and a translated message; nothing is written.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from portail.procedures.models import ProcedureCode, RequestStatus

S = RequestStatus

FAMILY = "family"
STAFF = "staff"

# Moves: name -> (who, statuses it may start from, status it leads to).
SUBMIT = "submit"
TAKE = "take"
ASK_MORE = "ask_more"
ACCEPT = "accept"
REFUSE = "refuse"
WAITING_LIST = "waiting_list"

MOVES: dict[str, tuple[str, tuple[str, ...], str]] = {
    SUBMIT: (FAMILY, (S.DRAFT, S.NEEDS_INFO), S.SUBMITTED),
    TAKE: (STAFF, (S.SUBMITTED,), S.IN_PROGRESS),
    ASK_MORE: (STAFF, (S.SUBMITTED, S.IN_PROGRESS), S.NEEDS_INFO),
    ACCEPT: (STAFF, (S.SUBMITTED, S.IN_PROGRESS, S.WAITING_LIST), S.ACCEPTED),
    REFUSE: (STAFF, (S.SUBMITTED, S.IN_PROGRESS, S.WAITING_LIST), S.REFUSED),
    WAITING_LIST: (STAFF, (S.SUBMITTED, S.IN_PROGRESS), S.WAITING_LIST),
}

# What else may be done in which statuses.
EDITABLE = (S.DRAFT, S.NEEDS_INFO)  # the family changes the data
OPEN = (S.DRAFT, S.SUBMITTED, S.IN_PROGRESS, S.NEEDS_INFO, S.WAITING_LIST)  # documents
# Messages need someone to read them: not on a draft, not once decided.
CONVERSATION = (S.SUBMITTED, S.IN_PROGRESS, S.NEEDS_INFO, S.WAITING_LIST)


@dataclass
class RequestRefused(Exception):
    """A request change refused; nothing was written. `code` for the API, `message` in the
    current language, `fields` {name: message} for invalid data."""

    code: str
    message: str
    fields: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message


def status_label(status: str) -> str:
    return str(RequestStatus(status).label)


def commission_label(status: str) -> str:
    """An early childhood request's status as the commission's words say it."""
    if status in (S.SUBMITTED, S.IN_PROGRESS, S.NEEDS_INFO):
        return pgettext("early childhood", "Awaiting the commission")
    if status == S.ACCEPTED:
        return pgettext("early childhood", "Accepted")
    if status == S.REFUSED:
        return pgettext("early childhood", "Refused")
    if status == S.WAITING_LIST:
        return pgettext("early childhood", "Waiting list")
    return status_label(status)


def check_move(move: str, *, status: str, procedure: str, actor_role: str) -> str:
    """The status `move` leads to from `status`, or RequestRefused."""
    who, sources, target = MOVES[move]
    if actor_role != who:
        raise RequestRefused("forbidden", _("You may not do this on this request."))
    if move == WAITING_LIST and procedure != ProcedureCode.EARLY_CHILDHOOD:
        raise RequestRefused("status", _("Only early childhood requests have a waiting list."))
    if status not in sources:
        raise RequestRefused(
            "status",
            _("This request is “%(status)s”: this cannot be done now.")
            % {"status": status_label(status)},
        )
    return target


def check_status(status: str, allowed: tuple[str, ...]) -> None:
    if status not in allowed:
        raise RequestRefused(
            "status",
            _("This request is “%(status)s”: this cannot be done now.")
            % {"status": status_label(status)},
        )
