"""Attendance (pointage): staff mark each child of a session present or absent.

The sheet of a session lists the children booked (paid, or a request awaiting payment)
and the children enrolled without a booking. A mark is one of:
- "present", "absent": a booked child (or any child of an activity that needs no booking);
- "absent_justified": a child absent with a medical certificate handed in. Crediting the
  booking's price for it is a gestionnaire's decision (permissions.can_justify_absence),
  never an attendance agent's: the agent's mark records the absence and the certificate
  and credits nothing; the absence then waits for a gestionnaire ("awaiting decision" on
  the sheet), who credits it with `justify_absence()` (the sheet's button, or
  POST /api/v1/staff/attendance/justify). A gestionnaire choosing this mark for a child
  not marked so yet decides at once. Either way the price becomes credit once
  (billing.credits, kind justified_absence; the ledger refuses a second credit for the
  booking) and the mark is final: the credit cannot be taken back here (a mistake is
  corrected by an adjustment on the household's page). Sending the same mark again
  decides nothing (a sheet sent back with its marks checked credits nothing);
- "present_unbooked": a child present without booking on an activity that needs one: the
  activity's late price is due by the household (Attendance.charge_cents, listed on the
  household's page, billed with invoicing). "absent" for such a child removes that mark.

A mark or booking already on an invoice is final (billing.invoicing.billed): its mark
cannot change (a booked day billed unmarked can only be marked present), the sheet shows
the invoice's number, and a correction is a credit note on that invoice (code
already_invoiced).

Once a child has a mark, the family's block is locked ("Fréquentation déjà saisie", or
"Non utilisé" for a booked child marked absent): reservations.rules reads Attendance.
Every change writes the child's history (ATTENDANCE_PRESENT / ATTENDANCE_ABSENT, shown
to families as "Service gestionnaire") and the staff's audit trail (with the name).

Only a gestionnaire, or an attendance agent on its own sites, records; never for a day to
come nor on a closed day. Locks: the households' rows, then the session's row (the order
every basket change uses), so a family cannot cancel a day while it is being marked.

The modules, by concept:
- `sheet`: who is expected on a session, their rows and marks (Mark, Sheet,
  attendance_sheet), and the amounts due for children present without booking;
- `marks`: recording marks (record_marks): each mark judged against the sheet, all or
  nothing;
- `justified`: a gestionnaire's decision on a justified absence (justify_absence);
- `writing`: what a judged mark writes (the mark, the credit, the history, the audit).
"""
