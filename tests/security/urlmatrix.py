"""The machinery of the roles x URLs test (tests/security/url_roles/).

- `routes()`: every URL pattern of the project, read from the URL configuration itself
  (nested includes, namespaces, the admin, the API, the PayFiP simulator), so a pattern
  added tomorrow is in the matrix tomorrow.
- `build_world()`: one commune with two households built through the services (bookings,
  a basket paid at the counter with its ticket, an open basket, credit, documents,
  calendar feed, API tokens) and one staff login per role.
- `snapshot()`: the rows of every table, to prove a refused write changed nothing.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib import admin
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from portail.accounts.models import User
from portail.accounts.tokens import activation_token
from portail.activities.models import Enrolment, Session
from portail.api.models import ApiToken
from portail.api.tokens import issue_token
from portail.backoffice.permissions import CUISINE, GESTIONNAIRE, POINTAGE, grant_role
from portail.billing import credits
from portail.billing.counter import record_counter_payment
from portail.billing.invoicing import runs
from portail.billing.models import Invoice, Payment, PaymentState
from portail.families import email_change
from portail.families.messaging import send_to_household
from portail.families.models import Child, Document, Guardian, Household
from portail.procedures import services as procedure_services
from portail.procedures.models import Request as ProcedureRequest
from portail.procedures.models import RequestAttachment
from portail.reservations import calendar_feed
from portail.reservations.basket import submit_changes
from portail.reservations.judging import Change
from portail.reservations.models import Attendance, Basket, BasketStatus, Channel
from tests import factories
from tests.world.days import NOW, WEEK
from tests.world.procedures import the_six_procedures
from tests.world.uploads import pdf_bytes

PASSWORD = "secret-pass-123"
# Sessions and API tokens of the world outlive any clock a test may run on.
FAR_FUTURE = datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC)

# Roles of the matrix. OTHER is the parent of another household asking for the target
# household's objects (every URL is filled with household A's objects).
ANON = "anonymous"
PARENT = "parent"
OTHER = "other_parent"
SUPERUSER = "superuser"
ROLES = (ANON, OTHER, PARENT, POINTAGE, CUISINE, GESTIONNAIRE, SUPERUSER)
STAFF_ROLES = (POINTAGE, CUISINE, GESTIONNAIRE, SUPERUSER)


# --- The URL configuration -------------------------------------------------------------

_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>\w+)>|\(\?P<(?P<re_name>\w+)>")


@dataclass(frozen=True)
class Route:
    route: str  # the full pattern, e.g. "gestion/familles/<int:pk>/"
    name: str | None  # namespaced, e.g. "backoffice:household"; None for unnamed ones
    params: tuple[str, ...]
    is_regex: bool
    callback: object = field(compare=False, repr=False)

    @property
    def key(self) -> str:
        """How the expectation tables name this route: its name, else its pattern."""
        return self.name or self.route

    @property
    def namespace(self) -> str:
        return self.name.split(":")[0] if self.name and ":" in self.name else ""

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/v1/")

    @property
    def is_admin(self) -> bool:
        return self.route.startswith("admin/")


def _walk(resolver: URLResolver, prefix: str, namespace: str, regex: bool):
    for entry in resolver.url_patterns:
        pattern = str(entry.pattern)
        is_regex = regex or entry.pattern.__class__.__name__ == "RegexPattern"
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry, prefix + pattern, inner, is_regex)
        else:
            assert isinstance(entry, URLPattern)
            full = prefix + pattern
            name = None
            if entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
            params = tuple(m["name"] or m["re_name"] for m in _PARAM.finditer(full))
            yield Route(full, name, params, is_regex, entry.callback)


def routes() -> list[Route]:
    """Every URL pattern of the project, in resolution order."""
    return list(_walk(get_resolver(), "", "", False))


def build_path(route: Route, values: dict[str, str]) -> str:
    """The path of `route` with its parameters replaced by `values`."""
    if route.is_regex:
        text = route.route
        # The admin's app list and catch-all, the API's catch-all: regex patterns.
        for name, value in values.items():
            text = re.sub(rf"\(\?P<{name}>[^)]*(?:\([^)]*\))?[^)]*\)", value, text)
        text = text.replace("^", "").replace("$", "")
        return "/" + text
    text = route.route
    for name, value in values.items():
        text = re.sub(rf"<(?:[^>:]+:)?{name}>", value, text)
    return "/" + text


def admin_model(route: Route):
    """The model behind an admin URL ("admin:families_child_change" -> Child), or None."""
    if not route.is_admin:
        return None
    for model in admin.site._registry:
        prefix = f"admin/{model._meta.app_label}/{model._meta.model_name}/"
        if route.route.startswith(prefix):
            return model
    return None


# --- The world --------------------------------------------------------------------------


@dataclass
class Household_:
    """One household and everything it owns that a URL can name."""

    household: Household
    user: User
    guardian: Guardian
    child: Child
    enrolment: Enrolment
    paid_basket: Basket
    open_basket: Basket
    payment: Payment
    document: Document
    attachment_pk: int
    calendar_token: str
    api_token: str
    secrets: tuple[str, ...]  # strings only this household's pages may show


@dataclass
class World:
    a: Household_  # the target: every URL names its objects
    b: Household_  # the other household, whose parent probes A's objects
    session: Session
    sessions: list[Session]  # household A booked the first two, holds the third
    staff: dict[str, User]
    api_tokens: dict[str, str]  # role -> bearer token
    session_cookies: dict[str, str]  # role -> session key
    invoice: Invoice | None = None  # household A's, from a billing run
    request: ProcedureRequest | None = None  # household A's démarche, submitted
    request_attachment: RequestAttachment | None = None  # a document of that request


def _household(
    label: str, activity, sessions: list[Session], cashier: User, site_token: str
) -> Household_:
    household = factories.household(name=f"FOYER-{label}-{site_token}")
    guardian = factories.guardian(
        household,
        email=f"parent.{label.lower()}@example.org",
        password=PASSWORD,
        first_name=f"Parent{label}",
        last_name=f"NOM{label}{site_token}",
    )
    user = guardian.user
    child = factories.child(household, first_name=f"Enfant{label}{site_token}")
    enrolment = factories.enrolment(child, activity)
    with TestCase.captureOnCommitCallbacks(execute=True):
        paid = submit_changes(
            household,
            add=[Change(child.pk, s.pk) for s in sessions[:2]],
            cancel=[],
            actor=user,
            channel=Channel.WEB,
            now=NOW,
        )
        record_counter_payment(paid, means="cash", actor=cashier, now=NOW)
        credits.adjust(household, 500, reason=f"Geste {label}", actor=cashier)
        open_basket = submit_changes(
            household,
            add=[Change(child.pk, sessions[2].pk)],
            cancel=[],
            actor=user,
            channel=Channel.WEB,
            now=NOW,
        )
        send_to_household(
            household,
            kind=Document.Kind.MESSAGE,
            subject=f"Courrier {label}{site_token}",
            body=f"Bonjour famille {label}{site_token}",
            attachments=[(f"piece-{label}.txt", f"piece {label}".encode(), "text/plain")],
        )
    payment = _payfip_payment(household, user, f"PFMATRIX{label}{site_token}")
    document = household.documents.order_by("pk").last()
    attachment = document.attachments.order_by("pk").first()
    paid.refresh_from_db()
    open_basket.refresh_from_db()
    return Household_(
        household=household,
        user=user,
        guardian=guardian,
        child=child,
        enrolment=enrolment,
        paid_basket=paid,
        open_basket=open_basket,
        payment=payment,
        document=document,
        attachment_pk=attachment.pk,
        calendar_token=calendar_feed.new_feed(guardian),
        api_token=issue_token(user),
        secrets=(
            household.name,
            child.first_name,
            user.last_name,
            paid.reference,
            open_basket.reference,
            payment.refdet,
            f"Courrier {label}{site_token}",
        ),
    )


def _payfip_payment(household: Household, user: User, reference: str) -> Payment:
    """An online payment already paid (final, so re-checking it never calls PayFiP)."""
    basket = Basket.objects.create(
        household=household, reference=reference, status=BasketStatus.PAID
    )
    return Payment.objects.create(
        basket=basket,
        household=household,
        attempt=1,
        refdet=f"{reference}P1",
        idop=f"idop-{reference}",
        state=PaymentState.PAID,
        amount_cents=740,
        reservations_cents=740,
        cancellations_cents=0,
        credit_applied_cents=0,
        credit_hold_cents=0,
        numcli="012345",
        exer=NOW.year,
        mel=user.email,
        channel=Channel.WEB,
        resultrans="P",
        numauto="654321",
        paid_at=NOW,
        created_at=NOW,
    )


def build_world() -> World:
    site = factories.site(name="École Matrice")
    activity = factories.activity(site, name="Cantine Matrice", weekdays="0,1,3,4")
    factories.tariff([activity], [(0, None, 370, 555)])
    sessions = [factories.session(activity, day) for day in WEEK]
    staff: dict[str, User] = {}
    for role in (GESTIONNAIRE, POINTAGE, CUISINE):
        user = factories.staff(email=f"{role}@example.org", password=PASSWORD)
        grant_role(user, role, sites=[site] if role == POINTAGE else [])
        staff[role] = user
    staff[SUPERUSER] = factories.staff(
        email="root@example.org", password=PASSWORD, is_superuser=True
    )
    a = _household("A", activity, sessions, staff[GESTIONNAIRE], "Q7XK")
    b = _household("B", activity, sessions, staff[GESTIONNAIRE], "W3ZV")
    users = {PARENT: a.user, OTHER: b.user, **staff}
    cookies = {}
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        session = client.session
        session.set_expiry(FAR_FUTURE)  # whatever clock the tests run on
        session.save()
        cookies[role] = session.session_key
    tokens = {PARENT: a.api_token, OTHER: b.api_token}
    tokens.update({role: issue_token(user) for role, user in staff.items()})
    ApiToken.objects.update(expires_at=FAR_FUTURE)
    invoice = _invoice(site, a)
    request, request_attachment = _request(a)
    return World(
        a, b, sessions[0], sessions, staff, tokens, cookies, invoice, request, request_attachment
    )


def _request(a: Household_) -> tuple[ProcedureRequest, RequestAttachment]:
    """Household A's démarche (contact, submitted) with one document, through the services."""
    the_six_procedures()
    request = procedure_services.create_request(
        a.household,
        "contact",
        {"service": "Restauration", "subject": "Question FOYER-A", "message": "Bonjour."},
        submit=True,
        actor=a.user,
        channel=Channel.WEB,
    )
    attachment = procedure_services.add_attachment(
        a.household,
        request.pk,
        SimpleUploadedFile("justificatif-A.pdf", pdf_bytes(), "application/pdf"),
        actor=a.user,
        channel=Channel.WEB,
    )
    return request, attachment


def _invoice(site, a: Household_) -> Invoice:
    """Household A's invoice: its child present on an ALAE invoiced on attendance a week
    before the world's week, billed by a real run (its own activity and day, so that no
    other page of the world changes)."""
    alae = factories.activity(site, name="ALAE Matrice", requires_booking=False)
    factories.tariff([alae], [(0, None, 150, 150)])
    day = WEEK[0] - datetime.timedelta(days=7)
    Attendance.objects.create(child=a.child, session=factories.session(alae, day), present=True)
    run = runs.issue(day, day, actor=None, channel=Channel.BACKOFFICE, now=NOW)
    return Invoice.objects.get(run=run, household=a.household)


def parameter_sources(world: World) -> dict[str, str]:
    """The values a URL parameter can take, by kind (see PARAMETERS in the test)."""
    a = world.a
    return {
        "household": str(a.household.pk),
        "guardian": str(a.guardian.pk),
        "child": str(a.child.pk),
        "enrolment": str(a.enrolment.pk),
        "basket": str(a.paid_basket.pk),
        "basket_reference": a.paid_basket.reference,
        "document": str(a.document.pk),
        "attachment": str(a.attachment_pk),
        "session": str(world.session.pk),
        "booked_session": str(world.sessions[0].pk),
        "free_session": str(world.sessions[3].pk),
        "activity": str(world.session.activity_id),
        "week": "{}-W{:02d}".format(*world.session.date.isocalendar()[:2]),
        "first_day": world.sessions[0].date.isoformat(),
        "last_day": world.sessions[-1].date.isoformat(),
        "payment": str(a.payment.pk),
        "invoice": str(world.invoice.pk),
        "request": str(world.request.pk),
        "request_attachment": str(world.request_attachment.pk),
        "procedure": str(world.request.procedure_id),
        "procedure_code": world.request.procedure.code,
        "billing_run": str(world.invoice.run_id),
        "calendar_token": a.calendar_token,
        "uidb64": urlsafe_base64_encode(force_bytes(a.user.pk)),
        "user": str(a.user.pk),
        "api_token_id": str(ApiToken.objects.filter(user=a.user).values_list("pk", flat=True)[0]),
        "household_content_type": str(ContentType.objects.get_for_model(Household).pk),
        "admin_app": "families",
        "nowhere": "nowhere/",
        # The API's waiting-list entry route takes DELETE only: GET and POST are 405 before
        # the id is read, so any id serves.
        "waiting_entry": "1",
    }


def link_tokens(world: World) -> dict[str, str]:
    """The e-mailed links' tokens, signed with the time they are made: made by each test,
    so that they are fresh on whatever clock it runs."""
    user = world.a.user
    user.refresh_from_db()
    return {
        "email_token": email_change.make_token(user, "nouvelle.a@example.org"),
        "reset_token": default_token_generator.make_token(user),
        "activation_token": activation_token.make_token(user),
    }


def admin_object_id(model) -> str:
    """A row of `model` for the admin's object URLs: household A's when it has one."""
    row = model._default_manager.order_by("pk").first()
    return str(row.pk) if row is not None else "0"


# --- Proof that nothing changed ---------------------------------------------------------

# Columns that reads write on purpose: "last used" marks of tokens and feeds.
VOLATILE = {"last_used_at", "last_login"}
SKIPPED_TABLES = {"django_session", "accounts_session"}


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table (but sessions), minus the columns reads touch."""
    state = {}
    for model in apps.get_models():
        if model._meta.db_table in SKIPPED_TABLES:
            continue
        names = [f.attname for f in model._meta.concrete_fields if f.attname not in VOLATILE]
        state[model._meta.label] = list(model._default_manager.order_by("pk").values_list(*names))
    return state


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(label for label in before if before[label] != after.get(label))
