"""What each role gets on each URL pattern: the outcomes, the rules, the parameters each
pattern's URL is filled with, and the table of expectations (a group rule for the Django
admin). A new pattern fails tests/security/url_roles until it is declared here."""

from dataclasses import dataclass, field

from portail.backoffice.permissions import CUISINE, GESTIONNAIRE, POINTAGE
from tests.security import urlmatrix
from tests.security.urlmatrix import ANON, OTHER, PARENT, ROLES, SUPERUSER, Route

LOGIN = "login"  # 302 to the portal's login page (an HTML page, signed out)
ADMIN_LOGIN = "admin login"  # 302 to the admin's login page
REDIRECT = "redirect"  # 302/303 somewhere else (declared where it is the normal answer)
ANSWERED = "answered"  # any answer but a server error (the superuser in the admin)
REFUSALS = (LOGIN, ADMIN_LOGIN, 401, 403, 404)

Outcome = int | str | tuple  # a status, one of the names above, or several of them


@dataclass(frozen=True)
class Rule:
    """What each role gets. `post`: what a refused role's POST gets, when it differs from
    its GET; roles whose GET is not a refusal are not probed with a POST (they may act).
    `capability`: the URL carries a secret token and serves whoever holds it (an e-mailed
    link, a calendar feed): its answers may show the household's data to anyone.
    `query`: a query string naming household A's objects (filled from the world)."""

    get: dict[str, Outcome]
    post: dict[str, Outcome] = field(default_factory=dict)
    capability: bool = False
    query: str = ""
    family: bool = False  # a family route on the caller's own household


def roles(default: Outcome, **by_role: Outcome) -> dict[str, Outcome]:
    return {role: by_role.get(role, default) for role in ROLES}


def public(status: Outcome = 200, **by_role: Outcome) -> Rule:
    return Rule(roles(status, **by_role))


def parent_page(staff: Outcome, ok: Outcome = 200, **kw) -> Rule:
    """A family page acting on the signed-in parent's own household (no id in the URL):
    both parents get their own; staff logins have no household."""
    return Rule(roles(staff, **{ANON: LOGIN, PARENT: ok, OTHER: ok}), family=True, **kw)


def parent_object(staff: Outcome, ok: Outcome = 200, **kw) -> Rule:
    """A family page naming one of household A's objects: another household's parent gets
    404, as for an id that does not exist."""
    return Rule(roles(staff, **{ANON: LOGIN, PARENT: ok, OTHER: 404}), **kw)


def account_page(ok: Outcome = 200) -> Rule:
    """A page about the signed-in login itself, whoever it is."""
    return Rule(roles(ok, **{ANON: LOGIN}))


def staff_page(*allowed: str, ok: Outcome = 200, **kw) -> Rule:
    """A back-office page: `allowed` roles get `ok`; other staff and parents 403."""
    allowed = (*allowed, SUPERUSER)  # a superuser without a profile is a gestionnaire
    return Rule(
        roles(403, **{ANON: LOGIN}, **dict.fromkeys(allowed, ok)),
        **kw,
    )


def api_parent(ok: Outcome = 200) -> Rule:
    """A guardian endpoint on the caller's own household; staff have none (403)."""
    return Rule(roles(403, **{ANON: 401, PARENT: ok, OTHER: ok}), family=True)


def family_post_only(anonymous: Outcome, staff: Outcome) -> Rule:
    """A family action taking POST only: every GET is a 405 (the method is checked first);
    both parents POST for their own household, the others are refused."""
    post = roles(staff, **{ANON: anonymous, PARENT: None, OTHER: None})
    return Rule(roles(405), post=post, family=True)


def api_parent_object(ok: Outcome = 200) -> Rule:
    """A guardian endpoint naming household A's object: 404 for another household."""
    return Rule(roles(403, **{ANON: 401, PARENT: ok, OTHER: 404}))


def family_object_post_only(anonymous: Outcome, staff: Outcome) -> Rule:
    """A family action on one of household A's objects taking POST only: every GET is a
    405; the parent POSTs, another household's parent gets 404, the others are refused."""
    return Rule(roles(405), post=roles(staff, **{ANON: anonymous, PARENT: None, OTHER: 404}))


def api_staff(*allowed: str, ok: Outcome = 200, query: str = "") -> Rule:
    """A staff endpoint; endpoints that only take POST answer 405 to every GET (the
    method is checked first), and their POST is what is refused."""
    allowed = (*allowed, SUPERUSER)
    refusals = roles(403, **{ANON: 401}, **dict.fromkeys(allowed))
    if ok == 405:
        return Rule(roles(405), post=refusals, query=query)
    return Rule(roles(403, **{ANON: 401}, **dict.fromkeys(allowed, ok)), query=query)


EVERY_STAFF = (GESTIONNAIRE, POINTAGE, CUISINE)


# What a URL parameter names, by its name (see urlmatrix.parameter_sources for the
# values: household A's objects). Names that mean different things in different routes
# are declared per route in ROUTE_PARAMETERS.
PARAMETERS = {
    "attachment_pk": "attachment",
    "guardian_pk": "guardian",
    "reference": "basket_reference",
    "uidb64": "uidb64",
    "household_id": "household",
    "session_id": "session",
    "basket_id": "basket",
    "child_id": "child",
    "enrolment_id": "enrolment",
    "invoice_id": "invoice",
    "number": "request",
    "request_id": "request",
    "attachment_id": "request_attachment",
}
AMBIGUOUS = {"pk", "token", "id", "object_id", "content_type_id", "app_label", "url"}
ROUTE_PARAMETERS = {
    ("families:document", "pk"): "document",
    ("families:document_attachment", "pk"): "document",
    ("families:enrolment_history", "pk"): "enrolment",
    ("families:enrolment_recap_pdf", "pk"): "enrolment",
    ("families:email_change_confirm", "token"): "email_token",
    ("families:calendar_feed", "token"): "calendar_token",
    ("accounts:password_reset_confirm", "token"): "reset_token",
    ("accounts:activate", "token"): "activation_token",
    ("backoffice:attendance_record", "pk"): "session",
    ("backoffice:attendance_justify", "pk"): "session",
    ("backoffice:session_capacity", "pk"): "session",
    ("backoffice:session_close", "pk"): "session",
    ("backoffice:session_reopen", "pk"): "session",
    ("backoffice:waiting_list", "pk"): "session",
    ("backoffice:payment_check", "pk"): "payment",
    ("backoffice:billing_run", "pk"): "billing_run",
    ("billing:invoice", "pk"): "invoice",
    ("billing:invoice_pdf", "pk"): "invoice",
    ("billing:invoice_pay", "pk"): "invoice",
    ("backoffice:invoice", "pk"): "invoice",
    ("backoffice:invoice_payment", "pk"): "invoice",
    ("backoffice:invoice_apply_credit", "pk"): "invoice",
    ("backoffice:invoice_credit_note", "pk"): "invoice",
    ("procedures:start", "code"): "procedure_code",
    ("procedures:attachment", "pk"): "request_attachment",
    ("backoffice:request", "pk"): "request",
    ("backoffice:request_action", "pk"): "request",
    ("backoffice:request_attachment", "pk"): "request_attachment",
    ("backoffice:procedure_edit", "pk"): "procedure",
    ("admin:view_on_site", "content_type_id"): "household_content_type",
    ("admin:view_on_site", "object_id"): "household",
    ("admin:auth_user_password_change", "id"): "user",
    ("admin:app_list", "app_label"): "admin_app",
    ("api:waiting-list-entry", "entry_id"): "waiting_entry",
}
for _name in (
    "household",
    "household_enrol",
    "household_qf",
    "household_credit",
    "guardian_activation",
    "planning",
    "basket",
    "basket_validate",
    "basket_counter",
    "basket_drop",
    "household_priorities",
):
    ROUTE_PARAMETERS[(f"backoffice:{_name}", "pk")] = "household"
# The admin: a model's object URLs name a row of that model (the first one, which is
# household A's where the model belongs to households); its catch-all, a missing page.
ADMIN_PARAMETERS = {"object_id": "admin_object", "url": "nowhere"}


def parameter_kind(route: Route, param: str) -> str | None:
    if (route.key, param) in ROUTE_PARAMETERS:
        return ROUTE_PARAMETERS[(route.key, param)]
    if route.is_admin and param in ADMIN_PARAMETERS:
        return ADMIN_PARAMETERS[param]
    if param in AMBIGUOUS:
        return None
    return PARAMETERS.get(param)


EXPECTATIONS: dict[str, Rule] = {
    # Family pages (portail/families, reservations, billing).
    "families:home": account_page(),  # staff get the staff home, without a household
    "families:documents": parent_page(404),
    "families:document": parent_object(404),
    "families:document_attachment": parent_object(404),
    "families:enrolment_history": parent_object(404),
    "families:enrolment_recap_pdf": parent_object(404),
    "families:personal_data": account_page(),
    "families:email_change": account_page(),
    "families:password_change": account_page(),
    "api_pages:tokens": account_page(),  # any signed-in account's own API tokens
    "families:phone_change": parent_page(404),
    "families:calendar_settings": parent_page(404),
    "reminders:preferences": parent_page(404),
    # The e-mailed confirmation link: the token is the proof, whoever opens it.
    "families:email_change_confirm": Rule(roles(200), capability=True),
    # The private calendar feed: its token is the only credential (calendar apps).
    "families:calendar_feed": Rule(roles(200), capability=True),
    "reservations:planning": parent_page(403),
    "reservations:typical_week": parent_page(403),
    "reservations:draw_status": parent_page(403),
    "reservations:waiting_list": family_post_only(LOGIN, staff=403),
    "reservations:basket": parent_page(403),
    "reservations:basket_cancel": parent_page(403),
    "reservations:basket_pdf": parent_page(403),
    # POST only (405 to every GET); a parent POSTs for their own household.
    "billing:checkout": family_post_only(LOGIN, staff=403),
    "billing:validated": parent_object(403),
    "billing:credits": parent_page(403),
    "billing:invoice_pay": parent_object(403),
    "billing:invoices": parent_page(403),
    "billing:invoice": parent_object(403),
    "billing:invoice_pdf": parent_object(403),
    # Démarches (portail/procedures/views): a request and its documents are household A's.
    "procedures:list": parent_page(403),
    "procedures:start": parent_page(403),
    "procedures:detail": parent_object(403),
    "procedures:edit": parent_object(403, ok=REDIRECT),  # submitted: nothing to edit
    "procedures:submit": family_object_post_only(LOGIN, staff=403),
    "procedures:message": family_object_post_only(LOGIN, staff=403),
    "procedures:upload": family_object_post_only(LOGIN, staff=403),
    "procedures:attachment": parent_object(403),
    "billing:certificates": family_post_only(LOGIN, staff=403),
    # PayFiP's addresses: the notification is public (PayFiP calls it, the payment is
    # re-read from PayFiP); the return page shows a payment to its household only.
    "payfip:notify": public(400),
    # A POST (PayFiP's form back to the portal, cross-site, without the session cookie)
    # is turned into a GET by a 303; the GET asks for a login.
    "payfip:return": Rule(
        roles(200, **{ANON: LOGIN}), post={ANON: REDIRECT}, query="idop={payment_idop}"
    ),
    "core:help": public(),
    "core:tariffs": public(),
    "core:legal_legal_notice": public(),
    "core:legal_personal_data": public(),
    "core:legal_accessibility": public(),
    "core:legal_terms": public(),
    "core:legal_browsers": public(),
    # Accounts.
    "accounts:login": public(REDIRECT, **{ANON: 200}),
    "accounts:logout": public(405),  # POST only
    "accounts:password_reset": public(),
    "accounts:password_reset_done": public(),
    "accounts:password_reset_complete": public(),
    # E-mailed links: the token is the credential; a valid one goes on to the form.
    "accounts:password_reset_confirm": Rule(roles(REDIRECT), capability=True),
    "accounts:activate": Rule(roles(REDIRECT), capability=True),
    "set_language": public(REDIRECT),
    # The back office (portail/backoffice/permissions.py).
    "backoffice:index": staff_page(*EVERY_STAFF),
    "backoffice:families": staff_page(GESTIONNAIRE),
    "backoffice:household_create": staff_page(GESTIONNAIRE),
    "backoffice:household": staff_page(GESTIONNAIRE),
    "backoffice:household_enrol": staff_page(GESTIONNAIRE, ok=405),
    "backoffice:household_qf": staff_page(GESTIONNAIRE, ok=405),
    "backoffice:household_credit": staff_page(GESTIONNAIRE, ok=405),
    "backoffice:guardian_activation": staff_page(GESTIONNAIRE, ok=405),
    "backoffice:planning": staff_page(GESTIONNAIRE),
    "backoffice:booking_windows": staff_page(GESTIONNAIRE),
    "backoffice:household_priorities": staff_page(GESTIONNAIRE),
    "backoffice:basket": staff_page(GESTIONNAIRE),
    "backoffice:basket_validate": staff_page(GESTIONNAIRE, ok=405),
    "backoffice:basket_counter": staff_page(GESTIONNAIRE, ok=405),
    "backoffice:basket_drop": staff_page(GESTIONNAIRE, ok=405),
    "backoffice:headcounts": staff_page(*EVERY_STAFF, query="date={day}"),
    "backoffice:headcounts_csv": staff_page(*EVERY_STAFF, query="date={day}"),
    "backoffice:headcounts_xlsx": staff_page(*EVERY_STAFF, query="date={day}"),
    "backoffice:attendance": staff_page(GESTIONNAIRE, POINTAGE, query="seance={session}"),
    "backoffice:attendance_record": staff_page(GESTIONNAIRE, POINTAGE, ok=405),
    # Justifying an absence credits money: gestionnaires only.
    "backoffice:attendance_justify": staff_page(GESTIONNAIRE, ok=405),
    "backoffice:sessions": staff_page(GESTIONNAIRE),
    "backoffice:session_capacity": staff_page(GESTIONNAIRE, ok=405),
    "backoffice:session_close": staff_page(GESTIONNAIRE, ok=405),
    "backoffice:session_reopen": staff_page(GESTIONNAIRE, ok=405),
    "backoffice:waiting_list": staff_page(GESTIONNAIRE),
    "backoffice:sessions_close_many": staff_page(GESTIONNAIRE),
    "backoffice:payments": staff_page(GESTIONNAIRE),
    "backoffice:payment_check": staff_page(GESTIONNAIRE, ok=405),
    "backoffice:payments_export": staff_page(GESTIONNAIRE),
    # Billing runs: money, gestionnaires only.
    "backoffice:billing_runs": staff_page(GESTIONNAIRE),
    "backoffice:billing_run_issue": staff_page(GESTIONNAIRE, ok=405),
    "backoffice:billing_run": staff_page(GESTIONNAIRE),
    # Invoices: money, gestionnaires only.
    "backoffice:invoices": staff_page(GESTIONNAIRE),
    "backoffice:invoices_export": staff_page(GESTIONNAIRE),
    "backoffice:invoice_payments_export": staff_page(GESTIONNAIRE),
    "backoffice:invoice": staff_page(GESTIONNAIRE),
    "backoffice:invoice_payment": staff_page(GESTIONNAIRE, ok=405),
    "backoffice:invoice_apply_credit": staff_page(GESTIONNAIRE, ok=405),
    "backoffice:invoice_credit_note": staff_page(GESTIONNAIRE, ok=405),
    "backoffice:requests": staff_page(GESTIONNAIRE),
    "backoffice:request": staff_page(GESTIONNAIRE),
    "backoffice:request_action": staff_page(GESTIONNAIRE, ok=405),
    "backoffice:request_attachment": staff_page(GESTIONNAIRE),
    "backoffice:procedures": staff_page(GESTIONNAIRE),
    "backoffice:procedure_edit": staff_page(GESTIONNAIRE),
    "backoffice:journal": staff_page(GESTIONNAIRE),
    # The API (/api/v1/): bearer tokens.
    "api:openapi": public(),
    "api:auth-token": public(405),  # POST (sign in) and DELETE (sign out) only
    "api:not-found": public(404),
    "api:household": api_parent(),
    "api:planning": api_parent(),
    "api:basket": api_parent(),
    "api:basket-typical-week": family_post_only(401, staff=403),
    "api:basket-checkout": family_post_only(401, staff=403),
    "api:baskets": api_parent(),
    "api:credits": api_parent(),
    "api:waiting-list": family_post_only(401, staff=403),
    "api:waiting-list-entry": public(405),  # DELETE only (GET, POST: 405 before any lookup)
    "api:invoices": api_parent(),
    "api:invoice-detail": api_parent_object(),
    "api:invoice-pdf": api_parent_object(),
    # POST only, naming household A's invoice: another household's parent gets 404.
    "api:invoice-checkout": Rule(
        roles(405), post=roles(403, **{ANON: 401, PARENT: None, OTHER: 404})
    ),
    "api:basket-detail": api_parent_object(),
    "api:basket-pdf": api_parent_object(),
    "api:child-history": api_parent_object(),
    "api:enrolment-recap": api_parent_object(),
    "api:staff-me": api_staff(*EVERY_STAFF),
    "api:staff-headcounts": api_staff(*EVERY_STAFF, query="date={day}"),
    "api:staff-households": api_staff(GESTIONNAIRE, ok=405),
    "api:staff-household-basket": api_staff(GESTIONNAIRE, ok=405),
    "api:staff-household-credits": api_staff(GESTIONNAIRE, ok=405),
    "api:staff-session": api_staff(GESTIONNAIRE, ok=405),
    "api:staff-session-close": api_staff(GESTIONNAIRE, ok=405),
    "api:staff-attendance": api_staff(GESTIONNAIRE, POINTAGE, ok=405),
    "api:staff-attendance-justify": api_staff(GESTIONNAIRE, ok=405),
    "api:staff-billing-runs": api_staff(GESTIONNAIRE, ok=405),
    "api:staff-invoice-payments": api_staff(GESTIONNAIRE, ok=405),
    "api:staff-invoice-cancel": api_staff(GESTIONNAIRE, ok=405),
    "api:procedures": api_parent(),
    "api:requests": api_parent(),
    "api:request-detail": api_parent_object(),
    "api:request-attachments": api_parent_object(),
    "api:request-attachment": api_parent_object(),
    "api:request-messages": Rule(
        roles(405), post=roles(403, **{ANON: 401, PARENT: None, OTHER: 404})
    ),
    "api:staff-requests": api_staff(GESTIONNAIRE),
    "api:staff-request-decision": api_staff(GESTIONNAIRE, ok=405),
    # The PayFiP simulator (never installed in production): PayFiP's stand-in, public
    # like PayFiP (its payment page without an idOp is a 404), but for its switches.
    "payfip_simulator:control": staff_page(GESTIONNAIRE),
    "payfip_simulator:soap": public(405),
    "payfip_simulator:payment_page": public(404),
    "payfip_simulator:notification_sink": public(),
}

# The Django admin, as a group: a superuser's tool. Signed-out visitors and parents are
# sent to its login page; staff without Django model permissions (every role here but
# the superuser) get no model page: 403, 404, or the admin's own redirects from an old
# object URL; only these pages about their own login open for them.
ADMIN_OWN_PAGES = {
    "admin:index": 200,
    "admin:password_change": 200,
    "admin:password_change_done": 200,
    "admin:jsi18n": 200,
    "admin:login": REDIRECT,
    "admin:logout": 405,
}


def admin_rule(route: Route) -> Rule:
    signed_out = {ANON: ADMIN_LOGIN, PARENT: ADMIN_LOGIN, OTHER: ADMIN_LOGIN}
    if route.key == "admin:login":
        return Rule(roles(REDIRECT, **{ANON: 200, PARENT: 200, OTHER: 200}))
    if route.key == "admin:logout":  # POST only; signed-out visitors go to the admin
        return Rule(roles(405, **{ANON: REDIRECT, PARENT: REDIRECT, OTHER: REDIRECT}))
    staff = ADMIN_OWN_PAGES.get(route.key, (403, 404, REDIRECT))
    get = roles(staff, **signed_out)
    get[SUPERUSER] = ANSWERED
    # A staff login without model permissions POSTs nothing that changes a row, not even
    # through the admin's old-URL redirects (the own pages have their own tests).
    post = {}
    if route.key not in ADMIN_OWN_PAGES:
        post = dict.fromkeys(EVERY_STAFF, (403, 404, 405, REDIRECT))
    return Rule(get, post=post)


def rule_for(route: Route) -> Rule | None:
    if route.is_admin:
        return admin_rule(route)
    return EXPECTATIONS.get(route.key)


# No pattern is left out of the matrix. Static files are served by WhiteNoise (a
# middleware, not a URL pattern) and documents' files are database rows served by
# families:document_attachment, so there is no static/media pattern to list.
EXCLUDED: dict[str, str] = {}


ROUTES = urlmatrix.routes()
