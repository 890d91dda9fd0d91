"""The waiting list (reservations.waiting): join a full day, leave it.

POST /waiting-list {"child_id", "session_id"} -> 201 {"id", "rank"}; 409 not_full when a
place is free (book it with POST /basket). DELETE /waiting-list/{id}: leave the list, or
decline the place offered (its line leaves the basket, the place goes to the next family).
"""

from django.http import HttpResponse
from django.utils.translation import gettext as _

from portail.api import openapi
from portail.api.fields import read_int
from portail.api.http import ApiError, ApiRequest, endpoint, json_response, no_content
from portail.reservations.models import Channel
from portail.reservations.waiting import (
    ALREADY_WAITING,
    NOT_FOUND,
    NOT_FULL,
    WaitingRefused,
    join,
    leave,
)

JOIN_SCHEMA = openapi.component(
    "WaitingListJoin",
    openapi.obj(
        {"child_id": openapi.ID, "session_id": openapi.ID},
        description="One child on one full session (the planning's child_id and session_id).",
    ),
)
ENTRY_SCHEMA = openapi.component(
    "WaitingListEntry",
    openapi.obj(
        {
            "id": openapi.INTEGER,
            "rank": {**openapi.INTEGER, "description": "1: the first family served."},
        }
    ),
)
_CONFLICTS = {NOT_FULL, ALREADY_WAITING}


@endpoint(
    methods=("POST",),
    auth="guardian",
    summary="Join a day's waiting list",
    description="Puts the child on the waiting list of a full day. When a place frees, the "
    "first family waiting is offered it: a reservation line in its open basket (`offer`: "
    "true) held until its own `expires_at`, and an e-mail.",
    request=JOIN_SCHEMA,
    response=ENTRY_SCHEMA,
    status=201,
    errors={
        409: "`not_full`: a place is free for this child (book it with POST /basket); "
        "`already_waiting`: the child is already on this day's list.",
        422: "`invalid_changes`: the day cannot be booked by this child anyway; `items` "
        "lists it as {child_id, session_id, code}, code as for POST /basket (unknown, "
        "not_enrolled, closed, deadline_passed, already_reserved...).",
    },
)
def join_list(request: ApiRequest) -> HttpResponse:
    child_id = read_int(request.data, "child_id", min_value=1, max_value=openapi.MAX_ID)
    session_id = read_int(request.data, "session_id", min_value=1, max_value=openapi.MAX_ID)
    try:
        entry = join(
            request.household,
            child_id=child_id,
            session_id=session_id,
            actor=request.user,
            channel=Channel.API,
        )
    except WaitingRefused as refused:
        if refused.code in _CONFLICTS:
            raise ApiError(409, refused.code, refused.message) from None
        raise ApiError(
            422,
            "invalid_changes",
            refused.message,
            items=[{"child_id": child_id, "session_id": session_id, "code": refused.code}],
        ) from None
    return json_response({"id": entry.pk, "rank": entry.rank}, status=201)


@endpoint(
    methods=("DELETE",),
    auth="guardian",
    summary="Leave a waiting list, or decline the place offered",
    description="An entry waiting leaves the list; an entry offered a place declines it: "
    "its line leaves the basket and the place is offered to the next family. Any body is "
    "ignored.",
    status=204,
    errors={
        404: "`not_found`: no such entry for this household.",
        409: "`not_active`: the entry is closed (accepted, declined, expired or left).",
    },
)
def leave_list(request: ApiRequest, entry_id: int) -> HttpResponse:
    if entry_id > openapi.MAX_ID:
        raise ApiError(404, NOT_FOUND, _("Not found."))
    try:
        leave(request.household, entry_id, actor=request.user, channel=Channel.API)
    except WaitingRefused as refused:
        status = 404 if refused.code == NOT_FOUND else 409
        raise ApiError(status, refused.code, refused.message) from None
    return no_content()
