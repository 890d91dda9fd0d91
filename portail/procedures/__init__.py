"""Démarches en ligne: the family's requests (contact, address change, QF declaration,
family file, enrolment, early childhood), with numbers, statuses, messages and
documents, processed by staff (issue 15; see docs/procedures.md)."""
