"""Pages of the back office, mounted at /gestion/ (namespace "backoffice").

Every view is decorated with permissions.require_role(...). The staff menu
(templates/backoffice/_nav.html) links the pages each role may open.
"""

from django.urls import path

from portail.backoffice.views import (
    attendance,
    billing_runs,
    booking,
    families,
    headcounts,
    home,
    invoices,
    journal,
    payments,
    procedures,
    requests,
)
from portail.backoffice.views import sessions as session_views
from portail.backoffice.views import strike as strike_views
from portail.backoffice.views import waiting_list as waiting_views
from portail.backoffice.views import windows as window_views

app_name = "backoffice"
urlpatterns = [
    path("", home.index, name="index"),
    # Families (gestionnaire).
    path("familles/", families.family_search, name="families"),
    path("familles/nouvelle/", families.household_create, name="household_create"),
    path("familles/<int:pk>/", families.household_detail, name="household"),
    path("familles/<int:pk>/inscription/", families.household_enrol, name="household_enrol"),
    path("familles/<int:pk>/quotient/", families.household_qf, name="household_qf"),
    path("familles/<int:pk>/avoir/", families.household_credit, name="household_credit"),
    path(
        "familles/<int:pk>/responsables/<int:guardian_pk>/activation/",
        families.guardian_activation,
        name="guardian_activation",
    ),
    # Booking for a family (gestionnaire).
    path("familles/<int:pk>/planning/", booking.planning, name="planning"),
    path("familles/<int:pk>/panier/", booking.basket, name="basket"),
    path("familles/<int:pk>/panier/valider/", booking.basket_validate, name="basket_validate"),
    path("familles/<int:pk>/panier/guichet/", booking.basket_counter, name="basket_counter"),
    path("familles/<int:pk>/panier/annuler/", booking.basket_drop, name="basket_drop"),
    # Head counts (every role), attendance (gestionnaire, agents on their sites), sessions
    # and payments (gestionnaire): part B (views/headcounts.py, attendance.py, ...).
    path("effectifs/", headcounts.headcounts_page, name="headcounts"),
    path("effectifs/effectifs.csv", headcounts.headcounts_csv, name="headcounts_csv"),
    path("effectifs/effectifs.xlsx", headcounts.headcounts_xlsx, name="headcounts_xlsx"),
    path("pointage/", attendance.attendance_page, name="attendance"),
    path("pointage/<int:pk>/", attendance.attendance_record, name="attendance_record"),
    path("pointage/<int:pk>/justifier/", attendance.attendance_justify, name="attendance_justify"),
    path("seances/", session_views.sessions_page, name="sessions"),
    path("seances/<int:pk>/capacite/", session_views.session_capacity, name="session_capacity"),
    path("seances/<int:pk>/fermer/", session_views.session_close, name="session_close"),
    path("seances/<int:pk>/rouvrir/", session_views.session_reopen, name="session_reopen"),
    path("seances/fermer/", strike_views.strike_page, name="sessions_close_many"),
    path("seances/<int:pk>/liste-attente/", waiting_views.waiting_list_page, name="waiting_list"),
    path("paiements/", payments.payments_page, name="payments"),
    path("paiements/<int:pk>/verifier/", payments.payment_check, name="payment_check"),
    path("paiements/regie.csv", payments.payments_export, name="payments_export"),
    # Billing runs (gestionnaire): preview a period, issue its invoices, past runs.
    path("facturation/", billing_runs.runs_page, name="billing_runs"),
    path("facturation/emettre/", billing_runs.run_issue, name="billing_run_issue"),
    path("facturation/<int:pk>/", billing_runs.run_detail, name="billing_run"),
    # Invoices (gestionnaire): list, one invoice and its forms, the régie's CSV files.
    path("factures/", invoices.invoices_page, name="invoices"),
    path("factures/factures.csv", invoices.invoices_export, name="invoices_export"),
    path(
        "factures/reglements.csv",
        invoices.invoice_payments_export,
        name="invoice_payments_export",
    ),
    path("factures/<int:pk>/", invoices.invoice_detail, name="invoice"),
    path("factures/<int:pk>/paiement/", invoices.invoice_payment, name="invoice_payment"),
    path("factures/<int:pk>/avoir/", invoices.invoice_apply_credit, name="invoice_apply_credit"),
    path(
        "factures/<int:pk>/avoir-sur-facture/",
        invoices.invoice_credit_note,
        name="invoice_credit_note",
    ),
    # Requests (démarches) and the procedures' settings (gestionnaire).
    path("demandes/", requests.inbox_page, name="requests"),
    path("demandes/<int:pk>/", requests.request_detail, name="request"),
    path("demandes/<int:pk>/traiter/", requests.request_action, name="request_action"),
    path("demandes/documents/<int:pk>/", requests.request_attachment, name="request_attachment"),
    path("demarches/", procedures.procedures_page, name="procedures"),
    path("journal/", journal.journal_page, name="journal"),
    # Booking windows and priority households (gestionnaire).
    path("fenetres/", window_views.windows_page, name="booking_windows"),
    path(
        "familles/<int:pk>/priorites/",
        window_views.household_priorities,
        name="household_priorities",
    ),
    path("demarches/<int:pk>/", procedures.procedure_edit, name="procedure_edit"),
]
