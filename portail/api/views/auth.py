"""Getting and revoking an API token (the API's log-in and log-out)."""

from django.http import HttpResponse
from django.utils.translation import gettext as _

from portail.accounts.services import LoginRefused, authenticate_throttled
from portail.api import openapi
from portail.api.auth import not_authenticated
from portail.api.fields import optional, read_str
from portail.api.http import ApiError, ApiRequest, endpoint, json_response, no_content
from portail.api.tokens import LABEL_MAX_LENGTH, issue_token, revoke_token

EMAIL_MAX_LENGTH = 254
PASSWORD_MAX_LENGTH = 4096
PASSWORD_SCHEMA = openapi.text(PASSWORD_MAX_LENGTH, strip=False)

# How each refusal of accounts.services answers: same codes, HTTP statuses of our own.
REFUSAL_STATUS = {"invalid_credentials": 401, "throttled": 429, "inactive": 403}


@endpoint(
    methods=("POST",),
    auth=None,
    summary="Get a token",
    description=(
        "Checks the e-mail and password under the same throttle as the login page: after "
        "too many failures, even the right password is refused for a while (429). A token "
        "works until it expires (after the server's PORTAIL_API_TOKEN_DAYS, 90 days by "
        "default; then 401 `token_expired`: ask for a new one), it is revoked (DELETE, or "
        "by its holder on the portal's personal-data page), or the account's password "
        "changes. The optional `label` names the application, for the holder's list."
    ),
    request=openapi.obj(
        {"email": openapi.text(EMAIL_MAX_LENGTH), "password": PASSWORD_SCHEMA},
        {"label": openapi.or_null(openapi.text(LABEL_MAX_LENGTH, blank=True))},
    ),
    response=openapi.obj(
        {"token": {"type": "string", "description": "Send as `Authorization: Bearer ...`."}}
    ),
    status=201,
    errors={
        401: "`invalid_credentials`: unknown e-mail or wrong password.",
        403: "`inactive`: the account is disabled.",
        429: "`throttled`: too many failed attempts; try again later.",
    },
)
def create_token(request: ApiRequest) -> HttpResponse:
    email = read_str(request.data, "email", max_length=EMAIL_MAX_LENGTH)
    password = read_str(request.data, "password", strip=False, max_length=PASSWORD_MAX_LENGTH)
    label = optional(
        read_str, request.data, "label", default="", max_length=LABEL_MAX_LENGTH, allow_blank=True
    )
    try:
        user = authenticate_throttled(request, email, password)
    except LoginRefused as refused:
        status = REFUSAL_STATUS.get(refused.code, 401)
        raise ApiError(status, refused.code, refused.message) from None
    return json_response({"token": issue_token(user, label=label)}, status=201)


@endpoint(
    methods=("DELETE",),
    auth="user",
    summary="Revoke the token",
    description="Revokes the bearer token this request is authenticated with. Any body is ignored.",
    status=204,
)
def delete_token(request: ApiRequest) -> HttpResponse:
    if request.auth_token is None:
        raise not_authenticated(_("Send the token to revoke as Authorization: Bearer <token>."))
    revoke_token(request.auth_token)
    return no_content()
