"""Roles x URLs, built from the URL configuration itself (tracker issue 12).

Every URL pattern of the project (tests/security/urlmatrix.py walks the resolver) is
requested by every role: anonymous, the parent of another household, the parent of the
household the URL names, an attendance agent, a kitchen account, a gestionnaire and a
superuser. Each pattern must be declared in expectations.py:

- PARAMETERS says which world object fills each URL parameter (ambiguous names such as
  `pk` or `token` per route), so a new pattern with a new parameter fails until its
  author says what it names;
- EXPECTATIONS (or a group rule: the Django admin) says what each role gets on GET, and
  what a refused role gets on POST, so a new page fails until its author says who may
  open it.

Then for every pattern x role: the GET answers as declared; a refused role's POST is
refused too and changes no row of any table; and the answers given to anyone but the
household and the staff allowed to see it never contain the household's data (its
name, child, references, documents). Household B's parent asks for household A's
objects: they must look exactly like unknown ones (404).

One world per test module (conftest.py: module-scoped, rolled back at the end); each
test runs in a savepoint of it, so the POSTs and the GETs that act (confirmation links)
leave nothing behind. One file per behaviour: test_every_pattern_declared,
test_role_gets_what_is_declared, test_other_households_objects, test_other_households_ids.
"""
