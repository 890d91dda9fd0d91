"""Invoices: what is billed after the fact, paid later (the seed's "Payer ma facture").

Activities say how they are paid (activities.models.BillingMode): prepaid ones go through
the basket and never reach an invoice; those invoiced on attendance (each presence
recorded by the pointage) and on booking (each booked day, and a day booked and not used
when the activity says so) are billed here, with the surcharge of a child present without
booking on any activity.

The modules, by concept:
- `numbering`: gapless numbers per year (FA2026-000123, credit notes AV2026-000004);
- `history`: the one writer of an invoice's history (who, when, what, channel);
- `charges`: what is chargeable for a household and a period, priced, with its rule;
- `runs`: a billing run (facturation): the preview, then the invoices issued;
- `settling`: money applied to an invoice (counter, credit, online) and credit notes;
- `online`: paying an invoice on PayFiP (the same client and confirmation as baskets);
- `reminders`, `exports`, `certificates`: relances, the régie's CSV, the attestations.
"""
