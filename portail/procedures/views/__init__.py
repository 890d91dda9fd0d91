"""The family's démarches pages (docs/procedures.md, "The family's pages"): pages.py (the
list, a procedure's form to start one, a draft's form, a request's page), actions.py (submit,
write, send documents, download one), display.py (what a request's page shows)."""
