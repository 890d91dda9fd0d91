"""The tests' world: the one place that builds what several tests need, one builder per thing
(rows themselves come from tests/factories.py).

- days.py: the fixed days and instants the worlds are placed on (the reference week of
  December 2026, the school year 2026-2027, the pages' week three weeks from today).
- commune.py: a canteen, a family enrolled in it, and the World they make (`build` on fixed
  days, `seed_family` on the pages' week).
- booking.py: what a family or the staff do in a World (submit, mark, a held request).
- money.py: PayFiP's answer about a payment, and the money kept across a test.
- staff.py: staff of every role, and a signed-in test client.
- town.py: the back office's small town; story.py: the recap's story.
- payfip.py: the live PayFiP simulator; web.py: a browser for the live server and the
  text a page shows.
- invoices.py: the invoices' household (an ALAE invoiced on attendance, a leisure centre
  invoiced on booking, a prepaid canteen) and what the pointage and bookings leave, billing
  runs, an invoice to settle or pay online, and invoices in every state for staff pages.
"""
