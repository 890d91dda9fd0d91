"""Bare Django: the yardstick `make bench` measures the portal against (bench/scenarios/bare.py).

The same Django, gunicorn, client and PostgreSQL as the portal, and as little else as a
Django app can have: no middleware, no session, no authentication, no i18n. Five views:
a no-op, two rows read by key (what a token floor does at the least), a 60-cell page read
in one query and rendered by a template, a "submission" that locks a row and inserts 20
rows in one transaction, and the portal's own submission statements (10, with 61 rows
written) with no rule around them. Their rates are the ceiling the portal's floor,
planning page and basket submission are read against (issue 18's ratios).
"""
