"""The back office of the service gestionnaire: pages under /gestion/ for staff.

Layout (one module per concept):
- models.py: StaffProfile (the role of a staff login: gestionnaire, pointage, cuisine;
  sites for an attendance agent), StaffAction (the audit trail); the payments at the
  counter are billing's (billing.models.CounterPayment);
- permissions.py: staff_role(user), has_role(user, *roles), can_see_money(user),
  sites_for(user), can_record_attendance(user, site), require_role(*roles) for pages
  (the API's endpoint(roles=...) asks has_role), grant_role(user, role, sites=...);
- audit.py: log_action(actor=, kind=, summary=, household=None, reason="");
- households.py: creating households, enrolments, QF (services, used by pages and API);
- views/: the pages (home, families, booking), templates/backoffice/ (base.html is the
  staff layout with its menu, _nav.html).
"""
