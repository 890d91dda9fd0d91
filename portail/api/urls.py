"""Routes of the JSON API, mounted at /api/v1/ (see http.py for how to write an endpoint).

Add an endpoint with one path() line below; its OpenAPI description comes from its
@endpoint decorator. Use path() (not re_path) and no trailing slash. Routes under
"staff/" must be auth="staff" endpoints (a test checks it).
"""

from django.urls import path, re_path

from portail.api.http import by_method
from portail.api.views import (
    auth,
    basket,
    baskets,
    history,
    household,
    invoice_payments,
    invoices,
    meta,
    planning,
    procedures,
    requests,
    staff,
    staff_billing_runs,
    staff_households,
    staff_operations,
    staff_requests,
    typical_week,
    waiting_list,
)

app_name = "api"
urlpatterns = [
    path("openapi.json", meta.openapi_document, name="openapi"),
    path(
        "auth/token",
        by_method(POST=auth.create_token, DELETE=auth.delete_token),
        name="auth-token",
    ),
    path("household", household.household, name="household"),
    path("staff/me", staff.me, name="staff-me"),
    path("staff/households", staff_households.create_household, name="staff-households"),
    path(
        "staff/households/<int:household_id>/basket",
        staff_households.household_basket,
        name="staff-household-basket",
    ),
    path(
        "staff/households/<int:household_id>/credits",
        staff_households.household_credit,
        name="staff-household-credits",
    ),
    path("staff/billing-runs", staff_billing_runs.create_billing_run, name="staff-billing-runs"),
    path(
        "staff/invoices/<int:invoice_id>/payments",
        invoice_payments.staff_invoice_payment,
        name="staff-invoice-payments",
    ),
    path(
        "staff/invoices/<int:invoice_id>/cancel",
        invoice_payments.staff_invoice_cancel,
        name="staff-invoice-cancel",
    ),
    path("staff/headcounts", staff_operations.headcounts_of_day, name="staff-headcounts"),
    path(
        "staff/sessions/<int:session_id>",
        staff_operations.session_update,
        name="staff-session",
    ),
    path(
        "staff/sessions/<int:session_id>/close",
        staff_operations.session_close,
        name="staff-session-close",
    ),
    path("staff/attendance", staff_operations.attendance_record, name="staff-attendance"),
    path(
        "staff/attendance/justify",
        staff_operations.attendance_justify,
        name="staff-attendance-justify",
    ),
    path("planning", planning.planning, name="planning"),
    path(
        "basket",
        by_method(GET=basket.show, POST=basket.submit, DELETE=basket.drop),
        name="basket",
    ),
    path("basket/typical-week", typical_week.typical_week, name="basket-typical-week"),
    path("basket/checkout", baskets.basket_checkout, name="basket-checkout"),
    path("baskets", baskets.basket_list, name="baskets"),
    path("baskets/<int:basket_id>", baskets.basket_detail, name="basket-detail"),
    path("baskets/<int:basket_id>/pdf", baskets.basket_pdf, name="basket-pdf"),
    path("credits", baskets.credit_list, name="credits"),
    path("waiting-list", waiting_list.join_list, name="waiting-list"),
    path("waiting-list/<int:entry_id>", waiting_list.leave_list, name="waiting-list-entry"),
    path("invoices", invoices.invoice_list, name="invoices"),
    path("invoices/<int:invoice_id>", invoices.invoice_detail, name="invoice-detail"),
    path("invoices/<int:invoice_id>/pdf", invoices.invoice_pdf_file, name="invoice-pdf"),
    path(
        "invoices/<int:invoice_id>/checkout",
        invoice_payments.invoice_checkout,
        name="invoice-checkout",
    ),
    path("children/<int:child_id>/history", history.child_history, name="child-history"),
    path(
        "enrolments/<int:enrolment_id>/recap.pdf",
        history.enrolment_recap,
        name="enrolment-recap",
    ),
    path("procedures", procedures.procedure_list, name="procedures"),
    path(
        "requests",
        by_method(GET=requests.request_list, POST=requests.request_create),
        name="requests",
    ),
    path(
        "requests/<int:request_id>",
        by_method(GET=requests.request_detail, PATCH=requests.request_update),
        name="request-detail",
    ),
    path(
        "requests/<int:request_id>/attachments",
        by_method(GET=requests.attachment_list, POST=requests.attachment_add),
        name="request-attachments",
    ),
    path(
        "requests/<int:request_id>/attachments/<int:attachment_id>",
        requests.attachment_file,
        name="request-attachment",
    ),
    path("requests/<int:request_id>/messages", requests.message_add, name="request-messages"),
    path("staff/requests", staff_requests.staff_request_list, name="staff-requests"),
    path(
        "staff/requests/<int:request_id>/decision",
        staff_requests.staff_request_decision,
        name="staff-request-decision",
    ),
]

# Keep last: any other URL under /api/v1/ answers a JSON 404 `not_found`.
urlpatterns.append(re_path(r"", meta.not_found, name="not-found"))
